"""spotswap bootstrap with a member account: a Spot interruption warning forwarded from a member
account (its event names that account) is acted on through the member's role, assumed with the
configured ExternalId; with a wrong ExternalId nothing is touched and the invocation fails with
the reason; a warning from an account spotswap has no role for is not acted on in another
account."""
import json
import os

import subprocess

from e2e_swap import SwapTestCase
from e2e_util import BIN_CMD
import test_run_lambda
from fakeawslib.state import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY

MAIN = "111111111111"
MEMBER = "222222222222"
EXTERNAL_ID = "member-external-id-1"
ROLE = f"arn:aws:iam::{MEMBER}:role/spotswap"

SCENARIO = {
    "seed": 21,
    "timing": {"pending_seconds": 20, "shutting_down_seconds": 10, "status_init_seconds": 60,
               "attach_seconds": 0},
    "accounts": [
        {"id": MAIN, "access_key": DEFAULT_ACCESS_KEY, "secret_key": DEFAULT_SECRET_KEY,
         "regions": {"us-east-1": {}}},
        {"id": MEMBER, "access_key": "AKIDMEMBERKEY0000002",
         "secret_key": "member/secret/key/for/tests/only+00000002",
         "roles": [{"name": "spotswap", "trust": [MAIN], "external_id": EXTERNAL_ID}],
         "regions": {"us-east-1": {
             "launch_configurations": [{"name": "web-lc", "instance_type": "m5.large"}],
             "groups": [{"name": "web", "launch_configuration": "web-lc", "instances": 3,
                         "min": 1, "max": 6, "spot": [0, 1], "health_check_grace_period": 0,
                         "tags": {"spot-enabled": "true"}}]}}},
    ],
}


class MemberLambdaTest(SwapTestCase):
    SCENARIO = None
    start_runtime = test_run_lambda.LambdaTest.start_runtime

    def setUp(self):
        from fakeawslib.server import FakeAws
        import tempfile
        self.fake = FakeAws(SCENARIO).start()
        self.addCleanup(self.fake.stop)
        self.home = tempfile.TemporaryDirectory()
        self.addCleanup(self.home.cleanup)

    def member_group(self):
        st = self.admin("/_fake/state")["accounts"][MEMBER]["regions"]["us-east-1"]
        return st, st["groups"]["web"]

    def warning_for_spot(self):
        st, g = self.member_group()
        spot = [m["InstanceId"] for m in g["Instances"]
                if st["instances"][m["InstanceId"]].get("InstanceLifecycle") == "spot"]
        warning = self.admin("/_fake/interrupt", {"instance_id": spot[0], "warning_seconds": 120})
        self.assertEqual(warning["event"]["account"], MEMBER)
        return spot[0], warning["event"]

    def bootstrap(self, events, **env):
        api, record_file = self.start_runtime(
            [{"request_id": f"r{i}", "body": json.dumps(e)} for i, e in enumerate(events)])
        proc = subprocess.run([*BIN_CMD, "bootstrap"],
                              env=self.env(AWS_LAMBDA_RUNTIME_API=api, SPOTSWAP_ACCOUNTS=ROLE,
                                           **env),
                              capture_output=True, text=True, timeout=120)
        with open(record_file) as f:
            records = {r["request_id"]: r for r in json.load(f)}
        self.assertEqual(len(records), len(events), proc.stderr)
        return [records[f"r{i}"] for i in range(len(events))]

    def mutating(self):
        return [c for c in self.calls() if c["result"] == "ok"]

    def test_member_warning_detached_through_its_role(self):
        spot, event = self.warning_for_spot()
        [r] = self.bootstrap([event], SPOTSWAP_EXTERNAL_ID=EXTERNAL_ID)
        self.assertEqual(r["kind"], "response", r)
        self.assertIn("detached", r["body"])
        _, g = self.member_group()
        self.assertNotIn(spot, [m["InstanceId"] for m in g["Instances"]])
        self.assertEqual(g["DesiredCapacity"], 3)
        detach = [c for c in self.mutating() if c["action"] == "DetachInstances"]
        self.assertEqual([c["account"] for c in detach], [MEMBER])
        self.assertEqual(detach[0]["params"].get("ShouldDecrementDesiredCapacity"), "false")
        assumed = [c for c in self.calls(all_calls=True) if c["action"] == "AssumeRole"]
        self.assertTrue(assumed)
        self.assertEqual(assumed[0]["params"].get("RoleArn"), ROLE)
        self.assertEqual(assumed[0]["params"].get("ExternalId"), EXTERNAL_ID)

    def test_wrong_external_id_touches_nothing(self):
        spot, event = self.warning_for_spot()
        [r] = self.bootstrap([event], SPOTSWAP_EXTERNAL_ID="not-the-external-id")
        self.assertEqual(r["kind"], "error", r)
        self.assertIn("AccessDenied", json.dumps(r))
        self.assertEqual(self.mutating(), [])
        _, g = self.member_group()
        self.assertIn(spot, [m["InstanceId"] for m in g["Instances"]])

    def test_unconfigured_account_not_acted_on_elsewhere(self):
        spot, event = self.warning_for_spot()
        event = json.loads(json.dumps(event))
        event["account"] = "333333333333"
        [r] = self.bootstrap([event], SPOTSWAP_EXTERNAL_ID=EXTERNAL_ID)
        self.assertEqual(self.mutating(), [], r)
        _, g = self.member_group()
        self.assertIn(spot, [m["InstanceId"] for m in g["Instances"]])
        self.assertFalse([c for c in self.calls(all_calls=True) if c["action"] == "AssumeRole"])


if __name__ == "__main__":
    import unittest
    unittest.main()
