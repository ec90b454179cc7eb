"""Lane b: a question asked while a form waits for an answer is not taken as the answer.

A question the NLU is sure of rejects the form, so that the rule for that question answers and
the form asks again; a text that only looks like a question gets a clear re-ask. Real answers,
even with a topic word or a question mark, still fill the slot.
"""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecutionRejected, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility import ValidateEligibilityForm
from actions.forms import looks_like_question
from actions.hiring_lead import ValidateHiringLeadForm
from actions.newcomers import ValidateWelcomeKitForm
from actions.spouse_cv import ValidateSpouseCvForm
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

HIRING = ValidateHiringLeadForm()
KIT = ValidateWelcomeKitForm()
NOT_AN_ANSWER = "utter_form_question_not_answer"


def _answering(form: str, slot: str, text: str, intent: str, confidence: float = 0.9) -> Tracker:
    """The tracker a form's validation gets: the message, then the slot taken from its text."""
    return make_tracker(
        slots={"requested_slot": slot, slot: text},
        events=[
            user_event(intent, text, confidence=confidence),
            {"event": "slot", "name": slot, "value": text},
        ],
        active_loop={"name": form},
    )


@pytest.mark.parametrize(
    ("slot", "text", "intent"),
    [
        ("lead_company", "c'est quoi un GEIQ ?", "ask_geiq"),
        ("lead_company", "combien ça coûte ?", "ask_geiq"),
        ("lead_siret", "pourquoi vous demandez mon siret", "out_of_scope"),
        ("lead_job", "tu es un robot", "bot_challenge"),
        ("lead_sector", "c'est quoi les aides au transport ?", "ask_mobility"),
    ],
)
async def test_a_question_in_the_hiring_form_rejects_the_form_so_its_rule_answers(
    slot: str, text: str, intent: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await HIRING.run(
        dispatcher, _answering("hiring_lead_form", slot, text, intent), domain
    )
    assert events == [SlotSet(slot, None), ActionExecutionRejected("hiring_lead_form")]
    assert dispatcher.messages == []


async def test_a_topic_question_in_the_kit_form_rejects_the_form(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "c'est quoi les aides au logement ?"
    tracker = _answering("welcome_kit_form", "kit_needs", text, "ask_housing")
    events = await KIT.run(dispatcher, tracker, domain)
    assert events == [SlotSet("kit_needs", None), ActionExecutionRejected("welcome_kit_form")]


async def test_a_question_in_the_eligibility_and_spouse_forms_rejects_them(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = _answering("eligibility_form", "elig_age", "c'est quoi un GEIQ ?", "ask_geiq")
    events = await ValidateEligibilityForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("elig_age", None), ActionExecutionRejected("eligibility_form")]
    tracker = _answering("spouse_cv_form", "spouse_job", "tu es un robot ?", "bot_challenge")
    events = await ValidateSpouseCvForm().run(dispatcher, tracker, domain)
    assert events == [SlotSet("spouse_job", None), ActionExecutionRejected("spouse_cv_form")]


@pytest.mark.parametrize(
    ("form", "slot", "text", "intent", "confidence", "expected"),
    [
        # A topic word is an answer here, not a question about the topic.
        ("lead", "lead_company", "Transports Dupont", "ask_mobility", 0.95, "Transports Dupont"),
        ("lead", "lead_sector", "transport", "ask_mobility", 0.95, "transport"),
        ("kit", "kit_needs", "logement ?", "ask_housing", 0.9, "housing"),
        # The NLU is not sure enough that it was a question.
        ("lead", "lead_job", "cariste", "ask_geiq", 0.5, "cariste"),
        ("lead", "lead_company", "Boulangerie Martin", "inform", 0.9, "Boulangerie Martin"),
    ],
)
async def test_real_answers_still_fill_the_slot(
    form: str, slot: str, text: str, intent: str, confidence: float, expected: str,
    dispatcher: CollectingDispatcher, domain: dict[str, Any],
) -> None:  # fmt: skip
    action = HIRING if form == "lead" else KIT
    tracker = _answering(action.form_name(), slot, text, intent, confidence)
    events = await action.run(dispatcher, tracker, domain)
    assert events == [SlotSet(slot, expected)]
    assert dispatcher.messages == []


async def test_a_slot_prefilled_from_the_first_message_is_not_rejected(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    # The value was taken from an entity, not from the whole text typed as the answer.
    tracker = make_tracker(
        slots={"requested_slot": "lead_job", "lead_job": "caristes"},
        events=[
            user_event("ask_geiq", "un GEIQ pour recruter des caristes ?"),
            {"event": "slot", "name": "lead_job", "value": "caristes"},
        ],
        active_loop={"name": "hiring_lead_form"},
    )
    assert await HIRING.run(dispatcher, tracker, domain) == [SlotSet("lead_job", "caristes")]


@pytest.mark.parametrize(
    ("slot", "text"),
    [
        ("lead_company", "c'est quoi un GEIQ ?"),
        ("lead_sector", "pourquoi vous demandez ça"),
        ("lead_job", "vous prenez combien ?"),
        ("lead_siret", "pourquoi vous demandez mon siret"),
        ("lead_positions", "combien ça coûte ?"),
    ],
)
def test_a_text_that_looks_like_a_question_is_not_taken_as_the_answer(
    slot: str, text: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    # The NLU did not recognise the question: the form says so, then asks again.
    tracker = make_tracker(events=[user_event("inform", text, confidence=0.4)])
    assert getattr(HIRING, f"validate_{slot}")(text, dispatcher, tracker, domain) == {slot: None}
    assert uttered(dispatcher) == [NOT_AN_ANSWER]


def test_a_yes_no_answer_that_is_a_question_gets_the_question_reask(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(events=[user_event("inform", "pourquoi vous demandez ça ?")])
    assert KIT.validate_kit_spouse("pourquoi vous demandez ça ?", dispatcher, tracker, domain) == {
        "kit_spouse": None
    }
    assert uttered(dispatcher) == [NOT_AN_ANSWER]


async def test_eligibility_question_gets_the_question_reask(
    dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    text = "pourquoi vous demandez mon âge ?"
    tracker = make_tracker(events=[user_event("inform", text, confidence=0.5)])
    result = await ValidateEligibilityForm().validate_elig_age(text, dispatcher, tracker, domain)
    assert result == {"elig_age": None}
    assert uttered(dispatcher) == [NOT_AN_ANSWER]


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("c'est quoi un GEIQ ?", True),
        ("Qu'est-ce que c'est", True),
        ("combien ça coûte", True),
        ("et pourquoi mon siret", True),
        ("Boulangerie Martin", False),
        ("cariste", False),
        ("Comptabilité", False),
        ("Quincaillerie du centre", False),
    ],
)
def test_questions_are_told_by_their_form(text: str, question: bool) -> None:
    assert looks_like_question(text) is question
