"""An employer's hiring question, or a young person looking for an employer?

"je cherche un patron pour mon alternance" and "c'est quoi le contrat d'apprentissage, je serai
payé combien" use an employer's words; the person is the one to be hired. Such messages get the
seeker's answer; a real employer gets the hiring introduction. An employer's message the NLU
could not place at all ("mes gars partent tous au bout de deux mois") is answered here too,
rather than with "je n'ai pas compris" (``employer_instead``, called by the fallback actions).
"""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.exc import SQLAlchemyError

from actions.kb import kb_call
from actions.understanding.answer import STRICT_MIN_SCORE, answer_need, is_about_the_person
from actions.understanding.job_search import OFFERS_ACTION
from actions.understanding.question import asks_a_question
from actions.understanding.rank import is_employer_record
from actions.understanding.safety import route_typed_first
from actions.understanding.situation import Situation, cue, read_situation
from knowledge.search.retriever import Retrieval, retrieve
from knowledge.text import normalise

SEEKER_STATUSES = frozenset({"apprentice", "student", "job_seeker", "young"})


def is_seeker(said: Situation, known: Situation) -> bool:
    """True when the person speaks as someone to be hired, not as an employer.

    What an earlier message said carries over: after "jcherche du taf", "et dans le btp ?" is
    still a seeker's, whatever intent the NLU chose.
    """
    if said.is_employer:
        return False
    if said.seeker:
        return True
    if known.is_employer:
        return False
    return known.seeker or bool(SEEKER_STATUSES & {*said.statuses, *known.statuses})


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


def _employer_record_matches(retrieval: Retrieval) -> bool:
    top = retrieval.hits[0] if retrieval.hits else None
    return (
        top is not None
        and top.score >= EMPLOYER_RECORD_MIN_SCORE
        and is_employer_record(top.scheme)
    )


def speaks_as_employer(text: str, known: Situation) -> bool:
    """This message is an employer's: its own words, or hiring words from someone who said
    before that they hire ("je tiens un garage" then "le gars en essai ne vient plus")."""
    said = read_situation(text)
    if said.is_employer:
        return True
    hiring = bool(cue("hiring").search(normalise(text)))
    return known.is_employer and hiring and not said.seeker


async def answer_employer(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """An employer's answer: the records for a precise question, else the recruiting menu."""
    text = str(tracker.latest_message.get("text") or "")
    known = Situation.from_slot(tracker.get_slot("situation"))
    said = read_situation(text)
    # One retrieval for both checks below (answer_need retrieves again with the place said).
    retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
    # Nothing says the person hires ("j'ai trouvé une saison à Agde, un logement ?"), and
    # the knowledge base matches strongly: the NLU's employer guess is wrong.
    strong = not (said.is_employer or known.is_employer) and _strong(retrieval)
    seeker = is_seeker(said, known)
    if strong or seeker:
        answered = await answer_need(
            dispatcher, tracker, domain, may_ask_place=False, is_question=strong
        )
        if answered is not None:
            return answered
        if seeker:
            # A seeker's words about hiring that no record answers ("et plutôt dans la grande
            # distribution ?"): what they look for is a job, so the offer search.
            facts = SlotSet("situation", known.merged(said).to_slot())
            return [facts, FollowupAction(OFFERS_ACTION)]
    elif asks_a_question(text) and (
        is_about_the_person(retrieval, said) or _employer_record_matches(retrieval)
    ):
        # An employer's precise question ("320 salariés, l'aide aux apprentis ?"): the
        # answer, ranked for an employer, before the recruiting menu.
        answered = await answer_need(
            dispatcher, tracker, domain, may_ask_place=False, is_question=True
        )
        if answered is not None:
            return answered
    dispatcher.utter_message(response="utter_employer_intro")
    # Kept for the next messages: "et pour un cdd ?" is still an employer's.
    return [SlotSet("situation", known.merged(said).to_slot())]


async def employer_instead(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType] | None:
    """An employer's message the NLU could not place ("mes gars partent tous au bout de deux
    mois, je fais comment ?"): the employer's answer or the recruiting menu, not "je n'ai pas
    compris". None for anyone else."""
    text = str(tracker.latest_message.get("text") or "")
    known = Situation.from_slot(tracker.get_slot("situation"))
    if not text or text.startswith("/") or not speaks_as_employer(text, known):
        return None
    routed = route_typed_first(dispatcher, tracker)
    if routed is not None:
        # "un de mes gars est tombé, il bouge plus": the emergency numbers, not the menu.
        return routed
    try:
        return await answer_employer(dispatcher, tracker, domain)
    except SQLAlchemyError:
        # Without the knowledge base the recruiting menu still stands.
        dispatcher.utter_message(response="utter_employer_intro")
        return []


class ActionEmployerOrSeeker(Action):
    def name(self) -> str:
        return "action_employer_or_seeker"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        routed = route_typed_first(dispatcher, tracker)
        if routed is not None:
            return routed
        return await answer_employer(dispatcher, tracker, domain)
