"""Questions with their right records, for the offline retrieval measure (scripts/eval_retrieval.py).

Two sources, never the blind sets:

- the retrieval tests: every ``(text, record id)`` pair parametrised in
  ``tests/understanding/test_retrieval.py`` and ``tests/knowledge/test_national*_records.py``
  (read from the tests themselves, so the measure follows them);
- the first-turn ``scheme_answer`` cases of the development set F: the expected names of each
  case are matched to records (``records_named``: the closest record by name or alias, with
  rapidfuzz), and a case is right when one of its records ranks.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from knowledge.views import SchemeView
from scripts.eval.scoring import normalise

ROOT = Path(__file__).resolve().parents[2]
TEST_MODULES = ("tests.understanding.test_retrieval",) + tuple(
    f"tests.knowledge.{path.stem}"
    for path in sorted((ROOT / "tests" / "knowledge").glob("test_national*_records.py"))
)
# Below this, an expected name designates no record (the knowledge base does not hold it).
MIN_MATCH = 85.0
CONTAINED_BASE = 80.0
_PARENTHESIS = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class Question:
    source: str
    text: str
    right: frozenset[str]


def test_questions(records: Mapping[str, SchemeView]) -> list[Question]:
    """Every (text, record id) pair the retrieval tests parametrise, once each."""
    seen: set[tuple[str, str]] = set()
    questions: list[Question] = []
    for name in TEST_MODULES:
        module = importlib.import_module(name)
        for _, function in inspect.getmembers(module, inspect.isfunction):
            for mark in getattr(function, "pytestmark", []):
                for text, scheme_id in _pairs(mark, records):
                    if (text, scheme_id) not in seen:
                        seen.add((text, scheme_id))
                        questions.append(
                            Question(name.rsplit(".", 1)[1], text, frozenset({scheme_id}))
                        )
    return questions


def _pairs(mark: Any, records: Mapping[str, SchemeView]) -> Iterable[tuple[str, str]]:
    if mark.name != "parametrize" or len(mark.args) < 2:
        return []
    names = mark.args[0]
    names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    if len(names) != 2:
        return []
    return [
        (value[0], value[1])
        for value in mark.args[1]
        if isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and value[1] in records
    ]


def variants(name: str) -> set[str]:
    """The name normalised, without its parenthesis, and the parenthesis when it is an acronym.

    "foyer de jeunes travailleurs (FJT)" gives "fjt" too, but "aide ... (Hauts-de-France)" does
    not give "hauts de france", the alias of another record.
    """
    found = {normalise(name), normalise(_PARENTHESIS.sub(" ", name))}
    found |= {
        normalise(inside) for inside in _PARENTHESIS.findall(name) if " " not in inside.strip()
    }
    return {variant for variant in found if variant}


def labels(view: SchemeView) -> set[str]:
    """The record's name and aliases, in their variants."""
    found: set[str] = set()
    for label in [view.name, *view.aliases]:
        found |= variants(label)
    return found


def pair_score(wanted: str, label: str) -> float:
    """100 when equal; rapidfuzz's token-sort ratio; or, when one holds the other as whole words,
    80 plus up to 20 for how much of the longer the shorter covers."""
    if wanted == label:
        return 100.0
    score = fuzz.token_sort_ratio(wanted, label)
    short, long = sorted((wanted, label), key=len)
    if f" {short} " in f" {long} ":
        score = max(score, CONTAINED_BASE + 20.0 * len(short) / len(long))
    return float(score)


def records_named(group: Sequence[str], records: Mapping[str, SchemeView]) -> set[str]:
    """The record one expected scheme (a group of acceptable names) designates: the closest one
    by name or alias (ties kept), if it is close enough."""
    wanted = set().union(*(variants(name) for name in group))
    scores = {
        scheme_id: max(pair_score(w, label) for w in wanted for label in labels(view))
        for scheme_id, view in records.items()
    }
    best = max(scores.values(), default=0.0)
    if best < MIN_MATCH:
        return set()
    return {scheme_id for scheme_id, score in scores.items() if score == best}


def dev_questions(path: Path, records: Mapping[str, SchemeView]) -> tuple[list[Question], int]:
    """First-turn scheme answers of a development set; also how many name no rankable record."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    rankable = {i for i, v in records.items() if not v.is_ended and not v.is_proposal}
    questions: list[Question] = []
    unmatched = 0
    for case in cases:
        expect = case.get("expect") or {}
        if expect.get("flow") != "scheme_answer" or len(case["turns"]) != 1:
            continue
        right: set[str] = set()
        for group in expect.get("schemes") or []:
            right |= records_named(group, records) & rankable
        if not right:
            unmatched += 1
            continue
        questions.append(Question(case["id"], case["turns"][0], frozenset(right)))
    return questions, unmatched


def dev_texts(path: Path) -> list[str]:
    """First turns of an in-domain set, or texts of an out-of-domain set."""
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    return [case["turns"][0] if "turns" in case else case["text"] for case in cases]
