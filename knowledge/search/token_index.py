"""A small inverted index with typo-tolerant token lookup (rapidfuzz).

Query words are expanded to the indexed words they resemble (exact, same prefix, or
a close spelling), then documents are scored by the share of the query they cover,
each word weighted by its rarity (IDF), so "aide" counts less than "mobili".
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Collection, Iterable

from rapidfuzz import fuzz, process

from knowledge.text import tokens


def stem(word: str) -> str:
    """Fold French plurals ("enfants", "travaux") onto the singular."""
    if len(word) > 4 and word[-1] in "sx":
        return word[:-1]
    return word


def index_tokens(text: str) -> list[str]:
    return [stem(word) for word in tokens(text)]


# Below this similarity two words are different words ("covoiturage" / "voiture": 78).
FUZZY_CUTOFF = 80.0


class TokenIndex:
    """Maps stemmed words to the documents (ints) containing them, with a field weight."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, float]] = {}
        self._documents: set[int] = set()
        self._sorted_vocabulary: list[str] = []
        self._idf: dict[str, float] = {}
        self._expansions: dict[str, list[tuple[str, float]]] = {}

    def add(self, document: int, words: Iterable[str], weight: float = 1.0) -> None:
        self._documents.add(document)
        for word in words:
            posting = self._postings.setdefault(word, {})
            if posting.get(document, 0.0) < weight:
                posting[document] = weight

    def freeze(self) -> None:
        """Compute rarity weights once all documents are added."""
        total = len(self._documents) + 1
        self._sorted_vocabulary = sorted(self._postings)
        self._idf = {w: math.log(total / (len(p) + 0.5)) + 1.0 for w, p in self._postings.items()}
        self._expansions.clear()

    @property
    def max_idf(self) -> float:
        return max(self._idf.values(), default=1.0)

    def expand(self, word: str) -> list[tuple[str, float]]:
        """Indexed words resembling ``word``, with a similarity in [0, 1]."""
        cached = self._expansions.get(word)
        if cached is not None:
            return cached
        found: dict[str, float] = {}
        if word in self._postings:
            found[word] = 1.0
        if len(word) >= 4:
            # A word typed half-way ("soud", "mobili") still points to its completions.
            start = bisect.bisect_left(self._sorted_vocabulary, word)
            for candidate in self._sorted_vocabulary[start : start + 20]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, 0.9)
            for candidate, score, _ in process.extract(
                word, self._sorted_vocabulary, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=8
            ):
                found[candidate] = max(found.get(candidate, 0.0), score / 100.0)
        result = sorted(found.items(), key=lambda item: -item[1])
        if len(self._expansions) < 50_000:
            self._expansions[word] = result
        return result

    def score(
        self, query_words: list[str], allowed: Collection[int] | None = None
    ) -> dict[int, float]:
        """Coverage of the query by each document, in [0, 1] (only documents with a match)."""
        totals: dict[int, float] = {}
        weight_sum = 0.0
        for word in dict.fromkeys(query_words):
            expansions = self.expand(word)
            if not expansions:
                # An unknown word lowers every score a little, not to zero: people add noise.
                weight_sum += 0.5 * self.max_idf
                continue
            weight = self._idf.get(word) or self._idf[expansions[0][0]]
            weight_sum += weight
            best: dict[int, float] = {}
            for candidate, similarity in expansions:
                self._accumulate(best, self._postings[candidate], similarity, allowed)
            for document, value in best.items():
                totals[document] = totals.get(document, 0.0) + weight * value
        if weight_sum == 0.0:
            return {}
        return {document: value / weight_sum for document, value in totals.items()}

    @staticmethod
    def _accumulate(
        best: dict[int, float],
        posting: dict[int, float],
        similarity: float,
        allowed: Collection[int] | None,
    ) -> None:
        if allowed is not None and len(allowed) < len(posting):
            pairs: Iterable[tuple[int, float]] = (
                (doc, posting[doc]) for doc in allowed if doc in posting
            )
        else:
            pairs = posting.items()
            if allowed is not None:
                pairs = ((doc, w) for doc, w in pairs if doc in allowed)
        for document, field_weight in pairs:
            value = similarity * field_weight
            if value > best.get(document, 0.0):
                best[document] = value
