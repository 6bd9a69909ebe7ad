#!/usr/bin/env bash
# The scale benchmark (bench/README.md): builds a Release tree in build-bench/, then runs
# bench/scalebench.py against the simulated AWS. The last line of its output is one JSON object.
#
#   bench/run.sh [--scale small|full|huge] [--latency-ms MS] [--no-real-pass]
#
# small (the default): 4 regions, 60 groups, 1,200 instances; full: 16 regions, 300 groups,
# 6,000 instances; huge: ten times full.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

args=()
while [ "$#" -gt 0 ]; do
    case "$1" in
        --scale|--latency-ms)
            [ "$#" -ge 2 ] || { echo "bench/run.sh: $1 needs a value" >&2; exit 2; }
            args+=("$1" "$2")
            shift 2
            ;;
        --no-real-pass)
            args+=("$1")
            shift
            ;;
        -h|--help)
            sed -n '2,8p' "$0" | cut -c3-
            exit 0
            ;;
        *)
            echo "bench/run.sh: unknown argument $1" >&2
            exit 2
            ;;
    esac
done

# shellcheck source=scripts/deps.sh
. scripts/deps.sh
sps_install_deps >&2

build="$root/build-bench"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >&2
ninja -C "$build" -j2 spotswap bench_plan_cpu >&2

exec /usr/bin/python3 bench/scalebench.py --bin "$build/spotswap" \
    --plan-cpu "$build/bench/bench_plan_cpu" "${args[@]}"
