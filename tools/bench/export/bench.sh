#!/usr/bin/env bash
# The export benchmark as the README quotes it: synapse's export (Synapse JSON and COCO plugins)
# beside a plain-Python converter of the same tasks to the same output, same run.
#   bash tools/bench/export/bench.sh [run.py arguments, e.g. --items 100000 --runs 3]
# Needs a release build (bash tools/main.sh). The first run builds the input (N images, N
# annotation files, a catalog with them uploaded and imported) under /tmp/synapse-bench/export.
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec python3 tools/bench/export/run.py "$@"
