import XCTest

@testable import TLSWire

/// Malformed input: each problem is a DecodeError with the alert the RFCs prescribe and the offset of the bad
/// bytes; nothing traps.
final class ValidationTests: XCTestCase {
    // MARK: Builders for hand-made ClientHellos

    /// A ClientHello from raw parts (each part includes its own length prefix).
    func clientHello(
        sessionID: [UInt8] = [0x00], suites: [UInt8] = [0x00, 0x02, 0x13, 0x01], compression: [UInt8] = [0x01, 0x00],
        extensions: [UInt8]? = nil, random: [UInt8] = [UInt8](repeating: 0xab, count: 32)
    ) -> [UInt8] {
        var body: [UInt8] = [0x03, 0x03] + random + sessionID + suites + compression
        if let extensions {
            body += [UInt8(extensions.count >> 8), UInt8(extensions.count & 0xff)] + extensions
        }
        return [0x01, UInt8(body.count >> 16), UInt8((body.count >> 8) & 0xff), UInt8(body.count & 0xff)] + body
    }

    func ext(_ type: UInt16, _ data: [UInt8]) -> [UInt8] {
        [UInt8(type >> 8), UInt8(type & 0xff), UInt8(data.count >> 8), UInt8(data.count & 0xff)] + data
    }

    /// Offset of the extensions block's first extension in `clientHello()` with default parts.
    let firstExtension = 4 + 2 + 32 + 1 + 4 + 2 + 2

    func check(
        _ bytes: [UInt8], _ context: DecodeContext = DecodeContext(), alert: AlertDescription, offset: Int,
        reasonContains: String? = nil, file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let e = decodeError(bytes, context, file: file, line: line) else { return }
        XCTAssertEqual(e.alert, alert, "\(e)", file: file, line: line)
        XCTAssertEqual(e.offset, offset, "\(e)", file: file, line: line)
        if let reasonContains {
            XCTAssertTrue(e.reason.contains(reasonContains), "\(e.reason)", file: file, line: line)
        }
    }

    func testTheBuilderMakesAValidClientHello() throws {
        let ok = clientHello(extensions: ext(0x000a, [0x00, 0x02, 0x00, 0x1d]))
        let (message, _) = try decodeOK(ok, DecodeContext())
        XCTAssertEqual(message.body.encoded(), ok)
    }

    // MARK: Header, lengths, truncation

    func testHeaderErrors() {
        check([], alert: .decodeError, offset: 0, reasonContains: "truncated")
        check([0x01, 0x00], alert: .decodeError, offset: 1, reasonContains: "truncated")
        let ch = clientHello()
        // Length field one too large: the body is short.
        var long = ch
        long[3] &+= 1
        check(long, alert: .decodeError, offset: 1, reasonContains: "only \(ch.count - 4)")
        // Trailing byte after the announced body.
        check(ch + [0x00], alert: .decodeError, offset: ch.count, reasonContains: "unexpected")
    }

    func testRandomMustBe32Bytes() {
        let short = clientHello(sessionID: [], suites: [], compression: [], random: [UInt8](repeating: 1, count: 20))
        check(short, alert: .decodeError, offset: 6, reasonContains: "32 bytes of random")
    }

    func testSessionIDLongerThan32() {
        let sid: [UInt8] = [33] + [UInt8](repeating: 7, count: 33)
        check(clientHello(sessionID: sid), alert: .decodeError, offset: 38, reasonContains: "maximum is 32")
        let ok: [UInt8] = [32] + [UInt8](repeating: 7, count: 32)
        XCTAssertNoThrow(try HandshakeMessage.decode(clientHello(sessionID: ok), context: DecodeContext()))
    }

    func testCipherSuiteListRules() {
        check(clientHello(suites: [0x00, 0x00]), alert: .decodeError, offset: 39, reasonContains: "minimum is 2")
        check(clientHello(suites: [0x00, 0x03, 0x13, 0x01, 0x13]), alert: .decodeError, offset: 39,
              reasonContains: "not a multiple of 2")
    }

    func testCompressionMethodsMustNotBeEmpty() {
        check(clientHello(compression: [0x00]), alert: .decodeError, offset: 43, reasonContains: "minimum is 1")
    }

    func testEmptyExtensionsBlockIsRejected() {
        check(clientHello(extensions: []), alert: .decodeError, offset: 45, reasonContains: "empty extensions block")
    }

    // MARK: Extension contents

