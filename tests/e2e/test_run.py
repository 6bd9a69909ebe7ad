"""spotswap run end to end: groups convert to spot over successive passes, and every pass keeps
the invariants (InService >= desired, no on-demand instance retired before its replacement was
attached, the diversification cap)."""
import json
import unittest

from e2e_swap import SwapTestCase


class ConvertTest(SwapTestCase):
    SCENARIO = "e2e_convert"
    SELECTED = ("web", "floor")

    def converge(self, passes=6):
        reports = []
        for _ in range(passes):
            reports.append(self.run_pass())
            self.advance(120)
        return reports

    def test_group_converts_untagged_untouched_floor_kept(self):
        reports = self.converge()
        last = self.run_pass()
        web = self.group_report(last, "web")
        self.assertEqual(web["state"], "converted", json.dumps(web))
        self.assertEqual(len(self.spot_members("web")), 6)
        self.assertEqual(self.state()["groups"]["web"]["DesiredCapacity"], 6)
        floor = self.group_report(last, "floor")
        self.assertEqual(len(self.spot_members("floor")), 2)
        self.assertEqual(floor["on_demand"], 2)
        self.assertIsNone(self.group_report(last, "legacy"))
        self.assertTrue(self.mutating_names("web"))  # the call log is read, and names groups
        self.assertEqual(self.mutating_names("legacy"), [])
        for i in self.state()["groups"]["legacy"]["Instances"]:
            self.assertEqual(self.mutating_names(i["InstanceId"]), [])
        self.assertEqual(self.orphans(), [])
        self.assertTrue(any(r["totals"]["replacements"] for r in reports))

    def test_report_only_changes_nothing_and_predicts_next_run(self):
        before = len(self.calls())
        plan = self.run_pass("--report-only")
        self.assertEqual(plan["mode"], "report-only")
        self.assertEqual(len(self.calls()), before)
        planned = {r["instance"]: r["candidates"] for r in
                   self.group_report(plan, "web")["replacements"]}
        self.assertTrue(planned)
        self.run_pass()
        st = self.state()
        launched = {}
        for i, inst in st["instances"].items():
            tags = {t["Key"]: t["Value"] for t in inst["Tags"]}
            if tags.get("spotswap:launched-for-asg") == "web":
                launched[tags["spotswap:replaces"]] = inst["InstanceType"]
        self.assertEqual(set(launched), set(planned))
        for x, t in launched.items():
            self.assertIn(t, planned[x])


if __name__ == "__main__":
    unittest.main()
