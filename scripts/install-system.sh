#!/usr/bin/env bash
# System packages the app needs beyond Python. Idempotent; installs only when run as root
# (otherwise it says what is missing and how to install it).
# - fonts-dejavu-core: DejaVu Sans, the Unicode font embedded in the welcome-kit PDF (channels/kit/pdf.py).
set -euo pipefail
packages=(fonts-dejavu-core)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "==> system packages present: ${packages[*]}"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "==> missing system packages: ${missing[*]} (run as root: apt-get install -y ${missing[*]})" >&2
  exit 0
fi
echo "==> installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
  || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"; }
