"""Random agent activity on a seeded devnet, for reorg and crash tests: card updates, new agents
from the factory, registrations of new standalone agents, payments (native, pay(), plain USDC
transfers to a payTo) and ratings. One transaction per block; the same seed plays the same moves."""
import random

from eth_utils import to_checksum_address

from . import cards
from .scenarios import pay_to


class Activity:
    def __init__(self, deployment):
        self.d = deployment
        self.made = 0

    # Each move and the blocks (transactions) it takes.
    COSTS = {"update_card": 1, "create_agent": 1, "register_standalone": 2, "pay_native": 1, "pay_token": 3,
             "pay_transfer": 2, "rate": 1, "heartbeat": 1}

    def play(self, seed, blocks):
        """Plays moves chosen by `seed` that mine exactly `blocks` blocks; returns what was done,
        one line per move."""
        rng = random.Random(seed)
        done = []
        left = blocks
        while left > 0:
            name = rng.choice([m for m, cost in sorted(self.COSTS.items()) if cost <= left])
            done.append(getattr(self, name)(rng, seed))
            left -= self.COSTS[name]
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
