"""Generates a synthetic ERC-8004 chain into the SQLite format replay.py serves (see generate.py),
encoded with eth-abi — not AgentIndex's codec.

  python generate_erc8004.py --agents 100000 --transfers 1000000 --blocks 2000000 --out chain.sqlite

What it holds: an Identity Registry where `agents` agents register in the first tenth of the
blocks, as the reference contract logs it (Transfer, MetadataUpdate, Registered with a data: URI —
or, for `--remote-share` of them (a tenth), an https: URI under `--remote-origin` —, MetadataSet of
the default agentWallet), then set a
wallet of their own (MetadataSet); `transfers` USDC transfers over the rest of the blocks, of
which `--to-agents` (5 %) go to agent wallets (Zipf-skewed over agents, from 50,000 payers, a
fifth of them x402 with the token's AuthorizationUsed) and the rest to other addresses; and
feedback on the Reputation Registry (a tenth of it revoked), from payers and strangers.

`meta` also holds what an indexer must find, computed here from the generated events:
`expected` = {agents, pending, counted payments, feedback, verified feedback, revoked feedback}."""
import argparse
import base64
import json
import random

from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from generate import Chain, address, topic, word

T_TRANSFER = topic("Transfer(address,address,uint256)")
T_AUTHORIZATION = topic("AuthorizationUsed(address,bytes32)")
T_REGISTERED = topic("Registered(uint256,string,address)")
T_METADATA_UPDATE = topic("MetadataUpdate(uint256)")
T_METADATA_SET = topic("MetadataSet(uint256,string,string,bytes)")
T_FEEDBACK = topic("NewFeedback(uint256,address,uint64,int128,uint8,string,string,string,string,string,bytes32)")
T_REVOKED = topic("FeedbackRevoked(uint256,address,uint64)")
WORDS = ("translate legal contract invoice audit code security weather image speech medical finance tax travel "
         "search sql analytics marketing support tutor math research summary").split()
SKILLS = ("natural_language_processing/summarization", "natural_language_processing/translation", "vision/ocr",
          "security/audit", "data/table_analysis", "finance/accounting", "code/review", "audio/transcription")


def uint(n):
    return "0x" + n.to_bytes(32, "big").hex()


def hashed(text):
    return "0x" + keccak(text=text).hex()


