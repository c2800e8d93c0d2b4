"""The chain: eth-tester's py-evm backend plus the indexes and formatting a real node has.

eth-tester answers in Python values with snake_case keys, counts log indexes per transaction and
finds transactions by scanning the whole chain. `DevChain` serves the standard JSON-RPC shapes
(hex quantities, camelCase, block-wide `logIndex`, receipts with `logsBloom`) from caches keyed by
block hash, so a reorg (snapshot + revert) can never serve stale data.
"""
import threading

from eth_tester import EthereumTester, PyEVMBackend
from eth_tester.backends.pyevm.main import get_default_genesis_params
from eth_tester.backends.pyevm.serializers import (
    serialize_block,
    serialize_transaction,
    serialize_transaction_receipt,
)
from eth_utils import to_checksum_address

GAS_LIMIT = 1_000_000_000
DEFAULT_TX_GAS = 20_000_000


class RPCError(Exception):
    """A JSON-RPC error with a code and message (and optional data)."""

    def __init__(self, code, message, data=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


def hexq(value):
    return hex(int(value))


def hexb(value):
    if isinstance(value, int):
        return "0x" + value.to_bytes(32, "big").hex()
    return "0x" + bytes(value).hex()


def hex_address(value):
    if value in (b"", None):
        return None
    return "0x" + bytes(value).hex()


def parse_quantity(value, name):
    if isinstance(value, int):
        return value
    if not isinstance(value, str) or not value.startswith("0x"):
        raise RPCError(-32602, f"invalid params: {name} must be a hex quantity")
    try:
        return int(value, 16)
    except ValueError:
        raise RPCError(-32602, f"invalid params: {name} must be a hex quantity")


def parse_data(value, name):
    if value is None:
        return b""
    if not isinstance(value, str) or not value.startswith("0x") or len(value) % 2:
        raise RPCError(-32602, f"invalid params: {name} must be 0x-prefixed hex bytes")
    try:
        return bytes.fromhex(value[2:])
    except ValueError:
        raise RPCError(-32602, f"invalid params: {name} must be 0x-prefixed hex bytes")


class DevChain:
    """One local chain. Every public method takes the lock: py-evm is not thread-safe."""

    def __init__(self, chain_id=31337, finality_depth=64):
        self.lock = threading.RLock()
        self.chain_id = chain_id
        self.finality_depth = finality_depth
        genesis = get_default_genesis_params(overrides={"gas_limit": GAS_LIMIT})
        self.backend = PyEVMBackend(genesis_parameters=genesis)
        type(self.backend.chain).chain_id = chain_id
        self.tester = EthereumTester(backend=self.backend)
        self.accounts = [a.lower() for a in self.tester.get_accounts()]
        self.keys = {k.public_key.to_canonical_address(): k for k in self.backend.account_keys}
        self._tx_index = {}        # tx hash -> (block hash, index)
        self._indexed_through = -1  # canonical blocks scanned into _tx_index
        self._logs = {}            # block hash -> [rpc log]
        self._receipts = {}        # block hash -> list of py-evm receipts
        self._snapshots = {}       # rpc id -> (eth-tester snapshot, block number)
        self._automine = True

    # -- reading ---------------------------------------------------------------------------

    @property
    def chain(self):
        return self.backend.chain

    def head_number(self):
        return self.chain.get_block().number - 1

    def resolve_tag(self, tag, name="block"):
        head = self.head_number()
        if tag is None or tag in ("latest", "pending"):
            return head
        if tag == "earliest":
            return 0
        if tag in ("safe", "finalized"):
            return max(0, head - self.finality_depth)
        number = parse_quantity(tag, name)
        return number

    def block_by_number(self, number):
        if number < 0 or number > self.head_number():
            return None
        return self.chain.get_canonical_block_by_number(number)

    def block_by_hash(self, block_hash):
        try:
            block = self.chain.get_block_by_hash(block_hash)
        except Exception:
            return None
        if block.number > self.head_number():
            return None
        return block

    def receipts(self, block):
        cached = self._receipts.get(block.hash)
        if cached is None:
            cached = list(block.get_receipts(self.chain.chaindb))
            self._receipts[block.hash] = cached
        return cached

    def is_canonical(self, block):
        return block.number <= self.head_number() and self.chain.get_canonical_block_hash(block.number) == block.hash

    def locate_transaction(self, tx_hash):
        """(block, transaction, index) of a mined transaction, or None."""
        entry = self._tx_index.get(tx_hash)
        if entry is not None:
            block = self.block_by_hash(entry[0])
            if block is not None and self.is_canonical(block):
                return block, block.transactions[entry[1]], entry[1]
        head = self.head_number()
        while self._indexed_through < head:
            self._indexed_through += 1
            block = self.chain.get_canonical_block_by_number(self._indexed_through)
            for i, tx in enumerate(block.transactions):
                self._tx_index[tx.hash] = (block.hash, i)
        entry = self._tx_index.get(tx_hash)
        if entry is None:
            return None
        block = self.block_by_hash(entry[0])
        if block is None or not self.is_canonical(block):
            return None
        return block, block.transactions[entry[1]], entry[1]

    def block_logs(self, block):
        """Every log of a block as an RPC object, with block-wide logIndex."""
        cached = self._logs.get(block.hash)
        if cached is not None:
            return cached
        logs = []
        for tx_index, (tx, receipt) in enumerate(zip(block.transactions, self.receipts(block))):
            for log in receipt.logs:
                logs.append({
                    "address": hex_address(log.address),
                    "topics": [hexb(t) for t in log.topics],
                    "data": hexb(log.data),
                    "blockNumber": hexq(block.number),
                    "blockHash": hexb(block.hash),
                    "transactionHash": hexb(tx.hash),
                    "transactionIndex": hexq(tx_index),
                    "logIndex": hexq(len(logs)),
                    "removed": False,
                })
        self._logs[block.hash] = logs
        return logs

    # -- formatting ------------------------------------------------------------------------

    def format_block(self, block, full):
        raw = serialize_block(block, full, False)
        out = {
            "number": hexq(raw["number"]),
            "hash": hexb(raw["hash"]),
            "parentHash": hexb(raw["parent_hash"]),
            "nonce": hexb(raw["nonce"]),
            "mixHash": hexb(raw["mix_hash"]),
            "sha3Uncles": hexb(raw["sha3_uncles"]),
            "logsBloom": "0x" + raw["logs_bloom"].to_bytes(256, "big").hex(),
            "transactionsRoot": hexb(raw["transactions_root"]),
            "stateRoot": hexb(raw["state_root"]),
            "receiptsRoot": hexb(raw["receipts_root"]),
            "miner": hex_address(raw["coinbase"]),
            "difficulty": hexq(raw["difficulty"]),
            "totalDifficulty": hexq(raw["total_difficulty"]),
            "extraData": hexb(block.header.extra_data),
            "size": hexq(raw["size"]),
            "gasLimit": hexq(raw["gas_limit"]),
            "gasUsed": hexq(raw["gas_used"]),
            "timestamp": hexq(raw["timestamp"]),
            "uncles": [hexb(u) for u in raw["uncles"]],
        }
        for key, rpc_key in (("base_fee_per_gas", "baseFeePerGas"), ("blob_gas_used", "blobGasUsed"),
                             ("excess_blob_gas", "excessBlobGas")):
            if key in raw:
                out[rpc_key] = hexq(raw[key])
        for key, rpc_key in (("withdrawals_root", "withdrawalsRoot"),
                             ("parent_beacon_block_root", "parentBeaconBlockRoot"),
                             ("requests_hash", "requestsHash")):
            if key in raw:
                out[rpc_key] = hexb(raw[key])
        if "withdrawals" in raw:
            out["withdrawals"] = [{
                "index": hexq(w["index"]), "validatorIndex": hexq(w["validator_index"]),
                "address": hex_address(w["address"]), "amount": hexq(w["amount"]),
            } for w in raw["withdrawals"]]
        if full:
            out["transactions"] = [self.format_transaction(block, tx, i) for i, tx in enumerate(block.transactions)]
        else:
            out["transactions"] = [hexb(tx.hash) for tx in block.transactions]
        return out

    def format_transaction(self, block, tx, index):
        raw = serialize_transaction(block, tx, index, False)
        out = {
            "type": hexq(raw["type"]),
            "hash": hexb(raw["hash"]),
            "nonce": hexq(raw["nonce"]),
            "blockHash": hexb(raw["block_hash"]),
            "blockNumber": hexq(raw["block_number"]),
            "transactionIndex": hexq(raw["transaction_index"]),
            "from": hex_address(raw["from"]),
            "to": hex_address(raw["to"]),
            "value": hexq(raw["value"]),
            "gas": hexq(raw["gas"]),
            "input": hexb(raw["data"]),
            "v": hexq(raw["v"]),
            "r": hexq(raw["r"]),
            "s": hexq(raw["s"]),
        }
        for key, rpc_key in (("gas_price", "gasPrice"), ("chain_id", "chainId"), ("max_fee_per_gas", "maxFeePerGas"),
                             ("max_priority_fee_per_gas", "maxPriorityFeePerGas"), ("y_parity", "yParity")):
            if key in raw:
                out[rpc_key] = hexq(raw[key])
        if "access_list" in raw:
            out["accessList"] = [{
                "address": hex_address(entry[0] if isinstance(entry, (tuple, list)) else entry["address"]),
                "storageKeys": [hexb(k) for k in (entry[1] if isinstance(entry, (tuple, list)) else entry["storage_keys"])],
            } for entry in raw["access_list"]]
        return out

    def format_receipt(self, block, tx, index):
        receipts = self.receipts(block)
        raw = serialize_transaction_receipt(block, receipts, tx, index, False, self.chain.get_vm())
        logs = [log for log in self.block_logs(block) if log["transactionHash"] == hexb(tx.hash)]
        return {
            "type": hexq(raw["type"]),
            "transactionHash": hexb(raw["transaction_hash"]),
            "transactionIndex": hexq(index),
            "blockHash": hexb(block.hash),
            "blockNumber": hexq(block.number),
            "from": hex_address(raw["from"]),
            "to": hex_address(raw["to"]),
            "contractAddress": hex_address(raw["contract_address"]),
            "cumulativeGasUsed": hexq(receipts[index].gas_used),
            "gasUsed": hexq(raw["gas_used"]),
            "effectiveGasPrice": hexq(raw["effective_gas_price"]),
            "status": hexq(raw["status"]),
            "logs": logs,
            "logsBloom": "0x" + receipts[index].bloom.to_bytes(256, "big").hex(),
        }

    # -- logs ------------------------------------------------------------------------------

    def get_logs(self, criteria):
        if not isinstance(criteria, dict):
            raise RPCError(-32602, "invalid params: filter must be an object")
        addresses = criteria.get("address")
        if isinstance(addresses, str):
            addresses = [addresses]
        address_set = {a.lower() for a in addresses} if addresses else None
        topics = criteria.get("topics") or []
        if len(topics) > 4:
            raise RPCError(-32602, "invalid params: at most 4 topic positions")
        wanted = []
        for t in topics:
            if t is None:
                wanted.append(None)
            elif isinstance(t, str):
                wanted.append({t.lower()})
            elif isinstance(t, list):
                wanted.append({x.lower() for x in t} if t else None)
            else:
                raise RPCError(-32602, "invalid params: bad topic")

        if criteria.get("blockHash") is not None:
            if "fromBlock" in criteria or "toBlock" in criteria:
                raise RPCError(-32602, "invalid params: cannot specify both blockHash and fromBlock/toBlock")
            block = self.block_by_hash(parse_data(criteria["blockHash"], "blockHash"))
            if block is None or not self.is_canonical(block):
                raise RPCError(-32000, "unknown block")
            blocks = [block]
        else:
            head = self.head_number()
            start = self.resolve_tag(criteria.get("fromBlock", "latest"), "fromBlock")
            end = self.resolve_tag(criteria.get("toBlock", "latest"), "toBlock")
            if end > head:
                raise RPCError(-32000, "block range extends beyond current head block")
            if start > end:
                raise RPCError(-32000, "invalid block range params")
            blocks = (self.chain.get_canonical_block_by_number(n) for n in range(start, end + 1))

        out = []
        for block in blocks:
            if not block.transactions:
                continue
            for log in self.block_logs(block):
                if address_set is not None and log["address"] not in address_set:
                    continue
                if any(w is not None and (i >= len(log["topics"]) or log["topics"][i] not in w)
                       for i, w in enumerate(wanted)):
                    continue
                out.append(log)
        return out

    # -- writing ---------------------------------------------------------------------------

    def send_transaction(self, tx):
        """Sends {from, to?, data?, value?, gas?} (Python values or RPC hex) and returns the hash."""
        params = {
            "from": to_checksum_address(tx["from"]),
            "gas": parse_quantity(tx.get("gas") or DEFAULT_TX_GAS, "gas"),
            "value": parse_quantity(tx.get("value") or 0, "value"),
            "data": tx.get("data") or tx.get("input") or "0x",
        }
        if isinstance(params["data"], (bytes, bytearray)):
            params["data"] = "0x" + bytes(params["data"]).hex()
        if tx.get("to"):
            params["to"] = to_checksum_address(tx["to"])
        try:
            return self.tester.send_transaction(params)
        except Exception as exc:  # eth-tester raises TransactionFailed and validation errors
            raise RPCError(3 if "revert" in str(exc).lower() else -32000, f"execution reverted: {exc}" if "revert" in str(exc).lower() else str(exc))

    def call(self, tx, block="latest"):
        params = {"from": to_checksum_address(tx.get("from") or self.accounts[0]),
                  "to": to_checksum_address(tx["to"]),
                  "data": tx.get("data") or tx.get("input") or "0x",
                  "gas": DEFAULT_TX_GAS}
        number = self.resolve_tag(block)
        if number > self.head_number():
            raise RPCError(-32000, "header not found")
        try:
            return self.tester.call(params, number if number != self.head_number() else "latest")
        except Exception as exc:
            raise RPCError(3, f"execution reverted: {exc}")

    def new_account(self, label, wei=10**20):
        """A funded account with a key of its own (eth-tester has ten): for reviewers, validators
        and other actors a scenario needs more of. The same label gives the same account."""
        from eth_keys import keys
        from eth_utils import keccak
        key = keys.PrivateKey(keccak(text=f"agentdevnet:{label}"))
        address = key.public_key.to_checksum_address()
        if key.public_key.to_canonical_address() not in self.keys:
            self.tester.add_account(key.to_hex())
            self.keys[key.public_key.to_canonical_address()] = key
            self.send_transaction({"from": self.accounts[0], "to": address, "value": wei})
        return address.lower()

    def mine(self, count=1):
        self.tester.mine_blocks(count)

    def set_automine(self, enabled):
        self._automine = bool(enabled)
        if enabled:
            self.tester.enable_auto_mine_transactions()
        else:
            self.tester.disable_auto_mine_transactions()

    def snapshot(self):
        sid = self.tester.take_snapshot()
        rpc_id = hex(len(self._snapshots) + 1)
        self._snapshots[rpc_id] = (sid, self.head_number())
        return rpc_id

    def revert(self, rpc_id):
        entry = self._snapshots.get(rpc_id)
        if entry is None:
            return False
        self.tester.revert_to_snapshot(entry[0])
        self._indexed_through = min(self._indexed_through, entry[1])
        return True
