#!/usr/bin/python3
"""deploy/deploy.sh against a fake `aws` that records its calls: the zip is uploaded under its
hash (and not again when already there), the stack gets the bucket, key, architecture and the
overrides, the regional stack its bus; and each refusal (missing zip, zip without bootstrap,
missing bucket, region or bus) stops before any AWS call."""
import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEPLOY = os.path.join(ROOT, "deploy", "deploy.sh")
FAKE_AWS = """#!/bin/sh
echo "$*" >> "$FAKE_AWS_LOG"
case "$*" in
  *head-object*) [ -n "$FAKE_AWS_OBJECT_EXISTS" ] && exit 0; exit 254 ;;
esac
exit 0
"""


def run(tmp, args, exists=False):
    log = os.path.join(tmp, "calls.log")
    if os.path.exists(log):
        os.remove(log)
    env = {"PATH": tmp + ":/usr/bin:/bin", "FAKE_AWS_LOG": log, "HOME": tmp}
    if exists:
        env["FAKE_AWS_OBJECT_EXISTS"] = "1"
    proc = subprocess.run(["bash", DEPLOY] + args, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    calls = open(log).read().splitlines() if os.path.exists(log) else []
    return proc, calls


def main():
    failures = []

    def check(what, cond, detail=""):
        if not cond:
            failures.append("%s %s" % (what, detail))

    with tempfile.TemporaryDirectory() as tmp:
        aws = os.path.join(tmp, "aws")
        with open(aws, "w") as f:
            f.write(FAKE_AWS)
        os.chmod(aws, 0o755)
        good = os.path.join(tmp, "good.zip")
        with zipfile.ZipFile(good, "w") as z:
            z.writestr("bootstrap", "#!/bin/sh\n")
        bad = os.path.join(tmp, "bad.zip")
        with zipfile.ZipFile(bad, "w") as z:
            z.writestr("spotswap", "x")
        key = "spotswap/%s.zip" % hashlib.sha256(open(good, "rb").read()).hexdigest()

        proc, calls = run(tmp, ["--bucket", "bkt", "--region", "eu-west-1", "--zip", good,
                                "--arch", "arm64", "--", "ReportOnly=true", "Regions=eu-west-1"])
        check("main deploy succeeds", proc.returncode == 0, proc.stderr)
        check("uploads under the hash", any(c.startswith("s3 cp") and "s3://bkt/" + key in c
                                            for c in calls), calls)
        deploy = [c for c in calls if c.startswith("cloudformation deploy")]
        check("one deploy", len(deploy) == 1, calls)
        if deploy:
            d = deploy[0]
            for want in ["spotswap.yaml", "--stack-name spotswap ", "CAPABILITY_NAMED_IAM",
                         "CodeS3Bucket=bkt", "CodeS3Key=" + key, "Architecture=arm64",
                         "ReportOnly=true", "Regions=eu-west-1", "--region eu-west-1"]:
                check("deploy has " + want, want in d, d)

        proc, calls = run(tmp, ["--bucket", "bkt", "--region", "eu-west-1", "--zip", good],
                          exists=True)
        check("unchanged zip not uploaded again", proc.returncode == 0 and
              not any(c.startswith("s3 cp") for c in calls), calls)

        proc, calls = run(tmp, ["--regional", "--region", "ap-south-1", "--bus",
                                "arn:aws:events:eu-west-1:111111111111:event-bus/default"])
        check("regional deploy", proc.returncode == 0 and len(calls) == 1 and
              "regional.yaml" in calls[0] and "TargetEventBusArn=arn:aws:events:eu-west-1"
              in calls[0] and "--region ap-south-1" in calls[0], calls)

        refusals = [
            (["--bucket", "bkt", "--region", "r", "--zip", os.path.join(tmp, "none.zip")],
             "not found"),
            (["--bucket", "bkt", "--region", "r", "--zip", bad], "no bootstrap"),
            (["--region", "r", "--zip", good], "--bucket is required"),
            (["--bucket", "bkt", "--zip", good], "--region is required"),
            (["--regional", "--region", "r"], "needs --bus"),
            (["--bucket", "bkt", "--region", "r", "--zip", good, "--arch", "sparc"],
             "x86_64 or arm64"),
            (["--bogus"], "unknown argument"),
        ]
        for args, msg in refusals:
            proc, calls = run(tmp, args)
            check("refuses %s" % args, proc.returncode != 0 and msg in proc.stderr and
                  not calls, "rc=%d stderr=%r calls=%r" % (proc.returncode, proc.stderr, calls))

    for f in failures:
        print("FAILED: " + f)
    print("deploy.sh: %d failures" % len(failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
