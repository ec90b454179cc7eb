"""Topics of the schemes area: which intent asks about which knowledge-base themes,
and which words reveal a second need in the same message.

The keyword patterns are matching data over accent-free lower-case text, never shown to
anyone. They are kept strict on purpose: "alternance" or "formation" also describe a
person's situation ("un logement pour mon alternance"), so they do not open a second topic.
"""

from __future__ import annotations

import re

from knowledge.text import normalise

INTENT_TOPICS: dict[str, str] = {
    "ask_housing": "housing",
    "ask_childcare": "childcare",
    "ask_mobility": "mobility",
    "ask_vae": "vae_skills",
    "ask_training": "training",
    "ask_support_network": "support",
    "ask_business_creation": "business_creation",
    "ask_orientation": "orientation",
    "ask_help_generic": "generic",
}

# Knowledge-base themes (file names in knowledge/data/schemes) searched for each topic.
TOPIC_THEMES: dict[str, tuple[str, ...]] = {
    "housing": ("housing",),
    "childcare": ("childcare",),
    "mobility": ("mobility",),
    "vae_skills": ("vae_skills",),
    "training": ("training", "apprenticeship"),
    "support": ("insertion_support",),
    "business_creation": ("business_creation",),
    "orientation": ("orientation",),
    "generic": (),
}

# Organisation kinds offered as the local support network when nothing local exists.
SUPPORT_KINDS = ("mission_locale", "france_travail", "cap_emploi", "plie")

_SECOND_NEED_PATTERNS: dict[str, re.Pattern[str]] = {
    "housing": re.compile(
        r"\b(logements?|logment|logemnt|loyers?|apparts?|appartements?|studios?|loger|"
        r"hebergements?|caution|garant|colocs?|colocation|demenag\w*)\b"
    ),
    "childcare": re.compile(
        r"\b(garde|garder|gard|creches?|nounous?|assistantes? maternelles?|periscolaire|"
        r"garderie|baby ?sitters?|faire garder)\b"
    ),
    "mobility": re.compile(
        r"\b(permis|voitures?|transports?|transpor|bus|covoiturage|navettes?|scooters?|"
        r"velos?|garages?|essence|vehicules?|trajets?)\b"
    ),
    "vae_skills": re.compile(r"\b(vae|v a e|validation des acquis|bilan de competences?)\b"),
    "training": re.compile(r"\b(reconversion|reconvertir|cpf|caces|me former|se former)\b"),
    "business_creation": re.compile(
        r"\b(creer (mon|ma|une) (entreprise|boite|societe)|auto ?entrepreneur|micro ?entreprise)\b"
    ),
}


def topic_of_intent(intent: str | None) -> str | None:
    """The topic an intent asks about, None for other intents."""
    return INTENT_TOPICS.get(intent or "")


def topics_in_text(text: str) -> list[str]:
    """Topics whose words appear in ``text``, in the order they appear."""
    plain = normalise(text)
    found: list[tuple[int, str]] = []
    for topic, pattern in _SECOND_NEED_PATTERNS.items():
        match = pattern.search(plain)
        if match:
            found.append((match.start(), topic))
    return [topic for _, topic in sorted(found)]


def requested_topics(intent: str | None, text: str) -> list[str]:
    """The topic of the intent first, then at most one other need named in the same message."""
    primary = topic_of_intent(intent)
    if primary is None:
        return []
    others = [topic for topic in topics_in_text(text) if topic != primary]
    if primary == "generic" and others:
        # "quelles aides pour le permis": the named need is more precise than "generic".
        return others[:2]
    return [primary, *others[:1]]
