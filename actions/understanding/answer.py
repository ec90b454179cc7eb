"""Answer first: the records that fit the person now, then what would add local options.

Every content message goes through ``answer_need``: the knowledge base ranks its records for
the person's own words (``knowledge.search.retriever``), the situation said so far re-ranks
them (``rank``), and the answer gives national records at once. The commune is asked only
after an answer, and only when local records exist on the subject.
"""

from __future__ import annotations

import re
from dataclasses import replace

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.kb import kb_call
from actions.schemes_cards import render_answer
from actions.schemes_topics import INTENT_TOPICS, TOPIC_THEMES
from actions.understanding.facets import asks_about_one, facet_of, render_asked
from actions.understanding.followup import answer_about_shown, names_another_need
from actions.understanding.listing import utter_list
from actions.understanding.named_subject import name_is_context
from actions.understanding.need import Need
from actions.understanding.place_said import read_need
from actions.understanding.rank import Ranked, rank
from actions.understanding.reasons import reasons_by_scheme
from actions.understanding.safety import route_typed_first
from actions.understanding.situation import Situation, read_situation
from actions.understanding.structures import answer_structure, kind_asked
from knowledge.search.retriever import Retrieval, retrieve
from knowledge.text import normalise
from knowledge.views import SchemeView

# Out-of-scope or misunderstood by the NLU: answer only on a clear knowledge-base match.
STRICT_MIN_SCORE = 8.0
STRICT_MIN_PER_WORD = 1.3
CUE_MIN_SCORE = 5.0
# A topic intent under this confidence is trusted only with a match of the knowledge base.
TOPIC_MIN_CONFIDENCE = 0.7
FOLLOW_UP_MAX_WORDS = 4
_FOLLOW_UP_START = re.compile(
    r"(et|aussi|mais|sinon|ok|d accord|pour|et pour|et si|et avec|et a)\b"
)


