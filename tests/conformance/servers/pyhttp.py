"""Python's http.server for the conformance suite, on 127.0.0.1 only.

Usage: pyhttp.py DIR PLAIN LIMIT IDLE HTTP10 TLS [CERT KEY]
Each listener is one ThreadingHTTPServer: plain (HTTP/1.1 keep-alive), limit (closes a connection
after 3 requests), idle (drops a connection idle for 1 s), http10 (the module's default HTTP/1.0),
tls (plain over TLS). Every request is logged as: client-port connection nth status "request-line".
"""
import itertools
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DIR = sys.argv[1]
PAGE = open(f"{DIR}/www/page.txt", "rb").read()
LOG = open(f"{DIR}/access.log", "a", buffering=1)
LOCK = threading.Lock()
IDS = itertools.count(1)


def handler(version, limit=None, timeout=None):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = version

        def setup(self):
            if timeout:
                self.timeout = timeout
            super().setup()
            self.conn_id = next(IDS)
            self.nth = 0

        def do_GET(self):
            self.nth += 1
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(PAGE)))
            if limit and self.nth >= limit:
                self.send_header("Connection", "close")
                self.close_connection = True
            self.end_headers()
            self.wfile.write(PAGE)

        def log_request(self, code="-", size="-"):
            with LOCK:
                LOG.write(f'{self.client_address[1]} {self.conn_id} {self.nth} {code} "{self.requestline}"\n')

        def log_message(self, *args):
            pass

    return Handler


def serve(port, h, tls=None):
    server = ThreadingHTTPServer(("127.0.0.1", int(port)), h)
    server.daemon_threads = True
    if tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(*tls)
        server.socket = ctx.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()


plain, limit, idle, http10, tls = sys.argv[2:7]
serve(plain, handler("HTTP/1.1"))
serve(limit, handler("HTTP/1.1", limit=3))
serve(idle, handler("HTTP/1.1", timeout=1))
serve(http10, handler("HTTP/1.0"))
serve(tls, handler("HTTP/1.1"), tls=(sys.argv[7], sys.argv[8]))
threading.Event().wait()
