"""The place a message names: the NLU's place entity, or a commune after "à", "sur", "vers"...

Only when the commune is named as a place: "de nuit" is not Nuits, "à l'hôpital" not L'Hôpital.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet

from actions.kb import kb_call, resolve_commune_in_message
from actions.understanding.need import Need
from actions.understanding.situation import Situation, read_situation
from knowledge.text import normalise

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
ARTICLES = frozenset({"l", "le", "la", "les"})
NLU_STATUSES = {"apprentice", "job_seeker", "employee", "student", "rsa_recipient", "parent"}


def _situation(tracker: Tracker, text: str) -> Situation:
    said = read_situation(text)
    status = next(tracker.get_latest_entity_values("user_status"), None)
    # "je veux prendre un apprenti": the NLU's "apprentice" is the one to hire, not the employer.
    if status in NLU_STATUSES and status not in said.statuses and not said.is_employer:
        said = Situation(**{**said.to_slot(), "statuses": (*said.statuses, str(status))})
    return Situation.from_slot(tracker.get_slot("situation")).merged(said)


async def read_need(tracker: Tracker, text: str) -> Need:
    """The message with the person's situation and place; a new place is said later, if the
    message is answered (a rejected message must not get "C'est noté : Lyon")."""
    commune, name = tracker.get_slot("commune_insee"), tracker.get_slot("commune_name")
    events: list[EventType] = []
    said_name: str | None = None
    entity = next(tracker.get_latest_entity_values("place"), None)
    if entity is not None or _PLACE_CUE.search(normalise(text)):
        resolved = await kb_call(
            resolve_commune_in_message, text, str(entity) if entity is not None else None
        )
        if resolved is not None and entity is None and not named_as_a_place(text, resolved.name):
            resolved = None
        if resolved is not None and resolved.commune_insee != commune:
            commune, name = resolved.commune_insee, resolved.name
            events += [SlotSet("commune_insee", commune), SlotSet("commune_name", name)]
            said_name = name
    return Need(text, _situation(tracker, text), commune, name, events, said_name)


def named_as_a_place(text: str, name: str) -> bool:
    """ "à Roubaix", "sur Lens", "59100": a place said as a place, not "de nuit" (Nuits)."""
    plain = f" {normalise(text)} "
    place = normalise(name)
    if place.split()[0] in ARTICLES and name not in text:
        # "je bosse de nuit à l'hôpital" is not the commune of L'Hôpital: such names count
        # only when written with their capitals (or found by the NLU as a place).
        return False
    return bool(re.search(r"\b\d{5}\b", plain)) or any(
        f" {cue} {place} " in plain for cue in PLACE_WORDS
    )
