"""Price List (pricing) actions, JSON 1.1."""
import json

from .catalog import REGION_NAMES
from .util import paginate
from .wire import AwsError

HANDLERS = {}

# The attributes spotswap-like clients filter on; a product only exists for
# the Linux / Shared / no-software / Used combination the catalog prices.
FIXED = {"operatingSystem": "Linux", "tenancy": "Shared", "preInstalledSw": "NA",
         "capacitystatus": "Used", "licenseModel": "No License required",
         "productFamily": "Compute Instance", "servicecode": "AmazonEC2",
         "locationType": "AWS Region", "operation": "RunInstances",
         "marketoption": "OnDemand"}


def action(fn):
    HANDLERS[fn.__name__] = fn
    return fn


def _product(cat, name, region, price):
    t = cat.get(name)
    sku = cat.sku(name, region)
    st = t.get("instance_store")
    attrs = dict(FIXED)
    attrs.pop("productFamily")
    attrs.update({
        "instanceType": name, "instanceFamily": t["family"], "vcpu": str(t["vcpu"]),
        "memory": f"{t['memory_mib'] / 1024:g} GiB",
        "storage": "EBS only" if not st else f"{st['count']} x {st['size_gb']} {st['type'].upper()}",
        "networkPerformance": t.get("network", ""), "regionCode": region,
        "location": REGION_NAMES.get(region, region),
        "usagetype": ("BoxUsage:" if region == "us-east-1" else f"{region.upper()}-BoxUsage:") + name,
        "currentGeneration": "Yes" if t.get("current_generation") else "No",
        "processorArchitecture": "64-bit", "servicename": "Amazon Elastic Compute Cloud",
        "gpu": str(t.get("gpus", 0))})
    term = f"{sku}.JRTCKXETXF"
    return {
        "product": {"productFamily": "Compute Instance", "attributes": attrs, "sku": sku},
        "serviceCode": "AmazonEC2",
        "terms": {"OnDemand": {term: {
            "priceDimensions": {f"{term}.6YS6EN2CT7": {
                "unit": "Hrs", "endRange": "Inf", "appliesTo": [], "beginRange": "0",
                "description": f"${price} per On Demand Linux {name} Instance Hour",
                "rateCode": f"{term}.6YS6EN2CT7",
                "pricePerUnit": {"USD": f"{price:.10f}"}}},
            "sku": sku, "effectiveDate": "2026-07-01T00:00:00Z", "offerTermCode": "JRTCKXETXF",
            "termAttributes": {}}}},
        "version": "20260720000000", "publicationDate": "2026-07-20T00:00:00Z"}


@action
def GetProducts(ctx, p):
    cat = ctx.world.catalog
    if p.get("ServiceCode") != "AmazonEC2":
        return {"FormatVersion": "aws_v1", "PriceList": []}
    if p.get("FormatVersion", "aws_v1") != "aws_v1":
        raise AwsError("InvalidParameterException", "Invalid FormatVersion")
    want = {}
    for f in p.get("Filters") or []:
        if f.get("Type") != "TERM_MATCH":
            raise AwsError("InvalidParameterException", f"Invalid filter type {f.get('Type')}")
        want[f["Field"]] = f["Value"]
    if "location" in want:
        inv = {v: k for k, v in REGION_NAMES.items()}
        if want["location"] not in inv:
            return {"FormatVersion": "aws_v1", "PriceList": []}
        want.setdefault("regionCode", inv[want["location"]])
    regions = [want["regionCode"]] if "regionCode" in want else sorted(ctx.account.regions)
    names = [want["instanceType"]] if "instanceType" in want else cat.names
    rows = []
    for region in regions:
        for n in names:
            price = cat.od_price(n, region)
            if price is None or not cat.offered(n, region) and region in REGION_NAMES and \
                    not region.startswith("us-gov"):
                continue
            doc = _product(cat, n, region, price)
            attrs = dict(doc["product"]["attributes"], productFamily="Compute Instance")
            if all(attrs.get(k, "").lower() == v.lower() for k, v in want.items()):
                rows.append(doc)
    mr = p.get("MaxResults") or 100
    if not 1 <= mr <= 100:
        raise AwsError("InvalidParameterException", "MaxResults must be between 1 and 100")
    page, token = paginate(rows, mr, p.get("NextToken"), "gp", "InvalidNextTokenException")
    out = {"FormatVersion": "aws_v1", "PriceList": [json.dumps(d) for d in page]}
    if token:
        out["NextToken"] = token
    return out
