# pragma version ~=0.4.3
"""
@title AgentFactory
@notice Deploys Agent contracts from a blueprint (ERC-5202); every child is discoverable
        through `AgentCreated`. The child emits its first `AgentCardUpdated` in the same
        transaction.
"""
import agent_card

event AgentCreated:
    agent: indexed(address)
    owner: indexed(address)
    index: uint256

AGENT_BLUEPRINT: immutable(address)
count: uint256
agents: HashMap[uint256, address]


@deploy
def __init__(agent_blueprint: address):
    AGENT_BLUEPRINT = agent_blueprint


@external
def createAgent(card: agent_card.AgentCard) -> address:
    agent: address = create_from_blueprint(AGENT_BLUEPRINT, msg.sender, card)
    index: uint256 = self.count
    self.agents[index] = agent
    self.count = index + 1
    log AgentCreated(agent=agent, owner=msg.sender, index=index)
    return agent


@external
@view
def agentCount() -> uint256:
    return self.count


@external
@view
def agentAt(index: uint256) -> address:
    assert index < self.count, "index out of range"
    return self.agents[index]
