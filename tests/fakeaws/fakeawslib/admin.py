"""Unsigned admin API under /_fake/ (loopback only)."""
import json
import threading
import time
from urllib.parse import parse_qs, urlsplit

from .state import public
from .wire import AwsError

FAULT_KINDS = ("throttle", "500", "503", "slow", "truncated", "malformed", "expired_token",
               "capacity")


class BadRequest(Exception):
    pass


def handle(fake, method, path, body):
    parts = urlsplit(path)
    route = parts.path[len("/_fake/"):].strip("/")
    query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
    try:
        doc = json.loads(body) if body else {}
    except ValueError:
        return 400, {"error": "body is not JSON"}
    fn = ROUTES.get((method, route))
    if fn is None:
        return 404, {"error": f"no admin route {method} /_fake/{route}",
                     "routes": sorted(f"{m} /_fake/{r}" for m, r in ROUTES)}
    try:
        with fake.world.lock:
            try:
                return 200, fn(fake, doc, query)
            finally:
                fake.world.mutated()  # admin routes change the world behind the services
    except (BadRequest, KeyError, ValueError, TypeError) as e:
        return 400, {"error": f"{type(e).__name__}: {e}"}
    except AwsError as e:
        return 400, {"error": e.code, "message": e.message}


def _region(world, doc):
    acct = doc.get("account") or next(iter(world.accounts))
    region = world.region(acct, doc.get("region", "us-east-1"))
    if region is None:
        raise BadRequest(f"no region {doc.get('region')} in account {acct}")
    return region


def health(fake, doc, q):
    return {"ok": True, "endpoint": fake.endpoint, "time": fake.world.now()}


def get_time(fake, doc, q):
    w = fake.world
    return {"now": w.now(), "offset": w.offset}


def reset(fake, doc, q):
    fake.reset(doc.get("scenario", doc))
    return {"ok": True}


def advance(fake, doc, q):
    fake.world.advance(float(doc["seconds"]))
    return get_time(fake, doc, q)


def set_spot_price(fake, doc, q):
    w = fake.world
    region = _region(w, doc)
    hist = region.spot_prices.setdefault(doc["instance_type"], {}).setdefault(doc["az"], [])
    hist.append((w.now(), float(doc["price"])))
    return {"ok": True, "price": float(doc["price"])}


def set_spot_capacity(fake, doc, q):
    region = _region(fake.world, doc)
    cap = doc.get("capacity")
    per_az = region.spot_capacity.setdefault(doc["instance_type"], {})
    if cap is None:
        per_az.pop(doc["az"], None)
    else:
        per_az[doc["az"]] = int(cap)
    return {"ok": True}


def _find_instance(w, iid):
    for acct in w.accounts.values():
        for region in acct.regions.values():
            inst = region.instances.get(iid)
            if inst is not None:
                return acct, region, inst
    raise BadRequest(f"no instance {iid}")


def _iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def spot_warning_event(w, acct, region, inst, action="terminate"):
    """The EventBridge event EC2 sends two minutes before it reclaims a Spot instance,
    laid out as in the EC2 User Guide ("EC2 Spot Instance interruption warning")."""
    az = inst["Placement"]["AvailabilityZone"]
    return {"version": "0", "id": w.request_id(),
            "detail-type": "EC2 Spot Instance Interruption Warning", "source": "aws.ec2",
            "account": acct.id, "time": _iso(w.now()), "region": region.name,
            "resources": [f"arn:aws:ec2:{az}:instance/{inst['InstanceId']}"],
            "detail": {"instance-id": inst["InstanceId"], "instance-action": action}}


def interrupt(fake, doc, q):
    w = fake.world
    iid = doc["instance_id"]
    acct, region, inst = _find_instance(w, iid)
    if inst["State"]["Name"] not in ("pending", "running"):
        raise BadRequest(f"{iid} is {inst['State']['Name']}")
    ev = spot_warning_event(w, acct, region, inst)
    w.events.append(ev)
    warning = doc.get("warning_seconds")
    if doc.get("capacity_zero"):
        region.spot_capacity.setdefault(inst["InstanceType"], {})[
            inst["Placement"]["AvailabilityZone"]] = 0
    if warning:
        at = w.now() + float(warning)
        inst["_interruption"] = {"action": "terminate", "time": _iso(at),
                                 "notice_time": _iso(w.now()), "event_id": ev["id"], "_at": at}
        return {"ok": True, "instance_id": iid, "terminate_at": at, "event": ev}
    w.spot_terminate(inst)
    w.reconcile(region)
    return {"ok": True, "instance_id": iid, "event": ev}


def get_events(fake, doc, q):
    evs = fake.world.events
    if q.get("detail-type"):
        evs = [e for e in evs if e["detail-type"] == q["detail-type"]]
    if q.get("instance_id"):
        evs = [e for e in evs if e["detail"].get("instance-id") == q["instance_id"]]
    return {"events": evs}


