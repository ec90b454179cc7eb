"""Turning knowledge-base views into the values of the domain's responses.

Every French word comes from the domain (``utter_label_*`` responses); this module only
chooses which label applies and fills it in, as ``actions/fallback.py`` does for titles.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

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


def _sentence(step: str) -> str:
    """A step as a sentence of its own, so that the contact after it starts a new one."""
    step = step.strip()
    return step if step.endswith(SENTENCE_ENDS) else f"{step}."


def how_to_apply(domain: DomainDict, scheme: SchemeView) -> str:
    """The first step and the most direct contact, in one line.

    The step says what to do ("Faites la demande en ligne sur le site …"); the contact only
    names where ("Site : …"), so the card does not say "en ligne" twice.
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
    apply = scheme.apply
    lines = list(apply.steps)
    if apply.url:
        lines.append(label(domain, "apply_url", url=apply.url))
    if apply.phone:
        lines.append(label(domain, "apply_phone", phone=apply.phone))
    if apply.office:
        lines.append(label(domain, "apply_office", office=apply.office))
    return bullets(lines or [label(domain, "apply_adviser")])


def source_text(domain: DomainDict, scheme: SchemeView) -> str:
    """An official page when there is one, else the source document and its lines."""
    for source in scheme.sources:
        if source.startswith("http"):
            return source
    document, _, lines = scheme.sources[0].partition(":")
    return label(domain, "source_document", document=document, lines=lines or "?")


def date_text(scheme: SchemeView) -> str:
    return scheme.information_date.strftime("%d/%m/%Y")


def utter_status_notice(dispatcher: CollectingDispatcher, scheme: SchemeView) -> None:
    """A proposal or a project is never presented as an available aid."""
    if scheme.status == "proposal":
        dispatcher.utter_message(response="utter_scheme_is_proposal", name=scheme.name)
    elif scheme.status == "project":
        dispatcher.utter_message(response="utter_scheme_is_project", name=scheme.name)


def utter_card(
    dispatcher: CollectingDispatcher, domain: DomainDict, scheme: SchemeView, position: int
) -> None:
    """One scheme in a list: what, for whom, key condition, how, amount if sourced, source."""
    utter_status_notice(dispatcher, scheme)
    dispatcher.utter_message(
        response="utter_scheme_card",
        position=position,
        name=scheme.name,
        summary=scheme.summary,
        audience=audience_text(domain, scheme),
        condition=key_condition(domain, scheme),
        how=how_to_apply(domain, scheme),
    )
    if scheme.amount is not None and scheme.amount.text:
        dispatcher.utter_message(response="utter_scheme_amount", amount=scheme.amount.text)
    dispatcher.utter_message(
        response="utter_scheme_source", date=date_text(scheme), source=source_text(domain, scheme)
    )


def utter_details(dispatcher: CollectingDispatcher, domain: DomainDict, scheme: SchemeView) -> None:
    """Everything a person needs to decide and apply, with the source."""
    utter_status_notice(dispatcher, scheme)
    dispatcher.utter_message(
        response="utter_scheme_details", name=scheme.name, details=scheme.details or scheme.summary
    )
    conditions = structured_conditions(domain, scheme) + list(scheme.conditions.other)
    if conditions:
        dispatcher.utter_message(response="utter_scheme_conditions", conditions=bullets(conditions))
    if scheme.amount is not None and scheme.amount.text:
        dispatcher.utter_message(response="utter_scheme_amount", amount=scheme.amount.text)
    dispatcher.utter_message(response="utter_scheme_apply", steps=apply_steps(domain, scheme))
    dispatcher.utter_message(
        response="utter_scheme_source", date=date_text(scheme), source=source_text(domain, scheme)
    )
