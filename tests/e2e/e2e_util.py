"""Running build/spotswap against an in-process simulated AWS, with a clean environment.

Each test gets a fresh fake and a HOME of its own, and the instance metadata service is
disabled: a test must never reach for 169.254.169.254 or any address off this machine.
"""
import json
import os
import shlex
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakeaws"))

from fakeawslib.server import FakeAws  # noqa: E402
from fakeawslib.state import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY  # noqa: E402

BIN = os.environ.get("SPOTSWAP_BIN", os.path.join(ROOT, "build", "spotswap"))
# The command that runs the binary: SPOTSWAP_WRAPPER (for example valgrind and its options, set
# by the memcheck build) goes in front of it.
BIN_CMD = shlex.split(os.environ.get("SPOTSWAP_WRAPPER", "")) + [BIN]


def scenario(name):
    with open(os.path.join(ROOT, "tests", "fakeaws", "scenarios", f"{name}.json")) as f:
        return json.load(f)


class E2ETestCase(unittest.TestCase):
    SCENARIO = "basic"

    def setUp(self):
        self.fake = FakeAws(scenario(self.SCENARIO)).start()
        self.addCleanup(self.fake.stop)
        self.home = tempfile.TemporaryDirectory()
        self.addCleanup(self.home.cleanup)

    def env(self, keys=True, **extra):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home.name,
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": self.fake.endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
            "SPOTSWAP_LOG_LEVEL": os.environ.get("SPOTSWAP_TEST_LOG_LEVEL", "warn"),
        }
        if keys:
            env["AWS_ACCESS_KEY_ID"] = DEFAULT_ACCESS_KEY
            env["AWS_SECRET_ACCESS_KEY"] = DEFAULT_SECRET_KEY
        for k, v in extra.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        return env

    def run_cli(self, *args, env=None, timeout=60):
        return subprocess.run([*BIN_CMD, *args], env=env if env is not None else self.env(),
                              capture_output=True, text=True, timeout=timeout)

    def write_home_file(self, relative, text):
        path = os.path.join(self.home.name, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path

    def last_line(self, text):
        lines = [l for l in text.strip().splitlines() if l]
        return lines[-1] if lines else ""

    def assertFailsWith(self, proc, rc, *fragments):
        self.assertEqual(proc.returncode, rc, proc.stderr)
        line = self.last_line(proc.stderr)
        for fragment in fragments:
            self.assertIn(fragment, line)
        return line
