"""SigV4 verification, credentials, STS and the Price List API."""
import http.client
import json
import os
import urllib.parse

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from fakeaws_testutil import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, FakeTestCase

FIXTURE = "/work/shared/data/fixtures/sdk-json/pricing/PriceListProduct.m5_large.us-east-1.json"
CROSS_ROLE = "arn:aws:iam::222222222222:role/SpotSwapCross"


class SignatureTest(FakeTestCase):
    def _signed(self, service, body, secret=DEFAULT_SECRET_KEY, region="us-east-1"):
        req = AWSRequest(method="POST", url=self.fake.endpoint + "/", data=body,
                         headers={"Content-Type": "application/x-www-form-urlencoded; "
                                                  "charset=utf-8"})
        SigV4Auth(Credentials(DEFAULT_ACCESS_KEY, secret), service, region).add_auth(req)
        return dict(req.headers.items())

    def _send(self, headers, body):
        u = urllib.parse.urlsplit(self.fake.endpoint)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        try:
            conn.request("POST", "/", body=body, headers=headers)
            r = conn.getresponse()
            return r.status, r.read().decode()
        finally:
            conn.close()

    def test_raw_request_signed_by_botocore_is_accepted(self):
        body = "Action=DescribeRegions&Version=2016-11-15"
        status, text = self._send(self._signed("ec2", body), body)
        self.assertEqual(status, 200, text)
        self.assertIn("<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">",
                      text)

    def test_unknown_and_missing_parameters(self):
        # Hand-built bodies, as a non-SDK client would send them.
        body = "Action=DescribeInstances&Version=2016-11-15&Filter.1.Name=tag-key&Filter.1.Vaule.1=x"
        status, text = self._send(self._signed("ec2", body), body)
        self.assertEqual(status, 400)
        self.assertIn("<Code>UnknownParameter</Code>", text)
        body = "Action=TerminateInstances&Version=2016-11-15"
        status, text = self._send(self._signed("ec2", body), body)
        self.assertIn("<Code>MissingParameter</Code>", text)
        body = "Action=SetDesiredCapacity&Version=2011-01-01&AutoScalingGroupName=web"
        status, text = self._send(self._signed("autoscaling", body), body)
        self.assertEqual(status, 400)
        self.assertIn("<Code>ValidationError</Code>", text)
        self.assertIn("desiredCapacity", text)
        body = ("Action=AssumeRole&Version=2011-06-15&RoleSessionName=x&RoleArn="
                "arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FSpotSwapCross")
        status, text = self._send(self._signed("sts", body), body)
        self.assertEqual(status, 400)
        self.assertIn("at 'roleSessionName' failed to satisfy constraint: Member must have "
                      "length greater than or equal to 2", text)
        body = ("Action=DescribeAutoScalingGroups&Version=2011-01-01"
                "&Filters.member.1.Name=tag%3Aspot-enabled&Filters.member.1.Values.member.1=true")
        status, text = self._send(self._signed("autoscaling", body), body)
        self.assertEqual(status, 200, text)
        self.assertIn("<AutoScalingGroupName>web</AutoScalingGroupName>", text)
        self.assertIn("<ResponseMetadata><RequestId>", text)

    def test_chunked_body(self):
        body = "Action=DescribeRegions&Version=2016-11-15"
        headers = self._signed("ec2", body)
        u = urllib.parse.urlsplit(self.fake.endpoint)
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
        self.addCleanup(conn.close)
        conn.request("POST", "/", body=iter([body[:10].encode(), body[10:].encode()]),
                     headers=headers, encode_chunked=True)
        r = conn.getresponse()
        self.assertEqual(r.status, 200, r.read())

    def test_tampered_body_refused(self):
        body = "Action=DescribeRegions&Version=2016-11-15"
        headers = self._signed("ec2", body)
        tampered = body + "&RegionName.1=us-east-1"
        status, text = self._send(headers, tampered)
        self.assertEqual(status, 403)
        self.assertIn("<Code>SignatureDoesNotMatch</Code>", text)
        self.assertIn("<Response><Errors><Error>", text)
        body = "Action=GetCallerIdentity&Version=2011-06-15"
        status, text = self._send(self._signed("sts", body), body.replace("Get", "get"))
        self.assertEqual(status, 403)
        self.assertIn("<ErrorResponse", text)
        self.assertIn("<Type>Sender</Type><Code>SignatureDoesNotMatch</Code>", text)

    def test_wrong_secret_refused_in_each_family(self):
        bad = self.make_session(secret="not-the-secret")
        self.assertAwsError("SignatureDoesNotMatch", self.client("ec2", bad).describe_regions,
                            status=403)
        self.assertAwsError("SignatureDoesNotMatch",
                            self.client("autoscaling", bad).describe_auto_scaling_groups,
                            status=403)
        self.assertAwsError("SignatureDoesNotMatch",
                            self.client("sts", bad).get_caller_identity, status=403)
        self.assertAwsError("InvalidSignatureException",
                            self.client("pricing", bad).get_products, ServiceCode="AmazonEC2",
                            status=403)

    def test_unknown_access_key(self):
        s = self.make_session(key="AKIDUNKNOWN000000000", secret="x")
        self.assertAwsError("AuthFailure", self.client("ec2", s).describe_regions, status=401)
        self.assertAwsError("InvalidClientTokenId",
                            self.client("autoscaling", s).describe_auto_scaling_groups,
                            status=403)
        self.assertAwsError("InvalidClientTokenId", self.client("sts", s).get_caller_identity,
                            status=403)
        self.assertAwsError("UnrecognizedClientException",
                            self.client("pricing", s).get_products, ServiceCode="AmazonEC2",
                            status=403)

    def test_region_comes_from_the_scope(self):
        eu = self.client("autoscaling", region="eu-west-1")
        names = [g["AutoScalingGroupName"] for g in
                 eu.describe_auto_scaling_groups()["AutoScalingGroups"]]
        self.assertEqual(names, ["small"])


