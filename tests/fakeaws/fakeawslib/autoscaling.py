"""Auto Scaling actions."""
from . import asg_engine as E
from .state import public
from .util import check_range, match_filters, paginate, tag_values
from .wire import AwsError

HANDLERS = {}
PROCESSES = ["Launch", "Terminate", "HealthCheck", "ReplaceUnhealthy", "AZRebalance",
             "AlarmNotification", "ScheduledActions", "AddToLoadBalancer", "InstanceRefresh"]


def action(fn):
    HANDLERS[fn.__name__] = fn
    return fn


def _v(msg):
    return AwsError("ValidationError", msg)


def _group(ctx, name):
    g = ctx.need_region().groups.get(name)
    if g is None:
        raise _v(f"AutoScalingGroup name not found - AutoScalingGroup {name} not found")
    return g


def _find_member(ctx, iid):
    for g in ctx.need_region().groups.values():
        if iid in g["_members"]:
            return g, g["_members"][iid]
    return None, None


def _wire_group(g):
    out = public(g)
    out["Instances"] = [public(m) for m in sorted(g["_members"].values(),
                                                  key=lambda m: m["InstanceId"])]
    return out


@action
def DescribeAutoScalingGroups(ctx, p):
    region = ctx.need_region()
    names = p.get("AutoScalingGroupNames") or []
    check_range(p.get("MaxRecords"), 1, 100, "maxRecords", "ValidationError")
    groups = [g for n, g in sorted(region.groups.items()) if not names or n in names]
    groups = [g for g in groups if match_filters(p.get("Filters"), lambda f, g=g: tag_values(
        g["Tags"], f) if f != "auto-scaling-group" else [g["AutoScalingGroupName"]],
        "ValidationError")]
    page, token = paginate(groups, p.get("MaxRecords") or 50, p.get("NextToken"), "dasg",
                           "InvalidNextToken")
    out = {"AutoScalingGroups": [_wire_group(g) for g in page]}
    if token:
        out["NextToken"] = token
    return out


@action
def DescribeLaunchConfigurations(ctx, p):
    region = ctx.need_region()
    names = p.get("LaunchConfigurationNames") or []
    check_range(p.get("MaxRecords"), 1, 100, "maxRecords", "ValidationError")
    lcs = [public(lc) for n, lc in sorted(region.launch_configs.items())
           if not names or n in names]
    for lc in lcs:
        if lc.get("IamInstanceProfile") is None:
            lc.pop("IamInstanceProfile", None)
    page, token = paginate(lcs, p.get("MaxRecords") or 50, p.get("NextToken"), "dlc",
                           "InvalidNextToken")
    out = {"LaunchConfigurations": page}
    if token:
        out["NextToken"] = token
    return out


