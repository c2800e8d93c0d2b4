# pragma version ~=0.4.3
"""
@title ValidationRegistry (ERC-8004, devnet)
@notice The ERC-8004 Validation Registry as the reference contracts (v2.0.0) behave at their
        interface: an agent's owner or operator asks a validator (a request hash, once); the
        validator answers 0–100, as often as it likes, the last answer standing. Not a proxy.
"""

interface IdentityRegistry:
    def ownerOf(tokenId: uint256) -> address: view
    def getApproved(tokenId: uint256) -> address: view
    def isApprovedForAll(owner: address, operator: address) -> bool: view

event ValidationRequest:
    validatorAddress: indexed(address)
    agentId: indexed(uint256)
    requestURI: String[2048]
    requestHash: indexed(bytes32)

event ValidationResponse:
    validatorAddress: indexed(address)
    agentId: indexed(uint256)
    requestHash: indexed(bytes32)
    response: uint8
    responseURI: String[2048]
    responseHash: bytes32
    tag: String[64]

struct ValidationStatus:
    validatorAddress: address
    agentId: uint256
    response: uint8
    responseHash: bytes32
    tag: String[64]
    lastUpdate: uint256

identityRegistry: address
validations: HashMap[bytes32, ValidationStatus]


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
def validationRequest(validatorAddress: address, agentId: uint256, requestURI: String[2048], requestHash: bytes32):
    assert validatorAddress != empty(address), "bad validator"
    assert self.validations[requestHash].validatorAddress == empty(address), "exists"
    registry: IdentityRegistry = IdentityRegistry(self.identityRegistry)
    owner: address = staticcall registry.ownerOf(agentId)
    assert msg.sender == owner or staticcall registry.isApprovedForAll(owner, msg.sender) or \
        staticcall registry.getApproved(agentId) == msg.sender, "Not authorized"
    self.validations[requestHash] = ValidationStatus(validatorAddress=validatorAddress, agentId=agentId, response=0,
                                                     responseHash=empty(bytes32), tag="", lastUpdate=block.timestamp)
    log ValidationRequest(validatorAddress=validatorAddress, agentId=agentId, requestURI=requestURI, requestHash=requestHash)


@external
def validationResponse(requestHash: bytes32, response: uint8, responseURI: String[2048], responseHash: bytes32, tag: String[64]):
    status: ValidationStatus = self.validations[requestHash]
    assert status.validatorAddress != empty(address), "unknown"
    assert msg.sender == status.validatorAddress, "not validator"
    assert response <= 100, "resp>100"
    self.validations[requestHash] = ValidationStatus(validatorAddress=status.validatorAddress, agentId=status.agentId,
                                                     response=response, responseHash=responseHash, tag=tag,
                                                     lastUpdate=block.timestamp)
    log ValidationResponse(validatorAddress=status.validatorAddress, agentId=status.agentId, requestHash=requestHash,
                           response=response, responseURI=responseURI, responseHash=responseHash, tag=tag)


@view
@external
def getValidationStatus(requestHash: bytes32) -> (address, uint256, uint8, bytes32, String[64], uint256):
    s: ValidationStatus = self.validations[requestHash]
    return s.validatorAddress, s.agentId, s.response, s.responseHash, s.tag, s.lastUpdate