def _intent(tracker: Tracker) -> tuple[str | None, float]:
    intent = tracker.latest_message.get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


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
    A message close in meaning to a record ("financer le permis de conduire") is kept too: on
    the development sets it answers 78 % of in-domain first turns instead of 74 % and no more
    out-of-domain ones (4.7 %; `scripts/eval_retrieval.py`, README).
    """
    cue = said.says_something
    return (
        is_clear_match(retrieval)
        or (retrieval.top_score >= CUE_MIN_SCORE and cue)
        or retrieval.close_in_meaning
    )


def _instead_of(scheme: SchemeView, ranked: list[Ranked]) -> list[Ranked]:
    """What to offer instead of an ended or proposed record: its subject first.

    "l'aide de 500 € au permis des apprentis n'existe plus ?": the rest of the message (apprenti,
    CFA) ranked apprenticeship records first; the person asked about the driving licence.
    """
    visible = [item for item in ranked if item.visible and item.scheme.id != scheme.id]
    same_subject = [item for item in visible if item.scheme.theme == scheme.theme]
    others = [item for item in visible if item.scheme.theme != scheme.theme]
    return [*same_subject, *others][:2]


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
        others = _instead_of(scheme, ranked)
        if not others:
            dispatcher.utter_message(response="utter_no_scheme_found")
            return [SlotSet("last_schemes", []), SlotSet("current_scheme", None)]
        answer = render_answer([item.scheme for item in others], reasons_by_scheme(others))
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
        return [SlotSet("last_schemes", list(answer.shown)), SlotSet("current_scheme", None)]
    details = render_asked(domain, scheme, facet_of(text))
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
    """Answer the latest message from the knowledge base; None when it is not about it.

    Every answer says whether the place question follows (``needs_place``): the rules after
    ``action_search_schemes`` wait for the person only on that slot, else the core fallback
    would add "je n'ai pas compris" after a right answer.
    """
    events = await _answer(
        dispatcher,
        tracker,
        domain,
        strict=strict,
        may_ask_place=may_ask_place,
        is_question=is_question,
    )
    if events is None:
        return None
    if not any(event.get("name") == "needs_place" for event in events):
        events.append(SlotSet("needs_place", False))
    return events


async def _answer(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    *,
    strict: bool = False,
    may_ask_place: bool = True,
    is_question: bool = False,
) -> list[EventType] | None:
    """See ``answer_need``.

    ``strict``: the NLU could not place the message (fallback, out of scope); ``is_question``:
    another area hands over a message it should not take (a form asked for by mistake).
    """
    text = str(tracker.latest_message.get("text") or "")
    routed = route_typed_first(dispatcher, tracker)
    if routed is not None:
        return routed
    intent, confidence = _intent(tracker)
    back_from_place = tracker.latest_action_name == "place_form" and bool(
        tracker.get_slot("pending_topics")
    )
    follow_up = None if back_from_place else tracker.get_slot("request_text")
    need = await read_need(tracker, text)
    query = str(tracker.get_slot("request_text") or text) if back_from_place else text
    retrieval = await kb_call(retrieve, query, commune_insee=need.commune)
    if not back_from_place and need.place_said is None:
        # "et le propriétaire, il est obligé de l'accepter ?": about the record just given.
        about = await answer_about_shown(
            dispatcher, tracker, domain, retrieval, read_situation(text), strict=strict
        )
        if about is not None:
            return [SlotSet("situation", need.situation.to_slot()), *about]
    subject = set(TOPIC_THEMES.get(str(tracker.get_slot("current_topic") or ""), ()))
    if (
        follow_up
        and is_follow_up(text, intent, confidence)
        and not is_clear_match(retrieval)
        and not names_another_need(text, subject)
    ):
        # "et pour mon grand de 7 ans ?": the earlier question gives the subject; only this
        # message can name a record.
        query = f"{follow_up} {text}"
        combined = await kb_call(retrieve, query, commune_insee=need.commune)
        retrieval = replace(combined, named=retrieval.named, ended=retrieval.ended)
    else:
        follow_up = None
    backed = is_about_the_person(retrieval, read_situation(text))
    kept_facts = [*need.events, SlotSet("situation", need.situation.to_slot())]
    structure = await _where_to_go(dispatcher, tracker, text, need, retrieval, back_from_place)
    if structure is not None:
        return [*kept_facts, *structure]
    doubtful = strict or (
        not (is_question or back_from_place or follow_up) and confidence < TOPIC_MIN_CONFIDENCE
    )
    if doubtful and not backed:
        # Out of scope, misunderstood, or a topic the NLU is unsure of, and nothing in the
        # knowledge base backs it: the caller clarifies or declines.
        return None
    _say_place(dispatcher, need)
    if not (back_from_place or follow_up or is_question or backed) and (
        intent not in INTENT_TOPICS or (intent == "ask_help_generic" and not retrieval.hits)
    ):
        # "j'ai 22 ans" before any question: remember it, ask what is needed.
        dispatcher.utter_message(response="utter_no_topic_yet")
        return [*kept_facts, SlotSet("needs_place", False)]
    # A message another area hands over (is_question) was misread by the NLU: its intent's
    # theme must not rank the records (GEIQ for an employer's childcare question).
    themes = () if is_question else TOPIC_THEMES.get(INTENT_TOPICS.get(intent or "", ""), ())
    ranked = rank(retrieval, need.situation, themes)
    if not retrieval.named and retrieval.ended and facet_of(text) == "valid":
        # "l'aide de 500e pour le permis existe plus ?": the ended record ranks first, say so.
        retrieval = replace(retrieval, named=[retrieval.ended[0].scheme])
    if (
        retrieval.named
        and not back_from_place
        and asks_about_one(text)
        and not await name_is_context(text, retrieval.named[0], need.commune)
    ):
        named = _utter_named(dispatcher, domain, retrieval, ranked, text)
        return [*kept_facts, *named, _done(query)]
    listed = await utter_list(
        dispatcher, domain, tracker, need, ranked, intent, query, may_ask_place
    )
    return [*kept_facts, *listed]


def is_follow_up(text: str, intent: str | None, confidence: float) -> bool:
    """ "et pour mon grand ?", "à Lille", "j'ai 19 ans": said about the last question.

    A confident new topic ("je cherche un logement pour mon alternance") is a new question.
    """
    plain = normalise(text)
    if _FOLLOW_UP_START.match(plain) or len(plain.split()) <= FOLLOW_UP_MAX_WORDS:
        return True
    return intent not in INTENT_TOPICS or confidence < TOPIC_MIN_CONFIDENCE


def _say_place(dispatcher: CollectingDispatcher, need: Need) -> None:
    if need.place_said:
        dispatcher.utter_message(response="utter_place_found", commune_name=need.place_said)


async def _where_to_go(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    text: str,
    need: Need,
    retrieval: Retrieval,
    back_from_place: bool,
) -> list[EventType] | None:
    """ "mission locale roubaix": where to go, not a scheme (unless "c'est quoi" a named one)."""
    kind = None if back_from_place else kind_asked(text)
    if kind is None or (retrieval.named and facet_of(text) == "what"):
        return None
    _say_place(dispatcher, need)
    return await answer_structure(dispatcher, tracker, kind, need.commune)


def _done(query: str) -> SlotSet:
    return SlotSet("request_text", query)
