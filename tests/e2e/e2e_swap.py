"""Helpers for the end-to-end tests of full spotswap passes: run a pass, read the fake's state
and call log, and check the invariants every pass must keep."""
import json
import math
import urllib.request

from e2e_util import E2ETestCase

REGION = "us-east-1"
ACCOUNT = "111111111111"
TERMINATING = ("TerminateInstances", "TerminateInstanceInAutoScalingGroup", "DetachInstances")


def _ids(params, prefix):
    return [v for k, v in params.items() if k.startswith(prefix)]


class SwapTestCase(E2ETestCase):
    SELECTED = ()  # the groups the scenario opts in

    def admin(self, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.fake.endpoint + path, data=data,
                                     method="GET" if body is None else "POST")
        with urllib.request.urlopen(req, timeout=10) as r:
            return json.load(r)

    def state(self):
        return self.admin("/_fake/state")["accounts"][ACCOUNT]["regions"][REGION]

    def calls(self, all_calls=False):
        doc = self.admin("/_fake/calls" + ("?all=1" if all_calls else ""))
        return doc["calls"] if isinstance(doc, dict) else doc

    def advance(self, seconds):
        self.admin("/_fake/advance", {"seconds": seconds})

    def run_pass(self, *extra, check=True):
        proc = self.run_cli("run", "--region", REGION, "--output", "json", *extra, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        report = json.loads(proc.stdout)
        if check:
            self.check_invariants(report)
        return report

    def group_report(self, report, name):
        for region in report["regions"]:
            for g in region.get("groups", []):
                if g["name"] == name:
                    return g
        return None

    # ---- invariants ------------------------------------------------------------------------

    def check_invariants(self, report=None):
        st = self.state()
        for name in self.SELECTED:
            g = st["groups"].get(name)
            if g is None:
                continue
            in_service = [i for i in g["Instances"] if i["LifecycleState"] == "InService"]
            self.assertGreaterEqual(len(in_service), g["DesiredCapacity"],
                                    f"{name}: fewer InService than desired")
            capped = report is not None and any(
                "diversification cap" in (n.get("reason") or "")
                for n in (self.group_report(report, name) or {}).get("left_alone", []))
            capped = capped or (report is not None and "diversification cap" in json.dumps(report))
            if not capped:
                self.check_cap(st, g)
        self.check_no_early_termination(st)

    def check_cap(self, st, g):
        per_az = {}
        for m in g["Instances"]:
            inst = st["instances"][m["InstanceId"]]
            if inst.get("InstanceLifecycle") != "spot":
                continue
            per_az.setdefault(m["AvailabilityZone"], []).append(inst["InstanceType"])
        for az, types in per_az.items():
            cap = max(1, math.ceil(len(types) / 3 - 1e-9))
            for t in set(types):
                self.assertLessEqual(types.count(t), cap,
                                     f"{g['AutoScalingGroupName']} {az}: {types}")

    def check_no_early_termination(self, st):
        """Every on-demand instance spotswap detached or terminated was replaced by a spot
        instance attached to its group earlier (attach makes it InService at once here)."""
        attached = {}
        for c in self.calls():
            ids = _ids(c["params"], "InstanceIds.")
            if c["action"] == "AttachInstances" and c["result"] == "ok":
                for i in ids:
                    attached[i] = c["seq"]
            if c["action"] in TERMINATING:
                if c["action"] == "TerminateInstanceInAutoScalingGroup":
                    ids = [c["params"]["InstanceId"]]
                for x in ids:
                    inst = st["instances"].get(x)
                    if inst is None or inst.get("InstanceLifecycle") == "spot":
                        continue  # spot instances spotswap launched (orphans) may go any time
                    tags = {t["Key"]: t["Value"] for t in inst["Tags"]}
                    s = tags.get("spotswap:replaced-by")
                    self.assertIsNotNone(s, f"{x} terminated without a replacement")
                    self.assertIn(s, attached, f"{x} retired before {s} was attached")
                    self.assertLess(attached[s], c["seq"])

    def crash_after(self, matches):
        """Right after the first successful call matching `matches` is logged (before its
        answer is sent), every later call fails with an expired token, which nothing retries
        twice: the process is as good as dead. Sets self.crashed when it happens."""
        world = self.fake.world
        original = world.log_call
        self.crashed = False

        def log_call(entry):
            original(entry)
            if not self.crashed and entry["result"] == "ok" and matches(entry):
                self.crashed = True
                world.faults.append({"action": "*", "kind": "expired_token",
                                     "remaining": 10 ** 6, "service": None, "delay_ms": 0})
        world.log_call = log_call

    def mutating_names(self, name):
        return [c for c in self.calls() if name in json.dumps(c["params"])]

    def spot_members(self, group):
        st = self.state()
        g = st["groups"][group]
        return [m["InstanceId"] for m in g["Instances"]
                if st["instances"][m["InstanceId"]].get("InstanceLifecycle") == "spot"]

    def orphans(self):
        st = self.state()
        members = {m["InstanceId"] for g in st["groups"].values() for m in g["Instances"]}
        out = []
        for i, inst in st["instances"].items():
            tags = {t["Key"]: t["Value"] for t in inst["Tags"]}
            if ("spotswap:launched-for-asg" in tags and inst["State"]["Name"] == "running"
                    and i not in members):
                out.append(i)
        return out
