#!/usr/bin/env bash
# Start the rasa-sdk action server on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
export SANIC_HOST="$ACTION_HOST"
exec .venv-app/bin/python -m rasa_sdk --actions actions --port "$ACTION_PORT" \
  --logging-config_file scripts/actions-logging.yml  # sic: rasa-sdk spells it so
