#!/usr/bin/env bash
# The README's test command: installs what is missing, checks formatting, builds everything
# (host, plugins, fixtures, tests) with AddressSanitizer + UndefinedBehaviorSanitizer, and runs
# every test under them, then runs the README's plugin-author commands (tools/author-path.sh).
# The S3 and SFTP tests run against real local servers (s3rver, sshd)
# that ctest fixtures start before them and stop after them, by pid; the trap below stops them
# too if this script is interrupted.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
# s3rver comes from npm, pinned by tools/services/package-lock.json.
if [ ! -x tools/services/node_modules/.bin/s3rver ]; then
  (cd tools/services && npm ci --no-audit --no-fund --loglevel=error)
fi
bash tools/check-format.sh

stop_services() {
  bash tools/services/s3rver.sh stop build/asan/tests/storage_s3/s3rver >/dev/null 2>&1 || true
  bash tools/services/sshd.sh stop build/asan/tests/storage_sftp/sshd >/dev/null 2>&1 || true
}
trap stop_services EXIT

cmake --preset asan
cmake --build --preset asan -j "$(nproc)"
ctest --preset asan -j "$(nproc)"

# The README's plugin-author commands, run as written (release build, temporary prefix and home).
bash tools/author-path.sh
