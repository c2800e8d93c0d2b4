/// Strict, bounded decoding of ABI-encoded data.
///
/// Every read is bounds-checked; offsets and lengths outside the data, non-zero padding, dirty
/// high bits and invalid UTF-8 are ``ABIError``s. Overlapping offsets (many elements pointing at
/// the same tail) could make a small input decode into a huge output, so decoding has a budget
/// of output bytes proportional to the input size.
///
/// ```swift
/// let values = try ABIDecoder.decode(ABIType.list("string,uint256[]"), from: data)
/// ```
public enum ABIDecoder {
    /// Bounds for one decode call.
    public struct Limits: Sendable {
        /// The deepest nesting of arrays and tuples accepted.
        public var maxDepth: Int
        /// The output budget is `budgetFactor × input size + budgetSlack` bytes.
        public var budgetFactor: Int
        public var budgetSlack: Int

        public init(maxDepth: Int = 32, budgetFactor: Int = 4, budgetSlack: Int = 65_536) {
            self.maxDepth = maxDepth
            self.budgetFactor = budgetFactor
            self.budgetSlack = budgetSlack
        }

        public static let `default` = Limits()
    }

    /// Decodes the parameters `types` from `data` (the encoding of the tuple `(types…)`).
    public static func decode(_ types: [ABIType], from data: [UInt8], limits: Limits = .default) throws(ABIError) -> [ABIValue] {
        try data.withUnsafeBytes { buffer in
            var reader = Reader(buffer: buffer, limits: limits)
            return Result { () throws(ABIError) in try reader.decodeSequence(count: types.count, base: 0) { types[$0] } }
        }.get()
    }

    /// Decodes one value of `type` read in place at offset 0 (a single 32-byte topic, for instance).
    public static func decodeWord(_ type: ABIType, from data: [UInt8]) throws(ABIError) -> ABIValue {
        try data.withUnsafeBytes { buffer in
            var reader = Reader(buffer: buffer, limits: .default)
            return Result { () throws(ABIError) in try reader.decodeValue(type, at: 0) }
        }.get()
    }
}

/// The cursor-free reader: positions are explicit, the budget and depth are tracked.
struct Reader {
    let buffer: UnsafeRawBufferPointer
    let limits: ABIDecoder.Limits
    var budget: Int
    var depth = 0

    init(buffer: UnsafeRawBufferPointer, limits: ABIDecoder.Limits) {
        self.buffer = buffer
        self.limits = limits
        let (scaled, o) = buffer.count.multipliedReportingOverflow(by: limits.budgetFactor)
        self.budget = o ? Int.max : scaled &+ limits.budgetSlack
    }

    var size: Int { buffer.count }

    @inline(__always)
    mutating func charge(_ bytes: Int) throws(ABIError) {
        budget -= bytes
        if budget < 0 { throw .budgetExceeded(limit: size * limits.budgetFactor + limits.budgetSlack) }
    }

    @inline(__always)
    func requireWord(at p: Int) throws(ABIError) {
        guard p >= 0, p <= size - 32 else { throw .outOfBounds(offset: p, length: 32, size: size) }
    }

    @inline(__always)
    func word(at p: Int) throws(ABIError) -> UInt256 {
        try requireWord(at: p)
        return UInt256(word: buffer, at: p)
    }

    /// Reads a word that must be a position or length no larger than `limit`.
    @inline(__always)
    func smallWord(at p: Int, limit: Int, isLength: Bool) throws(ABIError) -> Int {
        let w = try word(at: p)
        guard let v = w.intValue, v <= limit else {
            if isLength { throw .absurdLength(offset: p, length: w.description) }
            throw .invalidOffset(offset: p, value: w.description)
        }
        return v
    }

    /// Decodes `count` values laid out as a tuple whose head starts at `base`.
    mutating func decodeSequence(count: Int, base: Int, type: (Int) -> ABIType) throws(ABIError) -> [ABIValue] {
        depth += 1
        defer { depth -= 1 }
        guard depth <= limits.maxDepth else { throw .tooDeep(limit: limits.maxDepth) }
        var out: [ABIValue] = []
        out.reserveCapacity(Swift.min(count, 1024))
        var head = base
        for index in 0..<count {
            let t = type(index)
            if t.isDynamic {
                let offset = try smallWord(at: head, limit: size - base, isLength: false)
                out.append(try decodeValue(t, at: base + offset))
            } else {
                out.append(try decodeValue(t, at: head))
            }
            head += t.headSize
        }
        return out
    }

    mutating func decodeValue(_ type: ABIType, at p: Int) throws(ABIError) -> ABIValue {
        switch type {
        case .uint(let m):
            try charge(32)
            let v = try word(at: p)
            guard v.bitWidth <= m else { throw .dirtyHighBits(offset: p, type: type.canonical) }
            return .uint(v)
        case .int(let m):
            try charge(32)
            let v = Int256(bitPattern: try word(at: p))
            guard v.fits(bits: m) else { throw .dirtyHighBits(offset: p, type: type.canonical) }
            return .int(v)
        case .address:
            try charge(32)
            try requireWord(at: p)
            for i in 0..<12 where buffer[p + i] != 0 { throw .dirtyHighBits(offset: p, type: "address") }
            return .address(EthereumAddress(unchecked: buffer[(p + 12)..<(p + 32)]))
        case .bool:
            try charge(32)
            let v = try word(at: p)
            guard v.bitWidth <= 1 else { throw .dirtyHighBits(offset: p, type: "bool") }
            return .bool(!v.isZero)
        case .fixedBytes(let m):
            try charge(32)
            try requireWord(at: p)
            for i in m..<32 where buffer[p + i] != 0 { throw .nonZeroPadding(offset: p + i) }
            return .fixedBytes(Array(buffer[p..<(p + m)]))
        case .bytes:
            return .bytes(try readBytes(at: p))
        case .string:
            let raw = try readBytes(at: p)
            guard let s = String(validating: raw, as: UTF8.self) else { throw .invalidUTF8(offset: p) }
            return .string(s)
        case .array(let element, let fixed):
            var start = p
            let count: Int
            if let k = fixed {
                count = k
            } else {
                count = try smallWord(at: p, limit: size, isLength: true)
                start = p + 32
            }
            let elementHead = element.headSize
            if elementHead > 0 {
                let (needed, o) = count.multipliedReportingOverflow(by: elementHead)
                guard !o, start <= size, needed <= size - start else {
                    throw .absurdLength(offset: p, length: String(count))
                }
            }
            try charge(32)
            return .array(try decodeSequence(count: count, base: start) { _ in element })
        case .tuple(let members):
            try charge(32)
            return .tuple(try decodeSequence(count: members.count, base: p) { members[$0] })
        }
    }

    /// Reads the length-prefixed content of `bytes`/`string` at `p`, checking its zero padding.
    mutating func readBytes(at p: Int) throws(ABIError) -> [UInt8] {
        let length = try smallWord(at: p, limit: size, isLength: true)
        let start = p + 32
        let padded = (length + 31) / 32 * 32
        guard padded <= size - start else { throw .outOfBounds(offset: start, length: padded, size: size) }
        try charge(32 + padded)
        for i in (start + length)..<(start + padded) where buffer[i] != 0 { throw .nonZeroPadding(offset: i) }
        return Array(buffer[start..<(start + length)])
    }
}
