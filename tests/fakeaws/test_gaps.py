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
