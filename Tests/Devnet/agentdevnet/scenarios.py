"""Seed scenarios: deploy the contracts and play out realistic agent activity."""
import json
import os

from eth_abi import encode as abi_encode
from eth_utils import keccak, to_checksum_address

from . import cards
from .contract import Contract
from .erc8004 import ERC8004, data_uri, registration, service


class Deployment:
    """The contracts of one devnet and the accounts that act on them."""

    def __init__(self, chain, compiled):
        self.chain = chain
        self.compiled = compiled
        a = chain.accounts
        self.deployer = a[0]          # deploys everything; curator of the curated registry
        self.owners = a[1:5]          # agent owners
        self.payers = a[5:10]         # clients paying agents
        self.start_blocks = {}
        self.agents = []              # [{"name", "address", "source", "owner"}]
        self.docs = None              # the document server (`start --documents`)

    def deploy(self, name, initcode, args_types=(), args=()):
        data = bytes.fromhex(initcode[2:]) + abi_encode(list(args_types), list(args))
        tx_hash = self.chain.send_transaction({"from": self.deployer, "data": data})
        receipt = self.receipt(tx_hash)
        address = receipt["contractAddress"]
        self.start_blocks[name] = int(receipt["blockNumber"], 16)
        return address

    def receipt(self, tx_hash):
        located = self.chain.locate_transaction(bytes.fromhex(tx_hash[2:]))
        return self.chain.format_receipt(*located)

    def contract(self, name, address):
        return Contract(self.chain, self.compiled[name]["abi"], address)

    def deploy_core(self):
        c = self.compiled
        self.usdc = self.contract("MockUSDC", self.deploy("usdc", c["MockUSDC"]["bytecode"]))
        blueprint = self.deploy("blueprint", c["Agent"]["blueprint"])
        self.factory = self.contract("AgentFactory", self.deploy("factory", c["AgentFactory"]["bytecode"], ["address"], [blueprint]))
        self.open_registry = self.contract("AgentRegistry", self.deploy("openRegistry", c["AgentRegistry"]["bytecode"], ["bool"], [False]))
        self.curated_registry = self.contract("AgentRegistry", self.deploy("curatedRegistry", c["AgentRegistry"]["bytecode"], ["bool"], [True]))
        self.erc8004 = ERC8004(self)

    def create_agent(self, card, owner):
        tx_hash = self.factory.transact("createAgent", card, sender=owner)
        receipt = self.receipt(tx_hash)
        created = [log for log in receipt["logs"] if log["address"] == self.factory.address]
        address = "0x" + created[-1]["topics"][1][-40:]
        self.agents.append({"name": card[0], "address": to_checksum_address(address), "source": "factory", "owner": owner})
        return self.contract("Agent", address)

    def deploy_standalone_agent(self, card, owner):
        data = bytes.fromhex(self.compiled["Agent"]["bytecode"][2:]) + abi_encode(
            ["address", _card_type(self.compiled)], [owner, card])
        receipt = self.receipt(self.chain.send_transaction({"from": owner, "data": data}))
        address = receipt["contractAddress"]
        self.agents.append({"name": card[0], "address": to_checksum_address(address), "source": "standalone", "owner": owner})
        return self.contract("Agent", address)

    def deploy_hostile_agent(self, owner, behaviour):
        """A HostileAgent (not listed in `agents`): behaviour 0 reverts getAgentCard, 1 returns garbage."""
        data = bytes.fromhex(self.compiled["HostileAgent"]["bytecode"][2:]) + abi_encode(
            ["address", "uint256"], [owner, behaviour])
        receipt = self.receipt(self.chain.send_transaction({"from": owner, "data": data}))
        return self.contract("HostileAgent", receipt["contractAddress"])

    def pay_native(self, agent, payer, wei):
        self.chain.send_transaction({"from": payer, "to": agent.address, "value": wei})

    def pay_token(self, agent, payer, amount):
        self.usdc.transact("approve", agent.checksum, amount, sender=payer)
        agent.transact("pay", self.usdc.checksum, amount, sender=payer)

    def head(self):
        return self.chain.head_number()

    def pay_x402(self, payer, pay_to, amount, token=None):
        """An EIP-3009 transferWithAuthorization signed by `payer`, submitted by the deployer."""
        token = token or self.usdc
        nonce = os.urandom(32)
        valid_before = 2**48
        typehash = keccak(text="TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,bytes32 nonce)")
        struct_hash = keccak(abi_encode(["bytes32", "address", "address", "uint256", "uint256", "uint256", "bytes32"],
                                        [typehash, payer, pay_to, amount, 0, valid_before, nonce]))
        digest = keccak(b"\x19\x01" + token.call("DOMAIN_SEPARATOR") + struct_hash)
        key = self.chain.keys[bytes.fromhex(payer[2:])]
        sig = key.sign_msg_hash(digest)
        token.transact("transferWithAuthorization", to_checksum_address(payer), to_checksum_address(pay_to), amount,
                           0, valid_before, nonce, sig.v + 27, sig.r.to_bytes(32, "big"), sig.s.to_bytes(32, "big"),
                           sender=self.deployer)

    def summary(self):
        return {
            "contracts": {
                "factory": {"address": self.factory.checksum, "startBlock": self.start_blocks["factory"]},
                "openRegistry": {"address": self.open_registry.checksum, "startBlock": self.start_blocks["openRegistry"]},
                "curatedRegistry": {"address": self.curated_registry.checksum, "startBlock": self.start_blocks["curatedRegistry"]},
                "usdc": {"address": self.usdc.checksum, "startBlock": self.start_blocks["usdc"]},
            } | self.erc8004.summary(),
            "accounts": {
                "deployer": to_checksum_address(self.deployer),
                "owners": [to_checksum_address(a) for a in self.owners],
                "payers": [to_checksum_address(a) for a in self.payers],
            },
            "agents": [{k: v for k, v in a.items() if k != "owner"} | {"owner": to_checksum_address(a["owner"])}
                       for a in self.agents],
        }


