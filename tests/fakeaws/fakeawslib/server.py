"""HTTP front end: one loopback port for every service plus /_fake/ admin.

The service and region of a request come from its SigV4 credential scope,
exactly as AWS routes by signing scope, so a client that signs for the wrong
service or region gets the wrong (or no) answer here too.
"""
import datetime
import email.utils
import json
import logging
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import admin, autoscaling, ec2, pricing, scenario, sigauth, sts
from .util import Ctx
from .wire import (SERVICES, AwsError, json_error, json_response, model, parse_form,
                   parse_query_input, xml_error, xml_response)

log = logging.getLogger("fakeaws")

HANDLERS = {"ec2": ec2.HANDLERS, "autoscaling": autoscaling.HANDLERS, "sts": sts.HANDLERS,
            "pricing": pricing.HANDLERS}

THROTTLE = {"ec2": ("RequestLimitExceeded", "Request limit exceeded.", 503),
            "autoscaling": ("Throttling", "Rate exceeded", 400),
            "sts": ("Throttling", "Rate exceeded", 400),
            "pricing": ("ThrottlingException", "Rate exceeded", 400)}


def unknown_key_error(service):
    if service == "ec2":
        # EC2 answers AuthFailure with 401 Unauthorized.
        return AwsError("AuthFailure", "AWS was not able to validate the provided access "
                                       "credentials", 401)
    if service == "pricing":
        return AwsError("UnrecognizedClientException",
                        "The security token included in the request is invalid.", 403)
    return AwsError("InvalidClientTokenId",
                    "The security token included in the request is invalid.", 403)


def expired_error(service):
    if service == "ec2":
        # See docs/fakeaws.md: EC2 reports expired temporary credentials as
        # RequestExpired (400), per its common-errors reference.
        return AwsError("RequestExpired", "Request has expired.", 400)
    if service == "pricing":
        return AwsError("ExpiredTokenException",
                        "The security token included in the request is expired", 403)
    return AwsError("ExpiredToken", "The security token included in the request is expired", 403)


