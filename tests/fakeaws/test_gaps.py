"""Tags deletion, seeded spot instances, activity details (boto3 against the fake)."""
import re

from fakeaws_testutil import FakeTestCase

CRASH = {"seed": 3, "regions": {"us-east-1": {
    "launch_configurations": [{"name": "lc", "instance_type": "m5.large"}],
    "groups": [{"name": "g", "launch_configuration": "lc", "instances": 2, "min": 1, "max": 4,
                "desired": 2, "spot": [1],
                "tags": {"spotswap:max-raised-from": "3"}}],
    "instances": [
        {"instance_type": "m5.large", "spot": True,
         "tags": {"spotswap:launched-for-asg": "g", "spotswap:replaces": "i-0123"}},
        {"instance_type": "m5.large", "tags": {"spotswap:replaced-by": "i-0456"}}]}}}


class TagsTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.ec2 = self.client("ec2")
        self.asg = self.client("autoscaling")

    def test_ec2_delete_tags(self):
        iid = self.ec2.describe_instances()["Reservations"][0]["Instances"][0]["InstanceId"]
        self.ec2.create_tags(Resources=[iid], Tags=[{"Key": "a", "Value": "1"},
                                                    {"Key": "b", "Value": "2"},
                                                    {"Key": "c", "Value": ""}])
        self.ec2.delete_tags(Resources=[iid], Tags=[{"Key": "a", "Value": "other"},
                                                    {"Key": "b"}, {"Key": "zz"}])
        tags = {t["Key"]: t["Value"] for t in self.ec2.describe_tags(
            Filters=[{"Name": "resource-id", "Values": [iid]}])["Tags"]}
        self.assertEqual(tags.get("a"), "1")
        self.assertNotIn("b", tags)
        self.ec2.delete_tags(Resources=[iid], Tags=[{"Key": "a", "Value": "1"},
                                                    {"Key": "c", "Value": ""}])
        tags = {t["Key"] for t in self.ec2.describe_tags(
            Filters=[{"Name": "resource-id", "Values": [iid]}])["Tags"]}
        self.assertFalse({"a", "c"} & tags)
        self.assertIn("aws:autoscaling:groupName", tags)
        self.assertAwsError("InvalidInstanceID.NotFound", self.ec2.delete_tags,
                            Resources=["i-00000000000000000"], Tags=[{"Key": "a"}])

    def test_asg_delete_tags(self):
        self.asg.delete_tags(Tags=[{"ResourceId": "web", "ResourceType": "auto-scaling-group",
                                    "Key": "spot-enabled", "Value": "whatever"}])
        self.assertNotIn("spot-enabled", [t["Key"] for t in self.group("web")["Tags"]])
        self.assertAwsError("ValidationError", self.asg.delete_tags,
                            Tags=[{"ResourceId": "nope", "ResourceType": "auto-scaling-group",
                                   "Key": "k"}])

    def test_detach_activity_and_cause(self):
        g = self.group("web")
        iid = g["Instances"][0]["InstanceId"]
        acts = self.asg.detach_instances(AutoScalingGroupName="web", InstanceIds=[iid],
                                         ShouldDecrementDesiredCapacity=False)["Activities"]
        self.assertEqual((acts[0]["StatusCode"], acts[0]["Progress"]), ("InProgress", 50))
        self.assertRegex(acts[0]["Cause"], r"^At \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ")
        self.advance(5)
        acts = self.asg.describe_scaling_activities(AutoScalingGroupName="web")["Activities"]
        det = [a for a in acts if a["Description"] == f"Detaching EC2 instance: {iid}"][0]
        self.assertEqual(det["StatusCode"], "Successful")


