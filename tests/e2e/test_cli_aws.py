"""`spotswap aws`: the set-up check, end to end against the simulated AWS.

Every call here crosses the real stack: credentials chain, SigV4 (verified on the other side by
botocore's signer), libcurl, retries, XML parsing, error documents.
"""
import json

from e2e_util import DEFAULT_SECRET_KEY, E2ETestCase


class CliBasics(E2ETestCase):
    def test_help_and_version(self):
        p = self.run_cli("--help")
        self.assertEqual(p.returncode, 0)
        self.assertIn("aws <service> <Action>", p.stdout)
        p = self.run_cli("--version")
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^spotswap \d+\.\d+\.\d+\n$")

    def test_usage_errors_exit_2_with_one_line(self):
        self.assertEqual(self.run_cli().returncode, 2)
        self.assertFailsWith(self.run_cli("frobnicate"), 2, "unknown command 'frobnicate'")
        p = self.run_cli("aws", "s3", "ListBuckets")
        self.assertEqual(p.returncode, 2)
        self.assertIn("unknown service", p.stderr)
        p = self.run_cli("aws", "ec2", "DescribeRegions", "notapair")
        self.assertEqual(p.returncode, 2)
        self.assertIn("Name=Value", p.stderr)
        p = self.run_cli("aws", "ec2", "DescribeRegions", "--output", "yaml")
        self.assertEqual(p.returncode, 2)
        p = self.run_cli("aws", "ec2", "DescribeRegions", "--region")
        self.assertEqual(p.returncode, 2)

    def test_bad_log_level(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(SPOTSWAP_LOG_LEVEL="loud"))
        self.assertFailsWith(p, 2, "SPOTSWAP_LOG_LEVEL=loud")


