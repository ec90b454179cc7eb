#!/usr/bin/env bash
# rasa test core (test stories, fail on any prediction error), rasa test nlu (held-out file), then the
# out-of-domain check on the external held-out sets (scripts/eval_external.py).
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1
model="models/$(scripts/model-hash.sh).tar.gz"
rm -rf results/core results/nlu
echo "==> rasa test core ($model)"
.venv-engine/bin/rasa test core --stories tests/conversations --model "$model" \
  --fail-on-prediction-errors --out results/core --no-plot
echo "==> rasa test nlu on the held-out examples (tests/nlu)"
.venv-engine/bin/rasa test nlu --nlu tests/nlu --model "$model" --out results/nlu --no-plot \
  >results/nlu.log 2>&1 || { tail -30 results/nlu.log; exit 1; }
.venv-app/bin/python scripts/check_nlu_scores.py results/nlu
echo "==> out-of-domain check on the external held-out sets (../shared/eval-data)"
.venv-engine/bin/python scripts/eval_external.py --model "$model" 2>results/external.log \
  || { tail -30 results/external.log; exit 1; }
