"""Before "je n'ai pas compris": records a misunderstood message may be about, as buttons."""

from __future__ import annotations

import json

from rasa_sdk import Tracker

from actions.kb import kb_call
from actions.understanding.situation import read_situation
from knowledge.search.retriever import retrieve
from knowledge.views import SchemeView

# Below a clear match, records still worth offering by name as buttons.
PLAUSIBLE_MIN_SCORE = 3.0
PLAUSIBLE_SHARE = 0.6
MAX_PLAUSIBLE = 3
MAX_BUTTON_CHARS = 40


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
