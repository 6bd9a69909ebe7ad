"""The automatic per-group budget is the documented rule, max(1, ceil(group size / 2))."""
import json

from e2e_util import E2ETestCase


class AutomaticBudget(E2ETestCase):
    SCENARIO = "demo"

    def test_report_only_plans_half_of_each_group(self):
        p = self.run_cli("run", "--report-only", "--region", "us-east-1", "--output", "json")
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = json.loads(p.stdout)
        groups = {g["name"]: g for r in doc["regions"] for g in r["groups"]}
        self.assertEqual(groups["batch"]["in_service"], 3)
        self.assertEqual(len(groups["batch"]["replacements"]), 2)  # ceil(3/2)
        self.assertEqual(groups["web"]["in_service"], 4)
        self.assertEqual(len(groups["web"]["replacements"]), 2)  # ceil(4/2)

    def test_a_fixed_budget_wins(self):
        p = self.run_cli("run", "--report-only", "--region", "us-east-1", "--output", "json",
                         "--max-replacements-per-run", "3")
        self.assertEqual(p.returncode, 0, p.stderr)
        doc = json.loads(p.stdout)
        groups = {g["name"]: g for r in doc["regions"] for g in r["groups"]}
        self.assertEqual(len(groups["batch"]["replacements"]), 3)
        self.assertEqual(len(groups["web"]["replacements"]), 3)
