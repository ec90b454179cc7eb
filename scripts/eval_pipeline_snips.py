"""Pipeline robustness check: k-fold cross-validation of OUR NLU pipeline on French SNIPS.

SNIPS (../shared/eval-data/snips-fr-test) has no French train split, so the 691 clean test rows
are split in k folds stratified by intent (fixed seed). For each fold an NLU-only model is trained
with config.yml's pipeline on the clean rows of the other folds, then scored on the held-out fold
twice: its clean form and its typo-noised form (same rows). The gap shows how the pipeline copes
with typos. Never touches our training data or models/. Engine environment, slow (one training per
fold): `nice -n 19 .venv-engine/bin/python scripts/eval_pipeline_snips.py [--folds 2 --epochs 5]`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")

from eval_external import quiet_rasa  # noqa: E402  (scripts/ is on the path: run as a script)

from tests.external_eval import SnipsRow, entity_spans, snips_rows  # noqa: E402

OUT = ROOT / "results" / "external" / "snips_kfold.json"
FORMS = ("clean", "noisy")


def stratified_folds(rows: list[SnipsRow], folds: int, seed: int) -> list[list[SnipsRow]]:
    """Rows shuffled within each intent, then dealt round-robin: every fold has every intent."""
    rng = random.Random(seed)
    by_intent: dict[str, list[SnipsRow]] = defaultdict(list)
    for row in rows:
        by_intent[row.intent].append(row)
    dealt: list[list[SnipsRow]] = [[] for _ in range(folds)]
    turn = 0
    for intent in sorted(by_intent):
        group = by_intent[intent]
        rng.shuffle(group)
        for row in group:
            dealt[turn % folds].append(row)
            turn += 1
    return dealt


def write_nlu(rows: list[SnipsRow], path: Path) -> None:
    """Rasa NLU YAML of the clean rows, entity markup kept."""
    by_intent: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        by_intent[row.intent].append(row.clean)
    blocks = [
        f"- intent: {intent}\n  examples: |\n" + "".join(f"    - {text}\n" for text in texts)
        for intent, texts in sorted(by_intent.items())
    ]
    path.write_text('version: "3.1"\nnlu:\n' + "".join(blocks), encoding="utf-8")


def write_config(path: Path, epochs: int | None) -> None:
    """config.yml with its pipeline untouched (DIET epochs only when overridden for a quick run)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config.pop("policies", None)
    if epochs is not None:
        for component in config["pipeline"]:
            if component["name"] == "DIETClassifier":
                component["epochs"] = epochs
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def score(rows: list[SnipsRow], form: str, parses: list[dict[str, Any]]) -> dict[str, float]:
    """Intent accuracy and macro-F1 over the gold intents; entity micro-F1 on exact spans."""
    intents = sorted({row.intent for row in rows})
    counts: dict[str, Counter[str]] = {intent: Counter() for intent in intents}
    entity = Counter[str]()
    correct = fallback = 0
    for row, parse in zip(rows, parses, strict=True):
        predicted = str((parse.get("intent") or {}).get("name"))
        fallback += predicted == "nlu_fallback"
        if predicted == row.intent:
            correct += 1
            counts[row.intent]["tp"] += 1
        else:
            counts[row.intent]["fn"] += 1
            if predicted in counts:
                counts[predicted]["fp"] += 1
        _, gold_spans = entity_spans(getattr(row, form))
        gold = set(gold_spans)
        found = {(e["start"], e["end"], e["entity"]) for e in parse.get("entities") or []}
        entity["tp"] += len(gold & found)
        entity["fp"] += len(found - gold)
        entity["fn"] += len(gold - found)
    return {
        "intent_accuracy": correct / len(rows),
        "intent_macro_f1": statistics.fmean(f1(c["tp"], c["fp"], c["fn"]) for c in counts.values()),
        "entity_micro_f1": f1(entity["tp"], entity["fp"], entity["fn"]),
        "fallback_rate": fallback / len(rows),
    }


async def parse_fold(model: str, rows: list[SnipsRow]) -> dict[str, list[dict[str, Any]]]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    parses: dict[str, list[dict[str, Any]]] = {form: [] for form in FORMS}
    for form in FORMS:
        for row in rows:
            parses[form].append(await agent.parse_message(entity_spans(getattr(row, form))[0]))
    return parses


def run_fold(
    index: int, train: list[SnipsRow], test: list[SnipsRow], epochs: int | None, workdir: Path
) -> dict[str, dict[str, float]]:
    from rasa.model_training import train_nlu

    folder = workdir / f"fold{index}"
    folder.mkdir()
    write_nlu(train, folder / "train.yml")
    write_config(folder / "config.yml", epochs)
    model = train_nlu(
        str(folder / "config.yml"), str(folder / "train.yml"), str(folder), f"fold{index}"
    )
    if not model:
        raise RuntimeError(f"training fold {index} produced no model")
    parses = asyncio.run(parse_fold(model, test))
    return {form: score(test, form, parses[form]) for form in FORMS}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, help="override DIET epochs (quick development runs)")
    args = parser.parse_args()
    quiet_rasa()
    folds = stratified_folds(snips_rows(), args.folds, args.seed)
    started = time.monotonic()
    per_fold: list[dict[str, dict[str, float]]] = []
    # A private cache: the graph cache of a concurrent `make train` must not be shared or grown.
    with tempfile.TemporaryDirectory(prefix="snips-kfold-") as tmp:
        os.environ["RASA_CACHE_DIRECTORY"] = str(Path(tmp) / "cache")
        for index, test in enumerate(folds):
            train = [row for other, fold in enumerate(folds) if other != index for row in fold]
            result = run_fold(index, train, test, args.epochs, Path(tmp))
            per_fold.append(result)
            print(f"fold {index + 1}/{len(folds)} ({len(test)} rows): {json.dumps(result)}")
    metrics = list(per_fold[0]["clean"])
    mean = {
        form: {m: round(statistics.fmean(fold[form][m] for fold in per_fold), 4) for m in metrics}
        for form in FORMS
    }
    print(f"{'mean over ' + str(len(folds)) + ' folds':<24}{'clean':>8}{'noisy':>8}{'drop':>8}")
    for metric in metrics:
        clean, noisy = mean["clean"][metric], mean["noisy"][metric]
        print(f"{metric:<24}{clean:>8.3f}{noisy:>8.3f}{clean - noisy:>8.3f}")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    report = {
        "folds": len(folds),
        "seed": args.seed,
        "diet_epochs": args.epochs or "config.yml",
        "entity_f1": "exact character spans, micro over entity types",
        "seconds": round(time.monotonic() - started),
        "mean": mean,
        "per_fold": per_fold,
    }
    OUT.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
