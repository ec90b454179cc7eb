"""Ranking every scheme record against a person's own words (BM25, French stemming).

The understanding layer asks the knowledge base which records a message is about before it
decides anything: records are documents (name and aliases weigh most, then keywords, summary,
whom it is for and details), the message goes through the SMS lexicon and typo correction, and
BM25 (bm25s, Snowball French stemmer) ranks the records. Names and aliases typed in the message
are found apart, so "et l'apl de la caf" reaches the APL record whatever its score.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer
from sqlalchemy.orm import Session

from knowledge.search.lexicon import TypoCorrector, expand, not_names, plain_words, unglue_elision
from knowledge.search.scheme_index import SchemeIndex, scheme_index
from knowledge.search.schemes import commune_localities
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


@dataclass(frozen=True)
class Retrieved:
    scheme: SchemeView
    score: float
    # "national" or the scope that makes it visible at the person's commune; None: elsewhere only.
    locality: str | None


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

    @property
    def top_score(self) -> float:
        return self.hits[0].score if self.hits else 0.0


@dataclass
class _Model:
    bm25: bm25s.BM25
    corrector: TypoCorrector
    vocabulary: set[str]
    document_frequency: dict[str, int]
    # "MobiliMEL" out of "MobiliMEL, plateforme mobilité de la MEL": names people actually type.
    short_names: dict[str, int]


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
    return _Model(bm25, TypoCorrector(vocabulary), vocabulary, frequency, short_names)


def _distinctive(word: str, frequency: dict[str, int]) -> bool:
    return word not in STOPWORDS and frequency.get(word, 0) <= MAX_NAME_DOCUMENT_FREQUENCY


_cache: VersionedCache[_Model] = VersionedCache(SCHEMES_VERSION, _build)


def clear_cache() -> None:
    _cache.clear()


def query_words(session: Session, text: str) -> list[str]:
    """The message's words as the index knows them: lexicon, then typo correction."""
    model = _cache.get(session)
    return [model.corrector.correct(word) for word in expand(text)]


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
            for candidate in (phrase, phrase.replace(" ", "")):
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
    hits: list[Retrieved] = []
    ended: list[Retrieved] = []
    if known:
        scores = model.bm25.get_scores(_stemmer().stemWords(known))
        order = np.argsort(-scores)[: limit * 3]
        for doc in order:
            score = float(scores[doc])
            if score <= 0.0:
                break
            view = index.entries[int(doc)].view
            if view.is_ended and len(ended) < MAX_ENDED and not hits:
                ended.append(Retrieved(view, score, _default_locality(view)))
            if view.is_proposal or view.is_ended:
                continue
            locality = localities.get(int(doc)) if localities else _default_locality(view)
            hits.append(Retrieved(view, score, locality))
            if len(hits) == limit:
                break
    return Retrieval(hits, named, ended, known_share, tuple(words))


def _default_locality(view: SchemeView) -> str | None:
    return "national" if view.territory.scope == "national" else None
