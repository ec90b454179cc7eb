"""An employer's hiring question, or a young person looking for an employer?

"je cherche un patron pour mon alternance" and "c'est quoi le contrat d'apprentissage, je serai
payé combien" use an employer's words; the person is the one to be hired. Such messages get the
seeker's answer; a real employer gets the hiring introduction.
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call
from actions.understanding.answer import STRICT_MIN_SCORE, answer_need, is_about_the_person
from actions.understanding.question import asks_a_question
from actions.understanding.rank import is_employer_record
from actions.understanding.safety import route_typed_first
from actions.understanding.situation import Situation, read_situation
from knowledge.search.retriever import Retrieval, retrieve

SEEKER_STATUSES = frozenset({"apprentice", "student", "job_seeker", "young"})


def is_seeker(said: Situation, known: Situation) -> bool:
    """True when the person speaks as someone to be hired, not as an employer."""
    if said.is_employer:
        return False
    if said.seeker:
        return True
    return not known.is_employer and bool(SEEKER_STATUSES & set(said.statuses))


# An employer record ranked first with this score answers "c'est quoi les démarches pour
# embaucher un apprenti ?" (3.9); "comment recruter ?" or "je voudrais embaucher quelqu'un,
# comment faire ?" score under 3.7 on records of every kind, and get the hiring routes.
EMPLOYER_RECORD_MIN_SCORE = 3.75


async def asks_a_precise_question(tracker: Tracker) -> bool:
    """A seeker's question, or one the knowledge base clearly matches (not "how to recruit?")."""
    text = str(tracker.latest_message.get("text") or "")
    if text.startswith("/"):
        return False
    known = Situation.from_slot(tracker.get_slot("situation"))
    if is_seeker(read_situation(text), known):
        return True
    retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
    if is_about_the_person(retrieval, read_situation(text)):
        return True
    top = retrieval.hits[0] if retrieval.hits else None
    return (
        top is not None
        and asks_a_question(text)
        and top.score >= EMPLOYER_RECORD_MIN_SCORE
        and is_employer_record(top.scheme)
    )


def _strong(retrieval: Retrieval) -> bool:
    return bool(retrieval.named) or retrieval.top_score >= STRICT_MIN_SCORE


class ActionEmployerOrSeeker(Action):
    def name(self) -> str:
        return "action_employer_or_seeker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        routed = route_typed_first(dispatcher, tracker)
        if routed is not None:
            return routed
        text = str(tracker.latest_message.get("text") or "")
        known = Situation.from_slot(tracker.get_slot("situation"))
        said = read_situation(text)
        # One retrieval for both checks below (answer_need retrieves again with the place said).
        retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
        # Nothing says the person hires ("j'ai trouvé une saison à Agde, un logement ?"), and
        # the knowledge base matches strongly: the NLU's employer guess is wrong.
        strong = not (said.is_employer or known.is_employer) and _strong(retrieval)
        if strong or is_seeker(said, known):
            answered = await answer_need(
                dispatcher, tracker, domain, may_ask_place=False, is_question=strong
            )
            if answered is not None:
                return answered
        elif asks_a_question(text) and is_about_the_person(retrieval, said):
            # An employer's precise question ("320 salariés, l'aide aux apprentis ?"): the
            # answer, ranked for an employer, before the recruiting menu.
            answered = await answer_need(
                dispatcher, tracker, domain, may_ask_place=False, is_question=True
            )
            if answered is not None:
                return answered
        dispatcher.utter_message(response="utter_employer_intro")
        return []
