#!/usr/bin/env bash
# Start Rasa, the action server and the gateway under scripts/supervise.py; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh
url="${PUBLIC_BASE_URL:-http://$GATEWAY_HOST:$GATEWAY_PORT}"
(
  # Tell the person where to go once every part answers (Rasa takes ~30 s to load its model).
  for _ in $(seq 1 300); do
    if curl -fs "http://$GATEWAY_HOST:$GATEWAY_PORT/healthz" >/dev/null 2>&1; then
      printf '\n==> L'"'"'assistant est prêt / the assistant is ready: %s\n' "$url"
      printf '    Console des conseillers: %s/console   API: %s/docs\n\n' "$url" "$url"
      exit 0
    fi
    sleep 1
  done
  echo "==> not healthy after 300 s: see the logs above and $url/healthz" >&2
) &
# A crashed process is restarted (and said so) instead of stopping the other two.
exec .venv-app/bin/python scripts/supervise.py -f Procfile