class CrashStateTest(FakeTestCase):
    SCENARIO = None

    def setUp(self):
        from fakeawslib.server import FakeAws
        self.fake = FakeAws(CRASH).start()
        self.addCleanup(self.fake.stop)
        self.session = self.make_session()
        self.ec2 = self.client("ec2")

    def test_seeded_spot(self):
        insts = [i for r in self.ec2.describe_instances()["Reservations"] for i in r["Instances"]]
        spot = [i for i in insts if i.get("InstanceLifecycle") == "spot"]
        self.assertEqual(len(spot), 2)
        for i in spot:
            self.assertTrue(re.match(r"sir-[a-z0-9]{8}$", i["SpotInstanceRequestId"]))
        tags = [{t["Key"]: t["Value"] for t in i["Tags"]} for i in spot]
        self.assertIn("g", [t.get("spotswap:launched-for-asg") for t in tags])
        self.assertIn("g", [t.get("aws:autoscaling:groupName") for t in tags])
        od = [i for i in insts if "InstanceLifecycle" not in i]
        self.assertEqual(len(od), 2)
        self.assertEqual(self.group("g")["Tags"][0]["Key"], "spotswap:max-raised-from")


class LaunchAttributesTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.ec2 = self.client("ec2")
        self.sub = self.ec2.describe_subnets()["Subnets"][1]["SubnetId"]

    def _state(self, iid):
        import json
        import urllib.request
        with urllib.request.urlopen(self.fake.endpoint + "/_fake/state") as r:
            st = json.load(r)
        return st["accounts"]["111111111111"]["regions"]["us-east-1"]["instances"][iid]

    def test_full_run_instances(self):
        import base64
        ud = base64.b64encode(b"#!/bin/sh\necho hi\n").decode()
        r = self.ec2.run_instances(
            ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large", MinCount=1, MaxCount=1,
            UserData="#!/bin/sh\necho hi\n",  # boto3 base64-encodes it on the wire
            KeyName="ops", EbsOptimized=True, Monitoring={"Enabled": True},
            Placement={"Tenancy": "dedicated"}, DisableApiTermination=True,
            IamInstanceProfile={"Name": "app"},
            CreditSpecification={"CpuCredits": "standard"},
            MetadataOptions={"HttpTokens": "required", "HttpPutResponseHopLimit": 2,
                             "HttpEndpoint": "enabled", "InstanceMetadataTags": "enabled"},
            BlockDeviceMappings=[
                {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30, "VolumeType": "gp3",
                                                    "Iops": 4000, "Throughput": 250,
                                                    "Encrypted": True,
                                                    "DeleteOnTermination": False}},
                {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"},
                {"DeviceName": "/dev/sdc", "NoDevice": ""},
                {"DeviceName": "/dev/sdd", "Ebs": {"VolumeSize": 10, "SnapshotId": "snap-1"}}],
            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": self.sub,
                                "AssociatePublicIpAddress": True, "Groups": ["sg-1", "sg-2"],
                                "DeleteOnTermination": True}])
        inst = r["Instances"][0]
        iid = inst["InstanceId"]
        self.assertEqual(inst["SubnetId"], self.sub)
        self.assertTrue(inst["PublicIpAddress"])
        self.assertEqual([g["GroupId"] for g in inst["SecurityGroups"]], ["sg-1", "sg-2"])
        d = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(d["MetadataOptions"]["HttpTokens"], "required")
        self.assertEqual(d["MetadataOptions"]["HttpPutResponseHopLimit"], 2)
        self.assertEqual(d["MetadataOptions"]["InstanceMetadataTags"], "enabled")
        self.assertEqual(d["Monitoring"]["State"], "enabled")
        self.assertTrue(d["EbsOptimized"])
        self.assertEqual(d["Placement"]["Tenancy"], "dedicated")
        self.assertEqual(d["IamInstanceProfile"]["Arn"],
                         "arn:aws:iam::111111111111:instance-profile/app")
        self.assertEqual(d["KeyName"], "ops")
        self.assertEqual([b["DeviceName"] for b in d["BlockDeviceMappings"]],
                         ["/dev/xvda", "/dev/sdd"])
        self.assertFalse(d["BlockDeviceMappings"][0]["Ebs"]["DeleteOnTermination"])
        self.assertTrue(d["BlockDeviceMappings"][0]["Ebs"]["VolumeId"].startswith("vol-"))
        ga = self.ec2.describe_instance_attribute
        self.assertEqual(ga(InstanceId=iid, Attribute="userData")["UserData"]["Value"], ud)
        self.assertEqual(ga(InstanceId=iid, Attribute="instanceType")["InstanceType"]["Value"],
                         "m5.large")
        self.assertTrue(ga(InstanceId=iid, Attribute="disableApiTermination")[
            "DisableApiTermination"]["Value"])
        st = self._state(iid)
        L = st["launch"]
        self.assertEqual(L["user_data"], ud)
        self.assertEqual(L["subnet_id"], self.sub)
        self.assertTrue(L["associate_public_ip"])
        self.assertEqual(L["security_groups"], ["sg-1", "sg-2"])
        self.assertEqual(L["block_device_mappings"][0], {
            "device_name": "/dev/xvda", "ebs": {"volume_size": 30, "volume_type": "gp3",
                                                "iops": 4000, "throughput": 250,
                                                "encrypted": True,
                                                "delete_on_termination": False}})
        self.assertEqual(L["block_device_mappings"][1], {"device_name": "/dev/sdb",
                                                         "virtual_name": "ephemeral0"})
        self.assertEqual(L["block_device_mappings"][2], {"device_name": "/dev/sdc",
                                                         "no_device": True})
        self.assertEqual(L["metadata_options"]["http_tokens"], "required")
        self.assertEqual((L["monitoring"], L["ebs_optimized"], L["tenancy"]),
                         (True, True, "dedicated"))
        self.assertEqual(L["credit_specification"], "standard")
        self.assertEqual(L["market"], {"type": "on-demand", "max_price": None})
        vols = st["volumes"]
        root = d["BlockDeviceMappings"][0]["Ebs"]["VolumeId"]
        self.assertEqual((vols[root]["size"], vols[root]["iops"]), (30, 4000))

    def test_network_interface_combinations(self):
        ni = [{"DeviceIndex": 0, "SubnetId": self.sub, "AssociatePublicIpAddress": True}]
        err = self.assertAwsError("InvalidParameterCombination", self.ec2.run_instances,
                                  ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large",
                                  MinCount=1, MaxCount=1, SubnetId=self.sub,
                                  NetworkInterfaces=ni)
        self.assertEqual(err["Error"]["Message"], "Network interfaces and an instance-level "
                         "subnet ID may not be specified on the same request")
        err = self.assertAwsError("InvalidParameterCombination", self.ec2.run_instances,
                                  ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large",
                                  MinCount=1, MaxCount=1, SecurityGroupIds=["sg-1"],
                                  NetworkInterfaces=ni)
        self.assertIn("security groups may not be specified", err["Error"]["Message"])


