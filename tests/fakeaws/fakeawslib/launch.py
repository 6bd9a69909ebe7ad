"""Launch attributes: one RunInstances-shaped request, whatever its source.

A client's RunInstances parameters, a launch template's LaunchTemplateData (merged
with the call's overrides) and an Auto Scaling launch configuration are all turned
into the same request dict (botocore RunInstances member names). create_instance
applies it to the instance and keeps `normalize(request)` as the instance's
`launch` record, so an instance a group launched and one a client launched from the
same configuration compare equal attribute by attribute.
"""
from .wire import AwsError

# LaunchTemplateData members that RunInstances takes under the same name.
TEMPLATE_KEYS = ("ImageId", "InstanceType", "KeyName", "SecurityGroupIds", "SecurityGroups",
                 "UserData", "BlockDeviceMappings", "MetadataOptions", "Monitoring",
                 "EbsOptimized", "Placement", "IamInstanceProfile", "CreditSpecification",
                 "InstanceMarketOptions", "NetworkInterfaces", "DisableApiTermination",
                 "InstanceInitiatedShutdownBehavior")


def _bool(v):
    if isinstance(v, str):
        return v.lower() == "true"
    return None if v is None else bool(v)


def from_template(data, params):
    """LaunchTemplateData overridden by the RunInstances call's own parameters."""
    req = {k: data[k] for k in TEMPLATE_KEYS if data.get(k) is not None}
    if params.get("NetworkInterfaces") and req.get("NetworkInterfaces"):
        # AWS merges interface specifications by DeviceIndex.
        by_idx = {int(n.get("DeviceIndex", 0)): dict(n) for n in req["NetworkInterfaces"]}
        for n in params["NetworkInterfaces"]:
            by_idx.setdefault(int(n.get("DeviceIndex", 0)), {}).update(n)
        params = dict(params, NetworkInterfaces=[by_idx[i] for i in sorted(by_idx)])
    for k in TEMPLATE_KEYS + ("SubnetId",):
        if params.get(k) is not None:
            if k == "Placement":
                req[k] = dict(req.get(k) or {}, **params[k])
            else:
                req[k] = params[k]
    return req


def from_launch_configuration(lc):
    """The RunInstances request Auto Scaling makes for a launch configuration."""
    req = {"ImageId": lc["ImageId"], "InstanceType": lc["InstanceType"]}
    if lc.get("KeyName"):
        req["KeyName"] = lc["KeyName"]
    if lc.get("UserData"):
        req["UserData"] = lc["UserData"]
    bdms = []
    for b in lc.get("BlockDeviceMappings") or []:
        b = dict(b)
        if "NoDevice" in b:
            if b["NoDevice"]:
                b["NoDevice"] = ""
            else:
                b.pop("NoDevice")
        bdms.append(b)
    if bdms:
        req["BlockDeviceMappings"] = bdms
    if lc.get("MetadataOptions"):
        req["MetadataOptions"] = dict(lc["MetadataOptions"])
    req["Monitoring"] = {"Enabled": bool((lc.get("InstanceMonitoring") or {}).get("Enabled"))}
    if lc.get("EbsOptimized") is not None:
        req["EbsOptimized"] = lc["EbsOptimized"]
    if lc.get("PlacementTenancy"):
        req["Placement"] = {"Tenancy": lc["PlacementTenancy"]}
    prof = lc.get("IamInstanceProfile")
    if prof:
        req["IamInstanceProfile"] = {"Arn": prof} if prof.startswith("arn:") else {"Name": prof}
    groups = lc.get("SecurityGroups") or []
    if lc.get("AssociatePublicIpAddress") is not None:
        req["NetworkInterfaces"] = [{"DeviceIndex": 0, "DeleteOnTermination": True,
                                     "AssociatePublicIpAddress": lc["AssociatePublicIpAddress"],
                                     "Groups": list(groups)}]
    elif groups:
        req["SecurityGroupIds"] = list(groups)
    if lc.get("SpotPrice"):
        req["InstanceMarketOptions"] = {"MarketType": "spot",
                                        "SpotOptions": {"MaxPrice": str(lc["SpotPrice"])}}
    return req


def check_combination(req):
    """AWS refuses instance-level subnet / groups together with NetworkInterface.N."""
    if not req.get("NetworkInterfaces"):
        return
    if req.get("SubnetId"):
        raise AwsError("InvalidParameterCombination",
                       "Network interfaces and an instance-level subnet ID may not be specified "
                       "on the same request")
    if req.get("SecurityGroupIds") or req.get("SecurityGroups"):
        raise AwsError("InvalidParameterCombination",
                       "Network interfaces and an instance-level security groups may not be "
                       "specified on the same request")


def primary_interface(req):
    nis = req.get("NetworkInterfaces") or []
    return next((n for n in nis if int(n.get("DeviceIndex", 0)) == 0), nis[0] if nis else None)


def subnet_of(req):
    ni = primary_interface(req)
    return (ni or {}).get("SubnetId") or req.get("SubnetId")


def groups_of(req):
    ni = primary_interface(req)
    if ni is not None and ni.get("Groups"):
        return list(ni["Groups"])
    return list(req.get("SecurityGroupIds") or []) + list(req.get("SecurityGroups") or [])


def profile_arn(prof, account_id):
    if not prof:
        return None
    if prof.get("Arn"):
        return prof["Arn"]
    return f"arn:aws:iam::{account_id}:instance-profile/{prof['Name']}"


