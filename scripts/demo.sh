#!/usr/bin/env bash
# The demo: builds spotswap, starts the simulated AWS region (tests/fakeaws) with a sample fleet,
# and shows spotswap talking to it. Until the engine lands (`spotswap run`), the demo shows the
# set-up check: the identity, the regions and the fleet, as spotswap reads them.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
sps_install_deps

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)" >/dev/null

dir=$(mktemp -d)
trap 'tests/fakeaws/fakeaws stop --dir "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"' EXIT
endpoint=$(tests/fakeaws/fakeaws start --dir "$dir" --scenario tests/fakeaws/scenarios/demo.json)
echo "simulated AWS at $endpoint"
eval "$(tests/fakeaws/fakectl --dir "$dir" env)"
export AWS_EC2_METADATA_DISABLED=true SPOTSWAP_LOG_LEVEL=warn

step() { printf '\n$ %s\n' "$*"; "$@"; }
step build/spotswap aws sts GetCallerIdentity
step build/spotswap aws ec2 DescribeRegions
echo
echo "the fleet (group, capacity, instances and their lifecycle), as spotswap reads it:"
build/spotswap aws autoscaling DescribeAutoScalingGroups |
  grep -E "AutoScalingGroupName|DesiredCapacity|Instances.member.(InstanceId|InstanceType|LifecycleState)|Tags.member.(Key|Value) " |
  sed -e 's/^AutoScalingGroups.member./  /'
