#!/usr/bin/env bash
# `rasa data validate`, failing on every warning except two that are expected by design:
# responses uttered only by custom actions ("not used in any story"), and the payload-only intent
# `handoff_ended` that the gateway sends and nobody types (so it has no NLU examples on purpose).
set -uo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1
log=$(mktemp)
.venv-engine/bin/rasa data validate --data nlu/data --domain domain --config config.yml >"$log" 2>&1
status=$?
warnings=$(grep -E "UserWarning|ERROR" "$log" \
  | grep -v "The utterance '.*' is not used in any story or rule" \
  | grep -v "The intent 'handoff_ended' is listed in the domain file, but is not found in the NLU training data" || true)
if [ $status -ne 0 ] || [ -n "$warnings" ]; then
  echo "$warnings"
  tail -5 "$log"
  rm -f "$log"
  exit 1
fi
rm -f "$log"
echo "rasa data validate: ok"