def registration_uri(rng, i, identity):
    words = rng.sample(WORDS, 5)
    doc = {"type": "https://eips.ethereum.org/EIPS/eip-8004#registration-v1",
           "name": f"{words[0].title()} {words[1].title()} Agent {i}",
           "description": f"Agent {i}: {' '.join(words)}.",
           "services": [{"name": "A2A", "endpoint": f"https://agents.example/{i}/.well-known/agent-card.json", "version": "0.3.0"},
                        {"name": "OASF", "endpoint": "ipfs://oasf", "version": "0.8", "skills": rng.sample(SKILLS, 2)}]
                       + ([{"name": "MCP", "endpoint": f"https://agents.example/{i}/mcp"}] if i % 3 == 0 else []),
           "x402Support": i % 2 == 0, "active": True,
           "registrations": [{"agentId": i, "agentRegistry": f"eip155:31337:{to_checksum_address(identity)}"}]}
    return "data:application/json;base64," + base64.b64encode(json.dumps(doc, separators=(",", ":")).encode()).decode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--agents", type=int, default=1_000)
    parser.add_argument("--transfers", type=int, default=10_000)
    parser.add_argument("--to-agents", type=float, default=0.05, help="share of transfers that reach an agent wallet")
    parser.add_argument("--feedback", type=int, default=None, help="default: a fifth of the agents")
    parser.add_argument("--blocks", type=int, default=20_000)
    parser.add_argument("--payers", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--remote-share", type=float, default=0.1, help="share of agents whose file is behind a URI to fetch")
    parser.add_argument("--remote-origin", default="https://agents.example",
                        help="where those URIs point: ORIGIN/agents/<i>/registration.json (the document benchmark's server)")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    chain = Chain(args.out, 31337)
    identity, reputation, token = address("identity", 0), address("reputation", 0), address("token", 0)
    feedback_count = args.feedback if args.feedback is not None else args.agents // 5
    span = max(1, args.blocks // 10)
    events = []   # (block, order, kind, payload)
    for i in range(args.agents):
        events.append((1 + i * span // args.agents, 0, "register", i))
    weights = [1 / (k + 1) ** 1.1 for k in range(args.agents)]
    payer_weights = [1 / (k + 1) ** 1.1 for k in range(args.payers)]
    to_agents = int(args.transfers * args.to_agents)
    paid = rng.choices(range(args.agents), weights=weights, k=to_agents)
    for n in range(args.transfers):
        agent = paid[n] if n < to_agents else None
        payer = rng.choices(range(args.payers), weights=payer_weights)[0] if agent is not None else rng.randrange(args.payers)
        events.append((rng.randint(span + 1, args.blocks), 1, "transfer", (n, agent, payer)))
    for f in range(feedback_count):
        agent = rng.choices(range(args.agents), weights=weights)[0]
        client = rng.choices(range(args.payers), weights=payer_weights)[0] if f % 2 == 0 else args.payers + f   # payers and strangers
        events.append((rng.randint(span + 1, args.blocks), 2, "feedback", (f, agent, client)))
    events.sort(key=lambda e: (e[0], e[1]))

    index_in_block = {}
    first_paid = {}        # (agent, payer) -> position of the first payment
    given = {}             # (agent, client) -> feedback count so far
    expected = {"agents": args.agents, "pending": 0, "countedPayments": 0, "feedback": 0, "verifiedFeedback": 0, "revokedFeedback": 0}
    revocations = []
    for block, _, kind, payload in events:
        def next_index():
            index_in_block[block] = index_in_block.get(block, -1) + 1
            return index_in_block[block]
        if kind == "register":
            i = payload
            owner, wallet = address("owner", i % 20_000), address("wallet", i)
            tx = hashed(f"register:{i}")
            remote = int((i + 1) * args.remote_share) > int(i * args.remote_share)
            uri = f"{args.remote_origin}/agents/{i}/registration.json" if remote else registration_uri(rng, i, identity)
            expected["pending"] += remote
            chain.log(block, next_index(), tx, identity, [T_TRANSFER, word("0x" + "00" * 20), word(owner), uint(i)], b"")
            chain.log(block, next_index(), tx, identity, [T_METADATA_UPDATE], encode(["uint256"], [i]))
            chain.log(block, next_index(), tx, identity, [T_REGISTERED, uint(i), word(owner)], encode(["string"], [uri]))
            chain.log(block, next_index(), tx, identity, [T_METADATA_SET, uint(i), hashed("agentWallet")],
                      encode(["string", "bytes"], ["agentWallet", bytes.fromhex(owner[2:])]))
            tx = hashed(f"wallet:{i}")
            chain.log(block, next_index(), tx, identity, [T_METADATA_SET, uint(i), hashed("agentWallet")],
                      encode(["string", "bytes"], ["agentWallet", bytes.fromhex(wallet[2:])]))
        elif kind == "transfer":
            n, agent, payer = payload
            sender = address("payer", payer)
            receiver = address("wallet", agent) if agent is not None else address("elsewhere", n)
            tx = hashed(f"transfer:{n}")
            if n % 5 == 0:
                chain.log(block, next_index(), tx, token, [T_AUTHORIZATION, word(sender), hashed(f"nonce:{n}")], b"")
            position = (block, next_index())
            chain.log(position[0], position[1], tx, token, [T_TRANSFER, word(sender), word(receiver)],
                      encode(["uint256"], [10_000 + (n * 7919) % 5_000_000]))
            if agent is not None:
                expected["countedPayments"] += 1
                first_paid.setdefault((agent, payer), position)
        else:
            f, agent, client = payload
            sender = address("payer", client)
            index = given[(agent, client)] = given.get((agent, client), 0) + 1
            tx = hashed(f"feedback:{f}")
            position = (block, next_index())
            tag = ("starred", "uptime", "speed")[f % 3]
            chain.log(position[0], position[1], tx, reputation, [T_FEEDBACK, uint(agent), word(sender), hashed(tag)],
                      encode(["uint64", "int128", "uint8", "string", "string", "string", "string", "string", "bytes32"],
                             [index, 60 + f % 41, 0, tag, "", "", "", "", b"\x00" * 32]))
            verified = (agent, client) in first_paid and first_paid[(agent, client)] < position
            if f % 10 == 9:
                revocations.append((min(args.blocks, block + 1 + f % 1000), agent, client, index))
                expected["revokedFeedback"] += 1
            else:
                expected["feedback"] += 1
                expected["verifiedFeedback"] += verified
    for block, agent, client, index in sorted(revocations):
        index_in_block[block] = index_in_block.get(block, -1) + 1
        chain.log(block, index_in_block[block], hashed(f"revoke:{agent}:{client}:{index}"), reputation,
                  [T_REVOKED, uint(agent), word(address("payer", client)), uint(index)], b"")
    chain.flush()
    meta = {"chainId": 31337, "head": args.blocks, "identity": identity, "reputation": reputation, "registry": identity,
            "token": token, "agents": args.agents, "transfers": args.transfers, "expected": expected,
            "logs": chain.db.execute("SELECT count(*) FROM logs").fetchone()[0]}
    chain.db.executemany("INSERT INTO meta VALUES (?, ?)", [(k, json.dumps(v)) for k, v in meta.items()])
    chain.db.execute("CREATE INDEX logs_topic ON logs (topic0, block)")
    chain.db.execute("CREATE INDEX logs_address ON logs (address, block)")
    chain.db.commit()
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
