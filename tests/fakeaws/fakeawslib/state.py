"""The fake's world: accounts, regions, resources and virtual time.

Everything is plain dicts so the admin API can dump it as JSON unchanged.
Public fields use the botocore member names, internal bookkeeping starts
with an underscore and is stripped before a resource goes on the wire.
"""
import random
import threading
import time

from . import launch
from .catalog import catalog

DEFAULT_ACCOUNT = "111111111111"
DEFAULT_ACCESS_KEY = "AKIDSPOTSWAPFAKE00001"
DEFAULT_SECRET_KEY = "fake/secret/key/for/tests/only+0000000000"

DEFAULT_TIMING = {
    "pending_seconds": 20,         # EC2 pending -> running
    "shutting_down_seconds": 10,   # EC2 shutting-down -> terminated
    "status_init_seconds": 60,     # status checks initializing -> ok after running
    "attach_seconds": 5,           # ASG Pending -> InService after AttachInstances
    "terminated_visible_seconds": 3600,  # how long terminated instances stay listed
}

STATE_CODES = {"pending": 0, "running": 16, "shutting-down": 32, "terminated": 48,
               "stopping": 64, "stopped": 80}

ACTIVE_ASG_STATES = ("Pending", "Pending:Wait", "Pending:Proceed", "InService")


def public(obj):
    """A deep copy without the underscore-prefixed bookkeeping."""
    if isinstance(obj, dict):
        return {k: public(v) for k, v in obj.items() if not k.startswith("_")}
    if isinstance(obj, list):
        return [public(v) for v in obj]
    return obj


class Region:
    def __init__(self, name):
        self.name = name
        self.azs = []            # [{"ZoneName","ZoneId"}]
        self.vpc_id = None
        self.subnets = {}
        self.images = {}
        self.launch_configs = {}
        self.launch_templates = {}
        self.groups = {}
        self.instances = {}
        self.spot_prices = {}    # type -> az -> [(epoch, price)] overrides
        self.spot_capacity = {}  # type -> az -> max concurrent spot instances
        self.unavailable = {}    # type -> [az] where the type is not offered
        self._quiet = None       # (world epoch, until): reconcile found nothing to do (World.reconcile)
        self.client_tokens = {}  # RunInstances ClientToken -> (reservation, [ids])

    def az_names(self):
        return [a["ZoneName"] for a in self.azs]


class Account:
    def __init__(self, account_id, user="spotswap"):
        self.id = account_id
        self.user = user
        self.roles = {}
        self.regions = {}

    def arn(self):
        return f"arn:aws:iam::{self.id}:user/{self.user}"


