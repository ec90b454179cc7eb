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


def _deletions(word: str) -> list[str]:
    return [word[:i] + word[i + 1 :] for i in range(len(word))]


class TokenIndex:
    """Maps stemmed words to the documents (ints) containing them, with a field weight."""

    def __init__(self) -> None:
        self._postings: dict[str, dict[int, float]] = {}
        self._documents: set[int] = set()
        self._sorted_vocabulary: list[str] = []
        self._idf: dict[str, float] = {}
        self._expansions: dict[str, list[tuple[str, float]]] = {}
        self._by_deletion: dict[str, list[str]] = {}
        self._by_initial: dict[str, list[str]] = {}
        self._max_idf = 1.0

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
        self._max_idf = max(self._idf.values(), default=1.0)
        self._expansions.clear()
        self._by_deletion.clear()
        self._by_initial.clear()
        for word in self._sorted_vocabulary:
            if len(word) < 4 or not word.isalpha():
                continue  # short words and codes only match exactly
            self._by_initial.setdefault(word[0], []).append(word)
            for variant in {word, *_deletions(word)}:
                self._by_deletion.setdefault(variant, []).append(word)

    @property
    def max_idf(self) -> float:
        return self._max_idf

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
            for candidate, score in self._close_spellings(word):
                found[candidate] = max(found.get(candidate, 0.0), score / 100.0)
        result = sorted(found.items(), key=lambda item: -item[1])
        if len(self._expansions) < 50_000:
            self._expansions[word] = result
        return result

    def _close_spellings(self, word: str) -> list[tuple[str, float]]:
        """Words one edit away (symmetric deletions), else a fuzzy scan of same-initial words.

        The deletion table answers in microseconds; scanning the whole vocabulary with
        rapidfuzz costs milliseconds once it holds tens of thousands of words.
        """
        candidates: set[str] = set()
        for variant in {word, *_deletions(word)}:
            candidates.update(self._by_deletion.get(variant, ()))
        found = [
            (candidate, score)
            for candidate in candidates
            if (score := fuzz.ratio(word, candidate)) >= FUZZY_CUTOFF
        ]
        if found or len(word) < 6:
            return found
        return [
            (candidate, score)
            for candidate, score, _ in process.extract(
                word,
                self._by_initial.get(word[0], []),
                scorer=fuzz.ratio,
                score_cutoff=FUZZY_CUTOFF,
                limit=8,
            )
        ]

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
        pairs: Iterable[tuple[int, float]]
        if allowed is None:
            pairs = posting.items()
        else:
            # A C-level set intersection, then lookups only for the documents kept.
            pairs = ((doc, posting[doc]) for doc in posting.keys() & allowed)
        for document, field_weight in pairs:
            value = similarity * field_weight
            if value > best.get(document, 0.0):
                best[document] = value
