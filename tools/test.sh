#!/usr/bin/env bash
# The README's test command: installs what is missing, checks formatting, builds everything
# (host, plugins, fixtures, tests) with AddressSanitizer + UndefinedBehaviorSanitizer, and runs
# every test under them.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
bash tools/check-format.sh

cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"
