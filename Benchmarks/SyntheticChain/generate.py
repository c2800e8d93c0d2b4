"""Generates a synthetic AgentIndex chain into a SQLite file, encoded with eth-abi (independent of
the Swift ABI codec, so a benchmark also cross-checks decoding).

  python generate.py --agents 100000 --payments 1000000 --blocks 2000000 --out chain.sqlite

What it holds: a factory that creates every agent (each with a realistic card: 1–5 skills, tags,
one x402 payment term), card updates for 5 % of them, a curated registry where 10 % enroll (70 %
of those approved, 10 % later revoked), and `payments` payment logs from 50,000 payers with a
Zipf-like skew — half `PaymentReceived` on the agent, half ERC-20 `Transfer`s to the card's payTo —
plus a rating after 5 % of them. Logs are stored as the exact JSON a node returns."""
import argparse
import json
import random
import sqlite3

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

CARD = ("(string,string,string,string,string,string,string,string,string,(bool,bool,bool),string[],string[],"
        "(string,string,string,string[],string[],string[],string[])[],(string,string,bool,string)[],"
        "(string,string,address,uint256,address)[])")
WORDS = ("translate legal german french contract summary invoice audit code solidity security weather forecast "
         "image caption vision speech transcribe medical research finance tax payroll travel booking search "
         "retrieval sql database analytics chart marketing email support chat tutor math physics").split()


def topic(signature):
    return "0x" + keccak(text=signature).hex()


T_CREATED = topic("AgentCreated(address,address,uint256)")
T_CARD = topic("AgentCardUpdated(address,bytes)")
T_REGISTERED = topic("AgentRegistered(address,address)")
T_APPROVED = topic("AgentApproved(address,address)")
T_REVOKED = topic("AgentRevoked(address,address)")
T_PAYMENT = topic("PaymentReceived(address,address,uint256)")
T_RATED = topic("Rated(address,uint8,string)")
T_TRANSFER = topic("Transfer(address,address,uint256)")


def address(label, i):
    return "0x" + keccak(text=f"{label}:{i}")[-20:].hex()


def word(a):
    return "0x" + "0" * 24 + a[2:]


def block_hash(n):
    return "0x" + keccak(b"synthetic-block" + n.to_bytes(8, "big")).hex()


def timestamp(n):
    """The block's time: one block every 12 s (replay.py serves the same in headers)."""
    return 1_700_000_000 + 12 * n


def expected_json(generated):
    """The fields of a generated card that AgentIndex's `/v1/agents/{id}/card` must give back,
    written from the tuple here (not from AgentIndex), for the decoded-sample check."""
    (name, description, url, version, protocol, org, org_url, _icon, _docs, _caps, _in, _out, skills, _ext, payments) = generated
    return {"name": name, "description": description, "url": url, "version": version, "protocolVersion": protocol,
            "provider": {"organization": org, "url": org_url},
            "skills": [{"id": s[0], "name": s[1], "description": s[2], "tags": s[3], "examples": s[4]} for s in skills],
            "accepts": [{"scheme": p[0], "network": p[1], "asset": to_checksum_address(p[2]), "amount": str(p[3]),
                         "payTo": to_checksum_address(p[4])} for p in payments]}


def card(rng, i, version, token):
    words = rng.sample(WORDS, 6)
    skills = []
    for s in range(rng.randint(1, 5)):
        w = rng.sample(WORDS, 3)
        skills.append((f"skill-{i}-{s}", f"{w[0].title()} {w[1]}", f"Does {w[0]} {w[1]} and {w[2]} for agent {i}.",
                       w, [f"{w[0]} this for me"], ["text/plain"], ["application/json"]))
    name = f"{words[0].title()} {words[1].title()} Agent {i}"
    return (name, f"{name}: {' '.join(words)} (version {version}).", f"https://agents.example/{i}", f"1.{version}.0",
            "0.3.0", f"Org {i % 97}", "https://org.example", "", "", (False, False, False),
            ["text/plain"], ["application/json"], skills, [],
            [("exact", "eip155:31337", token, 1000 + i % 5000, address("payTo", i))])


