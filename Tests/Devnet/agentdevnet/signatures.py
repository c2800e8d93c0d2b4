"""Checks AgentIndex's signed answers and snapshot manifests the way a client would: with
eth_account, an Ethereum library independent of the indexer (Tests/IntegrationTests/AgentClientsTests)."""
import hashlib
import json
import urllib.parse
import urllib.request

from eth_account import Account
from eth_account.messages import encode_defunct


def recover(text, signature):
    return Account.recover_message(encode_defunct(text=text), signature=signature)


def answer_text(method, target, block, body):
    return f"AgentIndex answer\n{method} {target}\n{block}\n{hashlib.sha256(body).hexdigest()}"


def check_answer(url):
    """GETs `url` and recovers the signer of its answer as served, with one byte of the body
    changed, and with the path changed."""
    with urllib.request.urlopen(url, timeout=30) as response:
        body = response.read()
        block = response.headers["AgentIndex-Block"]
        signature = response.headers["AgentIndex-Signature"]
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    changed = bytearray(body)
    changed[len(changed) // 2] ^= 0x01
    return {"block": block, "signature": signature,
            "recovered": recover(answer_text("GET", target, block, body), signature),
            "bodyChanged": recover(answer_text("GET", target, block, bytes(changed)), signature),
            "pathChanged": recover(answer_text("GET", target + "x", block, body), signature),
            "blockChanged": recover(answer_text("GET", target, block + "0", body), signature)}


def check_manifest(path):
    """Recovers the signer of FILE.manifest.json from FILE.manifest.json.sig."""
    manifest = open(path, "rb").read()
    sig = json.load(open(path + ".sig"))
    text = f"AgentIndex snapshot\n{sig['block']}\n{hashlib.sha256(manifest).hexdigest()}"
    return {"signer": sig["signer"], "block": sig["block"], "recovered": recover(text, sig["signature"]),
            "manifestChanged": recover(text[:-1] + ("0" if text[-1] != "0" else "1"), sig["signature"])}
