"""Fail when the held-out NLU scores are under the quality bar; print the figures and confusions."""

from __future__ import annotations

import json
import sys
from pathlib import Path

# The quality bar of issue 4, reported on every run.
INTENT_MACRO_F1_TARGET = 0.92
ENTITY_F1_TARGET = 0.85
# Below these floors the lane fails: a regression guard set just under the measured figures.
# Lowered from 0.90 on 2026-12-05 (README, "Evaluation"): the held-out set lost its 116 near-copies
# of training lines, and the figure fell to 0.891 (0.898 without the conversational intents).
INTENT_MACRO_F1_FLOOR = 0.86
ENTITY_F1_FLOOR = 0.85
DOMAIN_MACRO_F1_FLOOR = 0.86


# Short social and dialogue-control intents: easy, numerous, and they lift the macro average; the
# figure without them says how well the questions themselves are understood.
CONVERSATIONAL_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "ask_capabilities",
        "stop",
        "dont_know",
        "ask_more",
        "choose_item",
        "inform",
        "correct_field",
        "express_frustration",
        "request_human",
    }
)
REPORTS = ("intent_report.json", "DIETClassifier_report.json")
_AVERAGES = ("accuracy", "macro avg", "micro avg", "weighted avg")


def macro_without(intents: dict[str, object], excluded: frozenset[str]) -> tuple[float, int]:
    """Macro-F1 over the per-intent rows of Rasa's intent report, minus `excluded`."""
    scores = [
        float(report["f1-score"])
        for name, report in intents.items()
        if name not in _AVERAGES
        and name not in excluded
        and isinstance(report, dict)
        and "f1-score" in report
        and report.get("support", 0)
    ]
    return (sum(scores) / len(scores) if scores else 0.0), len(scores)


def main(results: Path) -> int:
    """Read Rasa's NLU reports in `results` and compare them with the bar."""
    missing = [name for name in REPORTS if not (results / name).is_file()]
    if missing:
        # A run that produced no report has measured nothing: that fails, it is never skipped.
        print(f"FAIL: missing report(s) in {results}: {', '.join(missing)}")
        return 1
    intents = json.loads((results / "intent_report.json").read_text(encoding="utf-8"))
    macro = float(intents["macro avg"]["f1-score"])
    print(
        f"intent macro-F1: {macro:.3f} (target {INTENT_MACRO_F1_TARGET}: "
        f"{'met' if macro >= INTENT_MACRO_F1_TARGET else 'NOT MET'}; floor {INTENT_MACRO_F1_FLOOR}) "
        f"on {intents['macro avg']['support']} examples"
    )
    weak = sorted(
        (name, report)
        for name, report in intents.items()
        if isinstance(report, dict) and "confused_with" in report and report["f1-score"] < 0.9
    )
    for name, report in weak:
        print(f"  {name}: F1 {report['f1-score']:.2f}, confused with {report['confused_with']}")
    domain_macro, kept = macro_without(intents, CONVERSATIONAL_INTENTS)
    print(
        f"intent macro-F1 without the {len(CONVERSATIONAL_INTENTS)} conversational intents: "
        f"{domain_macro:.3f} over {kept} intents (floor {DOMAIN_MACRO_F1_FLOOR})"
    )
    ok = macro >= INTENT_MACRO_F1_FLOOR and domain_macro >= DOMAIN_MACRO_F1_FLOOR
    entities = json.loads((results / "DIETClassifier_report.json").read_text(encoding="utf-8"))
    avg = entities.get("micro avg") or entities.get("weighted avg") or {}
    entity_f1 = float(avg.get("f1-score", 0.0))
    print(
        f"entity F1 (micro): {entity_f1:.3f} (target {ENTITY_F1_TARGET}: "
        f"{'met' if entity_f1 >= ENTITY_F1_TARGET else 'NOT MET'}; floor {ENTITY_F1_FLOOR})"
    )
    for name, report in sorted(entities.items()):
        if (
            isinstance(report, dict)
            and "support" in report
            and name not in ("micro avg", "macro avg", "weighted avg")
        ):
            print(f"  {name}: F1 {report['f1-score']:.2f} (support {report['support']})")
    ok = ok and entity_f1 >= ENTITY_F1_FLOOR
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "results/nlu")))
