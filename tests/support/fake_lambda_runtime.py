#!/usr/bin/python3
"""A fake AWS Lambda Runtime API (2018-06-01) for the end-to-end test of spotswap's runtime loop
(tests/unit/test_lambda_e2e.c, started through tests/support/lambda_runtime_server.c).

Usage: fake_lambda_runtime.py PORT_FILE EVENTS_FILE RECORD_FILE

EVENTS_FILE is a JSON array of invocations, served in order by
GET /2018-06-01/runtime/invocation/next:
    {"request_id": "r1", "body": "<the raw payload>", "trace_id": "Root=..." (optional)}
Once the queue is empty, /next answers 500 as the real API does when the runtime must exit.

Results are appended to RECORD_FILE (a JSON array, rewritten atomically before the answer is
sent, so a client that got its answer can read its record):
    {"kind": "response" | "error" | "init_error", "request_id": ..., "body": ...,
     "error_type": <Lambda-Runtime-Function-Error-Type>, "content_type": ...}
Like the real API, a result is accepted (202) only for the invocation in flight, once; any other
request id gets 400, a malformed path 404.

Binds 127.0.0.1 on a free port and writes it to PORT_FILE (atomically). Runs until killed.
"""
import json
import os
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01/runtime"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:spotswap"

_lock = threading.Lock()
_queue = []
_records = []
_in_flight = None
_record_file = None


def _save():
    tmp = _record_file + ".tmp"
    with open(tmp, "w") as f:
        json.dump(_records, f)
    os.rename(tmp, _record_file)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def _reply(self, status, doc, headers=()):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        global _in_flight
        if self.path != PREFIX + "/invocation/next":
            self._reply(404, {"errorType": "NotFound", "errorMessage": self.path})
            return
        with _lock:
            event = _queue.pop(0) if _queue else None
            _in_flight = event["request_id"] if event else None
        if event is None:
            self._reply(500, {"errorType": "Runtime.ExitError",
                              "errorMessage": "no more invocations"})
            return
        body = event["body"].encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Lambda-Runtime-Aws-Request-Id", event["request_id"])
        self.send_header("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 60000))
        self.send_header("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN)
        if event.get("trace_id"):
            self.send_header("Lambda-Runtime-Trace-Id", event["trace_id"])
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        global _in_flight
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        record = {"body": body,
                  "error_type": self.headers.get("Lambda-Runtime-Function-Error-Type"),
                  "content_type": self.headers.get("Content-Type")}
        if self.path == PREFIX + "/init/error":
            record.update(kind="init_error", request_id=None)
        else:
            m = re.fullmatch(re.escape(PREFIX) + r"/invocation/([^/]+)/(response|error)", self.path)
            if not m:
                self._reply(404, {"errorType": "NotFound", "errorMessage": self.path})
                return
            with _lock:
                if m.group(1) != _in_flight:
                    self._reply(400, {"errorType": "InvalidRequestID",
                                      "errorMessage": "no invocation " + m.group(1)})
                    return
                _in_flight = None
            record.update(kind=m.group(2), request_id=m.group(1))
        with _lock:
            _records.append(record)
            _save()
        self._reply(202, {"status": "OK"})


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


def main():
    global _record_file
    port_file, events_file, _record_file = sys.argv[1:4]
    with open(events_file) as f:
        _queue.extend(json.load(f))
    _save()
    server = Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{server.server_address[1]}\n")
    os.rename(tmp, port_file)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
