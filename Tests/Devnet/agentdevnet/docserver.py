"""The devnet's off-chain world: HTTPS document hosts (a test CA the indexer is told to trust),
IPFS trustless gateways (an honest one, a liar, a plain one), and hostile endpoints — redirect
loops, redirects to cloud metadata and to a loopback "metadata" listener that must never be
reached, an https→http downgrade, a 10 GB stream, a slow drip, a gzip bomb, the wrong media type,
invalid UTF-8, JSON nested 10,000 deep, 500, 429 with Retry-After, and a document that changes
with its ETag. Everything binds 127.0.0.1 on free ports.

Control (on the `http` listener): GET /_control/hits (requests per listener), GET
/_control/bump?path=/changing.json (a new version of a changing document), GET
/_control/break?path=… and /_control/mend?path=… (a path that answers 503, and back)."""
import collections
import gzip
import json
import os
import ssl
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trustme
from multiformats import CID

from .ipfs import IPFSStore

LISTENERS = {   # name -> TLS
    "https": True,      # the main document host
    "cards": True,      # another origin: only /.well-known/agent-card.json
    "legacy": True,     # another origin: only the legacy /.well-known/agent.json
    "http": False,      # plain http (and the control endpoints)
    "gateway": True,    # an honest IPFS trustless gateway
    "liar": True,       # a gateway that serves other bytes under the same CIDs
    "plain": True,      # a gateway that ignores Accept and serves plain bytes
    "metadata": True,   # stands for 169.254.169.254: must never receive a request
}


class Static:
    def __init__(self, body, content_type="application/json", status=200, headers=None):
        self.body, self.content_type, self.status, self.headers = body, content_type, status, headers or {}


