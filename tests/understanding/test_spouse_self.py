"""A newcomer's partner writing about her own job search reaches the spouse CV bank (issue 11)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from actions.fallback import ActionClarify
from actions.newcomers import ActionPrefillWelcomeKit
from actions.offers import ActionSearchOffers
from actions.schemes import ActionSearchSchemes
from actions.spouse_cv import ActionPrefillSpouseCv
from actions.understanding.employer_guard import ActionEmployerOrSeeker
from actions.understanding.job_search import spouse_seeks_own_work
from tests.factories import make_tracker, user_event

TO_SPOUSE_CV = {"event": "followup", "timestamp": None, "name": "action_prefill_spouse_cv"}
TO_THE_FORM = {"event": "followup", "timestamp": None, "name": "spouse_cv_form"}

PARTNERS_OWN_SEARCH = [
    "je suis la compagne d'un technicien embauché à Annecy, on s'installe cet été et je "
    "recherche un emploi de vendeuse, je peux laisser mon CV ?",
    "mon mari démarre à la SNCF de Tours en avril, moi je cherche du travail dans l'hôtellerie",
    "mon conjoint a été nommé à Metz, je voudrais un poste de secrétaire là-bas",
]


@pytest.mark.parametrize("message", PARTNERS_OWN_SEARCH)
def test_a_partner_looking_for_her_own_job_is_recognised(message: str) -> None:
    assert spouse_seeks_own_work(message)


@pytest.mark.parametrize(
    "message",
    [
        # The worker speaks of the partner's search: the spouse CV path as before, not this one.
        "ma femme cherche du travail à Quimper",
        # A rights question, answered by the records (resigning to follow a partner).
        "mon compagnon a été muté à Lille, je démissionne pour le suivre, je toucherai le chômage ?",
        "je cherche du boulot de serveur vers Biarritz",
    ],
)
def test_other_job_searches_are_not_the_partner_s_own(message: str) -> None:
    assert not spouse_seeks_own_work(message)


@pytest.mark.parametrize(
    ("action", "intent"),
    [
        (ActionPrefillWelcomeKit(), "newcomer_kit"),
        (ActionSearchOffers(), "search_offers"),
        (ActionSearchSchemes(), "ask_help_generic"),
        (ActionClarify(), "nlu_fallback"),
        (ActionEmployerOrSeeker(), "employer_hiring"),
    ],
)
@pytest.mark.parametrize("message", PARTNERS_OWN_SEARCH)
async def test_whatever_the_intent_the_partner_reaches_the_spouse_cv_bank(
    real_kb_url: str, domain: dict[str, Any], action: Action, intent: str, message: str
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event(intent, message, 0.6)])
    events = await action.run(dispatcher, tracker, domain)
    assert TO_SPOUSE_CV in events
    # Neither the kit, nor a list of schemes, nor offers before the spouse CV bank.
    assert dispatcher.messages == []


async def test_the_spouse_cv_bank_reached_from_another_area_starts_its_form(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("newcomer_kit", PARTNERS_OWN_SEARCH[0])])
    events = await ActionPrefillSpouseCv().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0].get("response") == "utter_spouse_start"
    # Told that the profile is hers, since the questions say "votre conjoint".
    assert "vous-même" in str(dispatcher.messages[1].get("text"))
    assert events[-1] == TO_THE_FORM


async def test_the_spouse_cv_intent_leaves_the_form_to_its_rule(
    real_kb_url: str, domain: dict[str, Any]
) -> None:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(events=[user_event("spouse_cv", PARTNERS_OWN_SEARCH[1])])
    events = await ActionPrefillSpouseCv().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0].get("response") == "utter_spouse_start"
    assert TO_THE_FORM not in events
