"""A short follow-up is first read as a question about the records just given.

"et le propriétaire, il est obligé de l'accepter ?" after Visale shares its words with other
records; read alone, it leaves the subject. A message that opens with "et", speaks of the record
with a pronoun ("il", "ça", "c'est") or only asks a facet ("c'est pour qui ?"), and names no other
record, is answered from the record shown last: the facet asked, or its details. The subject
changes only when another record is named, a need of another topic is named ("et pour la
crèche ?"), or another record matches far better. A follow-up about the person ("et pour mon
grand de 7 ans ?") is not about the record: the caller answers the subject again for them.
"""

from __future__ import annotations

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict
from sqlalchemy.orm import Session

from actions.kb import kb_call
from actions.schemes_topics import TOPIC_THEMES, topics_in_text
from actions.understanding.facets import facet_of, render_asked
from actions.understanding.situation import Situation, cue
from knowledge.search import get_scheme
from knowledge.search.retriever import Retrieval
from knowledge.text import normalise
from knowledge.views import SchemeView

MAX_WORDS = 12
# A message of only a facet ("combien ça coûte ?", "faut faire quoi ?") this short or shorter.
BARE_FACET_WORDS = 6
# Another record takes the subject only with a match this good, and this many times better
# than the record shown: a follow-up shares a word or two with many records ("propriétaire").
SWITCH_MIN_SCORE = 5.0
FAR_BETTER = 3.0
# Among several records shown, the message names one by its own words (not only "coûte" or
# "demande", which many records share) when it matches it this well, and this much better.
PICK_MIN_SCORE = 2.0
PICK_MARGIN = 2.0
# A message the NLU could not place must match the record at least this well (a real word of
# it, not "fait" in "et il fait beau chez vous ?") unless it asks a facet.
STRICT_MIN_SHARED = 1.5


def refers_to_last_answer(text: str) -> bool:
    """ "et ...", a pronoun for the record, or a bare facet: said about the answer just given."""
    plain = normalise(text)
    words = plain.split()
    if not words or text.startswith("/") or len(words) > MAX_WORDS:
        return False
    if cue("follow_up.start").match(plain):
        return True
    if cue("follow_up.pronoun").search(cue("follow_up.impersonal").sub(" ", plain)):
        return True
    return facet_of(text) is not None and len(words) <= BARE_FACET_WORDS


def shown_ids(tracker: Tracker) -> list[str]:
    """The record in focus, else those of the last answer."""
    current = tracker.get_slot("current_scheme")
    if current:
        return [str(current)]
    return [str(item) for item in tracker.get_slot("last_schemes") or []]


def _schemes(session: Session, ids: list[str]) -> list[SchemeView]:
    found = (get_scheme(session, scheme_id) for scheme_id in ids)
    return [scheme for scheme in found if scheme is not None]


def _scores(retrieval: Retrieval) -> dict[str, float]:
    return {hit.scheme.id: hit.score for hit in retrieval.hits}


def names_another_need(text: str, themes: set[str]) -> bool:
    """ "et pour la crèche ?" after housing: a need of other themes than those answered."""
    topics = [topic for topic in topics_in_text(text) if TOPIC_THEMES.get(topic)]
    return bool(themes and topics) and not any(themes & set(TOPIC_THEMES[t]) for t in topics)


def leaves_the_subject(text: str, retrieval: Retrieval, shown: list[SchemeView]) -> bool:
    """Another record named, another need named, or another record far better matched."""
    ids = {scheme.id for scheme in shown}
    if any(scheme.id not in ids for scheme in retrieval.named):
        return True
    if names_another_need(text, {scheme.theme for scheme in shown}):
        return True
    if not retrieval.hits or retrieval.hits[0].scheme.id in ids:
        return False
    best_shown = max((_scores(retrieval).get(scheme_id, 0.0) for scheme_id in ids), default=0.0)
    top = retrieval.top_score
    return top >= SWITCH_MIN_SCORE and top >= FAR_BETTER * best_shown


def _pick(retrieval: Retrieval, shown: list[SchemeView]) -> SchemeView | None:
    """The record meant: the only one shown, or the one the message matches best; None when
    the message does not tell which of several."""
    if len(shown) == 1:
        return shown[0]
    scores = _scores(retrieval)
    ordered = sorted(shown, key=lambda scheme: -scores.get(scheme.id, 0.0))
    best, second = (scores.get(scheme.id, 0.0) for scheme in ordered[:2])
    return ordered[0] if best >= PICK_MIN_SCORE and best >= PICK_MARGIN * second else None


def _ask_which(dispatcher: CollectingDispatcher, shown: list[SchemeView]) -> None:
    buttons = [
        {"title": scheme.name, "payload": f'/choose_item{{"ordinal":"{position}"}}'}
        for position, scheme in enumerate(shown, start=1)
    ]
    dispatcher.utter_message(response="utter_which_scheme", buttons=buttons)


async def answer_about_shown(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    domain: DomainDict,
    retrieval: Retrieval,
    said: Situation,
    *,
    strict: bool = False,
) -> list[EventType] | None:
    """The answer about the record(s) just given, or None to answer the message otherwise.

    ``retrieval``: the message alone against the knowledge base; ``said``: what it says of the
    person; ``strict``: the NLU could not place the message, so it must ask a facet or share a
    word with the record ("et il fait beau chez vous ?" is not about Visale).
    """
    text = str(tracker.latest_message.get("text") or "")
    ids = shown_ids(tracker)
    if not ids or not refers_to_last_answer(text):
        return None
    facet = facet_of(text)
    if facet is None and said.says_something:
        # "et pour mon grand de 7 ans ?": the same subject for this person, not this record.
        return None
    shown = await kb_call(_schemes, ids)
    if not shown or leaves_the_subject(text, retrieval, shown):
        return None
    scores = _scores(retrieval)
    if strict and facet is None and max(scores.get(item, 0.0) for item in ids) < STRICT_MIN_SHARED:
        return None
    scheme = _pick(retrieval, shown)
    if scheme is None:
        _ask_which(dispatcher, shown)
        return [SlotSet("needs_place", False)]
    answer = render_asked(domain, scheme, facet)
    dispatcher.utter_message(text=answer.text, buttons=answer.buttons)
    # The list shown stays as it was ("la deuxième" still means the same record).
    return [SlotSet("current_scheme", scheme.id), SlotSet("needs_place", False)]
