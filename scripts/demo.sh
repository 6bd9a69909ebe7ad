#!/usr/bin/env bash
# The demo: builds spotswap, starts the simulated AWS region (tests/fakeaws) with a sample fleet -
# a 4-instance m5.large launch-configuration group and a 3-instance c5d.xlarge launch-template
# group tagged spot-enabled=true, an untagged group, and a small tagged group in a second
# region - runs spotswap in report-only mode, then runs it pass after pass (the simulated clock
# moves five minutes between passes, as the EventBridge schedule would) until the tagged groups
# are on spot, and stops the fake.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
sps_install_deps

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null

dir=$(mktemp -d)
trap 'tests/fakeaws/fakeaws stop --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
endpoint=$(tests/fakeaws/fakeaws start --dir "$dir" --scenario tests/fakeaws/scenarios/demo.json)
eval "$(tests/fakeaws/fakectl --dir "$dir" env)"
# Never reach for an instance metadata service: the fake is the only AWS here.
export AWS_EC2_METADATA_DISABLED=true SPOTSWAP_LOG_LEVEL=warn
regions=(--region us-east-1 --region us-west-2)
echo "simulated AWS at $endpoint"

banner() { printf '\n=== %s\n' "$*"; }

banner "report-only pass: what spotswap would do (no change is made)"
build/spotswap run --report-only "${regions[@]}"
build/spotswap run --report-only "${regions[@]}" --output json > "$dir/before.json"

converted=false
for pass in 1 2 3 4 5 6; do
  banner "pass $pass"
  build/spotswap run "${regions[@]}" --output json > "$dir/report.json"
  /usr/bin/python3 - "$dir/report.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for region in doc["regions"]:
    for g in region.get("groups", []):
        print(f'{region["region"]:10} {g["name"]:9} {g["state"]:10} on-demand {g["on_demand"]}, spot {g["spot"]}')
    for r in region.get("results", []):
        what = r["kind"]
        detail = r["spot_instance"] or ""
        if what == "launch" and r.get("spot_instance_type"):
            detail += f' ({r["spot_instance_type"]}) for {r["instance"]}'
        elif r["instance"]:
            detail = f'{r["instance"]} {detail}'.strip()
        print(f'           {what:12} {detail:48} {r["outcome"]}')
PY
  if /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if all(g["state"]=="converted" for r in d["regions"] for g in r.get("groups",[])) else 1)' "$dir/report.json"; then
    converted=true
    break
  fi
  tests/fakeaws/fakectl --dir "$dir" advance 300 >/dev/null
done

banner "after the passes"
build/spotswap run --report-only "${regions[@]}" | grep -E "^(us-|  [a-z]|    [0-9]|    cost|total)"
banner "the untagged group, as spotswap left it"
build/spotswap aws autoscaling DescribeAutoScalingGroups AutoScalingGroupNames.member.1=legacy |
  grep -E "Instances.member.(InstanceId|InstanceType|LifecycleState)" | sed -e 's/^AutoScalingGroups.member.//'
if ! tests/fakeaws/fakectl --dir "$dir" calls | grep -q legacy; then
  echo "no call ever changed it"
fi
build/spotswap run --report-only "${regions[@]}" --output json > "$dir/after.json"
/usr/bin/python3 - "$dir/before.json" "$dir/after.json" <<'PY'
import json, sys
before = json.load(open(sys.argv[1]))["totals"]["cost_now_usd_per_hour"]
after = json.load(open(sys.argv[2]))["totals"]["cost_now_usd_per_hour"]
print(f"tagged groups: ${before:.4f}/h on demand before, ${after:.4f}/h on spot now: "
      f"{100 * (before - after) / before:.1f}% saved (${(before - after) * 730:.2f} a month)")
PY
$converted && echo "all tagged groups are on spot" || { echo "the tagged groups did not convert"; exit 1; }
