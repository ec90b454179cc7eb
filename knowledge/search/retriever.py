"""Ranking every scheme record against a person's own words (BM25, French stemming).

The understanding layer asks the knowledge base which records a message is about before it
decides anything: records are documents (name and aliases weigh most, then keywords, summary,
whom it is for and details), the message goes through the SMS lexicon and typo correction, and
BM25 (bm25s, Snowball French stemmer) ranks the records, with a semantic score beside it (the
cosine of sentence vectors, ``semantic``) for paraphrases that share no stem with the record.
Names and aliases typed in the message are found apart, so "et l'apl de la caf" reaches the APL
record whatever its score.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Any

import bm25s
import numpy as np
import numpy.typing as npt
import Stemmer
from sqlalchemy.orm import Session

from knowledge.search import semantic as semantic_search
from knowledge.search.lexicon import TypoCorrector, expand, not_names, plain_words, unglue_elision
from knowledge.search.scheme_index import SchemeIndex, scheme_index
from knowledge.search.schemes import commune_localities
from knowledge.search.semantic import SemanticIndex, build_semantic, record_text
from knowledge.text import STOPWORDS, normalise
from knowledge.versioning import SCHEMES_VERSION, VersionedCache
from knowledge.views import SchemeView

NAME_REPEAT, KEYWORD_REPEAT = 3, 2
MAX_DETAIL_CHARS = 700
MAX_NAME_WORDS = 6
MIN_NAME_CHARS = 3
MAX_ENDED = 2
# A one-word name found in more records than this is a topic word ("alternance"), not a name.
MAX_NAME_DOCUMENT_FREQUENCY = 16
# Order of the hits: BM25 over the message's best BM25, plus this weight times the cosine.
# scripts/eval_retrieval.py measured 0 (BM25 alone) to 3: 0.6 is the largest weight that lowers
# no figure of the test questions while it raises set F's; from 0.75 a test question leaves the
# top three after ``rank``.
SEMANTIC_WEIGHT = 0.6
# A record BM25 does not find at all comes in on meaning alone only above this cosine. The best
# cosine reaches it for 25 % of set F's first turns and 0.7 % of the out-of-domain set G's texts.
SEMANTIC_MIN = 0.5
# From this BM25 score the best lexical match stays first (the dialogue's "clear match" is 8).
LEXICAL_ANCHOR = 8.0
# Fewer meaningful words than this: BM25 alone orders the hits (see ``retrieve``).
SEMANTIC_MIN_WORDS = 2


@dataclass(frozen=True)
class Retrieved:
    scheme: SchemeView
    # BM25: the scale the dialogue's thresholds were measured on ("a clear match is >= 8").
    score: float
    # "national" or the scope that makes it visible at the person's commune; None: elsewhere only.
    locality: str | None
    # Cosine of the message's and the record's sentence vectors (0.0 without the encoder).
    semantic: float = 0.0
    hybrid: float | None = None

    @property
    def relevance(self) -> float:
        """What the hits are ordered by: the hybrid score, else BM25 alone."""
        return self.score if self.hybrid is None else self.hybrid


@dataclass(frozen=True)
class Retrieval:
    """Records about a message, best first, and what the message says of itself."""

    hits: list[Retrieved]
    named: list[SchemeView]
    # Ended records among the best matches: never offered, told when the person asks about them.
    ended: list[Retrieved]
    # Share of the message's meaningful words that the knowledge base knows (after correction).
    known_share: float
    query_words: tuple[str, ...]

    # Best cosine of the message with a record: how close it is to the knowledge base's topics
    # (it tells in- from out-of-domain messages better than BM25: scripts/eval_retrieval.py).
    semantic_top: float = 0.0

    @property
    def top_score(self) -> float:
        """The best BM25 score (hits are ordered by relevance, which may differ)."""
        return max((hit.score for hit in self.hits), default=0.0)

    @property
    def top_relevance(self) -> float:
        return max((hit.relevance for hit in self.hits), default=0.0)

    @property
    def close_in_meaning(self) -> bool:
        """Some record is close to the message in meaning, whatever words they share."""
        return self.semantic_top >= SEMANTIC_MIN


@dataclass
class _Model:
    bm25: bm25s.BM25
    corrector: TypoCorrector
    vocabulary: set[str]
    document_frequency: dict[str, int]
    # "MobiliMEL" out of "MobiliMEL, plateforme mobilité de la MEL": names people actually type.
    short_names: dict[str, int]
    # None when the environment has no sentence encoder: BM25 alone.
    semantic: SemanticIndex | None


@functools.lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("french")


def _words(text: str) -> list[str]:
    return [word for word in normalise(text).split() if word not in STOPWORDS and len(word) > 1]


def _document(view: SchemeView) -> list[str]:
    names = [view.name, *view.aliases] * NAME_REPEAT
    keywords = list(view.keywords) * KEYWORD_REPEAT
    prose = [view.summary, view.for_whom or "", view.details[:MAX_DETAIL_CHARS]]
    words: list[str] = []
    for part in [*names, *keywords, *prose]:
        words.extend(expand(part))
    return words


def _build(session: Session) -> _Model:
    index = scheme_index(session)
    documents = [_document(entry.view) for entry in index.entries]
    frequency: dict[str, int] = {}
    for document in documents:
        for word in set(document):
            frequency[word] = frequency.get(word, 0) + 1
    vocabulary = set(frequency)
    stem = _stemmer().stemWords
    bm25 = bm25s.BM25()
    bm25.index([stem(document) or ["_"] for document in documents], show_progress=False)
    short_names: dict[str, int] = {}
    for doc, entry in enumerate(index.entries):
        short = normalise(re.split(r",| \(| : | - ", entry.view.name)[0])
        if short and short not in index.by_name and len(short) >= MIN_NAME_CHARS:
            # "« Un jeune, un permis »" must not make every "un jeune" a name.
            if any(_distinctive(word, frequency) for word in short.split()):
                short_names.setdefault(short, doc)
    semantic = _build_semantic([entry.view for entry in index.entries])
    return _Model(bm25, TypoCorrector(vocabulary), vocabulary, frequency, short_names, semantic)


def _build_semantic(views: list[SchemeView]) -> SemanticIndex | None:
    encoder = semantic_search.sentence_encoder()
    if encoder is None:
        return None
    texts = [record_text(v.name, v.aliases, v.keywords, v.summary) for v in views]
    return build_semantic(texts, encoder)


def _distinctive(word: str, frequency: dict[str, int]) -> bool:
    return word not in STOPWORDS and frequency.get(word, 0) <= MAX_NAME_DOCUMENT_FREQUENCY


_cache: VersionedCache[_Model] = VersionedCache(SCHEMES_VERSION, _build)


def clear_cache() -> None:
    _cache.clear()


def query_words(session: Session, text: str) -> list[str]:
    """The message's words as the index knows them: lexicon, then typo correction."""
    model = _cache.get(session)
    return [model.corrector.correct(word) for word in expand(text)]


