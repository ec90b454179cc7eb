"""The answer as a list: at most three records that fit, local ones when the place is known,
the local support network when nothing local exists, and the commune asked after the answer.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answer_texts import answer_text
from actions.kb import kb_call
from actions.schemes_cards import render_answer
from actions.schemes_topics import SUPPORT_KINDS, TOPIC_THEMES, topics_in_text
from actions.understanding.need import Need, topic_of, topic_text
from actions.understanding.rank import Ranked, rank
from actions.understanding.reasons import reasons_by_scheme
from actions.understanding.situation import Situation
from knowledge.search import OrganisationView, organisations_for, search_schemes
from knowledge.search.retriever import retrieve

MAX_SHOWN = 3
# A record scoring under this share of the best one is not worth a place in the answer.
KEEP_SHARE = 0.35
MORE_SHARE = 0.2
MAX_SUPPORT = 2


def _is_local(item: Ranked) -> bool:
    return item.locality not in (None, "national")


def _with_a_local_one(kept: list[Ranked], ranked: list[Ranked]) -> list[Ranked]:
    """The place is known and a local record is on the subject: it takes the last place if
    none is shown, since the person asked near home and the national ones are known anyway."""
    shown = kept[:MAX_SHOWN]
    theme = shown[0].scheme.theme if shown else None
    local = next((r for r in ranked if _is_local(r) and r.scheme.theme == theme), None)
    if local is None or any(_is_local(item) for item in shown):
        return kept
    return [*shown[: MAX_SHOWN - 1], local]


def _kept(ranked: list[Ranked], share: float) -> list[Ranked]:
    """Records the person can use here, within ``share`` of the best of them."""
    visible = [item for item in ranked if item.visible]
    best = visible[0].score if visible else 0.0
    return [item for item in visible if item.score >= share * best]


def _two_needs(text: str, kept: list[Ranked]) -> tuple[list[str], list[Ranked]] | None:
    """ "un logement et une nounou": two records for each need, in the order asked."""
    topics = [topic for topic in topics_in_text(text) if topic in TOPIC_THEMES][:2]
    if len(topics) < 2:
        return None
    picked: list[Ranked] = []
    for topic in topics:
        picked += [item for item in kept if item.scheme.theme in TOPIC_THEMES[topic]][:2]
    return (topics, picked) if len(picked) > 2 else None


async def support_near(commune: str) -> list[OrganisationView]:
    """Nothing local on the subject: the structures that can help near the person."""
    found = await kb_call(organisations_for, commune_insee=commune, kinds=list(SUPPORT_KINDS))
    found.sort(key=lambda org: (org.territory.scope == "national", SUPPORT_KINDS.index(org.kind)))
    return found[:MAX_SUPPORT]


def _subject(
    domain: DomainDict, topic: str, text: str, kept: list[Ranked]
) -> tuple[str, list[Ranked]]:
    """The answer's subject and records; "un logement et une nounou" gives both needs."""
    two = _two_needs(text, kept)
    if two is None:
        return topic_text(domain, topic), kept[:MAX_SHOWN]
    first, second = (topic_text(domain, t) for t in two[0])
    return answer_text("topics_pair", first=first, second=second), two[1][: MAX_SHOWN + 1]


