"""Eligibility actions: start, form validation (dynamic questions), conclusion."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.eligibility import (
    ActionEligibilityResult,
    ActionStartEligibility,
    ValidateEligibilityForm,
)
from tests.conftest import uttered
from tests.factories import make_tracker, user_event

FORM = {"name": "eligibility_form"}


def slot_events(events: list[dict[str, Any]]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


async def start(
    domain: dict[str, Any],
    text: str = "suis-je éligible ?",
    *,
    entities: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
) -> tuple[CollectingDispatcher, dict[str, Any]]:
    tracker = make_tracker(
        slots=slots, events=[user_event("check_eligibility", text, entities=entities)]
    )
    dispatcher = CollectingDispatcher()
    events = await ActionStartEligibility().run(dispatcher, tracker, domain)
    return dispatcher, slot_events(events)


async def test_start_for_the_scheme_in_focus(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, slots = await start(
        domain, "/check_eligibility", slots={"current_scheme": "mobili-jeune"}
    )
    assert slots["elig_ready"] is True
    assert slots["elig_scheme"] == "mobili-jeune"
    assert slots["elig_age"] is None and slots["elig_other_1"] is None
    assert slots["elig_status_label"] == "apprenti ou alternant"
    assert slots["elig_other_1_text"] == "Être employé par une entreprise publique."
    assert uttered(dispatcher) == ["utter_elig_start"]


async def test_everything_said_already_concludes_at_once(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    # A 19-year-old apprentice: age and status are known, only the worded condition is left.
    _, slots = await start(
        domain,
        "/check_eligibility",
        slots={"current_scheme": "mobili-jeune", "age": 19.0, "user_status": "apprentice"},
    )
    assert slots["elig_ready"] is True
    form = ValidateEligibilityForm()
    tracker = make_tracker(
        slots={"elig_scheme": "mobili-jeune", "age": 19.0, "user_status": "apprentice"},
        active_loop=FORM,
    )
    required = await form.required_slots(
        list(domain["forms"]["eligibility_form"]["required_slots"]),
        CollectingDispatcher(),
        tracker,
        domain,
    )
    assert required == ["elig_other_1"]


async def test_a_scheme_with_nothing_left_to_ask_concludes_in_one_message(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await start(
        domain,
        "/check_eligibility",
        slots={"current_scheme": "aide-mobilite-france-travail", "user_status": "job_seeker"},
    )
    if slots["elig_ready"]:
        return  # the record has worded conditions to ask: covered by the test above
    assert len(dispatcher.messages) == 1
    assert "Prochaine étape" in dispatcher.messages[0]["text"]


async def test_start_for_a_scheme_named_with_a_typo(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    _, slots = await start(domain, "j'ai droit a l'agepi ?")
    assert slots["elig_scheme"] == "agepi"


async def test_start_by_position(schemes_kb: str, domain: dict[str, Any]) -> None:
    _, slots = await start(
        domain,
        "/check_eligibility",
        entities=[{"entity": "ordinal", "value": "2"}],
        slots={"last_schemes": ["aide-permis-france-travail", "permis-apprenti-500"]},
    )
    assert slots["elig_scheme"] == "permis-apprenti-500"


async def test_start_without_a_scheme_asks_which(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, slots = await start(
        domain, "/check_eligibility", slots={"last_schemes": ["agepi", "mobili-jeune"]}
    )
    assert slots == {"elig_ready": False}
    message = dispatcher.messages[0]
    assert message["response"] == "utter_elig_which_scheme"
    assert message["buttons"][1]["payload"] == '/check_eligibility{"ordinal":"2"}'


async def test_start_for_a_proposal_says_it_is_not_available(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await start(
        domain, "/check_eligibility", slots={"current_scheme": "garages-solidaires-mel-proposition"}
    )
    assert slots["elig_ready"] is False
    assert uttered(dispatcher) == ["utter_elig_not_available"]


async def test_required_slots_follow_the_record(schemes_kb: str, domain: dict[str, Any]) -> None:
    form = ValidateEligibilityForm()
    tracker = make_tracker(slots={"elig_scheme": "aide-mobilite-france-travail"}, active_loop=FORM)
    required = await form.required_slots(
        list(domain["forms"]["eligibility_form"]["required_slots"]),
        CollectingDispatcher(),
        tracker,
        domain,
    )
    assert required[0] == "elig_status"
    assert "elig_age" not in required and "elig_child_age" not in required


async def validate_answer(
    domain: dict[str, Any],
    scheme: str,
    requested: str,
    intent: str,
    text: str,
    filled: dict[str, Any] | None = None,
) -> tuple[CollectingDispatcher, dict[str, Any]]:
    slots = {"elig_scheme": scheme, "requested_slot": requested, **(filled or {})}
    tracker = make_tracker(slots=slots, events=[user_event(intent, text)], active_loop=FORM)
    # The slot extracted by Rasa's from_text mapping arrives as the latest slot event.
    tracker.events.append({"event": "slot", "name": requested, "value": text})
    tracker.slots[requested] = text
    dispatcher = CollectingDispatcher()
    events = await ValidateEligibilityForm().run(dispatcher, tracker, domain)
    return dispatcher, slot_events(events)


async def test_a_valid_age_moves_to_the_next_question(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher, slots = await validate_answer(
        domain, "mobili-jeune", "elig_age", "inform", "j'ai 19 ans"
    )
    assert slots["elig_age"] == "19"
    assert slots["requested_slot"] == "elig_status"
    assert dispatcher.messages == []


async def test_a_wrong_age_is_asked_again(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, slots = await validate_answer(
        domain, "mobili-jeune", "elig_age", "nlu_fallback", "vieux"
    )
    assert slots["elig_age"] is None
    assert slots["requested_slot"] == "elig_age"
    assert uttered(dispatcher) == ["utter_elig_invalid_number"]


async def test_a_wrong_yes_no_is_asked_again(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher, slots = await validate_answer(
        domain, "validation-acquis-experience", "elig_other_1", "inform", "peut-être"
    )
    assert slots["elig_other_1"] is None
    assert uttered(dispatcher) == ["utter_elig_invalid_yes_no"]


async def test_dont_know_is_an_answer(schemes_kb: str, domain: dict[str, Any]) -> None:
    _, slots = await validate_answer(
        domain, "agepi", "elig_child_age", "dont_know", "je sais pas", filled={"elig_status": "yes"}
    )
    assert slots["elig_child_age"] == "unknown"
    assert slots["requested_slot"] == "elig_other_1"


async def test_last_answer_ends_the_form(schemes_kb: str, domain: dict[str, Any]) -> None:
    # VAE asks one question (experience); the RNCP rule is reported, not asked.
    _, slots = await validate_answer(
        domain, "validation-acquis-experience", "elig_other_1", "affirm", "oui"
    )
    assert slots["elig_other_1"] == "yes"
    assert slots["requested_slot"] is None


async def conclude(
    domain: dict[str, Any], scheme: str, answers: dict[str, Any]
) -> CollectingDispatcher:
    tracker = make_tracker(slots={"elig_scheme": scheme, **answers})
    dispatcher = CollectingDispatcher()
    await ActionEligibilityResult().run(dispatcher, tracker, domain)
    return dispatcher


async def test_all_checked_conditions_met(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher = await conclude(
        domain,
        "permis-apprenti-500",
        {"elig_age": "19", "elig_status": "yes", "elig_other_1": "yes"},
    )
    # One message: verdict, amount, what remains, next step, buttons.
    assert len(dispatcher.messages) == 1
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Vous semblez remplir les conditions vérifiées pour **")
    assert "Montant indiqué par la source : 500 €" in text
    assert "Reste à vérifier par l'organisme :\n- Une seule aide par apprenti." in text
    assert "Prochaine étape : " in text and "CFA" in text
    assert dispatcher.messages[0]["buttons"]
    assert "\n\n" not in text  # Rasa would cut the message there


async def test_missing_conditions_are_named(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher = await conclude(
        domain, "mobili-jeune", {"elig_age": "32", "elig_status": "yes", "elig_other_1": "no"}
    )
    text = dispatcher.messages[0]["text"]
    assert "il manque :" in text and "29" in text
    assert "Montant" not in text
    assert len(dispatcher.messages) == 1


async def test_unknown_answers_are_listed(schemes_kb: str, domain: dict[str, Any]) -> None:
    dispatcher = await conclude(
        domain,
        "agepi",
        {
            "elig_status": "yes",
            "elig_child_age": "unknown",
            "elig_other_1": "yes",
            "elig_other_2": "yes",
        },
    )
    text = dispatcher.messages[0]["text"]
    assert text.startswith("Je n'ai pas pu vérifier, faute de réponse :")
    assert "11" in text
    assert "Prochaine étape : " in text


async def test_checked_conditions_are_never_listed_as_not_checked(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher = await conclude(
        domain, "mobili-jeune", {"elig_age": "19", "elig_status": "yes", "elig_other_1": "no"}
    )
    text = dispatcher.messages[0]["text"]
    assert "Avoir moins de 30 ans" not in text
    assert "Ne pas" not in text


async def test_a_rule_about_the_aid_is_reported_not_asked(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    dispatcher = await conclude(domain, "validation-acquis-experience", {"elig_other_1": "yes"})
    text = dispatcher.messages[0]["text"]
    assert "Reste à vérifier par l'organisme :\n- La certification doit être inscrite" in text
    assert "Prochaine étape : " in text


async def test_nothing_left_unchecked_still_says_who_decides(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    answers = {
        "elig_status": "yes",
        "elig_child_age": "3",
        "elig_other_1": "yes",
        "elig_other_2": "yes",
    }
    dispatcher = await conclude(domain, "agepi", answers)
    text = dispatcher.messages[0]["text"]
    assert "Seul l'organisme qui gère l'aide peut confirmer votre droit." in text
    assert "Reste à vérifier" not in text


async def test_the_reset_at_start_is_not_read_as_a_wrong_answer(
    schemes_kb: str, domain: dict[str, Any]
) -> None:
    tracker = make_tracker(
        slots={"elig_scheme": "mobili-jeune", "elig_age": None},
        events=[
            user_event("check_eligibility", "suis-je éligible"),
            {"event": "slot", "name": "elig_age", "value": None},
        ],
        active_loop=FORM,
    )
    dispatcher = CollectingDispatcher()
    events = await ValidateEligibilityForm().run(dispatcher, tracker, domain)
    assert dispatcher.messages == []
    assert slot_events(events)["requested_slot"] == "elig_age"
