#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS_PER_TARGET seconds (default 60), one after the other,
# each seeded with its committed corpus (tests/fuzz/corpus/<name>/, read only) and writing new
# interesting inputs to a fresh build-fuzz/fuzz-out/<name>/. Prints executions per target and any
# crash; exits non-zero when a target found something. See docs/reliability.md ("Fuzzing").
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     e.g. scripts/fuzz.sh 600 ec2 xml
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
shift || true
build="$root/build-fuzz"

# shellcheck source=scripts/deps.sh
source "$root/scripts/deps.sh"
sps_install_deps

all_targets=(xml aws_error ec2 autoscaling pricing_list lambda_event ini engine_config creds_json
             advisor numbers)
targets=("$@")
[ "${#targets[@]}" -eq 0 ] && targets=("${all_targets[@]}")

# Largest input worth trying, per target: real documents are a few KB; more only slows the run.
max_len() {
  case "$1" in
    ec2 | autoscaling | pricing_list | xml) echo 65536 ;;
    advisor | aws_error | lambda_event | creds_json | ini | engine_config) echo 16384 ;;
    numbers) echo 256 ;;
    *) echo 4096 ;;
  esac
}

CC=clang cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSPS_FUZZ=ON \
  -DSPS_SANITIZE=address,undefined >/dev/null
ninja -C "$build" -j2 $(printf 'tests/fuzz/fuzz_%s_libfuzzer ' "${targets[@]}") >/dev/null

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
out_root="$build/fuzz-out"
summary=()
status=0
for name in "${targets[@]}"; do
  out="$out_root/$name"
  rm -rf "$out"
  mkdir -p "$out/new" "$out/artifacts"
  log="$out/fuzz.log"
  echo "== fuzz_$name: ${seconds}s" >&2
  # The committed corpus comes second: libFuzzer writes new inputs to the first directory only.
  # Run from $out: with -jobs, libFuzzer writes its job log (fuzz-0.log) to the working directory.
  set +e
  (cd "$out" && "$build/tests/fuzz/fuzz_${name}_libfuzzer" "$out/new" \
    "$root/tests/fuzz/corpus/$name" -max_total_time="$seconds" -max_len="$(max_len "$name")" \
    -timeout=10 -rss_limit_mb=2048 -workers=1 -jobs=1 -print_final_stats=1 \
    -artifact_prefix="$out/artifacts/") >"$log" 2>&1
  rc=$?
  set -e
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  cov="$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)"
  new="$(find "$out/new" -type f | wc -l)"
  crashes="$(find "$out/artifacts" -type f | wc -l)"
  line="fuzz_$name: ${execs:-?} execs, cov ${cov:-?}, $new new inputs, $crashes finding(s)"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    status=1
    line="$line (exit $rc; see $log)"
    grep -E "^==[0-9]+==ERROR|runtime error|leaked|SUMMARY" "$log" | head -5 >&2 || true
  fi
  summary+=("$line")
done

printf '%s\n' "${summary[@]}"
[ "$status" -eq 0 ] && echo "no findings; new inputs in $out_root/<name>/new (see docs/reliability.md)"
exit "$status"
