"""Unsigned admin API under /_fake/ (loopback only)."""
import json
import threading
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
            return 200, fn(fake, doc, query)
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


def interrupt(fake, doc, q):
    w = fake.world
    iid = doc["instance_id"]
    for acct in w.accounts.values():
        for region in acct.regions.values():
            inst = region.instances.get(iid)
            if inst is not None:
                if inst["State"]["Name"] not in ("pending", "running"):
                    raise BadRequest(f"{iid} is {inst['State']['Name']}")
                w.terminate_instance(inst, "Spot instance termination",
                                     "Server.SpotInstanceTermination")
                inst["StateReason"]["Message"] = ("Server.SpotInstanceTermination: Spot "
                                                  "instance termination")
                if doc.get("capacity_zero"):
                    region.spot_capacity.setdefault(inst["InstanceType"], {})[
                        inst["Placement"]["AvailabilityZone"]] = 0
                w.reconcile(region)
                return {"ok": True, "instance_id": iid}
    raise BadRequest(f"no instance {iid}")


def add_fault(fake, doc, q):
    kind = str(doc["kind"])
    if kind not in FAULT_KINDS:
        raise BadRequest(f"kind must be one of {FAULT_KINDS}")
    f = {"action": doc.get("action", "*"), "kind": kind, "remaining": int(doc.get("count", 1)),
         "service": doc.get("service"), "delay_ms": int(doc.get("delay_ms", 1000))}
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
                                      interruption=v.get("_interruption"))
                              for k, v in r.instances.items()},
                "spot_prices": {t: {az: w.spot_price(r, t, az) for az in per}
                                for t, per in r.spot_prices.items()},
                "spot_capacity": r.spot_capacity}
        out["accounts"][aid] = {"roles": acct.roles, "regions": regions}
    return out


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
    ("POST", "shutdown"): shutdown,
}
