"""Random ABI types and values, encoded by eth-abi: an independent implementation for Swift's
decoder and encoder to agree with. Values are written in the project's JSON convention."""
import random

from eth_abi import encode
from eth_utils import to_checksum_address

ELEMENTARY = ["uint8", "uint16", "uint32", "uint64", "uint128", "uint256", "int8", "int24", "int64", "int256",
              "address", "bool", "bytes1", "bytes4", "bytes20", "bytes32", "bytes", "string"]
ALPHABET = "abcXYZ 019äöü€日本語🙂\"\\/\n\t"


def random_type(rng, depth=0):
    roll = rng.random()
    if depth < 3 and roll < 0.15:
        return "(" + ",".join(random_type(rng, depth + 1) for _ in range(rng.randint(1, 4))) + ")"
    if depth < 3 and roll < 0.30:
        return random_type(rng, depth + 1) + ("[]" if rng.random() < 0.6 else f"[{rng.randint(1, 3)}]")
    return rng.choice(ELEMENTARY)


def split_array(t):
    """'T[k]' -> ('T', k); 'T[]' -> ('T', None); otherwise None."""
    if not t.endswith("]"):
        return None
    depth = 0
    for i in range(len(t) - 1, -1, -1):
        if t[i] == "]":
            depth += 1
        elif t[i] == "[":
            depth -= 1
            if depth == 0:
                inner = t[i + 1:-1]
                return t[:i], (int(inner) if inner else None)
    return None


def split_tuple(t):
    inner, parts, depth, cur = t[1:-1], [], 0, ""
    for ch in inner:
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
            continue
        depth += ch in "(["
        depth -= ch in ")]"
        cur += ch
    parts.append(cur)
    return parts


def random_value(rng, t):
    """(python value for eth-abi, JSON-convention value)."""
    arr = split_array(t)
    if arr:
        inner, k = arr
        n = k if k is not None else rng.randint(0, 3)
        pairs = [random_value(rng, inner) for _ in range(n)]
        return [p[0] for p in pairs], [p[1] for p in pairs]
    if t.startswith("("):
        pairs = [random_value(rng, m) for m in split_tuple(t)]
        return tuple(p[0] for p in pairs), [p[1] for p in pairs]
    if t.startswith("uint"):
        bits = int(t[4:])
        v = rng.choice([0, 1, 2**bits - 1, rng.getrandbits(bits)])
        return v, str(v)
    if t.startswith("int"):
        bits = int(t[3:])
        v = rng.choice([0, -1, -(2**(bits - 1)), 2**(bits - 1) - 1, rng.getrandbits(bits) - 2**(bits - 1)])
        return v, str(v)
    if t == "address":
        b = rng.getrandbits(160).to_bytes(20, "big")
        return to_checksum_address(b), to_checksum_address(b)
    if t == "bool":
        v = rng.random() < 0.5
        return v, v
    if t == "bytes":
        b = bytes(rng.getrandbits(8) for _ in range(rng.choice([0, 1, 31, 32, 33, 70])))
        return b, "0x" + b.hex()
    if t.startswith("bytes"):
        b = bytes(rng.getrandbits(8) for _ in range(int(t[5:])))
        return b, "0x" + b.hex()
    if t == "string":
        s = "".join(rng.choice(ALPHABET) for _ in range(rng.choice([0, 1, 5, 40])))
        return s, s
    raise ValueError(t)


def generate(count, seed):
    rng = random.Random(seed)
    for _ in range(count):
        types = [random_type(rng) for _ in range(rng.randint(1, 4))]
        pairs = [random_value(rng, t) for t in types]
        data = encode(types, [p[0] for p in pairs])
        yield {"types": types, "values": [p[1] for p in pairs], "hex": "0x" + data.hex()}
