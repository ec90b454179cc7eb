"""Eligibility pre-check actions: start, validate each answer, conclude.

The questions depend on the scheme (``actions.eligibility_rules.plan_for``); one Rasa form,
``eligibility_form``, asks only those. The conclusion always lists what was not checked
and gives the next step.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.eligibility_answer import conclusion
from actions.eligibility_rules import (
    YES_NO_SLOTS,
    Known,
    Plan,
    evaluate,
    parse_number,
    parse_yes_no,
    plan_for,
)
from actions.forms import QuestionAwareForm, checked
from actions.kb import kb_call
from actions.schemes_cards import (
    age_condition,
    label,
    number_text,
    statuses_text,
)
from actions.schemes_lookup import position_index, scheme_named_in
from actions.understanding.flow_guard import answer_instead
from actions.understanding.safety import route_typed_first
from knowledge.search import SchemeView, get_scheme
from knowledge.search.retriever import retrieve

ANSWER_SLOTS = (
    "elig_age",
    "elig_status",
    "elig_child_age",
    "elig_distance",
    "elig_income",
    "elig_other_1",
    "elig_other_2",
)


def condition_text(domain: DomainDict, scheme: SchemeView, key: str) -> str:
    """A condition in words: slot names are worded from the record, texts are kept."""
    conditions = scheme.conditions
    if key == "elig_age":
        return age_condition(domain, scheme) or key
    if key == "elig_status":
        return label(
            domain, "condition_statuses", statuses=statuses_text(domain, conditions.statuses)
        )
    if key == "elig_child_age":
        return label(domain, "condition_child_age_max", child_age_max=conditions.child_age_max)
    if key == "elig_distance" and conditions.distance_km_min is not None:
        return label(
            domain,
            "condition_distance_min",
            distance_km_min=number_text(conditions.distance_km_min),
        )
    income = conditions.monthly_income_max
    if key == "elig_income" and income is not None:
        return label(
            domain,
            "condition_income_max",
            income_max=number_text(income.value),
            basis=income.basis or income.unit,
        )
    return key


async def _scheme_to_check(tracker: Tracker) -> str | None:
    shown = list(tracker.get_slot("last_schemes") or [])
    ordinal = next(tracker.get_latest_entity_values("ordinal"), None)
    index = position_index(str(ordinal) if ordinal is not None else None, len(shown))
    if index is not None:
        return shown[index]
    named = next(tracker.get_latest_entity_values("scheme"), None)
    text = str(tracker.latest_message.get("text") or "")
    if named:
        found = await kb_call(scheme_named_in, str(named))
        if found:
            return found
    elif text and not text.startswith("/"):
        # Only a record the message names ("visale", "l'apl"): a loose match on any word
        # ("permis", "droit") picked an unrelated scheme to quiz the person on.
        retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
        if retrieval.named:
            return retrieval.named[0].id
    focus = tracker.get_slot("current_scheme")
    if focus:
        return str(focus)
    return shown[0] if len(shown) == 1 else None


class ActionStartEligibility(Action):
    """Pick the scheme, say what will happen, reset the answers; elig_ready starts the form."""

    def name(self) -> str:
        return "action_start_eligibility"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        routed = route_typed_first(dispatcher, tracker)
        if routed is not None:
            return [*routed, SlotSet("elig_ready", False)]
        scheme_id = await _scheme_to_check(tracker)
        scheme = await kb_call(get_scheme, scheme_id) if scheme_id else None
        if scheme is None and not tracker.get_slot("last_schemes"):
            # "j'y ai droit ?" about nothing shown yet: answer the question from the knowledge base.
            return [
                *await answer_instead(dispatcher, tracker, domain),
                SlotSet("elig_ready", False),
            ]
        if scheme is None:
            shown = list(tracker.get_slot("last_schemes") or [])
            buttons = await _which_buttons(shown)
            dispatcher.utter_message(response="utter_elig_which_scheme", buttons=buttons or None)
            return [SlotSet("elig_ready", False)]
        if scheme.status != "existing":
            dispatcher.utter_message(response="utter_elig_not_available", name=scheme.name)
            return [SlotSet("current_scheme", scheme.id), SlotSet("elig_ready", False)]
        plan = plan_for(scheme, known_facts(tracker))
        if not plan.to_ask:
            # Nothing to check, or everything already said: conclude at once.
            verdict = evaluate(scheme, plan, {}) if plan.slots else None
            answer = conclusion(domain, scheme, plan, verdict, _worded(domain, scheme, verdict))
            dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
            return [SlotSet("current_scheme", scheme.id), SlotSet("elig_ready", False)]
        dispatcher.utter_message(response="utter_elig_start", name=scheme.name)
        worded = plan.worded + [None, None]
        return [
            *(SlotSet(slot, None) for slot in ANSWER_SLOTS),
            SlotSet("elig_scheme", scheme.id),
            SlotSet("current_scheme", scheme.id),
            SlotSet("elig_status_label", statuses_text(domain, scheme.conditions.statuses)),
            SlotSet("elig_other_1_text", worded[0]),
            SlotSet("elig_other_2_text", worded[1]),
            SlotSet("elig_ready", True),
        ]


async def _which_buttons(shown: list[str]) -> list[dict[str, str]]:
    from actions.schemes_lookup import _names

    if len(shown) < 2:
        return []
    names = await kb_call(_names, shown)
    return [
        {"title": name, "payload": f'/check_eligibility{{"ordinal":"{position}"}}'}
        for position, name in enumerate(names, start=1)
    ]


def known_facts(tracker: Tracker) -> Known:
    """Age and status the person already gave: never asked again."""
    try:
        age = float(tracker.get_slot("age")) if tracker.get_slot("age") is not None else None
    except (TypeError, ValueError):
        age = None
    status = tracker.get_slot("user_status")
    return Known(age=age, status=str(status) if status else None)


def _worded(domain: DomainDict, scheme: SchemeView, verdict: Any) -> dict[str, str]:
    if verdict is None:
        return {}
    keys = list(verdict.missing) + list(verdict.unknown)
    return {key: condition_text(domain, scheme, key) for key in keys}


async def _plan(tracker: Tracker) -> tuple[SchemeView | None, Plan]:
    scheme_id = tracker.get_slot("elig_scheme")
    scheme = await kb_call(get_scheme, str(scheme_id)) if scheme_id else None
    return scheme, (plan_for(scheme, known_facts(tracker)) if scheme else Plan([]))


def _answer_validator(slot: str) -> Callable[..., Awaitable[dict[str, Any]]]:
    """The ``validate_<slot>`` method of one answer slot of the form."""

    async def validate(
        self: ValidateEligibilityForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> dict[str, Any]:
        return self._read(slot, value, dispatcher, tracker)

    validate.__name__ = f"validate_{slot}"
    return validate


class ValidateEligibilityForm(QuestionAwareForm):
    """Ask only the scheme's questions; read numbers and yes/no, re-ask politely otherwise."""

    def name(self) -> str:
        return "validate_eligibility_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        _, plan = await _plan(tracker)
        return [slot for slot in plan.to_ask if slot in domain_slots]

    def _read(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        if value is None:
            # The reset done by action_start_eligibility is validated too: nothing typed yet.
            return {}
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        text = str(value)
        if slot in YES_NO_SLOTS:
            answer = parse_yes_no(intent, text)
            invalid = "utter_elig_invalid_yes_no"
        else:
            answer = parse_number(slot, intent, text)
            invalid = "utter_elig_invalid_number"
        return checked(slot, answer, dispatcher, invalid, typed=text)

    # rasa-sdk finds a slot's validator by its name; every answer is read the same way.
    validate_elig_age = _answer_validator("elig_age")
    validate_elig_status = _answer_validator("elig_status")
    validate_elig_child_age = _answer_validator("elig_child_age")
    validate_elig_distance = _answer_validator("elig_distance")
    validate_elig_income = _answer_validator("elig_income")
    validate_elig_other_1 = _answer_validator("elig_other_1")
    validate_elig_other_2 = _answer_validator("elig_other_2")


class ActionEligibilityResult(Action):
    """ "Vous semblez remplir les conditions" or "il manque…", then unchecked, then next step."""

    def name(self) -> str:
        return "action_eligibility_result"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        scheme, plan = await _plan(tracker)
        if scheme is None:
            dispatcher.utter_message(response="utter_scheme_not_found")
            return []
        verdict = evaluate(scheme, plan, {slot: tracker.get_slot(slot) for slot in ANSWER_SLOTS})
        answer = conclusion(domain, scheme, plan, verdict, _worded(domain, scheme, verdict))
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
        return []
