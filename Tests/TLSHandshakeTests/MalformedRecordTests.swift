import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire
import XCTest

/// The record layer under malformed input, in the spirit of tlsfuzzer: content types, record versions, sizes,
/// zero-length records, ChangeCipherSpec rules, fragmentation and coalescing, both versions, both receive paths.
/// Each test checks the alert RFC 8446 §5–§6 / RFC 5246 §6–§7 prescribe and that the events record it.
final class MalformedRecordTests: XCTestCase {
    // MARK: - The relay itself

    /// The relay re-protects every record with keys rebuilt from the sender's derivation steps; unchanged, the
    /// handshakes complete — so in the tests below, an alert comes from the change, not from the relay.
    func testRelayDeliversUnchangedHandshakesOfEveryProtection() throws {
        let cases: [(String, ClientConfiguration)] = [
            ("TLS 1.3 AES-128-GCM", try Lab.client13()),
            ("TLS 1.2 ECDHE AES-128-GCM", try Lab.client12()),
            ("TLS 1.2 ECDHE ChaCha20-Poly1305", try Lab.client12(suites: [.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256])),
            ("TLS 1.2 CBC encrypt-then-MAC", try Lab.client12(suites: [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA])),
            ("TLS 1.2 CBC MAC-then-encrypt", try Lab.client12(suites: [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA], encryptThenMAC: false)),
            ("TLS 1.2 RSA key exchange", try Lab.client12(suites: [.TLS_RSA_WITH_AES_128_GCM_SHA256])),
        ]
        for (name, config) in cases {
            var relay = Relay(client: config, server: try Lab.server())
            relay.run()
            XCTAssertTrue(relay.client.completed, name)
            XCTAssertTrue(relay.server.completed, name)
            assertNoAlert(relay.client, name)
            assertNoAlert(relay.server, name)
            relay.act(.client) { $0.send(applicationData: Array("ping".utf8)) }
            XCTAssertEqual(relay.server.applicationData, [Array("ping".utf8)], name)
        }
    }

    // MARK: - Unknown content types (RFC 8446 §5, RFC 5246 §6)

    func testServerRejectsUnknownContentType() throws {
        for type: UInt8 in [0, 19, 24, 25, 0xff] {
            var server = Peer(server: try Lab.server())
            server.receive(record(ContentType(rawValue: type), [0x01, 0x00]))
            assertAlert(server, .unexpectedMessage, "content type \(type)")
        }
    }

