#!/usr/bin/env bash
# Hash of everything training depends on: a model is retrained only when this changes.
set -euo pipefail
cd "$(dirname "$0")/.."
{ cat config.yml requirements/engine.lock; find domain nlu/data -type f -name '*.yml' | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16
