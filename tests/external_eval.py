"""Readers for the held-out external evaluation data (../shared/eval-data) and our training data.

Shared by the leak test (app env) and scripts/eval_external.py / eval_pipeline_snips.py (engine
env), so it only uses the standard library and PyYAML, both present in the two environments.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
NLU_DATA_DIR = ROOT / "nlu" / "data"
# The held-out sets live beside the clone, like ../shared/sources for the knowledge validator.
EVAL_DIR = ROOT.parent / "shared" / "eval-data"
SNIPS_DIR = "snips-fr-test"
XRISAWOZ_DIR = "xrisawoz-fr-fewshot"

# Rasa entity markup: [text](entity), [text](entity:value), [text]{"entity": ...}, [text][...].
_ENTITY_MARKUP = re.compile(r"\[([^\]]+?)\](?:\([^)]*\)|\{[^}]*\}|\[[^\]]*\])")
# The SNIPS noisy column marks each edited token as <token|edit index>.
_TYPO_MARKER = re.compile(r"<([^<>|]*)\|\d+>")
# X-RiSAWOZ user acts that carry no domain request: what our social intents may answer.
SOCIAL_ACTS = frozenset({"Greeting", "Bye", "General"})


class EvalDataMissing(FileNotFoundError):
    """The external evaluation data is not beside the clone."""


@dataclass(frozen=True)
class TrainingExample:
    """One training example as written, with where it comes from (for the failure message)."""

    path: Path
    line: int
    text: str


@dataclass(frozen=True)
class SnipsRow:
    """One SNIPS row: the same sentence clean and with typos, both with Rasa entity markup."""

    row_id: str
    intent: str
    clean: str
    noisy: str


@dataclass(frozen=True)
class DialogueTurn:
    """One X-RiSAWOZ user turn and the names of its user dialogue acts."""

    dialogue_id: str
    turn_id: str
    text: str
    acts: frozenset[str]


def strip_markup(text: str) -> str:
    """The plain text of a Rasa example: entity annotations replaced by their text."""
    return _ENTITY_MARKUP.sub(r"\1", text)


def _entity_name(annotation: str) -> str:
    """The entity of `(entity)`, `(entity:value)` or `{"entity": ...}` (empty for lists)."""
    if annotation.startswith("{"):
        return str(json.loads(annotation).get("entity", ""))
    return annotation[1:-1].split(":")[0] if annotation.startswith("(") else ""


def entity_spans(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Plain text and (start, end, entity) character spans of a `[text](entity)` example."""
    plain: list[str] = []
    spans: list[tuple[int, int, str]] = []
    position = 0
    for match in _ENTITY_MARKUP.finditer(text):
        plain.append(text[position : match.start()])
        start = sum(map(len, plain))
        plain.append(match.group(1))
        entity = _entity_name(match.group(0)[len(match.group(1)) + 2 :])
        spans.append((start, start + len(match.group(1)), entity))
        position = match.end()
    plain.append(text[position:])
    return "".join(plain), spans


def normalise(text: str) -> str:
    """The comparison key: lower case, runs of whitespace collapsed, no surrounding spaces."""
    return " ".join(text.lower().split())


def eval_dir(base: Path | None = None) -> Path:
    """The eval-data folder, or a clear error when it is not beside the clone."""
    folder = base or EVAL_DIR
    if not (folder / SNIPS_DIR).is_dir() or not (folder / XRISAWOZ_DIR).is_dir():
        raise EvalDataMissing(
            f"external evaluation data not found in {folder}: clone the shared folder beside the "
            f"repository so that ../shared/eval-data/{SNIPS_DIR} and ../shared/eval-data/"
            f"{XRISAWOZ_DIR} exist"
        )
    return folder


def _yaml_examples(value: Any) -> list[str]:
    """Examples of an NLU block: a `- ` list in a string, or a list of {text: ...} mappings."""
    if isinstance(value, str):
        return [
            line.strip()[2:].strip() for line in value.splitlines() if line.strip().startswith("- ")
        ]
    if isinstance(value, list):
        return [str(item["text"]) for item in value if isinstance(item, dict) and "text" in item]
    return []


