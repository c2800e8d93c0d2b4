# pragma version ~=0.4.3
"""
@title Agent
@notice An AI agent's on-chain presence: its A2A AgentCard, owner, activity flag, and the
        payments and ratings it receives. `AgentCardUpdated.card` is the ABI encoding of
        `(AgentCard)`: the same bytes `getAgentCard()` returns.
"""
from ethereum.ercs import IERC20
import agent_card

event AgentCardUpdated:
    owner: indexed(address)
    card: Bytes[189152]

event ActiveChanged:
    active: bool

event Heartbeat:
    timestamp: uint256

event OwnershipTransferred:
    previousOwner: indexed(address)
    newOwner: indexed(address)

event PaymentReceived:
    payer: indexed(address)
    asset: indexed(address)
    amount: uint256

event Rated:
    rater: indexed(address)
    score: uint8
    comment: String[280]

owner: public(address)
active: public(bool)
card: agent_card.AgentCard


@deploy
def __init__(initial_owner: address, initial_card: agent_card.AgentCard):
    self.owner = initial_owner
    self.active = True
    self._set_card(initial_card)


@internal
def _set_card(new_card: agent_card.AgentCard):
    self.card = new_card
    log AgentCardUpdated(owner=self.owner, card=abi_encode(new_card))


@external
@view
def getAgentCard() -> agent_card.AgentCard:
    return self.card


@external
def updateCard(new_card: agent_card.AgentCard):
    assert msg.sender == self.owner, "only owner"
    self._set_card(new_card)


@external
def setActive(is_active: bool):
    assert msg.sender == self.owner, "only owner"
    self.active = is_active
    log ActiveChanged(active=is_active)


@external
def heartbeat():
    assert msg.sender == self.owner, "only owner"
    log Heartbeat(timestamp=block.timestamp)


@external
def transferOwnership(new_owner: address):
    assert msg.sender == self.owner, "only owner"
    assert new_owner != empty(address), "zero owner"
    previous: address = self.owner
    self.owner = new_owner
    log OwnershipTransferred(previousOwner=previous, newOwner=new_owner)


@external
def pay(asset: address, amount: uint256):
    assert amount > 0, "zero amount"
    assert extcall IERC20(asset).transferFrom(msg.sender, self, amount), "transfer failed"
    log PaymentReceived(payer=msg.sender, asset=asset, amount=amount)


@external
@payable
def __default__():
    assert msg.value > 0, "zero value"
    log PaymentReceived(payer=msg.sender, asset=empty(address), amount=msg.value)


@external
def rate(score: uint8, comment: String[280]):
    assert score >= 1 and score <= 5, "score must be 1..5"
    log Rated(rater=msg.sender, score=score, comment=comment)
