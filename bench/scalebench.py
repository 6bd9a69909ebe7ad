"""spotswap at scale against the simulated AWS (bench/README.md says what each figure means).

    /usr/bin/python3 bench/scalebench.py --bin build-bench/spotswap --plan-cpu build-bench/bench/bench_plan_cpu \
        [--scale small|full|huge] [--latency-ms 50]

Prints progress on stderr and, as its last stdout line, one JSON object with every figure.
Measured and reported, never asserted: nothing here fails because a figure misses its goal.
"""
import argparse
import collections
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "tests", "fakeaws"))

import estate  # noqa: E402
from fakeawslib.server import FakeAws  # noqa: E402
from fakeawslib.state import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY  # noqa: E402

SCALES = {"small": (4, 60, 1200), "full": (16, 300, 6000), "huge": (16, 3000, 60000)}
ACCOUNT = "111111111111"


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def env_for(fake, home):
    return {"PATH": "/usr/bin:/bin", "HOME": home, "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": fake.endpoint, "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": DEFAULT_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": DEFAULT_SECRET_KEY, "SPOTSWAP_LOG_LEVEL": "warn"}


def run_pass(binary, fake, home, regions, *extra):
    """One `spotswap run`: wall time, its peak RSS and CPU time, its report and the calls the
    fake saw during it. RSS and CPU come from /usr/bin/time (GNU time, a wait4 of its own
    child): the rusage of a child forked from this Python process would count the RSS of the
    interpreter it was forked from."""
    fake.world.calls.clear()
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    with tempfile.NamedTemporaryFile("r", suffix=".time") as usage:
        t0 = time.monotonic()
        proc = subprocess.run(["/usr/bin/time", "-o", usage.name, "-f", "%M %U %S", binary, "run",
                               "--regions", ",".join(regions), "--output", "json", *extra],
                              env=env_for(fake, home), stdout=out, stderr=err)
        wall = time.monotonic() - t0
        fields = usage.read().split()
    out.seek(0)
    err.seek(0)
    text, errors = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"bench: spotswap run {' '.join(extra)} failed ({proc.returncode}):\n"
                         f"{errors[-3000:]}")
    rss_kib, user_s, sys_s = int(fields[-3]), float(fields[-2]), float(fields[-1])
    return {"wall_ms": round(wall * 1000, 1), "peak_rss_mib": round(rss_kib / 1024, 1),
            "cpu_ms": round((user_s + sys_s) * 1000, 1),
            "report": json.loads(text), "calls": list(fake.world.calls)}


def by_action(calls):
    return dict(sorted(collections.Counter(c["action"] for c in calls).items()))


def redundant(calls):
    """Calls repeating an earlier call of the same pass exactly: same service, region, action
    and parameters (a retry after an error is not counted)."""
    seen = collections.Counter((c["service"], c["region"], c["action"],
                                json.dumps(c["params"], sort_keys=True))
                               for c in calls if c["result"] == "ok")
    dups = {k: v - 1 for k, v in seen.items() if v > 1}
    return sum(dups.values()), sorted({f"{k[1]} {k[2]}" for k in dups})


def pages_per_region(calls, action):
    out = collections.Counter(c["region"] for c in calls if c["action"] == action)
    return dict(out)


def critical_path(layout, calls, real):
    """estate.critical_path with the page counts the data took, read from the call log (the
    zone offerings and spot price rows come from the fake's catalog, the types asked about
    from the planner); a report-only pass launches nothing."""
    return estate.critical_path(
        layout, offerings=pages_per_region(calls, "DescribeInstanceTypeOfferings"),
        spot=pages_per_region(calls, "DescribeSpotPriceHistory"),
        launches=pages_per_region(calls, "RunInstances") if real else None)


def pacing_floor_ms(calls, rate=20.0, burst=40):
    """The least time the client's token bucket (docs/http-and-retries.md: 20 requests a second
    after a burst of 40, per region and service) lets the busiest region's EC2 calls take."""
    per_region = collections.Counter(c["region"] for c in calls if c["service"] == "ec2")
    worst = max(per_region.values(), default=0)
    return round(max(worst - burst, 0) / rate * 1000)


def measure_pass(binary, fake, home, layout, latency_ms, real):
    regions = [r for r, _ in layout]
    extra = () if real else ("--report-only",)
    r = run_pass(binary, fake, home, regions, *extra)
    rounds, where = critical_path(layout, r["calls"], real)
    bound_ms = rounds * latency_ms
    n_red, red_where = redundant(r["calls"])
    out = {"wall_ms": r["wall_ms"], "cpu_ms": r["cpu_ms"], "peak_rss_mib": r["peak_rss_mib"],
           "api_calls": len(r["calls"]), "api_calls_by_action": by_action(r["calls"]),
           "redundant_calls": n_red, "redundant_where": red_where[:10],
           "bound_rounds": rounds, "bound_region": where, "bound_ms": bound_ms,
           "ratio_to_bound": round(r["wall_ms"] / bound_ms, 2) if bound_ms else None,
           "launches": sum(1 for c in r["calls"] if c["action"] == "RunInstances")}
    if real:
        out["pacing_floor_ms"] = pacing_floor_ms(r["calls"])
    log(f"{'real' if real else 'report-only'} pass: {out['wall_ms']:.0f} ms, "
        f"{out['api_calls']} calls, bound {rounds} rounds = {bound_ms} ms, "
        f"ratio {out['ratio_to_bound']}, RSS {out['peak_rss_mib']} MiB")
    return out


# ---- cold start -------------------------------------------------------------------------------