@action
def DescribeLifecycleHooks(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    names = p.get("LifecycleHookNames") or []
    return {"LifecycleHooks": [dict(h) for n, h in g["_hooks"].items() if not names or n in names]}


@action
def DescribeScalingActivities(ctx, p):
    region = ctx.need_region()
    acts = []
    for n, g in region.groups.items():
        if not p.get("AutoScalingGroupName") or n == p["AutoScalingGroupName"]:
            acts += g.get("_activities", [])
    acts = sorted(acts, key=lambda a: -a["StartTime"])
    page, token = paginate(acts, p.get("MaxRecords") or 100, p.get("NextToken"), "dsa",
                           "InvalidNextToken")
    out = {"Activities": [public(a) for a in page]}
    if token:
        out["NextToken"] = token
    return out


def _check_desired(g, desired):
    if not g["MinSize"] <= desired <= g["MaxSize"]:
        raise _v(f"Desired capacity:{desired} must be between the specified min size:"
                 f"{g['MinSize']} and max size:{g['MaxSize']}")


@action
def AttachInstances(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    region = ctx.region
    ids = p.get("InstanceIds") or []
    for iid in ids:
        inst = region.instances.get(iid)
        if inst is None:
            raise _v(f"Instance ID(s) {iid} not found")
        if inst["State"]["Name"] != "running":
            raise _v(f"Instance {iid} is not in a valid state to attach to an Auto Scaling group. "
                     f"The instance must be in the 'running' state.")
        other, _ = _find_member(ctx, iid)
        if other is not None:
            raise _v(f"The instance {iid} is already part of the Auto Scaling group "
                     f"{other['AutoScalingGroupName']}.")
        if inst["Placement"]["AvailabilityZone"] not in g["AvailabilityZones"]:
            raise _v(f"The instance {iid} is in {inst['Placement']['AvailabilityZone']}, which "
                     f"is not one of the Availability Zones of the Auto Scaling group "
                     f"{g['AutoScalingGroupName']} ({', '.join(g['AvailabilityZones'])}).")
    new_desired = g["DesiredCapacity"] + len(ids)
    if new_desired > g["MaxSize"]:
        raise _v(f"Cannot update group {g['AutoScalingGroupName']} because desired capacity "
                 f"{new_desired} would exceed the group's max size {g['MaxSize']}.")
    g["DesiredCapacity"] = new_desired
    now = ctx.world.now()
    for iid in ids:
        inst = region.instances[iid]
        inst["Tags"] = [t for t in inst.get("Tags", []) if t["Key"] != "aws:autoscaling:groupName"]
        inst["Tags"].append({"Key": "aws:autoscaling:groupName",
                             "Value": g["AutoScalingGroupName"]})
        g["_members"][iid] = {
            "InstanceId": iid, "InstanceType": inst["InstanceType"],
            "AvailabilityZone": inst["Placement"]["AvailabilityZone"],
            "LifecycleState": "Pending", "HealthStatus": "Healthy",
            "ProtectedFromScaleIn": g.get("NewInstancesProtectedFromScaleIn", False),
            "_inservice_at": now + ctx.world.timing["attach_seconds"]}
        E.add_activity(ctx.world, g, f"Attaching an existing EC2 instance: {iid}",
                       "an instance was attached to the group")
    return {}


@action
def DetachInstances(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    ids = p.get("InstanceIds") or []
    if "ShouldDecrementDesiredCapacity" not in p:
        raise _v("1 validation error detected: Value null at 'shouldDecrementDesiredCapacity' "
                 "failed to satisfy constraint: Member must not be null")
    for iid in ids:
        if iid not in g["_members"]:
            raise _v(f"The instance {iid} is not part of Auto Scaling group "
                     f"{g['AutoScalingGroupName']}.")
    if p["ShouldDecrementDesiredCapacity"]:
        nd = g["DesiredCapacity"] - len(ids)
        if nd < g["MinSize"]:
            raise _v(f"AutoScalingGroup {g['AutoScalingGroupName']} has min-size="
                     f"{g['MinSize']}, max-size={g['MaxSize']}, and desired-capacity="
                     f"{g['DesiredCapacity']}. You requested to decrement desired-capacity by "
                     f"{len(ids)}, which would put the group below its min-size.")
        g["DesiredCapacity"] = nd
    acts = []
    for iid in ids:
        g["_members"].pop(iid)
        # AWS's wording: "At <time> instance i-... was detached in response to a user
        # request[, shrinking the capacity from N to M]."
        shrink = (f", shrinking the capacity from {g['DesiredCapacity'] + len(ids)} to "
                  f"{g['DesiredCapacity']}") if p["ShouldDecrementDesiredCapacity"] else ""
        act = E.add_activity(ctx.world, g, f"Detaching EC2 instance: {iid}",
                             f"instance {iid} was detached in response to a user request"
                             + shrink)
        act["_settle_at"] = ctx.world.now() + DETACH_SETTLE_SECONDS
        acts.append(act)
    return {"Activities": [public(a) for a in acts]}


DETACH_SETTLE_SECONDS = 1


@action
def TerminateInstanceInAutoScalingGroup(ctx, p):
    iid = p["InstanceId"]
    g, m = _find_member(ctx, iid)
    if g is None:
        raise _v(f"Instance Id not found - No managed instance found for instance ID: {iid}")
    if m["LifecycleState"].startswith("Terminating"):
        # Already terminating: answer with the termination activity already under way
        # for this instance (see docs/fakeaws.md) rather than starting a second one.
        mine = [a for a in g["_activities"] if a["Description"].endswith(iid)
                and a["Description"].startswith("Terminating")]
        return {"Activity": public(mine[-1]) if mine else None}
    shrink = ""
    if p["ShouldDecrementDesiredCapacity"]:
        if g["DesiredCapacity"] - 1 < g["MinSize"]:
            raise _v(f"Currently, desired-capacity ({g['DesiredCapacity']}) is at min-size "
                     f"({g['MinSize']}). Cannot decrement desired-capacity below min-size.")
        g["DesiredCapacity"] -= 1
        shrink = (f", shrinking the capacity from {g['DesiredCapacity'] + 1} to "
                  f"{g['DesiredCapacity']}")
    m["LifecycleState"] = "Terminating"
    # AWS's wording: "At <time> instance i-... taken out of service in response to a user
    # request[, shrinking the capacity from N to M]."
    E.begin_termination(ctx.world, ctx.region, g, m,
                        f"instance {iid} taken out of service in response to a user request"
                        + shrink)
    return {"Activity": public(g["_activities"][-1])}


@action
def UpdateAutoScalingGroup(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    mn = p.get("MinSize", g["MinSize"])
    mx = p.get("MaxSize", g["MaxSize"])
    if mn > mx:
        raise _v(f"Max bound, {mx}, must be greater than or equal to min bound, {mn}")
    desired = p.get("DesiredCapacity")
    if desired is None:
        desired = min(max(g["DesiredCapacity"], mn), mx)
    elif not mn <= desired <= mx:
        raise _v(f"Desired capacity:{desired} must be between the specified min size:{mn} "
                 f"and max size:{mx}")
    if p.get("LaunchConfigurationName"):
        if p["LaunchConfigurationName"] not in ctx.region.launch_configs:
            raise _v(f"Launch configuration name not found - Launch configuration "
                     f"{p['LaunchConfigurationName']} not found")
        g["LaunchConfigurationName"] = p["LaunchConfigurationName"]
        g.pop("LaunchTemplate", None)
        g.pop("MixedInstancesPolicy", None)
    if p.get("LaunchTemplate"):
        lt, _ = E.resolve_template(ctx.region, p["LaunchTemplate"])
        g["LaunchTemplate"] = {"LaunchTemplateId": lt["LaunchTemplateId"],
                               "LaunchTemplateName": lt["LaunchTemplateName"],
                               "Version": p["LaunchTemplate"].get("Version", "$Default")}
        g.pop("LaunchConfigurationName", None)
        g.pop("MixedInstancesPolicy", None)
    if p.get("VPCZoneIdentifier"):
        subs = p["VPCZoneIdentifier"].split(",")
        for s in subs:
            if s not in ctx.region.subnets:
                raise _v(f"The subnet ID '{s}' does not exist")
        g["VPCZoneIdentifier"] = p["VPCZoneIdentifier"]
        g["AvailabilityZones"] = sorted({ctx.region.subnets[s]["AvailabilityZone"] for s in subs})
    for k in ("HealthCheckGracePeriod", "HealthCheckType", "DefaultCooldown",
              "NewInstancesProtectedFromScaleIn", "CapacityRebalance", "TerminationPolicies"):
        if k in p:
            g[k] = p[k]
    g["MinSize"], g["MaxSize"], g["DesiredCapacity"] = mn, mx, desired
    return {}


@action
def SetDesiredCapacity(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    d = p["DesiredCapacity"]
    if d < g["MinSize"]:
        raise _v(f"New SetDesiredCapacity value {d} is below min value {g['MinSize']} for the "
                 f"AutoScalingGroup.")
    if d > g["MaxSize"]:
        raise _v(f"New SetDesiredCapacity value {d} is above max value {g['MaxSize']} for the "
                 f"AutoScalingGroup.")
    g["DesiredCapacity"] = d
    return {}


@action
def SetInstanceProtection(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    for iid in p.get("InstanceIds", []):
        if iid not in g["_members"]:
            raise _v(f"The instance {iid} is not part of Auto Scaling group "
                     f"{g['AutoScalingGroupName']}.")
    for iid in p.get("InstanceIds", []):
        g["_members"][iid]["ProtectedFromScaleIn"] = p["ProtectedFromScaleIn"]
    return {}


@action
def EnterStandby(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    ids = p.get("InstanceIds", [])
    for iid in ids:
        m = g["_members"].get(iid)
        if m is None or m["LifecycleState"] != "InService":
            raise _v(f"The instance {iid} is not in InService.")
    if p["ShouldDecrementDesiredCapacity"]:
        if g["DesiredCapacity"] - len(ids) < g["MinSize"]:
            raise _v(f"Cannot decrement desired capacity below min-size {g['MinSize']}.")
        g["DesiredCapacity"] -= len(ids)
    acts = []
    for iid in ids:
        g["_members"][iid]["LifecycleState"] = "Standby"
        acts.append(E.add_activity(ctx.world, g, f"Moving EC2 instance to Standby: {iid}",
                                   "an instance was moved to standby in response to a user request"))
    return {"Activities": acts}


@action
def ExitStandby(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    ids = p.get("InstanceIds", [])
    for iid in ids:
        m = g["_members"].get(iid)
        if m is None or m["LifecycleState"] != "Standby":
            raise _v(f"The instance {iid} is not in Standby.")
    if g["DesiredCapacity"] + len(ids) > g["MaxSize"]:
        raise _v(f"Desired capacity:{g['DesiredCapacity'] + len(ids)} must be between the "
                 f"specified min size:{g['MinSize']} and max size:{g['MaxSize']}")
    g["DesiredCapacity"] += len(ids)
    acts = []
    for iid in ids:
        g["_members"][iid]["LifecycleState"] = "InService"
        acts.append(E.add_activity(ctx.world, g, f"Moving EC2 instance out of Standby: {iid}",
                                   "an instance was moved out of standby in response to a user "
                                   "request"))
    return {"Activities": acts}


@action
def CompleteLifecycleAction(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    if p["LifecycleHookName"] not in g["_hooks"]:
        raise _v(f"No Lifecycle Hook found with name {p['LifecycleHookName']} for group "
                 f"{g['AutoScalingGroupName']}")
    m = g["_members"].get(p.get("InstanceId", ""))
    if m is None or not m["LifecycleState"].endswith(":Wait"):
        raise _v(f"No active Lifecycle Action found with instance ID {p.get('InstanceId')}")
    m["_hook_deadline"] = ctx.world.now()
    if m["LifecycleState"] == "Pending:Wait" and p["LifecycleActionResult"] == "ABANDON":
        m["LifecycleState"] = "Terminating"
    ctx.world.reconcile(ctx.region)
    return {}


@action
def RecordLifecycleActionHeartbeat(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    h = g["_hooks"].get(p["LifecycleHookName"])
    m = g["_members"].get(p.get("InstanceId", ""))
    if h is None or m is None or not m["LifecycleState"].endswith(":Wait"):
        raise _v(f"No active Lifecycle Action found with instance ID {p.get('InstanceId')}")
    m["_hook_deadline"] = ctx.world.now() + h["HeartbeatTimeout"]
    return {}


@action
def CreateOrUpdateTags(ctx, p):
    region = ctx.need_region()
    for t in p.get("Tags", []):
        if t.get("Key", "").startswith("aws:"):
            raise _v("Tag keys starting with 'aws:' are reserved for internal use")
        if t.get("ResourceType", "auto-scaling-group") != "auto-scaling-group" or \
                t.get("ResourceId") not in region.groups:
            raise _v(f"AutoScalingGroup name not found - AutoScalingGroup {t.get('ResourceId')} "
                     f"not found")
    for t in p.get("Tags", []):
        g = region.groups[t["ResourceId"]]
        g["Tags"] = [x for x in g["Tags"] if x["Key"] != t["Key"]]
        g["Tags"].append({"ResourceId": t["ResourceId"], "ResourceType": "auto-scaling-group",
                          "Key": t["Key"], "Value": t.get("Value", ""),
                          "PropagateAtLaunch": bool(t.get("PropagateAtLaunch", False))})
        g["Tags"].sort(key=lambda x: x["Key"])
    return {}


@action
def DeleteTags(ctx, p):
    """AWS deletes a group's tag by ResourceId + Key; Value and PropagateAtLaunch are
    ignored, and deleting a key the group does not have is not an error."""
    region = ctx.need_region()
    for t in p.get("Tags", []):
        if t.get("ResourceType", "auto-scaling-group") != "auto-scaling-group" or \
                t.get("ResourceId") not in region.groups:
            raise _v(f"AutoScalingGroup name not found - AutoScalingGroup {t.get('ResourceId')} "
                     f"not found")
    for t in p.get("Tags", []):
        g = region.groups[t["ResourceId"]]
        g["Tags"] = [x for x in g["Tags"] if x["Key"] != t["Key"]]
    return {}


def _processes(p):
    procs = p.get("ScalingProcesses") or PROCESSES
    for pr in procs:
        if pr not in PROCESSES:
            raise _v(f"Invalid processes: [{pr}]")
    return procs


@action
def SuspendProcesses(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    have = {x["ProcessName"] for x in g["SuspendedProcesses"]}
    for pr in _processes(p):
        if pr not in have:
            g["SuspendedProcesses"].append({"ProcessName": pr,
                                            "SuspensionReason": "User suspended"})
    return {}


@action
def ResumeProcesses(ctx, p):
    g = _group(ctx, p["AutoScalingGroupName"])
    procs = set(_processes(p))
    g["SuspendedProcesses"] = [x for x in g["SuspendedProcesses"] if x["ProcessName"] not in procs]
    return {}
