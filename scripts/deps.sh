#!/usr/bin/env bash
# Installs the Debian packages spotswap builds and tests with, when any is missing. Sourced by
# scripts/test.sh and scripts/demo.sh so a fresh Debian machine needs nothing else.
set -euo pipefail

SPS_PACKAGES=(
  build-essential cmake ninja-build pkg-config
  libcurl4-openssl-dev libjansson-dev libssl-dev libxml2-dev uthash-dev
  python3 python3-botocore python3-boto3 python3-yaml awscli shellcheck zip time
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
