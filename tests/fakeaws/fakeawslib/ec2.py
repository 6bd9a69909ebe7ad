"""EC2 actions. Handlers return dicts keyed by botocore member names."""

from . import asg_engine, launch
from .state import public
from .util import check_range, match_filters, paginate, tag_values
from .wire import AwsError

HANDLERS = {}


def action(fn):
    HANDLERS[fn.__name__] = fn
    return fn


def _dry(p):
    if p.get("DryRun"):
        raise AwsError("DryRunOperation",
                       "Request would have succeeded, but DryRun flag is set.", 412)


def _check_tags(tags):
    for t in tags:
        if t.get("Key", "").lower().startswith("aws:"):
            raise AwsError("InvalidParameterValue",
                           f"Value ( {t['Key']} ) for parameter key is invalid. Tag keys "
                           f"starting with 'aws:' are reserved for internal use")


def _instance(ctx, iid):
    inst = ctx.region.instances.get(iid) if ctx.region else None
    if inst is None:
        raise AwsError("InvalidInstanceID.NotFound", f"The instance ID '{iid}' does not exist")
    return inst


# --------------------------------------------------------------- regions

@action
def DescribeRegions(ctx, p):
    names = sorted(ctx.account.regions)
    wanted = p.get("RegionNames")
    out = [{"RegionName": n, "Endpoint": f"ec2.{n}.amazonaws.com",
            "OptInStatus": "opt-in-not-required"} for n in names if not wanted or n in wanted]
    out = [r for r in out if match_filters(p.get("Filters"), lambda f: {
        "region-name": [r["RegionName"]], "endpoint": [r["Endpoint"]],
        "opt-in-status": [r["OptInStatus"]]}.get(f))]
    return {"Regions": out}


@action
def DescribeAvailabilityZones(ctx, p):
    region = ctx.need_region()
    out = []
    for a in region.azs:
        z = {"State": "available", "OptInStatus": "opt-in-not-required", "Messages": [],
             "RegionName": region.name, "ZoneName": a["ZoneName"], "ZoneId": a["ZoneId"],
             "GroupName": region.name, "NetworkBorderGroup": region.name,
             "ZoneType": "availability-zone"}
        if p.get("ZoneNames") and a["ZoneName"] not in p["ZoneNames"]:
            continue
        if p.get("ZoneIds") and a["ZoneId"] not in p["ZoneIds"]:
            continue
        if match_filters(p.get("Filters"), lambda f: {
                "zone-name": [z["ZoneName"]], "zone-id": [z["ZoneId"]], "state": ["available"],
                "region-name": [region.name], "zone-type": ["availability-zone"],
                "group-name": [region.name]}.get(f)):
            out.append(z)
    return {"AvailabilityZones": out}


# ------------------------------------------------------------- instances

def _instance_filter_values(inst, name):
    tv = tag_values(inst.get("Tags", []), name)
    if tv is not None:
        return tv
    return {
        "instance-id": [inst["InstanceId"]],
        "instance-state-name": [inst["State"]["Name"]],
        "instance-state-code": [str(inst["State"]["Code"])],
        "instance-type": [inst["InstanceType"]],
        "instance-lifecycle": [inst.get("InstanceLifecycle", "")],
        "availability-zone": [inst["Placement"]["AvailabilityZone"]],
        "subnet-id": [inst.get("SubnetId", "")], "vpc-id": [inst.get("VpcId", "")],
        "image-id": [inst["ImageId"]], "architecture": [inst["Architecture"]],
        "reservation-id": [inst["_reservation"]],
        "private-ip-address": [inst.get("PrivateIpAddress", "")],
        "spot-instance-request-id": [inst.get("SpotInstanceRequestId", "")],
    }.get(name)


def _wire_instance(inst):
    out = public(inst)
    if inst["State"]["Name"] == "terminated":
        out["PrivateDnsName"] = ""
        out["BlockDeviceMappings"] = []
    return out


@action
def DescribeInstances(ctx, p):
    region = ctx.need_region()
    ids = p.get("InstanceIds") or []
    if ids and p.get("MaxResults"):
        raise AwsError("InvalidParameterCombination",
                       "The parameter instancesSet cannot be used with the parameter maxResults")
    check_range(p.get("MaxResults"), 5, 1000, "maxResults")
    for iid in ids:
        _instance(ctx, iid)
    insts = [i for i in region.instances.values()
             if (not ids or i["InstanceId"] in ids)
             and match_filters(p.get("Filters"), lambda f, i=i: _instance_filter_values(i, f))]
    page, token = paginate(insts, p.get("MaxResults"), p.get("NextToken"), "di")
    reservations = {}
    for inst in page:
        r = reservations.setdefault(inst["_reservation"], {
            "ReservationId": inst["_reservation"], "OwnerId": ctx.account.id, "Groups": [],
            "Instances": []})
        if inst.get("_requester") == "autoscaling":
            r["RequesterId"] = "940372691376"
        r["Instances"].append(_wire_instance(inst))
    out = {"Reservations": list(reservations.values())}
    if token:
        out["NextToken"] = token
    return out


