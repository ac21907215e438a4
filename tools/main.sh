#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the release preset, sets up the
# embedded catalog (a local storage over the bundled samples, the sample collection, a
# project), shows the upload plan (dry run), uploads the bundled sample data (images, JSON
# sidecars, meta.xlsx) and shows what landed in the catalog. Safe to run again: the second
# upload stores nothing twice.
# (The export issue extends this with annotations import -> export.)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
cmake --preset release -DSYNAPSE_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release -j "$(nproc)"

export SYNAPSE_HOME="${SYNAPSE_HOME:-$PWD/build/release/home}"
synapse=build/release/synapse
step() { printf '\n== synapse %s\n' "$*"; }

step catalog init
"$synapse" catalog init
if ! "$synapse" storage list | grep -q ' samples '; then
  step storage add samples --provider local --config location="$PWD/config/samples"
  "$synapse" storage add samples --provider local --config location="$PWD/config/samples"
fi
if ! "$synapse" collection show sample-images >/dev/null 2>&1; then
  step collection create --from config/collections/sample-images.yaml
  "$synapse" collection create --from config/collections/sample-images.yaml
fi
if ! "$synapse" project list 2>/dev/null | grep -q ' sample-labeling '; then
  step project create --name sample-labeling --collection sample-images
  "$synapse" project create --name sample-labeling --collection sample-images
fi
storage_id=$("$synapse" storage list --json | python3 -c 'import json,sys; print(next(s["id"] for s in json.load(sys.stdin) if s["name"]=="samples"))')
collection_id=$("$synapse" collection show sample-images --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
project_id=$("$synapse" project list --json | python3 -c 'import json,sys; print(next(p["id"] for p in json.load(sys.stdin) if p["name"]=="sample-labeling"))')
params="{\"name\": \"sample images\", \"storage\": $storage_id, \"data_collection\": $collection_id, \"project\": $project_id, \"path\": \"sample-images\"}"
step collection show sample-images
"$synapse" collection show sample-images
step doctor
"$synapse" doctor
step plugin list
"$synapse" plugin list
step plugin validate plugins/upload-default
"$synapse" plugin validate plugins/upload-default
step run plugins/upload-default upload --dry-run "(the plan: nothing is stored)"
"$synapse" run -q plugins/upload-default upload --dry-run --params "$params"
step run plugins/upload-default upload
"$synapse" run plugins/upload-default upload --params "$params"
step data-units list --collection sample-images
"$synapse" data-units list --collection sample-images
step "jobs list   (catalog in $SYNAPSE_HOME)"
"$synapse" jobs list
