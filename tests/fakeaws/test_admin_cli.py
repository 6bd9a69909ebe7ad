"""Admin API, fault injection, call log, state dump, and the command-line tools."""
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

from botocore.config import Config

from fakeaws_testutil import (DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, HERE, FakeAws,
                              FakeTestCase, scenario)



def read(path):
    with open(path) as f:
        return f.read()


class AdminTest(FakeTestCase):
    def admin(self, method, route, doc=None):
        data = json.dumps(doc).encode() if doc is not None else None
        req = urllib.request.Request(f"{self.fake.endpoint}/_fake/{route}", data=data,
                                     method=method)
        with urllib.request.urlopen(req) as r:
            return json.load(r)

    def fault(self, action, kind, **kw):
        self.admin("POST", "fault", dict(action=action, kind=kind, **kw))

    def test_throttle_then_success(self):
        ec2 = self.client("ec2")
        self.fault("DescribeInstances", "throttle")
        self.assertAwsError("RequestLimitExceeded", ec2.describe_instances, status=503)
        self.assertTrue(ec2.describe_instances()["Reservations"])
        retrying = self.client("ec2", config=Config(retries={"max_attempts": 3,
                                                             "mode": "standard"}))
        self.fault("DescribeInstances", "throttle")
        r = retrying.describe_instances()
        self.assertEqual(r["ResponseMetadata"]["RetryAttempts"], 1)
        asg = self.client("autoscaling")
        self.fault("DescribeAutoScalingGroups", "throttle")
        err = self.assertAwsError("Throttling", asg.describe_auto_scaling_groups, status=400)
        self.assertEqual(err["Error"]["Type"], "Sender")
        self.fault("GetProducts", "throttle")
        self.assertAwsError("ThrottlingException", self.client("pricing").get_products,
                            ServiceCode="AmazonEC2", status=400)

    def test_server_faults(self):
        ec2 = self.client("ec2")
        self.fault("DescribeRegions", "500")
        self.assertAwsError("InternalError", ec2.describe_regions, status=500)
        self.fault("DescribeRegions", "503")
        self.assertAwsError("Unavailable", ec2.describe_regions, status=503)
        self.fault("DescribeRegions", "expired_token")
        self.assertAwsError("RequestExpired", ec2.describe_regions, status=400)
        self.fault("GetCallerIdentity", "expired_token")
        self.assertAwsError("ExpiredToken", self.client("sts").get_caller_identity, status=403)
        self.fault("RunInstances", "capacity", count=2)
        for _ in range(2):
            self.assertAwsError("InsufficientInstanceCapacity", ec2.run_instances,
                                ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large",
                                MinCount=1, MaxCount=1, status=500)
        ec2.run_instances(ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large",
                          MinCount=1, MaxCount=1)

    def test_slow_truncated_malformed(self):
        ec2 = self.client("ec2")
        self.fault("DescribeRegions", "slow", delay_ms=300)
        t0 = time.monotonic()
        ec2.describe_regions()
        self.assertGreaterEqual(time.monotonic() - t0, 0.3)
        self.fault("DescribeRegions", "truncated")
        with self.assertRaises(Exception):  # parser or connection error, as on a broken wire
            ec2.describe_regions()
        self.fault("DescribeRegions", "malformed")
        with self.assertRaises(Exception):  # parser or connection error, as on a broken wire
            ec2.describe_regions()
        self.assertTrue(ec2.describe_regions()["Regions"])
        self.assertEqual(self.admin("GET", "faults")["faults"][0]["remaining"], 0)

    def test_fault_skip_reaches_the_nth_call(self):
        ec2 = self.client("ec2")
        self.fault("DescribeRegions", "500", skip=2, count=1)
        ec2.describe_regions()
        self.client("autoscaling").describe_auto_scaling_groups()  # other actions do not count
        ec2.describe_regions()
        self.assertAwsError("InternalError", ec2.describe_regions, status=500)
        ec2.describe_regions()
        self.assertEqual([c["fault"] for c in self.admin("GET", "calls?all=1&action=DescribeRegions")
                          ["calls"]], [None, None, "500", None])
        f = self.admin("GET", "faults")["faults"][0]
        self.assertEqual((f["skip"], f["remaining"]), (0, 0))

    def test_slow_call_whose_client_gave_up_is_logged_once(self):
        impatient = self.client("ec2", config=Config(read_timeout=0.2, connect_timeout=1,
                                                     retries={"total_max_attempts": 1}))
        self.fault("DescribeRegions", "slow", delay_ms=600)
        with self.assertRaises(Exception):  # botocore's ReadTimeoutError
            impatient.describe_regions()
        impatient.close()
        for _ in range(100):  # the server finishes the call after the client left
            calls = self.admin("GET", "calls?all=1&action=DescribeRegions")["calls"]
            if calls:
                break
            time.sleep(0.05)
        time.sleep(0.3)  # and would log a second, failed entry right after the first
        calls = self.admin("GET", "calls?all=1&action=DescribeRegions")["calls"]
        self.assertEqual([(c["result"], c["fault"]) for c in calls], [("ok", "slow")])

    def test_fault_skip_refuses_negative(self):
        data = json.dumps({"action": "DescribeRegions", "kind": "500", "skip": -1}).encode()
        req = urllib.request.Request(f"{self.fake.endpoint}/_fake/fault", data=data,
                                     method="POST")
        with self.assertRaises(urllib.error.HTTPError) as cm:
            urllib.request.urlopen(req)
        self.assertEqual(cm.exception.code, 400)
        self.assertEqual(self.admin("GET", "faults")["faults"], [])
        self.client("ec2").describe_regions()

    def test_latency(self):
        self.assertEqual(self.admin("GET", "latency"), {"latency_ms": 0})
        self.assertEqual(self.admin("POST", "latency", {"latency_ms": 1000}),
                         {"latency_ms": 1000})
        # A reset rebuilds the world but keeps the server's latency.
        self.admin("POST", "reset", {"scenario": scenario("basic")})
        self.assertEqual(self.admin("GET", "latency")["latency_ms"], 1000)
        clients = [self.client("ec2") for _ in range(5)]
        spent = [None] * 5

        def call(i):
            t0 = time.monotonic()
            clients[i].describe_regions()
            spent[i] = time.monotonic() - t0

        threads = [threading.Thread(target=call, args=(i,)) for i in range(5)]
        t0 = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        total = time.monotonic() - t0
        # Every call waited; the waits overlap (one after the other would take 5 s or more).
        self.assertTrue(all(s is not None and s >= 1.0 for s in spent), spent)
        self.assertLess(total, 4.0)
        self.assertEqual(self.admin("POST", "latency", {"latency_ms": 0}), {"latency_ms": 0})

    def test_latency_refuses_bad_values(self):
        for bad in (-1, 60001, "50", 1.5, True, None):
            with self.assertRaises(urllib.error.HTTPError) as cm:
                self.admin("POST", "latency", {"latency_ms": bad})
            self.assertEqual(cm.exception.code, 400, bad)
            self.assertIn("latency_ms", json.load(cm.exception)["error"])
        with self.assertRaises(urllib.error.HTTPError) as cm:
            self.admin("POST", "latency", {})
        self.assertEqual(cm.exception.code, 400)
        self.assertEqual(self.admin("GET", "latency")["latency_ms"], 0)
        with self.assertRaises(ValueError):
            FakeAws(None, latency_ms=-5)

    def test_call_log(self):
        ec2 = self.client("ec2")
        ec2.describe_instances()
        iid = ec2.run_instances(ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large",
                                MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        self.assertAwsError("InvalidParameterValue", ec2.create_tags, Resources=[iid],
                            Tags=[{"Key": "aws:x", "Value": "1"}])
        calls = self.admin("GET", "calls")["calls"]
        self.assertEqual([c["action"] for c in calls], ["RunInstances", "CreateTags"])
        run = calls[0]
        self.assertEqual((run["service"], run["account"], run["region"], run["result"]),
                         ("ec2", "111111111111", "us-east-1", "ok"))
        self.assertEqual(run["params"]["InstanceType"], "m5.large")
        self.assertIsInstance(run["time"], float)
        self.assertEqual(calls[1]["result"], "InvalidParameterValue")
        every = self.admin("GET", "calls?all=1")["calls"]
        self.assertEqual(every[0]["action"], "DescribeInstances")
        self.admin("POST", "calls/clear", {})
        self.assertEqual(self.admin("GET", "calls")["calls"], [])

    def test_state_dump_and_time(self):
        st = self.admin("GET", "state")
        groups = st["accounts"]["111111111111"]["regions"]["us-east-1"]["groups"]
        for g in groups.values():
            in_service = [i for i in g["Instances"] if i["LifecycleState"] == "InService"]
            self.assertGreaterEqual(len(in_service), g["DesiredCapacity"])
            self.assertTrue(all(i["InServiceSince"] < st["now"] for i in in_service))
        t0 = self.admin("GET", "time")["now"]
        self.assertGreaterEqual(self.admin("POST", "advance", {"seconds": 3600})["now"],
                                t0 + 3600)

    def test_spot_admin(self):
        ec2 = self.client("ec2")
        self.admin("POST", "spot-price", {"region": "us-east-1", "instance_type": "m5.large",
                                          "az": "us-east-1b", "price": 0.0123})
        rows = ec2.describe_spot_price_history(
            InstanceTypes=["m5.large"], AvailabilityZone="us-east-1b",
            ProductDescriptions=["Linux/UNIX"],
            StartTime=time.time())["SpotPriceHistory"]
        self.assertEqual([r["SpotPrice"] for r in rows], ["0.012300"])
        self.admin("POST", "spot-capacity", {"region": "us-east-1", "instance_type": "m5.large",
                                             "az": "us-east-1b", "capacity": 0})
        self.assertAwsError("InsufficientInstanceCapacity", ec2.run_instances,
                            ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large",
                            MinCount=1, MaxCount=1, Placement={"AvailabilityZone": "us-east-1b"},
                            InstanceMarketOptions={"MarketType": "spot"})

    def test_reset_and_determinism(self):
        self.admin("POST", "reset", {"scenario": scenario("demo")})
        names = [g["AutoScalingGroupName"] for g in self.client("autoscaling")
                 .describe_auto_scaling_groups()["AutoScalingGroups"]]
        self.assertEqual(names, ["batch", "legacy", "web"])
        a = FakeAws(scenario("demo")).world
        b = FakeAws(scenario("demo")).world
        ids = lambda w: sorted(w.region("111111111111", "us-east-1").instances)  # noqa: E731
        self.assertEqual(ids(a), ids(b))
        self.assertEqual(len(ids(a)), 9)


class QuietRegionTest(FakeTestCase):
    """A region where reconcile found nothing to do is not walked again until the world changes
    or a scheduled transition is due, and then every rule still applies."""

    def test_quiet_region_wakes_on_mutation_and_on_time(self):
        asg = self.client("autoscaling")
        region = self.world.region("111111111111", "us-east-1")
        asg.describe_auto_scaling_groups()
        quiet = region._quiet
        self.assertIsNotNone(quiet)
        asg.describe_auto_scaling_groups()
        self.assertEqual(region._quiet, quiet)  # not walked again
        web = self.group("web")
        asg.set_desired_capacity(AutoScalingGroupName="web",
                                 DesiredCapacity=web["DesiredCapacity"] + 1)
        # The mutation woke the region: the group launched its new instance at once ...
        web = self.group("web")
        self.assertEqual(len(web["Instances"]), web["DesiredCapacity"])
        pending = [i for i in web["Instances"] if i["LifecycleState"] == "Pending"]
        self.assertEqual(len(pending), 1)
        # ... and the region sleeps until that instance is due to run, not past it.
        self.assertEqual(region._quiet[1],
                         region.instances[pending[0]["InstanceId"]]["_running_at"])
        self.advance(self.world.timing["pending_seconds"] + 60)
        web = self.group("web")
        self.assertEqual([i["LifecycleState"] for i in web["Instances"]
                          if i["InstanceId"] == pending[0]["InstanceId"]], ["InService"])

    def test_instance_terminated_behind_the_group_is_replaced(self):
        ec2 = self.client("ec2")
        self.group("web")  # the region goes quiet
        victim = self.group("web")["Instances"][0]["InstanceId"]
        ec2.terminate_instances(InstanceIds=[victim])
        members = {i["InstanceId"]: i for i in self.group("web")["Instances"]}
        self.assertNotIn(victim, members)  # the health check took it out at once
        self.assertEqual(len(members), self.group("web")["DesiredCapacity"])


class ModelLoadTest(unittest.TestCase):
    def test_concurrent_first_requests_load_a_model_once(self):
        # botocore's session is not thread-safe while it loads (a burst of first requests once
        # failed with KeyError 'data_loader'): concurrent first uses must load one at a time.
        from fakeawslib import wire
        loads, active, overlap = [], [0], []

        class SlowSession:
            def get_service_model(self, service):
                active[0] += 1
                overlap.append(active[0])
                time.sleep(0.05)
                loads.append(service)
                active[0] -= 1
                return object()

        real = wire._session
        wire._session = SlowSession()
        self.addCleanup(setattr, wire, "_session", real)
        self.addCleanup(wire._models.pop, "bench-test-service", None)
        got = []
        threads = [threading.Thread(target=lambda: got.append(wire.model("bench-test-service")))
                   for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(loads, ["bench-test-service"])
        self.assertEqual(max(overlap), 1)
        self.assertEqual(len({id(m) for m in got}), 1)


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="fakeaws-test-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def run_tool(self, *args, env=None, check=True):
        r = subprocess.run(list(args), capture_output=True, text=True, timeout=120, env=env)
        if check and r.returncode != 0:
            self.fail(f"{args} failed: {r.returncode}\n{r.stdout}\n{r.stderr}")
        return r

    def test_start_with_latency(self):
        fakeaws = os.path.join(HERE, "fakeaws")
        fakectl = os.path.join(HERE, "fakectl")
        for bad in ("-1", "60001", "fast", "1.5"):
            r = self.run_tool(fakeaws, "start", "--dir", self.dir, "--latency-ms", bad,
                              check=False)
            self.assertEqual(r.returncode, 2, r.stderr)
            self.assertIn("--latency-ms", r.stderr)
            self.assertFalse(os.path.exists(os.path.join(self.dir, "pid")))
        self.addCleanup(subprocess.run, [fakeaws, "stop", "--dir", self.dir],
                        capture_output=True)
        self.run_tool(fakeaws, "start", "--dir", self.dir, "--latency-ms", "25")
        out = json.loads(self.run_tool(fakectl, "--dir", self.dir, "latency").stdout)
        self.assertEqual(out, {"latency_ms": 25})
        out = json.loads(self.run_tool(fakectl, "--dir", self.dir, "latency", "7").stdout)
        self.assertEqual(out, {"latency_ms": 7})
        r = self.run_tool(fakectl, "--dir", self.dir, "latency", "-3", check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("400", r.stderr)
        self.run_tool(fakeaws, "stop", "--dir", self.dir)

    def test_start_cli_admin_stop(self):
        fakeaws = os.path.join(HERE, "fakeaws")
        fakectl = os.path.join(HERE, "fakectl")
        self.addCleanup(subprocess.run, [fakeaws, "stop", "--dir", self.dir],
                        capture_output=True)
        out = self.run_tool(fakeaws, "start", "--dir", self.dir, "--scenario",
                            os.path.join(HERE, "scenarios", "demo.json")).stdout.strip()
        endpoint = read(os.path.join(self.dir, "endpoint")).strip()
        self.assertEqual(out, endpoint)
        port = int(read(os.path.join(self.dir, "port")))
        pid = int(read(os.path.join(self.dir, "pid")))
        self.assertEqual(endpoint, f"http://127.0.0.1:{port}")

        home = tempfile.mkdtemp(dir=self.dir)
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "AWS_ACCESS_KEY_ID": DEFAULT_ACCESS_KEY,
               "AWS_SECRET_ACCESS_KEY": DEFAULT_SECRET_KEY, "AWS_DEFAULT_REGION": "us-east-1",
               "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
               "AWS_PAGER": ""}
        aws = ["/usr/bin/aws", "--endpoint-url", endpoint, "--output", "json"]
        groups = json.loads(self.run_tool(
            *aws, "autoscaling", "describe-auto-scaling-groups", env=env).stdout)
        tagged = [g["AutoScalingGroupName"] for g in groups["AutoScalingGroups"]
                  if any(t["Key"] == "spot-enabled" for t in g["Tags"])]
        self.assertEqual(tagged, ["batch", "web"])
        west = json.loads(self.run_tool(*aws, "--region", "us-west-2", "ec2",
                                        "describe-instances", env=env).stdout)
        self.assertEqual(sum(len(r["Instances"]) for r in west["Reservations"]), 2)
        ident = json.loads(self.run_tool(*aws, "sts", "get-caller-identity", env=env).stdout)
        self.assertEqual(ident["Account"], "111111111111")
        run = json.loads(self.run_tool(
            *aws, "ec2", "run-instances", "--image-id", "ami-0a1b2c3d4e5f60001",
            "--instance-type", "m5.large", "--instance-market-options", "MarketType=spot",
            env=env).stdout)
        self.assertEqual(run["Instances"][0]["InstanceLifecycle"], "spot")
        bad = dict(env, AWS_SECRET_ACCESS_KEY="wrong")
        r = self.run_tool(*aws, "ec2", "describe-regions", env=bad, check=False)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("SignatureDoesNotMatch", r.stderr)

        calls = json.loads(self.run_tool(fakectl, "--dir", self.dir, "calls").stdout)
        self.assertEqual([c["action"] for c in calls["calls"]], ["RunInstances"])
        self.run_tool(fakectl, "--dir", self.dir, "advance", "30")
        self.run_tool(fakectl, "--dir", self.dir, "interrupt",
                      run["Instances"][0]["InstanceId"])
        evs = json.loads(self.run_tool(fakectl, "--dir", self.dir, "events").stdout)["events"]
        self.assertEqual(evs[0]["detail"]["instance-id"], run["Instances"][0]["InstanceId"])
        self.run_tool(fakectl, "--dir", self.dir, "fault", "DescribeRegions", "throttle")
        r = self.run_tool(*aws, "ec2", "describe-regions", env=dict(env, AWS_MAX_ATTEMPTS="1"),
                          check=False)
        self.assertIn("RequestLimitExceeded", r.stderr)
        state = json.loads(self.run_tool(fakectl, "--dir", self.dir, "state").stdout)
        inst = state["accounts"]["111111111111"]["regions"]["us-east-1"]["instances"]
        self.assertEqual(inst[run["Instances"][0]["InstanceId"]]["State"]["Name"],
                         "shutting-down")
        self.assertIn("AWS_ENDPOINT_URL=" + endpoint,
                      self.run_tool(fakectl, "--dir", self.dir, "env").stdout)

        self.run_tool(fakeaws, "stop", "--dir", self.dir)
        for name in ("port", "pid", "endpoint"):
            self.assertFalse(os.path.exists(os.path.join(self.dir, name)))
        deadline = time.time() + 5
        while time.time() < deadline and os.path.exists(f"/proc/{pid}"):
            time.sleep(0.05)
        self.assertFalse(os.path.exists(f"/proc/{pid}") and
                         read(f"/proc/{pid}/stat").split(") ")[1][0] != "Z")
        self.assertIn("fakeaws stopped", read(os.path.join(self.dir, "fakeaws.log")))
