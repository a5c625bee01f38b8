import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire

/// The input format of the structured target: a selector byte (fixture and receiving side), then records as
/// plaintext, each `flags, type, length (2 bytes), payload`.
///
/// flags bits 0–3: the sender's key epoch to protect the record with (0: in the clear, n: the sender's n-th write
/// keys, with their own sequence numbers); bit 6: in the clear, use record version 0x0301 instead of 0x0303; bit 7:
/// TLS 1.3, the payload is a whole TLSInnerPlaintext (content ‖ type ‖ zeros) so padding and a missing content type
/// can be tried. A truncated last record keeps what is there.
public struct FlightInput: Sendable, Equatable {
    public struct Record: Sendable, Equatable {
        public var flags: UInt8
        public var type: UInt8
        public var payload: [UInt8]
        public init(flags: UInt8, type: UInt8, payload: [UInt8]) {
            self.flags = flags
            self.type = type
            self.payload = payload
        }
    }

    public var selector: UInt8
    public var records: [Record]

    public init(selector: UInt8, records: [Record]) {
        self.selector = selector
        self.records = records
    }

    public init?(_ data: [UInt8]) {
        guard let selector = data.first else { return nil }
        self.selector = selector
        records = []
        var i = 1
        while i + 4 <= data.count {
            let length = Int(data[i + 2]) << 8 | Int(data[i + 3])
            let end = min(i + 4 + length, data.count)
            records.append(Record(flags: data[i], type: data[i + 1], payload: Array(data[(i + 4)..<end])))
            i = end
        }
    }

    public var bytes: [UInt8] {
        var out = [selector]
        for r in records {
            let payload = r.payload.prefix(0xffff)
            out += [r.flags, r.type, UInt8(payload.count >> 8), UInt8(payload.count & 0xff)] + payload
        }
        return out
    }

    /// The selector for a fixture index and the side that receives.
    public static func selector(fixture: Int, receiver: Side) -> UInt8 {
        UInt8(truncatingIfNeeded: fixture * 2 + (receiver == .client ? 0 : 1))
    }

    /// The seed: what `fixture`'s peer really sent to `receiver`, as plaintext records.
    public static func seed(fixture index: Int, receiver: Side) -> FlightInput {
        let fixture = Fixtures.all[index]
        let records = fixture.endpoint(receiver.peer).sent.map {
            Record(flags: UInt8($0.epoch), type: $0.contentType.rawValue, payload: $0.plaintext)
        }
        return FlightInput(selector: selector(fixture: index, receiver: receiver), records: records)
    }
}

enum FlightTarget {
    static func run(_ data: [UInt8]) {
        guard let input = FlightInput(data) else { return }
        deliver(input).check()
    }

    /// Protects each record as the sender would have and feeds it to a copy of the receiver; returns the driven
    /// receiver (after `finish()`).
    static func deliver(_ input: FlightInput) -> Driven {
        let fixtures = Fixtures.all
        let pick = Int(input.selector) % (2 * fixtures.count)
        let fixture = fixtures[pick / 2]
        let receiver: Side = pick % 2 == 0 ? .client : .server
        var epochs = fixture.endpoint(receiver.peer).epochs
        var driven = Driven(fixture.endpoint(receiver).initial)
        let iv = [UInt8](repeating: 0x5a, count: 16)
        for record in input.records {
            let epoch = Int(record.flags & 0x0f) % epochs.count
            var bytes: [UInt8]
            if epoch > 0, var protection = epochs[epoch] {
                let sealed: TLSRecord?
                if protection.version == .tls13 && record.flags & 0x80 != 0 {
                    sealed = try? protection.seal(tls13InnerPlaintext: record.payload).0
                } else {
                    sealed = try? protection.seal(
                        contentType: ContentType(rawValue: record.type),
                        plaintext: Array(record.payload.prefix(TLSRecord.maxPlaintext)), explicitIV: iv
                    ).0
                }
                epochs[epoch] = protection
                guard let sealed else { continue }
                bytes = sealed.bytes
            } else {
                bytes = TLSRecord(
                    contentType: ContentType(rawValue: record.type),
                    legacyVersion: record.flags & 0x40 != 0 ? .tls10 : .tls12, fragment: record.payload
                ).bytes
            }
            driven.receive(bytes)
            driven.answerVerdicts()
            let status = driven.connection.status
            if status != .handshaking && status != .connected { break }
        }
        driven.finish()
        return driven
    }

    /// Structure-aware mutation: one change to the record list (edit one payload with libFuzzer's byte mutator,
    /// split, merge, drop, duplicate, swap, re-flag, re-type, insert), falling back to a plain byte mutation.
    static func mutate(
        _ data: [UInt8], maxSize: Int, seed: UInt32, bytes mutateBytes: ([UInt8], Int) -> [UInt8]
    ) -> [UInt8] {
        var rng = seed == 0 ? 0x9e37_79b9 : seed
        func next(_ n: Int) -> Int {
            rng ^= rng << 13
            rng ^= rng >> 17
            rng ^= rng << 5
            return n <= 0 ? 0 : Int(rng % UInt32(n))
        }
        guard var input = FlightInput(data), !input.records.isEmpty else { return mutateBytes(data, maxSize) }
        let n = input.records.count
        let i = next(n)
        switch next(16) {
        case 0..<6:
            let budget = max(0, maxSize - (data.count - input.records[i].payload.count))
            input.records[i].payload = mutateBytes(input.records[i].payload, min(budget, 0xffff))
        case 6:
            let p = input.records[i].payload
            guard p.count >= 2 else { return mutateBytes(data, maxSize) }
            let at = 1 + next(p.count - 1)
            var second = input.records[i]
            second.payload = Array(p[at...])
            input.records[i].payload = Array(p[..<at])
            input.records.insert(second, at: i + 1)
        case 7:
            guard i + 1 < n, input.records[i].flags == input.records[i + 1].flags,
                input.records[i].type == input.records[i + 1].type
            else { return mutateBytes(data, maxSize) }
            input.records[i].payload += input.records[i + 1].payload
            input.records.remove(at: i + 1)
        case 8:
            input.records.remove(at: i)
        case 9:
            input.records.insert(input.records[i], at: i)
        case 10:
            let j = next(n)
            input.records.swapAt(i, j)
        case 11:
            input.records[i].flags = UInt8(truncatingIfNeeded: next(256))
        case 12:
            input.records[i].flags = (input.records[i].flags & 0xf0) | UInt8(next(8))
        case 13:
            input.records[i].type = [20, 21, 22, 23, 24, 0, 255][next(7)]
        case 14:
            let payload = (0..<next(8)).map { _ in UInt8(truncatingIfNeeded: next(256)) }
            input.records.insert(
                .init(flags: input.records[i].flags, type: input.records[i].type, payload: payload), at: next(n + 1))
        default:
            if next(8) == 0 { input.selector = UInt8(truncatingIfNeeded: next(256)) } else { return mutateBytes(data, maxSize) }
        }
        let out = input.bytes
        return out.count <= maxSize ? out : mutateBytes(data, maxSize)
    }
}

/// The structured mutator, for the libFuzzer entry point (`LLVMFuzzerCustomMutator`).
public enum FlightMutator {
    public static func mutate(
        _ data: [UInt8], maxSize: Int, seed: UInt32, bytes: ([UInt8], Int) -> [UInt8]
    ) -> [UInt8] {
        FlightTarget.mutate(data, maxSize: maxSize, seed: seed, bytes: bytes)
    }
}
