"""TLS verification through the binary's own configuration path: the simulated AWS behind a
self-signed certificate is refused (one clear line, no AWS call made) unless AWS_CA_BUNDLE
names its CA; a CA bundle that does not exist is an error, never a fallback to no
verification; and nothing in the environment that other tools honour turns verification off."""
import os
import ssl
import subprocess
import tempfile

from e2e_util import E2ETestCase, scenario
from fakeawslib.server import FakeAws


class TlsTest(E2ETestCase):
    def setUp(self):
        self.tls = tempfile.TemporaryDirectory()
        self.addCleanup(self.tls.cleanup)
        self.cert = os.path.join(self.tls.name, "cert.pem")
        key = os.path.join(self.tls.name, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", self.cert,
             "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.fake = FakeAws(scenario("basic")).bind()
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.cert, key)
        self.fake.httpd.socket = ctx.wrap_socket(self.fake.httpd.socket, server_side=True)
        self.fake.start()
        self.addCleanup(self.fake.stop)
        self.home = tempfile.TemporaryDirectory()
        self.addCleanup(self.home.cleanup)
        self.endpoint = f"https://127.0.0.1:{self.fake.port}"

    def tls_env(self, **extra):
        return self.env(AWS_ENDPOINT_URL=self.endpoint, AWS_MAX_ATTEMPTS="1", **extra)

    def test_self_signed_refused_without_bundle(self):
        p = self.run_cli("aws", "sts", "GetCallerIdentity", env=self.tls_env())
        self.assertFailsWith(p, 1, "TLS certificate verification failed")
        self.assertEqual(self.fake.world.calls, [])

    def test_run_refused_and_nothing_called(self):
        p = self.run_cli("run", "--region", "us-east-1", env=self.tls_env())
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("TLS certificate verification failed", self.last_line(p.stderr))
        self.assertEqual(self.fake.world.calls, [])

    def test_accepted_with_its_ca_bundle(self):
        p = self.run_cli("aws", "sts", "GetCallerIdentity",
                         env=self.tls_env(AWS_CA_BUNDLE=self.cert))
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("111111111111", p.stdout)
        p = self.run_cli("run", "--region", "us-east-1", "--report-only",
                         env=self.tls_env(AWS_CA_BUNDLE=self.cert))
        self.assertEqual(p.returncode, 0, p.stderr)

    def test_missing_bundle_is_an_error(self):
        p = self.run_cli("aws", "sts", "GetCallerIdentity",
                         env=self.tls_env(AWS_CA_BUNDLE=os.path.join(self.tls.name, "nope.pem")))
        self.assertFailsWith(p, 1, "TLS certificate verification failed")
        self.assertEqual(self.fake.world.calls, [])

    def test_other_tools_switches_do_not_disable_verification(self):
        # Variables curl, Python and Node honour to skip or redirect verification: not ours.
        env = self.tls_env(CURL_CA_BUNDLE=self.cert, SSL_CERT_FILE=self.cert,
                           REQUESTS_CA_BUNDLE=self.cert, PYTHONHTTPSVERIFY="0",
                           NODE_TLS_REJECT_UNAUTHORIZED="0", CURL_INSECURE="1",
                           AWS_VERIFY_SSL="false")
        p = self.run_cli("aws", "sts", "GetCallerIdentity", env=env)
        self.assertFailsWith(p, 1, "TLS certificate verification failed")
        self.assertEqual(self.fake.world.calls, [])


if __name__ == "__main__":
    import unittest
    unittest.main()