def pay_to(i):
    """The payTo address of demo card i: an address of its own, so payments name one agent."""
    return to_checksum_address(keccak(text=f"payTo:{i}")[-20:])


def _card_type(compiled):
    from .contract import abi_type
    fn = next(e for e in compiled["AgentFactory"]["abi"] if e.get("name") == "createAgent")
    return abi_type(fn["inputs"][0])


def scenario_empty(d):
    """Only the contracts."""
    d.deploy_core()
    return {}


def scenario_demo(d):
    """A factory with 22 agents, two standalone agents, an open and a curated registry, payments
    of all three kinds from five payers (some recurring), ratings, a card update, a deactivation."""
    d.deploy_core()
    usdc = d.usdc.checksum
    agents = [d.create_agent(card, d.owners[i % len(d.owners)]) for i, card in enumerate(cards.demo_cards(usdc, pay_to))]
    standalone = [d.deploy_standalone_agent(card, d.owners[i])
                  for i, card in enumerate(cards.standalone_cards(usdc, lambda i: pay_to(100 + i)))]

    # Registries: standalone agents and some factory agents enroll.
    owner_of = {a["address"].lower(): a["owner"] for a in d.agents}
    def register(registry, agent):
        registry.transact("register", agent.checksum, sender=owner_of[agent.address])
    for agent in standalone[:2] + agents[:3]:
        register(d.open_registry, agent)
    curated = [agents[0], agents[2], agents[9], standalone[1]]
    for agent in curated:
        register(d.curated_registry, agent)
    for agent in curated[:3]:
        d.curated_registry.transact("approve", agent.checksum, sender=d.deployer)
    d.curated_registry.transact("revoke", agents[9].checksum, sender=d.deployer)          # revoked
    delisted = standalone[2]                     # only in the curated registry: approved, then revoked
    register(d.curated_registry, delisted)
    d.curated_registry.transact("approve", delisted.checksum, sender=d.deployer)
    d.curated_registry.transact("revoke", delisted.checksum, sender=d.deployer)
    d.open_registry.transact("unregister", agents[2].checksum, sender=owner_of[agents[2].address])  # unregistered

    # Payments: pay() in USDC, native coin, and x402 (EIP-3009) straight to payTo.
    for payer in d.payers:
        d.usdc.transact("mint", to_checksum_address(payer), 1_000 * 10**6, sender=d.deployer)
    p = d.payers
    d.pay_token(agents[0], p[0], 2_500_000)
    d.pay_token(agents[0], p[0], 2_500_000)        # recurring
    d.pay_token(agents[0], p[1], 2_500_000)
    d.pay_x402(p[2], pay_to(0), 2_500_000)
    d.pay_native(agents[6], p[3], 10**15)
    d.pay_native(agents[6], p[3], 10**15)
    d.pay_token(agents[2], p[4], 1_000_000)
    d.pay_x402(p[0], pay_to(3), 200_000)
    d.pay_x402(p[0], pay_to(3), 200_000)
    d.pay_token(standalone[0], p[1], 300_000)

    # Ratings by payers and by a stranger who never paid.
    agents[0].transact("rate", 5, "Accurate German legal terminology", sender=p[0])
    agents[0].transact("rate", 4, "Fast", sender=p[1])
    agents[0].transact("rate", 1, "never paid, just noise", sender=d.owners[3])
    agents[6].transact("rate", 5, "Great itinerary", sender=p[3])

    # Life cycle: a card update, a heartbeat, a deactivation, an ownership transfer.
    updated = list(cards.demo_cards(usdc, pay_to)[1])
    updated[1] = "General machine translation for 60 languages with glossary and tone control."
    updated[3] = "1.1.0"
    agents[1].transact("updateCard", tuple(updated), sender=owner_of[agents[1].address])
    agents[3].transact("heartbeat", sender=owner_of[agents[3].address])
    agents[19].transact("setActive", False, sender=owner_of[agents[19].address])
    agents[4].transact("transferOwnership", to_checksum_address(d.owners[3]), sender=owner_of[agents[4].address])

    # Hostile agents enrolled in the open registry: the indexer must record them invalid and go on.
    owner = d.owners[0]
    reverting = d.deploy_hostile_agent(owner, 0)
    garbage = d.deploy_hostile_agent(owner, 1)
    oversized = d.deploy_hostile_agent(owner, 1)
    for hostile in (reverting, garbage, oversized):
        d.open_registry.transact("register", hostile.checksum, sender=owner)
    garbage.transact("emitCard", b"\x00\x01 not an ABI-encoded card", sender=owner)
    oversized.transact("emitCard", abi_encode([_card_type(d.compiled)], [cards.oversized_card(usdc, pay_to)]), sender=owner)

    return {
        "roles": {
            "delistedAgent": delisted.checksum,
            "hostileAgents": {"reverting": reverting.checksum, "garbage": garbage.checksum, "oversized": oversized.checksum},
            "updatedAgent": agents[1].checksum,
            "deactivatedAgent": agents[19].checksum,
            "revokedAgent": agents[9].checksum,
            "unregisteredAgent": agents[2].checksum,
            "approvedAgents": [a.checksum for a in curated[:2]],
            "transferredAgent": agents[4].checksum,
        }
    }


