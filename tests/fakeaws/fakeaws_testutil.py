"""Shared set-up for the fake's own tests: an in-process fake per test."""
import json
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import boto3  # noqa: E402
from botocore.config import Config  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

from fakeawslib.server import FakeAws  # noqa: E402
from fakeawslib.state import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY  # noqa: E402

NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def scenario(name="basic"):
    with open(os.path.join(HERE, "scenarios", f"{name}.json")) as f:
        return json.load(f)


class FakeTestCase(unittest.TestCase):
    SCENARIO = "basic"

    def setUp(self):
        self.fake = FakeAws(scenario(self.SCENARIO)).start()
        self.addCleanup(self.fake.stop)
        self.session = self.make_session()

    def make_session(self, key=DEFAULT_ACCESS_KEY, secret=DEFAULT_SECRET_KEY, token=None,
                     region="us-east-1"):
        return boto3.Session(aws_access_key_id=key, aws_secret_access_key=secret,
                             aws_session_token=token, region_name=region)

    def client(self, service, session=None, region=None, config=NO_RETRY):
        s = session or self.session
        c = s.client(service, endpoint_url=self.fake.endpoint, config=config,
                     region_name=region or s.region_name)
        self.addCleanup(c.close)
        return c

    @property
    def world(self):
        return self.fake.world

    def advance(self, seconds):
        self.world.advance(seconds)

    def assertAwsError(self, code, fn, *args, status=None, **kwargs):
        with self.assertRaises(ClientError) as cm:
            fn(*args, **kwargs)
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], code, err)
        if status is not None:
            self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], status, err)
        return err

    def group(self, name, region="us-east-1"):
        a = self.client("autoscaling", region=region)
        return a.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
