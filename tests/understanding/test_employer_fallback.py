"""An employer the NLU could not place gets the employer's answer or the recruiting menu, not
"je n'ai pas compris" (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify, ActionOutOfScope
from actions.understanding.situation import read_situation
from tests.factories import make_tracker, user_event

NOT_UNDERSTOOD = {
    "utter_default",
    "utter_clarify_topics",
    "utter_clarify_no_guess",
    "utter_handoff_after_misunderstanding",
    "utter_out_of_scope",
}
EMPLOYER_PROBLEMS = [
    "nos saisonnières partent toutes en juillet, comment les retenir ?",
    "j'ai deux apprentis en cap mais plus de tuteur dispo, on fait quoi ?",
    "aucun candidat pour notre poste de boucher depuis des mois",
    "je cherche deux manutentionnaires pour notre entrepôt de Vierzon",
]


@pytest.mark.parametrize("message", EMPLOYER_PROBLEMS)
def test_an_employer_s_problem_is_read_as_an_employer_s(message: str) -> None:
    assert read_situation(message).is_employer


@pytest.mark.parametrize("action", [ActionClarify(), ActionOutOfScope()])
@pytest.mark.parametrize("message", EMPLOYER_PROBLEMS)
async def test_an_employer_misunderstood_by_the_nlu_gets_an_employer_s_answer(
    real_kb_url: str, domain: dict[str, Any], action: Any, message: str
) -> None:
    dispatcher = CollectingDispatcher()
    intent = "nlu_fallback" if isinstance(action, ActionClarify) else "out_of_scope"
    tracker = make_tracker(events=[user_event(intent, message, 0.4)])
    await action.run(dispatcher, tracker, domain)
    responses = {m.get("response") for m in dispatcher.messages}
    assert not responses & NOT_UNDERSTOOD
    assert "utter_employer_intro" in responses or dispatcher.messages[0].get("text")


async def test_a_post_to_fill_gets_the_recruiting_menu_even_when_a_job_word_is_a_record(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    text = "je cherche un cariste pour notre entrepôt, cdi"
    tracker = make_tracker(events=[user_event("nlu_fallback", text, 0.3)])
    await ActionClarify().run(dispatcher, tracker, domain)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_employer_intro"]


async def test_hiring_words_from_someone_who_said_they_hire_stay_an_employer_s(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(
        events=[
            user_event("employer_hiring", "je tiens une fromagerie à Rodez"),
            user_event("nlu_fallback", "et si je le prends en cdd d'abord ?", 0.3),
        ],
        slots={"situation": {"statuses": ["employer"], "employer": True, "seeker": False}},
    )
    await ActionClarify().run(dispatcher, tracker, domain)
    responses = {m.get("response") for m in dispatcher.messages}
    assert not responses & NOT_UNDERSTOOD


async def test_an_employer_s_emergency_still_gets_the_numbers(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    text = "un de mes ouvriers a fait une chute, il respire plus"
    tracker = make_tracker(events=[user_event("nlu_fallback", text, 0.3)])
    await ActionClarify().run(dispatcher, tracker, domain)
    assert "112" in str(dispatcher.messages[0].get("text"))


async def test_someone_who_does_not_hire_is_still_clarified(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("nlu_fallback", "quelle heure est-il à Tokyo", 0.3)])
    await ActionClarify().run(dispatcher, tracker, domain)
    assert "utter_employer_intro" not in [m.get("response") for m in dispatcher.messages]