def scenario_reputation(d):
    """Known payments with exact expected metrics (Tests/IntegrationTests/ReputationEndToEndTests).

    Run the indexer with `--token <usdc> --dust native=1000000000000 --dust <usdc>=10000`.
    Phase 1 ends at `cutBlock`; phase 2 adds payments and a rating after it.
    """
    d.deploy_core()
    usdc = d.usdc.checksum
    fake = d.contract("MockUSDC", d.deploy("fakeUsd", d.compiled["MockUSDC"]["bytecode"]))
    p = [to_checksum_address(a) for a in d.payers]
    owners = d.owners
    stranger = to_checksum_address(owners[3])

    def terms(name, asset=usdc):
        return [cards.payment("base", asset, 1_000_000, pay_to(name))]

    def make(name, owner, asset=usdc, pays=None):
        card = cards.card(name, f"{name}: an agent of the reputation scenario.",
                          [cards.skill(name.lower(), name, "Scenario skill.", ["scenario"])],
                          url=f"https://{name.lower()}.example/", payments=pays if pays is not None else terms(name, asset))
        return d.create_agent(card, owner)

    alpha = make("Alpha", owners[0])
    bravo = make("Bravo", owners[1])
    charlie = make("Charlie", owners[2])
    shared = [cards.payment("base", usdc, 1_000_000, pay_to("Echo"))]
    echo1 = make("EchoOne", owners[0], pays=shared)
    echo2 = make("EchoTwo", owners[1], pays=shared)
    foxtrot = make("Foxtrot", owners[2], asset=fake.checksum)
    delta_card = cards.card("Delta", "Delta: a registry-only agent of the reputation scenario.",
                            [cards.skill("delta", "Delta", "Scenario skill.", ["scenario"])],
                            url="https://delta.example/", payments=terms("Delta"))
    delta = d.deploy_standalone_agent(delta_card, owners[3])
    d.open_registry.transact("register", delta.checksum, sender=owners[3])

    for payer in p + [to_checksum_address(o) for o in owners]:
        d.usdc.transact("mint", payer, 1_000 * 10**6, sender=d.deployer)
        fake.transact("mint", payer, 1_000 * 10**6, sender=d.deployer)

    # Phase 1. Alpha: recurring pay(), native, x402, the owner paying itself, dust; ratings.
    d.pay_token(alpha, p[0], 1_000_000)
    d.pay_token(alpha, p[0], 1_000_000)
    d.pay_native(alpha, p[1], 10**15)
    d.pay_x402(p[2], pay_to("Alpha"), 500_000)
    d.pay_native(alpha, to_checksum_address(owners[0]), 10**15)      # owner: not counted
    d.pay_native(alpha, p[3], 1)                                      # dust: not counted
    alpha.transact("rate", 2, "rated before paying anything that counts", sender=p[3])   # unverified
    alpha.transact("rate", 5, "excellent", sender=p[0])               # verified
    alpha.transact("rate", 4, "good", sender=p[1])                    # verified
    alpha.transact("rate", 1, "never paid", sender=stranger)          # unverified
    # Bravo: one wallet splitting payments into dust, plus two real payments.
    for _ in range(10):
        d.pay_native(bravo, p[4], 10**6)                              # dust
    d.pay_native(bravo, p[4], 10**15)
    d.pay_native(bravo, p[4], 10**15)
    bravo.transact("rate", 5, "my own wallet says so", sender=p[4])
    # Charlie: only its owner pays; strangers rate it.
    for _ in range(3):
        d.pay_token(charlie, to_checksum_address(owners[2]), 1_000_000)
        d.pay_native(charlie, to_checksum_address(owners[2]), 10**15)
    for rater in (stranger, to_checksum_address(owners[0]), to_checksum_address(owners[1])):
        charlie.transact("rate", 5, "five stars from a stranger", sender=rater)
    # Delta (no followed factory made it): pay() backed by a token Transfer counts once; a native
    # PaymentReceived has nothing to back it.
    d.pay_token(delta, p[0], 2_000_000)
    d.pay_native(delta, p[1], 10**15)
    # A payTo two agents share, and a token only a card names.
    d.pay_x402(p[0], pay_to("Echo"), 1_000_000)
    d.pay_x402(p[1], pay_to("Foxtrot"), 1_000_000, token=fake)
    cut = d.head()

    # Phase 2: a new payer for Alpha, a second payment from p1, and a rating by p2 (who paid in phase 1).
    d.pay_native(alpha, p[3], 2 * 10**15)
    d.pay_token(alpha, p[1], 1_000_000)
    alpha.transact("rate", 5, "still excellent", sender=p[2])

    return {
        "cutBlock": cut,
        "roles": {
            "alpha": alpha.checksum, "bravo": bravo.checksum, "charlie": charlie.checksum, "delta": delta.checksum,
            "echoOne": echo1.checksum, "echoTwo": echo2.checksum, "foxtrot": foxtrot.checksum,
            "fakeToken": fake.checksum, "alphaPayTo": pay_to("Alpha"), "stranger": stranger,
        },
    }