@action
def DescribeInstanceStatus(ctx, p):
    region = ctx.need_region()
    ids = p.get("InstanceIds") or []
    for iid in ids:
        _instance(ctx, iid)
    out = []
    for inst in region.instances.values():
        if ids and inst["InstanceId"] not in ids:
            continue
        running = inst["State"]["Name"] == "running"
        if not running and not p.get("IncludeAllInstances"):
            continue
        if running:
            ok = ctx.world.instance_status_ok(inst)
            summ = {"Status": "ok" if ok else "initializing",
                    "Details": [{"Name": "reachability",
                                 "Status": "passed" if ok else "initializing"}]}
        else:
            summ = {"Status": "not-applicable", "Details": []}
        events = [dict(e) for e in inst.get("_events", [])] if running else []
        st = {"InstanceId": inst["InstanceId"],
              "AvailabilityZone": inst["Placement"]["AvailabilityZone"],
              "InstanceState": dict(inst["State"]), "InstanceStatus": summ,
              "SystemStatus": summ, "Events": events}
        reach = [d["Status"] for d in summ["Details"]]
        if match_filters(p.get("Filters"), lambda f: {
                "instance-state-name": [inst["State"]["Name"]],
                "instance-state-code": [str(inst["State"]["Code"])],
                "instance-status.status": [summ["Status"]],
                "system-status.status": [summ["Status"]],
                "instance-status.reachability": reach,
                "system-status.reachability": reach,
                "event.code": [e["Code"] for e in events],
                "event.description": [e["Description"] for e in events],
                "event.instance-event-id": [e["InstanceEventId"] for e in events],
                "availability-zone": [st["AvailabilityZone"]]}.get(f)):
            out.append(st)
    page, token = paginate(out, p.get("MaxResults"), p.get("NextToken"), "dis")
    res = {"InstanceStatuses": page}
    if token:
        res["NextToken"] = token
    return res


def _resolve_run_spec(ctx, p):
    region = ctx.region
    spec = {}
    if p.get("LaunchTemplate"):
        lt, v = asg_engine.resolve_template(region, p["LaunchTemplate"])
        d = v["LaunchTemplateData"]
        req = launch.from_template(d, p)
        for ts in d.get("TagSpecifications", []):
            if ts.get("ResourceType") == "instance":
                spec.setdefault("Tags", []).extend(ts.get("Tags", []))
        spec["LaunchTemplate"] = {"LaunchTemplateId": lt["LaunchTemplateId"],
                                  "Version": v["VersionNumber"]}
    else:
        req = launch.from_template({}, p)
    launch.check_combination(req)
    spec.update({k: req[k] for k in ("InstanceType", "ImageId", "KeyName",
                                     "InstanceMarketOptions") if req.get(k) is not None})
    if launch.subnet_of(req):
        spec["SubnetId"] = launch.subnet_of(req)
    spec["SecurityGroupIds"] = launch.groups_of(req)
    for ts in p.get("TagSpecifications") or []:
        _check_tags(ts.get("Tags", []))
        if ts.get("ResourceType") in ("instance", None):
            spec.setdefault("Tags", []).extend(ts.get("Tags", []))
    spec.setdefault("InstanceType", "m1.small")
    req.setdefault("InstanceType", spec["InstanceType"])
    spec["_request"] = req
    if not spec.get("ImageId"):
        raise AwsError("MissingParameter", "The request must contain the parameter ImageId")
    return spec