UD = "IyEvYmluL3NoCmVjaG8gaGkK"
BDM = [{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 30, "VolumeType": "gp3",
                                           "Encrypted": True, "DeleteOnTermination": True}}]
MO = {"HttpTokens": "required", "HttpPutResponseHopLimit": 2, "HttpEndpoint": "enabled"}
LAUNCH = {"seed": 5, "regions": {"us-east-1": {
    "launch_configurations": [{
        "name": "lc", "instance_type": "m5.large", "UserData": UD, "BlockDeviceMappings": BDM,
        "MetadataOptions": MO, "AssociatePublicIpAddress": True,
        "InstanceMonitoring": {"Enabled": True}, "PlacementTenancy": "default",
        "IamInstanceProfile": "app", "KeyName": "ops", "SecurityGroups": ["sg-1"],
        "EbsOptimized": True}],
    "launch_templates": [{"name": "lt", "versions": [{
        "InstanceType": "c5d.xlarge", "UserData": UD, "BlockDeviceMappings": BDM + [
            {"DeviceName": "/dev/sdb", "VirtualName": "ephemeral0"}],
        "MetadataOptions": MO, "IamInstanceProfile": {"Name": "app"}, "KeyName": "ops",
        "NetworkInterfaces": [{"DeviceIndex": 0, "AssociatePublicIpAddress": False,
                               "Groups": ["sg-2"], "DeleteOnTermination": True}],
        "TagSpecifications": [{"ResourceType": "instance",
                               "Tags": [{"Key": "team", "Value": "batch"}]}]}]}],
    "groups": [
        {"name": "lcg", "launch_configuration": "lc", "instances": 1},
        {"name": "ltg", "launch_template": "lt", "instances": 1},
        {"name": "mix", "launch_template": "lt", "instances": 4,
         "mixed_instances": [{"InstanceType": "c5d.xlarge", "WeightedCapacity": 2},
                             "c5d.2xlarge"],
         "instances_distribution": {"OnDemandBaseCapacity": 1,
                                    "OnDemandPercentageAboveBaseCapacity": 50,
                                    "SpotMaxPrice": "0.5"}}]}}}


