import XCTest

@testable import TLSWire

final class DissectorTests: XCTestCase {
    /// Prints a rendering when TLSLAB_PRINT is set (for looking at the output by eye).
    func show(_ d: Dissection) {
        if let env = getenv("TLSLAB_PRINT"), String(cString: env) == "1" { print(Dissector.render(d)) }
    }

    func testLooksLikeRecords() {
        XCTAssertTrue(Dissector.looksLikeRecords(RFC8448.clientHelloRecord))
        XCTAssertFalse(Dissector.looksLikeRecords(RFC8448.clientHello))
        XCTAssertFalse(Dissector.looksLikeRecords(RFC8448.serverFinished), "a Finished message starts with 0x14 too")
        XCTAssertTrue(Dissector.looksLikeRecords([0x16, 0x03, 0x01]), "a record header cut short (PastedHexTests)")
        XCTAssertFalse(Dissector.looksLikeRecords([0x16, 0x03, 0x01, 0xff, 0xff]), "longer than any record")
    }

    func testOpenSSLTLS12StreamWithAbsoluteOffsets() throws {
        let input = OpenSSLCaptures.tls12ECDHEWire.flatMap(\.bytes)
        let d = Dissector.dissect(input)
        show(d)
        XCTAssertEqual(d.layout, .records)
        XCTAssertNil(d.error)
        XCTAssertEqual(
            d.messages.map(\.title),
            ["ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange",
             "NewSessionTicket"],
            "the two Finished messages are encrypted; the server's NewSessionTicket comes before its ChangeCipherSpec")
        XCTAssertEqual(d.items.filter { $0.kind == .changeCipherSpec }.count, 2)
        let encrypted = d.items.filter(\.isEncrypted)
        XCTAssertEqual(
            encrypted.map(\.title),
            ["Record 8: handshake, TLS 1.2, 40 bytes (encrypted)", "Record 11: handshake, TLS 1.2, 40 bytes (encrypted)",
             "Record 12: application_data, TLS 1.2, 30 bytes (encrypted)", "Record 13: alert, TLS 1.2, 26 bytes (encrypted)"],
            "both Finished messages, the client's data and its close_notify")
        XCTAssertTrue(encrypted.allSatisfy { $0.note?.contains("keys") == true })
        XCTAssertEqual(d.context, DecodeContext(version: .tls12, keyExchange: .ecdhe))
        XCTAssertEqual(
            d.messages.compactMap(\.message?.bytes),
            OpenSSLCaptures.tls12ECDHEMessages.filter { $0.name != "Finished" }.map(\.bytes))
        XCTAssertEqual(d.items.first?.title, "Record 1: handshake, TLS 1.0, 151 bytes")
        XCTAssertTrue(d.items.contains { $0.title == "Record 7: change_cipher_spec, TLS 1.2, 1 byte" })

        // Every field's offset points at the bytes it describes, in the whole input.
        for item in d.items {
            for node in item.fields.flattened {
                XCTAssertLessThanOrEqual(node.offset + node.length, input.count, node.key)
            }
        }
        let ske = try XCTUnwrap(d.messages.first { $0.title == "ServerKeyExchange" })
        let point = try XCTUnwrap(ske.fields.first(key: "server_key_exchange.public"))
        let printed = try XCTUnwrap(OpenSSLCaptures.tls12ECDHEMessages.first { $0.name == "ServerKeyExchange" }).bytes
        XCTAssertEqual(Array(input[point.range]), Array(printed[7..<40]), "length byte + 32-byte x25519 key")
        let sni = try XCTUnwrap(d.messages[0].fields.first(key: "ext.server_name.host_name"))
        XCTAssertEqual(Array(input[(sni.offset + 2)..<(sni.offset + sni.length)]), Array("tlslab.test".utf8))
        XCTAssertEqual(sni.value, "tlslab.test")
        let recordLength = try XCTUnwrap(d.items[0].fields.first(key: "record.length"))
        XCTAssertEqual(recordLength.offset, 3)
        XCTAssertEqual(recordLength.value, "151")
        // The second record starts right after the first.
        XCTAssertEqual(d.items.filter { $0.kind == .record }[1].fields.offset, 5 + 151)
    }

    func testTLS13StreamWithHelloRetryRequest() {
        let d = Dissector.dissect(OpenSSLCaptures.tls13HRRWire.flatMap(\.bytes))
        show(d)
        XCTAssertNil(d.error)
        XCTAssertEqual(d.messages.map(\.title), ["ClientHello", "HelloRetryRequest", "ClientHello", "ServerHello"])
        XCTAssertEqual(d.context.version, .tls13)
        let ccs = d.items.filter { $0.kind == .changeCipherSpec }
        XCTAssertFalse(ccs.isEmpty)
        XCTAssertTrue(ccs.allSatisfy { $0.note?.contains("compatibility") == true })
        // Everything after ServerHello is application_data records, all encrypted.
        let afterSH = d.items.drop { $0.title != "ServerHello" }.filter { $0.kind == .record }
        XCTAssertTrue(afterSH.filter { !$0.title.contains("change_cipher_spec") }.allSatisfy(\.isEncrypted))
        XCTAssertTrue(afterSH.first { $0.isEncrypted }?.note?.contains("content type") == true)
    }

