"""Forms start only when the person asks for them.

The NLU reads "on arrive à Carhaix, il y a une crèche ?" as a welcome-kit request and "ma femme
cherche du travail, vous avez quoi ?" as the spouse CV bank, and their rules start a form at once.
The form's first action asks here: a message without the words of a move (or of a CV for the
spouse) is answered as a question instead, and the form does not start.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, FollowupAction
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.kb import kb_call
from actions.understanding.answer import STRICT_MIN_SCORE, answer_need
from actions.understanding.job_search import spouse_seeks_own_work
from actions.understanding.question import asks_a_question
from actions.understanding.situation import cue
from knowledge.search.retriever import retrieve
from knowledge.text import normalise, tokens

SPOUSE_CV_CUES = re.compile(r"\b(cv|cvtheque|profil|candidature|deposer|inscrire (mon|ma))\b")
SPOUSE = re.compile(
    r"\b(mon (mari|conjoint|compagnon|copain|epoux)|ma (femme|conjointe|compagne|copine|epouse))\b"
)
WORK = re.compile(r"\b(travail|emploi|boulot|job|taf|taff|poste|cherche du|recherche d)\b")


def is_payload(text: str) -> bool:
    return text.startswith("/")


def wants_welcome_kit(text: str) -> bool:
    return is_payload(text) or bool(cue("move").search(normalise(text)))


def wants_spouse_cv(text: str) -> bool:
    plain = normalise(text)
    spouse_work = bool(SPOUSE.search(plain) and WORK.search(plain))
    own_work = spouse_seeks_own_work(text)
    return is_payload(text) or spouse_work or own_work or bool(SPOUSE_CV_CUES.search(plain))


async def answer_instead(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """Answer the message as a question and stop the form from starting."""
    answered = await answer_need(dispatcher, tracker, domain, may_ask_place=False, is_question=True)
    if answered is None:
        dispatcher.utter_message(response="utter_no_topic_yet")
        answered = []
    return [*answered, FollowupAction("action_listen")]


async def answer_before_the_kit(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> tuple[list[EventType], bool]:
    """A newcomer's precise question ("il me faut une crèche, par où commencer ?") is answered
    before the kit's questions. Returns the answer's events and whether the kit may start
    (not after an emergency or a request for a person)."""
    text = str(tracker.latest_message.get("text") or "")
    if is_payload(text) or not asks_a_question(text):
        return [], True
    retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
    # The message is a newcomer's for sure (the NLU and the move's words agree): a strong match
    # suffices, whatever the length of the message.
    if not (retrieval.named or retrieval.top_score >= STRICT_MIN_SCORE):
        return [], True
    answered = await answer_need(dispatcher, tracker, domain, may_ask_place=False, is_question=True)
    if answered is None:
        return [], True
    if any(event.get("event") == "followup" for event in answered):
        return answered, False
    return answered, True


# A question typed instead of a form's answer ("et pour les enfants, y a des crèches ?") is
# answered when the knowledge base matches it this well per word; the form then asks again.
IN_FORM_MIN_SCORE = 4.0
IN_FORM_MIN_PER_WORD = 1.3


async def answer_inside_a_form(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """The answer to a question asked in the middle of a form, or None to let the form say
    it has no answer ready. Never leaves the form (no follow-up action, no place question)."""
    text = str(tracker.latest_message.get("text") or "")
    if len(tokens(text)) < 2:
        # "Rumilly ?", "logement ?": an answer typed with doubt, for the form to read.
        return None
    try:
        retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
    except SQLAlchemyError:
        # Without the knowledge base the form still goes on: it reads the message as usual.
        return None
    words = max(1, len(retrieval.query_words))
    strong = (
        retrieval.top_score >= IN_FORM_MIN_SCORE
        and retrieval.top_score / words >= IN_FORM_MIN_PER_WORD
    )
    if not (retrieval.named or strong):
        return None
    answered = await answer_need(dispatcher, tracker, domain, may_ask_place=False, is_question=True)
    if answered is None:
        return None
    return [e for e in answered if e.get("event") != "followup" and e.get("name") != "needs_place"]
