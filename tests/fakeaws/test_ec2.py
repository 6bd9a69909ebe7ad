"""EC2 through boto3: every supported action, parsed back by botocore."""
import datetime

from fakeaws_testutil import FakeTestCase


def _ids(resp):
    return [i["InstanceId"] for r in resp["Reservations"] for i in r["Instances"]]


class Ec2DescribeTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.ec2 = self.client("ec2")

    def test_regions_and_zones(self):
        regions = [r["RegionName"] for r in self.ec2.describe_regions()["Regions"]]
        self.assertEqual(regions, ["eu-west-1", "us-east-1"])
        zones = self.ec2.describe_availability_zones()["AvailabilityZones"]
        self.assertEqual([z["ZoneName"] for z in zones], ["us-east-1a", "us-east-1b", "us-east-1c"])
        self.assertEqual(zones[0]["ZoneId"], "use1-az1")
        self.assertEqual(zones[0]["State"], "available")
        one = self.ec2.describe_availability_zones(
            Filters=[{"Name": "zone-name", "Values": ["us-east-1b"]}])["AvailabilityZones"]
        self.assertEqual(len(one), 1)

    def test_describe_instances_filters(self):
        all_ids = _ids(self.ec2.describe_instances())
        self.assertEqual(len(all_ids), 6)  # web 2, batch 2, mixed 1, plain 1
        tagged = _ids(self.ec2.describe_instances(
            Filters=[{"Name": "tag:spot-enabled", "Values": ["true"]}]))
        self.assertEqual(len(tagged), 4)
        by_key = _ids(self.ec2.describe_instances(
            Filters=[{"Name": "tag-key", "Values": ["aws:autoscaling:groupName"]}]))
        self.assertEqual(len(by_key), 6)
        one = self.ec2.describe_instances(InstanceIds=[all_ids[0]])
        inst = one["Reservations"][0]["Instances"][0]
        self.assertEqual(inst["InstanceId"], all_ids[0])
        self.assertEqual(inst["State"], {"Code": 16, "Name": "running"})
        self.assertIsInstance(inst["LaunchTime"], datetime.datetime)
        self.assertIn("AvailabilityZone", inst["Placement"])
        running = _ids(self.ec2.describe_instances(
            Filters=[{"Name": "instance-state-name", "Values": ["running"]}]))
        self.assertEqual(len(running), 6)
        spot = _ids(self.ec2.describe_instances(
            Filters=[{"Name": "instance-lifecycle", "Values": ["spot"]}]))
        self.assertEqual(spot, [])
        by_id = _ids(self.ec2.describe_instances(
            Filters=[{"Name": "instance-id", "Values": all_ids[:2]}]))
        self.assertEqual(sorted(by_id), sorted(all_ids[:2]))

    def test_describe_instances_pagination(self):
        seen, token, pages = [], None, 0
        while True:
            kw = {"MaxResults": 5}
            if token:
                kw["NextToken"] = token
            r = self.ec2.describe_instances(**kw)
            seen += _ids(r)
            pages += 1
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(pages, 2)
        self.assertEqual(len(set(seen)), 6)
        pag = self.ec2.get_paginator("describe_instances")
        ids = [i for page in pag.paginate(PaginationConfig={"PageSize": 5})
               for r in page["Reservations"] for i in r["Instances"]]
        self.assertEqual(len(ids), 6)
        self.assertAwsError("InvalidParameterValue", self.ec2.describe_instances, MaxResults=2,
                            status=400)

    def test_unknown_instance_error_shape(self):
        err = self.assertAwsError("InvalidInstanceID.NotFound", self.ec2.describe_instances,
                                  InstanceIds=["i-0000000000000dead"], status=400)
        self.assertIn("i-0000000000000dead", err["Error"]["Message"])
        self.assertTrue(err["ResponseMetadata"]["RequestId"])

    def test_describe_instance_types(self):
        r = self.ec2.describe_instance_types(InstanceTypes=["m5.large", "c5d.xlarge"])
        info = {t["InstanceType"]: t for t in r["InstanceTypes"]}
        m5 = info["m5.large"]
        self.assertEqual(m5["VCpuInfo"]["DefaultVCpus"], 2)
        self.assertEqual(m5["MemoryInfo"]["SizeInMiB"], 8192)
        self.assertEqual(m5["ProcessorInfo"]["SupportedArchitectures"], ["x86_64"])
        self.assertIn("spot", m5["SupportedUsageClasses"])
        self.assertFalse(m5["InstanceStorageSupported"])
        c5d = info["c5d.xlarge"]
        self.assertTrue(c5d["InstanceStorageSupported"])
        self.assertEqual(c5d["InstanceStorageInfo"]["TotalSizeInGB"], 100)
        self.assertEqual(c5d["InstanceStorageInfo"]["Disks"][0]["Type"], "ssd")
        self.assertEqual(c5d["NetworkInfo"]["EnaSupport"], "required")
        arm = self.ec2.describe_instance_types(Filters=[
            {"Name": "processor-info.supported-architecture", "Values": ["arm64"]},
            {"Name": "instance-type", "Values": ["m6g.*"]}])["InstanceTypes"]
        self.assertTrue(arm)
        self.assertTrue(all(t["InstanceType"].startswith("m6g.") for t in arm))
        self.assertAwsError("InvalidInstanceType", self.ec2.describe_instance_types,
                            InstanceTypes=["m5.huge"])
        self.assertAwsError("InvalidParameterValue", self.ec2.describe_instance_types,
                            MaxResults=101)

    def test_describe_instance_types_pages_of_100(self):
        first = self.ec2.describe_instance_types()
        self.assertEqual(len(first["InstanceTypes"]), 100)
        self.assertIn("NextToken", first)
        total = sum(len(p["InstanceTypes"]) for p in
                    self.ec2.get_paginator("describe_instance_types").paginate())
        offered = [n for n in self.world.catalog.names
                   if self.world.catalog.offered(n, "us-east-1")]
        self.assertEqual(total, len(offered))

    def test_instance_type_offerings(self):
        reg = self.ec2.describe_instance_type_offerings(
            Filters=[{"Name": "instance-type", "Values": ["m5.large"]}])["InstanceTypeOfferings"]
        self.assertEqual(reg, [{"InstanceType": "m5.large", "LocationType": "region",
                                "Location": "us-east-1"}])
        az = self.ec2.describe_instance_type_offerings(
            LocationType="availability-zone",
            Filters=[{"Name": "instance-type", "Values": ["m5.large"]}])["InstanceTypeOfferings"]
        self.assertEqual(sorted(o["Location"] for o in az),
                         ["us-east-1a", "us-east-1b", "us-east-1c"])

    def test_spot_price_history(self):
        now = datetime.datetime.now(datetime.timezone.utc)
        r = self.ec2.describe_spot_price_history(
            InstanceTypes=["m5.large"], ProductDescriptions=["Linux/UNIX"], StartTime=now)
        rows = r["SpotPriceHistory"]
        self.assertEqual(sorted(x["AvailabilityZone"] for x in rows),
                         ["us-east-1a", "us-east-1b", "us-east-1c"])
        od = self.world.catalog.od_price("m5.large", "us-east-1")
        for x in rows:
            self.assertLess(float(x["SpotPrice"]), od)
            self.assertEqual(x["ProductDescription"], "Linux/UNIX")
        override = [x for x in self.ec2.describe_spot_price_history(
            InstanceTypes=["r5.large"], StartTime=now,
            Filters=[{"Name": "availability-zone", "Values": ["us-east-1a"]},
                     {"Name": "product-description", "Values": ["Linux/UNIX"]}])
            ["SpotPriceHistory"]]
        self.assertEqual([x["SpotPrice"] for x in override], ["0.050000"])
        hist = self.ec2.describe_spot_price_history(
            InstanceTypes=["m5.large"], ProductDescriptions=["Linux/UNIX"],
            StartTime=now - datetime.timedelta(days=1))["SpotPriceHistory"]
        self.assertEqual(len(hist), 9)  # 3 points x 3 AZs
        pages = list(self.ec2.get_paginator("describe_spot_price_history").paginate(
            InstanceTypes=["m5.large"], ProductDescriptions=["Linux/UNIX"],
            StartTime=now - datetime.timedelta(days=1), PaginationConfig={"PageSize": 5}))
        self.assertEqual(sum(len(p["SpotPriceHistory"]) for p in pages), 9)

    def test_spot_placement_scores(self):
        r = self.ec2.get_spot_placement_scores(InstanceTypes=["m5.large"], TargetCapacity=2,
                                               SingleAvailabilityZone=True,
                                               RegionNames=["us-east-1"])
        scores = r["SpotPlacementScores"]
        self.assertEqual(len(scores), 3)
        self.assertTrue(all(1 <= s["Score"] <= 10 and s["AvailabilityZoneId"] for s in scores))
        # c5.large has spot capacity 1 in us-east-1a only.
        r = self.ec2.get_spot_placement_scores(InstanceTypes=["c5.large"], TargetCapacity=5,
                                               SingleAvailabilityZone=True,
                                               RegionNames=["us-east-1"])
        by_az = {s["AvailabilityZoneId"]: s["Score"] for s in r["SpotPlacementScores"]}
        self.assertLess(by_az["use1-az1"], by_az["use1-az2"])

    def test_images_subnets_templates(self):
        imgs = self.ec2.describe_images(Owners=["self"])["Images"]
        self.assertEqual(sorted(i["Architecture"] for i in imgs), ["arm64", "x86_64"])
        x86 = self.ec2.describe_images(Filters=[{"Name": "architecture", "Values": ["x86_64"]}])
        im = x86["Images"][0]
        self.assertEqual((im["VirtualizationType"], im["PlatformDetails"], im["RootDeviceType"],
                          im["EnaSupport"]), ("hvm", "Linux/UNIX", "ebs", True))
        self.assertEqual(im["BlockDeviceMappings"][0]["Ebs"]["VolumeSize"], 8)
        self.assertAwsError("InvalidAMIID.NotFound", self.ec2.describe_images,
                            ImageIds=["ami-00000000000000000"])
        subnets = self.ec2.describe_subnets()["Subnets"]
        self.assertEqual(len(subnets), 3)
        a = self.ec2.describe_subnets(Filters=[{"Name": "availability-zone",
                                                "Values": ["us-east-1a"]}])["Subnets"]
        self.assertEqual(len(a), 1)
        lts = self.ec2.describe_launch_templates(LaunchTemplateNames=["batch-lt"])
        lt = lts["LaunchTemplates"][0]
        self.assertEqual((lt["DefaultVersionNumber"], lt["LatestVersionNumber"]), (1, 2))
        self.assertAwsError("InvalidLaunchTemplateName.NotFoundException",
                            self.ec2.describe_launch_templates, LaunchTemplateNames=["nope"])
        for ver, itype in (("$Default", "c5d.xlarge"), ("$Latest", "c5d.2xlarge"),
                           ("1", "c5d.xlarge"), ("2", "c5d.2xlarge")):
            v = self.ec2.describe_launch_template_versions(
                LaunchTemplateId=lt["LaunchTemplateId"], Versions=[ver])
            self.assertEqual(v["LaunchTemplateVersions"][0]["LaunchTemplateData"]["InstanceType"],
                             itype, ver)
        allv = self.ec2.describe_launch_template_versions(LaunchTemplateName="batch-lt")
        self.assertEqual(len(allv["LaunchTemplateVersions"]), 2)