@action
def RunInstances(ctx, p):
    region = ctx.need_region()
    world = ctx.world
    token = p.get("ClientToken")
    if token and token in region.client_tokens:
        # Idempotent retry: AWS answers with the original reservation.
        res, ids = region.client_tokens[token]
        return {"ReservationId": res, "OwnerId": ctx.account.id, "Groups": [],
                "Instances": [_wire_instance(region.instances[i]) for i in ids
                              if i in region.instances]}
    spec = _resolve_run_spec(ctx, p)
    itype, cat = spec["InstanceType"], world.catalog.get(spec["InstanceType"])
    if cat is None:
        raise AwsError("InvalidParameterValue", f"Invalid value '{itype}' for InstanceType.")
    image = region.images.get(spec["ImageId"])
    if image is None:
        raise AwsError("InvalidAMIID.NotFound", f"The image id '[{spec['ImageId']}]' does not exist")
    if image["Architecture"] not in (cat.get("arch") or []):
        raise AwsError("InvalidParameterValue",
                       f"The architecture '{cat['arch'][0]}' of the specified instance type "
                       f"does not match the architecture '{image['Architecture']}' of the "
                       f"specified AMI. Specify an instance type and an AMI that have matching "
                       f"architectures, and try again. You can use 'describe-instance-types' or "
                       f"'describe-images' to discover the architecture of the instance type or AMI.")
    if spec.get("SubnetId"):
        if spec["SubnetId"] not in region.subnets:
            raise AwsError("InvalidSubnetID.NotFound",
                           f"The subnet ID '{spec['SubnetId']}' does not exist")
        subnet = region.subnets[spec["SubnetId"]]
    else:
        az = (p.get("Placement") or {}).get("AvailabilityZone")
        cands = [s for s in region.subnets.values() if not az or s["AvailabilityZone"] == az]
        if not cands:
            raise AwsError("InvalidParameterValue", f"Invalid availability zone: [{az}]")
        subnet = cands[0]
    az = subnet["AvailabilityZone"]
    if not world.catalog.offered(itype, region.name) or az in region.unavailable.get(itype, []):
        others = [a for a in region.az_names() if a not in region.unavailable.get(itype, [])]
        raise AwsError("Unsupported",
                       f"Your requested instance type ({itype}) is not supported in your "
                       f"requested Availability Zone ({az}). Please retry your request by not "
                       f"specifying an Availability Zone or choosing {', '.join(others)}.")
    mn, mx = int(p.get("MinCount", 1)), int(p.get("MaxCount", 1))
    if mn < 1 or mx < mn:
        raise AwsError("InvalidParameterValue", "Invalid value for MinCount/MaxCount.")
    market = spec.get("InstanceMarketOptions") or {}
    spot = market.get("MarketType") == "spot"
    count = mx
    if spot:
        if not cat.get("spot"):
            raise AwsError("Unsupported", f"The instance type {itype} is not supported for Spot "
                                          f"Instances.")
        current = world.spot_price(region, itype, az)
        opts = market.get("SpotOptions") or {}
        if opts.get("MaxPrice") is not None and float(opts["MaxPrice"]) < current:
            raise AwsError("SpotMaxPriceTooLow",
                           f"Your Spot request price of {opts['MaxPrice']} is lower than the "
                           f"minimum required Spot request fulfillment price of {current:.6g}.")
        cap = region.spot_capacity.get(itype, {}).get(az)
        if cap is not None:
            room = cap - world.spot_in_use(region, itype, az)
            if room < mn:
                raise AwsError("InsufficientInstanceCapacity",
                               "There is no Spot capacity available that matches your request.",
                               500)
            count = min(mx, room)
        spec["Spot"] = {"MaxPrice": opts.get("MaxPrice")}
    _dry(p)
    _check_tags(spec.get("Tags", []))
    spec["SubnetId"] = subnet["SubnetId"]
    res = world.hexid("r")
    insts = [world.create_instance(region, ctx.account.id, spec, res, i) for i in range(count)]
    if token:
        region.client_tokens[token] = (res, [i["InstanceId"] for i in insts])
        for i in insts:
            i["ClientToken"] = token
    return {"ReservationId": res, "OwnerId": ctx.account.id, "Groups": [],
            "Instances": [_wire_instance(i) for i in insts]}