    func testEmptyListsInExtensions() {
        let at = firstExtension + 4  // the inner list's length field
        // RFC 6066 §3: server_name_list<1..2^16-1>.
        check(clientHello(extensions: ext(0x0000, [0x00, 0x00])), alert: .decodeError, offset: at, reasonContains: "server_name_list")
        // RFC 8446 §4.2.7: named_group_list<2..2^16-1>.
        check(clientHello(extensions: ext(0x000a, [0x00, 0x00])), alert: .decodeError, offset: at, reasonContains: "named_group_list")
        // RFC 8446 §4.2.3: supported_signature_algorithms<2..2^16-2>.
        check(clientHello(extensions: ext(0x000d, [0x00, 0x00])), alert: .decodeError, offset: at,
              reasonContains: "supported_signature_algorithms")
        // RFC 8446 §4.2.8: key_exchange<1..2^16-1>.
        check(clientHello(extensions: ext(0x0033, [0x00, 0x04, 0x00, 0x1d, 0x00, 0x00])), alert: .decodeError,
              offset: at + 4, reasonContains: "key_exchange")
        // RFC 8446 §4.2.1: versions<2..254>.
        check(clientHello(extensions: ext(0x002b, [0x00])), alert: .decodeError, offset: at, reasonContains: "versions")
        // An odd-length group list.
        check(clientHello(extensions: ext(0x000a, [0x00, 0x03, 0x00, 0x1d, 0x00])), alert: .decodeError, offset: at,
              reasonContains: "not a multiple of 2")
    }

    func testExtensionLengthBeyondTheBlock() {
        // extension_data claims 9 bytes, 2 follow.
        let bad = clientHello(extensions: [0x00, 0x0a, 0x00, 0x09, 0x00, 0x00])
        check(bad, alert: .decodeError, offset: firstExtension + 2, reasonContains: "claims 9 bytes")
        // Bytes left inside an extension after its structure.
        let trailing = clientHello(extensions: ext(0x000a, [0x00, 0x02, 0x00, 0x1d, 0xff]))
        check(trailing, alert: .decodeError, offset: firstExtension + 8, reasonContains: "unexpected")
    }

    func testEmptyExtensionsMustBeEmpty() {
        check(clientHello(extensions: ext(0x0016, [0x00])), alert: .decodeError, offset: firstExtension + 4,
              reasonContains: "encrypt_then_mac")
        check(clientHello(extensions: ext(0x0017, [0x00])), alert: .decodeError, offset: firstExtension + 4,
              reasonContains: "extended_master_secret")
        // server_name in EncryptedExtensions (RFC 6066 §3: SHALL be empty).
        let ee: [UInt8] = [0x08, 0x00, 0x00, 0x09, 0x00, 0x07, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00]
        check(ee, Corpus.tls13, alert: .decodeError, offset: 10, reasonContains: "server_name")
    }

    func testDuplicateExtensionIsIllegalParameter() {
        let groups = ext(0x000a, [0x00, 0x02, 0x00, 0x1d])
        let sni = ext(0x0000, [0x00, 0x04, 0x00, 0x00, 0x01, 0x61])
        let bad = clientHello(extensions: groups + sni + groups)
        check(bad, alert: .illegalParameter, offset: firstExtension + groups.count + sni.count, reasonContains: "twice")
        // Also in EncryptedExtensions and for unknown types.
        let unknown = ext(0x7777, [1])
        let ee: [UInt8] = [0x08, 0x00, 0x00, 0x0c, 0x00, 0x0a] + unknown + unknown
        check(ee, Corpus.tls13, alert: .illegalParameter, offset: 6 + unknown.count)
    }

    func testPreSharedKeyMustBeLast() throws {
        let psk = ext(0x0029, [0x00, 0x07, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00,
                               0x00, 0x21, 0x20] + [UInt8](repeating: 0x5a, count: 32))
        let groups = ext(0x000a, [0x00, 0x02, 0x00, 0x1d])
        check(clientHello(extensions: psk + groups), alert: .illegalParameter, offset: firstExtension,
              reasonContains: "last extension")
        XCTAssertNoThrow(try HandshakeMessage.decode(clientHello(extensions: groups + psk), context: DecodeContext()))
        // A binder shorter than 32 bytes (PskBinderEntry<32..255>).
        let shortBinder = ext(0x0029, [0x00, 0x07, 0x00, 0x01, 0x61, 0x00, 0x00, 0x00, 0x00,
                                       0x00, 0x21, 0x1f] + [UInt8](repeating: 0x5a, count: 32))
        XCTAssertEqual(decodeError(clientHello(extensions: shortBinder))?.alert, .decodeError)
    }

