"""Offline retrieval measure: BM25 alone against BM25 with the semantic score (no Rasa).

    .venv-app/bin/python scripts/eval_retrieval.py [--weights 0,0.5,1] [--floors 0.5]
                                                   [--min-words 1,2] [--json PATH]
                                                   [--word-vectors PATH] [--show-matches]

Loads every record of knowledge/data in a temporary SQLite database, then for each setting of the
retriever (semantic weight, floor for records found on meaning alone, fewest meaningful words
for the semantic score to order) prints top-1 / top-3 of a right record:

- (a) the questions of the retrieval tests (``scripts/eval/retrieval_cases.py``);
- (b) the first-turn ``scheme_answer`` cases of the development set F, expected names matched to
  records by name and aliases (equal, contained, or rapidfuzz token-sort ratio >= 90);

both in the retriever's order and after ``rank`` with the situation read in the message (what the
answer uses, without the NLU's topic). Then the out-of-domain separation: the AUC of each score
between the first turns of set F and the texts of the out-of-domain development set G.
Weight 0 is BM25 alone. Never reads tests/blind/.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import knowledge.models.offer  # noqa: E402,F401 - registers every table on Base.metadata
import knowledge.models.scheme  # noqa: E402,F401
import knowledge.models.territory  # noqa: E402,F401
from actions.understanding.answer import is_about_the_person  # noqa: E402
from actions.understanding.rank import rank  # noqa: E402
from actions.understanding.situation import read_situation  # noqa: E402
from knowledge.db import make_engine, make_session_factory  # noqa: E402
from knowledge.loader import write_knowledge  # noqa: E402
from knowledge.models.base import Base  # noqa: E402
from knowledge.search import retriever, semantic  # noqa: E402
from knowledge.search.semantic import record_text  # noqa: E402
from knowledge.validation import DEFAULT_DATA_DIR, read_knowledge  # noqa: E402
from knowledge.views import SchemeView, scheme_view  # noqa: E402
from scripts.eval.retrieval_cases import (  # noqa: E402
    Question,
    dev_questions,
    dev_texts,
    labels,
    test_questions,
)
from scripts.eval.word_vectors import MeanWordVectors  # noqa: E402

DEV_IN = ROOT / "tests" / "dev" / "development-2026-12-05-f.yml"
DEV_OUT = ROOT / "tests" / "dev" / "out-of-domain-dev-2026-12-05-g.yml"


def floats(text: str) -> list[float]:
    return [float(part) for part in text.split(",") if part]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--weights", type=floats, default=floats("0,0.25,0.5,1,1.5,2,3"))
    parser.add_argument("--floors", type=floats, default=floats("0.5"))
    parser.add_argument("--min-words", type=floats, default=floats("1,2,3"))
    parser.add_argument(
        "--word-vectors",
        type=Path,
        help="measure mean spaCy word vectors instead (table of scripts/eval/word_vectors.py)",
    )
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--show-matches", action="store_true", help="print set F's expected records"
    )
    args = parser.parse_args()
    data = read_knowledge(DEFAULT_DATA_DIR, territory_exists=None, sources_dir=None)
    records = {
        s.record.id: scheme_view(s.theme, s.record.model_dump(mode="json")) for s in data.schemes
    }
    if args.word_vectors is not None:
        corpus = [record_text(v.name, v.aliases, v.keywords, v.summary) for v in records.values()]
        encoder = MeanWordVectors(args.word_vectors, corpus)
        semantic.sentence_encoder = lambda: encoder  # type: ignore[assignment]
    tests = test_questions(records)
    dev, unmatched = dev_questions(DEV_IN, records)
    if args.show_matches:
        show(dev, records)
    print(
        f"(a) test questions: {len(tests)}; (b) set F first-turn scheme answers: {len(dev)}"
        f" ({unmatched} more name no record that can be ranked: left out)"
    )
    print("columns: (a) retriever top-1 top-3, ranked top-1 top-3; (b) the same")
    rows = []
    defaults = retriever.SEMANTIC_MIN_WORDS
    with tempfile.TemporaryDirectory() as directory:
        engine = make_engine(f"sqlite:///{directory}/kb.db")
        Base.metadata.create_all(engine)
        with make_session_factory(engine)() as session:
            write_knowledge(session, data)
            session.commit()
            for weight in args.weights:
                # Weight 0 is BM25 alone: no record may then come in on meaning alone.
                for floor in args.floors if weight else [1.01]:
                    for words in args.min_words if weight else [1.0]:
                        retriever.SEMANTIC_WEIGHT, retriever.SEMANTIC_MIN = weight, floor
                        retriever.SEMANTIC_MIN_WORDS = int(words)
                        row = measure(session, tests, dev)
                        row.update(weight=weight, floor=floor, min_words=int(words))
                        rows.append(row)
                        print_row(row)
            retriever.SEMANTIC_MIN_WORDS = defaults
            separation = out_of_domain(session)
    print("out-of-domain separation (AUC, set F first turns vs set G):")
    for name, value in separation.items():
        print(f"  {name:28} {value:.3f}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "auc": separation}, indent=2))
    return 0


def measure(session: object, tests: list[Question], dev: list[Question]) -> dict[str, float]:
    figures: dict[str, float] = {}
    for label, questions in (("a", tests), ("b", dev)):
        for order_name, order in (("retriever", retriever_order), ("ranked", ranked_order)):
            orders = [order(session, q.text) for q in questions]
            for k in (1, 3):
                right = sum(
                    bool(set(o[:k]) & q.right) for o, q in zip(orders, questions, strict=True)
                )
                figures[f"{label}_{order_name}_top{k}"] = right / len(questions)
    return figures


def retriever_order(session: object, text: str) -> list[str]:
    return [hit.scheme.id for hit in retriever.retrieve(session, text).hits]  # type: ignore[arg-type]


def ranked_order(session: object, text: str) -> list[str]:
    retrieval = retriever.retrieve(session, text)  # type: ignore[arg-type]
    return [item.scheme.id for item in rank(retrieval, read_situation(text))]


def print_row(row: dict[str, float]) -> None:
    cells = " ".join(
        f"{row[f'{s}_{o}_top{k}']:.3f}"
        for s in "ab"
        for o in ("retriever", "ranked")
        for k in (1, 3)
    )
    print(f"w={row['weight']:<5} floor={row['floor']:<5} words>={row['min_words']}  {cells}")


def out_of_domain(session: object) -> dict[str, float]:
    """AUC of each score between in-domain first turns and out-of-domain texts (0.5: no help)."""
    retriever.SEMANTIC_WEIGHT, retriever.SEMANTIC_MIN = 0.0, 0.5
    inside = [retriever.retrieve(session, t) for t in dev_texts(DEV_IN)]  # type: ignore[arg-type]
    outside = [retriever.retrieve(session, t) for t in dev_texts(DEV_OUT)]  # type: ignore[arg-type]
    scores: dict[str, Callable[[retriever.Retrieval], float]] = {
        "bm25 top": lambda r: r.top_score,
        "bm25 top per word": lambda r: r.top_score / max(1, len(r.query_words)),
        "known share": lambda r: r.known_share,
        "semantic top (cosine)": lambda r: r.semantic_top,
        # BM25's clear match (>= 8) on the cosine's scale (a close record is about 0.5).
        "bm25 top / 16 + semantic top": lambda r: r.top_score / 16 + r.semantic_top,
        "bm25 top / 8 + semantic top": lambda r: r.top_score / 8 + r.semantic_top,
    }
    # What the fallback's rule (answer.is_about_the_person) would answer, with and without the
    # semantic score as one more way in: every first turn here, not only the NLU's fallbacks.
    for name, path, found in (("set F", DEV_IN, inside), ("set G", DEV_OUT, outside)):
        said = [read_situation(text) for text in dev_texts(path)]
        rule = [is_about_the_person(r, s) for r, s in zip(found, said, strict=True)]
        close = [r.close_in_meaning for r in found]
        print(
            f"{name}: close in meaning {sum(close) / len(found):.3f}; answered by the rule "
            f"{sum(rule) / len(found):.3f}, rule or close {sum(map(max, rule, close)) / len(found):.3f}"
        )
    return {
        name: auc([f(r) for r in inside], [f(r) for r in outside]) for name, f in scores.items()
    }


def auc(positive: Sequence[float], negative: Sequence[float]) -> float:
    """Probability that an in-domain message scores above an out-of-domain one (ties count half)."""
    wins = sum((p > n) + 0.5 * (p == n) for p in positive for n in negative)
    return wins / (len(positive) * len(negative))


def show(questions: list[Question], records: dict[str, SchemeView]) -> None:
    for question in questions:
        names = "; ".join(sorted(min(labels(records[i]), key=len) for i in question.right))
        print(f"{question.source}: {names}")


if __name__ == "__main__":
    sys.exit(main())
