"""The fault matrix: every AWS call a replacement makes, under every fault class, then the
next runs (docs/reliability.md, "Fault matrix").

A clean reference run of the `e2e_faults` scenario (a tagged group `app` of two on-demand
instances at desired == max, and an untagged group `legacy`) converges in a few passes; the
world is kept before each pass. The call sites are every distinct (service, action) of those
passes, plus each read that a pass repeats after its first mutating call (the re-read of the
group after an attach). For each site and each fault class the world is restored to just before
the pass where the site first occurs, the fault is armed on exactly that call (the fake's
`skip` reaches the Nth occurrence), the pass runs, and then clean passes run until the group is
converted. After every pass: InService >= desired, no on-demand instance detached or terminated
before its replacement was attached, no orphan left after the first clean pass, the untagged
group never named in any call, and at the end exactly two spot instances in `app`.

Combinations run in parallel, each worker with a simulated AWS of its own. The binary runs
with AWS_MAX_ATTEMPTS=2 and http_timeout_seconds=1, so one fault is retried away and two
exhaust the attempts.
"""
import concurrent.futures
import copy
import json
import os
import tempfile
import threading
import time
import unittest

from e2e_swap import SwapTestCase
from e2e_util import scenario
from fakeawslib.server import FakeAws

SCENARIO = "e2e_faults"
GROUP, UNTAGGED = "app", "legacy"
ATTEMPTS = 2           # AWS_MAX_ATTEMPTS for every run of the matrix
TIMEOUT_S = 1          # SPOTSWAP_HTTP_TIMEOUT_SECONDS
SLOW_MS = 3000         # above the timeout, and above timeout + the longest backoff (1 s): the
                       # retry is always answered before the abandoned attempt is carried out
CANDIDATES = "m5.large,m5a.large,m6i.large,m6a.large,m7i.large,r5.large"
WORKERS = int(os.environ.get("SPOTSWAP_FAULT_MATRIX_WORKERS", "12"))

# (class, fake kind, count, expectation). "retried": the pass succeeds as if nothing happened.
# "fails": the call fails for good (the attempts run out, or the class is never retried).
VARIANTS = [
    ("throttle", "throttle", 1, "retried"), ("throttle", "throttle", ATTEMPTS, "fails"),
    ("500", "500", 1, "retried"), ("500", "500", ATTEMPTS, "fails"),
    ("timeout", "slow", 1, "retried"), ("timeout", "slow", ATTEMPTS, "fails"),
    ("truncated", "truncated", 1, "retried"), ("truncated", "truncated", ATTEMPTS, "fails"),
    ("malformed", "malformed", 1, "fails"),
    ("expired_token", "expired_token", 1, "retried"),
    ("expired_token", "expired_token", ATTEMPTS, "fails"),
]
CAPACITY_VARIANTS = [("capacity", "capacity", 1, "next-candidate"),
                     ("capacity", "capacity", 1000, "no-capacity")]

# What the one-line error says for each fault kind that can fail a pass.
SAYS = {"throttle": "AWS throttled the request", "500": "AWS returned a server error",
        "slow": "the request timed out", "truncated": "the connection failed mid-request",
        "malformed": "malformed XML", "expired_token": "the credentials have expired"}

# Failures a pass absorbs by design, so that "fails" still ends with exit 0 (key: service,
# action, and the site's position or the fault kind), and why.
ABSORBED = {
    ("autoscaling", "DescribeAutoScalingGroups", "after-mutation"):
        "when the re-read after an attach fails, the retire is left to the next pass "
        "(engine/execute.c)",
    ("ec2", "DescribeInstanceTypeOfferings", "first"):
        "catalog refresh: its failures only log, the embedded catalog stands in "
        "(docs/compatibility.md)",
    ("autoscaling", "AttachInstances", "truncated"):
        "the first attempt was carried out: the retry's ValidationError (already a member) "
        "is checked against the group and taken as done (launch/steps.c)",
    ("autoscaling", "DetachInstances", "truncated"):
        "likewise: not a member any more is what the detach wanted",
}


def copy_world(world):
    """A deep copy of a fake's world (its lock is replaced, the read-only catalog shared)."""
    return copy.deepcopy(world, {id(world.lock): threading.RLock(),
                                 id(world.catalog): world.catalog})


