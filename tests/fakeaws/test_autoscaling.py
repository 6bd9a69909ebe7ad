"""Auto Scaling through boto3, including the group behaviour over virtual time."""
import json
import urllib.request

from fakeaws_testutil import FakeTestCase


class AutoScalingTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.asg = self.client("autoscaling")
        self.ec2 = self.client("ec2")

    def _state(self, iid):
        r = self.ec2.describe_instances(InstanceIds=[iid])
        return r["Reservations"][0]["Instances"][0]["State"]["Name"]

    def _members(self, name):
        return {i["InstanceId"]: i for i in self.group(name)["Instances"]}

    def _spot(self, az, itype="m5.large"):
        sub = self.ec2.describe_subnets(Filters=[{"Name": "availability-zone",
                                                  "Values": [az]}])["Subnets"][0]["SubnetId"]
        iid = self.ec2.run_instances(ImageId="ami-0a1b2c3d4e5f60001", InstanceType=itype,
                                     MinCount=1, MaxCount=1, SubnetId=sub,
                                     InstanceMarketOptions={"MarketType": "spot"}
                                     )["Instances"][0]["InstanceId"]
        return iid

    def test_describe_groups(self):
        groups = self.asg.describe_auto_scaling_groups()["AutoScalingGroups"]
        self.assertEqual([g["AutoScalingGroupName"] for g in groups],
                         ["batch", "mixed", "plain", "web"])
        tagged = self.asg.describe_auto_scaling_groups(
            Filters=[{"Name": "tag:spot-enabled", "Values": ["true"]}])["AutoScalingGroups"]
        self.assertEqual([g["AutoScalingGroupName"] for g in tagged], ["batch", "web"])
        by_key = self.asg.describe_auto_scaling_groups(
            Filters=[{"Name": "tag-key", "Values": ["spot-enabled"]}])["AutoScalingGroups"]
        self.assertEqual(len(by_key), 2)
        web = self.group("web")
        self.assertEqual(web["LaunchConfigurationName"], "web-lc")
        self.assertEqual((web["MinSize"], web["MaxSize"], web["DesiredCapacity"]), (1, 3, 2))
        self.assertEqual(web["HealthCheckGracePeriod"], 300)
        self.assertEqual(web["SuspendedProcesses"], [])
        self.assertEqual(web["TargetGroupARNs"], [])
        self.assertEqual(sorted(web["AvailabilityZones"]), ["us-east-1a", "us-east-1b"])
        self.assertEqual(len(web["VPCZoneIdentifier"].split(",")), 2)
        inst = web["Instances"][0]
        self.assertEqual((inst["LifecycleState"], inst["HealthStatus"],
                          inst["ProtectedFromScaleIn"], inst["LaunchConfigurationName"]),
                         ("InService", "Healthy", False, "web-lc"))
        self.assertEqual(web["Tags"][0]["Key"], "spot-enabled")
        batch = self.group("batch")
        self.assertEqual(batch["LaunchTemplate"]["LaunchTemplateName"], "batch-lt")
        self.assertEqual(batch["Instances"][0]["LaunchTemplate"]["LaunchTemplateName"], "batch-lt")
        self.assertEqual(batch["Instances"][0]["InstanceType"], "c5d.xlarge")
        mixed = self.group("mixed")
        self.assertEqual([o["InstanceType"] for o in
                          mixed["MixedInstancesPolicy"]["LaunchTemplate"]["Overrides"]],
                         ["c5d.xlarge", "m5d.xlarge"])
        # EC2 sees the group tag and the propagated tags on members.
        iid = inst["InstanceId"]
        tags = {t["Key"]: t["Value"] for t in self.ec2.describe_instances(InstanceIds=[iid])
                ["Reservations"][0]["Instances"][0]["Tags"]}
        self.assertEqual(tags["aws:autoscaling:groupName"], "web")
        self.assertEqual(tags["spot-enabled"], "true")

    def test_pagination_and_errors(self):
        names, token = [], None
        while True:
            kw = {"MaxRecords": 1}
            if token:
                kw["NextToken"] = token
            r = self.asg.describe_auto_scaling_groups(**kw)
            names += [g["AutoScalingGroupName"] for g in r["AutoScalingGroups"]]
            token = r.get("NextToken")
            if not token:
                break
        self.assertEqual(names, ["batch", "mixed", "plain", "web"])
        err = self.assertAwsError("ValidationError", self.asg.set_desired_capacity,
                                  AutoScalingGroupName="web", DesiredCapacity=9, status=400)
        self.assertEqual(err["Error"]["Type"], "Sender")
        self.assertAwsError("ValidationError", self.asg.update_auto_scaling_group,
                            AutoScalingGroupName="nope", MaxSize=3)

    def test_launch_configurations_and_hooks(self):
        lcs = self.asg.describe_launch_configurations()["LaunchConfigurations"]
        self.assertEqual([(l["LaunchConfigurationName"], l["InstanceType"]) for l in lcs],
                         [("web-lc", "m5.large")])
        hooks = self.asg.describe_lifecycle_hooks(AutoScalingGroupName="batch")["LifecycleHooks"]
        self.assertEqual(hooks[0]["LifecycleTransition"], "autoscaling:EC2_INSTANCE_TERMINATING")
        self.assertEqual(hooks[0]["HeartbeatTimeout"], 300)

    def test_attach(self):
        spot = self._spot("us-east-1a")
        self.assertAwsError("ValidationError", self.asg.attach_instances,
                            AutoScalingGroupName="web", InstanceIds=[spot])  # still pending
        self.advance(20)
        self.asg.attach_instances(AutoScalingGroupName="web", InstanceIds=[spot])
        web = self.group("web")
        self.assertEqual(web["DesiredCapacity"], 3)
        self.assertEqual(self._members("web")[spot]["LifecycleState"], "Pending")
        self.advance(5)
        self.assertEqual(self._members("web")[spot]["LifecycleState"], "InService")
        other = self._spot("us-east-1b")
        self.advance(20)
        err = self.assertAwsError("ValidationError", self.asg.attach_instances,
                                  AutoScalingGroupName="web", InstanceIds=[other])
        self.assertIn("max", err["Error"]["Message"])
        wrong_az = self._spot("us-east-1c")
        self.advance(20)
        self.asg.update_auto_scaling_group(AutoScalingGroupName="web", MaxSize=5)
        self.assertAwsError("ValidationError", self.asg.attach_instances,
                            AutoScalingGroupName="web", InstanceIds=[wrong_az])

    def test_detach(self):
        victim = sorted(self._members("web"))[0]
        act = self.asg.detach_instances(AutoScalingGroupName="web", InstanceIds=[victim],
                                        ShouldDecrementDesiredCapacity=True)["Activities"]
        self.assertEqual(len(act), 1)
        self.assertIn(victim, act[0]["Description"])
        self.assertEqual(self.group("web")["DesiredCapacity"], 1)
        self.assertNotIn(victim, self._members("web"))
        self.assertEqual(self._state(victim), "running")
        last = list(self._members("web"))[0]
        self.assertAwsError("ValidationError", self.asg.detach_instances,
                            AutoScalingGroupName="web", InstanceIds=[last],
                            ShouldDecrementDesiredCapacity=True)
        # Without decrement the group replaces what left.
        self.asg.detach_instances(AutoScalingGroupName="web", InstanceIds=[last],
                                  ShouldDecrementDesiredCapacity=False)
        members = self._members("web")
        self.assertEqual(len(members), 1)
        self.assertEqual(list(members.values())[0]["LifecycleState"], "Pending")
        self.advance(20)
        self.assertEqual(list(self._members("web").values())[0]["LifecycleState"], "InService")

    def test_terminate_with_lifecycle_hook(self):
        victim = sorted(self._members("batch"))[0]
        act = self.asg.terminate_instance_in_auto_scaling_group(
            InstanceId=victim, ShouldDecrementDesiredCapacity=True)["Activity"]
        self.assertIn(victim, act["Description"])
        self.assertEqual(self._members("batch")[victim]["LifecycleState"], "Terminating:Wait")
        self.assertEqual(self._state(victim), "running")
        self.advance(299)
        self.assertEqual(self._members("batch")[victim]["LifecycleState"], "Terminating:Wait")
        self.advance(2)
        self.assertNotIn(victim, self._members("batch"))
        self.assertEqual(self._state(victim), "shutting-down")
        self.assertEqual(self.group("batch")["DesiredCapacity"], 1)
        acts = self.asg.describe_scaling_activities(AutoScalingGroupName="batch")["Activities"]
        self.assertEqual((acts[0]["Description"], acts[0]["StatusCode"]),
                         (f"Terminating EC2 instance: {victim}", "InProgress"))
        self.advance(10)
        acts = self.asg.describe_scaling_activities(AutoScalingGroupName="batch")["Activities"]
        self.assertEqual(acts[0]["StatusCode"], "Successful")
        last = list(self._members("batch"))[0]
        self.assertAwsError("ValidationError", self.asg.terminate_instance_in_auto_scaling_group,
                            InstanceId=last, ShouldDecrementDesiredCapacity=True)
        self.assertAwsError("ValidationError", self.asg.terminate_instance_in_auto_scaling_group,
                            InstanceId="i-0123456789abcdef0", ShouldDecrementDesiredCapacity=False)

    def test_terminate_without_decrement_replaces(self):
        victim = list(self._members("plain"))[0]
        self.asg.terminate_instance_in_auto_scaling_group(InstanceId=victim,
                                                          ShouldDecrementDesiredCapacity=False)
        members = self._members("plain")
        self.assertNotIn(victim, members)
        self.assertEqual(len(members), 1)
        self.assertEqual(list(members.values())[0]["AvailabilityZone"], "us-east-1c")

    def test_capacity_changes_and_protection(self):
        self.asg.update_auto_scaling_group(AutoScalingGroupName="web", MaxSize=4,
                                           DesiredCapacity=4)
        self.assertEqual(len(self._members("web")), 4)
        self.advance(20)
        members = self._members("web")
        self.assertTrue(all(m["LifecycleState"] == "InService" for m in members.values()))
        azs = sorted(m["AvailabilityZone"] for m in members.values())
        self.assertEqual(azs, ["us-east-1a", "us-east-1a", "us-east-1b", "us-east-1b"])
        keep = sorted(members)
        self.asg.set_instance_protection(AutoScalingGroupName="web", InstanceIds=keep[:3],
                                         ProtectedFromScaleIn=True)
        self.asg.set_desired_capacity(AutoScalingGroupName="web", DesiredCapacity=3)
        self.assertEqual(sorted(self._members("web")), keep[:3])
        self.assertEqual(self._state(keep[3]), "shutting-down")

    def test_tags_and_processes(self):
        self.asg.create_or_update_tags(Tags=[{"ResourceId": "plain", "ResourceType":
                                              "auto-scaling-group", "Key": "spot-enabled",
                                              "Value": "true", "PropagateAtLaunch": True}])
        self.assertIn({"ResourceId": "plain", "ResourceType": "auto-scaling-group",
                       "Key": "spot-enabled", "Value": "true", "PropagateAtLaunch": True},
                      self.group("plain")["Tags"])
        self.asg.suspend_processes(AutoScalingGroupName="web", ScalingProcesses=["Launch"])
        self.assertEqual([p["ProcessName"] for p in self.group("web")["SuspendedProcesses"]],
                         ["Launch"])
        victim = list(self._members("web"))[0]
        self.ec2.terminate_instances(InstanceIds=[victim])
        self.advance(15)
        self.assertEqual(len(self._members("web")), 1)  # no replacement while suspended
        self.asg.resume_processes(AutoScalingGroupName="web", ScalingProcesses=["Launch"])
        self.assertEqual(self.group("web")["SuspendedProcesses"], [])
        self.assertEqual(len(self._members("web")), 2)

    def test_standby(self):
        iid = sorted(self._members("web"))[0]
        self.asg.enter_standby(AutoScalingGroupName="web", InstanceIds=[iid],
                               ShouldDecrementDesiredCapacity=True)
        self.assertEqual(self._members("web")[iid]["LifecycleState"], "Standby")
        self.assertEqual(self.group("web")["DesiredCapacity"], 1)
        self.asg.exit_standby(AutoScalingGroupName="web", InstanceIds=[iid])
        self.assertEqual(self._members("web")[iid]["LifecycleState"], "InService")
        self.assertEqual(self.group("web")["DesiredCapacity"], 2)

    def test_spot_interruption_replaced_on_demand(self):
        spot = self._spot("us-east-1a")
        self.advance(20)
        self.asg.attach_instances(AutoScalingGroupName="web", InstanceIds=[spot])
        self.advance(5)
        req = urllib.request.Request(f"{self.fake.endpoint}/_fake/interrupt", method="POST",
                                     data=json.dumps({"instance_id": spot}).encode())
        with urllib.request.urlopen(req) as r:
            self.assertTrue(json.load(r)["ok"])
        inst = self.ec2.describe_instances(InstanceIds=[spot])["Reservations"][0]["Instances"][0]
        self.assertEqual(inst["State"]["Name"], "shutting-down")
        self.assertEqual(inst["StateReason"]["Code"], "Server.SpotInstanceTermination")
        members = self._members("web")
        self.assertNotIn(spot, members)
        self.assertEqual(len(members), 3)
        new = [m for m in members.values() if m["LifecycleState"] == "Pending"]
        self.assertEqual(len(new), 1)
        d = self.ec2.describe_instances(InstanceIds=[new[0]["InstanceId"]])
        self.assertNotIn("InstanceLifecycle", d["Reservations"][0]["Instances"][0])
        self.advance(20)
        self.assertTrue(all(m["LifecycleState"] == "InService"
                            for m in self._members("web").values()))
