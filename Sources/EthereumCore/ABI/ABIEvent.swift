/// An event: its signature, topic0, and decoding of logs.
///
/// ```swift
/// let decoded = try event.decodeLog(topics: log.topics, data: log.data)
/// decoded["amount"]   // .uint(…)
/// ```
public struct ABIEvent: Hashable, Sendable {
    public let name: String
    public let inputs: [ABIParameter]
    public let anonymous: Bool
    /// keccak-256 of the signature: the log's first topic unless the event is anonymous. Hashed
    /// once, here: a follower compares it with every log it reads.
    public let topic0: [UInt8]
    /// ``topic0`` as a word, to compare with a log's topics without an array.
    public let topic0Word: TopicWord

    public init(name: String, inputs: [ABIParameter], anonymous: Bool = false) {
        self.name = name
        self.inputs = inputs
        self.anonymous = anonymous
        self.topic0 = ABISignature.topic(name + "(" + inputs.map(\.type.canonical).joined(separator: ",") + ")")
        self.topic0Word = TopicWord(topic0)!   // keccak-256: always 32 bytes
    }

    /// `Name(type1,type2)`.
    public var signature: String { name + "(" + inputs.map(\.type.canonical).joined(separator: ",") + ")" }

    /// Decodes a log. Indexed static values are read from their topic; indexed dynamic values
    /// (`string`, `bytes`, arrays, tuples) arrive as the keccak-256 of their encoding and are
    /// returned as that 32-byte hash with ``DecodedEvent/Argument/isHashedTopic`` set.
    public func decodeLog(topics: [TopicWord], data: [UInt8], limits: ABIDecoder.Limits = .default) throws(ABIError) -> DecodedEvent {
        try decodeLog(topics: topics.map(\.bytes), data: data, limits: limits)
    }

    /// The same, for topics given as byte arrays (each must be 32 bytes).
    public func decodeLog(topics: [[UInt8]], data: [UInt8], limits: ABIDecoder.Limits = .default) throws(ABIError) -> DecodedEvent {
        let indexed = inputs.filter(\.indexed)
        let firstIndexedTopic = anonymous ? 0 : 1
        guard topics.count == indexed.count + firstIndexedTopic else {
            throw .topicMismatch("\(name) has \(indexed.count + firstIndexedTopic) topics, the log has \(topics.count)")
        }
        if !anonymous, topics[0] != topic0 { throw .topicMismatch("topic0 is not \(signature)") }
        let dataValues = try ABIDecoder.decode(inputs.filter { !$0.indexed }.map(\.type), from: data, limits: limits)
        var arguments: [DecodedEvent.Argument] = []
        var topicIndex = firstIndexedTopic
        var dataIndex = 0
        for input in inputs {
            if input.indexed {
                let topic = topics[topicIndex]
                topicIndex += 1
                guard topic.count == 32 else { throw .topicMismatch("topic \(topicIndex - 1) is not 32 bytes") }
                if input.type.isDynamic || input.type.headSize != 32 {
                    arguments.append(.init(name: input.name, indexed: true, value: .fixedBytes(topic), isHashedTopic: true))
                } else {
                    arguments.append(.init(name: input.name, indexed: true, value: try ABIDecoder.decodeWord(input.type, from: topic), isHashedTopic: false))
                }
            } else {
                arguments.append(.init(name: input.name, indexed: false, value: dataValues[dataIndex], isHashedTopic: false))
                dataIndex += 1
            }
        }
        return DecodedEvent(name: name, arguments: arguments)
    }
}

/// A decoded log: the event name and its arguments in declaration order.
public struct DecodedEvent: Hashable, Sendable {
    public struct Argument: Hashable, Sendable {
        public let name: String
        public let indexed: Bool
        public let value: ABIValue
        /// True when `value` is the keccak-256 hash of an indexed dynamic value.
        public let isHashedTopic: Bool
    }

    public let name: String
    public let arguments: [Argument]

    /// The value of the argument called `name`.
    public subscript(name: String) -> ABIValue? { arguments.first { $0.name == name }?.value }
}
