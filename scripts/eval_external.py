"""Out-of-domain check of the trained model on the held-out external sets (../shared/eval-data).

None of the SNIPS or X-RiSAWOZ utterances is about employment, so the model should answer
`out_of_scope` or `nlu_fallback`; X-RiSAWOZ turns made only of greeting / goodbye / thanks acts may
also get `greet`, `goodbye` or `thank`, and a greeting mixed with a domain request may get `greet`.
Prints, per set, the share handled correctly and the intents that leaked (counts, examples), writes
results/external/ood.json and fails below a regression floor. Run with the engine environment:
`.venv-engine/bin/python scripts/eval_external.py [--model models/<hash>.tar.gz]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import subprocess
import sys
import warnings
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Before TensorFlow is imported by rasa: its C++ and Python logs would drown the report.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from tests.external_eval import (  # noqa: E402
    SOCIAL_ACTS,
    DialogueTurn,
    snips_rows,
    strip_markup,
    xrisawoz_turns,
)

# The quality bar: at least 9 in 10 foreign requests rejected instead of answered as a job question.
TARGET = 0.90
# Below these floors the run fails: a regression guard a few points under the measured figures
# (2026-11-22, model 722d08fd: SNIPS clean 0.913, noisy 0.903, X-RiSAWOZ 0.804). X-RiSAWOZ is under the
# target: many of its turns are follow-ups ("Quelle est sa durée ?", "Et son numéro ?") that read
# like questions about a scheme just shown, which one message alone cannot tell apart.
FLOORS = {"snips_clean": 0.87, "snips_noisy": 0.86, "xrisawoz": 0.77}
REJECT = frozenset({"out_of_scope", "nlu_fallback"})
SOCIAL_INTENTS = frozenset({"greet", "goodbye", "thank"})
EXAMPLES_PER_INTENT = 3
SHOWN_CHARS = 90
OUT = ROOT / "results" / "external" / "ood.json"


@dataclass(frozen=True)
class Case:
    """One utterance to parse and the intents that count as a correct answer to it."""

    text: str
    accepted: frozenset[str]
    kind: str


def turn_case(turn: DialogueTurn) -> Case:
    """Social-only turns may get any social intent; a greeting before a request may get `greet`."""
    if turn.acts and turn.acts <= SOCIAL_ACTS:
        return Case(turn.text, REJECT | SOCIAL_INTENTS, "social")
    if "Greeting" in turn.acts:
        return Case(turn.text, REJECT | {"greet"}, "greeting+request")
    return Case(turn.text, REJECT, "request")


def eval_sets() -> dict[str, list[Case]]:
    rows = snips_rows()
    return {
        "snips_clean": [Case(strip_markup(r.clean), REJECT, "request") for r in rows],
        "snips_noisy": [Case(strip_markup(r.noisy), REJECT, "request") for r in rows],
        "xrisawoz": [turn_case(turn) for turn in xrisawoz_turns()],
    }


def summarise(cases: list[Case], parses: list[dict[str, Any]]) -> dict[str, Any]:
    """Correct share overall and per kind of turn, and the leaked intents with examples."""
    leaked: dict[str, list[str]] = defaultdict(list)
    leak_counts: Counter[str] = Counter()
    per_kind: dict[str, Counter[str]] = defaultdict(Counter)
    for case, parse in zip(cases, parses, strict=True):
        intent = str((parse.get("intent") or {}).get("name"))
        correct = intent in case.accepted
        leak_counts[intent] += not correct
        per_kind[case.kind]["total"] += 1
        per_kind[case.kind]["correct"] += correct
        if not correct and case.text not in leaked[intent]:
            leaked[intent].append(case.text)
    correct_total = sum(kind["correct"] for kind in per_kind.values())
    return {
        "total": len(cases),
        "correct": correct_total,
        "rejection_rate": round(correct_total / len(cases), 4),
        "by_kind": {
            name: {**counts, "rate": round(counts["correct"] / counts["total"], 4)}
            for name, counts in sorted(per_kind.items())
        },
        "leaked": {
            intent: {"count": leak_counts[intent], "examples": texts[:EXAMPLES_PER_INTENT]}
            for intent, texts in sorted(leaked.items(), key=lambda item: -leak_counts[item[0]])
        },
    }


def model_path(argument: str | None) -> Path:
    if argument:
        return Path(argument)
    digest = subprocess.run(
        [str(ROOT / "scripts" / "model-hash.sh")], check=True, capture_output=True, text=True
    ).stdout.strip()
    return ROOT / "models" / f"{digest}.tar.gz"


def quiet_rasa() -> None:
    """Import rasa now, then silence it: its imports warn, and its structlog prints every parse."""
    warnings.filterwarnings("ignore")
    from rasa.core import agent  # noqa: F401  (imports TensorFlow, may reset warning filters)
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.ERROR)
    warnings.filterwarnings("ignore")
    for name in ("rasa", "tensorflow", "absl", "root"):
        logging.getLogger(name).setLevel(logging.ERROR)


async def parse_all(model: Path, sets: dict[str, list[Case]]) -> dict[str, list[dict[str, Any]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    parses: dict[str, list[dict[str, Any]]] = {name: [] for name in sets}
    for name, cases in sets.items():
        for case in cases:
            parses[name].append(await agent.parse_message(case.text))
    return parses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model archive (default: models/<model-hash>.tar.gz)")
    args = parser.parse_args()
    model = model_path(args.model)
    if not model.is_file():
        print(f"model not found: {model} (run `make train`)")
        return 1
    quiet_rasa()
    sets = eval_sets()
    parses = asyncio.run(parse_all(model, sets))
    report: dict[str, Any] = {"model": model.name, "target": TARGET, "floors": FLOORS, "sets": {}}
    ok = True
    for name, cases in sets.items():
        summary = summarise(cases, parses[name])
        report["sets"][name] = summary
        rate = summary["rejection_rate"]
        ok = ok and rate >= FLOORS[name]
        print(
            f"{name}: {rate:.3f} handled as out of scope or social ({summary['correct']}/"
            f"{summary['total']}; target {TARGET}: {'met' if rate >= TARGET else 'NOT MET'}; "
            f"floor {FLOORS[name]})"
        )
        for kind, counts in summary["by_kind"].items():
            print(f"  {kind}: {counts['rate']:.3f} ({counts['correct']}/{counts['total']})")
        for intent, leak in summary["leaked"].items():
            shown = " | ".join(text[:SHOWN_CHARS] for text in leak["examples"])
            print(f"  leaked to {intent}: {leak['count']}, e.g. {shown}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)} (model {model.name})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
