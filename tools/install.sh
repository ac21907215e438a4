#!/usr/bin/env bash
# The plugin author's first command: installs what is missing (apt), builds the release preset,
# installs synapse and its SDK into $PREFIX (default /usr/local: the `synapse` command, the
# shipped plugins, the default runtime.yaml, the SDK headers, the SynapseSDK CMake package, the
# synapse-sdk pkg-config file and the plugin templates), then sets up the sample catalog in
# your data home ($SYNAPSE_HOME, default ~/.local/share/synapse): storages `samples` and
# `exports`, collection `sample-images`, project `sample-labeling` with annotated tasks.
# Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${PREFIX:-/usr/local}

bash tools/install-deps.sh
cmake --preset release -DSYNAPSE_BUILD_TESTS=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >/dev/null
cmake --build --preset release -j "$(nproc)"

sudo=""
if ! { mkdir -p "$prefix" 2>/dev/null && [ -w "$prefix" ]; }; then
  command -v sudo >/dev/null || { echo "install: $prefix is not writable and there is no sudo; set PREFIX" >&2; exit 1; }
  sudo="sudo"
fi
$sudo cmake --install build/release --prefix "$prefix"

synapse="$prefix/bin/synapse"
share="$prefix/share/synapse"
bash tools/sample-catalog.sh "$synapse" "$share/samples" "$share/collections" upload-default

printf '\n== installed synapse %s into %s\n' "$("$synapse" --version | head -1)" "$prefix"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) printf '   add it to your PATH: export PATH="%s/bin:$PATH"\n' "$prefix" ;;
esac
printf '   next: synapse plugin new my-upload --category upload --build\n'
