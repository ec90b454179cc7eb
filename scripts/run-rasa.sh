#!/usr/bin/env bash
# Start the Rasa server: REST channel + HTTP API, on loopback, with the current model.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
model="models/$(scripts/model-hash.sh).tar.gz"
[ -f "$model" ] || { echo "no trained model ($model): run 'make train'" >&2; exit 1; }
mkdir -p var "${LOG_DIR:-var}"
auth=()
[ -n "${RASA_API_TOKEN:-}" ] && auth=(--auth-token "$RASA_API_TOKEN")
export SQLALCHEMY_SILENCE_UBER_WARNING=1
# Logs go through bot.logging.RedactingFilter (scripts/rasa-logging.yml), hence the PYTHONPATH.
export RASA_LOG_FILE="${LOG_DIR:-var}/rasa.log" PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
exec .venv-engine/bin/rasa run --enable-api -i "$RASA_HOST" -p "$RASA_PORT" -m "$model" \
  --credentials credentials.yml --endpoints "$RASA_ENDPOINTS" "${auth[@]}" --logging-config-file scripts/rasa-logging.yml
