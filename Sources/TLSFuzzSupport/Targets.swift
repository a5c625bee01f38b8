import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire

/// The fuzz targets (docs/hardening.md). Each takes one input and either returns or stops the process with the
/// property it broke.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// Record framing (`TLSRecord.split`), alerts, handshake reassembly, the dissector behind `tlslab decode`, and
    /// record protection (open, seal→open round trips, tampering) for every cipher TLSLab implements.
    case records
    /// Every handshake message decoder (and through them every extension decoder), in every decode context.
    case messages
    /// A client `Connection` after `start()` fed arbitrary bytes (any split), as if from the server.
    case client
    /// A server `Connection` fed arbitrary bytes, as if from the client.
    case server
    /// Structured: the records of a real handshake, as plaintext, changed (split, merged, dropped, duplicated,
    /// reordered, edited) and protected again with the sender's real keys, fed in order to the receiver.
    case flights

    public func run(_ data: [UInt8]) {
        switch self {
        case .records: RecordTarget.run(data)
        case .messages: MessageTarget.run(data)
        case .client: EndpointTarget.run(data, side: .client)
        case .server: EndpointTarget.run(data, side: .server)
        case .flights: FlightTarget.run(data)
        }
    }

    /// One libFuzzer input (`LLVMFuzzerTestOneInput`'s arguments; no pointer for an empty input).
    public func run(_ data: UnsafePointer<UInt8>?, _ size: Int) {
        guard let data, size > 0 else { return run([]) }
        run(Array(UnsafeBufferPointer(start: data, count: size)))
    }
}

// MARK: - Record layer

