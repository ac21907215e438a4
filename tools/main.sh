#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the release preset, sets up the
# embedded catalog with the bundled sample data (tools/sample-catalog.sh: a local storage over
# config/samples, the sample collection and project, the upload plan (dry run), the upload of
# the sample images, JSON sidecars and meta.xlsx, the bundled annotations imported onto the
# project's tasks, a local `exports` storage), shows what landed in the catalog, exports the
# annotations as COCO and says where the output is. Safe to run again: the second upload
# stores nothing twice, the import updates the same tasks, and each export gets its own folder
# (sample-coco, sample-coco(1), ...).
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
cmake --preset release -DSYNAPSE_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release -j "$(nproc)"

export SYNAPSE_HOME="${SYNAPSE_HOME:-$PWD/build/release/home}"
synapse=build/release/synapse
step() { printf '\n== synapse %s\n' "$*"; }

step doctor
"$synapse" doctor
step plugin list
"$synapse" plugin list
step plugin validate plugins/upload-default
"$synapse" plugin validate plugins/upload-default
bash tools/sample-catalog.sh "$synapse" "$PWD/config/samples" "$PWD/config/collections" \
  plugins/upload-default
step collection show sample-images
"$synapse" collection show sample-images
step data-units list --collection sample-images
"$synapse" data-units list --collection sample-images
step "jobs list   (catalog in $SYNAPSE_HOME)"
"$synapse" jobs list

step plugin validate plugins/export-coco
"$synapse" plugin validate plugins/export-coco
export_params='{"name": "sample-coco", "storage": "exports", "path": ".", "target": "task", "filter": {"project": "sample-labeling"}}'
step run plugins/export-coco export
result=$("$synapse" run -q plugins/export-coco export --params "$export_params")
echo "$result"
exports_dir=$("$synapse" storage list --json | python3 -c 'import json,sys; print(next(s["configuration"]["location"] for s in json.load(sys.stdin) if s["name"]=="exports"))')
folder=$(printf '%s' "$result" | python3 -c 'import json,sys; print(json.load(sys.stdin)["output_path"])')
out="$exports_dir/${folder#./}"
printf '\n== COCO export of the sample annotations: %s\n' "$out"
printf '   %s (one COCO instances file), %s/json/<task id>.json, %s/origin_files/\n' \
  "$out/instances.json" "$out" "$out"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("   %d images, %d annotations, %d categories" % (len(d["images"]), len(d["annotations"]), len(d["categories"])))' "$out/instances.json"
