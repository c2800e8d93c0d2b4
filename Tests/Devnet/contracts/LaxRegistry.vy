# pragma version ~=0.4.3
"""
@title LaxRegistry
@notice A test fixture, not part of the indexer's interface: a registry that enrolls any
        address without asking it anything, so an EOA or a contract with no card interface can
        appear as a registered agent. Emits the same events as AgentRegistry.
"""

event AgentRegistered:
    agent: indexed(address)
    owner: indexed(address)

curated: public(bool)


@external
def register(agent: address):
    log AgentRegistered(agent=agent, owner=msg.sender)