async def utter_list(
    dispatcher: CollectingDispatcher,
    domain: DomainDict,
    tracker: Tracker,
    need: Need,
    ranked: list[Ranked],
    intent: str | None,
    query: str,
    may_ask_place: bool,
) -> list[EventType]:
    back_from_place = tracker.latest_action_name == "place_form"
    if back_from_place and need.commune is None:
        # "Je préfère ne pas le dire": the national answer above stands.
        dispatcher.utter_message(response="utter_place_skipped")
        return [SlotSet("pending_topics", []), SlotSet("needs_place", False)]
    already = set(tracker.get_slot("last_schemes") or []) if back_from_place else set()
    kept = _kept(ranked, KEEP_SHARE)
    if back_from_place:
        # Local records are weighed among themselves: the national ones were given already.
        kept = _kept([r for r in ranked if _is_local(r)], KEEP_SHARE)
        # The local records of the subject answered just before, not any local record.
        themes = TOPIC_THEMES.get(str(tracker.get_slot("current_topic") or ""), ()) or tuple(
            {r.scheme.theme for r in ranked[:1]}
        )
        kept = [
            r
            for r in kept
            if r.scheme.id not in already and _is_local(r) and r.scheme.theme in themes
        ]
    topic = topic_of(ranked, intent)
    theme = ranked[0].scheme.theme if ranked else None
    local_waiting = [r for r in ranked[:15] if not r.visible and r.scheme.theme == theme]
    ask_place = bool(
        need.commune is None
        and local_waiting
        and may_ask_place
        and not tracker.get_slot("place_asked")
    )
    ids: list[str] = []
    if back_from_place and not kept:
        dispatcher.utter_message(response="utter_no_more_local", commune_name=need.commune_name)
    elif not kept:
        dispatcher.utter_message(response="utter_no_scheme_found")
    else:
        if need.commune:
            kept = _with_a_local_one(kept, ranked)
        subject, chosen = _subject(domain, topic, need.text, kept)
        nothing_local = bool(need.commune) and not any(_is_local(item) for item in chosen)
        answer = render_answer(
            [item.scheme for item in chosen],
            reasons_by_scheme(chosen),
            topic_label=subject,
            commune_name=need.commune_name,
            nothing_local=nothing_local,
            support=await support_near(need.commune) if nothing_local and need.commune else (),
            # Details and eligibility stay one tap away even while the place is asked.
            with_buttons=True,
        )
        dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
        ids = list(answer.shown)
    events: list[EventType] = [
        SlotSet("last_schemes", ids or sorted(already)),
        SlotSet("current_topic", topic),
        SlotSet("request_text", query),
        SlotSet("schemes_offset", float(len(ids))),
        SlotSet("current_scheme", ids[0] if len(ids) == 1 else None),
        SlotSet("pending_topics", []),
    ]
    if need.commune is None and local_waiting and not may_ask_place:
        dispatcher.utter_message(response="utter_local_hint")
    elif ask_place:
        dispatcher.utter_message(response="utter_local_options_exist")
        return [
            *events,
            SlotSet("pending_topics", [topic]),
            SlotSet("place_asked", True),
            SlotSet("place_attempts", 0.0),
            SlotSet("needs_place", True),
        ]
    return [*events, SlotSet("needs_place", False)]


async def show_more(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """ "Autres aides": the next records of the same ranking, numbered after those shown."""
    query = tracker.get_slot("request_text")
    if not query:
        dispatcher.utter_message(response="utter_no_topic_yet")
        return []
    retrieval = await kb_call(retrieve, str(query), commune_insee=tracker.get_slot("commune_insee"))
    situation = Situation.from_slot(tracker.get_slot("situation"))
    topic = tracker.get_slot("current_topic") or ""
    ranked = rank(retrieval, situation, TOPIC_THEMES.get(topic, ()))
    shown = list(tracker.get_slot("last_schemes") or [])
    fresh = [r.scheme for r in _kept(ranked, MORE_SHARE) if r.scheme.id not in shown]
    # Past the records about the words, the other records of the subject.
    for theme in TOPIC_THEMES.get(topic, ()):
        hits = await kb_call(
            search_schemes, theme=theme, commune_insee=tracker.get_slot("commune_insee"), limit=40
        )
        fresh += [hit.scheme for hit in hits if hit.scheme.id not in shown]
    fresh = list({scheme.id: scheme for scheme in fresh}.values())[:MAX_SHOWN]
    if not fresh:
        dispatcher.utter_message(response="utter_no_more_schemes")
        return []
    answer = render_answer(fresh, first_position=len(shown) + 1)
    dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
    ids = list(answer.shown)
    return [
        SlotSet("last_schemes", shown + ids),
        SlotSet("schemes_offset", float(len(shown) + len(ids))),
    ]
