"""A quick functional check of the benchmark's tools (not of any timing): the estate generator
gives the counts asked for, the bound gives the hand-computed number on tiny estates, the
redundant-call counter counts only exact repeats, and the planner bench plans what it should."""
import json
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests", "fakeaws"))

import scalebench  # noqa: E402
import estate  # noqa: E402
from fakeawslib.scenario import build  # noqa: E402


def call(action, region="us-east-1", result="ok", **params):
    return {"service": "ec2", "region": region, "action": action, "params": params,
            "result": result}


class EstateTest(unittest.TestCase):
    def test_layout_spreads_groups_and_instances(self):
        layout = estate.layout(2, 5, 11)
        self.assertEqual([r for r, _ in layout], ["us-east-1", "us-east-2"])
        self.assertEqual([len(m) for _, m in layout], [3, 2])
        sizes = sorted((g["name"], n) for _, m in layout for g, n in m)
        self.assertEqual([n for _, n in sizes], [3, 2, 2, 2, 2])

    def test_scenario_loads_with_the_counts_asked(self):
        world = build(estate.scenario(3, 20, 130))
        regions = world.accounts["111111111111"].regions
        self.assertEqual(len(regions), 3)
        self.assertEqual(sum(len(r.groups) for r in regions.values()), 20)
        self.assertEqual(sum(len(r.instances) for r in regions.values()), 130)
        tagged = [g for r in regions.values() for g in r.groups.values()
                  if any(t["Key"] == "spot-enabled" for t in g["Tags"])]
        self.assertEqual(len(tagged), 18)  # every tenth group (g00009, g00019) is untagged
        hooks = sum(len(g["_hooks"]) for r in regions.values() for g in r.groups.values())
        self.assertEqual(hooks, 5)  # g00003, g00007, g00011, g00015, g00019

    def test_bad_sizes_are_refused(self):
        for args in ((0, 1, 1), (17, 1, 1), (1, 0, 1), (1, 1, -1)):
            with self.assertRaises(ValueError, msg=args):
                estate.layout(*args)
        r = subprocess.run([sys.executable, os.path.join(HERE, "estate.py"), "--regions", "0"],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("regions must be", r.stderr)


class BoundTest(unittest.TestCase):
    def test_scan_chain_by_hand(self):
        # 150 groups in one region: 2 pages of groups, then details, then images.
        self.assertEqual(estate.bound(1, 150, 150), (4, "us-east-1"))
        # 2 regions, 201 groups: us-east-1 has 101 (2 pages), us-east-2 100 (1 page).
        self.assertEqual(estate.bound(2, 201, 0), (4, "us-east-1"))
        self.assertEqual(estate.bound(2, 200, 0), (3, "us-east-1"))
        # offerings pages run alongside the scan; spot pages and a launch round follow.
        self.assertEqual(estate.bound(1, 150, 150, offerings={"us-east-1": 6},
                                      spot={"us-east-1": 2}, launches={"us-east-1": 9}),
                         (9, "us-east-1"))

    def test_critical_path_with_the_data_pages(self):
        layout = estate.layout(1, 150, 150)
        calls = [call("DescribeInstanceTypeOfferings")] * 5 + \
            [call("DescribeSpotPriceHistory")] * 3
        # max(scan 4, offerings 5) + spot 3
        self.assertEqual(scalebench.critical_path(layout, calls, real=False), (8, "us-east-1"))
        self.assertEqual(scalebench.critical_path(layout, calls, real=True), (8, "us-east-1"))
        calls += [call("RunInstances")] * 40  # independent launches: one more round
        self.assertEqual(scalebench.critical_path(layout, calls, real=True), (9, "us-east-1"))
        few = [call("DescribeInstanceTypeOfferings")] * 2
        self.assertEqual(scalebench.critical_path(layout, few, real=False), (4, "us-east-1"))


class RedundantTest(unittest.TestCase):
    def test_only_exact_repeats_count(self):
        calls = [call("DescribeImages", **{"ImageId.1": "ami-1"}),
                 call("DescribeImages", **{"ImageId.1": "ami-1"}),
                 call("DescribeImages", **{"ImageId.1": "ami-2"}),
                 call("DescribeImages", region="us-west-2", **{"ImageId.1": "ami-1"}),
                 call("DescribeImages", result="Throttling", **{"ImageId.1": "ami-3"}),
                 call("DescribeImages", **{"ImageId.1": "ami-3"})]
        self.assertEqual(scalebench.redundant(calls), (1, ["us-east-1 DescribeImages"]))
        self.assertEqual(scalebench.redundant(calls[2:]), (0, []))


@unittest.skipUnless(os.environ.get("BENCH_PLAN_CPU"), "BENCH_PLAN_CPU names bench_plan_cpu")
class PlanCpuTest(unittest.TestCase):
    def test_plans_the_budget_and_refuses_bad_counts(self):
        tool = os.environ["BENCH_PLAN_CPU"]
        out = json.loads(subprocess.run([tool, "1", "1", "10", "1"], capture_output=True,
                                        text=True, check=True).stdout)
        self.assertEqual(out["actions"], 5)  # ceil(10 / 2) launches
        # 20 groups, every tenth unselected: 18 groups of 5, ceil(5 / 2) = 3 launches each
        out = json.loads(subprocess.run([tool, "2", "20", "100", "1"], capture_output=True,
                                        text=True, check=True).stdout)
        self.assertEqual(out["actions"], 54)
        r = subprocess.run([tool, "0"], capture_output=True, text=True)
        self.assertEqual(r.returncode, 2)
        self.assertIn("not a positive count", r.stderr)


if __name__ == "__main__":
    unittest.main()
