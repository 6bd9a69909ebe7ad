#!/usr/bin/python3
"""A small local HTTP(S) server for the libcurl transport tests (tests/unit/test_http_curl.c).

Usage: httpd.py PORT_FILE [TLS_DIR]
Binds 127.0.0.1 on free ports, serves HTTP (and HTTPS with a self-signed certificate generated
into TLS_DIR/cert.pem when TLS_DIR is given), then writes "<http_port> <https_port>" to
PORT_FILE (atomically) so the test knows where to connect. Runs until killed.

Endpoints (any method):
  /echo           body: "METHOD PATH\\n" + request headers ("Name: value" lines) + "\\n" + body
  /delay?ms=N     sleeps N ms, then answers "slept"
  /big?bytes=N    answers N bytes of 'x'
  /truncate       promises 1000 bytes, sends 10, closes the connection
  /status?code=N  answers status N with body "status N"
  /connections    answers the number of TCP connections accepted so far
"""
import os
import ssl
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

_lock = threading.Lock()
_connections = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is observable

    def setup(self):
        global _connections
        with _lock:
            _connections += 1
        super().setup()

    def log_message(self, fmt, *args):
        pass

    def _reply(self, status, body, headers=()):
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Test", "one")
        self.send_header("X-Test", "two")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _handle(self):
        url = urlsplit(self.path)
        args = parse_qs(url.query)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if url.path == "/echo":
            text = f"{self.command} {self.path}\n".encode()
            for name, value in self.headers.items():
                text += f"{name}: {value}\n".encode()
            self._reply(200, text + b"\n" + body)
        elif url.path == "/delay":
            time.sleep(int(args.get("ms", ["0"])[0]) / 1000.0)
            self._reply(200, b"slept")
        elif url.path == "/big":
            self._reply(200, b"x" * int(args.get("bytes", ["0"])[0]))
        elif url.path == "/truncate":
            self.send_response(200)
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self.wfile.write(b"0123456789")
            self.wfile.flush()
            self.close_connection = True
        elif url.path == "/status":
            code = int(args.get("code", ["500"])[0])
            self._reply(code, f"status {code}".encode())
        elif url.path == "/connections":
            with _lock:
                count = _connections
            self._reply(200, str(count).encode())
        else:
            self._reply(404, b"no such endpoint")

    do_GET = do_POST = do_PUT = do_DELETE = _handle


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients (the tests) reset connections on purpose


def _serve(server):
    threading.Thread(target=server.serve_forever, daemon=True).start()


def main():
    port_file = sys.argv[1]
    http = Server(("127.0.0.1", 0), Handler)
    _serve(http)
    https_port = 0
    if len(sys.argv) > 2:
        tls_dir = sys.argv[2]
        cert, key = os.path.join(tls_dir, "cert.pem"), os.path.join(tls_dir, "key.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
             "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
             "-days", "2", "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        https = Server(("127.0.0.1", 0), Handler)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        https.socket = ctx.wrap_socket(https.socket, server_side=True)
        https_port = https.server_address[1]
        _serve(https)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(f"{http.server_address[1]} {https_port}\n")
    os.rename(tmp, port_file)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
