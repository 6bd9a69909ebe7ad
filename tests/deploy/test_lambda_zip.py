#!/usr/bin/python3
"""The Lambda zip (deploy/package.sh) needs nothing from the machine it runs on.

Usage: test_lambda_zip.py ZIP [--emulator QEMU]

With --emulator (an arm64 zip on an x86_64 host), every program in the chroot runs under that
emulator, copied into ROOT/qemu: it must be static (qemu-user-static), so it brings no library
of the host. It stands in for the CPU; it resolves no file path for the guest.

The zip is unpacked to ROOT/var/task, where Lambda extracts it, and run under `chroot ROOT` with
nothing else in ROOT but an empty /tmp and, in /lib64 and /usr/lib64 (first in Lambda's
LD_LIBRARY_PATH), a decoy of every bundled library that cannot be loaded: the image's own
libraries must never be chosen over the bundle's. In there:
- the loader's `--list` resolves every needed library to /var/task/lib, and exactly the bundled
  ones;
- `bootstrap` serves one scheduled event from the fake Runtime API
  (tests/support/fake_lambda_runtime.py) against the simulated AWS (same network namespace,
  http on 127.0.0.1) and the pass completes;
- with AL2023's CA bundle layout (/etc/pki/tls/certs/ca-bundle.crt), an https call verifies
  the local test server; with no bundle it is refused with the paths named;
- as controls, the same binary pointing at the host's loader cannot even start there, and
  without its DT_RPATH it loads a decoy.
Outside the chroot: every symbol version any file needs (GLIBC_2.36 from libstdc++ included) is
defined by the bundled library of that name; PT_INTERP and DT_RPATH point into /var/task/lib;
and `package.sh --check` accepts the bundle but refuses a copy with an older libc, a DT_RUNPATH,
another DT_RPATH or the host's interpreter.

chroot needs root (CI runs as root); otherwise an unprivileged user namespace
(`unshare --user --map-root-user`) grants it, with the network namespace still shared.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fakeaws"))

from fakeawslib.server import FakeAws  # noqa: E402
from fakeawslib.state import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY  # noqa: E402

ZIP = None
EMULATOR = None
TASK = "/var/task"
RUNTIME = os.path.join(ROOT, "tests", "support", "fake_lambda_runtime.py")
HTTPD = os.path.join(ROOT, "tests", "support", "httpd.py")
PACKAGE = os.path.join(ROOT, "deploy", "package.sh")
# What the provided.al2023 runtime sets (docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html).
LAMBDA_ENV = {
    "LD_LIBRARY_PATH": "/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:"
                       "/var/task:/var/task/lib:/opt/lib",
    "PATH": "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
    "LAMBDA_TASK_ROOT": TASK,
    "LAMBDA_RUNTIME_DIR": "/var/runtime",
    "LANG": "en_US.UTF-8",
    "TZ": ":UTC",
    "_HANDLER": "spotswap",
    "AWS_LAMBDA_FUNCTION_NAME": "spotswap",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def chroot_cmd(root):
    # found on this PATH: the chrooted program gets Lambda's
    chroot = shutil.which("chroot", path="/usr/sbin:/sbin:/usr/bin:/bin")
    emulator = ["/qemu/" + os.path.basename(EMULATOR)] if EMULATOR else []
    if os.geteuid() == 0:
        return [chroot, root] + emulator
    return [shutil.which("unshare"), "--user", "--map-root-user", chroot, root] + emulator


def unpack(zip_path, dest):
    """Extracts with the modes stored in the zip (zipfile alone drops them)."""
    with zipfile.ZipFile(zip_path) as z:
        for info in z.infolist():
            path = z.extract(info, dest)
            mode = info.external_attr >> 16
            if mode and not info.is_dir():
                os.chmod(path, mode & 0o7777)
        return z.namelist()


def readelf(*args):
    return subprocess.run(["readelf", "-W", *args], capture_output=True, text=True,
                          check=True).stdout


def version_needs(path):
    """{(library, version)} from the file's .gnu.version_r (readelf -V)."""
    needs, current = set(), None
    in_section = False
    for line in readelf("-V", path).splitlines():
        if "Version needs section" in line:
            in_section = True
            continue
        if in_section and line.startswith("Version"):
            in_section = False
        if not in_section:
            continue
        m = re.search(r"File: (\S+)", line)
        if m:
            current = m.group(1)
            continue
        m = re.search(r"Name: (\S+)", line)
        if m and current:
            needs.add((current, m.group(1)))
    return needs


def version_definitions(path):
    """The version names the file defines (.gnu.version_d)."""
    defs, in_section = set(), False
    for line in readelf("-V", path).splitlines():
        if "Version definition section" in line:
            in_section = True
            continue
        if in_section and line.startswith("Version"):
            in_section = False
        if in_section:
            m = re.search(r"Name: (\S+)", line)
            if m:
                defs.add(m.group(1))
    return defs


class LambdaZipTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.join(cls.tmp.name, "root")
        task = cls.root + TASK
        os.makedirs(task)
        cls.names = unpack(ZIP, task)
        os.makedirs(os.path.join(cls.root, "tmp"))
        if EMULATOR:
            os.makedirs(os.path.join(cls.root, "qemu"))
            shutil.copy(EMULATOR, os.path.join(cls.root, "qemu"))
        os.chmod(os.path.join(cls.root, "tmp"), 0o1777)
        cls.lib = os.path.join(task, "lib")
        cls.libs = sorted(os.listdir(cls.lib))
        cls.loader = next((n for n in cls.libs if n.startswith("ld-linux")), None)
        # Decoys where Lambda's LD_LIBRARY_PATH looks first: loading any of them fails.
        for d in ("lib64", "usr/lib64"):
            os.makedirs(os.path.join(cls.root, d))
            for name in cls.libs:
                with open(os.path.join(cls.root, d, name), "w") as f:
                    f.write("not a library: the image's copy must never be loaded\n")

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def in_chroot(self, argv, env, timeout=60):
        return subprocess.run(chroot_cmd(self.root) + argv, env=env, capture_output=True,
                              text=True, timeout=timeout, check=False)

    def test_layout(self):
        self.assertIn("bootstrap", self.names)
        machine = re.search(r"Machine:\s+(.+)", readelf("-h", self.root + TASK + "/bootstrap"))
        self.assertEqual(machine.group(1).strip(),
                         "AArch64" if EMULATOR else "Advanced Micro Devices X86-64")
        self.assertIsNotNone(self.loader, self.libs)
        self.assertIn("libc.so.6", self.libs)
        headers = readelf("-l", os.path.join(self.root + TASK, "bootstrap"))
        m = re.search(r"Requesting program interpreter: ([^\]]+)\]", headers)
        self.assertEqual(m and m.group(1), TASK + "/lib/" + self.loader)
        dynamic = readelf("-d", os.path.join(self.root + TASK, "bootstrap"))
        self.assertIn("(RPATH)              Library rpath: [/var/task/lib]", dynamic)
        for name in ["bootstrap"] + ["lib/" + n for n in self.libs]:
            self.assertNotIn("(RUNPATH)", readelf("-d", os.path.join(self.root + TASK, name)),
                             name)

    def test_every_symbol_version_is_defined_by_the_bundle(self):
        defined = {n: version_definitions(os.path.join(self.lib, n)) for n in self.libs}
        unmet, glibc_needs = [], set()
        for name in ["bootstrap"] + ["lib/" + n for n in self.libs]:
            for lib, version in version_needs(os.path.join(self.root + TASK, name)):
                if version.startswith("GLIBC_"):
                    glibc_needs.add(version)
                if version not in defined.get(lib, set()):
                    unmet.append("%s needs %s from %s" % (name, version, lib))
        self.assertEqual(unmet, [])
        # not vacuous: the parser saw glibc needs (bootstrap's own at least)
        self.assertIn("GLIBC_2.2.5" if self.loader == "ld-linux-x86-64.so.2" else "GLIBC_2.17",
                      glibc_needs)
        # the self-check catches a need the bundle cannot meet
        self.assertNotIn("GLIBC_99.0", defined["libc.so.6"])

    def check_bundle(self, *patchelf):
        """package.sh --check on a copy of the bundle, changed by one patchelf call (or libm
        copied over libc when the call is "old-libc")."""
        with tempfile.TemporaryDirectory() as d:
            copy = os.path.join(d, "task")
            shutil.copytree(self.root + TASK, copy, symlinks=True)
            if patchelf == ("old-libc",):
                # a libc that lacks most GLIBC_x versions, as an older glibc would
                shutil.copy(os.path.join(copy, "lib", "libm.so.6"),
                            os.path.join(copy, "lib", "libc.so.6"))
            elif patchelf:
                subprocess.run(["patchelf"] + [a.replace("TASK", copy) for a in patchelf],
                               check=True)
            return subprocess.run(["bash", PACKAGE, "--check", copy], capture_output=True,
                                  text=True, timeout=120, check=False)

    def test_package_check(self):
        proc = self.check_bundle()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("self-contained", proc.stdout)
        proc = self.check_bundle("old-libc")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("the bundled glibc lacks:", proc.stderr)
        self.assertIn("bootstrap needs GLIBC_2.34", proc.stderr)
        proc = self.check_bundle("--set-rpath", "/opt/lib", "TASK/lib/libz.so.1")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("libz.so.1 has a DT_RUNPATH", proc.stderr)
        proc = self.check_bundle("--force-rpath", "--set-rpath", "$ORIGIN/lib", "TASK/bootstrap")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("bootstrap's DT_RPATH is '$ORIGIN/lib', not /var/task/lib", proc.stderr)
        proc = self.check_bundle("--set-interpreter", "/lib64/ld-linux-x86-64.so.2",
                                 "TASK/bootstrap")
        self.assertEqual(proc.returncode, 1)
        self.assertIn("interpreter /lib64/ld-linux-x86-64.so.2 is not a bundled loader",
                      proc.stderr)
        proc = subprocess.run(["bash", PACKAGE, "--arch", "mips"], capture_output=True,
                              text=True, timeout=60, check=False)
        self.assertEqual(proc.returncode, 2)
        self.assertIn("--arch is x86_64 or arm64", proc.stderr)

    def test_loader_resolves_everything_to_the_bundle(self):
        env = dict(LAMBDA_ENV)
        proc = self.in_chroot([TASK + "/lib/" + self.loader, "--list", TASK + "/bootstrap"], env)
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        resolved = {}
        for line in proc.stdout.splitlines():
            m = re.match(r"\s*(\S+) => (\S+)", line)
            if m:
                resolved[m.group(1)] = m.group(2)
        self.assertNotIn("not found", proc.stdout)
        self.assertEqual({n: p for n, p in resolved.items() if not p.startswith(TASK + "/lib/")},
                         {})
        self.assertEqual(sorted(list(resolved) + [self.loader]), sorted(self.libs))

    def test_host_loader_is_absent(self):
        # Control: the chroot really lacks the host's system; the same binary with the usual
        # loader path cannot start there.
        shutil.copy(os.path.join(self.root + TASK, "bootstrap"),
                    os.path.join(self.root, "tmp", "unbundled"))
        host_loader = "/lib64/ld-linux-x86-64.so.2" if self.loader.startswith("ld-linux-x86") \
            else "/lib/ld-linux-aarch64.so.1"
        subprocess.run(["patchelf", "--set-interpreter", host_loader,
                        os.path.join(self.root, "tmp", "unbundled")], check=True)
        try:
            proc = self.in_chroot(["/tmp/unbundled", "--version"], dict(LAMBDA_ENV))
        finally:
            os.remove(os.path.join(self.root, "tmp", "unbundled"))
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn("spotswap", proc.stdout)
        proc = self.in_chroot([TASK + "/bootstrap", "--version"], dict(LAMBDA_ENV))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(proc.stdout.startswith("spotswap "), proc.stdout)

    def test_decoys_bite_without_the_rpath(self):
        # Control: without its DT_RPATH the binary takes the decoys in /lib64 (Lambda's
        # LD_LIBRARY_PATH order) and fails, so the resolution test above proves the ordering.
        copy = os.path.join(self.root, "tmp", "norpath")
        shutil.copy(os.path.join(self.root + TASK, "bootstrap"), copy)
        subprocess.run(["patchelf", "--remove-rpath", copy], check=True)
        try:
            proc = self.in_chroot(["/tmp/norpath", "--version"], dict(LAMBDA_ENV))
        finally:
            os.remove(copy)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("/lib64/", proc.stderr)

    def exchanges(self, stderr):
        lines = []
        for line in stderr.splitlines():
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if doc.get("msg") == "http exchange":
                lines.append(doc)
        return lines

    def test_https_finds_the_al2023_ca_bundle(self):
        # Debian's libcurl looks for /etc/ssl/certs/ca-certificates.crt; AL2023 has
        # /etc/pki/tls/certs/ca-bundle.crt (and /etc/ssl/certs -> ../pki/tls/certs).
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        port_file, tls_dir = os.path.join(d.name, "ports"), os.path.join(d.name, "tls")
        os.mkdir(tls_dir)
        httpd = subprocess.Popen(["/usr/bin/python3", HTTPD, port_file, tls_dir])
        self.addCleanup(httpd.wait)
        self.addCleanup(httpd.kill)
        for _ in range(400):  # the certificate is generated first
            if os.path.exists(port_file) or httpd.poll() is not None:
                break
            time.sleep(0.05)
        with open(port_file) as f:
            https_port = f.read().split()[1]
        env = dict(LAMBDA_ENV)
        env.update({
            "AWS_ENDPOINT_URL": "https://127.0.0.1:" + https_port,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": DEFAULT_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": DEFAULT_SECRET_KEY,
            "SPOTSWAP_LOG_LEVEL": "debug",
        })
        call = [TASK + "/bootstrap", "aws", "sts", "GetCallerIdentity"]
        # no bundle at all: refused, with the paths named, never sent unverified
        proc = self.in_chroot(call, env)
        self.assertNotEqual(proc.returncode, 0)
        self.assertIn("no CA bundle found: set AWS_CA_BUNDLE", proc.stderr)
        self.assertIn("/etc/pki/tls/certs/ca-bundle.crt", proc.stderr)
        results = {x["result"] for x in self.exchanges(proc.stderr)}
        self.assertEqual(results, {"SPS_ERR_HTTP_TLS"}, proc.stderr)
        # AL2023's layout, its bundle trusting the local server: the handshake is verified
        etc = os.path.join(self.root, "etc")
        os.makedirs(os.path.join(etc, "pki", "tls", "certs"))
        os.makedirs(os.path.join(etc, "ssl"))
        try:
            shutil.copy(os.path.join(tls_dir, "cert.pem"),
                        os.path.join(etc, "pki", "tls", "certs", "ca-bundle.crt"))
            os.symlink("../pki/tls/certs", os.path.join(etc, "ssl", "certs"))
            proc = self.in_chroot(call, env)
        finally:
            shutil.rmtree(etc)
        exchanges = self.exchanges(proc.stderr)
        self.assertTrue(exchanges, proc.stderr)
        for x in exchanges:
            self.assertTrue(x["url"].startswith("https://127.0.0.1:"), x)
            self.assertEqual(x["result"], "SPS_OK", x)  # an HTTP answer arrived over TLS
        self.assertNotIn("no CA bundle found", proc.stderr)

    def test_bootstrap_serves_a_scheduled_event(self):
        with open(os.path.join(ROOT, "tests", "fakeaws", "scenarios", "e2e_lambda.json")) as f:
            fake = FakeAws(json.load(f)).start()
        self.addCleanup(fake.stop)
        d = tempfile.TemporaryDirectory()
        self.addCleanup(d.cleanup)
        port_file, events_file, record_file = (os.path.join(d.name, n)
                                               for n in ("port", "events.json", "record.json"))
        with open(os.path.join(ROOT, "tests", "fixtures", "lambda", "scheduled-event.json")) as f:
            scheduled = json.load(f)
        scheduled["region"] = "us-east-1"
        with open(events_file, "w") as f:
            json.dump([{"request_id": "r-scheduled", "body": json.dumps(scheduled)}], f)
        runtime = subprocess.Popen(["/usr/bin/python3", RUNTIME, port_file, events_file,
                                    record_file])
        self.addCleanup(runtime.wait)
        self.addCleanup(runtime.kill)
        for _ in range(200):
            if os.path.exists(port_file):
                break
            time.sleep(0.05)
        with open(port_file) as f:
            api = "127.0.0.1:" + f.read().strip()
        env = dict(LAMBDA_ENV)
        env.update({
            "AWS_LAMBDA_RUNTIME_API": api,
            "AWS_ENDPOINT_URL": fake.endpoint,
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_ACCESS_KEY_ID": DEFAULT_ACCESS_KEY,
            "AWS_SECRET_ACCESS_KEY": DEFAULT_SECRET_KEY,
            "SPOTSWAP_LOG_LEVEL": "warn",
        })
        proc = self.in_chroot([TASK + "/bootstrap"], env, timeout=120)
        with open(record_file) as f:
            records = {r["request_id"]: r for r in json.load(f)}
        self.assertEqual(set(records), {"r-scheduled"}, proc.stderr)
        r = records["r-scheduled"]
        self.assertEqual(r["kind"], "response", r)
        report = json.loads(r["body"])
        self.assertEqual(report["mode"], "run")
        groups = [g for region in report["regions"] for g in region.get("groups", [])]
        web = [g for g in groups if g["name"] == "web"]
        self.assertEqual(len(web), 1, report)
        self.assertEqual(web[0]["in_service"], 3)
        # it exits when the API answers 500 (the queue is empty), not on a loading error
        self.assertNotEqual(proc.returncode, 0)
        self.assertNotIn("error while loading", proc.stderr)
        with urllib_open(fake.endpoint + "/_fake/calls?all=1") as calls:
            actions = {c["action"] for c in calls}
        self.assertIn("DescribeAutoScalingGroups", actions)


def urllib_open(url):
    import contextlib
    import urllib.request

    @contextlib.contextmanager
    def opened():
        with urllib.request.urlopen(url, timeout=10) as r:
            doc = json.load(r)
        yield doc["calls"] if isinstance(doc, dict) else doc
    return opened()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: test_lambda_zip.py ZIP [--emulator QEMU] [unittest args]")
    ZIP = os.path.abspath(sys.argv.pop(1))
    if len(sys.argv) > 2 and sys.argv[1] == "--emulator":
        EMULATOR = sys.argv[2]
        del sys.argv[1:3]
        info = subprocess.run(["readelf", "-l", EMULATOR], capture_output=True, text=True,
                              check=True).stdout
        if "Requesting program interpreter" in info:
            sys.exit("test_lambda_zip.py: the emulator must be static: " + EMULATOR)
    unittest.main(verbosity=2)
