"""What to show for a topic: the knowledge-base queries behind the schemes actions.

Plain synchronous functions over the caller's session (run through ``actions.kb.kb_call``),
so they are tested against a real SQLite knowledge base without the action server.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from actions.schemes_topics import SUPPORT_KINDS, TOPIC_THEMES
from knowledge.search import OrganisationView, SchemeView, organisations_for, search_schemes
from knowledge.search.token_index import index_tokens

# Enough candidates per theme for "autres aides" to page through.
CANDIDATES_PER_THEME = 40
PERSON_THEMES = (
    "housing",
    "childcare",
    "mobility",
    "vae_skills",
    "training",
    "apprenticeship",
    "insertion_support",
    "business_creation",
    "orientation",
)
MAX_SUPPORT = 2
MAX_QUERY_WORDS = 12


@dataclass(frozen=True)
class TopicAnswer:
    """The schemes to show for one topic, and the support network when nothing is local."""

    topic: str
    schemes: list[SchemeView]
    has_more: bool
    nothing_local: bool = False
    support: list[OrganisationView] = field(default_factory=list)


def themes_of(topic: str) -> tuple[str, ...]:
    return TOPIC_THEMES.get(topic) or PERSON_THEMES


def depends_on_place(session: Session, topics: Sequence[str]) -> bool:
    """True when one of the topics has schemes reserved to some territories."""
    for topic in topics:
        for theme in themes_of(topic):
            hits = search_schemes(session, theme=theme, limit=CANDIDATES_PER_THEME)
            if any(hit.scheme.territory.scope != "national" for hit in hits):
                return True
    return False


def _fits_age(scheme: SchemeView, age: float | None) -> bool:
    if age is None:
        return True
    low, high = scheme.conditions.age_min, scheme.conditions.age_max
    return (low is None or age >= low) and (high is None or age <= high)


def ranked_schemes(
    session: Session,
    topic: str,
    *,
    text: str | None,
    commune_insee: str | None,
    statuses: Sequence[str],
    age: float | None,
) -> list[SchemeView]:
    """Schemes of the topic: those matching more of the person's words first, then local first.

    Each meaningful word is searched on its own: a whole message ("aide pour passer le permis
    jsuis apprenti 19 ans") rarely reaches the search's coverage threshold, its words do.
    """
    words = list(dict.fromkeys(index_tokens(text or "")))[:MAX_QUERY_WORDS]
    locality: dict[str, tuple[float, str, SchemeView]] = {}
    word_hits: dict[str, dict[str, float]] = {word: {} for word in words}
    for theme in themes_of(topic):
        filters = {"theme": theme, "commune_insee": commune_insee, "statuses": list(statuses)}
        for hit in search_schemes(session, limit=CANDIDATES_PER_THEME, **filters):  # type: ignore[arg-type]
            locality[hit.scheme.id] = (hit.score, hit.scheme.name, hit.scheme)
        for word in words:
            for hit in search_schemes(session, text=word, limit=CANDIDATES_PER_THEME, **filters):  # type: ignore[arg-type]
                word_hits[word][hit.scheme.id] = hit.score
                locality.setdefault(hit.scheme.id, (0.0, hit.scheme.name, hit.scheme))
    # A word found in every scheme ("aide") says little; a rare one ("caution") says a lot.
    relevance: dict[str, float] = {}
    for hits in word_hits.values():
        if hits:
            weight = math.log(1.0 + len(locality) / len(hits))
            for scheme_id, score in hits.items():
                relevance[scheme_id] = relevance.get(scheme_id, 0.0) + weight * score
    ordered = sorted(
        locality.items(),
        key=lambda item: (-round(relevance.get(item[0], 0.0), 3), -item[1][0], item[1][1]),
    )
    # Without a place, only schemes valid everywhere: a local scheme elsewhere would mislead.
    return [
        scheme
        for _, (_, _, scheme) in ordered
        if _fits_age(scheme, age)
        and (commune_insee is not None or scheme.territory.scope == "national")
    ]


def answer_topic(
    session: Session,
    topic: str,
    *,
    text: str | None = None,
    commune_insee: str | None = None,
    statuses: Sequence[str] = (),
    age: float | None = None,
    limit: int = 3,
    offset: int = 0,
) -> TopicAnswer:
    """The page of schemes to show; flags a place without any local scheme for the topic."""
    ordered = ranked_schemes(
        session, topic, text=text, commune_insee=commune_insee, statuses=statuses, age=age
    )
    if statuses and len(ordered) < offset + limit:
        # Nothing (enough) reserved to the person's status: also show the schemes of the
        # topic for other statuses; each card says whom it is for.
        extra = ranked_schemes(
            session, topic, text=text, commune_insee=commune_insee, statuses=(), age=age
        )
        ordered += [scheme for scheme in extra if scheme not in ordered]
    page = ordered[offset : offset + limit]
    has_more = len(ordered) > offset + limit
    if commune_insee is None or offset > 0:
        return TopicAnswer(topic, page, has_more)
    everyone = ranked_schemes(
        session, topic, text=None, commune_insee=commune_insee, statuses=(), age=None
    )
    if any(scheme.territory.scope != "national" for scheme in everyone):
        return TopicAnswer(topic, page, has_more)
    support = organisations_for(session, commune_insee=commune_insee, kinds=list(SUPPORT_KINDS))
    # Local structures first, then the mission locale before France Travail, Cap emploi, PLIE.
    support.sort(key=lambda org: (org.territory.scope == "national", SUPPORT_KINDS.index(org.kind)))
    return TopicAnswer(topic, page, has_more, nothing_local=True, support=support[:MAX_SUPPORT])
