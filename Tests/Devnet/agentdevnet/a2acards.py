"""A2A cards as agents serve them (v1.0, v0.3, dual), and their JWS signatures: v1.0 cards are
signed by the A2A SDK's own signer (a2a.utils.signing); v0.3 cards, which the SDK's v1.0 model
cannot hold, with rfc8785 (JCS) and cryptography. Neither shares code with the indexer."""
import base64
import json

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
import rfc8785

X402 = "https://github.com/google-a2a/a2a-x402/v0.1"


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def x402_extension(chain_id, asset, pay_to, amount):
    return {"uri": X402, "required": False, "params": {"accepts": [
        {"scheme": "exact", "network": f"eip155:{chain_id}", "asset": asset, "amount": str(amount), "payTo": pay_to}]}}


def skill(skill_id, name, description, tags, examples=()):
    out = {"id": skill_id, "name": name, "description": description, "tags": list(tags)}
    if examples:
        out["examples"] = list(examples)
    return out


def v10_card(name, description, url, skills, *, extensions=(), input_modes=("text/plain",), output_modes=("text/plain",)):
    return {"name": name, "description": description, "version": "1.0.0",
            "supportedInterfaces": [{"url": url, "protocolBinding": "JSONRPC", "protocolVersion": "1.0"}],
            "capabilities": {"streaming": True, **({"extensions": list(extensions)} if extensions else {})},
            "defaultInputModes": list(input_modes), "defaultOutputModes": list(output_modes), "skills": list(skills)}


def v03_card(name, description, url, skills, *, extensions=(), input_modes=("text/plain",), output_modes=("text/plain",)):
    return {"name": name, "description": description, "url": url, "version": "0.3.1", "protocolVersion": "0.3.0",
            "capabilities": {"streaming": False, **({"extensions": list(extensions)} if extensions else {})},
            "defaultInputModes": list(input_modes), "defaultOutputModes": list(output_modes), "skills": list(skills)}


def dual_card(name, description, url, skills, **kwargs):
    card = v10_card(name, description, url, skills, **kwargs)
    card.update({"url": url, "protocolVersion": "0.3.0", "preferredTransport": "JSONRPC"})
    return card


class SigningKey:
    """An ES256 or EdDSA key with its public JWK."""

    def __init__(self, alg, kid):
        self.alg, self.kid = alg, kid
        self.private = ec.generate_private_key(ec.SECP256R1()) if alg == "ES256" else ed25519.Ed25519PrivateKey.generate()

    @property
    def pem(self):
        return self.private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())

    @property
    def jwk(self):
        public = self.private.public_key()
        if self.alg == "ES256":
            numbers = public.public_numbers()
            return {"kty": "EC", "crv": "P-256", "x": b64url(numbers.x.to_bytes(32, "big")),
                    "y": b64url(numbers.y.to_bytes(32, "big")), "kid": self.kid, "alg": "ES256", "use": "sig"}
        raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        return {"kty": "OKP", "crv": "Ed25519", "x": b64url(raw), "kid": self.kid, "alg": "EdDSA", "use": "sig"}


def sign_with_sdk(card, key, jku=None):
    """The card signed by the A2A SDK (a v1.0 card), as the SDK serializes it."""
    from google.protobuf.json_format import MessageToDict, ParseDict
    from a2a.types import AgentCard
    from a2a.utils.signing import create_agent_card_signer
    header = {"alg": key.alg, "kid": key.kid, "typ": "JOSE"}
    if jku:
        header["jku"] = jku
    signed = create_agent_card_signer(key.pem, header)(ParseDict(card, AgentCard()))
    return MessageToDict(signed)


def sign_jws(card, key, *, embed_key=False, jku=None, kid_only=False):
    """A detached JWS over the card's JCS form (RFC 7515 + RFC 8785), appended to `signatures`."""
    header = {"alg": key.alg, "kid": key.kid, "typ": "JOSE"}
    if embed_key and not kid_only:
        header["jwk"] = {k: v for k, v in key.jwk.items() if k not in ("use",)}
    if jku and not kid_only:
        header["jku"] = jku
    protected = b64url(json.dumps(header).encode())
    unsigned = {k: v for k, v in card.items() if k != "signatures"}
    signing_input = (protected + "." + b64url(rfc8785.dumps(unsigned))).encode()
    if key.alg == "ES256":
        r, s = decode_dss_signature(key.private.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        signature = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    else:
        signature = key.private.sign(signing_input)
    out = dict(card)
    out["signatures"] = list(card.get("signatures", [])) + [{"protected": protected, "signature": b64url(signature)}]
    return out
