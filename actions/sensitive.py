"""Sensitive situations: after the emergency or rights contact, hand off if the person agrees."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.handoff import stop_any_form, summary_of
from actions.kb import kb_call
from actions.understanding.answer import STRICT_MIN_SCORE, answer_need, is_clear_match
from actions.understanding.situation import read_situation
from knowledge.search.retriever import retrieve

REASON_SENSITIVE = "sensitive"
SENSITIVE_INTENTS = ("report_work_problem", "report_violence", "report_no_housing")


def last_sensitive_intent(tracker: Tracker) -> str | None:
    """The situation the person reported last (a machine code for the adviser's context)."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            name = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if name in SENSITIVE_INTENTS:
                return str(name)
    return None


class ActionSensitiveHandoff(Action):
    """The person accepted an adviser after reporting a sensitive situation."""

    def name(self) -> str:
        return "action_sensitive_handoff"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_handoff_requested")
        # The adviser reads the person's own words, not an intent name.
        handoff = {"reason": REASON_SENSITIVE, "summary": summary_of(tracker)}
        dispatcher.utter_message(json_message={"handoff": handoff})
        # Leave any open form, or its question would come back after the hand-off message.
        return stop_any_form(tracker)


class ActionWorkProblem(Action):
    """A problem at work: the records that fit first ("mon patron veut rompre mon contrat
    d'apprentissage" gets the rules of the break and the months at the CFA), then the labour-law
    contact and the offer of an adviser, always."""

    def name(self) -> str:
        return "action_work_problem"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        text = str(tracker.latest_message.get("text") or "")
        retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
        said = read_situation(text)
        # Only a clear match, or a strong one for a person who said who they are: "je me suis
        # fait virer" alone must not get an apprentice's record.
        fits = is_clear_match(retrieval) or (
            bool(said.statuses) and retrieval.top_score >= STRICT_MIN_SCORE
        )
        events: list[EventType] = []
        if fits:
            answered = await answer_need(
                dispatcher, tracker, domain, may_ask_place=False, is_question=True
            )
            if answered is not None and any(e.get("event") == "followup" for e in answered):
                return answered  # an emergency or a request for a person came first
            # needs_place shapes the dialogue after a scheme answer; here the adviser offer
            # follows, as in the stories, whatever the answer set.
            events = [e for e in answered or [] if e.get("name") != "needs_place"]
        dispatcher.utter_message(response="utter_sensitive_work_problem")
        return events