class Chain:
    def __init__(self, path, chain_id):
        self.db = sqlite3.connect(path)
        self.db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            DROP TABLE IF EXISTS meta; DROP TABLE IF EXISTS logs; DROP TABLE IF EXISTS cards;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE logs (block INTEGER, log_index INTEGER, address TEXT, topic0 TEXT, topic1 TEXT, topic2 TEXT,
                               json TEXT, PRIMARY KEY (block, log_index)) WITHOUT ROWID;
            CREATE TABLE cards (agent TEXT PRIMARY KEY, name TEXT, raw BLOB, expected TEXT, block INTEGER);
        """)
        self.pending = []
        self.chain_id = chain_id

    def log(self, block, index, tx, address, topics, data):
        log = {"address": address, "topics": topics, "data": "0x" + data.hex(), "blockNumber": hex(block),
               "blockHash": block_hash(block), "blockTimestamp": hex(timestamp(block)), "transactionHash": tx,
               "transactionIndex": "0x0", "logIndex": hex(index), "removed": False}
        self.pending.append((block, index, address, topics[0], topics[1] if len(topics) > 1 else None,
                             topics[2] if len(topics) > 2 else None, json.dumps(log, separators=(",", ":"))))
        if len(self.pending) >= 50_000:
            self.flush()

    def flush(self):
        self.db.executemany("INSERT INTO logs VALUES (?, ?, ?, ?, ?, ?, ?)", self.pending)
        self.pending = []


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=1_000)
    parser.add_argument("--payments", type=int, default=10_000)
    parser.add_argument("--blocks", type=int, default=20_000)
    parser.add_argument("--payers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chain = Chain(args.out, 31337)
    factory, registry, token, curator = address("factory", 0), address("registry", 0), address("token", 0), address("curator", 0)
    owners = [address("owner", i) for i in range(100)]
    agents = [address("agent", i) for i in range(args.agents)]
    events = []  # (block, order, kind, payload) — sorted, then given log indexes per block

    creation_span = max(1, args.blocks // 10)
    for i, agent in enumerate(agents):
        events.append((2 + i * creation_span // args.agents, 0, "create", i))
        if rng.random() < 0.05:
            events.append((rng.randint(creation_span + 2, args.blocks), 1, "update", i))
        if rng.random() < 0.10:
            b = rng.randint(creation_span + 2, args.blocks - 2)
            events.append((b, 2, "register", i))
            if rng.random() < 0.7:
                a = rng.randint(b + 1, args.blocks - 1)
                events.append((a, 3, "approve", i))
                if rng.random() < 0.1:
                    events.append((rng.randint(a + 1, args.blocks), 4, "revoke", i))
    weights = [1 / (k + 1) ** 1.1 for k in range(args.agents)]
    payer_weights = [1 / (k + 1) ** 1.1 for k in range(args.payers)]
    paid = rng.choices(range(args.agents), weights=weights, k=args.payments)
    payers = rng.choices(range(args.payers), weights=payer_weights, k=args.payments)
    for n in range(args.payments):
        events.append((rng.randint(creation_span + 2, args.blocks), 5 + n % 2, "pay", (paid[n], payers[n], n)))
    events.sort(key=lambda e: (e[0], e[1]))

    version = {}
    index_in_block = {}
    for block, _, kind, payload in events:
        def next_index():
            index_in_block[block] = index_in_block.get(block, -1) + 1
            return index_in_block[block]
        if kind in ("create", "update"):
            i = payload
            version[i] = version.get(i, -1) + 1
            generated = card(rng, i, version[i], token)
            raw = encode([CARD], [generated])
            tx = "0x" + keccak(text=f"{kind}:{i}:{version[i]}").hex()
            chain.log(block, next_index(), tx, agents[i], [T_CARD, word(owners[i % 100])], encode(["bytes"], [raw]))
            chain.db.execute("INSERT OR REPLACE INTO cards VALUES (?, ?, ?, ?, ?)",
                             (agents[i], generated[0], raw, json.dumps(expected_json(generated)), block))
            if kind == "create":
                chain.log(block, next_index(), tx, factory, [T_CREATED, word(agents[i]), word(owners[i % 100])], encode(["uint256"], [i]))
        elif kind in ("register", "approve", "revoke"):
            i = payload
            tx = "0x" + keccak(text=f"{kind}:{i}").hex()
            signature = {"register": T_REGISTERED, "approve": T_APPROVED, "revoke": T_REVOKED}[kind]
            second = owners[i % 100] if kind == "register" else curator
            chain.log(block, next_index(), tx, registry, [signature, word(agents[i]), word(second)], b"")
        else:
            i, p, n = payload
            payer = address("payer", p)
            tx = "0x" + keccak(text=f"pay:{n}").hex()
            amount = 10_000 + (n * 7919) % 5_000_000
            if n % 2 == 0:
                chain.log(block, next_index(), tx, agents[i], [T_PAYMENT, word(payer), word(token)], encode(["uint256"], [amount]))
            else:
                chain.log(block, next_index(), tx, token, [T_TRANSFER, word(payer), word(address("payTo", i))], encode(["uint256"], [amount]))
            if n % 20 == 0:
                chain.log(block, next_index(), tx, agents[i], [T_RATED, word(payer)], encode(["uint8", "string"], [1 + n % 5, "good"]))
    chain.flush()
    meta = {"chainId": 31337, "head": args.blocks, "factory": factory, "registry": registry, "token": token,
            "agents": args.agents, "payments": args.payments, "logs": chain.db.execute("SELECT count(*) FROM logs").fetchone()[0]}
    chain.db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
    chain.db.execute("CREATE INDEX logs_topic ON logs (topic0, block)")
    chain.db.execute("CREATE INDEX logs_address ON logs (address, block)")
    chain.db.commit()
    print(json.dumps(meta | {"factory": to_checksum_address(factory), "registry": to_checksum_address(registry),
                             "token": to_checksum_address(token)}))


if __name__ == "__main__":
    main()
