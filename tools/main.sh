#!/usr/bin/env bash
# The README's main command: installs what is missing, builds the release preset, and runs the
# bundled `hello` plugin end to end with its events, then lists the job records.
# (The upload and export issues replace this with upload -> export on the sample data.)
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
cmake --preset release -DSYNAPSE_BUILD_TESTS=OFF >/dev/null
cmake --build --preset release -j "$(nproc)"

export SYNAPSE_HOME="${SYNAPSE_HOME:-$PWD/build/release/home}"
synapse=build/release/synapse
echo
echo "== synapse plugin list"
"$synapse" plugin list
echo
echo "== synapse plugin validate plugins/hello"
"$synapse" plugin validate plugins/hello
echo
echo "== synapse run plugins/hello greet"
"$synapse" run plugins/hello greet --params '{"name": "world", "steps": 5, "delay_ms": 200}'
echo
echo "== synapse jobs list   (records in $SYNAPSE_HOME/jobs)"
"$synapse" jobs list
