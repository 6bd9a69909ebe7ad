"""SigV4 verification using botocore's own signer.

The fake recomputes the signature with botocore.auth.SigV4Auth instead of a
hand-rolled canonicaliser, so a client that signs differently from the AWS
SDKs (the thing spotswap must get right in C) is refused here as it would be
by AWS.
"""
import datetime
import hashlib
import hmac
import re

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.compat import HTTPHeaders
from botocore.credentials import Credentials

from .wire import AwsError

_AUTH_RE = re.compile(
    r"AWS4-HMAC-SHA256\s+Credential=(?P<cred>[^,\s]+),\s*"
    r"SignedHeaders=(?P<signed>[^,\s]+),\s*Signature=(?P<sig>[0-9a-f]+)")

# AWS refuses requests whose X-Amz-Date is further than this from its clock.
MAX_SKEW = datetime.timedelta(minutes=15)


class _ListedHeadersAuth(SigV4Auth):
    """Signs exactly the headers the client said it signed."""

    def __init__(self, credentials, service, region, signed):
        super().__init__(credentials, service, region)
        self._signed = signed

    def headers_to_sign(self, request):
        hm = HTTPHeaders()
        for name in self._signed:
            for v in request.headers.get_all(name) or []:
                hm.add_header(name, v)
        return hm


class Scope:
    def __init__(self, access_key, date, region, service):
        self.access_key, self.date, self.region, self.service = (
            access_key, date, region, service)


def parse_authorization(headers):
    """Returns (scope, signed_headers, signature); raises for a missing or
    malformed header, which AWS calls MissingAuthenticationToken /
    IncompleteSignature."""
    auth = headers.get("Authorization")
    if not auth:
        raise AwsError("MissingAuthenticationToken",
                       "Request is missing Authentication Token", 403)
    m = _AUTH_RE.match(auth.strip())
    if not m:
        raise AwsError("IncompleteSignature",
                       f"Authorization header requires 'Credential', 'Signature' and "
                       f"'SignedHeaders' parameters. Authorization={auth}", 403)
    parts = m.group("cred").split("/")
    if len(parts) != 5 or parts[4] != "aws4_request":
        raise AwsError("IncompleteSignature",
                       "Credential should be scoped to a valid region.", 403)
    scope = Scope(parts[0], parts[1], parts[2], parts[3])
    return scope, m.group("signed").split(";"), m.group("sig")


def verify(method, url, headers, body, scope, signed, signature, secret, token):
    """Raises AwsError(SignatureDoesNotMatch) when the signature is wrong."""
    amz_date = headers.get("X-Amz-Date")
    if not amz_date or "host" not in signed:
        raise AwsError("IncompleteSignature",
                       "Authorization header requires existence of either a "
                       "'X-Amz-Date' or a 'Date' header.", 403)
    req = AWSRequest(method=method, url=url, data=body)
    for k, v in headers.items():
        req.headers.add_header(k, v)
    req.context["timestamp"] = amz_date
    # A declared payload hash is only trusted when it matches the body, so a
    # tampered body cannot hide behind a stale X-Amz-Content-SHA256.
    declared = headers.get("X-Amz-Content-SHA256")
    if declared and declared != "UNSIGNED-PAYLOAD" and \
            declared != hashlib.sha256(body).hexdigest():
        raise _mismatch()
    creds = Credentials(scope.access_key, secret, token)
    auth = _ListedHeadersAuth(creds, scope.service, scope.region, signed)
    canonical = auth.canonical_request(req)
    expected = auth.signature(auth.string_to_sign(req, canonical), req)
    if amz_date[:8] != scope.date or not hmac.compare_digest(expected, signature):
        raise _mismatch()


def _mismatch():
    return AwsError(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you "
        "provided. Check your AWS Secret Access Key and signing method. Consult "
        "the service documentation for details.", 403)


def check_skew(headers, now_real):
    """AWS compares X-Amz-Date with its real clock, not with anything virtual."""
    try:
        t = datetime.datetime.strptime(headers.get("X-Amz-Date", ""), "%Y%m%dT%H%M%SZ")
    except ValueError:
        return None
    t = t.replace(tzinfo=datetime.timezone.utc)
    if abs(now_real - t) > MAX_SKEW:
        return t
    return None
