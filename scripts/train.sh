#!/usr/bin/env bash
# Train the Rasa model only when config or data changed (models/<hash>.tar.gz), one training at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
hash=$(scripts/model-hash.sh)
model="models/$hash.tar.gz"
mkdir -p models var
exec 9>var/train.lock
flock 9
if [ -f "$model" ] && [ "${FORCE_TRAIN:-0}" != "1" ]; then
  echo "==> model up to date: $model"
  exit 0
fi
echo "==> training $model (config or data changed)"
start=$(date +%s)
.venv-engine/bin/rasa train --data nlu/data --domain domain --config config.yml \
  --out models --fixed-model-name "$hash" --num-threads 2
end=$(date +%s)
echo "$((end - start))" > "models/$hash.train-seconds"
# Keep the three newest models only.
ls -1t models/*.tar.gz | tail -n +4 | xargs -r rm -f
echo "==> trained in $((end - start)) s"
