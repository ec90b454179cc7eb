#!/usr/bin/env bash
# Start the FastAPI gateway (widget, chat API, adviser console, Telegram).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# channels/web/serve.py: uvicorn with header, keep-alive and shutdown timeouts.
exec .venv-app/bin/python -m channels.web.serve