enum RecordTarget {
    /// One protection per cipher construction TLSLab implements, with fixed keys.
    static let protections: [RecordProtection] = {
        func suite(_ s: CipherSuite) -> CipherSuiteInfo {
            guard let info = CipherSuiteInfo.info(s) else { fatalError("no info for \(s)") }
            return info
        }
        func bytes(_ n: Int, _ v: UInt8) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: $0) &+ v } }
        var out: [RecordProtection] = []
        for s in [CipherSuite.TLS_AES_128_GCM_SHA256, .TLS_AES_256_GCM_SHA384, .TLS_CHACHA20_POLY1305_SHA256] {
            let i = suite(s)
            out.append(RecordProtection(tls13: i, key: bytes(i.keyLength, 1), iv: bytes(12, 2)))
        }
        for s in [
            CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
            .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .TLS_RSA_WITH_AES_128_CBC_SHA256,
        ] {
            let i = suite(s)
            for etm in i.cipher.isAEAD ? [false] : [false, true] {
                out.append(
                    RecordProtection(
                        tls12: i, macKey: bytes(i.macKeyLength, 3), key: bytes(i.keyLength, 4), iv: bytes(i.ivLength, 5),
                        encryptThenMAC: etm))
            }
        }
        return out
    }()

    /// Input: a selector byte, then a byte stream. The selector picks the fragment limit (bits 0–1), the
    /// reassembler's message limit (bit 2), the protection (bits 3–6), and whether the dissection is also rendered
    /// (bit 7, for streams whose length is a multiple of 4).
    static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let stream = Array(data.dropFirst())
        let limits = [TLSRecord.maxPlaintext, TLSRecord.maxCiphertext13, TLSRecord.maxCiphertext12, 0xffff]
        let limit = limits[Int(selector & 3)]
        var records: [TLSRecord] = []
        do {
            let (split, consumed) = try TLSRecord.split(stream, maxFragment: limit)
            records = split
            var offset = 0
            for record in split {
                let encoded = record.bytes
                guard record.fragment.count <= limit, offset + encoded.count <= stream.count,
                    Array(stream[offset..<(offset + encoded.count)]) == encoded
                else { violated("split produced a record that is not the bytes it came from") }
                offset += encoded.count
            }
            if offset != consumed { violated("split consumed \(consumed) bytes but its records cover \(offset)") }
            if stream.count - consumed >= TLSRecord.headerLength,
                let header = Optional(Array(stream[consumed..<(consumed + 5)])),
                5 + (Int(header[3]) << 8 | Int(header[4])) <= stream.count - consumed
            {
                violated("split left a whole record unconsumed")
            }
        } catch let error as DecodeError {
            guard error.alert == .recordOverflow || error.alert == .decodeError else {
                violated("record split failed with \(error.alert): \(error)")
            }
        } catch {
            violated("record split threw a non-DecodeError: \(error)")
        }

        // Handshake reassembly, alerts.
        var reassembler = HandshakeReassembler(maxMessageLength: selector & 4 == 0 ? 1 << 16 : 300)
        reassembly: for record in records {
            switch record.contentType {
            case .handshake:
                reassembler.append(record.fragment)
                do {
                    while let message = try reassembler.next() {
                        let length = Int(message[1]) << 16 | Int(message[2]) << 8 | Int(message[3])
                        if message.count != 4 + length || length > reassembler.maxMessageLength {
                            violated("reassembler yielded \(message.count) bytes for a \(length)-byte body")
                        }
                        _ = try? HandshakeMessage.decode(message, context: DecodeContext())
                    }
                } catch {
                    break reassembly
                }
            case .alert:
                if let (alert, node) = try? Alert.decode(record.fragment) {
                    if alert.bytes != record.fragment { violated("alert does not re-encode") }
                    checkFieldRanges(node, count: record.fragment.count, "alert")
                }
            default:
                break
            }
        }

        // Record protection.
        var protection = protections[Int(selector >> 3) % protections.count]
        for (i, record) in records.prefix(8).enumerated() {
            openArbitrary(record, protection)
            roundTrip(record, &protection, tamper: (i + Int(selector)) % 5 == 0)
        }

        // The dissector (`tlslab decode`).
        let dissection = Dissector.dissect(stream)
        for item in dissection.items {
            if item.fields.offset < 0 || item.fields.offset + item.fields.length > max(stream.count, dissection.inputLength) {
                violated("dissector item \(item.title) lies outside the input")
            }
        }
        // Rendering is display code (the output of `tlslab decode`) and costly: one input in about eight.
        if selector & 0x80 != 0 && stream.count & 3 == 0 { _ = Dissector.render(dissection) }
    }

    /// Opening bytes nobody sealed: must fail with the record-layer alerts (or, by a 2^-128 chance, succeed).
    static func openArbitrary(_ record: TLSRecord, _ protection: RecordProtection) {
        var p = protection
        do {
            _ = try p.open(record)
        } catch let error as RecordProtectionError {
            guard [.badRecordMAC, .recordOverflow, .unexpectedMessage].contains(error.alert) else {
                violated("opening a record failed with \(error.alert): \(error.reason)")
            }
        } catch {
            violated("opening a record threw \(error)")
        }
    }

    /// Sealing the fragment as plaintext and opening it must give it back; any changed byte must then fail with
    /// bad_record_mac (RFC 8446 §5.2, RFC 5246 §6.2.3).
    static func roundTrip(_ record: TLSRecord, _ protection: inout RecordProtection, tamper: Bool) {
        guard record.fragment.count <= TLSRecord.maxPlaintext else { return }
        var opener = protection
        let tls13 = protection.version == .tls13
        let sealed: TLSRecord
        let expectedType: ContentType
        let expectedPlaintext: [UInt8]
        do {
            if tls13 && record.legacyVersion.rawValue & 1 == 1 {
                // A caller-built TLSInnerPlaintext: content ‖ type ‖ zeros.
                guard record.fragment.count + 16 <= TLSRecord.maxCiphertext13 else { return }
                sealed = try protection.seal(tls13InnerPlaintext: record.fragment).0
                var inner = record.fragment
                while inner.last == 0 { inner.removeLast() }
                guard let type = inner.popLast() else {
                    expectFailure(&opener, sealed, .unexpectedMessage, "an all-zero TLSInnerPlaintext")
                    return
                }
                if inner.count > TLSRecord.maxPlaintext {
                    expectFailure(&opener, sealed, .recordOverflow, "an inner plaintext over 2^14")
                    return
                }
                (expectedType, expectedPlaintext) = (ContentType(rawValue: type), inner)
            } else {
                if tls13 && record.contentType.rawValue == 0 { return }
                let iv = (0..<16).map { UInt8(truncatingIfNeeded: $0 &* 7) }
                sealed = try protection.seal(contentType: record.contentType, plaintext: record.fragment, explicitIV: iv).0
                (expectedType, expectedPlaintext) = (record.contentType, record.fragment)
            }
        } catch {
            violated("sealing \(record.fragment.count) bytes failed: \(error)")
        }
        if tamper, !sealed.fragment.isEmpty {
            var changed = sealed
            let at = (record.fragment.first.map(Int.init) ?? 0) % changed.fragment.count
            changed.fragment[at] ^= record.fragment.last ?? 0x01 | 0x01
            if changed.fragment[at] == sealed.fragment[at] { changed.fragment[at] ^= 0x80 }
            expectFailure(&opener, changed, .badRecordMAC, "a tampered record")
            return
        }
        do {
            let (type, plaintext, _) = try opener.open(sealed)
            if type != expectedType || plaintext != expectedPlaintext {
                violated("seal→open changed the record: type \(type) vs \(expectedType), \(plaintext.count) vs \(expectedPlaintext.count) bytes")
            }
        } catch {
            violated("a record this protection sealed does not open: \(error)")
        }
    }

    static func expectFailure(_ p: inout RecordProtection, _ record: TLSRecord, _ alert: AlertDescription, _ what: String) {
        do {
            _ = try p.open(record)
            violated("\(what) opened without an error")
        } catch let error as RecordProtectionError {
            if error.alert != alert { violated("\(what) failed with \(error.alert), not \(alert): \(error.reason)") }
        } catch {
            violated("\(what) threw \(error)")
        }
    }
}