def scenario_hostile(d):
    """Contracts that misbehave, enrolled where the indexer looks: getAgentCard() that reverts,
    returns garbage or burns all gas; an EOA and a token (no card interface) in a registry that
    enrolls anything; a card at every maximum size the reference contracts allow; a card over
    the indexer's name limit; one good factory agent to show the follower went on."""
    d.deploy_core()
    usdc = d.usdc.checksum
    lax = d.contract("LaxRegistry", d.deploy("laxRegistry", d.compiled["LaxRegistry"]["bytecode"]))
    owner = d.owners[0]
    hostile = {name: d.deploy_hostile_agent(owner, behaviour)
               for name, behaviour in (("reverting", 0), ("garbage", 1), ("gasBurner", 2), ("maxed", 1), ("oversized", 1))}
    for contract in hostile.values():
        d.open_registry.transact("register", contract.checksum, sender=owner)
    card_type = [_card_type(d.compiled)]
    maxed = abi_encode(card_type, [cards.max_card(usdc, pay_to)])
    hostile["maxed"].transact("emitCard", maxed, sender=owner)
    hostile["oversized"].transact("emitCard", abi_encode(card_type, [cards.oversized_card(usdc, pay_to)]), sender=owner)
    eoa = to_checksum_address(keccak(text="an externally owned account")[-20:])
    lax.transact("register", eoa, sender=owner)
    lax.transact("register", usdc, sender=owner)
    good = d.create_agent(cards.demo_cards(usdc, pay_to)[0], d.owners[1])
    return {
        "contracts": d.summary()["contracts"] | {
            "laxRegistry": {"address": lax.checksum, "startBlock": d.start_blocks["laxRegistry"]}},
        "roles": {name: c.checksum for name, c in hostile.items()} | {"eoa": eoa, "token": usdc, "good": good.checksum},
        "maxedCardBytes": len(maxed),
    }


def scenario_dense(d):
    """One registered agent that emits 500 card logs per block over 8 blocks (4000 logs): a
    provider's result cap (1000) forces the indexer to learn its range."""
    d.deploy_core()
    owner = d.owners[0]
    spammer = d.deploy_hostile_agent(owner, 1)
    d.open_registry.transact("register", spammer.checksum, sender=owner)
    bursts = []
    for _ in range(8):
        spammer.transact("burst", b"\x00" * 40, 500, sender=owner)
        bursts.append(d.head())
    return {"roles": {"spammer": spammer.checksum}, "burstBlocks": bursts, "logsPerBurst": 500}