    func testClientRejectsUnknownContentTypeInBothVersions() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            var client = Peer(client: config)
            client.start()
            client.receive(record(ContentType(rawValue: 24), [0x01, 0x00, 0x00]))
            assertAlert(client, .unexpectedMessage, "\(config.versions)")
        }
    }

    /// RFC 8446 §5.2: the real type is inside the protected record; an unknown one is still unexpected_message.
    func testTLS13UnknownInnerContentTypeIsUnexpectedMessage() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.encryptedExtensions) { out.contentType = ContentType(rawValue: 0x19) }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)
    }

    // MARK: - legacy_record_version

    /// RFC 8446 §5.1: legacy_record_version "MUST be ignored for all purposes" (an initial ClientHello may even say
    /// 0x0301). RFC 5246 App. E.1: a TLS server "MUST accept any value {03,XX} as the record layer version number
    /// for ClientHello". TLSLab ignores the version of plaintext records; protected records authenticate it (see the
    /// next tests).
    func testPlaintextRecordVersionIsIgnored() throws {
        for (versions, recordVersion) in [
            ([ProtocolVersion.tls13], 0x0301), ([.tls13], 0x0303), ([.tls13], 0x0304), ([.tls13], 0x0000),
            ([.tls12], 0x0300), ([.tls12], 0x0301), ([.tls12], 0x0302), ([.tls12], 0x0303),
        ] {
            var relay = Relay(
                client: versions == [.tls13] ? try Lab.client13() : try Lab.client12(), server: try Lab.server())
            relay.intercept = { out in
                var out = out
                if out.epoch == 0 { out.legacyVersion = ProtocolVersion(rawValue: UInt16(recordVersion)) }
                return [out]
            }
            relay.run()
            XCTAssertTrue(relay.client.completed && relay.server.completed, "record version \(recordVersion)")
            assertNoAlert(relay.client)
            assertNoAlert(relay.server)
        }
    }

    /// RFC 8446 §5.2: the additional data of a protected record is its header, legacy_record_version included; a
    /// changed version fails authentication → bad_record_mac.
    func testTLS13ProtectedRecordVersionIsAuthenticated() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.encryptedExtensions) { out.patch = { bytes in var b = bytes; b[2] = 0x01; return b } }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .badRecordMAC)
    }

    /// RFC 5246 §6.2.3.3: the AEAD additional data holds seq_num ‖ type ‖ version ‖ length.
    func testTLS12ProtectedRecordVersionIsAuthenticated() throws {
        for suite in [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA] {
            var relay = Relay(client: try Lab.client12(suites: [suite]), server: try Lab.server())
            relay.intercept = { out in
                var out = out
                if out.from == .client && out.carries(.finished) {
                    out.patch = { bytes in var b = bytes; b[2] = 0x01; return b }
                }
                return [out]
            }
            relay.run()
            assertAlert(relay.server, .badRecordMAC, "\(suite)")
        }
    }

    // MARK: - Record sizes (RFC 8446 §5.1, §5.2; RFC 5246 §6.2.1–§6.2.3)

    func testPlaintextRecordOver2To14IsRecordOverflow() throws {
        var server = Peer(server: try Lab.server())
        server.receive(record(.handshake, [UInt8](repeating: 0x01, count: (1 << 14) + 1)))
        assertAlert(server, .recordOverflow)

        var client = Peer(client: try Lab.client12())
        client.start()
        client.receive(record(.handshake, [UInt8](repeating: 0x02, count: (1 << 14) + 1)))
        assertAlert(client, .recordOverflow)
    }

    func testExactly2To14PlaintextIsNotAnOverflow() throws {
        // A 2^14-byte record holding the start of a large (unfinished) message: the endpoint waits for more.
        var server = Peer(server: try Lab.server())
        server.receive(record(.handshake, handshake(.clientHello, [UInt8](repeating: 0, count: 20_000)).prefix(1 << 14).map { $0 }))
        XCTAssertTrue(server.alertsSent.isEmpty)
        XCTAssertEqual(server.connection.status, .handshaking)
    }

    /// The header alone decides: a length over every limit is refused before any byte of the fragment arrives.
    func testRecordLengthOverEveryLimitIsRefusedFromTheHeader() throws {
        for length in [(1 << 14) + 2049, 0xffff] {
            var server = Peer(server: try Lab.server())
            server.receive([0x16, 0x03, 0x03, UInt8(length >> 8), UInt8(length & 0xff)])
            assertAlert(server, .recordOverflow, "length \(length)")

            var client = Peer(client: try Lab.client13())
            client.start()
            client.receive([0x17, 0x03, 0x03, UInt8(length >> 8), UInt8(length & 0xff)])
            assertAlert(client, .recordOverflow, "length \(length)")
        }
    }

    /// RFC 8446 §5.2: "The length MUST NOT exceed 2^14 + 256 bytes. An endpoint that receives a record that
    /// exceeds this length MUST terminate the connection with a record_overflow alert."
    func testTLS13CiphertextOver2To14Plus256IsRecordOverflow() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.encryptedExtensions) {
                out.raw = record(.applicationData, [UInt8](repeating: 0xaa, count: (1 << 14) + 257))
            }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .recordOverflow)
    }

    /// RFC 8446 §5.4: a TLSInnerPlaintext whose content exceeds 2^14 is record_overflow even when the ciphertext
    /// fits in 2^14 + 256.
    func testTLS13InnerPlaintextOver2To14IsRecordOverflow() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.encryptedExtensions) {
                out.innerPlaintext = [UInt8](repeating: 0x00, count: 4) + [UInt8](repeating: 0x01, count: 1 << 14) + [22]
            }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .recordOverflow)
    }

    /// RFC 5246 §6.2.3: TLSCiphertext.length MUST NOT exceed 2^14 + 2048.
    func testTLS12CiphertextOver2To14Plus2048IsRecordOverflow() throws {
        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.from == .client && out.carries(.finished) {
                out.raw = record(.handshake, [UInt8](repeating: 0xaa, count: (1 << 14) + 2049))
            }
            return [out]
        }
        relay.run()
        assertAlert(relay.server, .recordOverflow)
    }

    // MARK: - Zero-length records (RFC 8446 §5.1, RFC 5246 §6.2.1)

    /// "Implementations MUST NOT send zero-length fragments of Handshake types" (RFC 8446 §5.1); RFC 5246 §6.2.1
    /// adds Alert and ChangeCipherSpec. TLSLab answers unexpected_message.
    func testZeroLengthHandshakeAlertAndCCSRecordsAreUnexpected() throws {
        for type in [ContentType.handshake, .alert, .changeCipherSpec] {
            var server = Peer(server: try Lab.server())
            server.receive(record(type, []))
            assertAlert(server, .unexpectedMessage, "server, empty \(type)")

            var client = Peer(client: try Lab.client12())
            client.start()
            client.receive(record(type, []))
            assertAlert(client, .unexpectedMessage, "client, empty \(type)")
        }
    }

    func testTLS13ProtectedZeroLengthHandshakeIsUnexpected() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            guard out.carries(.encryptedExtensions) else { return [out] }
            var empty = out
            empty.plaintext = []
            return [empty, out]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)
    }

    /// "Zero-length fragments of Application Data MAY be sent, as they are potentially useful as a traffic analysis
    /// countermeasure" (RFC 8446 §5.1, RFC 5246 §6.2.1): accepted, in both versions, both directions.
    func testZeroLengthApplicationDataIsAccepted() throws {
        for config in [try Lab.client13(), try Lab.client12(), try Lab.client12(suites: [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA])] {
            var relay = Relay(client: config, server: try Lab.server())
            relay.run()
            relay.act(.server) { $0.send(applicationData: []) }
            relay.act(.client) { $0.send(applicationData: []) }
            XCTAssertEqual(relay.client.applicationData, [[]])
            XCTAssertEqual(relay.server.applicationData, [[]])
            assertNoAlert(relay.client)
            assertNoAlert(relay.server)
            XCTAssertEqual(relay.client.connection.status, .connected)
        }
    }

    func testApplicationDataBeforeTheHandshakeIsUnexpected() throws {
        var server = Peer(server: try Lab.server())
        server.receive(record(.applicationData, []))
        assertAlert(server, .unexpectedMessage)
    }

    // MARK: - ChangeCipherSpec at the wrong time

    /// RFC 5246 §7.1/§7.4: in TLS 1.2 a ChangeCipherSpec is expected only right before Finished.
    func testTLS12ChangeCipherSpecBeforeCertificateIsUnexpected() throws {
        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            guard out.from == .server && out.carries(.certificate) else { return [out] }
            return [Outgoing(from: .server, contentType: .changeCipherSpec, plaintext: [1], epoch: 0), out]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)
    }

    func testTLS12ChangeCipherSpecBeforeClientKeyExchangeIsUnexpected() throws {
        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            guard out.from == .client && out.carries(.clientKeyExchange) else { return [out] }
            return [Outgoing(from: .client, contentType: .changeCipherSpec, plaintext: [1], epoch: 0), out]
        }
        relay.run()
        assertAlert(relay.server, .unexpectedMessage)
    }

    /// A ChangeCipherSpec is the single byte 01 (RFC 5246 §7.1; RFC 8446 §5: "any other change_cipher_spec value
    /// … MUST abort the handshake with an unexpected_message alert").
    func testChangeCipherSpecOtherThanTheSingleByte01IsUnexpected() throws {
        for payload: [UInt8] in [[0x02], [0x01, 0x01], [0x00]] {
            for config in [try Lab.client12(), try Lab.client13()] {
                var relay = Relay(client: config, server: try Lab.server())
                relay.intercept = { out in
                    var out = out
                    if out.from == .client && out.contentType == .changeCipherSpec { out.plaintext = payload }
                    if out.from == .client && out.carries(.finished) && config.versions == [.tls13] {
                        return [Outgoing(from: .client, contentType: .changeCipherSpec, plaintext: payload, epoch: 0), out]
                    }
                    return [out]
                }
                relay.run()
                assertAlert(relay.server, .unexpectedMessage, "\(config.versions) CCS \(payload)")
            }
        }
    }

    /// RFC 8446 §5: a change_cipher_spec record "received before the first ClientHello message … MUST be treated as
    /// an unexpected record type".
    func testTLS13ChangeCipherSpecBeforeClientHelloIsUnexpected() throws {
        var server = Peer(server: try Lab.server(versions: [.tls13]))
        server.receive(record(.changeCipherSpec, [1]))
        assertAlert(server, .unexpectedMessage)
    }

    /// RFC 8446 §5: between the first ClientHello and the peer's Finished, an unprotected 01 is dropped — even from
    /// a client that did not ask for middlebox compatibility.
    func testTLS13DummyChangeCipherSpecIsIgnored() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            if out.from == .client && out.carries(.finished) || out.from == .server && out.carries(.encryptedExtensions) {
                return [Outgoing(from: out.from, contentType: .changeCipherSpec, plaintext: [1], epoch: 0), out]
            }
            return [out]
        }
        relay.run()
        XCTAssertTrue(relay.client.completed && relay.server.completed)
        assertNoAlert(relay.client)
        assertNoAlert(relay.server)
    }

    /// A second dummy ChangeCipherSpec: RFC 8446 §5 does not limit their number; TLSLab accepts one, as tlsfuzzer's
    /// test-tls13-multiple-ccs-messages expects of a server (unexpected_message for the second).
    func testTLS13SecondChangeCipherSpecIsUnexpected() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            guard out.from == .client && out.carries(.finished) else { return [out] }
            let ccs = Outgoing(from: .client, contentType: .changeCipherSpec, plaintext: [1], epoch: 0)
            return [ccs, ccs, out]
        }
        relay.run()
        assertAlert(relay.server, .unexpectedMessage)
    }

    /// RFC 8446 §5: after the peer's Finished, a change_cipher_spec "MUST be treated as an unexpected record type".
    func testTLS13ChangeCipherSpecAfterTheHandshakeIsUnexpected() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.run()
        XCTAssertTrue(relay.client.completed)
        relay.inject(record(.changeCipherSpec, [1]), to: .client)
        assertAlert(relay.client, .unexpectedMessage)
    }

    /// RFC 8446 §5: "An implementation which receives … a protected change_cipher_spec record MUST abort the
    /// handshake with an unexpected_message alert."
    func testTLS13ProtectedChangeCipherSpecIsUnexpected() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            guard out.carries(.encryptedExtensions) else { return [out] }
            var ccs = out
            ccs.contentType = .changeCipherSpec
            ccs.plaintext = [1]
            ccs.messages = []
            return [ccs, out]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)
    }

    /// RFC 8446 §5.1: "Handshake messages MUST NOT be interleaved with other record types."
    func testChangeCipherSpecInsideAFragmentedMessageIsUnexpected() throws {
        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            guard out.from == .server && out.carries(.certificate) else { return [out] }
            var first = out
            var second = out
            first.plaintext = Array(out.plaintext.prefix(10))
            second.plaintext = Array(out.plaintext.dropFirst(10))
            return [first, Outgoing(from: .server, contentType: .changeCipherSpec, plaintext: [1], epoch: 0), second]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)
    }

    // MARK: - Fragmentation and coalescing (RFC 8446 §5.1, RFC 5246 §6.2.1)

    /// A handshake message may be split over any number of records: one byte each must work, plaintext and
    /// protected, in both directions and both versions.
    func testOneByteRecordsCarryAWholeHandshake() throws {
        for config in [try Lab.client13(), try Lab.client12(), try Lab.client12(suites: [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA])] {
            var relay = Relay(client: config, server: try Lab.server())
            relay.intercept = { out in
                guard out.contentType == .handshake, out.plaintext.count > 1 else { return [out] }
                return out.plaintext.map { byte in
                    var piece = out
                    piece.plaintext = [byte]
                    return piece
                }
            }
            relay.run()
            XCTAssertTrue(relay.client.completed && relay.server.completed, "\(config.versions) \(config.cipherSuites)")
            assertNoAlert(relay.client)
            assertNoAlert(relay.server)
            XCTAssertGreaterThan(relay.delivered.count, 1000, "the handshake really went one byte per record")
        }
    }

    /// Several messages in one record: the TLS 1.2 server flight in one plaintext record; the TLS 1.3 encrypted
    /// flight in one protected record.
    func testCoalescedMessagesInOneRecordWork() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            var relay = Relay(client: config, server: try Lab.server())
            var held: Outgoing?
            relay.intercept = { out in
                guard out.from == .server, out.contentType == .handshake else { return [out] }
                let last = out.carries(.serverHelloDone) || out.carries(.finished)
                let mergeable = out.epoch > 0 || config.versions == [.tls12]
                guard mergeable else { return [out] }
                if var h = held {
                    h.plaintext += out.plaintext
                    h.messages += out.messages
                    held = h
                } else {
                    held = out
                }
                if last, let h = held {
                    held = nil
                    return [h]
                }
                return []
            }
            relay.run()
            XCTAssertTrue(relay.client.completed && relay.server.completed, "\(config.versions)")
            assertNoAlert(relay.client)
            assertNoAlert(relay.server)
        }
    }

    /// RFC 8446 §5.1: "Handshake messages MUST NOT span key changes … if not, then they MUST terminate the
    /// connection with an unexpected_message alert." Bytes after the ServerHello (or the ClientHello) in its record
    /// would belong to a message under other keys.
    func testBytesAfterAMessageThatChangesKeysAreUnexpected() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.serverHello) { out.plaintext += [0x08] }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)

        var server = Peer(server: try Lab.server(versions: [.tls13]))
        server.receive(record(.handshake, try realClientHello(Lab.client13()).message + [0x14, 0x00]))
        assertAlert(server, .unexpectedMessage)
    }

    /// Bytes after a message in the same record, away from a key change, are the start of the next message (RFC 8446
    /// §5.1 lets messages share records), so they are judged as one: an unknown type is unexpected_message, a
    /// known type whose body does not decode is decode_error.
    func testBytesBetweenMessagesAreJudgedAsTheNextMessage() throws {
        for (extra, alert) in [
            ([UInt8(99), 0, 0, 0], AlertDescription.unexpectedMessage),
            ([HandshakeType.serverHelloDone.rawValue, 0, 0, 1, 0], .decodeError),
        ] {
            var relay = Relay(client: try Lab.client12(), server: try Lab.server())
            relay.intercept = { out in
                var out = out
                if out.carries(.certificate) { out.plaintext += extra }
                return [out]
            }
            relay.run()
            assertAlert(relay.client, alert, "\(extra)")
        }
    }

    // MARK: - Lengths claiming megabytes

    /// A handshake header announcing 16 MiB: refused from its 4 bytes, before any of the body arrives (nothing is
    /// buffered for it).
    func testHandshakeLengthClaimingMegabytesIsRefusedAtOnce() throws {
        let header: [UInt8] = [HandshakeType.clientHello.rawValue, 0xff, 0xff, 0xff]
        var server = Peer(server: try Lab.server())
        server.receive(record(.handshake, header))
        assertAlert(server, .decodeError)

        var client = Peer(client: try Lab.client12())
        client.start()
        client.receive(record(.handshake, [HandshakeType.certificate.rawValue, 0x40, 0x00, 0x00]))
        assertAlert(client, .decodeError)

        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.encryptedExtensions) { out.plaintext = [HandshakeType.certificate.rawValue, 0xff, 0xff, 0xff] }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .decodeError)
    }

    // MARK: - After a fatal alert

    /// RFC 8446 §6.2, RFC 5246 §7.2.2: after a fatal alert the connection is closed. A certificate verdict that
    /// arrives afterwards (more bytes came in while the driver was validating, and one of them was fatal) changes
    /// nothing: no state change, no record, no second alert — trusted or not. (Caught by the client fuzz harness.)
    func testVerdictAfterAFatalAlertChangesNothing() throws {
        for config in [try Lab.client12(), try Lab.client13()] {
            for trusted in [true, false] {
                var client = Connection(client: config, random: RandomSource(seed: 1, stream: "client"))
                var server = Connection(server: try Lab.server(), random: RandomSource(seed: 1, stream: "server"))
                var flight: [[UInt8]] = []
                for case .record(let r) in client.start() where r.direction == .sent {
                    for case .record(let s) in server.receive(r.record.bytes) where s.direction == .sent {
                        flight.append(s.record.bytes)
                    }
                }
                var events: [ConnectionEvent] = []
                for bytes in flight {
                    events += client.receive(bytes)
                    if events.contains(where: { if case .validationNeeded = $0 { true } else { false } }) { break }
                }
                XCTAssertTrue(events.contains { if case .validationNeeded = $0 { true } else { false } })
                events += client.receive([0x17, 0x03, 0x03, 0xff, 0xff])
                XCTAssertEqual(client.status, .failed(.fatal(.recordOverflow)))
                let late = client.provide(
                    ValidationVerdict(trusted: trusted, alert: trusted ? nil : .badCertificate, reason: "late"))
                XCTAssertTrue(late.isEmpty, "\(config.versions), trusted \(trusted): \(late)")
                XCTAssertEqual(client.status, .failed(.fatal(.recordOverflow)))
            }
        }
    }

    // MARK: - Alert records

    /// RFC 8446 §6: "a record with an Alert type MUST contain exactly one message"; an alert is two bytes. A shorter
    /// or longer alert record cannot be decoded: decode_error.
    func testAlertRecordOfTheWrongSizeIsADecodeError() throws {
        for payload: [UInt8] in [[0x02], [0x02, 0x28, 0x00], [0x01, 0x00, 0x01, 0x00]] {
            var server = Peer(server: try Lab.server())
            server.receive(record(.alert, payload))
            assertAlert(server, .decodeError, "alert record \(payload)")
        }
    }

    func testReceivedFatalAlertEndsTheConnectionWithoutAnswer() throws {
        var client = Peer(client: try Lab.client13())
        client.start()
        client.receive(record(.alert, [0x02, 0x28]))
        XCTAssertEqual(client.connection.status, .failed(.fatal(.handshakeFailure)))
        XCTAssertTrue(client.alertsSent.isEmpty, "no alert answers a fatal alert")
        XCTAssertTrue(client.receive(record(.handshake, [2, 0, 0, 0])).isEmpty, "nothing is read after it")
    }
}
