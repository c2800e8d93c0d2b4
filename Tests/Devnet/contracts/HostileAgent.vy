# pragma version ~=0.4.3
"""
@title HostileAgent
@notice A test fixture, not part of the indexer's interface (its ABI is not exported to abi/).
        It looks like an agent to a registry (it has `owner()`), but emits whatever bytes it is
        given as a card and answers `getAgentCard()` by reverting (behaviour 0), with bytes
        that do not decode as `(AgentCard)` (behaviour 1), or by burning all the call's gas
        (behaviour 2: the INVALID opcode). `burst` emits one card many times in one transaction
        (dense logs for range-cap tests).
"""

event AgentCardUpdated:
    owner: indexed(address)
    card: Bytes[262144]

owner: public(address)
behaviour: public(uint256)


@deploy
def __init__(initial_owner: address, behaviour: uint256):
    self.owner = initial_owner
    self.behaviour = behaviour


@external
def emitCard(card: Bytes[262144]):
    assert msg.sender == self.owner, "only owner"
    log AgentCardUpdated(owner=self.owner, card=card)


@external
def burst(card: Bytes[1024], count: uint256):
    assert msg.sender == self.owner, "only owner"
    for i: uint256 in range(count, bound=1000):
        log AgentCardUpdated(owner=self.owner, card=card)


@external
@view
def getAgentCard() -> Bytes[65]:
    assert self.behaviour != 0, "no card here"
    assert self.behaviour != 2, UNREACHABLE
    return x"ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