@action
def DescribeInstanceAttribute(ctx, p):
    inst = _instance(ctx, p["InstanceId"])
    attr = p["Attribute"]
    out = {"InstanceId": inst["InstanceId"]}
    if attr == "userData":
        # AWS returns the user data base64-encoded, as it was given; none: empty element.
        out["UserData"] = {"Value": inst["_user_data"]} if inst.get("_user_data") else {}
    elif attr == "instanceType":
        out["InstanceType"] = {"Value": inst["InstanceType"]}
    elif attr == "disableApiTermination":
        out["DisableApiTermination"] = {"Value": bool(inst.get("_disable_api_termination"))}
    elif attr == "disableApiStop":
        out["DisableApiStop"] = {"Value": False}
    elif attr == "instanceInitiatedShutdownBehavior":
        out["InstanceInitiatedShutdownBehavior"] = {"Value": inst.get("_shutdown_behavior",
                                                                      "stop")}
    elif attr == "rootDeviceName":
        out["RootDeviceName"] = {"Value": inst["RootDeviceName"]}
    elif attr == "blockDeviceMapping":
        out["BlockDeviceMappings"] = _wire_instance(inst)["BlockDeviceMappings"]
    elif attr == "groupSet":
        out["Groups"] = [dict(g) for g in inst.get("SecurityGroups", [])]
    elif attr == "ebsOptimized":
        out["EbsOptimized"] = {"Value": bool(inst.get("EbsOptimized"))}
    elif attr == "sourceDestCheck":
        out["SourceDestCheck"] = {"Value": inst.get("SourceDestCheck", True)}
    elif attr == "enaSupport":
        out["EnaSupport"] = {"Value": bool(inst.get("EnaSupport"))}
    elif attr == "productCodes":
        out["ProductCodes"] = []
    elif attr in ("kernel", "ramdisk"):
        out["KernelId" if attr == "kernel" else "RamdiskId"] = {}
    else:
        raise AwsError("InvalidParameterValue",
                       f"Value ({attr}) for parameter attribute is invalid. Unknown attribute.")
    return out


@action
def TerminateInstances(ctx, p):
    ctx.need_region()
    insts = [_instance(ctx, iid) for iid in p.get("InstanceIds", [])]
    _dry(p)
    out = []
    for inst in insts:
        prev = dict(inst["State"])
        ctx.world.terminate_instance(inst)
        out.append({"InstanceId": inst["InstanceId"], "PreviousState": prev,
                    "CurrentState": dict(inst["State"])})
    return {"TerminatingInstances": out}


# ------------------------------------------------------------------ tags

@action
def CreateTags(ctx, p):
    ctx.need_region()
    tags = p.get("Tags", [])
    _check_tags(tags)
    targets = []
    for rid in p.get("Resources", []):
        if rid.startswith("i-"):
            targets.append(_instance(ctx, rid))
        elif rid in ctx.region.subnets:
            targets.append(ctx.region.subnets[rid])
        elif rid in ctx.region.launch_templates:
            targets.append(ctx.region.launch_templates[rid])
        else:
            raise AwsError("InvalidID", f"The ID '{rid}' is not valid")
    _dry(p)
    for obj in targets:
        cur = obj.setdefault("Tags", [])
        for t in tags:
            cur[:] = [x for x in cur if x["Key"] != t["Key"]]
            cur.append({"Key": t["Key"], "Value": t.get("Value", "")})
    return {}


def _tag_target(ctx, rid):
    if rid.startswith("i-"):
        return _instance(ctx, rid)
    for coll in (ctx.region.subnets, ctx.region.launch_templates):
        if rid in coll:
            return coll[rid]
    raise AwsError("InvalidID", f"The ID '{rid}' is not valid")


@action
def DeleteTags(ctx, p):
    """Tag.N.Key alone deletes the key whatever its value; with Tag.N.Value the tag is
    deleted only if its value matches (an empty Value matches only an empty value).
    No Tag.N at all deletes every tag except aws: ones. Missing keys are no error."""
    ctx.need_region()
    tags = p.get("Tags")
    for t in tags or []:
        if t.get("Key", "").lower().startswith("aws:"):
            raise AwsError("InvalidParameterValue",
                           f"Value ( {t['Key']} ) for parameter key is invalid. Tag keys "
                           f"starting with 'aws:' are reserved for internal use")
    targets = [_tag_target(ctx, rid) for rid in p.get("Resources", [])]
    _dry(p)
    for obj in targets:
        cur = obj.setdefault("Tags", [])
        if not tags:
            cur[:] = [x for x in cur if x["Key"].lower().startswith("aws:")]
            continue
        for t in tags:
            cur[:] = [x for x in cur if not (x["Key"] == t["Key"] and (
                "Value" not in t or t["Value"] is None or x["Value"] == t["Value"]))]
    return {}


@action
def DescribeTags(ctx, p):
    region = ctx.need_region()
    rows = []
    for inst in region.instances.values():
        for t in inst.get("Tags", []):
            rows.append({"ResourceId": inst["InstanceId"], "ResourceType": "instance",
                         "Key": t["Key"], "Value": t["Value"]})
    for sid, s in region.subnets.items():
        for t in s.get("Tags", []):
            rows.append({"ResourceId": sid, "ResourceType": "subnet", "Key": t["Key"],
                         "Value": t["Value"]})
    rows = [r for r in rows if match_filters(p.get("Filters"), lambda f, r=r: {
        "resource-id": [r["ResourceId"]], "resource-type": [r["ResourceType"]],
        "key": [r["Key"]], "value": [r["Value"]], "tag-key": [r["Key"]]}.get(f))]
    check_range(p.get("MaxResults"), 5, 1000, "maxResults")
    page, token = paginate(rows, p.get("MaxResults"), p.get("NextToken"), "dt")
    out = {"Tags": page}
    if token:
        out["NextToken"] = token
    return out


