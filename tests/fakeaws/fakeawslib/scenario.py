"""Builds a World from a compact scenario document (format in docs/fakeaws.md)."""
import json

from . import state as S

AZ_IDS = {"us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2",
          "eu-west-1": "euw1", "eu-central-1": "euc1", "ap-southeast-1": "apse1"}

DEFAULT_REGION = {"us-east-1": {}}


def load(path):
    with open(path) as f:
        return json.load(f)


def build(doc=None):
    doc = doc or {}
    world = S.World(seed=int(doc.get("seed", 1)), timing=doc.get("timing"))
    accounts = doc.get("accounts")
    if not accounts:
        accounts = [{"regions": doc.get("regions") or DEFAULT_REGION}]
    for i, a in enumerate(accounts):
        aid = a.get("id", S.DEFAULT_ACCOUNT if i == 0 else f"{222222222222 + i - 1}")
        ak = a.get("access_key", S.DEFAULT_ACCESS_KEY if i == 0 else f"AKIDSPOTSWAPFAKE{i + 1:05d}")
        sk = a.get("secret_key", S.DEFAULT_SECRET_KEY if i == 0
                   else f"fake/secret/key/for/tests/only+{i:010d}")
        acct = world.add_account(aid, ak, sk, a.get("user", "spotswap"))
        for extra in a.get("extra_keys", []):
            world.add_account(aid, extra["access_key"], extra["secret_key"], acct.user)
        for r in a.get("roles", []):
            acct.roles[r["name"]] = {
                "name": r["name"], "arn": f"arn:aws:iam::{aid}:role/{r['name']}",
                "trust": r.get("trust", [aid]), "external_id": r.get("external_id"),
                "max_session_seconds": int(r.get("max_session_seconds", 3600)),
                "id": "AROA" + world.alnum(17, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")}
        for rname, rdoc in (a.get("regions") or DEFAULT_REGION).items():
            _build_region(world, acct, rname, rdoc or {})
    world.reconcile_all()
    return world


def _build_region(world, acct, name, doc):
    region = world.region(acct.id, name, create=True)
    azs = doc.get("azs") or [f"{name}{s}" for s in "abc"]
    prefix = AZ_IDS.get(name, name.replace("-", "")[:5])
    region.azs = [{"ZoneName": z, "ZoneId": f"{prefix}-az{i + 1}"} for i, z in enumerate(azs)]
    region.vpc_id = world.hexid("vpc")
    subnets = doc.get("subnets") or {f"subnet-{z[-1]}{world.alnum(6, '0123456789abcdef')}": z
                                     for z in azs}
    for i, (sid, az) in enumerate(subnets.items()):
        region.subnets[sid] = {
            "SubnetId": sid, "AvailabilityZone": az,
            "AvailabilityZoneId": next(a["ZoneId"] for a in region.azs if a["ZoneName"] == az),
            "VpcId": region.vpc_id, "CidrBlock": f"10.{i}.0.0/16", "State": "available",
            "AvailableIpAddressCount": 65000, "DefaultForAz": False, "MapPublicIpOnLaunch": False,
            "OwnerId": acct.id, "SubnetArn": f"arn:aws:ec2:{name}:{acct.id}:subnet/{sid}",
            "Tags": []}
    images = doc.get("images") or [
        {"id": "ami-0a1b2c3d4e5f60001", "name": "al2023-x86_64", "architecture": "x86_64"},
        {"id": "ami-0a1b2c3d4e5f60002", "name": "al2023-arm64", "architecture": "arm64"}]
    for im in images:
        region.images[im["id"]] = {
            "ImageId": im["id"], "Name": im.get("name", im["id"]),
            "Architecture": im.get("architecture", "x86_64"),
            "VirtualizationType": im.get("virtualization", "hvm"),
            "PlatformDetails": im.get("platform_details", "Linux/UNIX"),
            "UsageOperation": "RunInstances", "RootDeviceType": im.get("root_device", "ebs"),
            "RootDeviceName": "/dev/xvda", "EnaSupport": im.get("ena", True),
            "State": "available", "Public": False, "OwnerId": acct.id,
            "ImageType": "machine", "Hypervisor": "xen", "CreationDate": "2026-01-01T00:00:00.000Z",
            "BlockDeviceMappings": im.get("block_devices") or [
                {"DeviceName": "/dev/xvda", "Ebs": {"DeleteOnTermination": True, "VolumeSize": 8,
                                                    "VolumeType": "gp3", "Encrypted": False}}]}
    default_image = images[0]["id"]
    for lc in doc.get("launch_configurations", []):
        region.launch_configs[lc["name"]] = {
            "LaunchConfigurationName": lc["name"],
            "LaunchConfigurationARN": f"arn:aws:autoscaling:{name}:{acct.id}:launchConfiguration:"
                                      f"{world.request_id()}:launchConfigurationName/{lc['name']}",
            "ImageId": lc.get("image", default_image), "InstanceType": lc["instance_type"],
            "KeyName": lc.get("key_name", ""), "SecurityGroups": lc.get("security_groups", []),
            "ClassicLinkVPCSecurityGroups": [], "UserData": "", "KernelId": "", "RamdiskId": "",
            "BlockDeviceMappings": [], "InstanceMonitoring": {"Enabled": False},
            "CreatedTime": world.now() - 86400 * 30, "EbsOptimized": False,
            "IamInstanceProfile": lc.get("iam_instance_profile")}
        entry = region.launch_configs[lc["name"]]
        # Any LaunchConfiguration member given under its AWS name (UserData base64,
        # BlockDeviceMappings, MetadataOptions, SpotPrice, AssociatePublicIpAddress,
        # InstanceMonitoring, PlacementTenancy, IamInstanceProfile, KeyName,
        # SecurityGroups, EbsOptimized, ...) is taken as is.
        for k, v in lc.items():
            if k[:1].isupper():
                entry[k] = v
    for lt in doc.get("launch_templates", []):
        ltid = world.hexid("lt")
        versions = lt.get("versions") or [{}]
        entry = {"LaunchTemplateId": ltid, "LaunchTemplateName": lt["name"],
                 "CreateTime": world.now() - 86400 * 30,
                 "CreatedBy": acct.arn(), "DefaultVersionNumber": int(lt.get("default_version", 1)),
                 "LatestVersionNumber": len(versions), "Tags": [], "_versions": []}
        for n, data in enumerate(versions, 1):
            data = dict(data)
            data.setdefault("ImageId", default_image)
            entry["_versions"].append({
                "LaunchTemplateId": ltid, "LaunchTemplateName": lt["name"], "VersionNumber": n,
                "CreateTime": world.now() - 86400 * 30, "CreatedBy": acct.arn(),
                "DefaultVersion": n == entry["DefaultVersionNumber"], "LaunchTemplateData": data})
        region.launch_templates[ltid] = entry
    for itype, per_az in (doc.get("spot_prices") or {}).items():
        for az, price in per_az.items():
            region.spot_prices.setdefault(itype, {})[az] = [(world.now() - 3600, float(price))]
    for itype, per_az in (doc.get("spot_capacity") or {}).items():
        for az, n in per_az.items():
            region.spot_capacity.setdefault(itype, {})[az] = n
    region.unavailable = doc.get("unavailable_types") or {}
    for g in doc.get("groups", []):
        _build_group(world, acct, region, g)
    for inst in doc.get("instances", []):
        _build_standalone(world, acct, region, inst)


def resolve_subnets(region, refs):
    out = []
    for ref in refs or region.az_names():
        if ref in region.subnets:
            out.append(ref)
        else:  # an AZ name stands for that AZ's first subnet
            out.append(next(s for s, v in region.subnets.items() if v["AvailabilityZone"] == ref))
    return out


def _build_group(world, acct, region, g):
    from . import asg_engine
    name = g["name"]
    n = int(g.get("instances", g.get("desired", 0)))
    subnets = resolve_subnets(region, g.get("subnets"))
    group = {
        "AutoScalingGroupName": name,
        "AutoScalingGroupARN": f"arn:aws:autoscaling:{region.name}:{acct.id}:autoScalingGroup:"
                               f"{world.request_id()}:autoScalingGroupName/{name}",
        "MinSize": int(g.get("min", min(n, 1))), "MaxSize": int(g.get("max", max(n * 2, 1))),
        "DesiredCapacity": int(g.get("desired", n)), "DefaultCooldown": 300,
        "AvailabilityZones": sorted({region.subnets[s]["AvailabilityZone"] for s in subnets}),
        "LoadBalancerNames": [], "TargetGroupARNs": g.get("target_groups", []),
        "HealthCheckType": g.get("health_check_type", "EC2"),
        "HealthCheckGracePeriod": int(g.get("health_check_grace_period", 300)),
        "CreatedTime": world.now() - 86400 * 7, "SuspendedProcesses": [
            {"ProcessName": p, "SuspensionReason": "User suspended at 2026-01-01T00:00:00Z"}
            for p in g.get("suspended_processes", [])],
        "VPCZoneIdentifier": ",".join(subnets), "EnabledMetrics": [],
        "TerminationPolicies": ["Default"],
        "NewInstancesProtectedFromScaleIn": bool(g.get("protect_new_instances", False)),
        "ServiceLinkedRoleARN": f"arn:aws:iam::{acct.id}:role/aws-service-role/"
                                f"autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        "CapacityRebalance": bool(g.get("capacity_rebalance", False)),
        "Tags": [{"ResourceId": name, "ResourceType": "auto-scaling-group", "Key": k,
                  "Value": str(v), "PropagateAtLaunch": True}
                 for k, v in (g.get("tags") or {}).items()],
        "_account": acct.id, "_members": {}, "_hooks": {}, "_activities": []}
    if g.get("launch_configuration"):
        group["LaunchConfigurationName"] = g["launch_configuration"]
    elif g.get("mixed_instances"):
        lt = _lt_by_name(region, g["launch_template"])
        group["MixedInstancesPolicy"] = {
            "LaunchTemplate": {"LaunchTemplateSpecification": {
                "LaunchTemplateId": lt["LaunchTemplateId"],
                "LaunchTemplateName": lt["LaunchTemplateName"],
                "Version": str(g.get("launch_template_version", "$Default"))},
                "Overrides": [{"InstanceType": t} if isinstance(t, str) else
                              {k: str(v) if k == "WeightedCapacity" else v
                               for k, v in t.items()} for t in g["mixed_instances"]]},
            "InstancesDistribution": dict({"OnDemandAllocationStrategy": "prioritized",
                                           "OnDemandBaseCapacity": 0,
                                           "OnDemandPercentageAboveBaseCapacity": 100,
                                           "SpotAllocationStrategy": "lowest-price",
                                           "SpotInstancePools": 2},
                                          **(g.get("instances_distribution") or {}))}
    else:
        lt = _lt_by_name(region, g["launch_template"])
        group["LaunchTemplate"] = {"LaunchTemplateId": lt["LaunchTemplateId"],
                                   "LaunchTemplateName": lt["LaunchTemplateName"],
                                   "Version": str(g.get("launch_template_version", "$Default"))}
    for h in g.get("lifecycle_hooks", []):
        trans = h.get("transition", "terminating")
        trans = {"terminating": asg_engine.HOOK_TERMINATING,
                 "launching": asg_engine.HOOK_LAUNCHING}.get(trans, trans)
        group["_hooks"][h["name"]] = {
            "LifecycleHookName": h["name"], "AutoScalingGroupName": name,
            "LifecycleTransition": trans, "HeartbeatTimeout": int(h.get("heartbeat_timeout", 3600)),
            "GlobalTimeout": int(h.get("heartbeat_timeout", 3600)) * 100,
            "DefaultResult": h.get("default_result", "CONTINUE")}
    region.groups[name] = group
    # Seeded instances exist already: launched a day ago, running, InService.
    if n:
        launched = asg_engine.launch_into_group(world, region, group, n)
        for inst in launched:
            _backdate(world, inst)
            group["_members"][inst["InstanceId"]]["LifecycleState"] = "InService"
            group["_members"][inst["InstanceId"]]["_in_service_since"] = inst["_running_at"]
        for i in g.get("protected", []):
            group["_members"][launched[i]["InstanceId"]]["ProtectedFromScaleIn"] = True
        spot = g.get("spot")
        for i in (range(len(launched)) if spot is True else spot or []):
            # A member seeded as Spot (mixed-instances groups, crash states).
            inst = launched[i]
            inst["InstanceLifecycle"] = "spot"
            inst["SpotInstanceRequestId"] = "sir-" + world.alnum(8)
            inst["_max_price"] = None
        for i in g.get("standby", []):
            group["_members"][launched[i]["InstanceId"]]["LifecycleState"] = "Standby"
        group["_activities"] = []


def _lt_by_name(region, name):
    return next(t for t in region.launch_templates.values() if t["LaunchTemplateName"] == name)


def _build_standalone(world, acct, region, d):
    subnet = resolve_subnets(region, [d.get("subnet", region.az_names()[0])])[0]
    spec = {"InstanceType": d["instance_type"], "ImageId": d.get("image", next(iter(region.images))),
            "SubnetId": subnet, "Tags": [{"Key": k, "Value": str(v)} for k, v in
                                         (d.get("tags") or {}).items()]}
    if d.get("spot"):
        spec["Spot"] = {"MaxPrice": d.get("max_price")}
    _backdate(world, world.create_instance(region, acct.id, spec, world.hexid("r"), 0))


def _backdate(world, inst):
    """Seeded instances have been running for a day when the scenario starts."""
    t = world.now() - 86400
    inst["LaunchTime"] = t
    inst["_running_at"] = t + 30
    inst["State"] = {"Code": 16, "Name": "running"}
    for bdm in inst["BlockDeviceMappings"]:
        bdm["Ebs"]["AttachTime"] = t