    // MARK: Other messages

    func testServerKeyExchangeCurveType() {
        // curve_type explicit_prime (1) instead of named_curve (3).
        let ske: [UInt8] = [0x0c, 0x00, 0x00, 0x09, 0x01, 0x00, 0x1d, 0x01, 0xaa, 0x08, 0x04, 0x00, 0x00]
        check(ske, Corpus.tls12ECDHE, alert: .illegalParameter, offset: 4, reasonContains: "named_curve")
        var ok = ske
        ok[4] = 3
        XCTAssertNoThrow(try HandshakeMessage.decode(ok, context: Corpus.tls12ECDHE))
        // An empty public point (ECPoint point<1..2^8-1>).
        let empty: [UInt8] = [0x0c, 0x00, 0x00, 0x08, 0x03, 0x00, 0x1d, 0x00, 0x08, 0x04, 0x00, 0x00]
        check(empty, Corpus.tls12ECDHE, alert: .decodeError, offset: 7)
    }

    func testKeyUpdateValue() {
        check([0x18, 0x00, 0x00, 0x01, 0x02], Corpus.tls13, alert: .illegalParameter, offset: 4, reasonContains: "request_update")
    }

    func testFinishedNeedsVerifyData() {
        check([0x14, 0x00, 0x00, 0x00], Corpus.tls13, alert: .decodeError, offset: 4, reasonContains: "verify_data")
    }

    func testServerHelloDoneMustBeEmpty() {
        check([0x0e, 0x00, 0x00, 0x01, 0x00], Corpus.tls12ECDHE, alert: .decodeError, offset: 4, reasonContains: "unexpected")
    }

    func testErrorPathAndPartialFields() throws {
        let bad = clientHello(extensions: ext(0x000a, [0x00, 0x02, 0x00, 0x1d]) + ext(0x000d, [0x00, 0x00]))
        let e = try XCTUnwrap(decodeError(bad))
        XCTAssertEqual(e.path, ["ClientHello", "extensions", "signature_algorithms", "supported_signature_algorithms"])
        XCTAssertTrue(e.description.contains("ClientHello › extensions"), e.description)
        // Everything before the error is kept: header, version, random, ..., the good supported_groups extension.
        let root = try XCTUnwrap(e.partialFields.first)
        XCTAssertEqual(root.key, "client_hello")
        XCTAssertNotNil(root.first(key: "client_hello.random"))
        XCTAssertEqual(root.first(key: "ext.supported_groups")?.value, "x25519")
        XCTAssertNotNil(root.first(key: "ext.signature_algorithms"), "the failing extension appears as incomplete")
        XCTAssertEqual(e.shifted(by: 100).offset, e.offset + 100)
        XCTAssertEqual(e.shifted(by: 100).partialFields.first?.offset, 100)
        // Partial fields are diagnostics, not identity.
        XCTAssertEqual(e, DecodeError(offset: e.offset, reason: e.reason, alert: e.alert, path: e.path))
    }

    // MARK: Reassembler

    func testReassemblerRejectsOversizedMessagesBeforeBuffering() {
        var r = HandshakeReassembler(maxMessageLength: 1000)
        r.append([0x0b, 0x00, 0x10, 0x00])  // Certificate claiming 4096 bytes
        XCTAssertThrowsError(try r.next()) { error in
            guard let e = error as? DecodeError else { return XCTFail("\(error)") }
            XCTAssertEqual(e.alert, .decodeError)
            XCTAssertEqual(e.offset, 1)
            XCTAssertTrue(e.reason.contains("4096") && e.reason.contains("1000"), e.reason)
        }
        var d = HandshakeReassembler()
        d.append([0x01, 0xff, 0xff, 0xff])
        XCTAssertThrowsError(try d.next(), "16 MiB is over the default 64 KiB limit")
    }