def cold_start(binary, runs, home):
    """Process start to the first byte of its first Runtime API request, median of `runs`."""
    times = []
    for _ in range(runs):
        srv = socket.socket()
        srv.bind(("127.0.0.1", 0))
        srv.listen(4)
        port = srv.getsockname()[1]
        arrived = []

        def accept():
            conn, _ = srv.accept()
            conn.recv(1)  # the request's first byte
            arrived.append(time.monotonic())
            conn.close()

        t = threading.Thread(target=accept, daemon=True)
        t.start()
        env = {"PATH": "/usr/bin:/bin", "HOME": home, "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{port}",
               "AWS_EC2_METADATA_DISABLED": "true", "AWS_REGION": "us-east-1",
               "AWS_ENDPOINT_URL": "http://127.0.0.1:9", "SPOTSWAP_LOG_LEVEL": "warn",
               "AWS_ACCESS_KEY_ID": DEFAULT_ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": DEFAULT_SECRET_KEY}
        t0 = time.monotonic()
        proc = subprocess.Popen([binary, "bootstrap"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        t.join(10)
        proc.kill()
        proc.wait()
        srv.close()
        if arrived:
            times.append((arrived[0] - t0) * 1000)
    return round(statistics.median(times), 2) if times else None, len(times)


# ---- runs to convert ----------------------------------------------------------------------------

def runs_to_convert(binary, home, size, extra, limit=12):
    """Passes until every member of one `size`-instance group is spot, advancing virtual time
    past the grace period and the status checks between passes."""
    doc = {"seed": 5, "regions": {"us-east-1": {
        "launch_configurations": [{"name": "big-lc", "instance_type": "m5.large"}],
        "groups": [{"name": "big", "launch_configuration": "big-lc", "instances": size,
                    "min": 1, "max": 2 * size, "health_check_grace_period": 300,
                    "tags": {"spot-enabled": "true"}}]}}}
    fake = FakeAws(doc).start()
    try:
        for n in range(1, limit + 1):
            run_pass(binary, fake, home, ["us-east-1"], *extra)
            fake.world.advance(360)
            region = fake.world.region(ACCOUNT, "us-east-1")
            group = region.groups["big"]
            members = [region.instances[i] for i, m in group["_members"].items()
                       if m["LifecycleState"] == "InService"]
            spot = sum(1 for i in members if i.get("InstanceLifecycle") == "spot")
            log(f"convert {size} {' '.join(extra) or '(defaults)'}: pass {n}: "
                f"{spot}/{len(members)} InService members spot")
            if spot >= size and len(members) == size:
                return n
        return None
    finally:
        fake.stop()


def main():
    home = tempfile.mkdtemp(prefix="spotswap-bench-")
    try:
        bench(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def bench(home):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", required=True)
    ap.add_argument("--plan-cpu", required=True)
    ap.add_argument("--scale", choices=sorted(SCALES), default="small")
    ap.add_argument("--latency-ms", type=int, default=50)
    ap.add_argument("--cold-start-runs", type=int, default=21)
    ap.add_argument("--no-real-pass", action="store_true",
                    help="skip the real pass (it launches a third of every group)")
    a = ap.parse_args()
    regions, groups, instances = SCALES[a.scale]
    result = {"load_average_1m_at_start": os.getloadavg()[0], "scale": a.scale, "regions": regions, "groups": groups, "instances": instances,
              "latency_ms": a.latency_ms}

    t0 = time.monotonic()
    fake = FakeAws(estate.scenario(regions, groups, instances), latency_ms=a.latency_ms).start()
    result["fake_load_s"] = round(time.monotonic() - t0, 2)
    log(f"estate {regions} regions, {groups} groups, {instances} instances loaded in "
        f"{result['fake_load_s']} s")
    layout = estate.layout(regions, groups, instances)
    try:
        ro = measure_pass(a.bin, fake, home, layout, a.latency_ms, real=False)
        fake.latency_ms = 0
        ro0 = run_pass(a.bin, fake, home, [r for r, _ in layout], "--report-only")
        ro["wall_ms_latency_0"] = ro0["wall_ms"]
        log(f"report-only pass without latency: {ro0['wall_ms']:.0f} ms (the fake's own time "
            f"and spotswap's CPU)")
        fake.latency_ms = a.latency_ms
        real = None if a.no_real_pass else measure_pass(a.bin, fake, home, layout,
                                                        a.latency_ms, real=True)
    finally:
        fake.stop()
    result["report_only"] = ro
    result["real"] = real

    plan = json.loads(subprocess.run([a.plan_cpu, str(regions), str(groups), str(instances), "5"],
                                     capture_output=True, text=True, check=True).stdout)
    log(f"planning alone: {plan['plan_cpu_ms']} ms CPU ({plan['actions']} actions)")
    cold, n = cold_start(a.bin, a.cold_start_runs, home)
    log(f"cold start: median {cold} ms over {n} runs")
    conv_default = runs_to_convert(a.bin, home, 250, ())
    conv_fast = runs_to_convert(a.bin, home, 250, ("--max-replacements-per-run", "250"))

    passes = [p for p in (ro, real) if p]
    result.update({
        "ratio_to_bound": ro["ratio_to_bound"],
        "ratio_to_bound_real": real["ratio_to_bound"] if real else None,
        "api_calls": ro["api_calls"],
        "api_calls_real": real["api_calls"] if real else None,
        "redundant_calls": sum(p["redundant_calls"] for p in passes),
        "peak_rss_mib": max(p["peak_rss_mib"] for p in passes),
        "plan_cpu_ms": plan["plan_cpu_ms"],
        "cold_start_ms": cold,
        "runs_to_convert_250": conv_default,
        "runs_to_convert_250_aggressive": conv_fast,
    })
    print(json.dumps(result, sort_keys=False, separators=(",", ":")))


if __name__ == "__main__":
    main()
