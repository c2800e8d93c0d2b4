/// A signed transaction's fields as nodes return them, enough to recompute its signing hash and
/// recover the sender. Supports legacy (with or without EIP-155), EIP-2930 (type 1) and
/// EIP-1559 (type 2) transactions.
///
/// ```swift
/// let sender = try tx.recoverSender()   // equals the node's `from`
/// ```
public struct SignedTransaction: Sendable {
    /// One access-list entry.
    public struct AccessListEntry: Sendable {
        public var address: EthereumAddress
        public var storageKeys: [[UInt8]]
        public init(address: EthereumAddress, storageKeys: [[UInt8]]) {
            self.address = address
            self.storageKeys = storageKeys
        }
    }

    public var type: UInt8
    public var chainID: UInt256?
    public var nonce: UInt256
    public var gasPrice: UInt256?
    public var maxPriorityFeePerGas: UInt256?
    public var maxFeePerGas: UInt256?
    public var gas: UInt256
    public var to: EthereumAddress?
    public var value: UInt256
    public var input: [UInt8]
    public var accessList: [AccessListEntry]
    public var v: UInt256
    public var r: UInt256
    public var s: UInt256

    public init(type: UInt8, chainID: UInt256?, nonce: UInt256, gasPrice: UInt256?, maxPriorityFeePerGas: UInt256?,
                maxFeePerGas: UInt256?, gas: UInt256, to: EthereumAddress?, value: UInt256, input: [UInt8],
                accessList: [AccessListEntry], v: UInt256, r: UInt256, s: UInt256) {
        self.type = type; self.chainID = chainID; self.nonce = nonce; self.gasPrice = gasPrice
        self.maxPriorityFeePerGas = maxPriorityFeePerGas; self.maxFeePerGas = maxFeePerGas; self.gas = gas
        self.to = to; self.value = value; self.input = input; self.accessList = accessList
        self.v = v; self.r = r; self.s = s
    }

    /// The hash the sender signed.
    public func signingHash() throws(SignatureError) -> [UInt8] {
        let to: RLP.Item = .bytes(self.to?.bytes ?? [])
        let accessList: RLP.Item = .list(self.accessList.map {
            .list([.bytes($0.address.bytes), .list($0.storageKeys.map { .bytes($0) })])
        })
        switch type {
        case 0:
            var fields: [RLP.Item] = [.uint(nonce), .uint(gasPrice ?? .zero), .uint(gas), to, .uint(value), .bytes(input)]
            if let chainID = legacyChainID { fields += [.uint(chainID), .uint(.zero), .uint(.zero)] }
            return Keccak256.hash(RLP.encode(.list(fields)))
        case 1:
            let fields: [RLP.Item] = [.uint(chainID ?? .zero), .uint(nonce), .uint(gasPrice ?? .zero), .uint(gas), to,
                                      .uint(value), .bytes(input), accessList]
            return Keccak256.hash([1] + RLP.encode(.list(fields)))
        case 2:
            let fields: [RLP.Item] = [.uint(chainID ?? .zero), .uint(nonce), .uint(maxPriorityFeePerGas ?? .zero),
                                      .uint(maxFeePerGas ?? .zero), .uint(gas), to, .uint(value), .bytes(input), accessList]
            return Keccak256.hash([2] + RLP.encode(.list(fields)))
        default:
            throw .invalidSignature
        }
    }

    /// For a legacy transaction, the chain id folded into `v` by EIP-155 (nil before EIP-155).
    var legacyChainID: UInt256? {
        guard let v = v.uint64Value, v >= 35 else { return nil }
        return UInt256((v - 35) / 2)
    }

    /// The recovery id (0 or 1) from `v`.
    var recoveryID: Int32 {
        guard let small = v.uint64Value else { return -1 }
        if type != 0 { return Int32(truncatingIfNeeded: small) }
        if small == 27 || small == 28 { return Int32(small - 27) }
        return Int32(truncatingIfNeeded: (small - 35) % 2)
    }

    /// The sender, recovered from the signature.
    public func recoverSender() throws(SignatureError) -> EthereumAddress {
        try Secp256k1.recoverAddress(hash: signingHash(), r: r.bigEndianBytes, s: s.bigEndianBytes, recoveryID: recoveryID)
    }
}
