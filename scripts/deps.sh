#!/usr/bin/env bash
# Installs the Debian packages spotswap builds and tests with, when any is missing. Sourced by
# scripts/test.sh and scripts/demo.sh so a fresh Debian machine needs nothing else.
set -euo pipefail

SPS_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libcurl4-openssl-dev libjansson-dev libssl-dev libxml2-dev uthash-dev
  python3 python3-botocore python3-boto3 python3-yaml awscli shellcheck zip patchelf
  openssl ca-certificates valgrind time
  clang libclang-rt-dev
)
# On x86_64: the arm64 Lambda zip is cross-built (Debian multiarch) and tested under qemu
# (deploy/package.sh --arch arm64, tests/deploy; ~45 s to install, docs/install.md).
SPS_CROSS_PACKAGES=()
if [ "$(dpkg --print-architecture)" = amd64 ]; then
  SPS_CROSS_PACKAGES=(
    crossbuild-essential-arm64 qemu-user-static
    libcurl4-openssl-dev:arm64 libjansson-dev:arm64 libssl-dev:arm64 libxml2-dev:arm64
  )
fi

sps_missing_packages() {
  local pkg
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" ||
      echo "$pkg"
  done
}

sps_apt_install() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  # the :arm64 packages need the architecture before apt-get update reads their lists
  if [[ " $*" == *":arm64"* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    $sudo dpkg --add-architecture arm64
  fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" \
    >/dev/null
}

sps_install_deps() {
  local missing cross
  mapfile -t missing < <(sps_missing_packages "${SPS_PACKAGES[@]}")
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "installing: ${missing[*]}" >&2
    sps_apt_install "${missing[@]}"
  fi
  [ "${#SPS_CROSS_PACKAGES[@]}" -eq 0 ] && return 0
  mapfile -t cross < <(sps_missing_packages "${SPS_CROSS_PACKAGES[@]}")
  [ "${#cross[@]}" -eq 0 ] && return 0
  echo "installing (arm64 Lambda zip): ${cross[*]}" >&2
  # Multiarch needs the amd64 and arm64 builds of a library at one version; a mirror caught
  # between two updates can refuse. That costs the arm64 zip test, not the build: say so loudly.
  sps_apt_install "${cross[@]}" ||
    echo "WARNING: the arm64 cross packages did not install; the arm64 Lambda zip is not" \
      "built or tested in this run" >&2
}

# cfn-lint (aws-cloudformation/cfn-lint, a Python tool) lints the CloudFormation templates in
# tests/deploy when it is installed. It is not installed from here: Debian (bookworm) has no
# package of it, the project takes packages only from Debian and npm, and npm's "cfn-lint" is a
# different validator whose 2019 resource specification rejects valid templates (IAM role
# Description, EventBusPolicy Statement). See docs/install.md, "Linting the templates".
sps_install_cfn_lint() {
  command -v cfn-lint >/dev/null 2>&1 || [ -x "$HOME/.local/bin/cfn-lint" ] ||
    echo "note: cfn-lint is not installed; the templates are checked without it" >&2
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  sps_install_deps
  sps_install_cfn_lint
fi
