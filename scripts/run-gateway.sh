#!/usr/bin/env bash
# Start the FastAPI gateway (widget, chat API, adviser console, Telegram).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
exec .venv-app/bin/python -m uvicorn channels.web.app:app_from_env --factory \
  --host "$GATEWAY_HOST" --port "$GATEWAY_PORT" --no-access-log
