#!/usr/bin/env bash
# Fails when a C++ file differs from the pinned .clang-format (clang-format 14, Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || true)
if [ ${#files[@]} -eq 0 ]; then
  mapfile -t files < <(find runtime sdk-headers plugins tests tools templates -name '*.cpp' -o -name '*.hpp' 2>/dev/null)
fi
clang-format --dry-run --Werror "${files[@]}"
echo "check-format: ${#files[@]} files formatted as .clang-format says"
