#!/usr/bin/env bash
# Installs the Debian 12 packages synapse needs to build and test, if any is missing.
# Runs as root (or through sudo when available). Nothing is downloaded outside apt.
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config ccache clang-format dpkg-dev
  libboost-dev nlohmann-json3-dev libyaml-cpp-dev libspdlog-dev libfmt-dev
  libcli11-dev libvalijson-dev catch2
  libsqlite3-dev libssl-dev libcurl4-openssl-dev libssh-dev libpugixml-dev libminizip-dev libarchive-dev libjemalloc-dev python3-openpyxl
  openssh-server openssh-client curl
)
# npm runs the S3 test server (s3rver). Machines that ship Node.js with npm (e.g. from
# NodeSource) keep theirs; Debian's npm package would conflict with it.
command -v npm >/dev/null 2>&1 || packages+=(nodejs npm)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
