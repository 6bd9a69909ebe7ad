"""spotswap run end to end on each kind of group (launch configuration, launch template,
mixed instances, desired == max, min == max, a termination lifecycle hook) and when the spot
market refuses capacity."""
import json
import unittest

from e2e_swap import SwapTestCase


class KindsTest(SwapTestCase):
    SCENARIO = "e2e_kinds"
    SELECTED = ("lc-full", "lt-fixed", "mixed", "hooked")

    def test_every_kind_converts(self):
        for _ in range(8):
            self.run_pass()
            self.advance(400)  # past the hook's heartbeat timeout
        last = self.run_pass()
        st = self.state()
        for name in self.SELECTED:
            g = st["groups"][name]
            self.assertEqual(self.group_report(last, name)["state"], "converted", name)
            members = [m for m in g["Instances"] if m["LifecycleState"] == "InService"]
            self.assertEqual(len(self.spot_members(name)), len(members), name)
            self.assertNotIn("spotswap:max-raised-from", [t["Key"] for t in g["Tags"]], name)
        self.assertEqual(st["groups"]["lc-full"]["MaxSize"], 3)
        self.assertEqual(st["groups"]["lc-full"]["DesiredCapacity"], 3)
        fixed = st["groups"]["lt-fixed"]
        self.assertEqual((fixed["MinSize"], fixed["MaxSize"], fixed["DesiredCapacity"]), (3, 3, 3))
        # the raise happened and was undone
        updates = [c for c in self.calls() if c["action"] == "UpdateAutoScalingGroup"
                   and c["params"].get("AutoScalingGroupName") == "lc-full"]
        self.assertIn("4", [c["params"].get("MaxSize") for c in updates])
        self.assertEqual(updates[-1]["params"].get("MaxSize"), "3")
        # the hooked group retired through the hook, never by a bare detach
        hooked = [c for c in self.calls() if "hooked" in json.dumps(c["params"])
                  or c["action"] == "TerminateInstanceInAutoScalingGroup"]
        self.assertTrue(any(c["action"] == "TerminateInstanceInAutoScalingGroup" for c in hooked))
        self.assertFalse(any(c["action"] == "DetachInstances"
                             and c["params"].get("AutoScalingGroupName") == "hooked"
                             for c in hooked))
        self.assertEqual(self.orphans(), [])


class CapacityTest(SwapTestCase):
    SCENARIO = "e2e_capacity"
    SELECTED = ("app",)

    def set_capacity(self, types, capacity):
        for t in types:
            self.admin("/_fake/spot-capacity", {"region": "us-east-1", "instance_type": t,
                                                "az": "us-east-1a", "capacity": capacity})

    def candidates(self):
        plan = self.run_pass("--report-only")
        reps = self.group_report(plan, "app")["replacements"]
        self.assertTrue(reps)
        return reps[0]["candidates"]

    def test_exhausted_market_falls_back_then_recovers(self):
        every = set(self.candidates())
        self.set_capacity(every, 0)
        report = self.run_pass()  # exit code 0 checked there
        outcomes = [r["outcome"] for r in report["regions"][0]["results"]]
        self.assertEqual(outcomes, ["no-capacity"], json.dumps(report))
        tried = {c["params"].get("InstanceType") for c in self.calls()
                 if c["action"] == "RunInstances"}
        self.assertEqual(tried, every)  # every candidate was asked for before giving up
        self.advance(120)
        report = self.run_pass()
        self.assertEqual(self.group_report(report, "app")["state"], "fallback",
                         json.dumps(report))
        self.assertEqual(self.spot_members("app"), [])
        self.assertEqual(self.orphans(), [])
        self.set_capacity(every, None)
        self.advance(1000)  # past empty_market_ttl_seconds
        for _ in range(5):
            self.run_pass()
            self.advance(120)  # well inside the orphan grace (3 x 5 minutes)
        self.assertEqual(len(self.spot_members("app")), 2)
        self.assertEqual(self.group_report(self.run_pass(), "app")["state"], "converted")

    def test_first_two_candidates_refused_third_used(self):
        cands = self.candidates()
        self.assertGreaterEqual(len(cands), 3)
        self.set_capacity(cands[:2], 0)
        for _ in range(4):
            self.run_pass()
            self.advance(120)
        spots = self.spot_members("app")
        self.assertEqual(len(spots), 2)
        st = self.state()
        for s in spots:
            self.assertNotIn(st["instances"][s]["InstanceType"], cands[:2])
        self.assertIn(cands[2], [st["instances"][s]["InstanceType"] for s in spots])


if __name__ == "__main__":
    unittest.main()