# ------------------------------------------------------------ resources

@action
def DescribeImages(ctx, p):
    region = ctx.need_region()
    ids = p.get("ImageIds") or []
    for iid in ids:
        if iid not in region.images:
            raise AwsError("InvalidAMIID.NotFound", f"The image id '[{iid}]' does not exist")
    out = [public(im) for im in region.images.values()
           if (not ids or im["ImageId"] in ids)
           and (not p.get("Owners") or im["OwnerId"] in p["Owners"] or "self" in p["Owners"])
           and match_filters(p.get("Filters"), lambda f, im=im: {
               "image-id": [im["ImageId"]], "name": [im["Name"]],
               "architecture": [im["Architecture"]], "state": [im["State"]],
               "root-device-type": [im["RootDeviceType"]],
               "virtualization-type": [im["VirtualizationType"]],
               "platform-details": [im["PlatformDetails"]],
               "owner-id": [im["OwnerId"]]}.get(f) if not f.startswith("tag") else [])]
    return {"Images": out}


@action
def DescribeSubnets(ctx, p):
    region = ctx.need_region()
    ids = p.get("SubnetIds") or []
    for sid in ids:
        if sid not in region.subnets:
            raise AwsError("InvalidSubnetID.NotFound", f"The subnet ID '{sid}' does not exist")
    out = [public(s) for s in region.subnets.values()
           if (not ids or s["SubnetId"] in ids)
           and match_filters(p.get("Filters"), lambda f, s=s: tag_values(s["Tags"], f) or {
               "subnet-id": [s["SubnetId"]], "availability-zone": [s["AvailabilityZone"]],
               "availability-zone-id": [s["AvailabilityZoneId"]], "vpc-id": [s["VpcId"]],
               "state": [s["State"]]}.get(f))]
    page, token = paginate(out, p.get("MaxResults"), p.get("NextToken"), "ds")
    res = {"Subnets": page}
    if token:
        res["NextToken"] = token
    return res


@action
def DescribeLaunchTemplates(ctx, p):
    region = ctx.need_region()
    out = []
    for lid in p.get("LaunchTemplateIds") or []:
        asg_engine.resolve_template(region, {"LaunchTemplateId": lid})
    for name in p.get("LaunchTemplateNames") or []:
        asg_engine.resolve_template(region, {"LaunchTemplateName": name})
    for lt in region.launch_templates.values():
        if p.get("LaunchTemplateIds") and lt["LaunchTemplateId"] not in p["LaunchTemplateIds"]:
            continue
        if p.get("LaunchTemplateNames") and lt["LaunchTemplateName"] not in p["LaunchTemplateNames"]:
            continue
        if match_filters(p.get("Filters"), lambda f: tag_values(lt["Tags"], f) or {
                "launch-template-name": [lt["LaunchTemplateName"]]}.get(f)):
            out.append(public(lt))
    page, token = paginate(out, p.get("MaxResults"), p.get("NextToken"), "dlt")
    res = {"LaunchTemplates": page}
    if token:
        res["NextToken"] = token
    return res


@action
def DescribeLaunchTemplateVersions(ctx, p):
    region = ctx.need_region()
    spec = {"LaunchTemplateId": p.get("LaunchTemplateId"),
            "LaunchTemplateName": p.get("LaunchTemplateName")}
    if not spec["LaunchTemplateId"] and not spec["LaunchTemplateName"]:
        raise AwsError("MissingParameter", "The request must contain the parameter "
                                           "launchTemplateName or launchTemplateId")
    lt, _ = asg_engine.resolve_template(region, dict(spec, Version="$Latest"))
    if p.get("Versions"):
        out = []
        for v in p["Versions"]:
            _, ver = asg_engine.resolve_template(region, dict(spec, Version=v))
            out.append(public(ver))
    else:
        out = [public(v) for v in lt["_versions"]]
    page, token = paginate(out, p.get("MaxResults"), p.get("NextToken"), "dltv")
    res = {"LaunchTemplateVersions": page}
    if token:
        res["NextToken"] = token
    return res


from .ec2_market import register as _register_market  # noqa: E402

_register_market(HANDLERS)
