"""Which records fit this person: the knowledge base's ranking adjusted by the situation.

A record the person cannot get (age, excluded status, children too old) is dropped; one that
matches their working hours or status goes up; employer aids go down for a person who is not
an employer, and the reverse. Each kept record carries the reasons it fits, for the answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from actions.understanding.situation import Situation
from knowledge.search.retriever import Retrieval, Retrieved
from knowledge.views import SchemeView

NAMED_BONUS = 1.0
THEME_BONUS = 0.4
# The NLU named a topic: records of other themes only come first on a much better match.
OFF_THEME = 0.6
SCHEDULE_BONUS = 0.35
STATUS_BONUS = 0.15
LOCAL_BONUS = 0.1
STATUS_MISMATCH = 0.45
AUDIENCE_MISMATCH = 0.3
EMPLOYER_ASKS_FOR_STAFF = 0.6
EMPLOYER_BONUS = 0.3
EMPLOYER_THEMES = frozenset({"hiring_geiq"})
# Statuses that say little about eligibility on their own.
WEAK_STATUSES = frozenset({"parent", "young"})


@dataclass(frozen=True)
class Ranked:
    scheme: SchemeView
    score: float
    locality: str | None
    reasons: tuple[str, ...]

    @property
    def visible(self) -> bool:
        return self.locality is not None


def _fits_age(scheme: SchemeView, age: int | None) -> bool:
    low, high = scheme.conditions.age_min, scheme.conditions.age_max
    return age is None or ((low is None or age >= low) and (high is None or age <= high))


def _fits_children(scheme: SchemeView, ages: Sequence[int]) -> bool:
    if not ages:
        return True
    high, low = scheme.conditions.child_age_max, scheme.conditions.child_age_min
    if scheme.conditions.alternatives:
        highs = [alt.child_age_max for alt in scheme.conditions.alternatives if alt.child_age_max]
        if highs and high is not None:
            high = max([high, *highs])
    return any((high is None or age <= high) and (low is None or age >= low) for age in ages)


def is_employer_record(scheme: SchemeView) -> bool:
    """A record for employers (hiring aids, GEIQ), not for the people they hire."""
    return scheme.theme in EMPLOYER_THEMES or tuple(scheme.audiences) == ("employer",)


def _status_factor(scheme: SchemeView, situation: Situation) -> tuple[float, str | None]:
    known = set(situation.statuses) - WEAK_STATUSES - {"employer"}
    wanted = set(scheme.conditions.statuses)
    for alternative in scheme.conditions.alternatives:
        wanted |= set(alternative.statuses)
    if not known or not wanted:
        return 1.0, None
    common = known & wanted
    if common:
        return 1.0 + STATUS_BONUS, f"status:{sorted(common)[0]}"
    return STATUS_MISMATCH, None


def _adjust(hit: Retrieved, base: float, situation: Situation) -> Ranked | None:
    scheme = hit.scheme
    if not _fits_age(scheme, situation.age) or not _fits_children(scheme, situation.child_ages):
        return None
    if set(scheme.conditions.excluded_statuses) & set(situation.statuses):
        return None
    reasons: list[str] = []
    score = base
    factor, reason = _status_factor(scheme, situation)
    score *= factor
    if reason:
        reasons.append(reason)
    common_hours = [hours for hours in situation.schedules if hours in scheme.schedules]
    if common_hours:
        score += SCHEDULE_BONUS
        reasons.append(f"schedule:{common_hours[0]}")
    employer_record = is_employer_record(scheme)
    if situation.is_employer and employer_record:
        # In proportion: an employer's aid off the subject (GEIQ for a childcare question)
        # must not pass the records on it.
        score *= 1.0 + EMPLOYER_BONUS
        reasons.append("status:employer")
    elif situation.is_employer and "employer" not in scheme.audiences:
        # Softer than the reverse: an employer also asks about their staff's childcare.
        score *= EMPLOYER_ASKS_FOR_STAFF
    elif not situation.is_employer and employer_record:
        score *= AUDIENCE_MISMATCH
    if hit.locality not in (None, "national"):
        score += LOCAL_BONUS
        reasons.append("local")
    return Ranked(scheme, score, hit.locality, tuple(reasons))


def rank(
    retrieval: Retrieval, situation: Situation, preferred_themes: Sequence[str] = ()
) -> list[Ranked]:
    """Records in the order to offer them, those the person cannot get left out."""
    # Relevance: BM25 with the semantic score beside it (knowledge.search.retriever).
    top = retrieval.top_relevance or 1.0
    named = {scheme.id for scheme in retrieval.named}
    ranked: list[Ranked] = []
    for hit in retrieval.hits:
        base = hit.relevance / top
        if hit.scheme.id in named:
            base += NAMED_BONUS
        if hit.scheme.theme in preferred_themes:
            base += THEME_BONUS
        elif preferred_themes and hit.scheme.id not in named:
            base *= OFF_THEME
        adjusted = _adjust(hit, base, situation)
        if adjusted is not None:
            ranked.append(adjusted)
    ranked.sort(key=lambda item: (-item.score, item.scheme.name))
    return ranked
