"""A whole replace-on-demand-with-spot pass, the way spotswap drives AWS,
against the demo scenario; checks the invariants e2e tests rely on."""
import datetime

from fakeaws_testutil import FakeTestCase


class SwapFlowTest(FakeTestCase):
    SCENARIO = "demo"

    def test_swap_one_instance_per_group(self):
        asg = self.client("autoscaling")
        ec2 = self.client("ec2")
        groups = asg.describe_auto_scaling_groups(
            Filters=[{"Name": "tag:spot-enabled", "Values": ["true"]}])["AutoScalingGroups"]
        self.assertEqual([g["AutoScalingGroupName"] for g in groups], ["batch", "web"])
        swaps = []
        for g in groups:
            victim = sorted(g["Instances"], key=lambda i: i["InstanceId"])[0]
            desc = ec2.describe_instances(InstanceIds=[victim["InstanceId"]])
            od = desc["Reservations"][0]["Instances"][0]
            self.assertNotIn("InstanceLifecycle", od)
            itype = od["InstanceType"]
            info = ec2.describe_instance_types(InstanceTypes=[itype])["InstanceTypes"][0]
            self.assertEqual(info["InstanceStorageSupported"], itype.startswith("c5d"))
            prices = ec2.describe_spot_price_history(
                InstanceTypes=[itype], ProductDescriptions=["Linux/UNIX"],
                AvailabilityZone=od["Placement"]["AvailabilityZone"],
                StartTime=datetime.datetime.now(datetime.timezone.utc))["SpotPriceHistory"]
            spot_price = float(prices[0]["SpotPrice"])
            tags = [t for t in od["Tags"] if not t["Key"].startswith("aws:")]
            run = ec2.run_instances(
                ImageId=od["ImageId"], InstanceType=itype, MinCount=1, MaxCount=1,
                SubnetId=od["SubnetId"], ClientToken=f"swap-{victim['InstanceId']}",
                InstanceMarketOptions={"MarketType": "spot", "SpotOptions": {
                    "MaxPrice": f"{spot_price * 1.5:.6f}"}},
                TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])
            swaps.append((g["AutoScalingGroupName"], victim["InstanceId"],
                          run["Instances"][0]["InstanceId"]))
        self.advance(20)
        for name, old, new in swaps:
            st = ec2.describe_instances(InstanceIds=[new])["Reservations"][0]["Instances"][0]
            self.assertEqual(st["State"]["Name"], "running")
            asg.attach_instances(AutoScalingGroupName=name, InstanceIds=[new])
        self.advance(5)
        for name, old, new in swaps:
            members = {i["InstanceId"]: i for i in self.group(name)["Instances"]}
            self.assertEqual(members[new]["LifecycleState"], "InService")
            asg.terminate_instance_in_auto_scaling_group(InstanceId=old,
                                                         ShouldDecrementDesiredCapacity=True)
        # web has a 120 s termination hook; batch terminates at once.
        self.assertEqual({i["InstanceId"]: i["LifecycleState"]
                          for i in self.group("web")["Instances"]}[swaps[1][1]],
                         "Terminating:Wait")
        self.advance(130)
        state = self.fake.world
        region = state.region("111111111111", "us-east-1")
        for name, old, new in swaps:
            g = self.group(name)
            ids = {i["InstanceId"] for i in g["Instances"]}
            self.assertNotIn(old, ids)
            self.assertIn(new, ids)
            in_service = [i for i in g["Instances"] if i["LifecycleState"] == "InService"]
            self.assertEqual(len(in_service), g["DesiredCapacity"])
            self.assertEqual(region.instances[old]["State"]["Name"], "terminated")
            # The replacement was InService before the old instance began to terminate.
            term_call = next(c for c in state.calls
                             if c["action"] == "TerminateInstanceInAutoScalingGroup"
                             and c["params"]["InstanceId"] == old)
            self.assertLess(region.groups[name]["_members"][new]["_in_service_since"],
                            term_call["time"])
        spot = ec2.describe_instances(Filters=[
            {"Name": "instance-lifecycle", "Values": ["spot"]},
            {"Name": "instance-state-name", "Values": ["running"]}])
        self.assertEqual(sum(len(r["Instances"]) for r in spot["Reservations"]), 2)
        mutating = [c["action"] for c in state.calls if c["mutating"]]
        self.assertEqual(mutating.count("RunInstances"), 2)
        self.assertEqual(mutating.count("AttachInstances"), 2)
