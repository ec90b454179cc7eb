#!/usr/bin/env bash
# `make test`: every lane, in order of speed; a summary at the end; non-zero exit if any lane failed.
set -uo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1
failed=()
lane() {
  local name=$1; shift
  echo; echo "======== $name"
  local start=$SECONDS
  if "$@"; then echo "-------- $name: ok ($((SECONDS - start)) s)"
  else echo "-------- $name: FAILED ($((SECONDS - start)) s)"; failed+=("$name"); fi
}
lane "ruff" bash -c ".venv-app/bin/ruff check . && .venv-app/bin/ruff format --check ."
lane "mypy" .venv-app/bin/mypy
lane "pytest (consistency, actions, knowledge, channels, postgres lane)" \
  .venv-app/bin/python -m pytest -m "not e2e and not browser" -q -p no:cacheprovider
lane "rasa data validate" scripts/rasa-validate.sh
lane "rasa train" scripts/train.sh
lane "rasa test core + nlu" scripts/rasa-test.sh
lane "understanding evaluation (blind + dev sets, floors gate)" scripts/eval/lane.sh
lane "browser install" scripts/install-browser.sh
lane "end-to-end and browser (real processes)" \
  .venv-app/bin/python -m pytest -m "e2e or browser" -q -p no:cacheprovider
echo
if [ ${#failed[@]} -eq 0 ]; then echo "ALL LANES PASSED"; exit 0; fi
echo "FAILED LANES: ${failed[*]}"; exit 1
