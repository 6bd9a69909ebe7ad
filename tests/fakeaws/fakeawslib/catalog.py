"""Instance-type data for the fake, read from the project's own catalog.

Spot prices are derived, not stored: a type's price in an AZ is a pure
function of the catalog, the Spot Advisor savings and the AZ name, so every
run of a scenario sees the same market unless the scenario or the admin API
overrides it.
"""
import hashlib
import json
import os

_HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.normpath(os.path.join(_HERE, "..", "..", ".."))
DATA_DIR = os.path.join(REPO_ROOT, "compat", "data")

REGION_NAMES = {
    "af-south-1": "Africa (Cape Town)", "ap-east-1": "Asia Pacific (Hong Kong)",
    "ap-northeast-1": "Asia Pacific (Tokyo)", "ap-northeast-2": "Asia Pacific (Seoul)",
    "ap-northeast-3": "Asia Pacific (Osaka)", "ap-south-1": "Asia Pacific (Mumbai)",
    "ap-south-2": "Asia Pacific (Hyderabad)", "ap-southeast-1": "Asia Pacific (Singapore)",
    "ap-southeast-2": "Asia Pacific (Sydney)", "ap-southeast-3": "Asia Pacific (Jakarta)",
    "ap-southeast-4": "Asia Pacific (Melbourne)", "ap-southeast-5": "Asia Pacific (Malaysia)",
    "ca-central-1": "Canada (Central)", "ca-west-1": "Canada West (Calgary)",
    "eu-central-1": "EU (Frankfurt)", "eu-central-2": "EU (Zurich)",
    "eu-north-1": "EU (Stockholm)", "eu-south-1": "EU (Milan)", "eu-south-2": "EU (Spain)",
    "eu-west-1": "EU (Ireland)", "eu-west-2": "EU (London)", "eu-west-3": "EU (Paris)",
    "il-central-1": "Israel (Tel Aviv)", "me-central-1": "Middle East (UAE)",
    "me-south-1": "Middle East (Bahrain)", "sa-east-1": "South America (Sao Paulo)",
    "us-east-1": "US East (N. Virginia)", "us-east-2": "US East (Ohio)",
    "us-west-1": "US West (N. California)", "us-west-2": "US West (Oregon)",
    "us-gov-east-1": "AWS GovCloud (US-East)", "us-gov-west-1": "AWS GovCloud (US-West)",
}


def _h(*parts):
    return int(hashlib.sha256("/".join(parts).encode()).hexdigest()[:12], 16)


class Catalog:
    def __init__(self, data_dir=DATA_DIR):
        with open(os.path.join(data_dir, "ec2-catalog.json")) as f:
            doc = json.load(f)
        self.types = {t["name"]: t for t in doc["instance_types"]}
        self.names = sorted(self.types)
        try:
            with open(os.path.join(data_dir, "spot-advisor.json")) as f:
                self.advisor = json.load(f).get("spot_advisor", {})
        except OSError:
            self.advisor = {}

    def get(self, name):
        return self.types.get(name)

    def offered(self, name, region):
        t = self.types.get(name)
        return bool(t) and region in (t.get("offered_in") or [])

    def od_price(self, name, region):
        """Only us-east-1 and GovCloud have prices in the catalog; other
        commercial regions reuse the us-east-1 list price so that a scenario
        in any region has an on-demand baseline."""
        t = self.types.get(name)
        if not t:
            return None
        p = t.get("price") or {}
        return p.get(region, p.get("us-east-1"))

    def advisor_entry(self, name, region):
        reg = self.advisor.get(region) or self.advisor.get("us-east-1") or {}
        return (reg.get("Linux") or {}).get(name)

    def default_spot_price(self, name, region, az):
        od = self.od_price(name, region)
        if od is None:
            return None
        adv = self.advisor_entry(name, region)
        savings = adv["s"] if adv else 60
        # +-3% per AZ so that "cheapest AZ" is a real decision for the client.
        variation = ((_h(name, az) % 601) - 300) / 10000.0
        price = od * (1 - savings / 100.0) * (1 + variation)
        return round(max(price, 0.0001), 6)

    def interruption_band(self, name, region):
        adv = self.advisor_entry(name, region)
        return adv["r"] if adv else 2

    def type_info(self, name):
        """InstanceTypeInfo as DescribeInstanceTypes returns it."""
        t = self.types[name]
        info = {
            "InstanceType": name,
            "CurrentGeneration": t.get("current_generation", False),
            "FreeTierEligible": name in ("t2.micro", "t3.micro"),
            "SupportedUsageClasses": ["on-demand", "spot"] if t.get("spot") else ["on-demand"],
            "SupportedRootDeviceTypes": t.get("root_device") or ["ebs"],
            "SupportedVirtualizationTypes": t.get("virtualization") or ["hvm"],
            "BareMetal": t.get("bare_metal", False),
            "ProcessorInfo": {"SupportedArchitectures": t.get("arch") or ["x86_64"]},
            "VCpuInfo": {"DefaultVCpus": t["vcpu"]},
            "MemoryInfo": {"SizeInMiB": t["memory_mib"]},
            "InstanceStorageSupported": t.get("instance_store") is not None,
            "EbsInfo": {"EbsOptimizedSupport": t.get("ebs_optimized", "unsupported"),
                        "EncryptionSupport": "supported",
                        "NvmeSupport": t.get("ebs_nvme", "unsupported")},
            "NetworkInfo": {"NetworkPerformance": t.get("network", ""),
                            "EnaSupport": t.get("ena", "unsupported")},
            "HibernationSupported": False,
            "BurstablePerformanceSupported": t.get("burstable", False),
            "DedicatedHostsSupported": not t.get("burstable", False),
            "AutoRecoverySupported": t.get("instance_store") is None,
        }
        if t.get("hypervisor"):
            info["Hypervisor"] = t["hypervisor"]
        st = t.get("instance_store")
        if st:
            info["InstanceStorageInfo"] = {
                "TotalSizeInGB": st["total_gb"],
                "Disks": [{"SizeInGB": st["size_gb"], "Count": st["count"], "Type": st["type"]}],
                "NvmeSupport": "required" if st.get("nvme") else "unsupported",
                "EncryptionSupport": "required" if st.get("nvme") else "unsupported",
            }
        if t.get("gpus"):
            model = (t.get("gpu_model") or "NVIDIA GPU").split(" ", 1)
            info["GpuInfo"] = {
                "Gpus": [{"Name": model[-1], "Manufacturer": model[0], "Count": t["gpus"],
                          "MemoryInfo": {"SizeInMiB": t["gpu_memory_mib"] // max(t["gpus"], 1)}}],
                "TotalGpuMemoryInMiB": t["gpu_memory_mib"]}
        return info

    def sku(self, name, region):
        alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
        n, out = _h("sku", name, region), []
        for _ in range(16):
            n, r = divmod(n * 7919 + 13, len(alphabet))
            out.append(alphabet[r])
        return "".join(out)


_catalog = None


def catalog():
    global _catalog
    if _catalog is None:
        _catalog = Catalog()
    return _catalog