class QueryCalls(E2ETestCase):
    def test_ec2_describe_regions(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("regionInfo.item.regionName = us-east-1", p.stdout)
        self.assertIn("regionInfo.item.regionName = eu-west-1", p.stdout)

    def test_xml_output_is_the_raw_document(self):
        p = self.run_cli("aws", "ec2", "DescribeAvailabilityZones", "--output", "xml")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("<DescribeAvailabilityZonesResponse", p.stdout)
        self.assertIn("<zoneName>us-east-1a</zoneName>", p.stdout)

    def test_autoscaling_with_list_parameters(self):
        groups = self.run_cli("aws", "autoscaling", "DescribeAutoScalingGroups")
        self.assertEqual(groups.returncode, 0, groups.stderr)
        names = [l.split(" = ")[1] for l in groups.stdout.splitlines()
                 if l.startswith("AutoScalingGroups.member.AutoScalingGroupName = ")]
        self.assertGreaterEqual(len(names), 2)
        p = self.run_cli("aws", "autoscaling", "DescribeAutoScalingGroups",
                         f"AutoScalingGroupNames.member.1={names[0]}")
        self.assertEqual(p.returncode, 0, p.stderr)
        shown = [l for l in p.stdout.splitlines()
                 if l.startswith("AutoScalingGroups.member.AutoScalingGroupName = ")]
        self.assertEqual(shown, [f"AutoScalingGroups.member.AutoScalingGroupName = {names[0]}"])

    def test_region_flag_wins_over_environment(self):
        p = self.run_cli("aws", "ec2", "DescribeAvailabilityZones", "--region", "eu-west-1")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("eu-west-1a", p.stdout)
        self.assertNotIn("us-east-1a", p.stdout)

    def test_sts_get_caller_identity(self):
        p = self.run_cli("aws", "sts", "GetCallerIdentity")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Account = 111111111111", p.stdout)

    def test_pricing_json_call(self):
        doc = {"ServiceCode": "AmazonEC2", "FormatVersion": "aws_v1", "MaxResults": 1,
               "Filters": [{"Type": "TERM_MATCH", "Field": "instanceType", "Value": "m5.large"},
                           {"Type": "TERM_MATCH", "Field": "regionCode", "Value": "us-east-1"},
                           {"Type": "TERM_MATCH", "Field": "operatingSystem", "Value": "Linux"}]}
        p = self.run_cli("aws", "pricing", "GetProducts", json.dumps(doc))
        self.assertEqual(p.returncode, 0, p.stderr)
        body = json.loads(p.stdout)
        product = json.loads(body["PriceList"][0])
        self.assertEqual(product["product"]["attributes"]["instanceType"], "m5.large")


class Failures(E2ETestCase):
    def test_wrong_secret_is_refused_with_awss_words(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions",
                         env=self.env(AWS_SECRET_ACCESS_KEY="not-the-secret-at-all"))
        self.assertFailsWith(p, 1, "SignatureDoesNotMatch", "HTTP 403", "request id")

    def test_aws_client_error_is_one_line_with_code(self):
        p = self.run_cli("aws", "autoscaling", "SetDesiredCapacity",
                         "AutoScalingGroupName=no-such-group", "DesiredCapacity=1")
        self.assertFailsWith(p, 1, "ValidationError", "HTTP 400")

    def test_throttling_then_success(self):
        self._fault("DescribeRegions", "throttle", 2)
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(SPOTSWAP_LOG_LEVEL="debug"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("RequestLimitExceeded", p.stderr)

    def test_retries_exhausted(self):
        self._fault("DescribeRegions", "500", 10)
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(AWS_MAX_ATTEMPTS="2"))
        self.assertFailsWith(p, 1, "HTTP 500")

    def test_malformed_body_is_an_error_not_retried(self):
        self._fault("DescribeRegions", "malformed", 1)
        p = self.run_cli("aws", "ec2", "DescribeRegions")
        self.assertFailsWith(p, 1, "DescribeRegions failed", "malformed XML")
        self.assertEqual(p.stdout, "")

    def test_truncated_body_is_retried_then_reported(self):
        # A body cut short is a connection fault: retried like the SDKs do...
        self._fault("DescribeRegions", "truncated", 1)
        p = self.run_cli("aws", "ec2", "DescribeRegions")
        self.assertEqual(p.returncode, 0, p.stderr)
        # ...and once retries run out, reported in one line.
        self._fault("DescribeRegions", "truncated", 5)
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(AWS_MAX_ATTEMPTS="2"))
        self.assertFailsWith(p, 1, "DescribeRegions failed")
        self.assertEqual(p.stdout, "")

    def test_endpoint_down(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions",
                         env=self.env(AWS_ENDPOINT_URL="http://127.0.0.1:9", AWS_MAX_ATTEMPTS="1"))
        self.assertFailsWith(p, 1, "could not connect")

    def test_no_region(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(AWS_REGION=None))
        self.assertFailsWith(p, 1, "no region")

    def test_no_credentials_anywhere(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(keys=False))
        self.assertFailsWith(p, 1, "DescribeRegions failed")

    def test_missing_profile_is_named(self):
        p = self.run_cli("aws", "ec2", "DescribeRegions", "--profile", "nope",
                         env=self.env(keys=False))
        self.assertFailsWith(p, 1, "'nope'")

    def test_secrets_never_printed_even_at_trace(self):
        p = self.run_cli("aws", "sts", "GetCallerIdentity", env=self.env(SPOTSWAP_LOG_LEVEL="trace"))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertNotIn(DEFAULT_SECRET_KEY, p.stdout + p.stderr)
        self.assertNotIn("Signature=", (p.stdout + p.stderr).replace("Signature=[REDACTED]", ""))

    def _fault(self, action, kind, count):
        import urllib.request
        req = urllib.request.Request(
            f"{self.fake.endpoint}/_fake/fault", method="POST",
            data=json.dumps({"action": action, "kind": kind, "count": count}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            self.assertEqual(r.status, 200)


class Profiles(E2ETestCase):
    def test_cross_account_role_with_external_id(self):
        self.write_home_file(".aws/credentials",
                             "[base]\naws_access_key_id = AKIDSPOTSWAPFAKE00001\n"
                             f"aws_secret_access_key = {DEFAULT_SECRET_KEY}\n")
        self.write_home_file(".aws/config",
                             "[profile cross]\n"
                             "role_arn = arn:aws:iam::222222222222:role/SpotSwapCross\n"
                             "external_id = spotswap-ext-1\nsource_profile = base\n"
                             "region = us-east-1\n"
                             "[profile cross-bad-id]\n"
                             "role_arn = arn:aws:iam::222222222222:role/SpotSwapCross\n"
                             "external_id = wrong\nsource_profile = base\n")
        p = self.run_cli("aws", "sts", "GetCallerIdentity", "--profile", "cross",
                         env=self.env(keys=False))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("Account = 222222222222", p.stdout)
        self.assertIn("assumed-role/SpotSwapCross", p.stdout)
        p = self.run_cli("aws", "sts", "GetCallerIdentity", "--profile", "cross-bad-id",
                         env=self.env(keys=False))
        self.assertFailsWith(p, 1, "AccessDenied")

    def test_credential_process_profile(self):
        script = self.write_home_file("creds.sh",
                                      "#!/bin/sh\nprintf '%s' '{\"Version\": 1, \"AccessKeyId\": "
                                      f"\"AKIDSPOTSWAPFAKE00001\", \"SecretAccessKey\": \"{DEFAULT_SECRET_KEY}\"}}'\n")
        import os
        os.chmod(script, 0o755)
        self.write_home_file(".aws/config", f"[default]\ncredential_process = {script}\n")
        p = self.run_cli("aws", "ec2", "DescribeRegions", env=self.env(keys=False))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("regionName = us-east-1", p.stdout)
