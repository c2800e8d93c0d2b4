# pragma version ~=0.4.3
"""
@title IdentityRegistry (ERC-8004, devnet)
@notice The ERC-8004 Identity Registry as the reference contracts (v2.0.0) behave at their
        interface: an ERC-721 whose tokens are agents (ids from 0, sequential), an agentURI per
        token, metadata, and the reserved `agentWallet` set only with the new wallet's EIP-712
        signature and cleared on every transfer. Events and their order follow the reference:
        register emits Transfer, MetadataUpdate (when a URI is set), Registered, then
        MetadataSet(agentWallet = owner) and one MetadataSet per extra entry.
        Not a proxy (no upgrade or ownership events); safe transfers do not call receivers.
"""

interface ERC1271:
    def isValidSignature(digest: bytes32, signature: Bytes[65]) -> bytes4: view

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    tokenId: indexed(uint256)

event Approval:
    owner: indexed(address)
    approved: indexed(address)
    tokenId: indexed(uint256)

event ApprovalForAll:
    owner: indexed(address)
    operator: indexed(address)
    approved: bool

event MetadataUpdate:
    _tokenId: uint256

event BatchMetadataUpdate:
    _fromTokenId: uint256
    _toTokenId: uint256

event Registered:
    agentId: indexed(uint256)
    agentURI: String[16384]
    owner: indexed(address)

event URIUpdated:
    agentId: indexed(uint256)
    newURI: String[16384]
    updatedBy: indexed(address)

event MetadataSet:
    agentId: indexed(uint256)
    indexedMetadataKey: indexed(String[64])
    metadataKey: String[64]
    metadataValue: Bytes[1024]

struct MetadataEntry:
    metadataKey: String[64]
    metadataValue: Bytes[1024]

WALLET_KEY: constant(String[11]) = "agentWallet"
DOMAIN_TYPEHASH: constant(bytes32) = keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)")
AGENT_WALLET_SET_TYPEHASH: constant(bytes32) = keccak256("AgentWalletSet(uint256 agentId,address newWallet,address owner,uint256 deadline)")
MAX_DEADLINE_DELAY: constant(uint256) = 300

lastId: uint256
owners: HashMap[uint256, address]
balances: HashMap[address, uint256]
approvals: HashMap[uint256, address]
operators: HashMap[address, HashMap[address, bool]]
uris: HashMap[uint256, String[16384]]
metadata: HashMap[uint256, HashMap[String[64], Bytes[1024]]]


@view
@external
def name() -> String[16]:
    return "AgentIdentity"


@view
@external
def symbol() -> String[8]:
    return "AGENT"


@pure
@external
def getVersion() -> String[8]:
    return "2.0.0"


@view
@external
def ownerOf(tokenId: uint256) -> address:
    owner: address = self.owners[tokenId]
    assert owner != empty(address), "nonexistent token"
    return owner


@view
@external
def balanceOf(owner: address) -> uint256:
    return self.balances[owner]


@view
@external
def getApproved(tokenId: uint256) -> address:
    assert self.owners[tokenId] != empty(address), "nonexistent token"
    return self.approvals[tokenId]


@view
@external
def isApprovedForAll(owner: address, operator: address) -> bool:
    return self.operators[owner][operator]


@view
@external
def tokenURI(tokenId: uint256) -> String[16384]:
    assert self.owners[tokenId] != empty(address), "nonexistent token"
    return self.uris[tokenId]


@view
@internal
def _authorized(spender: address, tokenId: uint256) -> bool:
    owner: address = self.owners[tokenId]
    assert owner != empty(address), "nonexistent token"
    return spender == owner or self.operators[owner][spender] or self.approvals[tokenId] == spender


@view
@external
def isAuthorizedOrOwner(spender: address, agentId: uint256) -> bool:
    return self._authorized(spender, agentId)


@internal
def _setMetadata(agentId: uint256, key: String[64], data: Bytes[1024]):
    self.metadata[agentId][key] = data
    log MetadataSet(agentId=agentId, indexedMetadataKey=key, metadataKey=key, metadataValue=data)


@external
def register(agentURI: String[16384] = "", metadata: DynArray[MetadataEntry, 8] = []) -> uint256:
    agentId: uint256 = self.lastId
    self.lastId += 1
    self.owners[agentId] = msg.sender
    self.balances[msg.sender] += 1
    log Transfer(sender=empty(address), receiver=msg.sender, tokenId=agentId)
    if len(agentURI) > 0:
        self.uris[agentId] = agentURI
        log MetadataUpdate(_tokenId=agentId)
    log Registered(agentId=agentId, agentURI=agentURI, owner=msg.sender)
    self._setMetadata(agentId, WALLET_KEY, concat(b"", convert(msg.sender, bytes20)))
    for entry: MetadataEntry in metadata:
        assert entry.metadataKey != WALLET_KEY, "reserved key"
        self._setMetadata(agentId, entry.metadataKey, entry.metadataValue)
    return agentId


