#!/usr/bin/env bash
# The upload benchmark as the README quotes it: our upload (local storage -> embedded catalog,
# content store included) beside cp -r, cp+sync, rsync -a, rclone copy and the store-floor yardstick
# (store_floor.cpp), same data, same run.
#   bash tools/bench/upload/bench.sh [sets, default a,b] [extra run.py arguments]
# Needs a release build (bash tools/main.sh) and `apt-get install rsync rclone` for the peers.
# SYNAPSE_BIN=<path> times another build's binary (default build/release/synapse); it finds
# the upload-default plugin through the runtime.yaml next to it.
set -euo pipefail
cd "$(dirname "$0")/../../.."
sets="${1:-a,b}"
shift || true
python3 tools/bench/upload/make_data.py --sets "$sets"
python3 tools/bench/upload/run.py --sets "$sets" \
  --synapse-setup '{synapse} catalog init >/dev/null && {synapse} collection create --from '"$PWD"'/tools/bench/upload/bench-collection.yaml >/dev/null && {synapse} storage add bench --provider local --config location={src} >/dev/null' \
  --synapse-params '{"name": "bench", "path": ".", "storage": 1, "data_collection": 1}' \
  --synapse-cmd '{synapse} run -q '"$PWD"'/plugins/upload-default upload --params @{params} >/dev/null' \
  ${SYNAPSE_BIN:+--synapse-bin "$SYNAPSE_BIN"} \
  "$@"
