#!/usr/bin/env bash
# The understanding lane: one stack, every blind set and every development set (tests/dev/*.yml,
# when there are any), then the gate. The report is removed first: a run that measured nothing
# leaves no report, and the gate fails on a missing report.
set -uo pipefail
cd "$(dirname "$0")/../.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1
report=results/eval/understanding.json
rm -f "$report"
sets=()
for f in tests/blind/*.yml tests/dev/*.yml; do
  [ -f "$f" ] && sets+=(--set "$f")
done
nice -n 10 .venv-app/bin/python scripts/eval_understanding.py "${sets[@]}" --report "$report" "$@"
runner=$?
.venv-app/bin/python -m scripts.eval.gate --report "$report"
gate=$?
[ "$runner" -eq 0 ] && [ "$gate" -eq 0 ]