class Ec2MutateTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.ec2 = self.client("ec2")

    def _subnet(self, az):
        return self.ec2.describe_subnets(Filters=[{"Name": "availability-zone",
                                                   "Values": [az]}])["Subnets"][0]["SubnetId"]

    def test_run_on_demand_and_lifecycle(self):
        r = self.ec2.run_instances(
            ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large", MinCount=1, MaxCount=1,
            SubnetId=self._subnet("us-east-1b"),
            TagSpecifications=[{"ResourceType": "instance",
                                "Tags": [{"Key": "Name", "Value": "t1"}]}])
        inst = r["Instances"][0]
        iid = inst["InstanceId"]
        self.assertEqual(inst["State"]["Name"], "pending")
        self.assertNotIn("InstanceLifecycle", inst)
        self.assertEqual(inst["Placement"]["AvailabilityZone"], "us-east-1b")
        self.assertEqual(inst["Tags"], [{"Key": "Name", "Value": "t1"}])
        st = self.ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"]
        self.assertEqual(st, [])  # pending instances are not listed by default
        self.advance(20)
        st = self.ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"][0]
        self.assertEqual(st["InstanceState"]["Name"], "running")
        self.assertEqual(st["InstanceStatus"]["Status"], "initializing")
        self.advance(60)
        st = self.ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"][0]
        self.assertEqual((st["InstanceStatus"]["Status"], st["SystemStatus"]["Status"]),
                         ("ok", "ok"))
        t = self.ec2.terminate_instances(InstanceIds=[iid])["TerminatingInstances"][0]
        self.assertEqual((t["PreviousState"]["Name"], t["CurrentState"]["Name"]),
                         ("running", "shutting-down"))
        self.advance(10)
        d = self.ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        self.assertEqual(d["State"]["Name"], "terminated")
        self.assertAwsError("InvalidInstanceID.NotFound", self.ec2.terminate_instances,
                            InstanceIds=["i-0123456789abcdef0"])

    def test_run_spot(self):
        r = self.ec2.run_instances(
            ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large", MinCount=1, MaxCount=1,
            SubnetId=self._subnet("us-east-1a"),
            InstanceMarketOptions={"MarketType": "spot", "SpotOptions": {
                "MaxPrice": "0.096", "SpotInstanceType": "one-time",
                "InstanceInterruptionBehavior": "terminate"}})
        inst = r["Instances"][0]
        self.assertEqual(inst["InstanceLifecycle"], "spot")
        self.assertTrue(inst["SpotInstanceRequestId"].startswith("sir-"))
        spot = self.ec2.describe_instances(
            Filters=[{"Name": "instance-lifecycle", "Values": ["spot"]}])
        self.assertEqual(_ids(spot), [inst["InstanceId"]])

    def test_spot_capacity_and_price_errors(self):
        kw = dict(ImageId="ami-0a1b2c3d4e5f60001", InstanceType="c5.large", MinCount=1,
                  MaxCount=1, SubnetId=self._subnet("us-east-1a"),
                  InstanceMarketOptions={"MarketType": "spot"})
        self.ec2.run_instances(**kw)  # capacity 1 in us-east-1a
        self.assertAwsError("InsufficientInstanceCapacity", self.ec2.run_instances, **kw,
                            status=500)
        kw["SubnetId"] = self._subnet("us-east-1b")
        self.ec2.run_instances(**kw)  # unlimited elsewhere
        kw["InstanceMarketOptions"] = {"MarketType": "spot", "SpotOptions": {"MaxPrice": "0.001"}}
        err = self.assertAwsError("SpotMaxPriceTooLow", self.ec2.run_instances, **kw, status=400)
        self.assertIn("0.001", err["Error"]["Message"])

    def test_run_errors(self):
        base = dict(ImageId="ami-0a1b2c3d4e5f60001", MinCount=1, MaxCount=1)
        self.assertAwsError("InvalidParameterValue", self.ec2.run_instances,
                            InstanceType="m5.huge", **base)
        self.assertAwsError("InvalidParameterValue", self.ec2.run_instances,
                            InstanceType="m6g.large", **base)  # arm64 type, x86_64 AMI
        self.world.region("111111111111", "us-east-1").unavailable["m5.large"] = ["us-east-1c"]
        self.assertAwsError("Unsupported", self.ec2.run_instances, InstanceType="m5.large",
                            SubnetId=self._subnet("us-east-1c"), **base)
        self.assertAwsError("InvalidParameterValue", self.ec2.run_instances,
                            InstanceType="m5.large", **base, TagSpecifications=[
                                {"ResourceType": "instance",
                                 "Tags": [{"Key": "aws:foo", "Value": "x"}]}])
        self.assertAwsError("InvalidSubnetID.NotFound", self.ec2.run_instances,
                            InstanceType="m5.large", SubnetId="subnet-nope", **base)
        self.assertAwsError("DryRunOperation", self.ec2.run_instances, InstanceType="m5.large",
                            DryRun=True, **base, status=412)

    def test_client_token_is_idempotent(self):
        kw = dict(ImageId="ami-0a1b2c3d4e5f60001", InstanceType="m5.large", MinCount=1,
                  MaxCount=1, ClientToken="spotswap-replace-1")
        first = self.ec2.run_instances(**kw)
        again = self.ec2.run_instances(**kw)
        self.assertEqual(first["ReservationId"], again["ReservationId"])
        self.assertEqual([i["InstanceId"] for i in first["Instances"]],
                         [i["InstanceId"] for i in again["Instances"]])
        self.assertEqual(len(_ids(self.ec2.describe_instances())), 7)

    def test_run_from_launch_template(self):
        r = self.ec2.run_instances(LaunchTemplate={"LaunchTemplateName": "batch-lt",
                                                   "Version": "$Latest"},
                                   MinCount=1, MaxCount=1,
                                   InstanceMarketOptions={"MarketType": "spot"})
        inst = r["Instances"][0]
        self.assertEqual(inst["InstanceType"], "c5d.2xlarge")
        self.assertEqual(inst["InstanceLifecycle"], "spot")
        tags = {t["Key"]: t["Value"] for t in inst["Tags"]}
        self.assertEqual(tags["aws:ec2launchtemplate:version"], "2")

    def test_tags(self):
        iid = _ids(self.ec2.describe_instances())[0]
        self.ec2.create_tags(Resources=[iid], Tags=[{"Key": "owner", "Value": "me"}])
        tags = self.ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [iid]},
                                               {"Name": "key", "Values": ["owner"]}])["Tags"]
        self.assertEqual(tags, [{"Key": "owner", "ResourceId": iid, "ResourceType": "instance",
                                 "Value": "me"}])
        self.assertAwsError("InvalidParameterValue", self.ec2.create_tags, Resources=[iid],
                            Tags=[{"Key": "aws:x", "Value": "y"}])
        self.assertAwsError("InvalidInstanceID.NotFound", self.ec2.create_tags,
                            Resources=["i-0123456789abcdef0"], Tags=[{"Key": "a", "Value": "b"}])
        pages = list(self.ec2.get_paginator("describe_tags").paginate(
            PaginationConfig={"PageSize": 5}))
        self.assertGreater(len(pages), 1)
