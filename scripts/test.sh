#!/usr/bin/env bash
# Builds spotswap with warnings as errors and runs every test; then builds again with
# AddressSanitizer + UndefinedBehaviorSanitizer and runs every test there too; then once more
# without sanitizers and runs every test of our C code under valgrind memcheck (the unit tests,
# the corpus replays, and the binary in the end-to-end tests), failing on any error or leak.
#   scripts/test.sh            all three builds
#   scripts/test.sh --quick    the normal build only
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
sps_install_deps
sps_install_cfn_lint

jobs=$(nproc)
run_suite() {
  local dir=$1 label=$2
  shift 2
  cmake -S . -B "$dir" -G Ninja -DSPS_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
  (cd "$dir" && ctest --output-on-failure -j "$jobs" ${label:+-L "$label"})
}

echo "== build and test (build/)"
run_suite build "" -DCMAKE_BUILD_TYPE=RelWithDebInfo

if [ "${1:-}" != "--quick" ]; then
  echo "== build and test under ASan+UBSan (build-asan/)"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite build-asan "" -DCMAKE_BUILD_TYPE=Debug -DSPS_SANITIZE=address,undefined
  unset ASAN_OPTIONS UBSAN_OPTIONS

  echo "== build and test under valgrind memcheck (build-valgrind/)"
  run_suite build-valgrind valgrind -DCMAKE_BUILD_TYPE=Debug -DSPS_VALGRIND=ON
fi
