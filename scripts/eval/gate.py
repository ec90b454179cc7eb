"""The understanding gate: fail when the report is missing or a figure is past its floor.

    .venv-app/bin/python -m scripts.eval.gate [--report results/eval/understanding.json]
                                              [--floors scripts/eval/floors.yml]

For each set and measure of floors.yml, prints the floor, the measured figure and the issue's
target. `floor` is a minimum (higher is better), `ceiling` a maximum (lower is better). A set listed
in floors.yml but absent from the report fails (a lane that measured nothing has not passed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent
DEFAULT_REPORT = ROOT / "results" / "eval" / "understanding.json"
DEFAULT_FLOORS = ROOT / "scripts" / "eval" / "floors.yml"


def check(report: dict[str, Any], floors: dict[str, Any]) -> tuple[list[str], bool]:
    """Lines to print and whether every figure is within its floor or ceiling."""
    lines: list[str] = []
    ok = True
    for set_name, measures in (floors.get("sets") or {}).items():
        figures = (report.get("sets") or {}).get(set_name)
        if figures is None:
            lines.append(f"FAIL {set_name}: not in the report (was it run?)")
            ok = False
            continue
        if figures.get("errors"):
            lines.append(f"FAIL {set_name}: {figures['errors']} cases could not be played")
            ok = False
        for measure, bar in measures.items():
            value = (figures.get(measure) or {}).get("rate")
            target = bar.get("target", "-")
            if value is None:
                lines.append(f"FAIL {set_name} {measure}: not measured")
                ok = False
                continue
            if "floor" in bar:
                passed, limit = value >= float(bar["floor"]), f"floor {bar['floor']}"
            else:
                passed, limit = value <= float(bar["ceiling"]), f"ceiling {bar['ceiling']}"
            ok = ok and passed
            lines.append(
                f"{'ok  ' if passed else 'FAIL'} {set_name} {measure}: measured {value:.3f}, "
                f"{limit}, target {target}"
            )
    return lines, ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", type=Path, default=DEFAULT_REPORT)
    parser.add_argument("--floors", type=Path, default=DEFAULT_FLOORS)
    args = parser.parse_args(argv)
    if not args.report.is_file():
        print(f"FAIL: no report at {args.report} (the evaluation did not run)")
        return 1
    report = json.loads(args.report.read_text(encoding="utf-8"))
    floors = yaml.safe_load(args.floors.read_text(encoding="utf-8")) or {}
    lines, ok = check(report, floors)
    print(f"understanding gate, report of {report.get('date')} (model {report.get('model')})")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