    func testReassemblerSplitsAndJoins() throws {
        let a = RFC8448.encryptedExtensions, b = RFC8448.certificate, c = RFC8448.serverFinished
        let stream = a + b + c
        // Every way of cutting the stream in two pieces, and byte by byte.
        for cut in [0, 1, 3, 4, 5, a.count, a.count + 2, a.count + b.count, stream.count - 1] {
            var r = HandshakeReassembler()
            var out: [[UInt8]] = []
            r.append(Array(stream[..<cut]))
            while let m = try r.next() { out.append(m) }
            r.append(Array(stream[cut...]))
            while let m = try r.next() { out.append(m) }
            XCTAssertEqual(out, [a, b, c], "cut at \(cut)")
            XCTAssertTrue(r.isEmpty)
        }
        var r = HandshakeReassembler()
        var out: [[UInt8]] = []
        for byte in stream {
            r.append([byte])
            while let m = try r.next() { out.append(m) }
        }
        XCTAssertEqual(out, [a, b, c])
        // A zero-length body (ServerHelloDone) is a whole message.
        var z = HandshakeReassembler()
        z.append([0x0e, 0x00, 0x00, 0x00, 0x0e])
        XCTAssertEqual(try z.next(), [0x0e, 0x00, 0x00, 0x00])
        XCTAssertNil(try z.next())
        XCTAssertEqual(z.buffered, [0x0e])
    }

    // MARK: Truncations and fuzzing

    /// No strict prefix of any corpus message decodes: each is a DecodeError.
    func testNoStrictPrefixDecodes() {
        var count = 0
        for m in Corpus.all {
            for n in 0..<m.bytes.count {
                count += 1
                do {
                    _ = try HandshakeMessage.decode(Array(m.bytes.prefix(n)), context: m.context)
                    XCTFail("\(m.name): the \(n)-byte prefix decoded")
                } catch is DecodeError {
                } catch {
                    XCTFail("\(m.name): \(error)")
                }
            }
        }
        XCTAssertGreaterThan(count, 5000)
    }

    /// Truncated bodies with the header length patched to match: the body decoders themselves see the cut.
    /// Whatever they accept must re-encode to the same bytes.
    func testPatchedTruncationsNeverTrapAndStayCanonical() {
        for m in Corpus.all {
            for n in stride(from: 4, to: m.bytes.count, by: 1) {
                var bytes = Array(m.bytes.prefix(n))
                let length = n - 4
                bytes[1] = UInt8(length >> 16)
                bytes[2] = UInt8((length >> 8) & 0xff)
                bytes[3] = UInt8(length & 0xff)
                for context in [m.context, DecodeContext()] {
                    if let (message, tree) = try? HandshakeMessage.decode(bytes, context: context) {
                        XCTAssertEqual(message.body.encoded(), bytes, "\(m.name) cut to \(n)")
                        XCTAssertEqual(tree.length, bytes.count)
                    }
                }
            }
        }
    }

    /// Thousands of deterministic mutations of the corpus (byte flips, insertions, deletions, truncations): the
    /// decoder never traps, every failure is a DecodeError inside the input, and every success re-encodes to the
    /// very same bytes with a field tree inside the message.
    func testFuzzedMessagesNeverTrap() {
        var rng = SplitMix64(state: 0x7115_1ab0)
        let corpus = Corpus.all
        var accepted = 0
        var rejected = 0
        for round in 0..<20_000 {
            let m = corpus[round % corpus.count]
            var bytes = m.bytes
            for _ in 0...rng.below(3) {
                switch rng.below(5) {
                case 0 where !bytes.isEmpty: bytes[rng.below(bytes.count)] ^= UInt8(1 << rng.below(8))
                case 1 where !bytes.isEmpty: bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
                case 2: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
                case 3 where !bytes.isEmpty: bytes.remove(at: rng.below(bytes.count))
                default: bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
                }
            }
            // Half the time keep the header length consistent, so the body decoders are exercised.
            if rng.below(2) == 0, bytes.count >= 4 {
                let length = bytes.count - 4
                bytes[1] = UInt8(truncatingIfNeeded: length >> 16)
                bytes[2] = UInt8(truncatingIfNeeded: length >> 8)
                bytes[3] = UInt8(truncatingIfNeeded: length)
            }
            let context = rng.below(3) == 0 ? DecodeContext() : m.context
            do {
                let (message, tree) = try HandshakeMessage.decode(bytes, context: context)
                accepted += 1
                XCTAssertEqual(message.body.encoded(), bytes, "round \(round): accepted bytes must re-encode identically")
                for node in tree.flattened {
                    XCTAssertTrue(node.offset >= 0 && node.offset + node.length <= bytes.count, "round \(round): \(node.key)")
                }
            } catch let e as DecodeError {
                rejected += 1
                XCTAssertTrue(e.offset >= 0 && e.offset <= bytes.count, "round \(round): offset \(e.offset)")
                XCTAssertFalse(e.reason.isEmpty)
            } catch {
                XCTFail("round \(round): \(error)")
            }
        }
        XCTAssertGreaterThan(accepted, 100)
        XCTAssertGreaterThan(rejected, 1000)
    }
}
