#!/usr/bin/env bash
# Installs the Debian packages spotswap builds and tests with, when any is missing. Sourced by
# scripts/test.sh and scripts/demo.sh so a fresh Debian machine needs nothing else.
set -euo pipefail

SPS_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libcurl4-openssl-dev libjansson-dev libssl-dev libxml2-dev uthash-dev
  python3 python3-botocore python3-boto3 awscli
  clang libclang-rt-dev
)

sps_install_deps() {
  local missing=()
  for pkg in "${SPS_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  echo "installing: ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  sps_install_deps
fi
