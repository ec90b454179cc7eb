"""Conditions of a scheme in words, from the domain's ``utter_label_*`` responses.

Every French word comes from the domain; this module only chooses which label applies and
fills it in. Used by the answer cards, the details and the eligibility pre-check.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.types import DomainDict

from actions.answer_texts import answer_text
from knowledge.views import SchemeView

MAX_AUDIENCES = 3
SENTENCE_ENDS = (".", "!", "?", "…")


def label(domain: DomainDict, key: str, **values: Any) -> str:
    """The text of the domain response ``utter_label_<key>`` filled with ``values``."""
    variants = domain.get("responses", {}).get(f"utter_label_{key}") or [{"text": key}]
    return str(variants[0]["text"]).format(**values)


def bullets(lines: list[str]) -> str:
    """One item per line, as the responses show lists."""
    return "\n".join(f"- {line}" for line in lines)


def number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}".replace(".", ",")


def audience_text(domain: DomainDict, scheme: SchemeView) -> str:
    names = [label(domain, f"audience_{code}") for code in scheme.audiences[:MAX_AUDIENCES]]
    return ", ".join(names) if names else label(domain, "audience_any")


def statuses_text(domain: DomainDict, statuses: tuple[str, ...]) -> str:
    return label(domain, "or").join(label(domain, f"status_{code}") for code in statuses)


def age_condition(domain: DomainDict, scheme: SchemeView) -> str | None:
    low, high = scheme.conditions.age_min, scheme.conditions.age_max
    if low is not None and high is not None:
        return label(domain, "condition_age_range", age_min=low, age_max=high)
    if high is not None:
        return label(domain, "condition_age_max", age_max=high)
    if low is not None:
        return label(domain, "condition_age_min", age_min=low)
    return None


def structured_conditions(domain: DomainDict, scheme: SchemeView) -> list[str]:
    """The machine-readable conditions of a scheme, worded."""
    conditions = scheme.conditions
    lines: list[str] = []
    age = age_condition(domain, scheme)
    if age:
        lines.append(age)
    if conditions.statuses:
        lines.append(
            label(domain, "condition_statuses", statuses=statuses_text(domain, conditions.statuses))
        )
    if conditions.child_age_max is not None:
        lines.append(
            label(domain, "condition_child_age_max", child_age_max=conditions.child_age_max)
        )
    if conditions.distance_km_min is not None:
        lines.append(
            label(
                domain,
                "condition_distance_min",
                distance_km_min=number_text(conditions.distance_km_min),
            )
        )
    income = conditions.monthly_income_max
    if income is not None:
        lines.append(
            label(
                domain,
                "condition_income_max",
                income_max=number_text(income.value),
                basis=income.basis or income.unit,
            )
        )
    return lines


def key_condition(domain: DomainDict, scheme: SchemeView) -> str:
    """The one condition shown on a card: the first the source states in words, else a rule."""
    if scheme.conditions.other:
        return scheme.conditions.other[0]
    structured = structured_conditions(domain, scheme)
    return structured[0] if structured else label(domain, "condition_see_details")


def steps_list(scheme: SchemeView) -> str:
    """Every step and every contact, as a list."""
    apply = scheme.apply
    lines = list(apply.steps)
    if apply.url:
        lines.append(answer_text("details_step_url", url=apply.url))
    if apply.phone:
        lines.append(answer_text("details_step_phone", phone=apply.phone))
    if apply.office:
        lines.append(answer_text("details_step_office", office=apply.office))
    return bullets(lines or [answer_text("card_step_adviser")])


def _sentence(step: str) -> str:
    """A step as a sentence of its own, so that the contact after it starts a new one."""
    step = step.strip()
    return step if step.endswith(SENTENCE_ENDS) else f"{step}."


def how_to_apply(domain: DomainDict, scheme: SchemeView) -> str:
    """The first step and the most direct contact, in one line (eligibility's next step).

    The step says what to do ("Faites la demande en ligne sur le site …"); the contact only
    names where ("Site : …"), so the line does not say "en ligne" twice.
    """
    apply = scheme.apply
    parts = [_sentence(step) for step in apply.steps[:1]]
    if apply.url:
        parts.append(label(domain, "apply_url", url=apply.url))
    elif apply.phone:
        parts.append(label(domain, "apply_phone", phone=apply.phone))
    elif apply.office:
        parts.append(label(domain, "apply_office", office=apply.office))
    if not parts:
        parts.append(label(domain, "apply_adviser"))
    return " ".join(parts)


def apply_steps(domain: DomainDict, scheme: SchemeView) -> str:
    """Every step and every contact, as a list."""
    return steps_list(scheme)


def source_text(domain: DomainDict, scheme: SchemeView) -> str:
    """The citation a person can use: an official page, or a report's publisher, title, year."""
    citation = scheme.citation
    return citation.text if citation is not None else ""
