#!/usr/bin/env bash
# Runs the README's plugin-author section exactly as written, so it cannot drift from what
# works: the commands between `<!-- author-path:begin -->` and `<!-- author-path:end -->` (at
# most five: fresh clone → a running custom upload plugin and a running custom export plugin),
# then the ones between `<!-- author-more:begin -->` and `<!-- author-more:end -->` (edit loop,
# package, install). Each must exit 0; the two runs must report success.
#
# It installs into a temporary PREFIX with a temporary HOME and SYNAPSE_HOME, so it leaves the
# machine as it was, apart from the release build in build/release and apt packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

work=$(mktemp -d /tmp/synapse-author.XXXXXX)
# HOME moves too (plugin install writes to ~/.local/share/synapse/plugins); ccache keeps its
# cache where it was.
if [ -z "${CCACHE_DIR:-}" ] && command -v ccache >/dev/null; then
  CCACHE_DIR=$(ccache -k cache_dir)
  export CCACHE_DIR
fi
mkdir -p "$work/home"
export HOME="$work/home" PREFIX="$work/prefix" SYNAPSE_HOME="$work/data" PATH="$work/prefix/bin:$PATH"
before=$(ls -A "$root")
cleanup() {
  # The plugin projects the commands created in the clone, and the temporary prefix and home.
  for entry in $(comm -13 <(printf '%s\n' "$before" | sort) <(ls -A "$root" | sort)); do
    rm -rf "${root:?}/$entry"
  done
  rm -rf "$work"
}
trap cleanup EXIT

block() {
  python3 - "$1" <<'PY'
import re, sys
text = open("README.md", encoding="utf-8").read()
m = re.search(r"<!-- %s:begin -->\s*```sh\n(.*?)```\s*<!-- %s:end -->" % (sys.argv[1], sys.argv[1]), text, re.S)
if not m:
    sys.exit("README.md has no %s block" % sys.argv[1])
for line in m.group(1).splitlines():
    line = line.split("  # ")[0].strip()
    if line and not line.startswith("#"):
        print(line)
PY
}

run_block() {
  local name=$1 max=$2 n=0
  mapfile -t commands < <(block "$name")
  if [ "${#commands[@]}" -eq 0 ] || [ "${#commands[@]}" -gt "$max" ]; then
    echo "author-path: the README's $name block has ${#commands[@]} commands (expected 1 to $max)" >&2
    exit 1
  fi
  for command in "${commands[@]}"; do
    n=$((n + 1))
    printf '\n### author-path %s %d/%d: %s\n' "$name" "$n" "${#commands[@]}" "$command"
    out="$work/$name-$n.out"
    bash -euo pipefail -c "$command" | tee "$out"
    case $command in
      "synapse run "*)
        # The result is the JSON document on stdout: an upload says success, an export counts
        # what it exported.
        python3 - "$out" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
result = json.JSONDecoder().raw_decode(text[text.index("{"):])[0]
ok = result.get("success") is True or (isinstance(result.get("success"), int) and result["success"] > 0 and result.get("failed", 0) == 0)
if not ok:
    sys.exit("author-path: the run did not succeed: %s" % json.dumps(result))
PY
        ;;
    esac
  done
}

run_block author-path 5
run_block author-more 8
printf '\nauthor-path: the README plugin-author commands all work\n'
