"""Deployed-contract helper: encodes calls with eth-abi from the contract's JSON ABI."""
from eth_abi import decode as abi_decode, encode as abi_encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address


def abi_type(param):
    """The canonical type string of a JSON ABI parameter (tuples expanded)."""
    t = param["type"]
    if t.startswith("tuple"):
        return "(" + ",".join(abi_type(c) for c in param["components"]) + ")" + t[len("tuple"):]
    return t


class Contract:
    def __init__(self, chain, abi, address):
        self.chain = chain
        self.abi = abi
        self.address = address.lower()
        self.functions = {e["name"]: e for e in abi if e["type"] == "function"}

    def encode(self, name, *args):
        fn = self.functions[name]
        types = [abi_type(p) for p in fn["inputs"]]
        selector = function_signature_to_4byte_selector(f"{name}({','.join(types)})")
        return selector + abi_encode(types, list(args))

    def transact(self, name, *args, sender, value=0):
        return self.chain.send_transaction({"from": sender, "to": self.address,
                                            "data": self.encode(name, *args), "value": value})

    def call(self, name, *args):
        fn = self.functions[name]
        raw = self.chain.call({"to": self.address, "data": "0x" + self.encode(name, *args).hex()})
        out = abi_decode([abi_type(p) for p in fn["outputs"]], bytes.fromhex(raw[2:]) if isinstance(raw, str) else raw)
        return out[0] if len(out) == 1 else out

    @property
    def checksum(self):
        return to_checksum_address(self.address)
