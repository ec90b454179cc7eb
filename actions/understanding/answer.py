"""Answer first: the records that fit the person now, then what would add local options.

Every content message goes through ``answer_need``: the knowledge base ranks its records for
the person's own words (``knowledge.search.retriever``), the situation said so far re-ranks
them (``rank``), and the answer gives national records at once. The commune is asked only
after an answer, and only when local records exist on the subject.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call, resolve_commune_in_message
from actions.schemes_cards import render_answer, render_details
from actions.schemes_topics import INTENT_TOPICS, TOPIC_THEMES
from actions.understanding.facets import asks_about_one, facet_of, render_facet
from actions.understanding.listing import utter_list
from actions.understanding.need import Need
from actions.understanding.rank import Ranked, rank
from actions.understanding.reasons import reasons_by_scheme
from actions.understanding.safety import act_on_safety, safety_need
from actions.understanding.situation import Situation, read_situation
from actions.understanding.structures import answer_structure, kind_asked
from knowledge.search.retriever import Retrieval, retrieve
from knowledge.text import normalise
from knowledge.views import SchemeView

MAX_SHOWN = 3
# A record scoring under this share of the best one is not worth a place in the answer.
KEEP_SHARE = 0.35
LOCAL_SHARE = 0.5
# Out-of-scope or misunderstood by the NLU: answer only on a clear knowledge-base match.
STRICT_MIN_SCORE = 8.0
STRICT_MIN_PER_WORD = 1.3
CUE_MIN_SCORE = 5.0
# A topic intent under this confidence is trusted only with a match of the knowledge base.
TOPIC_MIN_CONFIDENCE = 0.7
# Below a clear match, records still worth offering by name as buttons.
PLAUSIBLE_MIN_SCORE = 3.0
PLAUSIBLE_SHARE = 0.6
MAX_PLAUSIBLE = 3
MAX_BUTTON_CHARS = 40
# Words that introduce a place in a message ("à Roubaix", "j'habite Lens", "vers Brest").
PLACE_WORDS = (
    "a",
    "au",
    "sur",
    "vers",
    "pres de",
    "habite",
    "habite a",
    "dans",
    "commune de",
    "ville de",
    "secteur de",
    "region de",
)
_PLACE_CUE = re.compile(
    r"\b(a|au|sur|vers|pres de|habite|dans|commune de|ville de|secteur|region)\b \w|\b\d{5}\b"
)
NLU_STATUSES = {"apprentice", "job_seeker", "employee", "student", "rsa_recipient", "parent"}


def _intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def _situation(tracker: Tracker, text: str) -> Situation:
    said = read_situation(text)
    status = next(tracker.get_latest_entity_values("user_status"), None)
    if status in NLU_STATUSES and status not in said.statuses:
        said = Situation(**{**said.to_slot(), "statuses": (*said.statuses, str(status))})
    return Situation.from_slot(tracker.get_slot("situation")).merged(said)


async def _place(tracker: Tracker, dispatcher: CollectingDispatcher, text: str) -> Need:
    commune, name = tracker.get_slot("commune_insee"), tracker.get_slot("commune_name")
    events: list[EventType] = []
    entity = next(tracker.get_latest_entity_values("place"), None)
    if entity is not None or _PLACE_CUE.search(normalise(text)):
        resolved = await kb_call(
            resolve_commune_in_message, text, str(entity) if entity is not None else None
        )
        if resolved is not None and entity is None and not _named_after_cue(text, resolved.name):
            resolved = None
        if resolved is not None and resolved.commune_insee != commune:
            commune, name = resolved.commune_insee, resolved.name
            events += [SlotSet("commune_insee", commune), SlotSet("commune_name", name)]
            dispatcher.utter_message(response="utter_place_found", commune_name=name)
    return Need(text, _situation(tracker, text), commune, name, events)


def _named_after_cue(text: str, name: str) -> bool:
    """ "à Roubaix", "sur Lens", "59100": a place said as a place, not "de nuit" (Nuits)."""
    plain = f" {normalise(text)} "
    place = normalise(name)
    return bool(re.search(r"\b\d{5}\b", plain)) or any(
        f" {cue} {place} " in plain for cue in PLACE_WORDS
    )


def is_clear_match(retrieval: Retrieval) -> bool:
    """A message the NLU could not place, yet clearly about records of the knowledge base."""
    if retrieval.named:
        return True
    words = max(1, len(retrieval.query_words))
    top = retrieval.top_score
    return top >= STRICT_MIN_SCORE and top / words >= STRICT_MIN_PER_WORD


def is_about_the_person(retrieval: Retrieval, said: Situation) -> bool:
    """The knowledge base matches and the message speaks of the person's situation, or a name.

    Measured on the development sets (README): a score alone separates poorly in- and
    out-of-domain messages; a score with a situation cue ("apprenti", "17 ans", "de nuit",
    "on recrute") keeps most in-domain messages the NLU could not place and few others.
    """
    cue = said.says_something
    return is_clear_match(retrieval) or (retrieval.top_score >= CUE_MIN_SCORE and cue)


def _utter_named(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    retrieval: Retrieval,
    ranked: list[Ranked],
    text: str,
) -> list[EventType]:
    scheme = retrieval.named[0]
    if scheme.is_ended or scheme.is_proposal:
        # Never offered: said for what it is, with what exists instead.
        notice = "utter_scheme_is_ended" if scheme.is_ended else "utter_scheme_named_is_proposal"
        dispatcher.utter_message(response=notice, name=scheme.name)
        others = [item for item in ranked if item.visible and item.scheme.id != scheme.id][:2]
        if not others:
            dispatcher.utter_message(response="utter_no_scheme_found")
            return [SlotSet("last_schemes", []), SlotSet("current_scheme", None)]
        answer = render_answer([item.scheme for item in others], reasons_by_scheme(others))
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
        return [SlotSet("last_schemes", list(answer.shown)), SlotSet("current_scheme", None)]
    facet = facet_of(text)
    if facet is None or facet == "what":
        details = render_details(domain, scheme)
    else:
        details = render_facet(domain, scheme, facet)
    dispatcher.utter_message(text=details.text, buttons=details.buttons)
    return [SlotSet("last_schemes", [scheme.id]), SlotSet("current_scheme", scheme.id)]


def _query(tracker: Tracker, text: str, back_from_place: bool) -> str:
    if back_from_place:
        return str(tracker.get_slot("request_text") or text)
    return text


async def answer_need(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    *,
    strict: bool = False,
    may_ask_place: bool = True,
    is_question: bool = False,
) -> list[EventType] | None:
    """Answer the latest message from the knowledge base; None when it is not about it."""
    text = str(tracker.latest_message.get("text") or "")
    danger = safety_need(text)
    if danger is not None:
        return act_on_safety(dispatcher, danger)
    intent, _ = _intent(tracker)
    back_from_place = tracker.latest_action_name == "place_form" and bool(
        tracker.get_slot("pending_topics")
    )
    need = await _place(tracker, dispatcher, text)
    query = _query(tracker, text, back_from_place)
    retrieval = await kb_call(retrieve, query, commune_insee=need.commune)
    follow_up = tracker.get_slot("request_text")
    if not back_from_place and follow_up and not is_clear_match(retrieval):
        # "et pour mon grand de 7 ans ?": the earlier question gives the subject.
        query = f"{follow_up} {text}"
        retrieval = await kb_call(retrieve, query, commune_insee=need.commune)
    kind = None if back_from_place else kind_asked(text)
    if kind is not None and retrieval.named and facet_of(text) == "what":
        kind = None  # "c'est quoi la mission locale": the record explains it.
    if kind is not None:
        # "mission locale roubaix": where to go, not a scheme.
        given = await answer_structure(dispatcher, tracker, kind, need.commune)
        if given is not None:
            return [*need.events, *given, SlotSet("situation", need.situation.to_slot())]
    said = read_situation(text)
    if strict and not is_about_the_person(retrieval, said):
        return None
    _, confidence = _intent(tracker)
    doubtful = (
        not (is_question or back_from_place or follow_up) and confidence < TOPIC_MIN_CONFIDENCE
    )
    if doubtful and not is_about_the_person(retrieval, said):
        # A topic the NLU is unsure of, with nothing in the knowledge base to back it: ask.
        return None
    situation_event = SlotSet("situation", need.situation.to_slot())
    if not back_from_place and not follow_up and not is_question and not is_clear_match(retrieval):
        if intent not in INTENT_TOPICS or intent == "ask_help_generic" and not retrieval.hits:
            # "j'ai 22 ans" before any question: remember it, ask what is needed.
            dispatcher.utter_message(response="utter_no_topic_yet")
            return [*need.events, situation_event, SlotSet("needs_place", False)]
    themes = TOPIC_THEMES.get(INTENT_TOPICS.get(intent or "", ""), ())
    ranked = rank(retrieval, need.situation, themes)
    slots: list[EventType] = [*need.events, situation_event]
    if not retrieval.named and retrieval.ended and facet_of(text) == "valid":
        # "l'aide de 500e pour le permis existe plus ?": the ended record ranks first, say so.
        retrieval = replace(retrieval, named=[retrieval.ended[0].scheme])
    if retrieval.named and not back_from_place and asks_about_one(text):
        return [*slots, *_utter_named(dispatcher, domain, retrieval, ranked, text), _done(query)]
    listed = await utter_list(
        dispatcher, domain, tracker, need, ranked, intent, query, may_ask_place
    )
    return [*slots, *listed]


def _done(query: str) -> SlotSet:
    return SlotSet("request_text", query)


async def plausible_schemes(tracker: Tracker) -> list[SchemeView]:
    """Records a misunderstood message may be about, to offer by name (at most three)."""
    text = str(tracker.latest_message.get("text") or "")
    retrieval = await kb_call(retrieve, text, commune_insee=tracker.get_slot("commune_insee"))
    if retrieval.top_score < PLAUSIBLE_MIN_SCORE or not read_situation(text).says_something:
        # Without anything about the person, records offered by name were mostly wrong guesses
        # on the development sets: the topic menu does better.
        return []
    floor = PLAUSIBLE_SHARE * retrieval.top_score
    return [hit.scheme for hit in retrieval.hits[:MAX_PLAUSIBLE] if hit.score >= floor]


def scheme_button(scheme: SchemeView) -> dict[str, str]:
    """A button asking the details of ``scheme`` by its name (the ``scheme`` entity)."""
    # "Aides au logement de la CAF : APL, ALF, ALS" -> "Aides au logement de la CAF".
    title = scheme.name.split(" (")[0].split(" : ")[0]
    if len(title) > MAX_BUTTON_CHARS:
        title = title[: MAX_BUTTON_CHARS - 1].rstrip() + "…"
    payload = "/ask_scheme_details" + json.dumps({"scheme": scheme.name}, ensure_ascii=False)
    return {"title": title, "payload": payload}
