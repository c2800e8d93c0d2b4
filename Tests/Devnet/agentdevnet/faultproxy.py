"""A fault-injecting JSON-RPC proxy on 127.0.0.1 in front of a real node.

It forwards every request to the upstream node and, at random (seeded), answers in the ways real
providers fail: HTTP 500/502/503, 429 with Retry-After, a delay past the client's time-out, a
truncated body, invalid JSON, a dropped connection. It can also act like a capped provider
(eth_getLogs refused above N results, with a suggested range like Infura's, or above N blocks)
and like a lagging node (eth_blockNumber behind, eth_getLogs empty for the newest blocks).

GET /stats answers what it forwarded and injected, as JSON."""
import http.client
import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

FAULTS = ("http500", "http503", "http429", "delay", "truncate", "garbage", "reset")


class FaultPlan:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.error_rate = args.error_rate
        self.faults = [f for f in (args.faults.split(",") if args.faults else FAULTS) if f]
        self.delay = args.delay
        self.latency = args.latency
        self.retry_after = args.retry_after
        self.max_results = args.max_results
        self.max_block_range = args.max_block_range
        self.lag_rate = args.lag_rate
        self.lag_blocks = args.lag_blocks
        self.lock = threading.Lock()
        self.stats = {"requests": 0, "methods": {}, "faults": {}, "refused": 0, "lagged": 0, "emptied": 0}

    def draw(self):
        with self.lock:
            if self.faults and self.rng.random() < self.error_rate:
                return self.rng.choice(self.faults)
            return None

    def chance(self, p):
        with self.lock:
            return p > 0 and self.rng.random() < p

    def count(self, key, sub=None):
        with self.lock:
            if sub is None:
                self.stats[key] += 1
            else:
                self.stats[key][sub] = self.stats[key].get(sub, 0) + 1


class Upstream:
    """Keep-alive connections to the node, one per proxy thread."""

    def __init__(self, url):
        u = urlparse(url)
        self.host, self.port, self.path = u.hostname, u.port, u.path or "/"
        self.local = threading.local()

    def post(self, body):
        for attempt in range(2):
            conn = getattr(self.local, "conn", None)
            if conn is None:
                conn = self.local.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                conn.request("POST", self.path, body, {"Content-Type": "application/json"})
                return conn.getresponse().read()
            except (http.client.HTTPException, OSError):
                self.local.conn = None
                if attempt:
                    raise

    def call(self, method, params):
        answer = json.loads(self.post(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params})))
        return answer.get("result")


def _number(value):
    return int(value, 16) if isinstance(value, str) and value.startswith("0x") else None


def refine(plan, upstream, request, answer):
    """Applies the provider limits and lag to one forwarded request/answer pair."""
    method = request.get("method")
    params = request.get("params") or []
    if "result" not in answer:
        return answer
    if method == "eth_blockNumber" and plan.chance(plan.lag_rate):
        plan.count("lagged")
        return answer | {"result": hex(max(0, int(answer["result"], 16) - plan.lag_blocks))}
    if method != "eth_getLogs" or not params or not isinstance(params[0], dict):
        return answer
    criteria = params[0]
    start, end = _number(criteria.get("fromBlock")), _number(criteria.get("toBlock"))
    if plan.max_block_range and start is not None and end is not None and end - start + 1 > plan.max_block_range:
        plan.count("refused")
        return {"jsonrpc": "2.0", "id": answer.get("id"), "error": {
            "code": -32005, "message": f"block range is too large: exceed maximum block range: {plan.max_block_range}"}}
    logs = answer["result"]
    if plan.max_results and len(logs) > plan.max_results and start is not None:
        blocks = sorted(int(log["blockNumber"], 16) for log in logs)
        fits = blocks[plan.max_results] - 1        # the last block before the (N+1)-th log
        suggestion = f"[{hex(start)}, {hex(max(start, fits))}]"
        plan.count("refused")
        return {"jsonrpc": "2.0", "id": answer.get("id"), "error": {
            "code": -32005, "message": f"query returned more than {plan.max_results} results. Try with this block range {suggestion}."}}
    if plan.lag_rate and logs and end is not None and plan.chance(plan.lag_rate):
        head = _number(upstream.call("eth_blockNumber", []))
        if head is not None and end >= head - 2:
            plan.count("emptied")
            return answer | {"result": [log for log in logs if int(log["blockNumber"], 16) < head - 2]}
    return answer


def make_proxy(args):
    plan = FaultPlan(args)
    upstream = Upstream(args.upstream)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def do_GET(self):
            body = json.dumps(plan.stats).encode()
            self._send(200, body)

        def _send(self, status, body, headers=()):
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            try:
                payload = json.loads(body)
            except ValueError:
                payload = None
            requests = payload if isinstance(payload, list) else [payload]
            plan.count("requests")
            for r in requests:
                if isinstance(r, dict):
                    plan.count("methods", r.get("method"))
            if plan.latency:
                time.sleep(plan.latency)
            fault = plan.draw()
            if fault:
                plan.count("faults", fault)
            if fault == "reset":
                self.close_connection = True
                self.connection.close()
                return
            if fault in ("http500", "http503"):
                return self._send(int(fault[4:]), b'{"error":"upstream unavailable"}')
            if fault == "http429":
                return self._send(429, b'{"error":"too many requests"}', [("Retry-After", str(plan.retry_after))])
            if fault == "delay":
                time.sleep(plan.delay)
            answer = json.loads(upstream.post(body))
            if isinstance(answer, list):
                answer = [refine(plan, upstream, r, a) for r, a in zip(requests, answer)]
            elif isinstance(payload, dict):
                answer = refine(plan, upstream, payload, answer)
            data = json.dumps(answer, separators=(",", ":")).encode()
            if fault == "truncate":
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data) // 2))
                self.end_headers()
                self.wfile.write(data[: len(data) // 2])
                return
            if fault == "garbage":
                data = b'{"jsonrpc":"2.0","id":' + data[:7]
            try:
                self._send(200, data)
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    return server
