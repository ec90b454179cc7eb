"""Text normalisation shared by the indexes: how people write, folded to one form."""

from __future__ import annotations

import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
# Function words and filler typed around a need ("je cherche une aide pour ..."):
# they carry no meaning for matching and would make every record a candidate.
STOPWORDS = frozenset(
    """
    a au aux avec c ce ces cet cette d dans de des du en et est il ils j je jai l la le les leur
    lui m ma me mes moi mon n ne nous on ou par pas pour pr pk pq qu que qui s sa se ses si son
    sur t ta te tes toi ton tu un une vos votre vous y svp stp bonjour slt salut merci cherche
    chercher recherche veux voudrais voudrai aimerais besoin trouver quoi quel quelle quels quelles
    comment existe il-y-a ya
    """.split()
)
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "pr": "pour", "ds": "dans", "tjr": "toujours"}


def normalise(text: str) -> str:
    """Lowercase, strip accents and punctuation, collapse spaces."""
    return " ".join(_NON_ALNUM.sub(" ", unidecode(text).lower()).split())


def tokens(text: str) -> list[str]:
    """Meaningful tokens of ``text`` (normalised, abbreviations expanded, no stopwords)."""
    words = (_ABBREVIATIONS.get(word, word) for word in normalise(text).split())
    return [word for word in words if word not in STOPWORDS]