def _norm_bdm(b):
    out = {"device_name": b.get("DeviceName")}
    if b.get("VirtualName"):
        out["virtual_name"] = b["VirtualName"]
    if "NoDevice" in b and b["NoDevice"] is not None and b["NoDevice"] is not False:
        out["no_device"] = True
    ebs = b.get("Ebs")
    if ebs:
        e = {}
        for k, n in (("VolumeSize", "volume_size"), ("VolumeType", "volume_type"),
                     ("Iops", "iops"), ("Throughput", "throughput"),
                     ("SnapshotId", "snapshot_id"), ("KmsKeyId", "kms_key_id")):
            if ebs.get(k) is not None:
                e[n] = int(ebs[k]) if k in ("VolumeSize", "Iops", "Throughput") else ebs[k]
        for k, n in (("Encrypted", "encrypted"), ("DeleteOnTermination", "delete_on_termination")):
            if ebs.get(k) is not None:
                e[n] = _bool(ebs[k])
        out["ebs"] = e
    return out


def normalize(req, account_id, subnet_id, tags):
    """The `launch` record in the admin state dump."""
    mo = req.get("MetadataOptions")
    market = req.get("InstanceMarketOptions") or {}
    spot = market.get("MarketType") == "spot"
    ni = primary_interface(req)
    mon = req.get("Monitoring")
    return {
        "image_id": req.get("ImageId"),
        "instance_type": req.get("InstanceType"),
        "key_name": req.get("KeyName"),
        "security_groups": sorted(groups_of(req)),
        "subnet_id": subnet_id,
        "associate_public_ip": _bool((ni or {}).get("AssociatePublicIpAddress")),
        "network_interface": None if ni is None else {
            "device_index": int(ni.get("DeviceIndex", 0)),
            "delete_on_termination": _bool(ni.get("DeleteOnTermination")),
            "associate_public_ip": _bool(ni.get("AssociatePublicIpAddress"))},
        "user_data": req.get("UserData"),
        "block_device_mappings": [_norm_bdm(b) for b in req.get("BlockDeviceMappings") or []],
        "metadata_options": None if not mo else {
            "http_tokens": mo.get("HttpTokens"),
            "http_put_response_hop_limit": None if mo.get("HttpPutResponseHopLimit") is None
            else int(mo["HttpPutResponseHopLimit"]),
            "http_endpoint": mo.get("HttpEndpoint"),
            "instance_metadata_tags": mo.get("InstanceMetadataTags")},
        "monitoring": bool(_bool((mon or {}).get("Enabled"))),
        "ebs_optimized": _bool(req.get("EbsOptimized")),
        "tenancy": (req.get("Placement") or {}).get("Tenancy") or "default",
        "iam_instance_profile": profile_arn(req.get("IamInstanceProfile"), account_id),
        "credit_specification": (req.get("CreditSpecification") or {}).get("CpuCredits"),
        "disable_api_termination": bool(_bool(req.get("DisableApiTermination"))),
        "market": {"type": "spot" if spot else "on-demand",
                   "max_price": (market.get("SpotOptions") or {}).get("MaxPrice") if spot
                   else None},
        "tags": sorted(({"Key": t["Key"], "Value": t.get("Value", "")} for t in tags),
                       key=lambda t: t["Key"]),
    }


def block_devices(world, image, req, now):
    """The instance's blockDeviceMapping: EBS volumes only, as AWS lists them (instance
    store and suppressed devices do not appear), the request overriding the AMI's
    mapping per device name. Returns (mappings, volumes) where volumes describes each
    created volume for the state dump."""
    merged = {}
    for b in (image or {}).get("BlockDeviceMappings") or []:
        merged[b["DeviceName"]] = b
    for b in req.get("BlockDeviceMappings") or []:
        old = merged.get(b["DeviceName"])
        if old and old.get("Ebs") and b.get("Ebs"):
            b = dict(b, Ebs=dict(old["Ebs"], **{k: v for k, v in b["Ebs"].items()
                                                if v is not None}))
        merged[b["DeviceName"]] = b
    root = (image or {}).get("RootDeviceName", "/dev/xvda")
    if root not in merged:
        merged[root] = {"DeviceName": root, "Ebs": {"DeleteOnTermination": True,
                                                   "VolumeSize": 8, "VolumeType": "gp3"}}
    mappings, volumes = [], {}
    for name in sorted(merged, key=lambda n: (n != root, n)):
        b = merged[name]
        if b.get("NoDevice") is not None and b.get("NoDevice") is not False:
            continue
        if not b.get("Ebs"):
            continue
        ebs = b["Ebs"]
        vid = world.hexid("vol")
        dot = _bool(ebs.get("DeleteOnTermination"))
        mappings.append({"DeviceName": name, "Ebs": {
            "AttachTime": now, "DeleteOnTermination": True if dot is None else dot,
            "Status": "attached", "VolumeId": vid}})
        vtype = ebs.get("VolumeType") or "gp2"
        vol = {"device_name": name, "size": int(ebs.get("VolumeSize") or 8),
               "volume_type": vtype, "encrypted": bool(_bool(ebs.get("Encrypted")))}
        if ebs.get("Iops") is not None or vtype in ("gp3", "io1", "io2"):
            vol["iops"] = int(ebs.get("Iops") or 3000)
        if vtype == "gp3":
            vol["throughput"] = int(ebs.get("Throughput") or 125)
        if ebs.get("SnapshotId"):
            vol["snapshot_id"] = ebs["SnapshotId"]
        volumes[vid] = vol
    return mappings, volumes


def metadata_response(mo):
    mo = mo or {}
    return {"State": "applied", "HttpTokens": mo.get("HttpTokens") or "optional",
            "HttpPutResponseHopLimit": int(mo.get("HttpPutResponseHopLimit") or 1),
            "HttpEndpoint": mo.get("HttpEndpoint") or "enabled",
            "HttpProtocolIpv6": mo.get("HttpProtocolIpv6") or "disabled",
            "InstanceMetadataTags": mo.get("InstanceMetadataTags") or "disabled"}
