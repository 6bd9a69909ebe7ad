#!/usr/bin/python3
"""botocore cross-check of spotswap's SigV4 signer.

Runs the C generator (sigv4_crossgen), which builds requests shaped like spotswap's and signs
them with sps_aws_sigv4_sign, then re-signs every request with botocore's SigV4Auth (the clock
frozen at the request's time) and requires the same Authorization, X-Amz-Date and
X-Amz-Security-Token headers. Prints "N passed, N failed"; exits non-zero on any mismatch.

    /usr/bin/python3 sigv4_botocore_crosscheck.py <path/to/sigv4_crossgen> [count] [seed]
"""
import datetime
import json
import subprocess
import sys
from unittest import mock

import botocore
import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

ADDED_BY_SIGNER = {"authorization", "x-amz-date", "x-amz-security-token"}


def botocore_sign(case):
    """The request as botocore would sign it: returns its headers after add_auth."""
    request = AWSRequest(method=case["method"], url=case["url"],
                         data=case["body"].encode("utf-8"))
    for name, value in case["headers"]:
        request.headers[name] = value  # HTTPHeaders appends: repeated names are kept
    now = datetime.datetime.utcfromtimestamp(case["now_ms"] // 1000)

    class FrozenDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return now

    credentials = Credentials(case["access_key_id"], case["secret_access_key"],
                              case["session_token"])
    with mock.patch.object(botocore.auth.datetime, "datetime", FrozenDatetime):
        SigV4Auth(credentials, case["service"], case["region"]).add_auth(request)
    return request.headers


def header(pairs, name):
    values = [v for k, v in pairs if k.lower() == name]
    return values[0] if len(values) == 1 else (None if not values else values)


def check(case):
    """A list of differences between our signed request and botocore's (empty when equal)."""
    theirs = botocore_sign(case)
    ours = case["signed_headers"]
    problems = []
    for name in ("authorization", "x-amz-date", "x-amz-security-token"):
        mine = header(ours, name)
        other = theirs.get(name)
        if mine != other:
            problems.append(f"{name}:\n    ours     {mine!r}\n    botocore {other!r}")
    # Signing must leave every other header as it was.
    kept = [(k, v) for k, v in ours if k.lower() not in ADDED_BY_SIGNER]
    given = [(k, v) for k, v in case["headers"] if k.lower() not in ADDED_BY_SIGNER]
    if kept != given:
        problems.append(f"headers changed: {given!r} -> {kept!r}")
    return problems


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    generator = argv[1]
    count = argv[2] if len(argv) > 2 else "1500"
    seed = argv[3] if len(argv) > 3 else "20261124"
    run = subprocess.run([generator, count, seed], capture_output=True, text=True,
                         encoding="utf-8")
    if run.returncode != 0:
        print(f"generator failed ({run.returncode}):\n{run.stderr}", file=sys.stderr)
        return 1
    lines = run.stdout.splitlines()
    if len(lines) != int(count):
        print(f"generator printed {len(lines)} requests, expected {count}", file=sys.stderr)
        return 1
    passed = failed = 0
    for line in lines:
        case = json.loads(line)
        problems = check(case)
        if problems:
            failed += 1
            if failed <= 10:
                print(f"request {case['index']}: {case['method']} {case['url']!r}")
                for p in problems:
                    print("  " + p)
        else:
            passed += 1
    print(f"botocore {botocore.__version__}, seed {seed}: {passed} passed, {failed} failed")
    if not self_test(json.loads(lines[0])):
        return 1
    return 1 if failed or passed == 0 else 0


def self_test(case):
    """The comparison must notice a wrong signature, a wrong date and a dropped token."""
    def tampered(name, change):
        copy = json.loads(json.dumps(case))
        copy["signed_headers"] = [[k, change(v) if k.lower() == name else v]
                                  for k, v in copy["signed_headers"]]
        return copy
    flip = {"0": "1"}
    bad = [
        tampered("authorization", lambda v: v[:-1] + flip.get(v[-1], "0")),
        tampered("x-amz-date", lambda v: v.replace("Z", "0Z")),
        dict(case, signed_headers=case["signed_headers"] + [["X-Extra", "1"]]),
    ]
    caught = sum(1 for c in bad if check(c))
    if caught != len(bad):
        print(f"self-test: only {caught} of {len(bad)} tampered requests were caught")
        return False
    return True


if __name__ == "__main__":
    sys.exit(main(sys.argv))
