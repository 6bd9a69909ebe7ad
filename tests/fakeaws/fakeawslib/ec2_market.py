"""EC2 actions about instance types and the Spot market."""
import datetime
import fnmatch

from .util import check_range, match_filters, paginate
from .wire import AwsError


def _type_filter_values(info, name):
    def b(x):
        return ["true" if x else "false"]
    disks = (info.get("InstanceStorageInfo") or {}).get("Disks") or []
    return {
        "instance-type": [info["InstanceType"]],
        "current-generation": b(info["CurrentGeneration"]),
        "bare-metal": b(info["BareMetal"]),
        "burstable-performance-supported": b(info["BurstablePerformanceSupported"]),
        "free-tier-eligible": b(info["FreeTierEligible"]),
        "hypervisor": [info.get("Hypervisor", "")],
        "instance-storage-supported": b(info["InstanceStorageSupported"]),
        "instance-storage-info.disk.type": [d["Type"] for d in disks],
        "instance-storage-info.total-size-in-gb":
            [str((info.get("InstanceStorageInfo") or {}).get("TotalSizeInGB", ""))],
        "memory-info.size-in-mib": [str(info["MemoryInfo"]["SizeInMiB"])],
        "vcpu-info.default-vcpus": [str(info["VCpuInfo"]["DefaultVCpus"])],
        "processor-info.supported-architecture": info["ProcessorInfo"]["SupportedArchitectures"],
        "supported-usage-class": info["SupportedUsageClasses"],
        "supported-root-device-type": info["SupportedRootDeviceTypes"],
        "supported-virtualization-type": info["SupportedVirtualizationTypes"],
        "network-info.ena-support": [info["NetworkInfo"]["EnaSupport"]],
        "ebs-info.ebs-optimized-support": [info["EbsInfo"]["EbsOptimizedSupport"]],
        "ebs-info.nvme-support": [info["EbsInfo"]["NvmeSupport"]],
    }.get(name)


def DescribeInstanceTypes(ctx, p):
    region = ctx.need_region()
    cat = ctx.world.catalog
    wanted = p.get("InstanceTypes") or []
    bad = [t for t in wanted if not cat.offered(t, region.name)]
    if bad:
        raise AwsError("InvalidInstanceType",
                       f"The following supplied instance types do not exist: [{', '.join(bad)}]")
    check_range(p.get("MaxResults"), 5, 100, "maxResults")
    names = wanted or [n for n in cat.names if cat.offered(n, region.name)]
    out = []
    for n in names:
        info = cat.type_info(n)
        if match_filters(p.get("Filters"), lambda f, info=info: _type_filter_values(info, f)):
            out.append(info)
    # Without MaxResults AWS still pages, at 100 per page.
    page, token = paginate(out, p.get("MaxResults") or 100, p.get("NextToken"), "dit")
    res = {"InstanceTypes": page}
    if token:
        res["NextToken"] = token
    return res


def DescribeInstanceTypeOfferings(ctx, p):
    region = ctx.need_region()
    cat = ctx.world.catalog
    loc_type = p.get("LocationType", "region")
    if loc_type not in ("region", "availability-zone", "availability-zone-id"):
        raise AwsError("InvalidParameterValue", f"Invalid LocationType: {loc_type}")
    check_range(p.get("MaxResults"), 5, 1000, "maxResults")
    rows = []
    for n in cat.names:
        if not cat.offered(n, region.name):
            continue
        if loc_type == "region":
            rows.append({"InstanceType": n, "LocationType": "region", "Location": region.name})
            continue
        for a in region.azs:
            if a["ZoneName"] in region.unavailable.get(n, []):
                continue
            loc = a["ZoneName"] if loc_type == "availability-zone" else a["ZoneId"]
            rows.append({"InstanceType": n, "LocationType": loc_type, "Location": loc})
    rows = [r for r in rows if match_filters(p.get("Filters"), lambda f, r=r: {
        "instance-type": [r["InstanceType"]], "location": [r["Location"]]}.get(f))]
    page, token = paginate(rows, p.get("MaxResults") or 1000, p.get("NextToken"), "dito")
    res = {"InstanceTypeOfferings": page}
    if token:
        res["NextToken"] = token
    return res


def _history(world, region, itype, az):
    """[(epoch, price)] ascending: the default market has had the same price
    for a while, with two older points so history queries have something
    to page through; admin/scenario overrides are appended after it."""
    base = world.catalog.default_spot_price(itype, region.name, az)
    if base is None:
        return []
    t0 = world.start_real
    pts = [(t0 - 6 * 3600, round(base * 1.04, 6)), (t0 - 3 * 3600, round(base * 0.98, 6)),
           (t0 - 3600, base)]
    over = region.spot_prices.get(itype, {}).get(az) or []
    if over:
        pts = [x for x in pts if x[0] < over[0][0]] + list(over)
    return pts


