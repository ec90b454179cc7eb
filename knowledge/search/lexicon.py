"""How people write on a phone, folded into the words the knowledge base uses.

The lexicon (``knowledge/data/lexicon/fr.yml``) maps SMS spellings and familiar words to the
records' vocabulary; typos are corrected against the index's own vocabulary with rapidfuzz.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml
from rapidfuzz import fuzz, process

from knowledge.text import STOPWORDS, normalise

LEXICON_PATH = Path(__file__).resolve().parents[1] / "data" / "lexicon" / "fr.yml"
# Short words are too ambiguous to correct ("cap" vs "caf"); long ones rarely are.
MIN_TYPO_LENGTH = 5
TYPO_SCORE_CUTOFF = 84.0
# Elisions typed without the apostrophe or with a space ("l'apl", "d apprentissage").
_ELISION = re.compile(r"\b([cdjlmnst]|qu) (?=[aeiouyh])")


@dataclass(frozen=True)
class Lexicon:
    words: dict[str, tuple[str, ...]]
    phrases: dict[str, tuple[str, ...]]
    not_names: frozenset[str]


@functools.lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon file, loaded once per process."""
    raw = yaml.safe_load(LEXICON_PATH.read_text(encoding="utf-8")) or {}
    words = {normalise(k): tuple(normalise(v) for v in vs) for k, vs in raw["words"].items()}
    phrases = {normalise(k): tuple(normalise(v) for v in vs) for k, vs in raw["phrases"].items()}
    ignored = frozenset(normalise(word) for word in raw.get("not_names", []))
    return Lexicon(words, phrases, ignored)


def plain_words(text: str) -> list[str]:
    """Normalised words with elisions split off ("l apl" -> "apl"), stopwords kept."""
    return [word for word in _ELISION.sub("", normalise(text)).split() if word]


def expand(text: str) -> list[str]:
    """The words to search for ``text``: lexicon applied, stopwords removed, phrases added."""
    plain = " ".join(plain_words(text))
    table = lexicon()
    found: list[str] = []
    for word in plain.split():
        found.extend(table.words.get(word, (word,)))
    padded = f" {plain} "
    for phrase, extra in table.phrases.items():
        if f" {phrase} " in padded:
            found.extend(extra)
    return [word for word in found if word not in STOPWORDS and len(word) > 1]


def unglue_elision(word: str, known: set[str] | dict[str, int]) -> str:
    """ "lapl" -> "apl", "dapprentissage" -> "apprentissage" when only the rest is known."""
    if len(word) > 3 and word[0] in "cdjlmnst" and word not in known and word[1:] in known:
        return word[1:]
    return word


def not_names() -> frozenset[str]:
    """Short aliases that are also everyday words ("age"): never read as a scheme's name."""
    return lexicon().not_names


class TypoCorrector:
    """Maps an unknown word to the closest word of a vocabulary with the same first letter."""

    def __init__(self, vocabulary: set[str]) -> None:
        self._known = vocabulary
        self._by_initial: dict[str, list[str]] = {}
        for word in sorted(vocabulary):
            if len(word) >= MIN_TYPO_LENGTH - 1:
                self._by_initial.setdefault(word[0], []).append(word)

    def correct(self, word: str) -> str:
        if word in self._known or word.isdigit():
            return word
        glued = unglue_elision(word, self._known)
        if glued != word or len(word) < MIN_TYPO_LENGTH:
            return glued
        choices = self._by_initial.get(word[0], [])
        best = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=TYPO_SCORE_CUTOFF)
        return best[0] if best else word
