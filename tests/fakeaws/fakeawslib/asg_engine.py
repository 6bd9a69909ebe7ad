"""Auto Scaling behaviour: keeping groups at desired capacity.

Runs on every request and every time advance, so a client observes the same
eventual consistency it would see on AWS: a launch started by one call shows
up as Pending, then InService once EC2 says running.
"""
import time

from . import launch
from .wire import AwsError


def iso(t):
    """Activity causes write times as AWS does: 2026-11-24T06:00:00Z."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))

HOOK_TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING"
HOOK_LAUNCHING = "autoscaling:EC2_INSTANCE_LAUNCHING"


def resolve_template(region, spec):
    """spec: {LaunchTemplateId|LaunchTemplateName, Version} -> (template, version dict)."""
    lt = None
    if spec.get("LaunchTemplateId"):
        lt = region.launch_templates.get(spec["LaunchTemplateId"])
        if lt is None:
            raise AwsError("InvalidLaunchTemplateId.NotFound",
                           f"The specified launch template, with template ID "
                           f"{spec['LaunchTemplateId']}, does not exist.")
    else:
        name = spec.get("LaunchTemplateName")
        lt = next((t for t in region.launch_templates.values()
                   if t["LaunchTemplateName"] == name), None)
        if lt is None:
            raise AwsError("InvalidLaunchTemplateName.NotFoundException",
                           f"The specified launch template, with template name {name}, "
                           f"does not exist.")
    ver = str(spec.get("Version") or "$Default")
    if ver == "$Default":
        num = lt["DefaultVersionNumber"]
    elif ver == "$Latest":
        num = lt["LatestVersionNumber"]
    else:
        try:
            num = int(ver)
        except ValueError:
            raise AwsError("InvalidLaunchTemplateId.VersionNotFound",
                           f"Could not find launch template version {ver}.")
    v = next((x for x in lt["_versions"] if x["VersionNumber"] == num), None)
    if v is None:
        raise AwsError("InvalidLaunchTemplateId.VersionNotFound",
                       f"Could not find launch template version {ver} for launch template "
                       f"{lt['LaunchTemplateId']}.")
    return lt, v


def group_template_spec(group):
    if group.get("LaunchTemplate"):
        return group["LaunchTemplate"], None
    mip = group.get("MixedInstancesPolicy")
    if mip:
        lt = mip["LaunchTemplate"]["LaunchTemplateSpecification"]
        overrides = mip["LaunchTemplate"].get("Overrides") or []
        itype = overrides[0].get("InstanceType") if overrides else None
        return lt, itype
    return None, None


def launch_spec(world, region, group):
    """Everything create_instance needs except the subnet: the RunInstances request
    Auto Scaling makes (launch.py), so group launches carry every launch attribute."""
    lc_name = group.get("LaunchConfigurationName")
    if lc_name:
        lc = region.launch_configs[lc_name]
        req = launch.from_launch_configuration(lc)
        spec = {"InstanceType": lc["InstanceType"], "ImageId": lc["ImageId"],
                "KeyName": lc.get("KeyName"), "SecurityGroupIds": launch.groups_of(req),
                "_request": req}
        member = {"LaunchConfigurationName": lc_name}
        return spec, member
    lt_spec, override = group_template_spec(group)
    lt, v = resolve_template(region, lt_spec)
    data = v["LaunchTemplateData"]
    req = launch.from_template(data, {"InstanceType": override} if override else {})
    if group.get("MixedInstancesPolicy"):
        # The group, not the template, chooses the market of each launch.
        req.pop("InstanceMarketOptions", None)
    spec = {"InstanceType": override or data.get("InstanceType"), "ImageId": data.get("ImageId"),
            "KeyName": data.get("KeyName"), "SecurityGroupIds": launch.groups_of(req),
            "_request": req,
            "LaunchTemplate": {"LaunchTemplateId": lt["LaunchTemplateId"],
                               "Version": v["VersionNumber"]}}
    for ts in data.get("TagSpecifications", []):
        if ts.get("ResourceType") == "instance":
            spec.setdefault("Tags", []).extend(ts.get("Tags", []))
    member = {"LaunchTemplate": {"LaunchTemplateId": lt["LaunchTemplateId"],
                                 "LaunchTemplateName": lt["LaunchTemplateName"],
                                 "Version": str(lt_spec.get("Version") or "$Default")}}
    return spec, member


def group_subnets(region, group):
    ids = [s for s in (group.get("VPCZoneIdentifier") or "").split(",") if s]
    return [region.subnets[s] for s in ids if s in region.subnets]


def active_members(group):
    return [m for m in group["_members"].values() if m["LifecycleState"] in ACTIVE]


ACTIVE = ("Pending", "Pending:Wait", "Pending:Proceed", "InService")


def _hooks(group, transition):
    return [h for h in group.get("_hooks", {}).values() if h["LifecycleTransition"] == transition]


def launch_into_group(world, region, group, count):
    spec, member_tpl = launch_spec(world, region, group)
    subnets = group_subnets(region, group)
    tags = [{"Key": t["Key"], "Value": t["Value"]} for t in group.get("Tags", [])
            if t.get("PropagateAtLaunch")]
    tags.append({"Key": "aws:autoscaling:groupName", "Value": group["AutoScalingGroupName"]})
    res = world.hexid("r")
    launched = []
    for i in range(count):
        # Balance across AZs the way AZRebalance keeps groups balanced.
        counts = {s["SubnetId"]: 0 for s in subnets}
        for m in active_members(group):
            inst = region.instances.get(m["InstanceId"])
            if inst and inst["SubnetId"] in counts:
                counts[inst["SubnetId"]] += 1
        subnet = min(subnets, key=lambda s: (counts[s["SubnetId"]], s["AvailabilityZone"]))
        s = dict(spec, SubnetId=subnet["SubnetId"], Tags=tags + list(spec.get("Tags", [])),
                 _requester="autoscaling")
        market = (spec["_request"].get("InstanceMarketOptions") or {})
        if market.get("MarketType") == "spot":
            s["Spot"] = {"MaxPrice": (market.get("SpotOptions") or {}).get("MaxPrice")}
        mip = group.get("MixedInstancesPolicy")
        if mip and _next_is_spot(region, group, mip):
            price = (mip.get("InstancesDistribution") or {}).get("SpotMaxPrice") or None
            s["Spot"] = {"MaxPrice": price}
            s["_request"] = dict(spec["_request"], InstanceMarketOptions={
                "MarketType": "spot", "SpotOptions": {"MaxPrice": price} if price else {}})
        inst = world.create_instance(region, group["_account"], s, res, i)
        hooks = _hooks(group, HOOK_LAUNCHING)
        if mip:
            w = next((o.get("WeightedCapacity") for o in
                      mip["LaunchTemplate"].get("Overrides") or []
                      if o.get("InstanceType") == inst["InstanceType"]), None)
            if w is not None:
                member_tpl = dict(member_tpl, WeightedCapacity=str(w))
        m = dict(member_tpl, InstanceId=inst["InstanceId"], InstanceType=inst["InstanceType"],
                 AvailabilityZone=subnet["AvailabilityZone"],
                 LifecycleState="Pending:Wait" if hooks else "Pending",
                 HealthStatus="Healthy",
                 ProtectedFromScaleIn=group.get("NewInstancesProtectedFromScaleIn", False))
        if hooks:
            m["_hook_deadline"] = world.now() + min(h["HeartbeatTimeout"] for h in hooks)
        group["_members"][inst["InstanceId"]] = m
        launched.append(inst)
        add_activity(world, group, f"Launching a new EC2 instance: {inst['InstanceId']}",
                     "an instance was started in response to a difference between desired "
                     "and actual capacity")
    return launched


def _next_is_spot(region, group, mip):
    """InstancesDistribution: the first OnDemandBaseCapacity instances are on-demand,
    above that OnDemandPercentageAboveBaseCapacity percent of them (rounded up, as AWS
    rounds in favour of on-demand). Counts instances, not weights."""
    dist = mip.get("InstancesDistribution") or {}
    base = int(dist.get("OnDemandBaseCapacity") or 0)
    pct = int(dist.get("OnDemandPercentageAboveBaseCapacity", 100))
    od = spot = 0
    for m in active_members(group):
        inst = region.instances.get(m["InstanceId"])
        if inst and inst.get("InstanceLifecycle") == "spot":
            spot += 1
        else:
            od += 1
    n = od + spot + 1
    want_od = min(n, base) + -(-max(n - base, 0) * pct // 100)
    return od >= want_od


def begin_termination(world, region, group, member, cause):
    hooks = _hooks(group, HOOK_TERMINATING)
    if hooks:
        member["LifecycleState"] = "Terminating:Wait"
        member["_hook_deadline"] = world.now() + min(h["HeartbeatTimeout"] for h in hooks)
        member["_hook_result"] = hooks[0].get("DefaultResult", "CONTINUE")
    else:
        _finish_member_termination(world, region, group, member)
    add_activity(world, group, f"Terminating EC2 instance: {member['InstanceId']}", cause)


def _finish_member_termination(world, region, group, member):
    inst = region.instances.get(member["InstanceId"])
    if inst:
        world.terminate_instance(inst, "Service initiated", "Client.UserInitiatedShutdown")
    group["_members"].pop(member["InstanceId"], None)


def add_activity(world, group, description, cause):
    act = {"ActivityId": world.request_id(), "AutoScalingGroupName": group["AutoScalingGroupName"],
           "Description": description, "Cause": f"At {iso(world.now())} {cause}.",
           "StartTime": world.now(), "StatusCode": "InProgress", "Progress": 50,
           "Details": "{}"}
    group.setdefault("_activities", []).append(act)
    return act


def _settle_activities(world, region, group):
    """Activities report Successful once what they describe has happened. True when one did."""
    changed = False
    for act in group.get("_activities", []):
        if act["StatusCode"] != "InProgress":
            continue
        iid = act["Description"].rsplit(": ", 1)[-1]
        m = group["_members"].get(iid)
        inst = region.instances.get(iid)
        if act["Description"].startswith(("Launching", "Attaching")):
            done = m is None or m["LifecycleState"] == "InService"
        elif act["Description"].startswith("Terminating"):
            done = inst is None or inst["State"]["Name"] == "terminated"
        elif "_settle_at" in act:
            done = world.now() >= act["_settle_at"]
        else:
            done = True
        if done:
            act.update(StatusCode="Successful", Progress=100, EndTime=world.now())
            changed = True
    return changed


def suspended(group, process):
    return any(p["ProcessName"] == process for p in group.get("SuspendedProcesses", []))


def pick_victims(region, group, n):
    """Default termination policy, simplified: AZ with the most instances,
    then instances not on the group's current launch configuration/template,
    then the oldest."""
    chosen = []
    cand = [m for m in active_members(group) if not m.get("ProtectedFromScaleIn")]
    current_lc = group.get("LaunchConfigurationName")
    for _ in range(n):
        if not cand:
            break
        per_az = {}
        for m in active_members(group):
            if m not in chosen:
                per_az[m["AvailabilityZone"]] = per_az.get(m["AvailabilityZone"], 0) + 1

        def key(m):
            inst = region.instances.get(m["InstanceId"]) or {"LaunchTime": 0}
            outdated = current_lc is not None and m.get("LaunchConfigurationName") != current_lc
            return (-per_az.get(m["AvailabilityZone"], 0), not outdated, inst["LaunchTime"],
                    m["InstanceId"])
        cand.sort(key=key)
        chosen.append(cand.pop(0))
    return chosen


def reconcile_groups(world, region):
    """One round of the groups' own rules; True when anything changed (World.reconcile caches
    a region where nothing did)."""
    now = world.now()
    changed = False
    for group in region.groups.values():
        for iid, m in list(group["_members"].items()):
            inst = region.instances.get(iid)
            alive = inst is not None and inst["State"]["Name"] in ("pending", "running")
            state = m["LifecycleState"]
            if state.startswith("Terminating") or state.startswith("Detach"):
                if state == "Terminating:Wait" and now >= m["_hook_deadline"]:
                    m["LifecycleState"] = "Terminating:Proceed"
                    _finish_member_termination(world, region, group, m)
                    changed = True
                elif state in ("Terminating", "Terminating:Proceed"):
                    _finish_member_termination(world, region, group, m)
                    changed = True
                continue
            if not alive:
                # The EC2 health check notices an instance that is gone
                # (spot interruption, TerminateInstances behind our back).
                changed = changed or m.get("HealthStatus") != "Unhealthy"
                m["HealthStatus"] = "Unhealthy"
                if not suspended(group, "ReplaceUnhealthy") and state != "Standby":
                    m["LifecycleState"] = "Terminating"
                    begin_termination(world, region, group, m,
                                      "an instance was taken out of service in response to "
                                      "an EC2 health check indicating it has been terminated "
                                      "or stopped")
                    changed = True
                continue
            if state == "Pending:Wait" and now >= m["_hook_deadline"]:
                m["LifecycleState"] = "Pending:Proceed"
                state = "Pending:Proceed"
                changed = True
            if state in ("Pending", "Pending:Proceed") and inst["State"]["Name"] == "running" \
                    and now >= m.get("_inservice_at", 0):
                m["LifecycleState"] = "InService"
                m["_in_service_since"] = now
                changed = True
        changed = _settle_activities(world, region, group) or changed
        desired = group["DesiredCapacity"]
        active = active_members(group)
        if len(active) < desired and not suspended(group, "Launch"):
            if group_subnets(region, group):
                launch_into_group(world, region, group, desired - len(active))
                changed = True
        elif len(active) > desired and not suspended(group, "Terminate"):
            for m in pick_victims(region, group, len(active) - desired):
                m["LifecycleState"] = "Terminating"
                begin_termination(world, region, group, m,
                                  "an instance was taken out of service in response to a "
                                  "difference between desired and actual capacity")
                changed = True
    return changed
