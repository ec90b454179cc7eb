"""scripts/check_nlu_scores.py: macro-F1 without the conversational intents; missing reports fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scripts.check_nlu_scores import CONVERSATIONAL_INTENTS, macro_without, main

INTENTS = {
    "greet": {"f1-score": 1.0, "support": 20},
    "thank": {"f1-score": 1.0, "support": 20},
    "ask_housing": {"f1-score": 0.8, "support": 20},
    "ask_childcare": {"f1-score": 0.6, "support": 20},
    "never_seen": {"f1-score": 0.0, "support": 0},
    "accuracy": 0.9,
    "macro avg": {"f1-score": 0.85, "support": 80},
    "weighted avg": {"f1-score": 0.85, "support": 80},
}


def test_macro_without_conversational_intents_averages_the_others_only() -> None:
    assert {"greet", "thank"} <= CONVERSATIONAL_INTENTS
    value, kept = macro_without(INTENTS, CONVERSATIONAL_INTENTS)
    assert kept == 2 and value == pytest.approx(0.7)
    assert macro_without(INTENTS, frozenset())[0] == pytest.approx(0.85)


def test_a_missing_report_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "intent_report.json").write_text(json.dumps(INTENTS), encoding="utf-8")
    assert main(tmp_path) == 1
    assert "DIETClassifier_report.json" in capsys.readouterr().out
