# pragma version ~=0.4.3
"""
@title ReputationRegistry (ERC-8004, devnet)
@notice The ERC-8004 Reputation Registry as the reference contracts (v2.0.0) behave at their
        interface: clients give feedback (a signed fixed-point value, tags, URIs) numbered from 1
        per (agent, client); the agent's owner and operators may not; a client may revoke its own
        feedback once; anyone may append responses. Not a proxy. (Vyper reserves `value` for
        inputs: giveFeedback's is named `feedbackValue`; the selector is the reference's.)
"""

interface IdentityRegistry:
    def isAuthorizedOrOwner(spender: address, agentId: uint256) -> bool: view

event NewFeedback:
    agentId: indexed(uint256)
    clientAddress: indexed(address)
    feedbackIndex: uint64
    value: int128
    valueDecimals: uint8
    indexedTag1: indexed(String[64])
    tag1: String[64]
    tag2: String[64]
    endpoint: String[512]
    feedbackURI: String[2048]
    feedbackHash: bytes32

event FeedbackRevoked:
    agentId: indexed(uint256)
    clientAddress: indexed(address)
    feedbackIndex: indexed(uint64)

event ResponseAppended:
    agentId: indexed(uint256)
    clientAddress: indexed(address)
    feedbackIndex: uint64
    responder: indexed(address)
    responseURI: String[2048]
    responseHash: bytes32

struct Feedback:
    value: int128
    valueDecimals: uint8
    isRevoked: bool
    tag1: String[64]
    tag2: String[64]

MAX_ABS_VALUE: constant(int128) = 10 ** 38

identityRegistry: address
lastIndex: HashMap[uint256, HashMap[address, uint64]]
feedback: HashMap[uint256, HashMap[address, HashMap[uint64, Feedback]]]


@deploy
def __init__(identityRegistry: address):
    assert identityRegistry != empty(address), "bad identity"
    self.identityRegistry = identityRegistry


@view
@external
def getIdentityRegistry() -> address:
    return self.identityRegistry


@pure
@external
def getVersion() -> String[8]:
    return "2.0.0"


@external
def giveFeedback(agentId: uint256, feedbackValue: int128, valueDecimals: uint8, tag1: String[64], tag2: String[64],
                 endpoint: String[512], feedbackURI: String[2048], feedbackHash: bytes32):
    assert valueDecimals <= 18, "too many decimals"
    assert feedbackValue >= -MAX_ABS_VALUE and feedbackValue <= MAX_ABS_VALUE, "value too large"
    # Also reverts for an agent that does not exist.
    assert not staticcall IdentityRegistry(self.identityRegistry).isAuthorizedOrOwner(msg.sender, agentId), "Self-feedback not allowed"
    index: uint64 = self.lastIndex[agentId][msg.sender] + 1
    self.lastIndex[agentId][msg.sender] = index
    self.feedback[agentId][msg.sender][index] = Feedback(value=feedbackValue, valueDecimals=valueDecimals, isRevoked=False, tag1=tag1, tag2=tag2)
    log NewFeedback(agentId=agentId, clientAddress=msg.sender, feedbackIndex=index, value=feedbackValue, valueDecimals=valueDecimals,
                    indexedTag1=tag1, tag1=tag1, tag2=tag2, endpoint=endpoint, feedbackURI=feedbackURI, feedbackHash=feedbackHash)


@external
def revokeFeedback(agentId: uint256, feedbackIndex: uint64):
    assert feedbackIndex > 0, "index must be > 0"
    assert feedbackIndex <= self.lastIndex[agentId][msg.sender], "index out of bounds"
    assert not self.feedback[agentId][msg.sender][feedbackIndex].isRevoked, "Already revoked"
    self.feedback[agentId][msg.sender][feedbackIndex].isRevoked = True
    log FeedbackRevoked(agentId=agentId, clientAddress=msg.sender, feedbackIndex=feedbackIndex)


@external
def appendResponse(agentId: uint256, clientAddress: address, feedbackIndex: uint64, responseURI: String[2048],
                   responseHash: bytes32):
    assert feedbackIndex > 0, "index must be > 0"
    assert len(responseURI) > 0, "Empty URI"
    assert feedbackIndex <= self.lastIndex[agentId][clientAddress], "index out of bounds"
    log ResponseAppended(agentId=agentId, clientAddress=clientAddress, feedbackIndex=feedbackIndex, responder=msg.sender,
                         responseURI=responseURI, responseHash=responseHash)


@view
@external
def getLastIndex(agentId: uint256, clientAddress: address) -> uint64:
    return self.lastIndex[agentId][clientAddress]


@view
@external
def readFeedback(agentId: uint256, clientAddress: address, feedbackIndex: uint64) -> (int128, uint8, String[64], String[64], bool):
    assert feedbackIndex > 0, "index must be > 0"
    assert feedbackIndex <= self.lastIndex[agentId][clientAddress], "index out of bounds"
    f: Feedback = self.feedback[agentId][clientAddress][feedbackIndex]
    return f.value, f.valueDecimals, f.tag1, f.tag2, f.isRevoked
