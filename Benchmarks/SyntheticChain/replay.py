"""A JSON-RPC server on 127.0.0.1 that replays a chain made by generate.py, for benchmarks:
eth_chainId, eth_blockNumber, eth_getBlockByNumber (with logsBloom), eth_getLogs (address and
topic filters, block ranges, blockHash), eth_call of curated()/getAgentCard(), batches, and a
result cap answered like Infura ("query returned more than N results. Try with this block range
[0x…, 0x…].").

  python replay.py --chain chain.sqlite --port 0 --max-results 10000    # prints {"rpcUrl": …}

GET / answers the calls served per method; GET /advance/N moves the head to block N (with
`--head`, the chain is served only up to there at first: live mode for the latency benchmark)."""
import argparse
import json
import os
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from eth_utils import keccak

from generate import block_hash, timestamp

CURATED = "0x" + keccak(text="curated()")[:4].hex()
GET_CARD = "0x" + keccak(text="getAgentCard()")[:4].hex()


class RPCError(Exception):
    def __init__(self, code, message):
        self.code, self.message = code, message


class Replay:
    def __init__(self, path, max_results, head=None, finality_depth=64):
        self.finality_depth = finality_depth
        self.path = path
        self.local = threading.local()
        meta = dict(self.db().execute("SELECT key, value FROM meta").fetchall())
        self.last = json.loads(meta["head"])
        self.registry = json.loads(meta["registry"])
        self.max_results = max_results
        self.hashes = {}
        self.calls = {}
        self.head = 0
        self.advance(min(self.last, head if head is not None else self.last))

    def advance(self, to):
        """Moves the head to `to` (live mode: blocks "arrive" when the harness says so)."""
        self.hashes.update({block_hash(n): n for n in range(max(0, to - 2048, self.head + 1), to + 1)})
        self.head = to
        return self.head

    def db(self):
        db = getattr(self.local, "db", None)
        if db is None:
            db = self.local.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        return db

    def number(self, tag):
        if tag in ("latest", "pending", "safe"):
            return self.head
        if tag == "finalized":
            return max(0, self.head - self.finality_depth)
        if tag == "earliest":
            return 0
        return int(tag, 16)

    def eth_chainId(self):
        return "0x7a69"

    def eth_blockNumber(self):
        return hex(self.head)

    def eth_getBlockByNumber(self, tag, full=False):
        n = self.number(tag)
        if n > self.head:
            return None
        bloom = bytearray(256)
        for (text,) in self.db().execute("SELECT json FROM logs WHERE block = ?", (n,)):
            log = json.loads(text)
            for item in [log["address"]] + log["topics"]:
                digest = keccak(bytes.fromhex(item[2:]))
                for k in range(3):
                    bit = ((digest[2 * k] << 8) | digest[2 * k + 1]) & 2047
                    bloom[255 - bit // 8] |= 1 << (bit % 8)
        return {"number": hex(n), "hash": block_hash(n), "parentHash": block_hash(n - 1) if n else "0x" + "00" * 32,
                "timestamp": hex(timestamp(n)), "logsBloom": "0x" + bloom.hex(), "transactions": []}

    def eth_getLogs(self, criteria):
        if "blockHash" in criteria:
            n = self.hashes.get(criteria["blockHash"])
            if n is None:
                raise RPCError(-32000, "unknown block")
            start = end = n
        else:
            start, end = self.number(criteria.get("fromBlock", "latest")), self.number(criteria.get("toBlock", "latest"))
        sql, args = ["block BETWEEN ? AND ?"], [start, end]
        addresses = criteria.get("address")
        if addresses:
            addresses = [addresses] if isinstance(addresses, str) else addresses
            sql.append(f"address IN ({','.join('?' * len(addresses))})")
            args += [a.lower() for a in addresses]
        for position, wanted in enumerate((criteria.get("topics") or [])[:3]):
            if wanted is None:
                continue
            wanted = [wanted] if isinstance(wanted, str) else wanted
            sql.append(f"topic{position} IN ({','.join('?' * len(wanted))})")
            args += [t.lower() for t in wanted]
        rows = self.db().execute(f"SELECT block, json FROM logs WHERE {' AND '.join(sql)} ORDER BY block, log_index LIMIT ?",
                                 args + [self.max_results + 1]).fetchall()
        if len(rows) > self.max_results:
            last = max(start, rows[self.max_results][0] - 1)
            raise RPCError(-32005, f"query returned more than {self.max_results} results. "
                                   f"Try with this block range [{hex(start)}, {hex(last)}].")
        return RawJSON("[" + ",".join(text for _, text in rows) + "]")

    def eth_call(self, tx, block="latest"):
        data = (tx.get("data") or tx.get("input") or "")[:10]
        if data == CURATED and tx.get("to", "").lower() == self.registry:
            return "0x" + "00" * 31 + "01"
        if data == GET_CARD:
            row = self.db().execute("SELECT raw FROM cards WHERE agent = ?", (tx.get("to", "").lower(),)).fetchone()
            if row:
                return "0x" + row[0].hex()
        raise RPCError(3, "execution reverted")


class RawJSON(str):
    """Text already in JSON form (the stored logs), spliced into the answer unparsed."""


def answer(replay, request):
    rid = request.get("id") if isinstance(request, dict) else None
    method = request.get("method", "") if isinstance(request, dict) else ""
    replay.calls[method] = replay.calls.get(method, 0) + 1
    fn = getattr(replay, method, None) if method.startswith("eth_") else None
    if fn is None:
        return json.dumps({"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": f"the method {method} does not exist"}})
    try:
        result = fn(*request.get("params", []))
    except RPCError as e:
        return json.dumps({"jsonrpc": "2.0", "id": rid, "error": {"code": e.code, "message": e.message}})
    body = result if isinstance(result, RawJSON) else json.dumps(result)
    return '{"jsonrpc":"2.0","id":' + json.dumps(rid) + ',"result":' + body + "}"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--chain", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-results", type=int, default=10_000)
    parser.add_argument("--head", type=int, help="serve the chain up to this block until GET /advance/N moves it")
    parser.add_argument("--finality-depth", type=int, default=64, help="'finalized' is this far below the head")
    args = parser.parse_args()
    replay = Replay(args.chain, args.max_results, args.head, args.finality_depth)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *a):
            pass

        def do_GET(self):
            if self.path.startswith("/advance/"):
                self._send(json.dumps({"head": replay.advance(min(replay.last, int(self.path.split("/")[2])))}).encode())
            else:
                self._send(json.dumps(replay.calls).encode())

        def do_POST(self):
            payload = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
            if isinstance(payload, list):
                text = "[" + ",".join(answer(replay, r) for r in payload) + "]"
            else:
                text = answer(replay, payload)
            self._send(text.encode())

        def _send(self, data):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print(json.dumps({"rpcUrl": f"http://127.0.0.1:{server.server_address[1]}", "pid": os.getpid()}), flush=True)
    server.serve_forever(poll_interval=0.2)


if __name__ == "__main__":
    main()
