# pragma version ~=0.4.3
"""
@title AgentRegistry
@notice Any contract that implements the agent interface can enroll. Open registries list
        every registered agent; curated ones list an agent only while the curator approves it.
"""

interface AgentOwner:
    def owner() -> address: view

event AgentRegistered:
    agent: indexed(address)
    owner: indexed(address)

event AgentUnregistered:
    agent: indexed(address)

event AgentApproved:
    agent: indexed(address)
    curator: indexed(address)

event AgentRevoked:
    agent: indexed(address)
    curator: indexed(address)

curated: public(bool)
curator: public(address)
registered: HashMap[address, bool]
approved: HashMap[address, bool]


@deploy
def __init__(is_curated: bool):
    self.curated = is_curated
    self.curator = msg.sender


@external
def register(agent: address):
    assert not self.registered[agent], "already registered"
    assert staticcall AgentOwner(agent).owner() == msg.sender, "only the agent's owner"
    self.registered[agent] = True
    log AgentRegistered(agent=agent, owner=msg.sender)


@external
def unregister(agent: address):
    assert self.registered[agent], "not registered"
    assert msg.sender == self.curator or staticcall AgentOwner(agent).owner() == msg.sender, "only owner or curator"
    self.registered[agent] = False
    self.approved[agent] = False
    log AgentUnregistered(agent=agent)


@external
def approve(agent: address):
    assert msg.sender == self.curator, "only curator"
    assert self.registered[agent], "not registered"
    assert not self.approved[agent], "already approved"
    self.approved[agent] = True
    log AgentApproved(agent=agent, curator=msg.sender)


@external
def revoke(agent: address):
    assert msg.sender == self.curator, "only curator"
    assert self.approved[agent], "not approved"
    self.approved[agent] = False
    log AgentRevoked(agent=agent, curator=msg.sender)