FILLERS = [
    ("Tabula", "Cleans and analyses spreadsheets; answers questions about tables.", ["data/table_analysis"], ["analytics"]),
    ("Vox", "Transcribes and diarizes meetings and podcasts.", ["audio/speech_recognition"], ["media"]),
    ("Glyph", "Reads handwriting and scanned forms into structured data.", ["vision/ocr"], ["documents"]),
    ("Atlas", "Geocodes addresses and plans delivery routes.", ["geo/routing"], ["logistics"]),
    ("Sentinel", "Monitors wallets and contracts and alerts on suspicious transactions.", ["security/monitoring"], ["blockchain"]),
    ("Meridian", "Converts currencies and explains FX exposure for invoices.", ["finance/fx"], ["finance"]),
    ("Lumen", "Writes product descriptions and marketing copy in twelve languages.", ["nlp/copywriting"], ["marketing"]),
    ("Cadence", "Schedules meetings across time zones and calendars.", ["productivity/scheduling"], ["productivity"]),
    ("Prism", "Classifies images and detects objects for catalog tagging.", ["vision/classification"], ["retail"]),
    ("Ledgerline", "Reconciles bank statements against accounting ledgers.", ["finance/reconciliation"], ["accounting"]),
    ("Helix", "Summarizes biomedical papers and trial registries.", ["nlp/summarization"], ["health"]),
    ("Orbit", "Tracks satellite passes and weather windows for launches.", ["science/astronomy"], ["space"]),
    ("Quarry", "Searches code repositories and explains unfamiliar code.", ["code/search"], ["software"]),
    ("Tally", "Counts votes and audits governance proposals on-chain.", ["blockchain/governance"], ["dao"]),
    ("Verse", "Composes and critiques poetry and song lyrics.", ["creative/poetry"], ["arts"]),
    ("Beacon", "Finds grants and drafts applications for nonprofits.", ["nlp/drafting"], ["nonprofit"]),
    ("Cipher", "Reviews cryptographic protocols and key management.", ["security/cryptography"], ["security"]),
    ("Harbor", "Tracks shipping containers and customs paperwork.", ["logistics/tracking"], ["logistics"]),
    ("Sprout", "Plans crop rotations and irrigation from soil data.", ["agriculture/planning"], ["agriculture"]),
]