// MARK: - Handshake messages

enum MessageTarget {
    static let versions: [ProtocolVersion?] = [nil, .tls12, .tls13, nil]
    static let keyExchanges: [KeyExchangeKind?] = [nil, .rsa, .ecdhe, nil]

    /// The decode context a selector byte stands for (bits 0–1: version, bits 2–3: key exchange).
    static func context(_ selector: UInt8) -> DecodeContext {
        DecodeContext(version: versions[Int(selector & 3)], keyExchange: keyExchanges[Int(selector >> 2 & 3)])
    }

    static func selector(for context: DecodeContext) -> UInt8 {
        let v: UInt8 = context.version == .tls12 ? 1 : context.version == .tls13 ? 2 : 0
        let k: UInt8 = context.keyExchange == .rsa ? 1 : context.keyExchange == .ecdhe ? 2 : 0
        return v | k << 2
    }

    /// Input: a selector byte (the decode context), then one handshake message with its header.
    static func run(_ data: [UInt8]) {
        guard let selector = data.first else { return }
        let bytes = Array(data.dropFirst())
        let context = context(selector)
        do {
            let (message, root) = try HandshakeMessage.decode(bytes, context: context)
            if message.bytes != bytes { violated("decode did not keep the bytes") }
            let encoded = message.body.encoded()
            if encoded != bytes {
                violated("\(message.body.displayName) is not canonical: decoded \(bytes.hex), re-encoded \(encoded.hex)")
            }
            if root.offset != 0 || root.length != bytes.count {
                violated("the root node covers \(root.offset)+\(root.length) of \(bytes.count) bytes")
            }
            checkFieldRanges(root, count: bytes.count, message.body.displayName)
            if case .clientHello(let hello) = message.body, hello.extensions.contains(.preSharedKey) {
                _ = try? ClientHello.truncatedForBinders(bytes)
            }
        } catch let error as DecodeError {
            guard error.alert == .decodeError || error.alert == .illegalParameter else {
                violated("decoding failed with \(error.alert): \(error)")
            }
            for node in error.partialFields { checkFieldRanges(node, count: bytes.count, "partial fields") }
        } catch {
            violated("decoding threw a non-DecodeError: \(error)")
        }
        if selector & 0x10 != 0 {
            let dissection = Dissector.dissect(bytes, context: context)
            if selector & 0x20 != 0 { _ = Dissector.render(dissection) }
        }
    }
}

// MARK: - Endpoints fed bytes

enum EndpointTarget {
    /// Chunk sizes for splitting the stream between `receive` calls (0: all at once).
    static let chunkSizes = [0, 1, 7, 7]

    /// Input: a control byte, then bytes as if from the peer. Control bits 0–5 pick the fixture (connection of a
    /// catalog scenario); bits 6–7: 0 all at once, 1 one byte per call, 2 seven bytes per call, 3 seven bytes per
    /// call with certificate verdicts only after all input (as a driver whose validation is slow would see more
    /// bytes arrive meanwhile).
    static func run(_ data: [UInt8], side: Side) {
        guard let control = data.first else { return }
        let fixtures = Fixtures.all
        let fixture = fixtures[Int(control & 0x3f) % fixtures.count]
        let stream = Array(data.dropFirst())
        let mode = Int(control >> 6)
        var driven = Driven(fixture.endpoint(side).initial)
        let size = chunkSizes[mode]
        if size == 0 {
            driven.receive(stream)
        } else {
            var offset = 0
            while offset < stream.count {
                let end = min(offset + size, stream.count)
                driven.receive(Array(stream[offset..<end]))
                if mode != 3 { driven.answerVerdicts() }
                offset = end
            }
        }
        driven.finish()
        driven.check()
    }
}