def _texts_in_file(data: dict[str, Any]) -> list[str]:
    """Every text a person could have typed in one training file (regex patterns excluded)."""
    texts: list[str] = []
    for block in data.get("nlu") or []:
        if isinstance(block, dict) and "regex" not in block:
            texts += _yaml_examples(block.get("examples"))
    for key in ("stories", "rules"):
        for item in data.get(key) or []:
            for step in (item or {}).get("steps") or []:
                if isinstance(step, dict) and isinstance(step.get("user"), str):
                    texts.append(step["user"].strip())
    return texts


def _line_of(lines: list[str], text: str) -> int:
    """1-based line of `text` in the raw file: the `- text` item first, else any line holding it."""
    for number, line in enumerate(lines, start=1):
        if line.strip() == f"- {text}":
            return number
    return next((number for number, line in enumerate(lines, start=1) if text in line), 0)


def training_examples(folder: Path = NLU_DATA_DIR) -> Iterator[TrainingExample]:
    """Every example of the training data (intents, synonyms, lookups, end-to-end user turns)."""
    for path in sorted(folder.rglob("*.yml")) + sorted(folder.rglob("*.yaml")):
        raw = path.read_text(encoding="utf-8")
        data = yaml.safe_load(raw) or {}
        lines = raw.splitlines()
        for text in _texts_in_file(data):
            yield TrainingExample(path, _line_of(lines, text), text)


def _tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _rasa_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, example with markup) of a Rasa NLU file, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        (str(block["intent"]), text)
        for block in data.get("nlu") or []
        if "intent" in block
        for text in _yaml_examples(block.get("examples"))
    ]


def snips_rows(base: Path | None = None) -> list[SnipsRow]:
    """The 691 SNIPS rows with their ids, pairing the two Rasa files with source/data.tsv.

    The Rasa files list each intent's rows in data.tsv order; the pairing is checked on the text.
    """
    folder = eval_dir(base) / SNIPS_DIR
    by_intent: dict[str, list[dict[str, str]]] = {}
    for row in _tsv(folder / "source" / "data.tsv"):
        by_intent.setdefault(row["intent"], []).append(row)
    clean = _rasa_examples(folder / "rasa" / "test_clean.yml")
    noisy = _rasa_examples(folder / "rasa" / "test_noisy.yml")
    seen: dict[str, int] = {}
    rows: list[SnipsRow] = []
    for (intent, clean_text), (_, noisy_text) in zip(clean, noisy, strict=True):
        source = by_intent[intent][seen.get(intent, 0)]
        seen[intent] = seen.get(intent, 0) + 1
        if strip_markup(clean_text) != source["old_utterance"]:
            raise ValueError(f"SNIPS files out of step at row {source['id']}: {clean_text!r}")
        rows.append(SnipsRow(source["id"], intent, clean_text, noisy_text))
    return rows


def xrisawoz_turns(base: Path | None = None) -> list[DialogueTurn]:
    """The 659 X-RiSAWOZ user turns with their act names."""
    rows = _tsv(eval_dir(base) / XRISAWOZ_DIR / "user_turns.tsv")
    return [
        DialogueTurn(
            row["dialogue_id"],
            row["turn_id"],
            row["user_utterance"],
            frozenset(act.split("|")[0] for act in row["user_acts"].split(";") if act),
        )
        for row in rows
    ]


def eval_utterances(base: Path | None = None) -> set[str]:
    """Every eval utterance in every written form, normalised: what training must never contain."""
    folder = eval_dir(base)
    snips = folder / SNIPS_DIR
    texts: list[str] = []
    for row in _tsv(snips / "source" / "data.tsv"):
        noisy = row["new_utterance"]
        texts += [row["old_utterance"], noisy, _TYPO_MARKER.sub(r"\1", noisy)]
    for name in ("test_clean.yml", "test_noisy.yml"):
        texts += [strip_markup(text) for _, text in _rasa_examples(snips / "rasa" / name)]
    texts += [turn.text for turn in xrisawoz_turns(folder)]
    return {key for key in map(normalise, texts) if key}


def leaks(examples: Iterable[TrainingExample], held_out: set[str]) -> list[TrainingExample]:
    """The training examples whose plain text is a held-out utterance."""
    return [e for e in examples if normalise(strip_markup(e.text)) in held_out]


def describe(example: TrainingExample) -> str:
    """`path:line: text`, the path relative to the repository when it is inside it."""
    path = example.path.relative_to(ROOT) if example.path.is_relative_to(ROOT) else example.path
    return f"{path}:{example.line}: {example.text}"
