"""Scheme search: filters, territory (local first) and typo-tolerant free text.

Results carry ``reasons``: short ``"kind:value"`` codes that the actions turn into
French through the domain, never text to show as is:

- ``name:<name>``, ``alias:<alias>``, ``keyword:<keyword>``: what the text matched;
- ``territory:<commune|epci|departement|region|national>``: why it applies here;
- ``theme:<theme>``, ``audience:<audience>``, ``user_status:<status>``: matched filters;
- ``status:<project|proposal>``: the scheme is not (yet) an available aid.

Scoring: text coverage (0-100, see ``TokenIndex``) plus a locality bonus, so that
among equally relevant schemes the most local comes first. Without text, schemes
are ordered by locality, then name.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from rapidfuzz import fuzz, process
from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models.scheme import Organisation, OrganisationTerritory, Scheme
from knowledge.search.scheme_index import SchemeEntry, SchemeIndex, scheme_index
from knowledge.search.scopes import LOCALITY_RANK, commune_scopes
from knowledge.search.token_index import index_tokens
from knowledge.text import normalise
from knowledge.views import OrganisationView, SchemeHit, SchemeView, organisation_view, scheme_view

MIN_TEXT_SCORE = 55.0
# A pasted page must not cost seconds: only its beginning is read.
MAX_QUERY_CHARS, MAX_QUERY_WORDS = 300, 20
EXACT_NAME_BONUS = 5.0
LOCALITY_BONUS = {"commune": 8.0, "epci": 6.0, "departement": 4.0, "region": 2.0, "national": 0.0}


def search_schemes(
    session: Session,
    *,
    text: str | None = None,
    theme: str | None = None,
    audiences: Sequence[str] = (),
    commune_insee: str | None = None,
    statuses: Sequence[str] = (),
    include_proposals: bool = False,
    limit: int = 3,
    offset: int = 0,
) -> list[SchemeHit]:
    """Schemes matching the filters and text, best first (see the module docstring)."""
    index = scheme_index(session)
    localities = commune_localities(session, index, commune_insee)
    candidates = _candidates(index, localities, theme, audiences, statuses, include_proposals)
    query_words = index_tokens((text or "")[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    if query_words:
        coverage = index.tokens.score(query_words, allowed=candidates)
        # The exact name or alias typed ("vae") beats records that merely contain the word.
        exact = index.by_name.get(normalise((text or "")[:MAX_QUERY_CHARS]))
        scored = [
            (
                100.0 * value
                + LOCALITY_BONUS[localities.get(doc, "national")]
                + (EXACT_NAME_BONUS if doc == exact else 0.0),
                doc,
            )
            for doc, value in coverage.items()
            if 100.0 * value >= MIN_TEXT_SCORE
        ]
        page = heapq.nsmallest(
            offset + limit, scored, key=lambda item: (-item[0], index.entries[item[1]].view.name)
        )[offset:]
    else:
        scored = [(LOCALITY_BONUS[localities.get(doc, "national")], doc) for doc in candidates]
        page = heapq.nsmallest(
            offset + limit,
            scored,
            key=lambda item: (
                -item[0],
                _status_rank(index.entries[item[1]]),
                index.entries[item[1]].view.name,
            ),
        )[offset:]
    return [
        SchemeHit(
            scheme=index.entries[doc].view,
            score=round(score, 1),
            reasons=_reasons(
                index.entries[doc],
                text if query_words else None,
                localities.get(doc),
                theme,
                audiences,
                statuses,
                commune_insee is not None,
            ),
        )
        for score, doc in page
    ]


def get_scheme(session: Session, scheme_id: str) -> SchemeView | None:
    """Any scheme by id, whatever its status."""
    row = session.get(Scheme, scheme_id)
    return scheme_view(row.theme, row.payload) if row is not None else None


def find_scheme_by_name(session: Session, text: str) -> SchemeView | None:
    """The scheme whose name or alias is closest to ``text`` (typos allowed), if close enough."""
    index = scheme_index(session)
    wanted = normalise(text[:MAX_QUERY_CHARS])
    if not wanted:
        return None
    exact = index.by_name.get(wanted) or index.by_name.get(wanted.replace(" ", ""))
    if exact is not None:
        return index.entries[exact].view
    match = process.extractOne(wanted, index.name_choices, scorer=fuzz.ratio, score_cutoff=82)
    if match is None:
        return None
    return index.entries[index.name_owner[match[2]]].view


def organisations_for(
    session: Session, *, commune_insee: str, kinds: Sequence[str] = ()
) -> list[OrganisationView]:
    """Organisations covering a commune (local first), optionally of some kinds only."""
    scopes = commune_scopes(session, commune_insee)
    rank = {pair: LOCALITY_RANK[pair[0]] for pair in scopes}
    query = select(Organisation, OrganisationTerritory.scope, OrganisationTerritory.code).outerjoin(
        OrganisationTerritory, OrganisationTerritory.organisation_id == Organisation.id
    )
    if kinds:
        query = query.where(Organisation.kind.in_(list(kinds)))
    best: dict[str, tuple[int, Organisation]] = {}
    for organisation, scope, code in session.execute(query):
        if organisation.territory_scope == "national":
            level = LOCALITY_RANK["national"]
        elif (scope, code) in rank:
            level = rank[(scope, code)]
        else:
            continue
        if organisation.id not in best or level < best[organisation.id][0]:
            best[organisation.id] = (level, organisation)
    ordered = sorted(best.values(), key=lambda item: (item[0], item[1].name))
    return [organisation_view(organisation.payload) for _, organisation in ordered]


def organisations_by_id(session: Session, ids: Sequence[str]) -> list[OrganisationView]:
    """The organisations of a scheme, in the order given."""
    rows = session.scalars(select(Organisation).where(Organisation.id.in_(list(ids)))).all()
    found = {row.id: organisation_view(row.payload) for row in rows}
    return [found[org_id] for org_id in ids if org_id in found]


def commune_localities(session: Session, index: SchemeIndex, commune: str | None) -> dict[int, str]:
    """For a commune: each visible scheme and the level it applies at. Else: all, national."""
    if commune is None:
        return {}
    localities = dict.fromkeys(index.national, "national")
    for scope, code in reversed(index.ancestors(session, commune)):
        for doc in index.by_territory.get((scope, code), ()):
            localities[doc] = scope
    return localities


def _candidates(
    index: SchemeIndex,
    localities: dict[int, str],
    theme: str | None,
    audiences: Sequence[str],
    statuses: Sequence[str],
    include_proposals: bool,
) -> set[int]:
    documents: set[int] = set(localities) if localities else set(range(len(index.entries)))
    if theme:
        documents &= index.by_theme.get(theme, set())
    # An ended scheme is only ever shown when named (get_scheme / find_scheme_by_name).
    documents -= index.ended
    if not include_proposals:
        documents -= index.proposals
    if audiences:
        allowed = set(index.by_audience.get("any", set()))
        for audience in audiences:
            allowed |= index.by_audience.get(audience, set())
        documents &= allowed
    if statuses:
        allowed = set(index.without_status_condition)
        for status in statuses:
            allowed |= index.by_user_status.get(status, set())
        documents &= allowed
    return documents


def _status_rank(entry: SchemeEntry) -> int:
    return {"existing": 0, "project": 1}.get(entry.view.status, 2)


def _reasons(
    entry: SchemeEntry,
    text: str | None,
    locality: str | None,
    theme: str | None,
    audiences: Sequence[str],
    statuses: Sequence[str],
    has_place: bool,
) -> list[str]:
    view = entry.view
    reasons: list[str] = []
    if text:
        best = process.extractOne(
            normalise(text[:MAX_QUERY_CHARS]), entry.labels_normalised, scorer=fuzz.WRatio
        )
        if best is not None:
            kind, label = entry.labels[best[2]]
            reasons.append(f"{kind}:{label}")
    if has_place and locality is not None:
        reasons.append(f"territory:{locality}")
    if theme:
        reasons.append(f"theme:{view.theme}")
    reasons.extend(f"audience:{a}" for a in audiences if a in view.audiences)
    reasons.extend(f"user_status:{s}" for s in statuses if s in view.conditions.statuses)
    if view.status != "existing":
        reasons.append(f"status:{view.status}")
    return reasons