PRODUCTS = ("Linux/UNIX", "Linux/UNIX (Amazon VPC)")


def DescribeSpotPriceHistory(ctx, p):
    region = ctx.need_region()
    world = ctx.world
    cat = world.catalog
    types = p.get("InstanceTypes") or []
    products = p.get("ProductDescriptions") or list(PRODUCTS)
    flt = p.get("Filters") or []
    for f in flt:
        if f["Name"] == "instance-type":
            types = types or [n for n in cat.names if any(
                fnmatch.fnmatchcase(n, v) for v in f["Values"])]
    if not types:
        types = [n for n in cat.names if cat.offered(n, region.name) and cat.get(n).get("spot")]
    azs = [p["AvailabilityZone"]] if p.get("AvailabilityZone") else region.az_names()
    now = world.now()
    start = p["StartTime"].timestamp() if p.get("StartTime") else None
    end = p["EndTime"].timestamp() if p.get("EndTime") else now
    rows = []
    for t in types:
        if not cat.offered(t, region.name):
            continue
        for az in azs:
            if az in region.unavailable.get(t, []):
                continue
            hist = [h for h in _history(world, region, t, az) if h[0] <= end]
            if start is not None:
                # The price in effect at StartTime counts, as on AWS.
                before = [h for h in hist if h[0] <= start]
                hist = before[-1:] + [h for h in hist if h[0] > start]
            for ts, price in reversed(hist):
                for prod in products:
                    if prod not in PRODUCTS:
                        continue
                    rows.append({"AvailabilityZone": az, "InstanceType": t,
                                 "ProductDescription": prod, "SpotPrice": f"{price:.6f}",
                                 "Timestamp": ts})
    rows = [r for r in rows if match_filters(flt, lambda f, r=r: {
        "instance-type": [r["InstanceType"]], "product-description": [r["ProductDescription"]],
        "availability-zone": [r["AvailabilityZone"]], "spot-price": [r["SpotPrice"]],
        "timestamp": [datetime.datetime.fromtimestamp(r["Timestamp"], datetime.timezone.utc)
                      .strftime("%Y-%m-%dT%H:%M:%S.000Z")]}.get(f))]
    rows.sort(key=lambda r: (-r["Timestamp"], r["InstanceType"], r["AvailabilityZone"]))
    check_range(p.get("MaxResults"), 5, 1000, "maxResults")
    page, token = paginate(rows, p.get("MaxResults") or 1000, p.get("NextToken"), "dsph")
    return {"SpotPriceHistory": page, "NextToken": token or ""}


def GetSpotPlacementScores(ctx, p):
    world = ctx.world
    types = p.get("InstanceTypes") or []
    if not types:
        raise AwsError("InvalidParameterValue",
                       "Either InstanceTypes or InstanceRequirementsWithMetadata must be set")
    target = int(p.get("TargetCapacity", 1))
    check_range(target, 1, 2000000000, "TargetCapacity")
    regions = p.get("RegionNames") or sorted(ctx.account.regions)
    out = []
    for rn in regions:
        region = world.region(ctx.account.id, rn)
        if region is None:
            continue
        per_az = []
        for a in region.azs:
            cap, band = 0, 4
            for t in types:
                if not world.catalog.offered(t, rn) or a["ZoneName"] in region.unavailable.get(t, []):
                    continue
                c = region.spot_capacity.get(t, {}).get(a["ZoneName"])
                cap += 10 ** 9 if c is None else max(c - world.spot_in_use(region, t, a["ZoneName"]), 0)
                band = min(band, world.catalog.interruption_band(t, rn))
            score = 0 if cap == 0 else max(1, min(10, 9 - band))
            if cap < target:
                score = min(score, max(1, int(10 * cap / target))) if cap else 1
            per_az.append((a["ZoneId"], score, cap))
        if p.get("SingleAvailabilityZone"):
            out += [{"Region": rn, "AvailabilityZoneId": z, "Score": s} for z, s, _ in per_az]
        else:
            total = sum(c for _, _, c in per_az)
            best = max((s for _, s, _ in per_az), default=1)
            score = best if total >= target else max(1, int(10 * total / max(target, 1)))
            out.append({"Region": rn, "Score": score})
    out.sort(key=lambda r: -r["Score"])
    page, token = paginate(out, p.get("MaxResults"), p.get("NextToken"), "gsps")
    res = {"SpotPlacementScores": page}
    if token:
        res["NextToken"] = token
    return res


def register(handlers):
    for fn in (DescribeInstanceTypes, DescribeInstanceTypeOfferings, DescribeSpotPriceHistory,
               GetSpotPlacementScores):
        handlers[fn.__name__] = fn
