#!/usr/bin/python3
"""Turns compat/data/ec2-catalog.json into the C tables compiled into sps_compat.

The build runs this script (see compat/CMakeLists.txt) so the compiled catalog is always
regenerated from the JSON and never edited by hand. It validates its input and fails loudly: a
catalog that does not match schema "ec2-catalog/1" exits with status 1 and one line on stderr
naming the file, the entry and the field that is wrong.

Usage: gen_catalog.py INPUT.json OUTPUT.c

Python 3 standard library only.
"""

import json
import math
import os
import re
import sys

SCHEMA = "ec2-catalog/1"
MAX_REGIONS = 64  # offered_in is a uint64_t bitset over the region table

# Qualitative network words, as Mbps. AWS gives no figures for them; these keep their order
# (Very Low < Low < Low to Moderate < Moderate < High < the smallest "N Gigabit", 3.12) and
# are treated as "up to" values because none of them is a guaranteed rate. Keep in sync with
# s_network_words in compat/network.c and docs/compatibility.md.
NETWORK_WORDS = {
    "Very Low": 50,
    "Low": 100,
    "Low to Moderate": 300,
    "Moderate": 500,
    "High": 1000,
}
NETWORK_RE = re.compile(r"^(Up to )?(?:([1-9][0-9]*)x )?([0-9]+(?:\.[0-9]+)?) Gigabit$")

ARCH_BITS = {"i386": 1, "x86_64": 2, "arm64": 4, "x86_64_mac": 8, "arm64_mac": 16}
VIRT_BITS = {"hvm": 1, "paravirtual": 2}
SUPPORT = {"unsupported": "SPS_COMPAT_UNSUPPORTED", "supported": "SPS_COMPAT_SUPPORTED",
           "required": "SPS_COMPAT_REQUIRED"}
EBS_OPT = {"unsupported": "SPS_COMPAT_EBS_OPT_UNSUPPORTED",
           "supported": "SPS_COMPAT_EBS_OPT_SUPPORTED",
           "default": "SPS_COMPAT_EBS_OPT_DEFAULT"}
HYPERVISOR = {"": "SPS_COMPAT_HV_NONE", "nitro": "SPS_COMPAT_HV_NITRO",
              "xen": "SPS_COMPAT_HV_XEN"}
ROOT_DEVICES = {"ebs", "instance-store"}
NAME_RE = re.compile(r"^[a-z0-9-]+\.[a-z0-9-]+$")
REGION_RE = re.compile(r"^[a-z]{2}(-[a-z]+)+-[0-9]+$")
U32_MAX = 2**32 - 1


class CatalogError(Exception):
    pass


def parse_network(text):
    """Returns (mbps, up_to) for an AWS NetworkPerformance string; raises ValueError."""
    if text in NETWORK_WORDS:
        return NETWORK_WORDS[text], True
    m = NETWORK_RE.match(text)
    if not m:
        raise ValueError("unknown network performance %r" % text)
    cards = int(m.group(2)) if m.group(2) else 1
    mbps = int(round(float(m.group(3)) * 1000)) * cards
    if mbps <= 0 or mbps > U32_MAX:
        raise ValueError("network performance %r out of range" % text)
    return mbps, m.group(1) is not None


def c_string(s):
    out = ['"']
    for ch in s:
        if ch in '"\\':
            out.append("\\" + ch)
        elif 0x20 <= ord(ch) < 0x7F:
            out.append(ch)
        else:
            raise CatalogError("non-ASCII character in string %r" % s)
    out.append('"')
    return "".join(out)


class Validator:
    def __init__(self, where):
        self.where = where

    def fail(self, msg):
        raise CatalogError("%s: %s" % (self.where, msg))

    def get(self, obj, key, kind, optional=False):
        if key not in obj:
            if optional:
                return None
            self.fail("required field '%s' is missing" % key)
        value = obj[key]
        ok = {
            "str": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "list": isinstance(value, list),
            "dict": isinstance(value, dict),
        }[kind]
        if not ok:
            self.fail("field '%s' must be %s, got %s" % (key, kind, json.dumps(value)[:60]))
        return value

    def count(self, obj, key, minimum=0, optional=False):
        value = self.get(obj, key, "int", optional)
        if value is None:
            return 0
        if value < minimum or value > U32_MAX:
            self.fail("field '%s' = %d is out of range" % (key, value))
        return value

    def choice(self, obj, key, allowed):
        value = self.get(obj, key, "str")
        if value not in allowed:
            self.fail("field '%s' = %r is not one of %s" % (key, value, sorted(allowed)))
        return value

    def bits(self, obj, key, table):
        values = self.get(obj, key, "list")
        if not values:
            self.fail("field '%s' is empty" % key)
        mask = 0
        for v in values:
            if v not in table:
                self.fail("field '%s' has unknown value %r" % (key, v))
            mask |= table[v]
        return mask


