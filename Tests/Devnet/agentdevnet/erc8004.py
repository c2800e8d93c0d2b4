"""The devnet's ERC-8004 registries and what agents, clients and validators do with them:
register with a registration file (data: URIs base64, gzip or percent-encoded, or a URI to fetch
later), set a wallet with the wallet's EIP-712 signature, transfer the NFT, give, revoke and
answer feedback, ask for and give validations."""
import base64
import gzip
import io
import json
import urllib.parse

from eth_abi import encode as abi_encode
from eth_keys import keys
from eth_utils import keccak, to_checksum_address

WALLET_TYPEHASH = keccak(text="AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)")
REGISTRATION_TYPE = "https://eips.ethereum.org/EIPS/eip-8004#registration-v1"


def registration(name, description, services=(), *, x402=False, active=None, registrations=(), trust=(), legacy=False, image=None):
    """A registration file (dict) as the spec shapes it; `legacy` writes `endpoints` for `services`."""
    doc = {"type": REGISTRATION_TYPE, "name": name, "description": description}
    if image:
        doc["image"] = image
    doc["endpoints" if legacy else "services"] = [dict(s) for s in services]
    doc["x402Support"] = x402
    if active is not None:
        doc["active"] = active
    doc["registrations"] = list(registrations)
    if trust:
        doc["supportedTrust"] = list(trust)
    return doc


def service(name, endpoint, version=None, skills=(), domains=()):
    s = {"name": name, "endpoint": endpoint}
    if version:
        s["version"] = version
    if skills:
        s["skills"] = list(skills)
    if domains:
        s["domains"] = list(domains)
    return s


def data_uri(doc, encoding="base64"):
    """`doc` (a dict or raw text) as a data: URI: base64, gzip then base64, or percent-encoded."""
    text = doc if isinstance(doc, str) else json.dumps(doc, separators=(",", ":"))
    raw = text.encode()
    if encoding == "percent":
        return "data:application/json;charset=utf-8," + urllib.parse.quote(text, safe="")
    if encoding == "gzip":
        buffer = io.BytesIO()
        with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0) as f:
            f.write(raw)
        raw = buffer.getvalue()
        return "data:application/json;enc=gzip;base64," + base64.b64encode(raw).decode()
    return "data:application/json;base64," + base64.b64encode(raw).decode()


def wallet_key(label):
    """A wallet nobody funds: it only signs (setAgentWallet) and receives payments."""
    return keys.PrivateKey(keccak(text=f"agentdevnet-wallet:{label}"))


