#!/usr/bin/env bash
# Print the path of a Python 3.10 interpreter (Rasa 3.6 needs Python < 3.11), or explain how to get one.
set -euo pipefail
candidates=("${PYTHON310:-}" python3.10 "$HOME/.pyenv/versions/3.10"*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10)
for c in "${candidates[@]}"; do
  [ -n "$c" ] || continue
  if path=$(command -v "$c" 2>/dev/null) && "$path" -c 'import sys, venv, sqlite3; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    echo "$path"; exit 0
  fi
done
cat >&2 <<'MSG'
Python 3.10 est introuvable (Rasa 3.6 exige Python 3.10).
Python 3.10 was not found (Rasa 3.6 needs Python 3.10). Install it, then run the command again:
  - Debian/Ubuntu: sudo apt-get install python3.10 python3.10-venv   (or use the deadsnakes PPA)
  - pyenv:         pyenv install 3.10.13
  - or point to it: make run PYTHON310=/path/to/python3.10
MSG
exit 1