@external
def setAgentURI(agentId: uint256, newURI: String[16384]):
    assert self._authorized(msg.sender, agentId), "Not authorized"
    self.uris[agentId] = newURI
    log MetadataUpdate(_tokenId=agentId)
    log URIUpdated(agentId=agentId, newURI=newURI, updatedBy=msg.sender)


@view
@external
def getMetadata(agentId: uint256, metadataKey: String[64]) -> Bytes[1024]:
    return self.metadata[agentId][metadataKey]


@external
def setMetadata(agentId: uint256, metadataKey: String[64], metadataValue: Bytes[1024]):
    assert self._authorized(msg.sender, agentId), "Not authorized"
    assert metadataKey != WALLET_KEY, "reserved key"
    self._setMetadata(agentId, metadataKey, metadataValue)


@view
@external
def getAgentWallet(agentId: uint256) -> address:
    wallet: Bytes[1024] = self.metadata[agentId][WALLET_KEY]
    if len(wallet) != 20:
        return empty(address)
    return convert(convert(slice(wallet, 0, 20), bytes20), address)


@view
@external
def domainSeparator() -> bytes32:
    return keccak256(abi_encode(DOMAIN_TYPEHASH, keccak256("ERC8004IdentityRegistry"), keccak256("1"), chain.id, self))


@external
def setAgentWallet(agentId: uint256, newWallet: address, deadline: uint256, signature: Bytes[65]):
    owner: address = self.owners[agentId]
    assert self._authorized(msg.sender, agentId), "Not authorized"
    assert newWallet != empty(address), "bad wallet"
    assert block.timestamp <= deadline, "expired"
    assert deadline <= block.timestamp + MAX_DEADLINE_DELAY, "deadline too far"
    domain: bytes32 = keccak256(abi_encode(DOMAIN_TYPEHASH, keccak256("ERC8004IdentityRegistry"), keccak256("1"), chain.id, self))
    digest: bytes32 = keccak256(concat(b"\x19\x01", domain,
        keccak256(abi_encode(AGENT_WALLET_SET_TYPEHASH, agentId, newWallet, owner, deadline))))
    valid: bool = False
    if len(signature) == 65:
        r: bytes32 = convert(slice(signature, 0, 32), bytes32)
        s: bytes32 = convert(slice(signature, 32, 32), bytes32)
        v: uint8 = convert(slice(signature, 64, 1), uint8)
        valid = ecrecover(digest, v, r, s) == newWallet
    if not valid and newWallet.is_contract:
        valid = staticcall ERC1271(newWallet).isValidSignature(digest, signature) == 0x1626ba7e
    assert valid, "invalid wallet sig"
    self._setMetadata(agentId, WALLET_KEY, concat(b"", convert(newWallet, bytes20)))


@external
def unsetAgentWallet(agentId: uint256):
    assert self._authorized(msg.sender, agentId), "Not authorized"
    self._setMetadata(agentId, WALLET_KEY, b"")


@external
def approve(to: address, tokenId: uint256):
    owner: address = self.owners[tokenId]
    assert owner != empty(address), "nonexistent token"
    assert msg.sender == owner or self.operators[owner][msg.sender], "Not authorized"
    self.approvals[tokenId] = to
    log Approval(owner=owner, approved=to, tokenId=tokenId)


@external
def setApprovalForAll(operator: address, approved: bool):
    self.operators[msg.sender][operator] = approved
    log ApprovalForAll(owner=msg.sender, operator=operator, approved=approved)


@internal
def _transfer(sender: address, receiver: address, tokenId: uint256):
    assert self._authorized(msg.sender, tokenId), "Not authorized"
    assert self.owners[tokenId] == sender, "wrong owner"
    assert receiver != empty(address), "zero receiver"
    # The verified wallet does not pass to the new owner: cleared before the Transfer, as the reference does.
    self._setMetadata(tokenId, WALLET_KEY, b"")
    self.approvals[tokenId] = empty(address)
    self.balances[sender] -= 1
    self.balances[receiver] += 1
    self.owners[tokenId] = receiver
    log Transfer(sender=sender, receiver=receiver, tokenId=tokenId)


@external
def transferFrom(sender: address, receiver: address, tokenId: uint256):
    self._transfer(sender, receiver, tokenId)


@external
def safeTransferFrom(sender: address, receiver: address, tokenId: uint256, data: Bytes[1024] = b""):
    self._transfer(sender, receiver, tokenId)


@external
def refreshAll():
    """Test helper: ERC-4906 BatchMetadataUpdate over every token so far."""
    log BatchMetadataUpdate(_fromTokenId=0, _toTokenId=self.lastId - 1)