def scenario_erc8004(d):
    """ERC-8004 agents with exact expected figures (Tests/IntegrationTests/ERC8004EndToEndTests): 32
    agents — data: files (base64, gzip, percent-encoded, legacy `endpoints`, one invalid, one that
    lists another agent's registration), https:/ipfs: URIs (pending), one without a URI, one
    inactive — metadata, wallets set with signatures, an NFT transfer that clears a wallet, a URI
    update, USDC payments to wallets by plain transfer and x402 from several payers (some
    recurring, one by the owner, one dust, one to a wallet two agents share, one after a wallet was
    cleared), feedback from payers and strangers, a revocation, responses, validation requests
    and responses, and a refresh request.

    Run the indexer with `--token <usdc> --dust <usdc>=10000`."""
    d.deploy_core()
    e = d.erc8004
    o, p = d.owners, d.payers
    stranger = [d.chain.new_account(f"stranger-{i}") for i in range(2)]
    validator = d.chain.new_account("validator-0")
    for account in p + o:
        d.usdc.transact("mint", to_checksum_address(account), 1_000 * 10**6, sender=d.deployer)
    registry = e.registry_id()
    ids = {}

    def add(key, owner, uri=None, metadata=(), name=None):
        ids[key] = e.register(owner, uri, metadata, name=name or key)

    a2a = lambda host: service("A2A", f"https://{host}/.well-known/agent-card.json", "0.3.0")   # noqa: E731
    add("quill", o[0], data_uri(registration(
        "Quill", "Drafts and reviews commercial contracts in English and German.",
        [a2a("quill.example"), service("MCP", "https://quill.example/mcp", "2025-06-18"),
         service("OASF", "ipfs://bafyquilloasf", "0.8", skills=["legal/contract_drafting", "nlp/summarization"], domains=["legal"]),
         service("ENS", "quill.eth", "v1")],
        x402=True, registrations=[{"agentId": len(e.agents), "agentRegistry": registry}], trust=["reputation"])),
        metadata=[("category", b"legal"), ("build", b"\x01\x02\xff")], name="Quill")
    add("ledgerly", o[1], data_uri(registration(
        "Ledgerly", "Bookkeeping agent: categorizes expenses and prepares VAT returns.",
        [a2a("ledgerly.example"), service("MCP", "https://ledgerly.example/mcp")]), "gzip"), name="Ledgerly")
    add("oldschool", o[2], data_uri(registration(
        "OldSchool", "Still publishes the legacy endpoints list.", [a2a("oldschool.example")], legacy=True), "percent"), name="OldSchool")
    add("broken", o[2], data_uri("{not json"), name="Broken")
    add("copycat", o[2], data_uri(registration(
        "Copycat", "Copied Quill's file, registrations and all.", [a2a("quill.example")],
        registrations=[{"agentId": ids["quill"], "agentRegistry": registry}])), name="Copycat")
    add("remoteHttps", o[2], f"https://agents.example/erc8004/{len(e.agents)}.json")
    add("remoteIpfs", o[2], "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi")
    add("noUri", o[2])
    add("sleeper", o[2], data_uri(registration("Sleeper", "Paused for maintenance.", [a2a("sleeper.example")], active=False)))
    add("traded", o[2], data_uri(registration("Traded", "Changes hands during the scenario.", [a2a("traded.example")])))
    add("renamed", o[2], data_uri(registration("Draft Name", "A first draft of a registration file.", [])))
    add("twinA", o[3], data_uri(registration("TwinA", "One of two agents paid at their owner's wallet.", [a2a("twins.example")])))
    for index, (name, description, skills, domains) in enumerate(FILLERS):
        if index == 1:
            add("twinB", o[3], data_uri(registration("TwinB", "The other agent paid at its owner's wallet.", [a2a("twins.example")])))
        add(name.lower(), o[2], data_uri(registration(
            name, description, [a2a(f"{name.lower()}.example"),
                                service("OASF", f"ipfs://bafy{name.lower()}", "0.8", skills=skills, domains=domains)],
            x402=index % 3 == 0), "gzip" if index % 2 else "base64"), name=name)
    assert len(ids) == 32

    # Metadata and wallets: each wallet is set with the new wallet's EIP-712 signature.
    e.set_metadata(ids["ledgerly"], "homepage", b"https://ledgerly.example", o[1])
    quill_wallet = e.set_wallet(ids["quill"], o[0], "quill")
    traded_wallet = e.set_wallet(ids["traded"], o[2], "traded")

    # Payments (USDC, 6 decimals): plain transfers and x402 (EIP-3009) to the wallets.
    def transfer(payer, wallet, amount):
        d.usdc.transact("transfer", to_checksum_address(wallet), amount, sender=payer)
    transfer(p[0], quill_wallet, 1_000_000)
    d.pay_x402(p[0], quill_wallet, 1_000_000)              # recurring
    d.pay_x402(p[1], quill_wallet, 2_500_000)
    transfer(p[2], quill_wallet, 500_000)
    transfer(o[0], quill_wallet, 1_000_000)               # the owner: not counted
    transfer(p[3], quill_wallet, 5_000)                   # dust
    transfer(p[1], o[1], 1_000_000)                       # Ledgerly's default wallet is its owner
    d.pay_x402(p[3], o[1], 1_000_000)
    transfer(p[4], o[3], 1_000_000)                       # the twins' shared wallet: counts for neither
    transfer(p[2], traded_wallet, 1_000_000)
    e.transfer(ids["traded"], o[2], o[3])                 # clears the wallet first
    transfer(p[2], traded_wallet, 1_000_000)              # after: counts for no one
    e.set_uri(ids["renamed"], data_uri(registration("Final Name", "The registration file after its update.", [a2a("final.example")])), o[2])

    # Feedback: payers (verified) and strangers (not); a revocation; responses. The owner may not.
    quill, ledgerly = ids["quill"], ids["ledgerly"]
    e.feedback(p[0], quill, 90, tag1="starred")
    p1_index = e.feedback(p[1], quill, 8750, 2, tag1="starred", tag2="fast", endpoint="https://quill.example/a2a",
                          uri="ipfs://bafyfeedbackp1")
    e.feedback(stranger[0], quill, 100, tag1="starred")
    revoked = e.feedback(stranger[1], quill, 20)
    e.revoke(stranger[1], quill, revoked)
    e.feedback(p[2], quill, 9950, 2, tag1="uptime")
    e.respond(o[0], quill, p[1], p1_index, "ipfs://bafyreplyowner")
    e.respond(stranger[0], quill, p[1], p1_index, "ipfs://bafyreplystranger")
    e.feedback(stranger[0], ledgerly, 10, tag1="starred")
    e.feedback(p[3], ledgerly, 1000, tag1="latency-ms")
    assert e.refuses(e.reputation, "giveFeedback", quill, 100, 0, "", "", "", "", b"\x00" * 32, sender=o[0]), \
        "the registry let the owner review its own agent"

    # Validations: two requests, the first answered twice (the last answer stands).
    first = e.request_validation(o[0], validator, quill, "ipfs://bafyvalidationrequest1")
    e.respond_validation(validator, first, 80, "ipfs://bafyvalidation1a", "soundness")
    e.respond_validation(validator, first, 95, "ipfs://bafyvalidation1b", "soundness")
    second = e.request_validation(o[0], validator, quill, "ipfs://bafyvalidationrequest2")
    e.refresh_all(o[0])
    refresh = d.head()
    return {
        "erc8004": {key: agent_id for key, agent_id in ids.items()},
        "roles": {"quillWallet": to_checksum_address(quill_wallet), "tradedWallet": to_checksum_address(traded_wallet),
                  "strangers": [to_checksum_address(a) for a in stranger], "validator": to_checksum_address(validator),
                  "requests": [first, second], "refreshBlock": refresh},
    }


