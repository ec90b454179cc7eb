"""In-process scheme index, built once per database and data version.

Searching 10,000 schemes in a few milliseconds needs the records in memory; the
``data_version`` row (bumped by every ``load``) tells when to rebuild.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.models.scheme import Scheme, SchemeTerritory
from knowledge.search.scopes import commune_scopes
from knowledge.search.token_index import TokenIndex, index_tokens
from knowledge.text import normalise
from knowledge.versioning import SCHEMES_VERSION, VersionedCache
from knowledge.views import SchemeView, scheme_view

NAME_WEIGHT, ALIAS_WEIGHT, KEYWORD_WEIGHT = 1.0, 0.97, 0.9


@dataclass
class SchemeEntry:
    view: SchemeView
    # (kind, original label) and its normalised form, for "why it matched".
    labels: list[tuple[str, str]]
    labels_normalised: list[str]


@dataclass
class SchemeIndex:
    entries: list[SchemeEntry] = field(default_factory=list)
    tokens: TokenIndex = field(default_factory=TokenIndex)
    national: set[int] = field(default_factory=set)
    national_localities: dict[int, str] = field(default_factory=dict)
    by_territory: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    by_theme: dict[str, set[int]] = field(default_factory=dict)
    by_audience: dict[str, set[int]] = field(default_factory=dict)
    by_user_status: dict[str, set[int]] = field(default_factory=dict)
    without_status_condition: set[int] = field(default_factory=set)
    proposals: set[int] = field(default_factory=set)
    ended: set[int] = field(default_factory=set)
    by_name: dict[str, int] = field(default_factory=dict)
    name_choices: list[str] = field(default_factory=list)
    name_owner: list[int] = field(default_factory=list)
    _ancestors: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def ancestors(self, session: Session, commune: str) -> list[tuple[str, str]]:
        """Commune scopes, cached for the life of this index (territories change with loads)."""
        cached = self._ancestors.get(commune)
        if cached is None:
            cached = commune_scopes(session, commune)
            if len(self._ancestors) < 100_000:
                self._ancestors[commune] = cached
        return cached

    def add(self, view: SchemeView) -> None:
        doc = len(self.entries)
        labels = [("name", view.name)]
        labels += [("alias", alias) for alias in view.aliases]
        labels += [("keyword", keyword) for keyword in view.keywords]
        self.entries.append(SchemeEntry(view, labels, [normalise(label) for _, label in labels]))
        for kind, label in labels:
            weight = {"name": NAME_WEIGHT, "alias": ALIAS_WEIGHT}.get(kind, KEYWORD_WEIGHT)
            words = index_tokens(label)
            # "mobilijeune" typed as one word must still find "Mobili-Jeune".
            glued = "".join(words)
            self.tokens.add(doc, [*words, glued] if len(words) > 1 else words, weight)
            if kind != "keyword":
                self.by_name.setdefault(normalise(label), doc)
                self.by_name.setdefault(normalise(label).replace(" ", ""), doc)
                self.name_choices.append(normalise(label))
                self.name_owner.append(doc)
        self.by_theme.setdefault(view.theme, set()).add(doc)
        for audience in view.audiences:
            self.by_audience.setdefault(audience, set()).add(doc)
        if view.conditions.statuses:
            for status in view.conditions.statuses:
                self.by_user_status.setdefault(status, set()).add(doc)
        else:
            self.without_status_condition.add(doc)
        if view.status == "proposal":
            self.proposals.add(doc)
        if view.status == "ended":
            self.ended.add(doc)
        if view.territory.scope == "national":
            self.national.add(doc)


def scheme_index(session: Session) -> SchemeIndex:
    """The index for this session's database at its current data version."""
    return _cache.get(session)


def _build(session: Session) -> SchemeIndex:
    index = SchemeIndex()
    positions: dict[str, int] = {}
    for row in session.execute(select(Scheme.id, Scheme.theme, Scheme.payload).order_by(Scheme.id)):
        positions[row.id] = len(index.entries)
        index.add(scheme_view(row.theme, row.payload))
    for scheme_id, scope, code in session.execute(
        select(SchemeTerritory.scheme_id, SchemeTerritory.scope, SchemeTerritory.code)
    ):
        index.by_territory.setdefault((scope, code), []).append(positions[scheme_id])
    index.tokens.freeze()
    index.national_localities = dict.fromkeys(index.national, "national")
    return index


def clear_cache() -> None:
    _cache.clear()


_cache: VersionedCache[SchemeIndex] = VersionedCache(SCHEMES_VERSION, _build)