    func testMessageSplitAcrossRecordsAndSeveralPerRecord() throws {
        // RFC 8448's server flight in records of 100 bytes, then two messages in one record.
        let flight = RFC8448.encryptedExtensions + RFC8448.certificate + RFC8448.certificateVerify + RFC8448.serverFinished
        var input: [UInt8] = []
        var fragmentStarts: [Int] = []
        for start in stride(from: 0, to: flight.count, by: 100) {
            let piece = Array(flight[start..<min(start + 100, flight.count)])
            fragmentStarts.append(input.count + 5)
            input += TLSRecord(contentType: .handshake, fragment: piece).bytes
        }
        let d = Dissector.dissect(input, context: Corpus.tls13)
        show(d)
        XCTAssertNil(d.error)
        XCTAssertEqual(d.messages.map(\.title), ["EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"])
        let cert = try XCTUnwrap(d.messages.first { $0.title == "Certificate" })
        XCTAssertTrue(cert.note?.contains("Reassembled") == true)
        // Map each field back: its bytes, with record headers removed, are the message's bytes at that place.
        let certStart = RFC8448.encryptedExtensions.count  // offset of Certificate in the flight
        func flightOffset(_ inputOffset: Int) -> Int {
            let i = fragmentStarts.lastIndex { $0 <= inputOffset } ?? 0
            return i * 100 + (inputOffset - fragmentStarts[i])
        }
        let der = try XCTUnwrap(cert.fields.first(key: "certificate.cert_data"))
        XCTAssertEqual(flightOffset(der.offset), certStart + 8)
        XCTAssertEqual(flightOffset(der.offset + der.length - 1), certStart + 8 + 3 + 432 - 1)
        XCTAssertEqual(der.length, 3 + 432 + 5 * 4, "the field spans four record headers")
        // Bare (no records): the same four messages, offsets contiguous.
        let bare = Dissector.dissect(flight)
        XCTAssertEqual(bare.layout, .handshakeMessages)
        XCTAssertNil(bare.error)
        XCTAssertEqual(bare.messages.map(\.title), ["EncryptedExtensions", "Certificate", "CertificateVerify", "Finished"])
        let cv = try XCTUnwrap(bare.messages[2].fields.first(key: "certificate_verify.algorithm"))
        XCTAssertEqual(Array(flight[cv.range]), [0x08, 0x04])
        XCTAssertEqual(cv.value, "rsa_pss_rsae_sha256 (0x0804)")
    }

    func testRFC8448RecordsAndAlertsAndCCS() {
        var input = RFC8448.clientHelloRecord + RFC8448.serverHelloRecord
        input += TLSRecord(contentType: .changeCipherSpec, fragment: [1]).bytes
        input += TLSRecord(contentType: .alert, fragment: [2, 40]).bytes
        let d = Dissector.dissect(input)
        show(d)
        XCTAssertNil(d.error)
        XCTAssertEqual(d.items.filter { $0.kind != .record }.map(\.title),
                       ["ClientHello", "ServerHello", "ChangeCipherSpec", "Alert: fatal handshake_failure"])
        XCTAssertEqual(d.context.version, .tls13)
        let alert = d.items.last
        XCTAssertEqual(alert?.fields.offset, input.count - 2)
        XCTAssertEqual(alert?.alert, .fatal(.handshakeFailure))
        XCTAssertEqual(alert?.fields.first(key: "alert.description")?.value, "handshake_failure (0x28)")
    }

