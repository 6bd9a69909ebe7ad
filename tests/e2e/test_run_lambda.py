"""spotswap bootstrap end to end: the Lambda runtime loop against the fake Runtime API
(tests/support/fake_lambda_runtime.py) and the simulated AWS, with several events queued."""
import json
import os
import subprocess
import tempfile
import time

from e2e_swap import SwapTestCase
from e2e_util import BIN_CMD, ROOT

RUNTIME = os.path.join(ROOT, "tests", "support", "fake_lambda_runtime.py")


def fixture(name):
    with open(os.path.join(ROOT, "tests", "fixtures", "lambda", name)) as f:
        return json.load(f)


class LambdaTest(SwapTestCase):
    SCENARIO = "e2e_lambda"
    SELECTED = ("web",)

    def start_runtime(self, events):
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        port_file, events_file, record = (os.path.join(d.name, n)
                                          for n in ("port", "events.json", "record.json"))
        with open(events_file, "w") as f:
            json.dump(events, f)
        proc = subprocess.Popen(["/usr/bin/python3", RUNTIME, port_file, events_file, record])
        self.addCleanup(proc.wait)
        self.addCleanup(proc.kill)
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            return "127.0.0.1:" + f.read().strip(), record

    def test_runtime_serves_every_event_and_stays_alive(self):
        st = self.state()
        members = st["groups"]["web"]["Instances"]
        spot = [m["InstanceId"] for m in members
                if st["instances"][m["InstanceId"]].get("InstanceLifecycle") == "spot"]
        od = [m["InstanceId"] for m in members if m["InstanceId"] not in spot]
        self.assertEqual((len(spot), len(od)), (2, 1))
        warning = self.admin("/_fake/interrupt", {"instance_id": spot[0], "warning_seconds": 120})
        events = self.admin(f"/_fake/events?instance_id={spot[0]}")
        events = events["events"] if isinstance(events, dict) else events
        self.assertEqual(events[0], warning["event"])
        od_event = json.loads(json.dumps(warning["event"]))
        od_event["id"] = "7bf73129-1428-4cd3-a780-95db273d1602"
        od_event["detail"]["instance-id"] = od[0]
        od_event["resources"] = [f"arn:aws:ec2:us-east-1a:instance/{od[0]}"]
        scheduled = fixture("scheduled-event.json")
        scheduled["region"] = "us-east-1"
        unknown = fixture("state-change.json")
        queue = [
            {"request_id": "r-scheduled", "body": json.dumps(scheduled)},
            {"request_id": "r-spot", "body": json.dumps(events[0])},
            {"request_id": "r-od", "body": json.dumps(od_event)},
            {"request_id": "r-unknown", "body": json.dumps(unknown)},
            {"request_id": "r-invalid", "body": "{\"detail-type\": "},
        ]
        api, record_file = self.start_runtime(queue)
        proc = subprocess.run([*BIN_CMD, "bootstrap"], env=self.env(AWS_LAMBDA_RUNTIME_API=api),
                              capture_output=True, text=True, timeout=120)
        with open(record_file) as f:
            records = {r["request_id"]: r for r in json.load(f)}
        # every invocation was answered: the process stayed alive until the queue was empty
        self.assertEqual(set(records), {q["request_id"] for q in queue}, proc.stderr)
        self.assertNotEqual(proc.returncode, 0)  # it exits when the API answers 500

        r = records["r-scheduled"]
        self.assertEqual(r["kind"], "response", r)
        report = json.loads(r["body"])
        self.assertEqual(report["mode"], "run")
        self.assertEqual(self.group_report(report, "web")["in_service"], 3)

        r = records["r-spot"]
        self.assertEqual(r["kind"], "response", r)
        self.assertIn("detached", r["body"])
        st = self.state()
        g = st["groups"]["web"]
        ids = [m["InstanceId"] for m in g["Instances"]]
        self.assertNotIn(spot[0], ids)
        self.assertEqual(g["DesiredCapacity"], 3)
        self.assertEqual(len(ids), 3)  # the group launched a replacement at once
        new = set(ids) - {m["InstanceId"] for m in members}
        self.assertEqual(len(new), 1)
        detach = [c for c in self.calls() if c["action"] == "DetachInstances"]
        self.assertEqual(len(detach), 1)
        self.assertEqual(detach[0]["params"].get("ShouldDecrementDesiredCapacity"), "false")

        r = records["r-od"]
        self.assertEqual(r["kind"], "response", r)
        self.assertIn(od[0], ids)  # an on-demand instance is not detached
        r = records["r-unknown"]
        self.assertEqual(r["kind"], "response", r)
        self.assertIn("ignored", r["body"])
        r = records["r-invalid"]
        self.assertEqual(r["kind"], "error", r)
        self.assertEqual(r["error_type"], "InvalidEvent")
        # the group's own replacement is still pending right after the warning; once it has
        # launched the group is whole again
        self.advance(60)
        self.check_invariants()
