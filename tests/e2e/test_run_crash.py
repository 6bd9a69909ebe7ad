"""Crash resumption end to end: the process "dies" right after each mutating step of a
replacement succeeds (every later AWS call fails with an expired token, which nothing retries),
then clean passes finish the swap: no duplicate launch, no orphan, invariants throughout."""
import json
import unittest

from e2e_swap import SwapTestCase

STEPS = {
    "RunInstances": lambda c: c["action"] == "RunInstances",
    "AttachInstances": lambda c: c["action"] == "AttachInstances",
    "CreateTags": lambda c: (c["action"] == "CreateTags"
                             and "spotswap:replaced-by" in json.dumps(c["params"])),
    "DetachInstances": lambda c: c["action"] == "DetachInstances",
    "TerminateInstances": lambda c: c["action"] == "TerminateInstances",
    "UpdateAutoScalingGroup": lambda c: c["action"] == "UpdateAutoScalingGroup",
}


class CrashTest(SwapTestCase):
    SCENARIO = "e2e_crash"
    SELECTED = ("app",)

    def crash_and_resume(self, step):
        self.crash_after(STEPS[step])
        for _ in range(6):
            self.run_cli("run", "--region", "us-east-1", "--output", "json", timeout=120)
            self.check_invariants()
            self.advance(120)
            if self.crashed:
                break
        self.assertTrue(self.crashed, f"no {step} call was made")
        self.admin("/_fake/faults/clear", {})
        for _ in range(6):
            self.run_pass()
            self.assertEqual(self.orphans(), [])
            self.advance(120)
        st = self.state()
        g = st["groups"]["app"]
        self.assertEqual(len(self.spot_members("app")), 2)
        self.assertEqual((g["DesiredCapacity"], g["MaxSize"]), (2, 2))
        self.assertNotIn("spotswap:max-raised-from", [t["Key"] for t in g["Tags"]])
        launches = [c for c in self.calls() if c["action"] == "RunInstances"
                    and c["result"] == "ok"]
        self.assertEqual(len(launches), 2, "a replacement was launched twice")
        running = [i for i, inst in st["instances"].items()
                   if inst["State"]["Name"] in ("pending", "running")]
        self.assertEqual(len(running), 2, running)


def _case(step):
    return lambda self: self.crash_and_resume(step)


for _step in STEPS:
    setattr(CrashTest, f"test_crash_after_{_step}", _case(_step))


if __name__ == "__main__":
    unittest.main()
