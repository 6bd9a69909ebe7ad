"""The canary sweep: credentials with recognisable secrets drive whole passes (the main account's
keys, a member account's role assumed with them, a credential_process profile) at every log
level, through successes and failures (a wrong secret, expired tokens, 500s, throttling,
malformed answers). No secret, session token, ExternalId-signed request signature or
credential_process output ever appears in anything the binary prints, in any encoding."""
import base64
import json
import os
import urllib.parse
import urllib.request

from e2e_util import E2ETestCase

MAIN = "111111111111"
MEMBER = "222222222222"
CANARY_AKID = "AKIDCANARY0000000001"
CANARY_SECRET = "CanarySecret/0123456789+abcdefghijklmnopqrs"
PROCESS_AKID = "AKIDCANARY0000000002"
PROCESS_SECRET = "ProcessCanary/0123456789+abcdefghijklmnopq"
WRONG_SECRET = "WrongCanary/0123456789+abcdefghijklmnopqrstu"
EXTERNAL_ID = "canary-external-id-0001"
LEVELS = ("trace", "debug", "info", "warn", "error")


def _group(name, tags=True):
    g = {"name": name, "launch_configuration": "lc", "instances": 2, "min": 1, "max": 4,
         "health_check_grace_period": 0}
    if tags:
        g["tags"] = {"spot-enabled": "true"}
    return g


def _region(groups):
    return {"us-east-1": {"launch_configurations": [{"name": "lc", "instance_type": "m5.large"}],
                          "groups": groups}}


SCENARIO = {
    "seed": 5,
    "timing": {"pending_seconds": 20, "status_init_seconds": 60, "attach_seconds": 0},
    "accounts": [
        {"id": MAIN, "access_key": CANARY_AKID, "secret_key": CANARY_SECRET,
         "extra_keys": [{"access_key": PROCESS_AKID, "secret_key": PROCESS_SECRET}],
         "regions": _region([_group("main-web"), _group("main-legacy", tags=False)])},
        {"id": MEMBER,
         "roles": [{"name": "spotswap", "trust": [MAIN], "external_id": EXTERNAL_ID}],
         "regions": _region([_group("member-web")])},
    ],
}


def _encodings(secret):
    """The forms a leaked secret could take in a log line."""
    return {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote_plus(secret),
            json.dumps(secret)[1:-1], base64.b64encode(secret.encode()).decode()}


class CanarySweepTest(E2ETestCase):
    SCENARIO = None

    def setUp(self):
        from fakeawslib.server import FakeAws
        self.fake = FakeAws(SCENARIO).start()
        self.addCleanup(self.fake.stop)
        import tempfile
        self.home = tempfile.TemporaryDirectory()
        self.addCleanup(self.home.cleanup)
        self.printed = []

    def _env(self, level, **extra):
        values = {"SPOTSWAP_LOG_LEVEL": level, "AWS_ACCESS_KEY_ID": CANARY_AKID,
                  "AWS_SECRET_ACCESS_KEY": CANARY_SECRET}
        values.update(extra)
        return self.env(keys=False, **values)

    def _run(self, *args, env):
        p = self.run_cli(*args, env=env, timeout=120)
        self.printed.append((args, env.get("SPOTSWAP_LOG_LEVEL"), p.stdout + p.stderr))
        return p

    def _fault(self, action, kind, count):
        req = urllib.request.Request(
            f"{self.fake.endpoint}/_fake/fault", method="POST",
            data=json.dumps({"action": action, "kind": kind, "count": count}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)

    def _advance(self, seconds):
        req = urllib.request.Request(
            f"{self.fake.endpoint}/_fake/advance", method="POST",
            data=json.dumps({"seconds": seconds}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as r:
            self.assertEqual(r.status, 200)

    def _sweep(self, level):
        run = ("run", "--region", "us-east-1", "--output", "json")
        member = f"arn:aws:iam::{MEMBER}:role/spotswap"
        env = self._env(level)
        # A conversion in both accounts, over passes (launch, attach and retire, terminate).
        for _ in range(2):
            self.assertEqual(self._run(*run, env=env).returncode, 0)
            self.assertEqual(self._run(*run, "--accounts", member, "--external-id", EXTERNAL_ID,
                                       env=env).returncode, 0)
            self._advance(300)
        # Failures: a wrong secret, a refused role, faults on the way.
        bad = self._env(level, AWS_SECRET_ACCESS_KEY=WRONG_SECRET)
        self.assertNotEqual(self._run(*run, env=bad).returncode, 0)
        self.assertNotEqual(self._run(*run, "--accounts", member, "--external-id",
                                      "wrong-external-id", env=env).returncode, 0)
        for kind in ("expired_token", "500", "throttle", "malformed", "truncated"):
            self._fault("*", kind, 2)
            self._run(*run, env=self._env(level, AWS_MAX_ATTEMPTS="2"))
        self._run("aws", "sts", "GetCallerIdentity", env=env)
        self._run("aws", "ec2", "DescribeInstances", env=bad)
        # Credentials from a credential_process profile.
        script = self.write_home_file("creds.sh", "#!/bin/sh\necho '" + json.dumps(
            {"Version": 1, "AccessKeyId": PROCESS_AKID, "SecretAccessKey": PROCESS_SECRET})
            + "'\n")
        os.chmod(script, 0o755)
        self.write_home_file(".aws/config", f"[profile canary]\ncredential_process = {script}\n")
        penv = self.env(keys=False, SPOTSWAP_LOG_LEVEL=level, AWS_PROFILE="canary")
        self.assertEqual(self._run("aws", "sts", "GetCallerIdentity", env=penv).returncode, 0)
        self.assertEqual(self._run(*run, env=penv).returncode, 0)

    def test_no_secret_printed_at_any_level(self):
        for level in LEVELS:
            self._sweep(level)
        issued = [(c["secret"], c["token"]) for c in self.fake.world.credentials.values()
                  if "token" in c and c.get("token")]
        self.assertTrue(issued, "the member account's role was never assumed")
        secrets = [CANARY_SECRET, PROCESS_SECRET, WRONG_SECRET]
        for secret, token in issued:
            secrets += [secret, token]
        trace_lines = 0
        for args, level, text in self.printed:
            if level == "trace":
                trace_lines += text.count("\n")
            for secret in secrets:
                for form in _encodings(secret):
                    self.assertNotIn(form, text, f"{args} at {level} printed a secret")
            # A signature can be replayed for its request: only ever printed redacted.
            self.assertNotIn("Signature=", text.replace("Signature=[REDACTED]", ""))
        # The sweep saw something to sweep: trace logs every exchange of every pass.
        self.assertGreater(trace_lines, 200)


if __name__ == "__main__":
    import unittest
    unittest.main()