def check_header(doc):
    v = Validator("header")
    if not isinstance(doc, dict):
        v.fail("top level must be a JSON object")
    schema = v.get(doc, "schema", "str")
    if schema != SCHEMA:
        v.fail("schema is %r, expected %r" % (schema, SCHEMA))
    price_regions = v.get(doc, "price_regions", "list")
    offer_regions = v.get(doc, "offer_regions", "list")
    for r in price_regions + offer_regions:
        if not isinstance(r, str) or not REGION_RE.match(r):
            v.fail("region %s is not a region name" % json.dumps(r))
    regions = sorted(set(price_regions) | set(offer_regions))
    if len(regions) > MAX_REGIONS:
        v.fail("%d regions; the region bitset holds %d" % (len(regions), MAX_REGIONS))
    count = v.count(doc, "count")
    types = v.get(doc, "instance_types", "list")
    if count != len(types):
        v.fail("count is %d but instance_types has %d entries" % (count, len(types)))
    if not types:
        v.fail("instance_types is empty")
    return regions, set(price_regions), set(offer_regions), types


def check_store(v, entry):
    store = entry.get("instance_store", "missing")
    if store == "missing":
        v.fail("required field 'instance_store' is missing")
    if store is None:
        return None
    if not isinstance(store, dict):
        v.fail("field 'instance_store' must be an object or null")
    sv = Validator(v.where + ".instance_store")
    count = sv.count(store, "count", 1)
    size = sv.count(store, "size_gb", 1)
    total = sv.count(store, "total_gb", 1)
    if total < size:
        sv.fail("total_gb %d is less than size_gb %d" % (total, size))
    kind = sv.choice(store, "type", {"ssd", "hdd"})
    nvme = sv.get(store, "nvme", "bool")
    return {"count": count, "size": size, "total": total, "ssd": kind == "ssd", "nvme": nvme}


def check_gpu(v, entry, gpus):
    """GPU memory is what marks a GPU type: fractional-GPU types (g6f) report 0 whole GPUs."""
    memory = v.count(entry, "gpu_memory_mib")
    model = v.get(entry, "gpu_model", "str", optional=True)
    if gpus == 0 and memory == 0:
        if model:
            v.fail("gpu_model %r set but the type has no GPU" % model)
        return "", "", 0
    if memory == 0:
        v.fail("gpus is %d but gpu_memory_mib is 0" % gpus)
    if not model:
        v.fail("the type has GPU memory but no gpu_model")
    if not all(0x20 <= ord(ch) < 0x7F for ch in model):
        v.fail("gpu_model %r has a character outside printable ASCII" % model)
    if " " not in model.strip():
        v.fail("gpu_model %r does not name manufacturer and model" % model)
    manufacturer, name = model.strip().split(" ", 1)
    return manufacturer, name, memory


def check_entry(i, entry, regions, price_regions, offer_regions):
    name = entry.get("name") if isinstance(entry, dict) else None
    v = Validator("instance_types[%d]%s" % (i, " (%s)" % name if isinstance(name, str) else ""))
    if not isinstance(entry, dict):
        v.fail("entry must be a JSON object")
    name = v.get(entry, "name", "str")
    if not NAME_RE.match(name):
        v.fail("name %r is not an instance type name" % name)
    family = v.get(entry, "family", "str")
    if family != name.split(".", 1)[0]:
        v.fail("family %r does not match the name" % family)
    out = {"name": name, "family": family}
    out["vcpu"] = v.count(entry, "vcpu", 1)
    out["memory"] = v.count(entry, "memory_mib", 1)
    out["gpus"] = v.count(entry, "gpus")
    out["gpu_manufacturer"], out["gpu_model"], out["gpu_memory"] = check_gpu(v, entry, out["gpus"])
    for key in ("fpgas", "neuron_devices", "inference_accelerators"):
        out[key] = v.count(entry, key, optional=True)
    out["store"] = check_store(v, entry)
    out["virt"] = v.bits(entry, "virtualization", VIRT_BITS)
    out["arch"] = v.bits(entry, "arch", ARCH_BITS)
    out["ebs_optimized"] = EBS_OPT[v.choice(entry, "ebs_optimized", set(EBS_OPT))]
    out["ebs_nvme"] = SUPPORT[v.choice(entry, "ebs_nvme", set(SUPPORT))]
    out["ena"] = SUPPORT[v.choice(entry, "ena", set(SUPPORT))]
    network = v.get(entry, "network", "str")
    try:
        out["network_mbps"], out["network_up_to"] = parse_network(network)
    except ValueError as e:
        v.fail("field 'network': %s" % e)
    out["network"] = network
    for key in ("current_generation", "burstable", "bare_metal", "spot"):
        out[key] = v.get(entry, key, "bool")
    out["hypervisor"] = HYPERVISOR[v.choice(entry, "hypervisor", set(HYPERVISOR))]
    for dev in v.get(entry, "root_device", "list"):
        if dev not in ROOT_DEVICES:
            v.fail("field 'root_device' has unknown value %r" % dev)
    out["prices"] = []
    for region, usd in sorted(v.get(entry, "price", "dict").items()):
        if region not in price_regions:
            v.fail("price for %r, which is not in price_regions" % region)
        if isinstance(usd, bool) or not isinstance(usd, (int, float)) or not math.isfinite(usd) \
                or usd <= 0:
            v.fail("price for %s must be a positive number, got %s" % (region, json.dumps(usd)))
        out["prices"].append((regions.index(region), float(usd)))
    mask = 0
    for region in v.get(entry, "offered_in", "list"):
        if region not in offer_regions:
            v.fail("offered_in has %r, which is not in offer_regions" % region)
        mask |= 1 << regions.index(region)
    out["offered"] = mask
    return out