class StsTest(FakeTestCase):
    def setUp(self):
        super().setUp()
        self.sts = self.client("sts")

    def test_caller_identity(self):
        ident = self.sts.get_caller_identity()
        self.assertEqual(ident["Account"], "111111111111")
        self.assertEqual(ident["Arn"], "arn:aws:iam::111111111111:user/spotswap")

    def _assume(self, **kw):
        return self.sts.assume_role(RoleArn=CROSS_ROLE, RoleSessionName="spotswap", **kw)

    def test_assume_role_external_id(self):
        self.assertAwsError("AccessDenied", self._assume, status=403)
        self.assertAwsError("AccessDenied", self._assume, ExternalId="wrong", status=403)
        self.assertAwsError("AccessDenied", self.sts.assume_role,
                            RoleArn="arn:aws:iam::222222222222:role/NoTrust",
                            RoleSessionName="xx")
        self.assertAwsError("AccessDenied", self.sts.assume_role,
                            RoleArn="arn:aws:iam::222222222222:role/Missing",
                            RoleSessionName="xx")
        r = self._assume(ExternalId="spotswap-ext-1", DurationSeconds=900)
        c = r["Credentials"]
        self.assertTrue(c["AccessKeyId"].startswith("ASIA"))
        self.assertEqual(r["AssumedRoleUser"]["Arn"],
                         "arn:aws:sts::222222222222:assumed-role/SpotSwapCross/spotswap")
        s = self.make_session(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"])
        self.assertEqual(self.client("sts", s).get_caller_identity()["Account"], "222222222222")
        groups = self.client("autoscaling", s).describe_auto_scaling_groups()["AutoScalingGroups"]
        self.assertEqual([g["AutoScalingGroupName"] for g in groups], ["other"])
        # The session token is part of the credential.
        no_token = self.make_session(c["AccessKeyId"], c["SecretAccessKey"])
        self.assertAwsError("InvalidClientTokenId",
                            self.client("sts", no_token).get_caller_identity, status=403)
        stray = self.make_session(token=c["SessionToken"])  # long-term key + a token
        self.assertAwsError("InvalidClientTokenId",
                            self.client("sts", stray).get_caller_identity, status=403)
        self.advance(901)
        self.assertAwsError("ExpiredToken", self.client("sts", s).get_caller_identity,
                            status=403)
        self.assertAwsError("ExpiredToken",
                            self.client("autoscaling", s).describe_auto_scaling_groups,
                            status=403)
        self.assertAwsError("RequestExpired", self.client("ec2", s).describe_instances,
                            status=400)
        self.assertAwsError("ExpiredTokenException", self.client("pricing", s).get_products,
                            ServiceCode="AmazonEC2", status=403)

    def test_duration_limits(self):
        self.assertAwsError("ValidationError", self._assume, ExternalId="spotswap-ext-1",
                            DurationSeconds=7200)


class PricingTest(FakeTestCase):
    def test_get_products_shape(self):
        p = self.client("pricing")
        filters = [{"Type": "TERM_MATCH", "Field": "instanceType", "Value": "m5.large"},
                   {"Type": "TERM_MATCH", "Field": "location", "Value": "US East (N. Virginia)"},
                   {"Type": "TERM_MATCH", "Field": "operatingSystem", "Value": "Linux"},
                   {"Type": "TERM_MATCH", "Field": "tenancy", "Value": "Shared"},
                   {"Type": "TERM_MATCH", "Field": "preInstalledSw", "Value": "NA"},
                   {"Type": "TERM_MATCH", "Field": "capacitystatus", "Value": "Used"}]
        r = p.get_products(ServiceCode="AmazonEC2", Filters=filters, FormatVersion="aws_v1")
        self.assertEqual(r["FormatVersion"], "aws_v1")
        self.assertEqual(len(r["PriceList"]), 1)
        doc = json.loads(r["PriceList"][0])
        # Same top-level layout and attribute names as a real GetProducts document
        # (fixture from the shared data, when present on this machine).
        if os.path.exists(FIXTURE):
            with open(FIXTURE) as f:
                real = json.load(f)
            self.assertTrue(set(doc["product"]["attributes"]) <=
                            set(real["product"]["attributes"]) | {"regionCode", "marketoption",
                                                                   "gpu"})
            self.assertEqual(set(doc) - {"version", "publicationDate"},
                             set(real) - {"version", "publicationDate"})
        od = next(iter(doc["terms"]["OnDemand"].values()))
        dim = next(iter(od["priceDimensions"].values()))
        self.assertEqual(dim["pricePerUnit"]["USD"], "0.0960000000")
        self.assertEqual(dim["unit"], "Hrs")
        self.assertEqual(doc["product"]["attributes"]["instanceType"], "m5.large")
        windows = p.get_products(ServiceCode="AmazonEC2", Filters=[
            {"Type": "TERM_MATCH", "Field": "operatingSystem", "Value": "Windows"}])
        self.assertEqual(windows["PriceList"], [])

    def test_pagination_and_error(self):
        p = self.client("pricing")
        pages = list(p.get_paginator("get_products").paginate(
            ServiceCode="AmazonEC2",
            Filters=[{"Type": "TERM_MATCH", "Field": "instanceFamily", "Value": "m5"},
                     {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "us-east-1"}],
            PaginationConfig={"PageSize": 4}))
        total = sum(len(x["PriceList"]) for x in pages)
        self.assertGreater(len(pages), 1)
        self.assertEqual(total, len([n for n in self.world.catalog.names
                                     if n.startswith("m5.")]))
        err = self.assertAwsError("InvalidParameterException", p.get_products,
                                  ServiceCode="AmazonEC2", FormatVersion="aws_v9", status=400)
        self.assertEqual(err["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"],
                         "InvalidParameterException")
