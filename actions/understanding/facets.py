"""Reading a question's intent beyond its topic: a facet of a named scheme, a follow-up."""

from __future__ import annotations

import re

from knowledge.text import normalise

# "combien", "c'est quoi", "comment on fait", "j'y ai droit", "où", "quand", "qui peut":
# a question about one named record, answered with its details rather than a list.
_FACET = re.compile(
    r"\b(combien|montant|prix|tarif|cout|coute|gratuit|c est quoi|c koi|cest quoi|quoi|comment|"
    r"demarche|dossier|postuler|demander|inscrire|droit|eligible|qui peut|pour qui|ou|quand|"
    r"delai|horaires|ouvert|conditions?|duree|plafond|cumul|cumuler|marche)\b"
)
SHORT_MESSAGE_WORDS = 6


def asks_about_one(text: str) -> bool:
    """True when the message asks something about a record rather than for a list."""
    plain = normalise(text)
    return bool(_FACET.search(plain)) or len(plain.split()) <= SHORT_MESSAGE_WORDS