class Cell(SwapTestCase):
    """One worker: a fake and a HOME of its own, driven outside the unittest runner (the
    assertions of SwapTestCase still raise AssertionError)."""
    SELECTED = (GROUP,)

    def __init__(self):
        super().__init__("check_invariants")
        self.fake = FakeAws(scenario(SCENARIO)).start()
        self.home = tempfile.TemporaryDirectory()

    def close(self):
        self.fake.stop()
        self.home.cleanup()

    def env(self, keys=True, **extra):
        settings = {"AWS_MAX_ATTEMPTS": str(ATTEMPTS),
                    "SPOTSWAP_HTTP_TIMEOUT_SECONDS": str(TIMEOUT_S),
                    # A few candidates keep the Spot price pages (the fake's slowest answer)
                    # small: the calls made are the same.
                    "SPOTSWAP_ALLOWED_INSTANCE_TYPES": CANDIDATES}
        settings.update(extra)
        return super().env(keys, **settings)

    def restore(self, world):
        self.fake.world = copy_world(world)

    def raw_pass(self):
        proc = self.run_cli("run", "--region", "us-east-1", "--output", "json", timeout=120)
        try:
            report = json.loads(proc.stdout)
        except ValueError:
            report = None
        return proc, report

    def settle(self):
        """Waits until every request a slow fault held back has been carried out (AWS goes on
        with a request whose client gave up): the checks must see the world it leaves."""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            taken = sum(f.get("_taken", 0) for f in self.fake.world.faults
                        if f["kind"] == "slow")
            done = sum(1 for c in self.fake.world.calls if c["fault"] == "slow")
            if done >= taken:
                return
            time.sleep(0.05)
        self.fail("a slow request never finished")

    def converged(self, report):
        g = self.group_report(report, GROUP) if report else None
        st = self.state()["groups"][GROUP]
        return (g is not None and g["state"] == "converted" and not report["regions"][0]["actions"]
                and (st["DesiredCapacity"], st["MaxSize"]) == (2, 2)
                and "spotswap:max-raised-from" not in [t["Key"] for t in st["Tags"]])

    def check_untagged_untouched(self, legacy_ids):
        for c in self.calls(all_calls=True):
            text = json.dumps(c["params"])
            self.assertNotIn(UNTAGGED, text, f"{c['action']} named the untagged group")
            for i in legacy_ids:
                self.assertNotIn(i, text, f"{c['action']} named {i} of the untagged group")


def effects(calls):
    """What a pass changed: its successful mutating calls (client tokens are random)."""
    return [(c["service"], c["action"],
             sorted((k, v) for k, v in c["params"].items() if k != "ClientToken"))
            for c in calls if c["mutating"] and c["result"] == "ok"]


def _count_faults(world):
    """Wraps take_fault so that the matrix knows how many calls each fault hit."""
    original = world.take_fault

    def take_fault(service, action):
        f = original(service, action)
        if f is not None:
            for armed in world.faults:
                if armed["kind"] == f["kind"] and armed["action"] == f["action"]:
                    armed["_taken"] = armed.get("_taken", 0) + 1
        return f
    world.take_fault = take_fault


class FaultMatrixTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.outcomes, cls.rejoined = [], []
        ref = Cell()
        try:
            cls._reference(ref)
        finally:
            ref.close()

    @classmethod
    def _reference(cls, ref):
        """Clean passes to convergence, keeping the world before each and its calls."""
        cls.before, cls.passes = [], []
        st = ref.state()
        cls.legacy_ids = [m["InstanceId"] for m in st["groups"][UNTAGGED]["Instances"]]
        cls.originals = [m["InstanceId"] for m in st["groups"][GROUP]["Instances"]]
        cls.effects = []
        for _ in range(8):
            cls.before.append(copy_world(ref.fake.world))
            seen = len(ref.fake.world.calls)
            proc, report = ref.raw_pass()
            assert proc.returncode == 0, proc.stderr
            calls = ref.fake.world.calls[seen:]
            cls.passes.append([(c["service"], c["action"], c["mutating"]) for c in calls])
            cls.effects.append(effects(calls))
            ref.check_invariants(report)
            assert ref.orphans() == [], ref.orphans()
            ref.check_untagged_untouched(cls.legacy_ids)
            if ref.converged(report):
                break
            ref.advance(120)
        assert ref.converged(report), "the reference run did not converge"
        cls.sites = cls._sites(cls.passes)

    @staticmethod
    def _sites(passes):
        """(pass, service, action, skip, where): the first occurrence of every call, and the
        first repeat of a read after a pass's first mutating call."""
        sites, first, after = [], set(), set()
        for k, calls in enumerate(passes):
            seen, mutated = {}, False
            for service, action, mutating in calls:
                key = (service, action)
                n = seen.get(key, 0)
                if key not in first:
                    first.add(key)
                    sites.append((k, service, action, n, "first", mutating))
                elif mutated and not mutating and n > 0 and key not in after:
                    after.add(key)
                    sites.append((k, service, action, n, "after-mutation", mutating))
                seen[key] = n + 1
                mutated = mutated or mutating
        return sites

    def combos(self):
        out = []
        for site in self.sites:
            k, service, action, skip, where, mutating = site
            variants = VARIANTS + (CAPACITY_VARIANTS if action == "RunInstances" else [])
            out += [(site, v) for v in variants]
            if mutating:
                out.append((site, ("crash", None, 0, "crash")))
        return out

    # ---- one combination ---------------------------------------------------------------

    def run_combo(self, cell, combo):
        site, (cls_name, kind, count, expect) = combo
        k, service, action, skip, where, mutating = site
        cell.restore(self.before[k])
        _count_faults(cell.fake.world)
        if kind is None:
            nth = [0]

            def matches(c):
                if c["service"] != service or c["action"] != action:
                    return False
                nth[0] += 1
                return nth[0] == skip + 1
            cell.crash_after(matches)
        else:
            cell.fake.world.faults.append({"action": action, "service": service, "kind": kind,
                                           "remaining": count, "skip": skip,
                                           "delay_ms": SLOW_MS})
        seen = len(cell.fake.world.calls)
        proc, report = cell.raw_pass()
        cell.settle()
        calls = cell.fake.world.calls[seen:]
        hit = [c for c in calls if c["action"] == action and c["service"] == service]
        if kind is None:
            self.assertTrue(cell.crashed, "the crash point was never reached")
        else:
            taken = cell.fake.world.faults[0].get("_taken", 0)
            self.assertGreaterEqual(taken, 1, "the fault never hit its call")
            self.check_outcome(cell, site, kind, count, expect, proc, report, hit, taken)
        cell.check_invariants(report)
        cell.check_untagged_untouched(self.legacy_ids)
        cell.fake.world.faults.clear()
        if not self.rejoin(cell, k, effects(calls)):
            self.resume(cell)

    def rejoin(self, cell, k, done):
        """When the faulted pass changed nothing, or exactly what the reference pass k changed,
        the world is the reference's (the fake is deterministic): one clean pass must then do
        what the reference's next pass did, and the rest of the run is the reference run,
        checked already. Otherwise (or if that pass differs) the caller resumes in full."""
        if done == []:
            nxt = k  # the same world as before pass k: run it again, no time added
        elif done == self.effects[k] and k + 1 < len(self.effects):
            nxt = k + 1
            cell.advance(120)
        else:
            return False
        seen = len(cell.fake.world.calls)
        proc, report = cell.raw_pass()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        cell.check_invariants(report)
        self.assertEqual(cell.orphans(), [], "an orphan outlived the first clean pass")
        if effects(cell.fake.world.calls[seen:]) != self.effects[nxt]:
            return False
        self.rejoined.append(k)
        return True

    def check_outcome(self, cell, site, kind, count, expect, proc, report, hit, taken):
        k, service, action, skip, where, mutating = site
        err_lines = [l for l in proc.stderr.splitlines() if l and not l.startswith("{")]
        self.outcomes.append((site, kind, count, proc.returncode, err_lines[:1]))
        # Whatever happened, it is said in one line, or it is not a failure at all.
        self.assertIn(proc.returncode, (0, 1), proc.stderr)
        self.assertIsNotNone(report, proc.stderr)
        if proc.returncode == 1:
            self.assertEqual(len(err_lines), 1, proc.stderr)
            self.assertTrue(err_lines[0].startswith("spotswap run: "), err_lines[0])
            self.assertNotIn("(null)", err_lines[0])  # restore-max names its group
            self.assertIn(SAYS[kind], err_lines[0])  # and the line says what went wrong
        else:
            self.assertEqual(err_lines, [])
            self.assertEqual((report["totals"]["failed_actions"],
                              report["totals"]["failed_regions"]), (0, 0))
        self.assertEqual(taken, 1 if kind == "malformed" else min(count, len(hit) - skip))
        if expect == "retried":
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertGreater(len(hit), skip + count, f"{action} was not called again")
        elif expect == "next-candidate":
            bad = [c for c in hit if c["result"] == "InsufficientInstanceCapacity"]
            good = [c for c in hit if c["result"] == "ok" and c["seq"] > bad[0]["seq"]]
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertTrue(good, "no other candidate tried")
            self.assertNotEqual(bad[0]["params"]["InstanceType"], good[0]["params"]["InstanceType"])
        elif expect == "no-capacity":
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertFalse([c for c in hit if c["result"] == "ok"])
            self.assertIn("no-capacity", json.dumps(report), json.dumps(report)[:2000])
        elif expect == "fails":
            absorbed = ABSORBED.get((service, action, where)) or (
                mutating and ABSORBED.get((service, action, kind)))
            self.assertEqual(proc.returncode, 0 if absorbed else 1, proc.stderr)

    def resume(self, cell):
        """Clean passes until converted: invariants after each, no orphan after the first."""
        for n in range(8):
            cell.advance(120)
            proc, report = cell.raw_pass()
            self.assertEqual(proc.returncode, 0, proc.stderr)
            cell.check_invariants(report)
            if n == 0:
                self.assertEqual(cell.orphans(), [], "an orphan outlived the first clean pass")
            if cell.converged(report):
                break
        self.assertTrue(cell.converged(report), "no convergence after 8 clean passes")
        cell.check_untagged_untouched(self.legacy_ids)
        st = cell.state()
        self.assertEqual(len(cell.spot_members(GROUP)), 2)
        live = [i for i, inst in st["instances"].items()
                if inst["State"]["Name"] in ("pending", "running")
                and i not in self.legacy_ids]
        self.assertEqual(sorted(live), sorted(cell.spot_members(GROUP)), "a stray instance")
        for x in self.originals:
            self.assertIn(st["instances"][x]["State"]["Name"], ("shutting-down", "terminated"))

    # ---- the matrix ----------------------------------------------------------------------

    def test_reference_sites(self):
        """The reference run reached every step of a replacement (so the matrix covers them)."""
        names = {(s[1], s[2]) for s in self.sites}
        for step in ("RunInstances", "AttachInstances", "DetachInstances", "TerminateInstances",
                     "CreateTags", "UpdateAutoScalingGroup", "CreateOrUpdateTags", "DeleteTags",
                     "DescribeAutoScalingGroups", "DescribeInstances", "DescribeInstanceStatus"):
            self.assertIn(step, {a for _, a in names})
        self.assertIn(("autoscaling", "DescribeAutoScalingGroups", "after-mutation"),
                      {(s[1], s[2], s[4]) for s in self.sites})

    def test_timeout_is_the_configured_one(self):
        """A call slower than http_timeout_seconds is abandoned and retried; with the default
        (30 s) the same call is simply waited for."""
        cell = Cell()
        try:
            for timeout, attempts in ((str(TIMEOUT_S), 2), (None, 1)):
                cell.restore(self.before[0])
                cell.fake.world.faults.append({"action": "DescribeAutoScalingGroups",
                                               "service": None, "kind": "slow",
                                               "remaining": 1, "delay_ms": 1500})
                proc = cell.run_cli("run", "--region", "us-east-1", "--output", "json",
                                    env=cell.env(SPOTSWAP_HTTP_TIMEOUT_SECONDS=timeout))
                self.assertEqual(proc.returncode, 0, proc.stderr)
                cell.fake.world.faults[0]["_taken"] = 1
                cell.settle()
                hit = [c for c in cell.fake.world.calls
                       if c["action"] == "DescribeAutoScalingGroups"]
                self.assertEqual(len(hit), attempts, timeout)
        finally:
            cell.close()

    def test_fault_matrix(self):
        # The slowest first (timeouts wait in real time, pass 0 sites resume the longest),
        # so that the workers finish together.
        combos = sorted(self.combos(), key=lambda c: (c[1][1] != "slow", c[0][0]))
        cells = [Cell() for _ in range(min(WORKERS, len(combos)))]
        free = list(cells)
        failures = []

        durations = []

        def one(combo):
            cell = free.pop()
            t0 = time.monotonic()
            try:
                self.run_combo(cell, combo)
            except AssertionError as e:
                failures.append(f"{self.describe(combo)}: {str(e).splitlines()[0][:400]}")
            finally:
                durations.append((time.monotonic() - t0, self.describe(combo)))
                free.append(cell)
        started = time.monotonic()
        try:
            with concurrent.futures.ThreadPoolExecutor(len(cells)) as pool:
                for f in [pool.submit(one, c) for c in combos]:
                    f.result()
        finally:
            for c in cells:
                c.close()
        print(f"\nfault matrix: {len(self.sites)} call sites, {len(combos)} combinations, "
              f"{len(self.rejoined)} rejoined the reference run, {len(failures)} failed, "
              f"{time.monotonic() - started:.0f} s")
        if os.environ.get("SPOTSWAP_FAULT_MATRIX_VERBOSE"):
            for d, name in sorted(durations, reverse=True)[:10]:
                print(f"{d:6.2f} s  {name}")
            for site, kind, count, rc, line in sorted(self.outcomes, key=str):
                print(f"pass {site[0] + 1} {site[1]}:{site[2]}#{site[3] + 1} {kind}*{count}: "
                      f"exit {rc} {line[0] if line else ''}")
        self.assertEqual(failures, [], "\n" + "\n".join(sorted(failures)))

    @staticmethod
    def describe(combo):
        (k, service, action, skip, where, _), (cls_name, _, count, _) = combo
        return f"pass {k + 1} {service}:{action}#{skip + 1} x {cls_name}*{count}"


if __name__ == "__main__":
    unittest.main()