class World:
    def __init__(self, seed=1, timing=None):
        self.lock = threading.RLock()
        self.rng = random.Random(seed)
        self.req_rng = random.Random(seed + 1)
        self.timing = dict(DEFAULT_TIMING, **(timing or {}))
        self.start_real = time.time()
        self.offset = 0.0
        self.accounts = {}
        self.credentials = {}   # access key -> {secret, account, token, expires, arn}
        self.faults = []
        self.calls = []
        self.events = []        # EventBridge events the world has emitted (admin /_fake/events)
        self.seq = 0
        self.epoch = 0          # bumped by every mutation from outside reconcile (mutated())
        self.catalog = catalog()

    # ---------------------------------------------------------------- time
    def now(self):
        return time.time() + self.offset

    def advance(self, seconds):
        """Jump forward, stopping at every scheduled event on the way so that
        chained transitions (hook timeout, then shutting-down, then
        terminated) happen at the virtual times they would have."""
        with self.lock:
            self.epoch += 1
            target = self.now() + float(seconds)
            for _ in range(10000):
                nxt = self._next_event()
                if nxt is None or nxt > target:
                    break
                self.offset += max(nxt - self.now(), 0)
                self.reconcile_all()
            self.offset += max(target - self.now(), 0)
            self.reconcile_all()

    def _next_event(self):
        now, best = self.now(), None
        for acct in self.accounts.values():
            for region in acct.regions.values():
                times = []
                for inst in region.instances.values():
                    st = inst["State"]["Name"]
                    if st == "pending":
                        times.append(inst["_running_at"])
                    elif st == "shutting-down":
                        times.append(inst["_terminated_at"])
                    if st in ("pending", "running") and inst.get("_interruption"):
                        times.append(inst["_interruption"]["_at"])
                for g in region.groups.values():
                    for m in g["_members"].values():
                        times += [m[k] for k in ("_hook_deadline", "_inservice_at") if k in m]
                    times += [a["_settle_at"] for a in g.get("_activities", []) if "_settle_at" in a]
                for t in times:
                    if t > now and (best is None or t < best):
                        best = t
        return best

    # ------------------------------------------------------------------ ids
    def hexid(self, prefix, n=17):
        return f"{prefix}-{self.rng.getrandbits(4 * n):0{n}x}"

    def alnum(self, n, alphabet="abcdefghijklmnopqrstuvwxyz0123456789"):
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def request_id(self):
        b = self.req_rng.getrandbits(128).to_bytes(16, "big").hex()
        return f"{b[:8]}-{b[8:12]}-{b[12:16]}-{b[16:20]}-{b[20:]}"

    # ------------------------------------------------------------ accounts
    def add_account(self, account_id, access_key, secret, user="spotswap"):
        # A key naming two accounts would silently act in the wrong one.
        if access_key in self.credentials:
            raise ValueError(f"access key {access_key} is already used")
        acct = self.accounts.get(account_id) or Account(account_id, user)
        self.accounts[account_id] = acct
        self.credentials[access_key] = {"secret": secret, "account": account_id,
                                        "token": None, "expires": None, "arn": acct.arn(),
                                        "user_id": "AIDA" + account_id + "FAKEUSER"}
        return acct

    def region(self, account_id, name, create=False):
        acct = self.accounts[account_id]
        r = acct.regions.get(name)
        if r is None and create:
            r = acct.regions[name] = Region(name)
        return r

    # -------------------------------------------------------------- faults
    def take_fault(self, service, action):
        with self.lock:
            for f in self.faults:
                if f["remaining"] > 0 and f["action"] in (action, "*") and \
                        f.get("service") in (None, service):
                    if f.get("skip", 0) > 0:  # let this matching call through untouched
                        f["skip"] -= 1
                        continue
                    f["remaining"] -= 1
                    return dict(f)
        return None

    def log_call(self, entry):
        with self.lock:
            self.seq += 1
            entry["seq"] = self.seq
            self.calls.append(entry)

    # ----------------------------------------------------------- instances
    def spot_price(self, region, itype, az, at=None):
        hist = region.spot_prices.get(itype, {}).get(az)
        if hist:
            at = self.now() if at is None else at
            past = [p for t, p in hist if t <= at]
            if past:
                return past[-1]
        return self.catalog.default_spot_price(itype, region.name, az)

    def spot_in_use(self, region, itype, az):
        return sum(1 for i in region.instances.values()
                   if i.get("InstanceLifecycle") == "spot" and i["InstanceType"] == itype
                   and i["Placement"]["AvailabilityZone"] == az
                   and i["State"]["Name"] in ("pending", "running"))

    def create_instance(self, region, account_id, spec, reservation_id, index):
        """spec: resolved launch parameters (type, image, subnet, tags, spot...)."""
        now = self.now()
        cat = self.catalog.get(spec["InstanceType"]) or {}
        image = region.images.get(spec["ImageId"], {})
        subnet = region.subnets[spec["SubnetId"]]
        iid = self.hexid("i")
        octets = self.rng.randrange(1, 254), self.rng.randrange(1, 254)
        base = subnet["CidrBlock"].split(".")[:2]
        ip = f"{base[0]}.{base[1]}.{octets[0]}.{octets[1]}"
        inst = {
            "InstanceId": iid,
            "ImageId": spec["ImageId"],
            "InstanceType": spec["InstanceType"],
            "AmiLaunchIndex": index,
            "State": {"Code": 0, "Name": "pending"},
            "LaunchTime": now,
            "Placement": {"AvailabilityZone": subnet["AvailabilityZone"], "Tenancy": "default",
                          "GroupName": ""},
            "SubnetId": subnet["SubnetId"],
            "VpcId": subnet["VpcId"],
            "PrivateIpAddress": ip,
            "PrivateDnsName": f"ip-{ip.replace('.', '-')}.ec2.internal",
            "PublicDnsName": "",
            "StateTransitionReason": "",
            "Architecture": image.get("Architecture", (cat.get("arch") or ["x86_64"])[0]),
            "RootDeviceType": image.get("RootDeviceType", "ebs"),
            "RootDeviceName": image.get("RootDeviceName", "/dev/xvda"),
            "BlockDeviceMappings": [{"DeviceName": image.get("RootDeviceName", "/dev/xvda"),
                                     "Ebs": {"AttachTime": now, "DeleteOnTermination": True,
                                             "Status": "attached",
                                             "VolumeId": self.hexid("vol")}}],
            "EbsOptimized": cat.get("ebs_optimized") == "default",
            "EnaSupport": cat.get("ena") in ("required", "supported"),
            "Hypervisor": "xen",
            "VirtualizationType": image.get("VirtualizationType", "hvm"),
            "Monitoring": {"State": "disabled"},
            "SecurityGroups": [{"GroupId": g, "GroupName": g} for g in spec.get("SecurityGroupIds", [])],
            "SourceDestCheck": True,
            "PlatformDetails": image.get("PlatformDetails", "Linux/UNIX"),
            "UsageOperation": "RunInstances",
            "Tags": [dict(t) for t in spec.get("Tags", [])],
            "ClientToken": "",
            "_account": account_id,
            "_running_at": now + self.timing["pending_seconds"],
            "_reservation": reservation_id,
            "_requester": spec.get("_requester"),
        }
        req = dict(spec.get("_request") or {}, ImageId=spec["ImageId"],
                   InstanceType=spec["InstanceType"])
        if spec.get("KeyName") and not req.get("KeyName"):
            req["KeyName"] = spec["KeyName"]
        if spec.get("IamInstanceProfile") and not req.get("IamInstanceProfile"):
            prof = spec["IamInstanceProfile"]
            req["IamInstanceProfile"] = prof if isinstance(prof, dict) else (
                {"Arn": prof} if prof.startswith("arn:") else {"Name": prof})
        if not launch.groups_of(req) and spec.get("SecurityGroupIds"):
            req["SecurityGroupIds"] = list(spec["SecurityGroupIds"])
        self._apply_launch(inst, req, image, cat, account_id, now)
        if spec.get("LaunchTemplate"):
            lt = spec["LaunchTemplate"]
            inst["Tags"] += [{"Key": "aws:ec2launchtemplate:id", "Value": lt["LaunchTemplateId"]},
                             {"Key": "aws:ec2launchtemplate:version", "Value": str(lt["Version"])}]
        if spec.get("Spot") is not None:
            inst["InstanceLifecycle"] = "spot"
            inst["SpotInstanceRequestId"] = "sir-" + self.alnum(8)
            inst["_max_price"] = spec["Spot"].get("MaxPrice")
            inst["_launch"]["market"] = {"type": "spot",
                                         "max_price": spec["Spot"].get("MaxPrice")}
        if self.timing["pending_seconds"] <= 0:
            inst["State"] = {"Code": 16, "Name": "running"}
        region.instances[iid] = inst
        return inst

    def _apply_launch(self, inst, req, image, cat, account_id, now):
        """Every launch attribute on the instance, where DescribeInstances reports it."""
        if req.get("KeyName"):
            inst["KeyName"] = req["KeyName"]
        groups = launch.groups_of(req)
        inst["SecurityGroups"] = [{"GroupId": g, "GroupName": g} for g in groups]
        arn = launch.profile_arn(req.get("IamInstanceProfile"), account_id)
        if arn:
            inst["IamInstanceProfile"] = {"Arn": arn,
                                          "Id": self.hexid("AIPA", 17)[5:].upper()}
        bdms, vols = launch.block_devices(self, image, req, now)
        inst["BlockDeviceMappings"] = bdms
        inst["_volumes"] = vols
        if req.get("EbsOptimized") is not None:
            inst["EbsOptimized"] = bool(launch._bool(req["EbsOptimized"]))
        mon = launch._bool((req.get("Monitoring") or {}).get("Enabled"))
        inst["Monitoring"] = {"State": "enabled" if mon else "disabled"}
        inst["MetadataOptions"] = launch.metadata_response(req.get("MetadataOptions"))
        inst["Placement"]["Tenancy"] = (req.get("Placement") or {}).get("Tenancy") or "default"
        ni = launch.primary_interface(req)
        if ni is not None and launch._bool(ni.get("AssociatePublicIpAddress")):
            a, b = self.rng.randrange(1, 254), self.rng.randrange(1, 254)
            pub = f"54.{self.rng.randrange(1, 254)}.{a}.{b}"
            inst["PublicIpAddress"] = pub
            inst["PublicDnsName"] = f"ec2-{pub.replace('.', '-')}.compute-1.amazonaws.com"
        inst["_user_data"] = req.get("UserData")
        inst["_disable_api_termination"] = bool(launch._bool(req.get("DisableApiTermination")))
        inst["_shutdown_behavior"] = req.get("InstanceInitiatedShutdownBehavior") or "stop"
        inst["_launch"] = launch.normalize(req, account_id, inst["SubnetId"], inst["Tags"])

    def terminate_instance(self, inst, reason="User initiated", code="Client.UserInitiatedShutdown"):
        if inst["State"]["Name"] in ("shutting-down", "terminated"):
            return
        now = self.now()
        inst["State"] = {"Code": 32, "Name": "shutting-down"}
        stamp = time.strftime("%Y-%m-%d %H:%M:%S GMT", time.gmtime(now))
        inst["StateTransitionReason"] = f"{reason} ({stamp})"
        inst["StateReason"] = {"Code": code, "Message": f"{code}: {reason}"}
        inst["_terminated_at"] = now + self.timing["shutting_down_seconds"]
        if self.timing["shutting_down_seconds"] <= 0:
            self._finish_termination(inst)

    def spot_terminate(self, inst):
        """The end of a Spot interruption: EC2 reclaims the instance."""
        self.terminate_instance(inst, "Spot instance termination",
                                "Server.SpotInstanceTermination")
        inst["StateReason"]["Message"] = ("Server.SpotInstanceTermination: Spot "
                                          "instance termination")

    def _finish_termination(self, inst):
        inst["State"] = {"Code": 48, "Name": "terminated"}
        inst["_gone_at"] = self.now() + self.timing["terminated_visible_seconds"]
        inst.pop("PrivateIpAddress", None)

    def instance_status_ok(self, inst):
        ran = inst.get("_running_at", inst["LaunchTime"])
        return self.now() >= ran + self.timing["status_init_seconds"]

    # ------------------------------------------------------------ reconcile
    def reconcile_all(self):
        with self.lock:
            for acct in self.accounts.values():
                for region in acct.regions.values():
                    self.reconcile(region)

    def reconcile(self, region):
        """Carries out every transition due in the region. A region where the last round changed
        nothing stays quiet, and is not walked again, until the world is mutated (`epoch`) or
        the region's next scheduled transition is due: every call reconciles its region twice,
        and walking thousands of instances each time made the fake slower than AWS at scale."""
        from . import asg_engine
        with self.lock:
            now = self.now()
            quiet = region._quiet
            if quiet is not None and quiet[0] == self.epoch and now < quiet[1]:
                return
            changed = False
            for iid, inst in list(region.instances.items()):
                st = inst["State"]["Name"]
                if st == "pending" and now >= inst["_running_at"]:
                    inst["State"] = {"Code": 16, "Name": "running"}
                    changed = True
                elif st == "shutting-down" and now >= inst["_terminated_at"]:
                    self._finish_termination(inst)
                    changed = True
                elif st == "terminated" and now >= inst.get("_gone_at", now + 1):
                    del region.instances[iid]
                    changed = True
                if st in ("pending", "running") and inst.get("_interruption") and \
                        now >= inst["_interruption"]["_at"]:
                    self.spot_terminate(inst)
                    changed = True
            changed = asg_engine.reconcile_groups(self, region) or changed
            region._quiet = None if changed else (self.epoch, self._region_next_event(region))

    def _region_next_event(self, region):
        """The earliest time a transition is scheduled in the region (infinity: none)."""
        best = float("inf")
        for inst in region.instances.values():
            st = inst["State"]["Name"]
            if st == "pending":
                best = min(best, inst["_running_at"])
            elif st == "shutting-down":
                best = min(best, inst["_terminated_at"])
            elif st == "terminated" and "_gone_at" in inst:
                best = min(best, inst["_gone_at"])
            if st in ("pending", "running") and inst.get("_interruption"):
                best = min(best, inst["_interruption"]["_at"])
        for g in region.groups.values():
            for m in g["_members"].values():
                for k in ("_hook_deadline", "_inservice_at"):
                    if k in m:
                        best = min(best, m[k])
            for a in g.get("_activities", []):
                if "_settle_at" in a:
                    best = min(best, a["_settle_at"])
        return best

    def mutated(self):
        """Something may have changed outside reconcile: every region is walked again."""
        with self.lock:
            self.epoch += 1