class GroupLaunchTest(FakeTestCase):
    def setUp(self):
        from fakeawslib.server import FakeAws
        self.fake = FakeAws(LAUNCH).start()
        self.addCleanup(self.fake.stop)
        self.session = self.make_session()
        self.ec2 = self.client("ec2")

    def _launch(self, iid):
        import json
        import urllib.request
        with urllib.request.urlopen(self.fake.endpoint + "/_fake/state") as r:
            st = json.load(r)
        return st["accounts"]["111111111111"]["regions"]["us-east-1"]["instances"][iid]["launch"]

    @staticmethod
    def _cmp(launch):
        return {k: v for k, v in launch.items() if k not in ("tags", "subnet_id")}

    def test_launch_configuration_group_matches_client(self):
        g = self.group("lcg")["Instances"][0]["InstanceId"]
        sub = self.ec2.describe_subnets()["Subnets"][0]["SubnetId"]
        import base64
        c = self.ec2.run_instances(
            ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large", MinCount=1, MaxCount=1,
            UserData=base64.b64decode(UD).decode(), BlockDeviceMappings=BDM, MetadataOptions=MO,
            Monitoring={"Enabled": True}, Placement={"Tenancy": "default"},
            IamInstanceProfile={"Name": "app"}, KeyName="ops", EbsOptimized=True,
            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": sub, "Groups": ["sg-1"],
                                "AssociatePublicIpAddress": True,
                                "DeleteOnTermination": True}])["Instances"][0]["InstanceId"]
        self.assertEqual(self._cmp(self._launch(g)), self._cmp(self._launch(c)))
        d = self.ec2.describe_instances(InstanceIds=[g])["Reservations"][0]["Instances"][0]
        self.assertTrue(d["PublicIpAddress"])
        self.assertEqual(d["MetadataOptions"]["HttpTokens"], "required")
        self.assertEqual(d["Monitoring"]["State"], "enabled")

    def test_template_group_matches_client(self):
        g = self.group("ltg")["Instances"][0]["InstanceId"]
        sub = self.ec2.describe_subnets()["Subnets"][2]["SubnetId"]
        c = self.ec2.run_instances(
            LaunchTemplate={"LaunchTemplateName": "lt"}, MinCount=1, MaxCount=1,
            NetworkInterfaces=[{"DeviceIndex": 0, "SubnetId": sub}])["Instances"][0]
        self.assertEqual(c["SubnetId"], sub)
        self.assertNotIn("PublicIpAddress", c)
        self.assertEqual([x["GroupId"] for x in c["SecurityGroups"]], ["sg-2"])
        self.assertEqual(self._cmp(self._launch(g)), self._cmp(self._launch(c["InstanceId"])))
        self.assertIn({"Key": "team", "Value": "batch"}, self._launch(g)["tags"])

    def test_mixed_distribution_and_weights(self):
        members = self.group("mix")["Instances"]
        self.assertEqual(len(members), 4)
        self.assertEqual({m.get("WeightedCapacity") for m in members}, {"2"})
        ids = [m["InstanceId"] for m in members]
        insts = [i for r in self.ec2.describe_instances(InstanceIds=ids)["Reservations"]
                 for i in r["Instances"]]
        spot = [i for i in insts if i.get("InstanceLifecycle") == "spot"]
        # base 1 on-demand, then 50 % of the 3 above base on-demand (rounded up): 3 od, 1 spot
        self.assertEqual(len(spot), 1)
        self.assertEqual(self._launch(spot[0]["InstanceId"])["market"],
                         {"type": "spot", "max_price": "0.5"})


class InterruptionAndEventsTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.ec2 = self.client("ec2")

    def _admin(self, method, route, body=None):
        import json
        import urllib.request
        req = urllib.request.Request(self.fake.endpoint + "/_fake/" + route, method=method,
                                     data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(req) as r:
            return json.load(r)

    def test_two_step_interruption(self):
        web = self.group("web")
        iid = web["Instances"][0]["InstanceId"]
        ans = self._admin("POST", "interrupt", {"instance_id": iid, "warning_seconds": 120})
        ev = ans["event"]
        self.assertEqual(set(ev), {"version", "id", "detail-type", "source", "account", "time",
                                   "region", "resources", "detail"})
        self.assertEqual((ev["version"], ev["source"], ev["detail-type"], ev["account"]),
                         ("0", "aws.ec2", "EC2 Spot Instance Interruption Warning",
                          "111111111111"))
        self.assertEqual(ev["detail"], {"instance-id": iid, "instance-action": "terminate"})
        self.assertRegex(ev["resources"][0], r"^arn:aws:ec2:us-east-1[a-z]:instance/" + iid)
        self.assertRegex(ev["time"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(self._admin("GET", "events")["events"], [ev])
        st = self._admin("GET", "state")["accounts"]["111111111111"]["regions"]["us-east-1"]
        self.assertEqual(st["instances"][iid]["interruption"]["action"], "terminate")
        self.advance(60)
        d = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(d["State"]["Name"], "running")
        self.advance(61)
        d = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertIn(d["State"]["Name"], ("shutting-down", "terminated"))
        self.assertEqual(d["StateReason"]["Code"], "Server.SpotInstanceTermination")
        members = {m["InstanceId"] for m in self.group("web")["Instances"]}
        self.assertNotIn(iid, members)
        self.assertEqual(len(members), web["DesiredCapacity"])

    def test_scheduled_events_and_filters(self):
        iid = self.group("web")["Instances"][0]["InstanceId"]
        ev = self._admin("POST", "schedule-event", {"instance_id": iid, "code": "instance-stop",
                                                    "in_seconds": 3600})["event"]
        r = self.ec2.describe_instance_status(
            Filters=[{"Name": "event.code", "Values": ["instance-stop"]}])["InstanceStatuses"]
        self.assertEqual([s["InstanceId"] for s in r], [iid])
        self.assertEqual(r[0]["Events"][0]["Code"], "instance-stop")
        self.assertEqual(r[0]["Events"][0]["InstanceEventId"], ev["InstanceEventId"])
        self.assertTrue(r[0]["Events"][0]["NotBefore"])
        ok = self.ec2.describe_instance_status(
            Filters=[{"Name": "instance-status.status", "Values": ["ok"]},
                     {"Name": "system-status.status", "Values": ["ok"]}])["InstanceStatuses"]
        self.assertIn(iid, [s["InstanceId"] for s in ok])
        self.assertAwsError("InvalidParameterValue", self.ec2.describe_instance_status,
                            Filters=[{"Name": "bogus", "Values": ["x"]}])


class DemoScenarioTest(FakeTestCase):
    SCENARIO = "demo"

    def test_demo_launch_attributes(self):
        ec2 = self.client("ec2")
        web = self.group("web")["Instances"][0]["InstanceId"]
        batch = self.group("batch")["Instances"][0]["InstanceId"]
        d = {i["InstanceId"]: i for r in ec2.describe_instances(InstanceIds=[web, batch])[
            "Reservations"] for i in r["Instances"]}
        self.assertTrue(d[web]["PublicIpAddress"])
        self.assertEqual(d[web]["MetadataOptions"]["HttpTokens"], "required")
        self.assertEqual(d[web]["IamInstanceProfile"]["Arn"],
                         "arn:aws:iam::111111111111:instance-profile/web-app")
        self.assertEqual(d[web]["KeyName"], "ops")
        self.assertNotIn("PublicIpAddress", d[batch])
        self.assertEqual(len(d[batch]["BlockDeviceMappings"]), 1)  # instance store not listed
        ud = ec2.describe_instance_attribute(InstanceId=batch, Attribute="userData")
        self.assertTrue(ud["UserData"]["Value"])


class SpotPriceAndRepeatTerminateTest(FakeTestCase):
    def test_spot_price_launch_configuration(self):
        from fakeawslib.server import FakeAws
        fake = FakeAws({"regions": {"us-east-1": {
            "launch_configurations": [{"name": "s", "instance_type": "m5.large",
                                       "SpotPrice": "0.09"}],
            "groups": [{"name": "sg", "launch_configuration": "s", "instances": 0,
                        "min": 0, "max": 2, "desired": 1}]}}}).start()
        self.addCleanup(fake.stop)
        a = self.session.client("autoscaling", endpoint_url=fake.endpoint)
        e = self.session.client("ec2", endpoint_url=fake.endpoint)
        self.addCleanup(a.close)
        self.addCleanup(e.close)
        iid = a.describe_auto_scaling_groups()["AutoScalingGroups"][0]["Instances"][0][
            "InstanceId"]
        inst = e.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(inst["InstanceLifecycle"], "spot")
        self.assertEqual(fake.world.region("111111111111", "us-east-1").instances[iid][
            "_launch"]["market"], {"type": "spot", "max_price": "0.09"})

    def test_terminate_member_twice(self):
        asg = self.client("autoscaling")
        iid = self.group("batch")["Instances"][0]["InstanceId"]  # batch has a drain hook
        first = asg.terminate_instance_in_auto_scaling_group(
            InstanceId=iid, ShouldDecrementDesiredCapacity=False)["Activity"]
        desired = self.group("batch")["DesiredCapacity"]
        again = asg.terminate_instance_in_auto_scaling_group(
            InstanceId=iid, ShouldDecrementDesiredCapacity=True)["Activity"]
        self.assertEqual(first["ActivityId"], again["ActivityId"])
        self.assertEqual(self.group("batch")["DesiredCapacity"], desired)


class AccountKeysTest(FakeTestCase):
    """Accounts without keys of their own each get distinct default keys (the second account's
    once collided with the first's, so the first account's key acted in the second)."""
    SCENARIO = None

    def setUp(self):
        from fakeawslib.server import FakeAws
        self.fake = FakeAws({"accounts": [{"id": "111111111111"}, {"id": "222222222222"},
                                          {"id": "333333333333"}]}).start()
        self.addCleanup(self.fake.stop)
        self.session = self.make_session()

    def test_each_account_its_own_default_key(self):
        keys = [("AKIDSPOTSWAPFAKE00001", "fake/secret/key/for/tests/only+0000000000"),
                ("AKIDSPOTSWAPFAKE00002", "fake/secret/key/for/tests/only+0000000001"),
                ("AKIDSPOTSWAPFAKE00003", "fake/secret/key/for/tests/only+0000000002")]
        for n, (key, secret) in enumerate(keys):
            sts = self.client("sts", session=self.make_session(key=key, secret=secret))
            self.assertEqual(sts.get_caller_identity()["Account"], str(111111111111 * (n + 1)))

    def test_duplicate_key_refused(self):
        from fakeawslib import scenario as sc
        doc = {"accounts": [{"id": "111111111111"},
                            {"id": "222222222222", "access_key": "AKIDSPOTSWAPFAKE00001"}]}
        with self.assertRaisesRegex(ValueError, "AKIDSPOTSWAPFAKE00001 is already used"):
            sc.build(doc)