def schedule_event(fake, doc, q):
    """A scheduled event as DescribeInstanceStatus reports it (instance-stop,
    instance-retirement, instance-reboot, system-reboot, system-maintenance)."""
    w = fake.world
    acct, region, inst = _find_instance(w, doc["instance_id"])
    code = doc.get("code", "instance-retirement")
    if code not in ("instance-reboot", "system-reboot", "system-maintenance",
                    "instance-retirement", "instance-stop"):
        raise BadRequest(f"unknown event code {code}")
    nb = w.now() + float(doc.get("in_seconds", 86400))
    ev = {"InstanceEventId": w.hexid("instance-event"), "Code": code,
          "Description": doc.get("description") or {
              "instance-stop": "The instance is running on degraded hardware",
              "instance-retirement": "The instance is running on degraded hardware",
              "instance-reboot": "scheduled reboot",
              "system-reboot": "scheduled reboot",
              "system-maintenance": "scheduled maintenance"}[code],
          "NotBefore": nb, "NotAfter": nb + float(doc.get("duration_seconds", 7 * 86400)),
          "NotBeforeDeadline": nb + float(doc.get("deadline_seconds", 14 * 86400))}
    inst.setdefault("_events", []).append(ev)
    return {"ok": True, "event": ev}


def add_fault(fake, doc, q):
    kind = str(doc["kind"])
    if kind not in FAULT_KINDS:
        raise BadRequest(f"kind must be one of {FAULT_KINDS}")
    skip = int(doc.get("skip", 0))
    if skip < 0:
        raise BadRequest("skip must be 0 or more")
    f = {"action": doc.get("action", "*"), "kind": kind, "remaining": int(doc.get("count", 1)),
         "service": doc.get("service"), "delay_ms": int(doc.get("delay_ms", 1000)),
         "skip": skip}
    fake.world.faults.append(f)
    return {"ok": True, "fault": f}


def clear_faults(fake, doc, q):
    fake.world.faults.clear()
    return {"ok": True}


def get_faults(fake, doc, q):
    return {"faults": fake.world.faults}


def get_calls(fake, doc, q):
    calls = fake.world.calls
    if q.get("all") not in ("1", "true"):
        calls = [c for c in calls if c["mutating"]]
    if q.get("action"):
        calls = [c for c in calls if c["action"] == q["action"]]
    if q.get("since"):
        calls = [c for c in calls if c["seq"] > int(q["since"])]
    return {"calls": calls}


def clear_calls(fake, doc, q):
    fake.world.calls.clear()
    return {"ok": True}


def get_state(fake, doc, q):
    w = fake.world
    w.reconcile_all()
    out = {"now": w.now(), "offset": w.offset, "timing": w.timing, "accounts": {}}
    for aid, acct in w.accounts.items():
        regions = {}
        for rn, r in acct.regions.items():
            groups = {}
            for gn, g in r.groups.items():
                gg = public(g)
                gg["Instances"] = [dict(public(m), InServiceSince=m.get("_in_service_since"))
                                   for m in g["_members"].values()]
                gg["LifecycleHooks"] = list(g["_hooks"].values())
                groups[gn] = gg
            regions[rn] = {
                "azs": r.azs, "subnets": r.subnets, "images": r.images,
                "launch_configurations": r.launch_configs,
                "launch_templates": {k: dict(public(v), Versions=v["_versions"])
                                     for k, v in r.launch_templates.items()},
                "groups": groups,
                "instances": {k: dict(public(v), _running_at=v.get("_running_at"),
                                      _terminated_at=v.get("_terminated_at"),
                                      launch=v.get("_launch"), volumes=v.get("_volumes", {}),
                                      interruption=public(v.get("_interruption")),
                                      scheduled_events=v.get("_events", []))
                              for k, v in r.instances.items()},
                "spot_prices": {t: {az: w.spot_price(r, t, az) for az in per}
                                for t, per in r.spot_prices.items()},
                "spot_capacity": r.spot_capacity}
        out["accounts"][aid] = {"roles": acct.roles, "regions": regions}
    return out


def get_latency(fake, doc, q):
    return {"latency_ms": fake.latency_ms}


def set_latency(fake, doc, q):
    from .server import check_latency
    fake.latency_ms = check_latency(doc["latency_ms"])
    return get_latency(fake, doc, q)


def shutdown(fake, doc, q):
    threading.Thread(target=fake.stop, daemon=True).start()
    return {"ok": True}


ROUTES = {
    ("GET", "health"): health, ("GET", "time"): get_time, ("POST", "reset"): reset,
    ("POST", "advance"): advance, ("POST", "spot-price"): set_spot_price,
    ("POST", "spot-capacity"): set_spot_capacity, ("POST", "interrupt"): interrupt,
    ("POST", "fault"): add_fault, ("GET", "faults"): get_faults,
    ("POST", "faults/clear"): clear_faults, ("GET", "calls"): get_calls,
    ("POST", "calls/clear"): clear_calls, ("GET", "state"): get_state,
    ("POST", "shutdown"): shutdown, ("GET", "events"): get_events,
    ("POST", "schedule-event"): schedule_event, ("GET", "latency"): get_latency,
    ("POST", "latency"): set_latency,
}
