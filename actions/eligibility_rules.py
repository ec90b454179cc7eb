"""The eligibility pre-check as plain logic: which questions a scheme needs, how to read
the answers, and what they mean. No Rasa here, so every rule is unit-tested directly.

Questions come from the knowledge-base record only: its machine-readable conditions (age,
status, child's age, distance, income) and, as yes/no questions, the first conditions it
states in words. Everything else is reported as "not checked", never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from knowledge.text import normalise
from knowledge.views import SchemeView

YES, NO, UNKNOWN = "yes", "no", "unknown"
MAX_WORDED_QUESTIONS = 2
# Plausible ranges: an answer outside is a typo or a misunderstanding, asked again.
NUMBER_RANGES: dict[str, tuple[float, float]] = {
    "elig_age": (12, 99),
    "elig_child_age": (0, 25),
    "elig_distance": (0, 3000),
    "elig_income": (0, 100_000),
}
YES_NO_SLOTS = ("elig_status", "elig_other_1", "elig_other_2")
_NUMBER = re.compile(r"(\d+(?:[.,]\d+)?)")
_MONTHS = re.compile(r"\bmois\b")
_YEARS_MENTION = re.compile(r"\b\d+ ans\b")
# "Ne pas être employé par…" (original text), and any negative condition (normalised text).
_INFINITIVE_ENDS = ("er", "ir", "re")
_FIGURE = re.compile(r"\b\d+ ?(?:km|kilometres?|ans?|mois|heures?|minutes?|euros?|€)")
_NOT_BEING = re.compile(r"^(?:ne|n') ?pas (être\b.*)$", re.IGNORECASE)
_NEGATIVE = re.compile(r"^(?:ne|n) ?(?:pas|plus|jamais)\b|^n ?(?:etre|avoir) (?:pas|plus)\b")
# Matching data (accent-free) for answers typed instead of clicked.
_YES_WORDS = frozenset(
    {"oui", "ouais", "ouai", "yes", "ok", "exact", "voila", "oue", "certes", "bien sur"}
)
_NO_WORDS = frozenset({"non", "nan", "no", "nope", "pas du tout", "nn", "jamais"})
_UNKNOWN_WORDS = frozenset(
    {"je sais pas", "je ne sais pas", "jsp", "sais pas", "aucune idee", "chais pas"}
)
# Words showing that a worded condition repeats the status question (matching data).
_STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "apprentice": ("apprenti", "alternan", "apprentissage"),
    "job_seeker": ("demandeur d emploi", "inscrit a france travail", "inscrit comme demandeur"),
    "rsa_recipient": ("rsa",),
    "student": ("etudiant",),
    "single_parent": ("parent isole", "seul"),
    "disabled_worker": ("handicap", "rqth"),
    "employee": ("salarie",),
}


@dataclass(frozen=True)
class Known:
    """What the person already said in the conversation (never asked again)."""

    age: float | None = None
    status: str | None = None


@dataclass(frozen=True)
class Plan:
    """The questions to ask for a scheme, in order, and the conditions left unchecked.

    ``slots`` lists every condition checked, ``prefilled`` the answers already known (those
    slots are not asked), ``negated[i]`` says that ``worded[i]`` is asked in the positive
    ("Être employé par une entreprise publique ?") for a negative condition, so a "oui" means
    the condition is not met: never a double negative.
    """

    slots: list[str]
    worded: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)
    negated: list[bool] = field(default_factory=list)
    prefilled: dict[str, str] = field(default_factory=dict)
    # The record's wording of each worded condition, for the conclusion.
    original: list[str] = field(default_factory=list)

    @property
    def to_ask(self) -> list[str]:
        return [slot for slot in self.slots if slot not in self.prefilled]


def _can_be_asked(condition: str) -> bool:
    """What the person does or is ("Être…", "Habiter…", "Reprendre…"), or a figure they know
    (a distance, a duration): a yes/no question. Rules about the aid itself ("Une seule aide
    par apprenti", "La certification doit être inscrite…") are reported, not asked."""
    plain = normalise(condition)
    words = plain.split()
    return bool(words) and (words[0].endswith(_INFINITIVE_ENDS) or bool(_FIGURE.search(plain)))


def _states_being(condition: str) -> bool:
    """ "Être apprenti…", "Avoir moins de 30 ans…": what a structured question already checks."""
    words = normalise(condition).split()
    return bool(words) and words[0] in ("etre", "avoir")


def _repeats_structured(condition: str, scheme: SchemeView, slots: list[str]) -> bool:
    if not _states_being(condition):
        return False
    plain = normalise(condition)
    if ("elig_age" in slots or "elig_child_age" in slots) and _YEARS_MENTION.search(plain):
        return True
    if "elig_status" in slots:
        for status in scheme.conditions.statuses:
            if any(word in plain for word in _STATUS_WORDS.get(status, ())):
                return True
    return False


def _said_already(condition: str, known: Known) -> bool:
    """A worded condition about the status the person gave ("Être apprenti…"): met."""
    plain = normalise(condition)
    return (
        known.status is not None
        and _states_being(condition)
        and any(word in plain for word in _STATUS_WORDS.get(known.status, ()))
    )


def _positive(condition: str) -> str | None:
    """ "Ne pas être X" as "Être X"; None for other negative conditions (not asked)."""
    match = _NOT_BEING.match(condition.strip())
    if match is None:
        return None
    return "Ê" + match.group(1)[1:]


def _is_negative(condition: str) -> bool:
    return _NEGATIVE.match(normalise(condition)) is not None


def _prefilled(scheme: SchemeView, slots: list[str], known: Known) -> dict[str, str]:
    answers: dict[str, str] = {}
    if "elig_age" in slots and known.age is not None:
        answers["elig_age"] = f"{known.age:g}"
    if "elig_status" in slots and known.status in scheme.conditions.statuses:
        answers["elig_status"] = YES
    return answers


def plan_for(scheme: SchemeView, known: Known | None = None) -> Plan:
    known = known or Known()
    conditions = scheme.conditions
    slots: list[str] = []
    if conditions.age_min is not None or conditions.age_max is not None:
        slots.append("elig_age")
    if conditions.statuses:
        slots.append("elig_status")
    if conditions.child_age_max is not None:
        slots.append("elig_child_age")
    if conditions.distance_km_min is not None:
        slots.append("elig_distance")
    if conditions.monthly_income_max is not None:
        slots.append("elig_income")
    worded: list[str] = []
    negated: list[bool] = []
    original: list[str] = []
    unchecked: list[str] = []
    for condition in conditions.other:
        if _repeats_structured(condition, scheme, slots) or _said_already(condition, known):
            # Checked by a question asked, or by what the person said: never "not checked".
            continue
        negative = _is_negative(condition)
        asked = _positive(condition) if negative else condition
        if not negative and not _can_be_asked(condition):
            asked = None
        if asked is not None and len(worded) < MAX_WORDED_QUESTIONS:
            worded.append(asked)
            negated.append(negative)
            original.append(condition)
        else:
            # One question too many, or a negation that cannot be asked plainly: said, not claimed.
            unchecked.append(condition)
    slots += [f"elig_other_{index}" for index in range(1, len(worded) + 1)]
    return Plan(slots, worded, unchecked, negated, _prefilled(scheme, slots, known), original)


def parse_yes_no(intent: str | None, text: str) -> str | None:
    if intent == "affirm":
        return YES
    if intent == "deny":
        return NO
    if intent == "dont_know":
        return UNKNOWN
    plain = normalise(text)
    for words, value in ((_UNKNOWN_WORDS, UNKNOWN), (_NO_WORDS, NO), (_YES_WORDS, YES)):
        if plain in words or any(plain.startswith(f"{word} ") for word in words):
            return value
    return None


def parse_number(slot: str, intent: str | None, text: str) -> str | None:
    """The number in the answer as text ("19", "1.5"), "unknown", or None when unreadable."""
    if intent == "dont_know" or normalise(text) in _UNKNOWN_WORDS:
        return UNKNOWN
    match = _NUMBER.search(text)
    if match is None:
        return None
    number = float(match.group(1).replace(",", "."))
    if slot == "elig_child_age" and _MONTHS.search(normalise(text)):
        number = round(number / 12, 2)
    low, high = NUMBER_RANGES[slot]
    if not low <= number <= high:
        return None
    return f"{number:g}"


@dataclass(frozen=True)
class Verdict:
    """Conditions met, not met, and without an answer (keys are slot names or texts)."""

    missing: list[str]
    unknown: list[str]


def _number_fails(slot: str, value: float, scheme: SchemeView) -> bool:
    conditions = scheme.conditions
    if slot == "elig_age":
        return (conditions.age_min is not None and value < conditions.age_min) or (
            conditions.age_max is not None and value > conditions.age_max
        )
    if slot == "elig_child_age":
        return conditions.child_age_max is not None and value > conditions.child_age_max
    if slot == "elig_distance":
        return conditions.distance_km_min is not None and value < conditions.distance_km_min
    if slot == "elig_income":
        income = conditions.monthly_income_max
        return income is not None and value > income.value
    return False


def evaluate(scheme: SchemeView, plan: Plan, answers: dict[str, str | None]) -> Verdict:
    """Compare the answers with the record; returns slot names for structured conditions
    and the condition texts for worded ones."""
    missing: list[str] = []
    unknown: list[str] = []
    for slot in plan.slots:
        answer = plan.prefilled.get(slot) or answers.get(slot)
        key = slot
        failing = NO
        if slot.startswith("elig_other_"):
            index = int(slot.rsplit("_", 1)[1]) - 1
            key = plan.original[index]
            failing = YES if plan.negated[index] else NO
        if answer in (None, UNKNOWN):
            unknown.append(key)
        elif slot in YES_NO_SLOTS:
            if answer == failing:
                missing.append(key)
        elif _number_fails(slot, float(str(answer)), scheme):
            missing.append(key)
    return Verdict(missing, unknown)