def scenario_documents(d):
    """ERC-8004 agents whose registration files and A2A cards live off-chain, on the devnet's
    document server (HTTPS with a test CA) and IPFS gateways (Tests/IntegrationTests/DocumentsEndToEndTests):

    - Scribe: https file → v1.0 card signed by the A2A SDK (key at a jku) with x402 terms; the
      domain proof lists it. Atlas: ipfs file (a directory, raw leaves) → v0.3 card on IPFS,
      Ed25519-signed with the key in the header. Dual: the endpoint is no card, the origin's
      /.well-known/agent-card.json is a dual card (unsigned). Legacy: only /.well-known/agent.json.
      Forger: a card changed after signing. Anon: a signature naming only its kid. Chameleon: a file
      that changes with its ETag.
    - one agent per hostile endpoint, an unsupported scheme, a private address and an http: URL;
    - payments and feedback with files: a proof of a real payment (and its hash), a proof of a
      transaction that paid nothing, a proof on another chain, a gzip `data:` file without proof.

    Needs `start --documents`; the document server's origins, CA file and allowlist are in the
    JSON line under "documents"."""
    from . import a2acards as served
    docs = d.docs
    assert docs is not None, "the documents scenario needs --documents"
    d.deploy_core()
    e = d.erc8004
    o, p = d.owners, d.payers
    chain_id = d.chain.chain_id
    for account in p + o:
        d.usdc.transact("mint", to_checksum_address(account), 1_000 * 10**6, sender=d.deployer)
    registry = e.registry_id()
    ids = {}
    h = "https"
    es256 = served.SigningKey("ES256", "scribe-key-1")
    ed25519 = served.SigningKey("EdDSA", "atlas-key-1")
    forger_key = served.SigningKey("ES256", "forger-key-1")
    jwks_url = docs.put(h, "/jwks.json", {"keys": [es256.jwk]}, content_type="application/jwk-set+json")
    scribe_pay_to = d.chain.new_account("scribe-payto")

    def file_for(name, description, endpoint, version="1.0", **kwargs):
        return registration(name, description, [service("A2A", endpoint, version)],
                            registrations=[{"agentId": len(e.agents), "agentRegistry": registry}], **kwargs)

    def add(key, owner, uri):
        ids[key] = e.register(owner, uri, name=key)

    # Scribe: https file, SDK-signed v1.0 card (jku), x402 terms on this chain, listed by the domain proof.
    scribe_card = served.sign_with_sdk(served.v10_card(
        "Scribe", "Drafts legal memos and contract summaries.", docs.url(h, "/scribe/a2a"),
        [served.skill("memo", "Legal memo", "Drafts memos from case notes", ["legal", "memo"], ["Draft a memo on this lease"])],
        extensions=[served.x402_extension(chain_id, d.usdc.checksum, to_checksum_address(scribe_pay_to), 250_000)],
        output_modes=("application/pdf", "text/plain")), es256, jku=jwks_url)
    scribe_card_url = docs.put(h, "/scribe/agent-card.json", scribe_card)
    add("scribe", o[0], docs.put(h, "/scribe/agent.json", file_for("Scribe", "Legal memos on demand.", scribe_card_url, x402=True)))

    # Atlas: registration file and card on IPFS (the file chunked into raw leaves, in a directory).
    atlas_card = served.sign_jws(served.v03_card(
        "Atlas", "Geocodes addresses and plans delivery routes.", docs.url(h, "/atlas/a2a"),
        [served.skill("route", "Route planning", "Plans multi-stop delivery routes", ["logistics", "routing"])],
        input_modes=("application/geo+json",)), ed25519, embed_key=True)
    card_cid = docs.ipfs.add_file(json.dumps(atlas_card).encode(), version=0)
    atlas_file = json.dumps(file_for("Atlas", "Delivery routing from IPFS.", f"ipfs://{card_cid}", "0.3.0")).encode()
    folder = docs.ipfs.add_dir({"agent.json": docs.ipfs.add_file(atlas_file, chunk=64)})
    add("atlas", o[1], f"ipfs://{folder}/agent.json")

    # Dual: the endpoint is the agent's RPC URL (no card there); the origin's well-known card is dual.
    docs.put("cards", "/.well-known/agent-card.json", served.dual_card(
        "Dual", "Speaks A2A 0.3 and 1.0.", docs.url("cards", "/dual/rpc"),
        [served.skill("translate", "Translate", "Translates documents", ["translation", "german"])]))
    docs.put("cards", "/dual/rpc", "<html>405 Method Not Allowed</html>", content_type="text/html", status=405)
    add("dual", o[1], docs.put(h, "/dual/agent.json", file_for("Dual", "Translation.", docs.url("cards", "/dual/rpc"))))

    # Legacy: only the pre-0.3 well-known path.
    docs.put("legacy", "/.well-known/agent.json", served.v03_card(
        "Legacy", "An old agent.", docs.url("legacy", "/a2a"), [served.skill("echo", "Echo", "Repeats", ["echo"])]))
    add("legacy", o[1], docs.put(h, "/legacy/agent.json", file_for("Legacy", "Old but working.", docs.url("legacy", "/a2a"), "0.2.0")))

    # Forger: a card changed after it was signed. Anon: a signature that names only its kid.
    signed = served.sign_jws(served.v03_card("Forger", "Honest work.", docs.url(h, "/forger/a2a"),
                                           [served.skill("audit", "Audit", "Audits contracts", ["security"])]), forger_key, embed_key=True)
    signed["description"] = "Steals keys."
    add("forger", o[2], docs.put(h, "/forger/agent.json", file_for("Forger", "Audits.", docs.put(h, "/forger/agent-card.json", signed))))
    anon = served.sign_jws(served.v03_card("Anon", "Signed by someone.", docs.url(h, "/anon/a2a"),
                                         [served.skill("misc", "Misc", "Anything", ["misc"])]), forger_key, kid_only=True)
    add("anon", o[2], docs.put(h, "/anon/agent.json", file_for("Anon", "Who signed this?", docs.put(h, "/anon/agent-card.json", anon))))
    add("chameleon", o[2], docs.url(h, "/changing.json"))
    # The domain proof of the document host lists Scribe only.
    docs.put(h, "/.well-known/agent-registration.json", {"registrations": [{"agentId": ids["scribe"], "agentRegistry": registry}]})

    # Hostile endpoints, an unsupported scheme, a private address, plain http.
    hostile = ["redirect-loop", "redirect-cloud-metadata", "redirect-loopback", "redirect-downgrade", "ten-gigabytes", "drip",
               "gzip-bomb", "html", "bad-utf8", "deep", "500", "429"]
    for name in hostile:
        add(f"hostile-{name}", o[3], docs.url(h, f"/hostile/{name}"))
    docs.put("http", "/plain/agent.json", registration("Plain", "Served over plain http.", []))
    add("plain-http", o[3], docs.url("http", "/plain/agent.json"))
    add("unsupported", o[3], "ar://bNbA3TEQVL60xlgCcqdz4ZPHFZ711cZ3hmkpGttDt_U")
    add("private", o[3], "https://10.0.0.7/agent.json")

    # Payments and feedback with files.
    def transfer(payer, to, amount):
        return d.usdc.transact("transfer", to_checksum_address(to), amount, sender=payer)
    paid = transfer(p[0], o[0], 2_000_000)                        # Scribe's wallet is its owner
    transfer(p[4], scribe_pay_to, 250_000)                        # to the card's x402 payTo
    d.pay_x402(p[4], scribe_pay_to, 250_000)
    scribe = ids["scribe"]

    def feedback_file(path, proof):
        body = json.dumps({"agentRegistry": registry, "agentId": scribe, "score": 90,
                           **({"proofOfPayment": proof} if proof else {})}).encode()
        return docs.put(h, path, body), body
    proof = {"fromAddress": to_checksum_address(p[0]), "toAddress": to_checksum_address(o[0]), "chainId": chain_id, "txHash": paid}
    uri1, body1 = feedback_file("/feedback/1.json", proof)
    e.feedback(p[0], scribe, 95, tag1="starred", uri=uri1, digest=keccak(body1))
    registered_tx = d.chain.send_transaction({"from": o[1], "to": to_checksum_address(o[1]), "value": 0})
    uri2, _ = feedback_file("/feedback/2.json", {**proof, "fromAddress": to_checksum_address(p[1]), "txHash": registered_tx})
    e.feedback(p[1], scribe, 20, tag1="starred", uri=uri2, digest=keccak(b"not the file"))
    uri3, _ = feedback_file("/feedback/3.json", {**proof, "chainId": 1})
    e.feedback(p[2], scribe, 80, tag1="starred", uri=uri3)
    e.feedback(p[3], scribe, 70, tag1="starred", uri=data_uri({"comment": "fine, no receipt"}, "gzip"))
    return {"erc8004": ids, "roles": {"scribePayTo": to_checksum_address(scribe_pay_to), "paymentTx": paid},
            "hostile": hostile}


def scenario_slowdocs(d):
    """100 ERC-8004 agents whose registration files drip one byte a second (a hostile host), and
    one whose file is served at once: the follower must not wait for any of them. Needs --documents."""
    docs = d.docs
    assert docs is not None, "the slowdocs scenario needs --documents"
    d.deploy_core()
    e = d.erc8004
    ids = {"fast": e.register(d.owners[0], docs.put("https", "/fast/agent.json", registration("Fast", "Served at once.", [])))}
    for index in range(100):
        e.register(d.owners[1 + index % 3], docs.url("https", f"/hostile/drip?agent={index}"), name=f"drip-{index}")
    return {"erc8004": ids, "slowAgents": 100}


SCENARIOS = {"empty": scenario_empty, "demo": scenario_demo, "reputation": scenario_reputation,
             "hostile": scenario_hostile, "dense": scenario_dense, "erc8004": scenario_erc8004,
             "documents": scenario_documents, "slowdocs": scenario_slowdocs}