def _name_candidates(phrase: str, frequency: dict[str, int]) -> tuple[str, ...]:
    """The phrase, and glued ("1 jeune 1 solution" = "1jeune1solution") when it has a word
    of its own: glued common words make false names ("mon enfant" = the site "monenfant")."""
    parts = phrase.split(" ")
    distinctive = any(
        any(ch.isdigit() for ch in part)
        or (part not in STOPWORDS and frequency.get(part, 0) <= MAX_NAME_DOCUMENT_FREQUENCY)
        for part in parts
    )
    if len(parts) == 1 or not distinctive:
        return (phrase,)
    return (phrase, phrase.replace(" ", ""))


def named_schemes(
    index: SchemeIndex,
    text: str,
    frequency: dict[str, int] | None = None,
    short_names: dict[str, int] | None = None,
) -> list[SchemeView]:
    """Records whose name or alias is typed in the message, longest names first."""
    words = [unglue_elision(word, index.by_name) for word in plain_words(text)]
    ignored = not_names()
    frequency = frequency or {}
    found: dict[int, int] = {}
    for size in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            if len(phrase) < MIN_NAME_CHARS or phrase in STOPWORDS or phrase in ignored:
                continue
            if size == 1 and frequency.get(phrase, 0) > MAX_NAME_DOCUMENT_FREQUENCY:
                continue
            for candidate in _name_candidates(phrase, frequency):
                doc = index.by_name.get(candidate)
                if doc is None and short_names:
                    doc = short_names.get(candidate)
                if doc is not None and doc not in found:
                    found[doc] = size
    ordered = sorted(found, key=lambda doc: -found[doc])
    return [index.entries[doc].view for doc in ordered]


