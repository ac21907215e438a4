#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the release preset, sets up the
# embedded catalog (a local storage over the bundled samples, the sample collection, a
# project), shows the upload plan (dry run), uploads the bundled sample data (images, JSON
# sidecars, meta.xlsx), shows what landed in the catalog, imports the bundled annotations onto
# the project's tasks and exports them as COCO into a local `exports` storage, and says where
# the output is. Safe to run again: the second upload stores nothing twice, the import updates
# the same tasks, and each export gets its own folder (sample-coco, sample-coco(1), ...).
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
step annotations import --collection sample-images --project "$project_id" config/samples/sample-images/annotations
"$synapse" annotations import --collection sample-images --project "$project_id" config/samples/sample-images/annotations
exports_dir="$SYNAPSE_HOME/exports"
if ! "$synapse" storage list | grep -q ' exports '; then
  mkdir -p "$exports_dir"
  step storage add exports --provider local --config location="$exports_dir"
  "$synapse" storage add exports --provider local --config location="$exports_dir"
fi
exports_id=$("$synapse" storage list --json | python3 -c 'import json,sys; print(next(s["id"] for s in json.load(sys.stdin) if s["name"]=="exports"))')
exports_dir=$("$synapse" storage list --json | python3 -c 'import json,sys; print(next(s["configuration"]["location"] for s in json.load(sys.stdin) if s["name"]=="exports"))')
step plugin validate plugins/export-coco
"$synapse" plugin validate plugins/export-coco
export_params="{\"name\": \"sample-coco\", \"storage\": $exports_id, \"path\": \".\", \"target\": \"task\", \"filter\": {\"project\": $project_id}}"
step run plugins/export-coco export
result=$("$synapse" run -q plugins/export-coco export --params "$export_params")
echo "$result"
folder=$(printf '%s' "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["output_path"])')
out="$exports_dir/${folder#./}"
printf '\n== COCO export of the sample annotations: %s\n' "$out"
printf '   %s (one COCO instances file), %s/json/<task id>.json, %s/origin_files/\n' \
  "$out/instances.json" "$out" "$out"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("   %d images, %d annotations, %d categories" % (len(d["images"]), len(d["annotations"]), len(d["categories"])))' "$out/instances.json"
