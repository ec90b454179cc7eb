#!/usr/bin/env bash
# Start the FastAPI gateway (widget, chat API, adviser console, Telegram).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
# channels/web/serve.py: uvicorn with header, keep-alive and shutdown timeouts.
# A fatal signal (SIGBUS when SQLite cannot grow its shared memory on a full disk) still
# leaves a line and a stack in the output instead of a silent death.
export PYTHONFAULTHANDLER=1
exec .venv-app/bin/python -m channels.web.serve