def retrieve(
    session: Session, text: str, *, commune_insee: str | None = None, limit: int = 40
) -> Retrieval:
    """Records ranked for ``text``; proposals never, ended records only when named."""
    model = _cache.get(session)
    index = scheme_index(session)
    words = query_words(session, text)
    meaningful = [word for word in words if not word.isdigit()]
    known = [word for word in meaningful if word in model.vocabulary]
    known_share = len(known) / len(meaningful) if meaningful else 0.0
    named = named_schemes(index, text, model.document_frequency, model.short_names)
    localities = commune_localities(session, index, commune_insee)
    size = len(index.entries)
    bm25 = model.bm25.get_scores(_stemmer().stemWords(known)) if known else np.zeros(size)
    # The message as typed: the encoder reads SMS spelling better than the lexicon's words.
    cosine = (
        model.semantic.scores(text)
        if model.semantic is not None and meaningful
        else np.zeros(size, dtype=np.float32)
    )
    # One word is a name or a topic: the encoder has no sentence to read ("prepare" the verb
    # against PreParE the allowance), so it orders nothing then.
    weight = SEMANTIC_WEIGHT if len(meaningful) >= SEMANTIC_MIN_WORDS else 0.0
    hybrid = _hybrid(bm25, cosine, weight)
    order = _best_first(hybrid, limit * 3)
    hits: list[Retrieved] = []
    ended: list[Retrieved] = []
    for doc in order:
        if hybrid[doc] <= 0.0:
            break
        view = index.entries[int(doc)].view
        found = Retrieved(
            view, float(bm25[doc]), _default_locality(view), float(cosine[doc]), float(hybrid[doc])
        )
        if view.is_ended and len(ended) < MAX_ENDED and not hits:
            ended.append(found)
        if view.is_proposal or view.is_ended:
            continue
        if localities:
            found = replace(found, locality=localities.get(int(doc)))
        hits.append(found)
        if len(hits) == limit:
            break
    semantic_top = float(cosine.max()) if size else 0.0
    return Retrieval(hits, named, ended, known_share, tuple(words), semantic_top)


def _hybrid(bm25: npt.NDArray[Any], cosine: npt.NDArray[Any], weight: float) -> npt.NDArray[Any]:
    """BM25 over the message's best, plus the weighted cosine; 0 for records left out.

    A record BM25 found keeps its place unless meaning clearly says otherwise; one it did not
    find comes in on meaning alone only above ``SEMANTIC_MIN``, so a vague message does not make
    every record a candidate.
    """
    best = float(bm25.max()) if len(bm25) else 0.0
    lexical = bm25 / best if best > 0.0 else np.zeros_like(bm25)
    closeness = np.clip(cosine, 0.0, None)
    score = lexical + weight * closeness
    candidate = (bm25 > 0.0) | (cosine >= SEMANTIC_MIN)
    score = np.where(candidate, score, 0.0)
    if best >= LEXICAL_ANCHOR:
        # The person used this record's own words: meaning reorders the others, not this one.
        score[int(bm25.argmax())] = 1.0 + weight
    return score


def _best_first(scores: npt.NDArray[Any], count: int) -> npt.NDArray[Any]:
    """Positions of the positive scores, best first (ties by position), at most ``count``.

    No full sort: with 10,000 records, sorting them all cost more than the BM25 scores.
    """
    kept = np.flatnonzero(scores > 0.0)
    if len(kept) > count:
        # A partition may cut inside a run of ties: every record tied with the last one stays.
        threshold = np.partition(scores[kept], len(kept) - count)[len(kept) - count]
        kept = kept[scores[kept] >= threshold]
    ordered: npt.NDArray[Any] = kept[np.argsort(-scores[kept], kind="stable")][:count]
    return ordered


def _default_locality(view: SchemeView) -> str | None:
    return "national" if view.territory.scope == "national" else None
