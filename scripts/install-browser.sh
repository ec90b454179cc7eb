#!/usr/bin/env bash
# Debian's Chromium (and a Unicode font) for the browser tests; Playwright drives it, never downloads one.
set -euo pipefail
"$(dirname "$0")/install-node-deps.sh"  # axe-core for the accessibility audit (npm ci when the lock changed)
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Please install: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "==> apt-get install ${need[*]}"
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
