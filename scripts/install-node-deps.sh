#!/usr/bin/env bash
# Node tooling of the browser tests (axe-core, pinned in package-lock.json): `npm ci` only when
# node_modules is missing or the lock file changed since the last install.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: install Node.js (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi
stamp=node_modules/.package-lock.sha256
wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/axe-core/axe.min.js ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
echo "==> npm ci (axe-core for the accessibility audit)"
npm ci --no-audit --no-fund --loglevel=error
echo "$wanted" > "$stamp"
