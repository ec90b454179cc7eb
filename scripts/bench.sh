#!/usr/bin/env bash
# `make bench`: knowledge-base search figures, then full-stack latency/throughput/memory.
set -uo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1
mkdir -p bench-results
for script in scripts/bench_place.py scripts/bench_kb.py; do
  if [ -f "$script" ]; then
    echo "==> $script"
    .venv-app/bin/python "$script" | tee "bench-results/$(basename "$script" .py).txt"
  fi
done
echo "==> full stack (gateway vs direct Rasa)"
.venv-app/bin/python scripts/bench.py
