#!/usr/bin/env bash
# Sets up the sample catalog in synapse's data home ($SYNAPSE_HOME, or the runtime config's):
# a local storage `samples` over the bundled sample data, the collection `sample-images`, the
# project `sample-labeling`, the sample images uploaded by upload-default (one task each), the
# bundled annotations imported onto those tasks, and a local storage `exports` in the data
# home for export output. Used by tools/main.sh (build tree) and tools/install.sh (installed).
# Safe to run again: what exists is kept, the upload stores nothing twice, the import updates
# the same tasks.
#
#   sample-catalog.sh <synapse binary> <samples dir> <collections dir> <upload-default dir|code>
set -euo pipefail
synapse=$1 samples=$2 collections=$3 uploader=$4

step() { printf '\n== synapse %s\n' "$*"; }
has() { "$synapse" "$1" list --json | python3 -c 'import json,sys; sys.exit(0 if any(r["name"]==sys.argv[1] for r in json.load(sys.stdin)) else 1)' "$2"; }

step catalog init
"$synapse" catalog init
if ! has storage samples; then
  step storage add samples --provider local --config location="$samples"
  "$synapse" storage add samples --provider local --config location="$samples"
fi
if ! "$synapse" collection show sample-images >/dev/null 2>&1; then
  step collection create --from "$collections/sample-images.yaml"
  "$synapse" collection create --from "$collections/sample-images.yaml"
fi
if ! has project sample-labeling; then
  step project create --name sample-labeling --collection sample-images
  "$synapse" project create --name sample-labeling --collection sample-images
fi
params='{"name": "sample images", "storage": "samples", "data_collection": "sample-images", "project": "sample-labeling", "path": "sample-images"}'
step run "$uploader" upload --dry-run "(the plan: nothing is stored)"
"$synapse" run -q "$uploader" upload --dry-run --params "$params"
step run "$uploader" upload
"$synapse" run "$uploader" upload --params "$params"
step annotations import --collection sample-images --project sample-labeling "$samples/sample-images/annotations"
"$synapse" annotations import --collection sample-images --project sample-labeling \
  "$samples/sample-images/annotations"
if ! has storage exports; then
  # The data home as the runtime config resolves it when runtime.yaml leaves data_home empty.
  home=${SYNAPSE_HOME:-${XDG_DATA_HOME:-$HOME/.local/share}/synapse}
  mkdir -p "$home/exports"
  step storage add exports --provider local --config location="$home/exports"
  "$synapse" storage add exports --provider local --config location="$home/exports"
fi
