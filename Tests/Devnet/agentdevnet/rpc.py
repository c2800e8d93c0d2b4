"""A JSON-RPC 2.0 HTTP server on 127.0.0.1 in front of a DevChain."""
import copy
import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .chain import RPCError, hexb, hexq, parse_data, parse_quantity


class Methods:
    """The Ethereum JSON-RPC methods the devnet serves."""

    def __init__(self, chain):
        self.c = chain
        self.deployment = None     # set once the scenario is seeded: enables agentdevnet_play
        self._saved = {}           # snapshot id -> what the scenario and its activity knew then

    def web3_clientVersion(self):
        return "agentindex-devnet/py-evm"

    def net_version(self):
        return str(self.c.chain_id)

    def eth_chainId(self):
        return hexq(self.c.chain_id)

    def eth_blockNumber(self):
        return hexq(self.c.head_number())

    def eth_accounts(self):
        return list(self.c.accounts)

    def eth_gasPrice(self):
        return hexq(self.c.chain.get_block().header.base_fee_per_gas + 10**9)

    def eth_maxPriorityFeePerGas(self):
        return hexq(10**9)

    def eth_syncing(self):
        return False

    def eth_getBalance(self, address, block="latest"):
        return hexq(self.c.tester.get_balance(address, self._tag(block)))

    def eth_getCode(self, address, block="latest"):
        return self.c.tester.get_code(address, self._tag(block))

    def eth_getTransactionCount(self, address, block="latest"):
        return hexq(self.c.tester.get_nonce(address, self._tag(block)))

    def _tag(self, block):
        number = self.c.resolve_tag(block)
        if number > self.c.head_number():
            raise RPCError(-32000, "header not found")
        return "latest" if number == self.c.head_number() else number

    def eth_getBlockByNumber(self, block, full=False):
        number = self.c.resolve_tag(block)
        found = self.c.block_by_number(number)
        return None if found is None else self.c.format_block(found, bool(full))

    def eth_getBlockByHash(self, block_hash, full=False):
        found = self.c.block_by_hash(parse_data(block_hash, "blockHash"))
        if found is None or not self.c.is_canonical(found):
            return None
        return self.c.format_block(found, bool(full))

    def eth_getTransactionByHash(self, tx_hash):
        located = self.c.locate_transaction(parse_data(tx_hash, "hash"))
        return None if located is None else self.c.format_transaction(*located)

    def eth_getTransactionReceipt(self, tx_hash):
        located = self.c.locate_transaction(parse_data(tx_hash, "hash"))
        return None if located is None else self.c.format_receipt(*located)

    def eth_getBlockReceipts(self, block):
        found = self.c.block_by_number(self.c.resolve_tag(block))
        if found is None:
            return None
        return [self.c.format_receipt(found, tx, i) for i, tx in enumerate(found.transactions)]

    def eth_getLogs(self, criteria):
        return self.c.get_logs(criteria)

    def eth_call(self, tx, block="latest"):
        return self.c.call(tx, block)

    def eth_estimateGas(self, tx, block="latest"):
        params = {k: v for k, v in tx.items() if k in ("from", "to", "data", "input", "value")}
        params.setdefault("from", self.c.accounts[0])
        if "input" in params:
            params["data"] = params.pop("input")
        if isinstance(params.get("value"), str):
            params["value"] = int(params["value"], 16)
        try:
            return hexq(self.c.tester.estimate_gas(params))
        except Exception as exc:
            raise RPCError(3, f"execution reverted: {exc}")

    def eth_sendTransaction(self, tx):
        return self.c.send_transaction(tx)

    def eth_sendRawTransaction(self, raw):
        try:
            return self.c.tester.send_raw_transaction(raw)
        except Exception as exc:
            raise RPCError(-32000, str(exc))

    def evm_snapshot(self):
        sid = self.c.snapshot()
        if self.deployment is not None:
            self._saved[sid] = self._state()
        return sid

    def evm_revert(self, snapshot_id):
        reverted = self.c.revert(snapshot_id)
        if reverted and snapshot_id in self._saved:
            agents, erc8004_agents, activity = copy.deepcopy(self._saved[snapshot_id])
            self.deployment.agents[:] = agents
            self.deployment.erc8004.agents[:] = erc8004_agents
            if activity is not None:
                self._activity.restore(activity)
            elif hasattr(self, "_activity"):
                del self._activity   # no move had been played at the snapshot
        return reverted

    def _state(self):
        activity = self._activity.state() if hasattr(self, "_activity") else None
        return copy.deepcopy((self.deployment.agents, self.deployment.erc8004.agents, activity))

    def agentdevnet_play(self, seed, blocks, kinds=None):
        """Test-only: random agent moves chosen by `seed` that mine exactly `blocks` blocks
        (activity.py); `kinds` limits them to contract moves ("agents") or ERC-8004 moves ("erc8004")."""
        from .activity import Activity
        if self.deployment is None or not hasattr(self.deployment, "factory"):
            raise RPCError(-32000, "this scenario has no agents to play with")
        if not hasattr(self, "_activity"):
            self._activity = Activity(self.deployment)
        return self._activity.play(int(seed), int(blocks), kinds)

    def agentdevnet_setFinalityDepth(self, depth):
        """Test-only: 'finalized' and 'safe' are `depth` blocks below the head from now on (0: every
        block is final, so a follower backfills all of it; a huge depth: none is)."""
        self.c.finality_depth = parse_quantity(depth, "depth") if isinstance(depth, str) else int(depth)
        return True

    def evm_mine(self, count=None):
        self.c.mine(parse_quantity(count, "count") if count is not None else 1)
        return "0x0"

    def evm_setAutomine(self, enabled):
        self.c.set_automine(enabled)
        return True


def handle_one(methods, lock, request):
    if not isinstance(request, dict) or request.get("jsonrpc") != "2.0" or not isinstance(request.get("method"), str):
        return {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "invalid request"}}
    rid = request.get("id")
    name = request["method"]
    params = request.get("params", [])
    fn = getattr(methods, name, None) if not name.startswith("_") else None
    if fn is None:
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32601, "message": f"the method {name} does not exist/is not available"}}
    if not isinstance(params, list):
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32602, "message": "invalid params: expected an array"}}
    try:
        with lock:
            result = fn(*params)
        return {"jsonrpc": "2.0", "id": rid, "result": result}
    except RPCError as exc:
        error = {"code": exc.code, "message": exc.message}
        if exc.data is not None:
            error["data"] = exc.data
        return {"jsonrpc": "2.0", "id": rid, "error": error}
    except TypeError as exc:
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32602, "message": f"invalid params: {exc}"}}
    except Exception as exc:  # noqa: BLE001 - a node answers errors, it does not crash
        return {"jsonrpc": "2.0", "id": rid, "error": {"code": -32000, "message": str(exc)}}


def make_server(chain, port=0):
    methods = Methods(chain)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            try:
                payload = json.loads(body)
            except ValueError:
                response = {"jsonrpc": "2.0", "id": None, "error": {"code": -32700, "message": "parse error"}}
            else:
                if isinstance(payload, list):
                    if not payload:
                        response = {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "empty batch"}}
                    else:
                        response = [handle_one(methods, chain.lock, r) for r in payload]
                else:
                    response = handle_one(methods, chain.lock, payload)
            data = json.dumps(response, separators=(",", ":")).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    server.methods = methods
    return server
