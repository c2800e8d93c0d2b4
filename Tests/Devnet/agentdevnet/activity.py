"""Random agent activity on a seeded devnet, for reorg and crash tests: card updates, new agents
from the factory, registrations of new standalone agents, payments (native, pay(), plain USDC
transfers to a payTo) and ratings; and ERC-8004 registrations, URI updates, wallet changes, NFT
transfers, payments to wallets, feedback, revocations and validations. One transaction per
block; the same seed plays the same moves."""
import random

from eth_utils import to_checksum_address

from . import cards
from .erc8004 import data_uri, registration, service
from .scenarios import pay_to


class Activity:

    # Each move and the blocks (transactions) it takes.
    COSTS = {"update_card": 1, "create_agent": 1, "register_standalone": 2, "pay_native": 1, "pay_token": 3,
             "pay_transfer": 2, "rate": 1, "heartbeat": 1}
    ERC8004_COSTS = {"erc8004_register": 1, "erc8004_uri": 1, "erc8004_wallet": 1, "erc8004_unset_wallet": 1,
                     "erc8004_transfer": 1, "erc8004_pay": 2, "erc8004_x402": 1, "erc8004_feedback": 1,
                     "erc8004_revoke": 1, "erc8004_respond": 1, "erc8004_validation": 2}

    def __init__(self, deployment):
        self.d = deployment
        self.made = 0
        self.wallets = {}      # ERC-8004 agent id -> its wallet now (None when cleared)
        self.reviews = []      # (client, agent id, index) of feedback not yet revoked

    def state(self):
        return (self.made, dict(self.wallets), list(self.reviews))

    def restore(self, state):
        self.made, self.wallets, self.reviews = state[0], dict(state[1]), list(state[2])

    def play(self, seed, blocks, kinds=None):
        """Plays moves chosen by `seed` that mine exactly `blocks` blocks; returns what was done,
        one line per move. `kinds`: "agents" or "erc8004" for one family of moves (default both),
        or a list of move names played once each, in order (then `blocks` must be their cost)."""
        rng = random.Random(seed)
        if isinstance(kinds, list):
            costs = self.COSTS | self.ERC8004_COSTS
            assert sum(costs[name] for name in kinds) == blocks, "the script's moves do not cost `blocks` blocks"
            return [getattr(self, name)(rng, seed) for name in kinds]
        costs = {"agents": self.COSTS, "erc8004": self.ERC8004_COSTS}.get(kinds) or self.COSTS | self.ERC8004_COSTS
        done = []
        left = blocks
        while left > 0:
            name = rng.choice([m for m, cost in sorted(costs.items()) if cost <= left])
            done.append(getattr(self, name)(rng, seed))
            left -= costs[name]
        return done

    def _agents(self, source="factory"):
        return [a for a in self.d.agents if a["source"] == source]

    def _card(self, rng, seed, label):
        self.made += 1
        usdc = self.d.usdc.checksum
        name = f"{label} {seed}-{self.made}"
        topic = rng.choice(["translation", "legal review", "image captioning", "code audit", "weather", "summaries"])
        return cards.card(name, f"{name}: {topic} for seed {seed}.",
                          [cards.skill(f"s{self.made}", topic.title(), f"Does {topic}.", [topic.split()[0], "reorg"])],
                          url=f"https://agents.example/{seed}/{self.made}",
                          payments=[cards.payment("eip155:31337", usdc, 1000 + self.made, pay_to(5000 + rng.randrange(8)))])

    def update_card(self, rng, seed):
        agent = rng.choice(self._agents())
        contract = self.d.contract("Agent", agent["address"])
        contract.transact("updateCard", self._card(rng, seed, "Updated"), sender=agent["owner"])
        return f"update {agent['address']}"

    def create_agent(self, rng, seed):
        owner = rng.choice(self.d.owners)
        contract = self.d.create_agent(self._card(rng, seed, "Created"), owner)
        return f"create {contract.checksum}"

    def register_standalone(self, rng, seed):
        owner = rng.choice(self.d.owners)
        contract = self.d.deploy_standalone_agent(self._card(rng, seed, "Standalone"), owner)
        self.d.open_registry.transact("register", contract.checksum, sender=owner)
        return f"register {contract.checksum}"

    def pay_native(self, rng, seed):
        agent = rng.choice(self._agents())
        payer = rng.choice(self.d.payers)
        self.d.pay_native(self.d.contract("Agent", agent["address"]), payer, 10**15 * (1 + rng.randrange(50)))
        return f"native {agent['address']}"

    def pay_token(self, rng, seed):
        agent = rng.choice(self._agents())
        payer = rng.choice(self.d.payers)
        self.d.usdc.transact("mint", to_checksum_address(payer), 10**8, sender=self.d.deployer)
        self.d.pay_token(self.d.contract("Agent", agent["address"]), payer, 10**5 * (1 + rng.randrange(50)))
        return f"pay {agent['address']}"

    def pay_transfer(self, rng, seed):
        payer = rng.choice(self.d.payers)
        self.d.usdc.transact("mint", to_checksum_address(payer), 10**8, sender=self.d.deployer)
        self.d.usdc.transact("transfer", pay_to(rng.randrange(24)), 10**5 * (1 + rng.randrange(50)), sender=payer)
        return "transfer"

    def rate(self, rng, seed):
        agent = rng.choice(self._agents())
        payer = rng.choice(self.d.payers)
        self.d.contract("Agent", agent["address"]).transact("rate", 1 + rng.randrange(5), f"seed {seed}", sender=payer)
        return f"rate {agent['address']}"

    def heartbeat(self, rng, seed):
        agent = rng.choice(self._agents())
        self.d.contract("Agent", agent["address"]).transact("heartbeat", sender=agent["owner"])
        return f"heartbeat {agent['address']}"

    # ERC-8004 ---------------------------------------------------------------------------------
    # A move that needs an agent when there is none registers one instead and mines the rest of
    # its blocks empty, so every move costs what ERC8004_COSTS says.

    def _erc8004_agent(self, rng, seed, cost):
        """A random ERC-8004 agent id, or None after registering one (and padding to `cost` blocks)."""
        agents = self.d.erc8004.agents
        if agents:
            return rng.choice(agents)["agentId"]
        self.erc8004_register(rng, seed)
        if cost > 1:
            self.d.chain.mine(cost - 1)
        return None

    def _file(self, rng, seed, label):
        self.made += 1
        topic = rng.choice(["translation", "bookkeeping", "code audit", "weather", "image tagging", "summaries"])
        doc = registration(f"{label} {seed}-{self.made}", f"{topic} agent registered for seed {seed}.",
                           [service("A2A", f"https://erc8004.example/{seed}/{self.made}/agent-card.json", "0.3.0"),
                            service("OASF", "ipfs://oasf", "0.8", skills=[topic.replace(" ", "_")], domains=["reorg"])],
                           x402=rng.random() < 0.5)
        return data_uri(doc, rng.choice(["base64", "gzip", "percent"]))

    def erc8004_register(self, rng, seed):
        owner = rng.choice(self.d.owners)
        agent_id = self.d.erc8004.register(owner, self._file(rng, seed, "Registered"))
        self.wallets[agent_id] = owner.lower()
        return f"erc8004 register {agent_id}"

    def erc8004_uri(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 1)
        if agent_id is None:
            return "erc8004 register (for uri)"
        self.d.erc8004.set_uri(agent_id, self._file(rng, seed, "Updated"), self.d.erc8004.owner_of(agent_id))
        return f"erc8004 uri {agent_id}"

    def erc8004_wallet(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 1)
        if agent_id is None:
            return "erc8004 register (for wallet)"
        wallet = self.d.erc8004.set_wallet(agent_id, self.d.erc8004.owner_of(agent_id), f"play-{rng.randrange(6)}")
        self.wallets[agent_id] = wallet
        return f"erc8004 wallet {agent_id} {wallet}"

    def erc8004_unset_wallet(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 1)
        if agent_id is None:
            return "erc8004 register (for unset)"
        self.d.erc8004.unset_wallet(agent_id, self.d.erc8004.owner_of(agent_id))
        self.wallets[agent_id] = None
        return f"erc8004 unset wallet {agent_id}"

    def erc8004_transfer(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 1)
        if agent_id is None:
            return "erc8004 register (for transfer)"
        owner = self.d.erc8004.owner_of(agent_id)
        to = rng.choice([o for o in self.d.owners if o.lower() != owner])
        self.d.erc8004.transfer(agent_id, owner, to)
        self.wallets[agent_id] = None
        return f"erc8004 transfer {agent_id} to {to}"

    def _payee(self, rng, agent_id):
        """The agent's wallet now, or (when cleared) a wallet it had, or its owner."""
        return self.wallets.get(agent_id) or rng.choice([w for w in self.wallets.values() if w] or [self.d.owners[0]])

    def erc8004_pay(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 2)
        if agent_id is None:
            return "erc8004 register (for pay)"
        payer = rng.choice(self.d.payers)
        self.d.usdc.transact("mint", to_checksum_address(payer), 10**8, sender=self.d.deployer)
        self.d.usdc.transact("transfer", to_checksum_address(self._payee(rng, agent_id)), 10**4 * (1 + rng.randrange(200)),
                             sender=payer)
        return f"erc8004 pay {agent_id}"

    def erc8004_x402(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 1)
        if agent_id is None:
            return "erc8004 register (for x402)"
        payer = rng.choice(self.d.payers)
        self.d.pay_x402(payer, self._payee(rng, agent_id), 10**4 * (1 + rng.randrange(200)))
        return f"erc8004 x402 {agent_id}"

    def erc8004_feedback(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 1)
        if agent_id is None:
            return "erc8004 register (for feedback)"
        client = rng.choice(self.d.payers)
        decimals = rng.randrange(3)
        index = self.d.erc8004.feedback(client, agent_id, rng.randrange(-10, 120) * 10**decimals, decimals,
                                        tag1=rng.choice(["", "starred", "uptime"]), tag2=rng.choice(["", "fast"]))
        self.reviews.append((client, agent_id, index))
        return f"erc8004 feedback {agent_id}"

    def erc8004_revoke(self, rng, seed):
        if not self.reviews:
            return self.erc8004_feedback(rng, seed)
        client, agent_id, index = self.reviews.pop(rng.randrange(len(self.reviews)))
        self.d.erc8004.revoke(client, agent_id, index)
        return f"erc8004 revoke {agent_id}/{index}"

    def erc8004_respond(self, rng, seed):
        if not self.reviews:
            return self.erc8004_feedback(rng, seed)
        client, agent_id, index = rng.choice(self.reviews)
        self.d.erc8004.respond(rng.choice(self.d.owners), agent_id, client, index, f"ipfs://response-{seed}-{rng.randrange(99)}")
        return f"erc8004 respond {agent_id}/{index}"

    def erc8004_validation(self, rng, seed):
        agent_id = self._erc8004_agent(rng, seed, 2)
        if agent_id is None:
            return "erc8004 register (for validation)"
        self.made += 1
        validator = rng.choice(self.d.payers)
        request = self.d.erc8004.request_validation(self.d.erc8004.owner_of(agent_id), validator, agent_id,
                                                    f"ipfs://request-{seed}-{self.made}")
        self.d.erc8004.respond_validation(validator, request, rng.randrange(101), f"ipfs://validation-{seed}-{self.made}", "play")
        return f"erc8004 validation {agent_id}"