def signature_error(service, err):
    if service == "pricing" and err.code == "SignatureDoesNotMatch":
        return AwsError("InvalidSignatureException", err.message, 403)
    return err


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stalls
    server_version = "fakeaws"
    # Headers and body go out in two writes; with Nagle on, the body waits for the client's
    # delayed ACK of the headers (40 ms on Linux) on a kept-alive connection.
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        log.debug("%s " + fmt, self.client_address[0], *args)

    def _body(self):
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            # libcurl streams unknown-length bodies this way; AWS accepts it.
            out = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(out)
                out.append(self.rfile.read(size))
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def date_time_string(self, timestamp=None):
        # AWS's Date header is AWS's clock: here, the world's virtual time, so clients that
        # measure instance ages against the service's clock see the advanced time too.
        fake = getattr(self.server, "fake", None)
        now = fake.world.now() if fake is not None and timestamp is None else timestamp
        return email.utils.formatdate(now, usegmt=True)

    def _send(self, status, body, ctype, headers=None, truncate=False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if truncate:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body[: len(body) // 2] if truncate else body)
        self.wfile.flush()

    def do_GET(self):
        self._dispatch()

    def do_POST(self):
        self._dispatch()

    def do_DELETE(self):
        self._dispatch()

    def _dispatch(self):
        body = self._body()
        fake = self.server.fake
        if self.path.startswith("/_fake/"):
            if self.client_address[0] not in ("127.0.0.1", "::1"):
                return self._send(403, b'{"error":"loopback only"}', "application/json")
            status, doc = admin.handle(fake, self.command, self.path, body)
            return self._send(status, json.dumps(doc, default=str).encode(), "application/json")
        self._aws(fake, body)

    def _aws(self, fake, body):
        # The simulated network and service latency: every AWS call waits, outside the world
        # lock, so concurrent calls overlap as they would against AWS.
        if fake.latency_ms:
            time.sleep(fake.latency_ms / 1000.0)
        world = fake.world
        service, action, fault = None, None, None
        rid = world.request_id()
        try:
            scope, signed, sig = sigauth.parse_authorization(self.headers)
            service = scope.service
            if service not in SERVICES:
                raise AwsError("UnknownService", f"Unknown service {service}", 400)
            sm = model(service)
            if sm.protocol == "json":
                target = self.headers.get("X-Amz-Target", "")
                action = target.split(".", 1)[-1]
            else:
                form = parse_form(body.decode("utf-8", "replace"), self.path.partition("?")[2])
                action = form.get("Action", "")
            cred = world.credentials.get(scope.access_key)
            if cred is None:
                raise unknown_key_error(service)
            # A session token must come with exactly the key it was issued with.
            if self.headers.get("X-Amz-Security-Token") != cred["token"]:
                raise unknown_key_error(service)
            if cred["expires"] is not None and world.now() >= cred["expires"]:
                raise expired_error(service)
            skew = sigauth.check_skew(self.headers, datetime.datetime.now(datetime.timezone.utc))
            if skew is not None:
                if service == "ec2":
                    raise AwsError("RequestExpired", "Request has expired.", 400)
                raise signature_error(service, AwsError(
                    "SignatureDoesNotMatch", f"Signature expired: "
                    f"{self.headers.get('X-Amz-Date')} is now outside the allowed 15 minute "
                    f"window.", 403))
            url = f"http://{self.headers.get('Host', '')}{self.path}"
            try:
                sigauth.verify(self.command, url, self.headers, body, scope, signed, sig,
                               cred["secret"], cred["token"])
            except AwsError as e:
                raise signature_error(service, e)
            handlers = HANDLERS[service]
            if action not in handlers:
                if sm.protocol == "json":
                    raise AwsError("UnknownOperationException", "", 400)
                raise AwsError("InvalidAction", f"The action {action} is not valid for this "
                                                f"web service.", 400)
            op = sm.operation_model(action)
            if sm.protocol == "json":
                params = json.loads(body or b"{}")
            else:
                params = parse_query_input(op.input_shape, form, sm.protocol == "ec2")
            fault = world.take_fault(service, action)
            if fault:
                self._pre_fault(service, fault)
            with world.lock:
                ctx = Ctx(world, service, world.accounts[cred["account"]], scope.region, cred)
                if ctx.region is not None:
                    world.reconcile(ctx.region)
                try:
                    result = handlers[action](ctx, params)
                finally:
                    if not action.startswith(("Describe", "Get", "List")):
                        world.mutated()
                if ctx.region is not None:
                    world.reconcile(ctx.region)
            if sm.protocol == "json":
                out = json_response(service, action, result)
                ctype = "application/x-amz-json-1.1"
            else:
                out = xml_response(service, action, result, rid)
                ctype = "text/xml;charset=UTF-8"
            if fault and fault["kind"] == "malformed":
                out = out[: len(out) // 3] + b"<<<not xml or json"
            self._record(world, service, action, body, cred, scope, "ok", 200, fault)
            try:
                self._send(200, out, ctype, {"x-amzn-RequestId": rid},
                           truncate=bool(fault and fault["kind"] == "truncated"))
            except (BrokenPipeError, ConnectionResetError):
                # The client gave up (a timeout): the call was carried out and logged once,
                # as AWS would; there is no one left to answer.
                self.close_connection = True
        except AwsError as e:
            self._error(world, service, action, e, rid, body, fault)
        except Exception as e:  # a bug in the fake must still look like AWS
            log.exception("internal error")
            self._error(world, service, action,
                        AwsError("InternalError" if service == "ec2" else "InternalFailure",
                                 f"fakeaws internal error: {e}", 500), rid, body, fault)

    def _pre_fault(self, service, fault):
        kind = fault["kind"]
        if kind == "slow":
            time.sleep(fault.get("delay_ms", 1000) / 1000.0)
        elif kind == "throttle":
            raise AwsError(*THROTTLE[service])
        elif kind == "500":
            raise AwsError("InternalError" if service == "ec2" else "InternalFailure",
                           "We encountered an internal error. Please try again.", 500)
        elif kind == "503":
            raise AwsError("Unavailable" if service == "ec2" else "ServiceUnavailable",
                           "The service is unavailable. Please try again shortly.", 503)
        elif kind == "expired_token":
            raise expired_error(service)
        elif kind == "capacity":
            raise AwsError("InsufficientInstanceCapacity",
                           "There is no Spot capacity available that matches your request.", 500)

    def _record(self, world, service, action, body, cred, scope, result, status, fault):
        mutating = not action.startswith(("Describe", "Get", "List"))
        params = {}
        try:
            if service == "pricing":
                params = json.loads(body or b"{}")
            else:
                params = parse_form(body.decode("utf-8", "replace"))
                params.pop("Version", None)
                params.pop("Action", None)
        except ValueError:
            pass
        world.log_call({"service": service, "action": action, "params": params,
                        "account": cred["account"] if cred else None,
                        "region": scope.region if scope else None,
                        "time": world.now(), "result": result, "status": status,
                        "mutating": mutating, "fault": fault["kind"] if fault else None})
        log.info("%s %s %s -> %s %s", service, scope.region if scope else "-", action,
                 status, result)

    def _error(self, world, service, action, err, rid, body, fault):
        service = service or "sts"
        if model(service).protocol == "json":
            out = json_error(err)
            headers = {"x-amzn-RequestId": rid, "x-amzn-ErrorType": err.code}
            ctype = "application/x-amz-json-1.1"
        else:
            out = xml_error(service, err, rid)
            headers = {"x-amzn-RequestId": rid}
            ctype = "text/xml;charset=UTF-8"
        if action:
            try:
                scope = sigauth.parse_authorization(self.headers)[0]
            except AwsError:
                scope = None
            cred = world.credentials.get(scope.access_key) if scope else None
            self._record(world, service, action, body, cred, scope, err.code, err.status, fault)
        try:
            self._send(err.status, out, ctype, headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up; the error was logged


MAX_LATENCY_MS = 60000


def check_latency(ms):
    """A latency in whole milliseconds, 0..MAX_LATENCY_MS; anything else is a ValueError."""
    if isinstance(ms, bool) or not isinstance(ms, int) or not 0 <= ms <= MAX_LATENCY_MS:
        raise ValueError(f"latency_ms must be a whole number of milliseconds from 0 to "
                         f"{MAX_LATENCY_MS}, not {ms!r}")
    return ms


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # socketserver's default backlog of 5 drops the SYNs of a client opening more connections
    # at once (spotswap opens up to 4 x concurrency), and a dropped SYN costs a 1 s retransmit.
    request_queue_size = 256


class FakeAws:
    """In-process fake: FakeAws(scenario_doc).start(); .endpoint; .stop()."""

    def __init__(self, scenario_doc=None, port=0, host="127.0.0.1", latency_ms=0):
        self.host = host
        self.port = port
        # Kept on the server, not the world, so a reset keeps it.
        self.latency_ms = check_latency(latency_ms)
        self.world = scenario.build(scenario_doc)
        self.scenario_doc = scenario_doc
        self.httpd = None
        self.thread = None
        self.stopped = threading.Event()

    @property
    def endpoint(self):
        return f"http://{self.host}:{self.port}"

    def reset(self, doc):
        self.world = scenario.build(doc)
        self.scenario_doc = doc

    def bind(self):
        self.httpd = _Server((self.host, self.port), Handler)
        self.httpd.fake = self
        self.port = self.httpd.server_address[1]
        return self

    def start(self):
        if self.httpd is None:
            self.bind()
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,),
                                       name="fakeaws", daemon=True)
        self.thread.start()
        return self

    def serve_forever(self):
        if self.httpd is None:
            self.bind()
        self.httpd.serve_forever()

    def stop(self):
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.httpd = None
        self.stopped.set()
