#!/usr/bin/env bash
# A loopback S3 server (s3rver, pinned in package.json) for the S3 storage tests.
#
#   tools/services/s3rver.sh start <state-dir>   # idempotent; prints the port
#   tools/services/s3rver.sh stop  <state-dir>   # idempotent; never leaves this s3rver running
#
# After `start`, <state-dir> holds:
#   s3rver.port   the port on 127.0.0.1 (endpoint http://127.0.0.1:PORT, path-style)
#   s3rver.pid    the server's pid
#   s3rver.log    its log
#   data/         its objects; bucket `test-bucket` exists, key pair S3RVER / S3RVER
#
# s3rver does not verify signatures (only an unknown access key is refused): signing is tested
# against AWS's published vectors instead. Recipe: /work/shared/notes/machine-recipes.md §5.
set -euo pipefail

readonly BUCKET=test-bucket
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=service_lib.sh
source "$here/service_lib.sh"
readonly S3RVER=$here/node_modules/.bin/s3rver

usage() {
  echo "usage: $0 start|stop <state-dir>" >&2
  exit 2
}

[[ $# -eq 2 ]] || usage
action=$1
mkdir -p "$2"
state=$(cd "$2" && pwd)
pid_file=$state/s3rver.pid
port_file=$state/s3rver.port

# Succeeds once the server on port $1 serves the test bucket (anonymous requests are allowed).
answers() {
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$1/$BUCKET") || return 1
  [[ $code == 200 ]]
}

stop() {
  service_stop "$pid_file" "$state/data"
  rm -f "$port_file"
  echo "s3rver stopped ($state)"
}

# npm only when the pinned server is missing; locked so parallel build trees install once.
ensure_installed() {
  [[ -x $S3RVER ]] && return 0
  command -v npm >/dev/null || {
    echo "s3rver.sh: npm not found; run tools/install-deps.sh" >&2
    exit 1
  }
  (
    flock 9
    if [[ ! -x $S3RVER ]]; then
      cd "$here"
      if [[ -f package-lock.json ]]; then
        npm ci --no-audit --no-fund --loglevel=error >/dev/null
      else
        npm install --no-audit --no-fund --loglevel=error >/dev/null
      fi
    fi
  ) 9>"${TMPDIR:-/tmp}/synapse-s3rver-npm.lock" # outside node_modules, which npm ci replaces
  [[ -x $S3RVER ]] || {
    echo "s3rver.sh: npm did not install s3rver" >&2
    exit 1
  }
}

start() {
  command -v node >/dev/null || {
    echo "s3rver.sh: node not found; run tools/install-deps.sh" >&2
    exit 1
  }
  local pid
  pid=$(service_pid "$pid_file" "$state/data")
  if [[ -n $pid && -s $port_file ]] && answers "$(<"$port_file")"; then
    echo "s3rver already running on 127.0.0.1:$(<"$port_file") (pid $pid)"
    return 0
  fi
  stop >/dev/null
  ensure_installed

  # 4568 when free, else the next free one; retried because another process may take the port
  # between the check and s3rver's bind.
  local port
  for port in 4568 $(seq 4569 4599) $(shuf -i 20000-60000 -n 20); do
    port_in_use "$port" && continue
    rm -rf "$state/data" # every start begins with an empty bucket
    mkdir -p "$state/data"
    # setsid + every stream redirected: ctest must not wait on a pipe the server holds open.
    # The legacy provider: s3rver encrypts ListObjectsV2 continuation tokens with DES, which
    # Node's OpenSSL 3 refuses otherwise (500 InternalError on every truncated listing).
    NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--openssl-legacy-provider" setsid "$S3RVER" -d "$state/data" -a 127.0.0.1 -p "$port" --configure-bucket "$BUCKET" \
      </dev/null >"$state/s3rver.log" 2>&1 &
    echo $! >"$pid_file"
    for _ in $(seq 75); do # about 15 s
      [[ -n $(service_pid "$pid_file" "$state/data") ]] || break
      if answers "$port"; then
        echo "$port" >"$port_file"
        echo "s3rver running on 127.0.0.1:$port (pid $(<"$pid_file"), state $state)"
        return 0
      fi
      sleep 0.2
    done
    stop >/dev/null
  done
  echo "s3rver.sh: could not start s3rver; log:" >&2
  tail -n 20 "$state/s3rver.log" >&2 || true
  exit 1
}

case $action in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
