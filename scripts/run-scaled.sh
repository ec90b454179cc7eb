#!/usr/bin/env bash
# `make run-scaled`: 2 Rasa replicas, 2 action servers, 2 gateways behind HAProxy on one machine,
# sharing PostgreSQL (Rasa tracker store, app database) and Redis (Rasa lock store, gateway live
# events and chat locks). Ports do not clash with `make run`. Ctrl-C stops everything.
# docs/scaling.md explains the architecture; deploy/haproxy.cfg the load balancer.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/env.sh

# --- Ports (override any of them in the environment) ---------------------------------------
export SCALED_PORT="${SCALED_PORT:-8100}"                  # the public entry point
export SCALED_STATS_PORT="${SCALED_STATS_PORT:-8199}"      # HAProxy /stats
export SCALED_RASA_PORT="${SCALED_RASA_PORT:-5100}"        # gateways -> Rasa replicas
export SCALED_RASA_1_PORT="${SCALED_RASA_1_PORT:-5101}" SCALED_RASA_2_PORT="${SCALED_RASA_2_PORT:-5102}"
export SCALED_ACTIONS_PORT="${SCALED_ACTIONS_PORT:-5150}"  # Rasa -> action servers
export SCALED_ACTIONS_1_PORT="${SCALED_ACTIONS_1_PORT:-5151}" SCALED_ACTIONS_2_PORT="${SCALED_ACTIONS_2_PORT:-5152}"
export SCALED_GATEWAY_1_PORT="${SCALED_GATEWAY_1_PORT:-8101}" SCALED_GATEWAY_2_PORT="${SCALED_GATEWAY_2_PORT:-8102}"

# --- Shared stores ------------------------------------------------------------------------
# The app database must be shared by the gateways: PostgreSQL, a database of its own.
SCALED_DB="${SCALED_DB:-assistant_scaled}"
export DATABASE_URL="${SCALED_DATABASE_URL:-postgresql+psycopg://$TRACKER_PG_USER@$TRACKER_PG_HOST:$TRACKER_PG_PORT/$SCALED_DB}"
export RASA_ENDPOINTS=endpoints.postgres.yml  # PostgreSQL tracker store + Redis lock store
export REDIS_URL="${REDIS_URL:-redis://$REDIS_HOST:$REDIS_PORT/2}"  # db 1 is Rasa's lock store
export RASA_URL="http://127.0.0.1:$SCALED_RASA_PORT"
export ACTION_SERVER_URL="http://127.0.0.1:$SCALED_ACTIONS_PORT/webhook"
export PUBLIC_BASE_URL="${PUBLIC_BASE_URL:-http://127.0.0.1:$SCALED_PORT}"

model="models/$(scripts/model-hash.sh).tar.gz"
[ -f "$model" ] || { echo "no trained model ($model): run 'make train'" >&2; exit 1; }
pg_isready -q -h "$TRACKER_PG_HOST" -p "$TRACKER_PG_PORT" || { echo "PostgreSQL is not answering on $TRACKER_PG_HOST:$TRACKER_PG_PORT" >&2; exit 1; }
redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping >/dev/null || { echo "Redis is not answering on $REDIS_HOST:$REDIS_PORT" >&2; exit 1; }
scripts/install-haproxy.sh
haproxy=$(command -v haproxy || echo /usr/sbin/haproxy)
"$haproxy" -c -q -f deploy/haproxy.cfg

if [ -z "${SCALED_DATABASE_URL:-}" ]; then
  export PGPASSWORD="${TRACKER_PG_PASSWORD:-}"
  psql -h "$TRACKER_PG_HOST" -p "$TRACKER_PG_PORT" -U "$TRACKER_PG_USER" -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$SCALED_DB'" | grep -q 1 \
    || createdb -h "$TRACKER_PG_HOST" -p "$TRACKER_PG_PORT" -U "$TRACKER_PG_USER" "$SCALED_DB"
fi
echo "==> knowledge base in $SCALED_DB (idempotent)"
.venv-app/bin/python -m knowledge migrate && .venv-app/bin/python -m knowledge load

# --- One Procfile for the supervisor: each line sets its own ports and log directory --------
run=var/scaled
mkdir -p "$run"
{
  for i in 1 2; do
    rasa_port_var="SCALED_RASA_${i}_PORT" actions_port_var="SCALED_ACTIONS_${i}_PORT"
    gateway_port_var="SCALED_GATEWAY_${i}_PORT"
    mkdir -p "$run/rasa$i" "$run/actions$i" "$run/gateway$i"
    # The pid file lets scripts/bench_scaled.py --kill-rasa stop one replica (it is restarted).
    echo "rasa$i: echo \$\$ > $run/rasa$i.pid; exec env RASA_PORT=${!rasa_port_var} LOG_DIR=$run/rasa$i scripts/run-rasa.sh"
    echo "actions$i: exec env ACTION_PORT=${!actions_port_var} LOG_DIR=$run/actions$i scripts/run-actions.sh"
    telegram=""
    # Long polling from two processes conflicts at Telegram: only gateway 1 polls (webhook: both).
    if [ "$i" = 2 ] && [ -z "${TELEGRAM_WEBHOOK_URL:-}" ]; then telegram="TELEGRAM_BOT_TOKEN="; fi
    echo "gateway$i: exec env GATEWAY_PORT=${!gateway_port_var} LOG_DIR=$run/gateway$i $telegram scripts/run-gateway.sh"
  done
  echo "haproxy: exec $haproxy -db -f deploy/haproxy.cfg"
} > "$run/Procfile"

(
  for _ in $(seq 1 600); do
    kill -0 $$ 2>/dev/null || exit 0  # the supervisor (this shell after exec) has stopped
    if curl -fs "http://127.0.0.1:$SCALED_PORT/healthz" >/dev/null 2>&1; then
      printf '\n==> scaled stack ready: %s (HAProxy statistics: http://127.0.0.1:%s/stats)\n\n' \
        "$PUBLIC_BASE_URL" "$SCALED_STATS_PORT"
      exit 0
    fi
    sleep 1
  done
  echo "==> not healthy after 600 s: see the logs above" >&2
) &
exec .venv-app/bin/python scripts/supervise.py -f "$run/Procfile"
