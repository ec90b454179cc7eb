"""What one message asks, with the person and place it is asked for."""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk.events import EventType
from rasa_sdk.types import DomainDict

from actions.schemes_cards import label
from actions.schemes_topics import INTENT_TOPICS
from actions.understanding.rank import Ranked
from actions.understanding.situation import Situation

# The answer's subject ("pour le logement") from the theme of the record ranked first.
THEME_TOPICS = {
    "housing": "housing",
    "childcare": "childcare",
    "mobility": "mobility",
    "vae_skills": "vae_skills",
    "training": "training",
    "apprenticeship": "apprenticeship",
    "insertion_support": "support",
    "business_creation": "business_creation",
    "orientation": "orientation",
    "hiring_geiq": "employer",
    "welcome": "welcome",
}


@dataclass(frozen=True)
class Need:
    text: str
    situation: Situation
    commune: str | None
    commune_name: str | None
    events: list[EventType]
    # The commune named in this message, said back once the message is answered.
    place_said: str | None = None


def topic_of(ranked: list[Ranked], intent: str | None) -> str:
    """The intent's topic when it names one, else the theme of the best record."""
    topic = INTENT_TOPICS.get(intent or "")
    if ranked and (topic is None or topic == "generic"):
        topic = THEME_TOPICS.get(ranked[0].scheme.theme, "generic")
    return topic or "generic"


def topic_text(domain: DomainDict, topic: str) -> str:
    return label(domain, f"topic_{topic}")
