"""Scheme cards as several domain responses (intro, card, amount, source): the shape used
before ``render_answer``. Kept for callers not yet moved to one message per answer."""

from __future__ import annotations

from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.schemes_wording import (
    apply_steps,
    audience_text,
    bullets,
    how_to_apply,
    key_condition,
    source_text,
    structured_conditions,
)
from knowledge.views import SchemeView


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