class ERC8004:
    """The three registries of one devnet and the moves on them."""

    def __init__(self, deployment):
        d = deployment
        c = d.compiled
        self.d = d
        self.identity = d.contract("IdentityRegistry", d.deploy("identityRegistry", c["IdentityRegistry"]["bytecode"]))
        self.reputation = d.contract("ReputationRegistry", d.deploy(
            "reputationRegistry", c["ReputationRegistry"]["bytecode"], ["address"], [self.identity.checksum]))
        self.validation = d.contract("ValidationRegistry", d.deploy(
            "validationRegistry", c["ValidationRegistry"]["bytecode"], ["address"], [self.identity.checksum]))
        self.agents = []   # [{"agentId", "owner", "name"}]

    def _send(self, contract, fn, *args, sender):
        """Sends a transaction and insists it succeeded (eth-tester mines a reverted one quietly)."""
        receipt = self.d.receipt(contract.transact(fn, *args, sender=sender))
        assert int(receipt["status"], 16) == 1, f"{fn} reverted"
        return receipt

    def refuses(self, contract, fn, *args, sender):
        """True when the call `fn(args)` from `sender` reverts."""
        try:
            self.d.chain.call({"from": sender, "to": contract.address, "data": "0x" + contract.encode(fn, *args).hex()})
            return False
        except Exception:
            return True

    def summary(self):
        s = self.d.start_blocks
        return {"identityRegistry": {"address": self.identity.checksum, "startBlock": s["identityRegistry"]},
                "reputationRegistry": {"address": self.reputation.checksum, "startBlock": s["reputationRegistry"]},
                "validationRegistry": {"address": self.validation.checksum, "startBlock": s["validationRegistry"]}}

    def registry_id(self):
        return f"eip155:{self.d.chain.chain_id}:{self.identity.checksum}"

    def register(self, owner, uri=None, metadata=(), name=None):
        """Registers an agent (`register()` without a URI when `uri` is None); returns its id."""
        args = () if uri is None else (uri,) if not metadata else (uri, [(k, v) for k, v in metadata])
        fn = "register"
        types = {0: [], 1: ["string"], 2: ["string", "(string,bytes)[]"]}[len(args)]
        from eth_utils import function_signature_to_4byte_selector
        data = function_signature_to_4byte_selector(f"register({','.join(types)})") + abi_encode(types, list(args))
        receipt = self.d.receipt(self.d.chain.send_transaction({"from": owner, "to": self.identity.address, "data": data}))
        assert int(receipt["status"], 16) == 1, "register reverted"
        registered = keccak(text="Registered(uint256,string,address)").hex()
        log = next(l for l in receipt["logs"] if l["address"] == self.identity.address and l["topics"][0] == "0x" + registered)
        agent_id = int(log["topics"][1], 16)
        self.agents.append({"agentId": agent_id, "owner": owner.lower(), "name": name})
        return agent_id

    def set_uri(self, agent_id, uri, sender):
        self._send(self.identity, "setAgentURI", agent_id, uri, sender=sender)

    def set_metadata(self, agent_id, key, value, sender):
        self._send(self.identity, "setMetadata", agent_id, key, value, sender=sender)

    def set_wallet(self, agent_id, owner, label):
        """Sets the agent's wallet to a fresh key's address, signed by that key; returns the address."""
        key = wallet_key(label)
        wallet = key.public_key.to_checksum_address()
        latest = self.d.chain.chain.get_canonical_head()
        deadline = latest.timestamp + 100
        struct = keccak(abi_encode(["bytes32", "uint256", "address", "address", "uint256"],
                                   [WALLET_TYPEHASH, agent_id, wallet, to_checksum_address(owner), deadline]))
        digest = keccak(b"\x19\x01" + self.identity.call("domainSeparator") + struct)
        sig = key.sign_msg_hash(digest)
        signature = sig.r.to_bytes(32, "big") + sig.s.to_bytes(32, "big") + bytes([sig.v + 27])
        self._send(self.identity, "setAgentWallet", agent_id, wallet, deadline, signature, sender=owner)
        return wallet.lower()

    def unset_wallet(self, agent_id, owner):
        self._send(self.identity, "unsetAgentWallet", agent_id, sender=owner)

    def transfer(self, agent_id, owner, to):
        self._send(self.identity, "transferFrom", to_checksum_address(owner), to_checksum_address(to), agent_id, sender=owner)
        for agent in self.agents:
            if agent["agentId"] == agent_id:
                agent["owner"] = to.lower()

    def owner_of(self, agent_id):
        return self.identity.call("ownerOf", agent_id).lower()

    def feedback(self, client, agent_id, value, decimals=0, tag1="", tag2="", endpoint="", uri="", digest=b"\x00" * 32):
        self._send(self.reputation, "giveFeedback", agent_id, value, decimals, tag1, tag2, endpoint, uri, digest, sender=client)
        return self.reputation.call("getLastIndex", agent_id, to_checksum_address(client))

    def revoke(self, client, agent_id, index):
        self._send(self.reputation, "revokeFeedback", agent_id, index, sender=client)

    def respond(self, responder, agent_id, client, index, uri, digest=b"\x11" * 32):
        self._send(self.reputation, "appendResponse", agent_id, to_checksum_address(client), index, uri, digest, sender=responder)

    def request_validation(self, owner, validator, agent_id, uri):
        digest = keccak(text=uri)
        self._send(self.validation, "validationRequest", to_checksum_address(validator), agent_id, uri, digest, sender=owner)
        return "0x" + digest.hex()

    def respond_validation(self, validator, request_hash, response, uri, tag):
        self._send(self.validation, "validationResponse", bytes.fromhex(request_hash[2:]), response, uri, keccak(text=uri), tag,
                                 sender=validator)

    def refresh_all(self, sender):
        self._send(self.identity, "refreshAll", sender=sender)
