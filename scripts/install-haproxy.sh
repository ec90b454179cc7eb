#!/usr/bin/env bash
# HAProxy for `make run-scaled` only (never needed by `make run` or `make test`). Idempotent;
# installs the Debian package when run as root, otherwise says how.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "==> HAProxy is missing (run as root: apt-get install -y haproxy)" >&2
  exit 1
fi
echo "==> installing haproxy"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy \
  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends haproxy; }
# The package may start its own service on the default config; ours runs in the foreground.
if command -v service >/dev/null 2>&1; then service haproxy stop >/dev/null 2>&1 || true; fi
