"""A synthetic estate for the simulated AWS, and the critical-path bound of a pass over it.

The estate is a fakeaws scenario (docs/fakeaws.md): R regions, G groups and N instances spread
as evenly as the numbers allow (regions get groups round-robin, groups get instances
round-robin). Groups alternate between a launch configuration and a launch template (each
group its own), every fourth group has a termination lifecycle hook, and every tenth group is
left untagged, so the default opt-in selection (`spot-enabled=true`) skips it.

    /usr/bin/python3 bench/estate.py --regions 16 --groups 300 --instances 6000 > estate.json
"""
import argparse
import json
import math
import sys

REGIONS = ["us-east-1", "us-east-2", "us-west-1", "us-west-2", "eu-west-1", "eu-west-2",
           "eu-west-3", "eu-central-1", "eu-north-1", "ap-southeast-1", "ap-southeast-2",
           "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ca-central-1", "sa-east-1"]
TYPES = ["m5.large", "c5.large", "r5.large", "m5.xlarge", "c5.xlarge", "m6i.large"]

# The page sizes and batch limits spotswap's scan uses (docs/scan.md): AWS's own maxima.
ASG_PAGE = 100          # DescribeAutoScalingGroups MaxRecords
INSTANCES_PAGE = 1000   # DescribeInstances MaxResults / InstanceId batch
LC_BATCH = 50           # DescribeLaunchConfigurations LaunchConfigurationNames
IMAGES_BATCH = 200      # DescribeImages image-id filter values


def group_spec(index):
    """The shape of group number `index` (0-based), the same in the estate and the bound."""
    return {"name": f"g{index:05d}", "lc": index % 2 == 0, "hook": index % 4 == 3,
            "selected": index % 10 != 9, "type": TYPES[index % len(TYPES)]}


def layout(regions, groups, instances):
    """[(region, [(group spec, instance count)])]: groups round-robin over regions, instances
    round-robin over groups."""
    if not 1 <= regions <= len(REGIONS):
        raise ValueError(f"regions must be 1..{len(REGIONS)}")
    if groups < 1 or instances < 0:
        raise ValueError("groups must be >= 1 and instances >= 0")
    per_group = [instances // groups + (1 if i < instances % groups else 0)
                 for i in range(groups)]
    out = [(REGIONS[r], []) for r in range(regions)]
    for i in range(groups):
        out[i % regions][1].append((group_spec(i), per_group[i]))
    return out


def scenario(regions, groups, instances, seed=9):
    """The fakeaws scenario of the estate. Instances are seeded running and InService for a
    day; the group's grace period is 0 so a replacement can be attached one pass later."""
    doc = {"seed": seed, "regions": {}}
    for region, members in layout(regions, groups, instances):
        lcs, lts, gs = [], [], []
        for g, n in members:
            entry = {"name": g["name"], "instances": n, "min": min(n, 1), "max": max(2 * n, 1),
                     "health_check_grace_period": 0}
            if g["lc"]:
                lcs.append({"name": g["name"] + "-lc", "instance_type": g["type"]})
                entry["launch_configuration"] = g["name"] + "-lc"
            else:
                lts.append({"name": g["name"] + "-lt", "default_version": 1,
                            "versions": [{"InstanceType": g["type"]}]})
                entry["launch_template"] = g["name"] + "-lt"
            if g["selected"]:
                entry["tags"] = {"spot-enabled": "true", "team": "bench"}
            else:
                entry["tags"] = {"team": "bench"}
            if g["hook"]:
                entry["lifecycle_hooks"] = [{"name": "drain", "transition": "terminating",
                                             "heartbeat_timeout": 60}]
            gs.append(entry)
        doc["regions"][region] = {"launch_configurations": lcs, "launch_templates": lts,
                                  "groups": gs}
    return doc


def region_chain(members):
    """The scan's part of the critical path in one region, in rounds (calls one after the other).

    A call that needs another's answer must follow it; calls that do not can run at once:
      groups:  DescribeAutoScalingGroups pages (each page's token comes from the previous
               one), alongside the tag query for spotswap's own instances (one page here);
      details: needing the members and launch sources: DescribeInstances by id (batches of
               1000), DescribeLaunchConfigurations (batches of 50), DescribeLaunchTemplateVersions
               and DescribeLifecycleHooks (one per template / group): all independent, one round;
      images:  DescribeImages of the AMIs the details name (batches of 200), with GetProducts
               for the types they name: one round.
    """
    selected = any(g["selected"] for g, _ in members)
    return {"groups": max(math.ceil(len(members) / ASG_PAGE), 1),
            "details": 1 if selected else 0, "images": 1 if selected else 0}


def critical_path(layout, offerings=None, spot=None, launches=None):
    """The bound in rounds: max over regions (they run in parallel) of

        max(groups + details + images, offerings) + spot + (1 if the region launches)

    offerings: DescribeInstanceTypeOfferings pages per region (the zone offerings, which need
    nothing else and so run alongside the scan); spot: DescribeSpotPriceHistory pages per
    region (the prices of the types the plan asks about, after scan and offerings); launches:
    RunInstances per region (independent of each other: one round). These three depend on the
    catalog and the planner, not on the estate's shape: pass the page counts the data takes.
    Returns (rounds, the region that sets it)."""
    offerings, spot, launches = offerings or {}, spot or {}, launches or {}
    best, where = 0, None
    for region, members in layout:
        scan = sum(region_chain(members).values())
        rounds = max(scan, offerings.get(region, 0)) + spot.get(region, 0) + \
            (1 if launches.get(region) else 0)
        if rounds > best:
            best, where = rounds, region
    return best, where


def bound(regions, groups, instances, **pages):
    return critical_path(layout(regions, groups, instances), **pages)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--regions", type=int, default=16)
    ap.add_argument("--groups", type=int, default=300)
    ap.add_argument("--instances", type=int, default=6000)
    ap.add_argument("--bound", action="store_true",
                    help="print the critical-path bound in rounds instead of the scenario")
    a = ap.parse_args()
    try:
        if a.bound:
            rounds, region = bound(a.regions, a.groups, a.instances)
            print(json.dumps({"rounds": rounds, "region": region}))
        else:
            json.dump(scenario(a.regions, a.groups, a.instances), sys.stdout)
    except ValueError as e:
        sys.exit(f"estate: {e}")


if __name__ == "__main__":
    main()