class DocServer:
    def __init__(self, directory):
        self.ca = trustme.CA()
        cert = self.ca.issue_cert("127.0.0.1", "localhost")
        self.ca_file = os.path.join(directory, "docserver-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_file)
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert.configure_cert(self.context)
        self.routes = {}                         # (listener, path) -> Static | callable(handler)
        self.hits = collections.Counter()
        self.lock = threading.Lock()
        self.versions = collections.Counter()    # path -> version of a changing document
        self.broken = set()                      # paths answered with 503 (a host that went down)
        self.ipfs = IPFSStore()
        self.servers = {}
        for name, tls in LISTENERS.items():
            server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler(name))
            server.daemon_threads = True
            if tls:
                server.socket = self.context.wrap_socket(server.socket, server_side=True)
            self.servers[name] = server
        self._install_hostile()

    # MARK: addresses

    def port(self, name):
        return self.servers[name].server_address[1]

    def origin(self, name):
        return f"{'https' if LISTENERS[name] else 'http'}://127.0.0.1:{self.port(name)}"

    def url(self, name, path):
        return self.origin(name) + path

    def info(self):
        return {"caFile": self.ca_file, "origins": {name: self.origin(name) for name in LISTENERS},
                "allow": [f"127.0.0.1:{self.port(n)}" for n in LISTENERS if n != "metadata"]}

    def start(self):
        for server in self.servers.values():
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()

    # MARK: content

    def put(self, name, path, body, content_type="application/json", status=200, headers=None):
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            body = body.encode()
        self.routes[(name, path)] = Static(body, content_type, status, headers)
        return self.url(name, path)

    def route(self, name, path, handler):
        self.routes[(name, path)] = handler
        return self.url(name, path)

    def _install_hostile(self):
        h = "https"
        self.route(h, "/hostile/redirect-loop", lambda r: r.redirect(self.url(h, "/hostile/redirect-loop-b")))
        self.route(h, "/hostile/redirect-loop-b", lambda r: r.redirect(self.url(h, "/hostile/redirect-loop")))
        self.route(h, "/hostile/redirect-cloud-metadata", lambda r: r.redirect("https://169.254.169.254/latest/meta-data/iam"))
        self.route(h, "/hostile/redirect-loopback", lambda r: r.redirect(self.url("metadata", "/latest/meta-data/iam")))
        self.route(h, "/hostile/redirect-downgrade", lambda r: r.redirect(self.url("http", "/plain/agent.json")))
        self.route(h, "/hostile/ten-gigabytes", lambda r: r.stream(b" " * 65_536, 10 * 2**30))
        self.route(h, "/hostile/drip", lambda r: r.drip())
        bomb = gzip.compress(b"0" * (64 * 2**20), compresslevel=9)
        self.put(h, "/hostile/gzip-bomb", bomb, headers={"Content-Encoding": "gzip"})
        self.put(h, "/hostile/html", "<html><body>not json</body></html>", content_type="text/html")
        self.put(h, "/hostile/bad-utf8", b'{"name":"\xff\xfe\xfd","description":"x"}')
        self.put(h, "/hostile/deep", "[" * 10_000 + "]" * 10_000)
        self.put(h, "/hostile/500", '{"error":"boom"}', status=500)
        self.put(h, "/hostile/429", '{"error":"slow down"}', status=429, headers={"Retry-After": "7200"})
        self.route(h, "/changing.json", lambda r: r.versioned("/changing.json"))

    def changing_document(self, path):
        version = self.versions[path] + 1
        return json.dumps({"type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1",
                           "name": f"Chameleon v{version}", "description": f"Version {version} of a changing file.",
                           "services": []}).encode(), f'"v{version}"'

    # MARK: serving

    def _handler(self, listener):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                with server.lock:
                    server.hits[listener] += 1
                parsed = urllib.parse.urlsplit(self.path)
                try:
                    if listener == "metadata":
                        return self.send_body(200, b'{"AccessKeyId":"never"}')
                    if listener in ("gateway", "liar", "plain"):
                        return self.ipfs(parsed.path)
                    if listener == "http" and parsed.path.startswith("/_control/"):
                        return self.control(parsed)
                    if parsed.path in server.broken:
                        return self.send_body(503, b'{"error":"down for maintenance"}')
                    route = server.routes.get((listener, parsed.path))
                    if route is None:
                        return self.send_body(404, b'{"error":"not found"}')
                    if callable(route):
                        return route(self)
                    return self.send_body(route.status, route.body, route.content_type, route.headers)
                except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
                    pass

            def send_body(self, status, body, content_type="application/json", headers=None):
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def redirect(self, location):
                self.send_response(302)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def stream(self, chunk, total):
                """`total` bytes of JSON-typed filler, made as they are sent (never held)."""
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                sent = 0
                while sent < total:
                    self.wfile.write(chunk)
                    sent += len(chunk)
                self.close_connection = True

            def drip(self):
                """One byte a second, for as long as the client listens."""
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Connection", "close")
                self.end_headers()
                for _ in range(3_600):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(1)
                self.close_connection = True

            def versioned(self, path):
                body, etag = server.changing_document(path)
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_body(200, body, headers={"ETag": etag})

            def control(self, parsed):
                query = urllib.parse.parse_qs(parsed.query)
                if parsed.path == "/_control/hits":
                    with server.lock:
                        return self.send_body(200, json.dumps(dict(server.hits)).encode())
                if parsed.path in ("/_control/break", "/_control/mend"):
                    path = query.get("path", ["/changing.json"])[0]
                    (server.broken.add if parsed.path.endswith("break") else server.broken.discard)(path)
                    return self.send_body(200, b"{}")
                if parsed.path == "/_control/bump":
                    path = query.get("path", ["/changing.json"])[0]
                    server.versions[path] += 1
                    return self.send_body(200, json.dumps({"version": server.versions[path] + 1}).encode())
                self.send_body(404, b"{}")

            def ipfs(self, path):
                parts = [urllib.parse.unquote(p) for p in path.split("/") if p]
                if len(parts) < 2 or parts[0] != "ipfs":
                    return self.send_body(404, b'{"error":"not an /ipfs/ path"}')
                try:
                    cid = CID.decode(parts[1])
                except Exception:
                    return self.send_body(400, b'{"error":"invalid CID"}')
                rest = parts[2:]
                accept = self.headers.get("Accept", "")
                if listener != "plain" and "application/vnd.ipld.car" in accept:
                    car = server.ipfs.car(cid, rest, lie=listener == "liar")
                    if car is None:
                        return self.send_body(404, b'{"error":"no such content"}')
                    return self.send_body(200, car, "application/vnd.ipld.car")
                if listener != "plain" and "application/vnd.ipld.raw" in accept and not rest:
                    block = server.ipfs.block(cid)
                    if block is None:
                        return self.send_body(404, b'{"error":"no such block"}')
                    if listener == "liar":
                        block = block[:-1] + bytes([block[-1] ^ 1])
                    return self.send_body(200, block, "application/vnd.ipld.raw")
                data = server.ipfs.file_bytes(cid, rest)
                if data is None:
                    return self.send_body(404, b'{"error":"no such file"}')
                if listener == "liar":
                    data = data.replace(b"a", b"4")
                self.send_body(200, data, "application/json")

        return Handler