    func testMalformedInputReportsAbsoluteOffsetAndKeepsWhatCameBefore() throws {
        // Corrupt the ServerHello's cipher suite list? No: make its key_share length run past its extension.
        var input = RFC8448.clientHelloRecord + RFC8448.serverHelloRecord
        let keyShareLength = RFC8448.clientHelloRecord.count + 5 + 4 + 2 + 32 + 1 + 2 + 1 + 2 + 2 + 2 + 2
        XCTAssertEqual(input[keyShareLength], 0x00)
        XCTAssertEqual(input[keyShareLength + 1], 0x20, "the 32-byte x25519 key length")
        input[keyShareLength + 1] = 0x40
        let d = Dissector.dissect(input)
        show(d)
        let e = try XCTUnwrap(d.error)
        XCTAssertEqual(e.offset, keyShareLength)
        XCTAssertEqual(e.alert, .decodeError)
        XCTAssertEqual(d.messages.map(\.title), ["ClientHello"], "the ClientHello before the error is kept")
        XCTAssertEqual(d.items.filter { $0.kind == .record }.count, 2)
        XCTAssertEqual(e.partialFields.first?.key, "server_hello")
        XCTAssertEqual(e.partialFields.first?.first(key: "server_hello.cipher_suite")?.offset,
                       RFC8448.clientHelloRecord.count + 5 + 39)
        let text = Dissector.render(d)
        XCTAssertTrue(text.contains("ERROR at offset \(keyShareLength)"), text)
        XCTAssertTrue(text.contains("decoded before the error"), text)

        // A truncated record.
        let cut = Dissector.dissect(Array(RFC8448.clientHelloRecord.prefix(100)))
        XCTAssertEqual(cut.error?.offset, 3)
        XCTAssertTrue(cut.error?.reason.contains("truncated record") == true)
        // A message cut at the end of a bare input: the error is inside it, at the length field.
        let bare = Dissector.dissect(Array(RFC8448.serverHello.prefix(50)))
        XCTAssertEqual(bare.error?.offset, 1)
        XCTAssertEqual(bare.error?.partialFields.first?.first(key: "handshake.length")?.value, "86 bytes")
        // Bad change_cipher_spec, and a record interleaved into a split handshake message.
        let ccs = Dissector.dissect(TLSRecord(contentType: .changeCipherSpec, fragment: [2]).bytes)
        XCTAssertEqual(ccs.error?.alert, .unexpectedMessage)
        XCTAssertEqual(ccs.error?.offset, 5)
        let interleaved =
            TLSRecord(contentType: .handshake, fragment: Array(RFC8448.serverHello.prefix(10))).bytes
            + TLSRecord(contentType: .alert, fragment: [1, 0]).bytes
        let i = Dissector.dissect(interleaved)
        XCTAssertEqual(i.error?.alert, .unexpectedMessage)
        XCTAssertEqual(i.error?.offset, 15)
        // Trailing bytes too short for a record header.
        let trailing = Dissector.dissect(RFC8448.clientHelloRecord + [0x16, 0x03])
        XCTAssertEqual(trailing.error?.offset, RFC8448.clientHelloRecord.count)
        XCTAssertEqual(trailing.messages.count, 1)
    }

    func testRenderingIsReadableIn100Columns() throws {
        for (_, input) in Corpus.streams {
            let text = Dissector.render(Dissector.dissect(input))
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 100, String(line))
            }
        }
        let text = Dissector.render(Dissector.dissect(RFC8448.clientHello))
        // offset, length, name, value, meaning.
        XCTAssertTrue(text.contains("     6      32    random  cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"), text)
        XCTAssertTrue(text.contains("— 32 random bytes from the client"), text)
        XCTAssertTrue(text.contains("cipher_suite  TLS_AES_128_GCM_SHA256 (0x1301)"), text)
        XCTAssertTrue(text.hasSuffix("All 196 bytes decoded.\n"), text)
        let plain = Dissector.render(Dissector.dissect(RFC8448.clientHello), meanings: false)
        XCTAssertFalse(plain.contains(" — "))
    }

    /// Fuzzed streams: the dissector and its renderer never trap, errors point inside the input, and every field
    /// of every item lies inside the input.
    func testFuzzedStreamsNeverTrap() {
        var rng = SplitMix64(state: 0xd155_ec70)
        let streams = Corpus.streams.map(\.bytes) + [RFC8448.encryptedExtensions + RFC8448.certificate]
        for round in 0..<3000 {
            var bytes = streams[round % streams.count]
            for _ in 0...rng.below(4) {
                switch rng.below(4) {
                case 0 where !bytes.isEmpty: bytes[rng.below(bytes.count)] = UInt8(truncatingIfNeeded: rng.next())
                case 1: bytes.insert(UInt8(truncatingIfNeeded: rng.next()), at: rng.below(bytes.count + 1))
                case 2 where !bytes.isEmpty: bytes.remove(at: rng.below(bytes.count))
                default: bytes = Array(bytes.prefix(rng.below(bytes.count + 1)))
                }
            }
            let d = Dissector.dissect(bytes)
            if let e = d.error { XCTAssertTrue(e.offset >= 0 && e.offset <= bytes.count, "round \(round)") }
            for item in d.items {
                for node in item.fields.flattened {
                    XCTAssertTrue(node.offset >= 0 && node.offset + node.length <= bytes.count, "round \(round) \(node.key)")
                }
            }
            XCTAssertFalse(Dissector.render(d).isEmpty)
        }
        // Degenerate inputs.
        for bytes: [UInt8] in [[], [0x16], [0x16, 0x03, 0x03, 0x00, 0x00], [0x17, 0x03, 0x03, 0x00, 0x01, 0x00]] {
            _ = Dissector.render(Dissector.dissect(bytes))
        }
    }
}