def load(path):
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise CatalogError("cannot read: %s" % e.strerror)
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as e:
        raise CatalogError("not valid JSON: %s" % e)
    regions, price_regions, offer_regions, entries = check_header(doc)
    types = [check_entry(i, e, regions, price_regions, offer_regions)
             for i, e in enumerate(entries)]
    for prev, cur in zip(types, types[1:]):
        # strcmp order on ASCII names is Python's str order.
        if prev["name"] >= cur["name"]:
            raise CatalogError("instance_types: %r comes after %r; entries must be sorted by "
                               "name and unique" % (cur["name"], prev["name"]))
    return regions, types


class Strings:
    """Interns strings: each distinct string becomes one static array."""

    def __init__(self):
        self.ids = {}

    def ref(self, s):
        if s not in self.ids:
            self.ids[s] = "s_str%d" % len(self.ids)
        return self.ids[s]

    def emit(self):
        return ["static const char %s[] = %s;" % (ident, c_string(s))
                for s, ident in self.ids.items()]


def c_bool(b):
    return "true" if b else "false"


def emit_type(t, strings, price_at):
    store = t["store"] or {"count": 0, "size": 0, "total": 0, "ssd": False, "nvme": False}
    prices = "s_prices + %d" % price_at if t["prices"] else "NULL"
    fields = [
        ".name = %s" % strings.ref(t["name"]),
        ".family = %s" % strings.ref(t["family"]),
        ".vcpu = %d" % t["vcpu"],
        ".memory_mib = %d" % t["memory"],
        ".gpus = %d" % t["gpus"],
        ".gpu_memory_mib = %d" % t["gpu_memory"],
        ".gpu_manufacturer = %s" % strings.ref(t["gpu_manufacturer"]),
        ".gpu_model = %s" % strings.ref(t["gpu_model"]),
        ".fpgas = %d" % t["fpgas"],
        ".neuron_devices = %d" % t["neuron_devices"],
        ".inference_accelerators = %d" % t["inference_accelerators"],
        ".store = {%d, %d, %d, %s, %s}" % (store["count"], store["size"], store["total"],
                                           c_bool(store["ssd"]), c_bool(store["nvme"])),
        ".virtualization = %d" % t["virt"],
        ".arch = %d" % t["arch"],
        ".ebs_optimized = %s" % t["ebs_optimized"],
        ".ebs_nvme = %s" % t["ebs_nvme"],
        ".ena = %s" % t["ena"],
        ".network = {%d, %s, %s}" % (t["network_mbps"], c_bool(t["network_up_to"]),
                                     strings.ref(t["network"])),
        ".hypervisor = %s" % t["hypervisor"],
        ".burstable = %s" % c_bool(t["burstable"]),
        ".bare_metal = %s" % c_bool(t["bare_metal"]),
        ".current_generation = %s" % c_bool(t["current_generation"]),
        ".spot = %s" % c_bool(t["spot"]),
        ".offered_regions = UINT64_C(0x%x)" % t["offered"],
        ".prices = %s" % prices,
        ".price_count = %d" % len(t["prices"]),
    ]
    return "    {" + ", ".join(fields) + "},"


def render(source, regions, types):
    strings = Strings()
    prices, rows = [], []
    for t in types:
        rows.append(emit_type(t, strings, len(prices)))
        prices.extend(t["prices"])
    out = [
        "/* Generated by compat/tools/gen_catalog.py from %s. Do not edit: the build regenerates"
        % source.replace("*/", "*_/"),
        " * it from the JSON. The embedded EC2 instance type catalog, sorted by name. */",
        '#include "compat_catalog.h"',
        "",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "",
        "const char *const sps_compat_regions_[] = {",
    ]
    out += ["    %s," % c_string(r) for r in regions]
    out += ["};", "const size_t sps_compat_region_count_ = %d;" % len(regions), ""]
    body = ["const struct sps_compat_type sps_compat_embedded_[] = {"] + rows + ["};"]
    out += strings.emit()
    out.append("")
    if prices:
        out.append("static const struct sps_compat_price s_prices[] = {")
        out += ["    {%d, %r}," % p for p in prices]
        out += ["};", ""]
    out += body
    out.append("const size_t sps_compat_embedded_count_ = %d;" % len(types))
    return "\n".join(out) + "\n"


def main(argv):
    if len(argv) != 3:
        sys.stderr.write("usage: gen_catalog.py INPUT.json OUTPUT.c\n")
        return 2
    source, target = argv[1], argv[2]
    try:
        regions, types = load(source)
        text = render(source.rsplit("/", 1)[-1], regions, types)
    except CatalogError as e:
        sys.stderr.write("gen_catalog.py: %s: %s\n" % (source, e))
        return 1
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
