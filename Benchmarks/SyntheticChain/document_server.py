"""Serves the registration files of a generated ERC-8004 chain's remote agents
(generate_erc8004.py --remote-origin): GET /agents/<i>/registration.json answers a small valid
registration file made from <i>, over plain HTTP on 127.0.0.1, many connections at once. For the
document fetcher's benchmark (bench.py): one line {"url": …} on stdout when listening;
GET /stats answers {"requests": n}."""
import argparse
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

WORDS = "translate legal contract invoice audit code security weather image speech medical finance tax travel".split()


def registration(i):
    return json.dumps({"type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1",
                       "name": f"Remote {WORDS[i % len(WORDS)].title()} Agent {i}",
                       "description": f"Agent {i}, whose file is served over HTTP: {' '.join(WORDS[i % 5:i % 5 + 4])}.",
                       "services": [{"name": "OASF", "endpoint": "ipfs://oasf", "version": "0.8",
                                     "skills": ["natural_language_processing/translation"]}],
                       "x402Support": False, "active": True, "registrations": []}).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    requests = 0
    lock = threading.Lock()

    def log_message(self, *args):
        pass

    def do_GET(self):
        with Handler.lock:
            Handler.requests += 1
        parts = self.path.split("/")
        if self.path == "/stats":
            body, status = json.dumps({"requests": Handler.requests}).encode(), 200
        elif len(parts) == 4 and parts[1] == "agents" and parts[3] == "registration.json" and parts[2].isdigit():
            body, status = registration(int(parts[2])), 200
        else:
            body, status = b'{"error":"not found"}', 404
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.request_queue_size = 256
    print(json.dumps({"url": f"http://127.0.0.1:{server.server_address[1]}"}), flush=True)
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
