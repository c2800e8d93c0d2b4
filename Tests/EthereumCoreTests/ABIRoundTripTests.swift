import TestSupport
import Testing
@testable import EthereumCore

/// Random types and values: encode, decode, compare; and through the JSON convention.
@Suite struct ABIRoundTripTests {
    struct Generator {
        var rng: SplitMix64

        mutating func type(depth: Int = 0) -> ABIType {
            let roll = rng.next() % 100
            if depth < 3 && roll < 12 { return .tuple((0..<(1 + Int(rng.next() % 3))).map { _ in type(depth: depth + 1) }) }
            if depth < 3 && roll < 25 { return .array(type(depth: depth + 1), rng.next() % 2 == 0 ? nil : 1 + Int(rng.next() % 3)) }
            switch rng.next() % 8 {
            case 0: return .uint(8 * (1 + Int(rng.next() % 32)))
            case 1: return .int(8 * (1 + Int(rng.next() % 32)))
            case 2: return .address
            case 3: return .bool
            case 4: return .fixedBytes(1 + Int(rng.next() % 32))
            case 5: return .bytes
            default: return .string
            }
        }

        mutating func value(_ type: ABIType) -> ABIValue {
            switch type {
            case .uint(let m):
                var v = UInt256(limbs: (rng.next(), rng.next(), rng.next(), rng.next()))
                while v.bitWidth > m { v = v.quotientAndRemainder(dividingBy: 2).quotient }
                return .uint(v)
            case .int(let m):
                let magnitude = Int64(truncatingIfNeeded: rng.next() >> UInt64(max(1, 65 - m)))
                return .int(Int256(rng.next() % 2 == 0 ? magnitude : -magnitude))
            case .address: return .address(EthereumAddress(unchecked: (0..<20).map { _ in UInt8(truncatingIfNeeded: rng.next()) }))
            case .bool: return .bool(rng.next() % 2 == 0)
            case .fixedBytes(let m): return .fixedBytes((0..<m).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            case .bytes: return .bytes((0..<Int(rng.next() % 70)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
            case .string: return .string(String((0..<Int(rng.next() % 20)).map { _ in ["a", "é", "日", "🙂", "\"", "\n"][Int(rng.next() % 6)] }))
            case .array(let element, let k): return .array((0..<(k ?? Int(rng.next() % 4))).map { _ in value(element) })
            case .tuple(let members): return .tuple(members.map { value($0) })
            }
        }
    }

    @Test func randomRoundTrips() throws {
        var generator = Generator(rng: SplitMix64(seed: 7))
        for _ in 0..<1_500 {
            let types = (0..<(1 + Int(generator.rng.next() % 4))).map { _ in generator.type() }
            let values = types.map { generator.value($0) }
            let encoded = try ABIEncoder.encode(values, as: types)
            #expect(encoded.count % 32 == 0)
            #expect(try ABIDecoder.decode(types, from: encoded) == values)
            let json = JSONValue.array(values.map(\.json))
            let reparsed = try JSONValue(parsing: json.serialized())
            #expect(try ABIValue(json: reparsed, as: .tuple(types)) == .tuple(values))
        }
    }

    @Test func jsonConvention() throws {
        let type = try ABIType("(uint256,int8,address,bool,bytes2,bytes,string,uint8[])")
        let json = try JSONValue(parsing: #"["12345678901234567890123","-5","0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed",true,"0xABCD","0x","hé",["1","0x02"]]"#)
        let value = try ABIValue(json: json, as: type)
        #expect(value.json.serialized() == #"["12345678901234567890123","-5","0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",true,"0xabcd","0x","hé",["1","2"]]"#)
        #expect(throws: ABIError.self) { try ABIValue(json: .string("256"), as: .uint(8)) }
        #expect(throws: ABIError.self) { try ABIValue(json: .string("0xabcd"), as: .fixedBytes(3)) }
        #expect(throws: ABIError.self) { try ABIValue(json: .array([.string("1")]), as: .array(.uint(8), 2)) }
    }
}
