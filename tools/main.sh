#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the release preset, sets up the
# embedded catalog with the sample data collection, checks the set-up, runs the bundled `hello`
# plugin end to end with its events, and lists the job records.
# (The upload and export issues replace the hello run with upload -> export on sample data.)
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
if ! "$synapse" collection show sample-images >/dev/null 2>&1; then
  step collection create --from config/collections/sample-images.yaml
  "$synapse" collection create --from config/collections/sample-images.yaml
fi
step collection show sample-images
"$synapse" collection show sample-images
step doctor
"$synapse" doctor
step plugin list
"$synapse" plugin list
step plugin validate plugins/hello
"$synapse" plugin validate plugins/hello
step run plugins/hello greet
"$synapse" run plugins/hello greet --params '{"name": "world", "steps": 5, "delay_ms": 200}'
step "jobs list   (catalog in $SYNAPSE_HOME)"
"$synapse" jobs list
