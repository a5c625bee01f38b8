import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire
import XCTest

/// Handshake messages under malformed input, in the spirit of tlsfuzzer: lengths, duplicate extensions, empty
/// lists, messages out of order, point formats, invalid key shares, bad signatures, Finished off by one bit, and
/// bytes after a message. Each test checks the alert RFC 8446 §6.2 / RFC 5246 §7.2.2 / RFC 8422 prescribe and that
/// the events record it, on the client and the server receive paths, for TLS 1.2 and TLS 1.3 where they differ.
final class MalformedHandshakeTests: XCTestCase {
    /// A server fed one ClientHello (built by `edit` from a real client's) in one record.
    func serverAnswer(
        to config: ClientConfiguration, server: ServerConfiguration? = nil, _ edit: (ClientHello) -> [UInt8]
    ) throws -> Peer {
        var peer = Peer(server: try server ?? Lab.server())
        peer.receive(record(.handshake, edit(try realClientHello(config))))
        return peer
    }

    /// The ClientHello message with the bytes at `range` of its body replaced.
    func patchBody(_ hello: ClientHello, _ patch: (inout [UInt8]) -> Void) -> [UInt8] {
        var body = Array(hello.message.dropFirst(4))
        patch(&body)
        return handshake(.clientHello, body)
    }

    /// Offset of the extensions block length in a ClientHello body.
    func extensionsOffset(_ hello: ClientHello) -> Int {
        2 + 32 + 1 + hello.sessionID.count + 2 + 2 * hello.cipherSuites.count + 1 + hello.compressionMethods.count
    }

    // MARK: - Truncated and over-long length fields (decode_error, RFC 8446 §6.2, RFC 5246 §7.2.2)

    func testClientHelloLengthFieldsThatDoNotFitAreDecodeErrors() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            let hello = try realClientHello(config)
            let cases: [(String, [UInt8])] = [
                ("cipher_suites claims more than the body holds", patchBody(hello) { b in
                    let at = 2 + 32 + 1 + hello.sessionID.count
                    b[at] = 0xff
                }),
                ("extensions block claims one byte more", patchBody(hello) { b in
                    let at = extensionsOffset(hello)
                    let n = Int(b[at]) << 8 | Int(b[at + 1]) + 1
                    b[at] = UInt8(n >> 8)
                    b[at + 1] = UInt8(n & 0xff)
                }),
                ("extensions block claims one byte less", patchBody(hello) { b in
                    let at = extensionsOffset(hello)
                    let n = Int(b[at]) << 8 | Int(b[at + 1]) - 1
                    b[at] = UInt8(n >> 8)
                    b[at + 1] = UInt8(n & 0xff)
                }),
                ("first extension claims more than the block", patchBody(hello) { b in
                    b[extensionsOffset(hello) + 4] = 0xff
                }),
                ("legacy_session_id longer than 32", patchBody(hello) { b in b[2 + 32] = 33 }),
                ("handshake header one byte short of the body", {
                    var m = hello.message
                    m[3] -= 1
                    return Array(m.dropLast())
                }()),
            ]
            for (name, message) in cases {
                var server = Peer(server: try Lab.server())
                server.receive(record(.handshake, message))
                assertAlert(server, .decodeError, "\(config.versions): \(name)")
            }
        }
    }

    /// A message cut short by its record is not an error by itself: the rest may come in the next record.
    func testMessageContinuedInTheNextRecordIsWaitedFor() throws {
        let message = try realClientHello(Lab.client13()).message
        var server = Peer(server: try Lab.server())
        server.receive(record(.handshake, Array(message.prefix(40))))
        XCTAssertTrue(server.alertsSent.isEmpty)
        XCTAssertEqual(server.connection.status, .handshaking)
        server.receive(record(.handshake, Array(message.dropFirst(40))))
        XCTAssertEqual(server.messagesReceived.first?.bytes, message)
        assertNoAlert(server)
    }

    func testServerHelloLengthFieldsThatDoNotFitAreDecodeErrors() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            var relay = Relay(client: config, server: try Lab.server())
            relay.intercept = { out in
                guard let sh = out.message(.serverHello) else { return [out] }
                var out = out
                var bytes = sh.bytes
                bytes[4 + 2 + 32] = 33  // legacy_session_id_echo<0..32>
                out.plaintext = bytes
                return [out]
            }
            relay.run()
            assertAlert(relay.client, .decodeError, "\(config.versions)")
        }
    }

    func testEncryptedExtensionsWithAWrongBlockLengthIsADecodeError() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            guard out.carries(.encryptedExtensions) else { return [out] }
            var out = out
            out.plaintext = handshake(.encryptedExtensions, [0x00, 0x05, 0x00, 0x00])
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .decodeError)
    }

    /// A certificate_list length of 16 MiB inside a small Certificate message: decode_error (RFC 8446 §6.2: "the
    /// length of the message was incorrect"), with no attempt to read 16 MiB.
    func testCertificateListClaimingMegabytesIsADecodeError() throws {
        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            guard out.from == .server, out.carries(.certificate) else { return [out] }
            var out = out
            out.plaintext = handshake(.certificate, [0xff, 0xff, 0xff, 0x00, 0x00, 0x01, 0x30])
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .decodeError)
    }

    // MARK: - Bytes after a message (decode_error)

    func testBytesAfterTheBodyOfAMessageAreADecodeError() throws {
        // ClientHello: two bytes after the extensions block, inside the handshake length.
        let server = try serverAnswer(to: Lab.client13()) { hello in
            handshake(.clientHello, Array(hello.message.dropFirst(4)) + [0x00, 0x00])
        }
        assertAlert(server, .decodeError, "ClientHello")

        // ServerHelloDone has an empty body (RFC 5246 §7.4.5).
        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            var out = out
            if out.carries(.serverHelloDone) { out.plaintext = handshake(.serverHelloDone, [0x00]) }
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .decodeError, "ServerHelloDone")

        // EncryptedExtensions with a byte after its extensions block.
        var relay13 = Relay(client: try Lab.client13(), server: try Lab.server())
        relay13.intercept = { out in
            var out = out
            if let ee = out.message(.encryptedExtensions) {
                out.plaintext = handshake(.encryptedExtensions, Array(ee.bytes.dropFirst(4)) + [0x00])
            }
            return [out]
        }
        relay13.run()
        assertAlert(relay13.client, .decodeError, "EncryptedExtensions")
    }

    /// RFC 8446 §4.4.4 / RFC 5246 §7.4.9: verify_data has a fixed length (Hash.length / 12 bytes). A Finished of
    /// another length is a message whose "length … was incorrect": decode_error, not a verification failure.
    func testFinishedOfTheWrongLengthIsADecodeError() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            for delta in [-1, 1] {
                var relay = Relay(client: config, server: try Lab.server())
                relay.intercept = { out in
                    guard out.from == .server, let fin = out.message(.finished) else { return [out] }
                    var out = out
                    let body = Array(fin.bytes.dropFirst(4))
                    out.plaintext = handshake(.finished, delta < 0 ? Array(body.dropLast()) : body + [0x00])
                    return [out]
                }
                relay.run()
                assertAlert(relay.client, .decodeError, "\(config.versions) Finished \(delta > 0 ? "+1" : "-1") byte")
            }
        }
    }

    // MARK: - Duplicate extensions (illegal_parameter)

    /// RFC 8446 §4.2: "There MUST NOT be more than one extension of the same type in a given extension block"
    /// (also RFC 5246 §7.4.1.4); TLSLab answers illegal_parameter, as OpenSSL does.
    func testDuplicateExtensionsAreIllegalParameters() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            let server = try serverAnswer(to: config) { hello in
                var copy = hello
                if let groups = hello.extensions.first(where: { $0.type == .supportedGroups }) {
                    copy.extensions.insert(groups, at: 0)
                }
                return copy.message
            }
            assertAlert(server, .illegalParameter, "ClientHello \(config.versions)")
        }

        var relay = Relay(client: try Lab.client12(), server: try Lab.server())
        relay.intercept = { out in
            guard let m = out.message(.serverHello), case .serverHello(var sh) = m.body, let first = sh.extensions.first
            else { return [out] }
            sh.extensions.append(first)
            var out = out
            out.plaintext = HandshakeMessage(.serverHello(sh)).bytes
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .illegalParameter, "ServerHello")

        var relay13 = Relay(client: try Lab.client13(), server: try Lab.server())
        relay13.intercept = { out in
            guard out.carries(.encryptedExtensions) else { return [out] }
            var out = out
            out.plaintext = HandshakeMessage(
                .encryptedExtensions(
                    EncryptedExtensions(extensions: [
                        Extension(type: .serverName, body: .serverNameAck), Extension(type: .serverName, body: .serverNameAck),
                    ]))
            ).bytes
            return [out]
        }
        relay13.run()
        assertAlert(relay13.client, .illegalParameter, "EncryptedExtensions")
    }

    // MARK: - Empty lists the RFCs forbid (decode_error)

    func testEmptyListsWhereTheRFCsForbidThemAreDecodeErrors() throws {
        let cases: [(String, ClientConfiguration, (ClientHello) -> ClientHello)] = [
            ("cipher_suites<2..2^16-2>", try Lab.client13(), { var h = $0; h.cipherSuites = []; return h }),
            ("legacy_compression_methods<1..2^8-1>", try Lab.client12(), { var h = $0; h.compressionMethods = []; return h }),
            ("named_group_list<2..2^16-1>", try Lab.client13(), { $0.replacing(.supportedGroups, data: [0, 0]) }),
            ("supported_signature_algorithms<2..2^16-2>", try Lab.client13(), { $0.replacing(.signatureAlgorithms, data: [0, 0]) }),
            ("supported_versions versions<2..254>", try Lab.client13(), { $0.replacing(.supportedVersions, data: [0]) }),
            ("psk_key_exchange_modes ke_modes<1..255>", try Lab.client13(), { $0.replacing(.pskKeyExchangeModes, data: [0]) }),
            ("server_name_list<1..2^16-1>", try Lab.client13(), { $0.replacing(.serverName, data: [0, 0]) }),
            ("protocol_name_list<2..2^16-1>", try Lab.client13(), { $0.replacing(.alpn, data: [0, 0]) }),
            ("ec_point_format_list<1..2^8-1>", try Lab.client12(), { $0.replacing(.ecPointFormats, data: [0]) }),
        ]
        for (name, config, edit) in cases {
            let server = try serverAnswer(to: config) { edit($0).message }
            assertAlert(server, .decodeError, name)
        }
    }

    /// client_shares<0..2^16-1> may be empty (RFC 8446 §4.2.8): the server asks for a share with a
    /// HelloRetryRequest instead of failing.
    func testEmptyKeyShareListIsAllowed() throws {
        let server = try serverAnswer(to: Lab.client13()) { $0.replacing(.keyShare, data: [0, 0]).message }
        assertNoAlert(server)
        let sent = sentRecords(server.events).flatMap(\.messages)
        guard case .serverHello(let hrr) = sent.first?.body else { return XCTFail("no HelloRetryRequest") }
        XCTAssertTrue(hrr.isHelloRetryRequest)
    }

    /// RFC 8446 §4.4.2.4: "If the server supplies an empty Certificate message, the client MUST abort the handshake
    /// with a decode_error alert." RFC 5246 names no alert for an empty server certificate_list; TLSLab applies the
    /// same rule.
    func testEmptyServerCertificateListIsADecodeError() throws {
        for config in [try Lab.client13(), try Lab.client12()] {
            var relay = Relay(client: config, server: try Lab.server())
            relay.intercept = { out in
                guard out.from == .server, out.carries(.certificate) else { return [out] }
                var out = out
                out.plaintext = config.versions == [.tls13]
                    ? HandshakeMessage(.certificate13(Certificate13(entries: []))).bytes
                    : HandshakeMessage(.certificate12(Certificate12(certificates: []))).bytes
                return [out]
            }
            relay.run()
            assertAlert(relay.client, .decodeError, "\(config.versions)")
        }
    }

    /// RFC 8446 §4.3.2: CertificateRequest extensions<2..2^16-1>, and "The signature_algorithms extension MUST be
    /// specified" — without it: missing_extension (RFC 8446 §6.2).
    func testCertificateRequestWithoutSignatureAlgorithms() throws {
        for (extensions, alert) in [
            ([Extension](), AlertDescription.decodeError),
            ([Extension(type: .serverName, body: .serverNameAck)], .missingExtension),
        ] {
            for credential in [nil, try Lab.credential("client")] {
                var relay = Relay(
                    client: try Lab.client13(credential: credential), server: try Lab.server(clientAuthentication: .request))
                relay.intercept = { out in
                    guard out.from == .server, out.carries(.certificateRequest) else { return [out] }
                    var out = out
                    out.plaintext = extensions.isEmpty
                        ? handshake(.certificateRequest, [0x00, 0x00, 0x00])
                        : HandshakeMessage(.certificateRequest13(CertificateRequest13(extensions: extensions))).bytes
                    return [out]
                }
                relay.run()
                assertAlert(relay.client, alert, "extensions \(extensions.map(\.type)), credential \(credential != nil)")
            }
        }
    }

    // MARK: - Messages out of order (unexpected_message, RFC 8446 §6.2, RFC 5246 §7.2.2)

    func testServerRejectsMessagesBeforeClientHello() throws {
        for message in [
            HandshakeMessage(.finished(Finished(verifyData: [UInt8](repeating: 1, count: 32)))).bytes,
            HandshakeMessage(.serverHelloDone).bytes,
            handshake(HandshakeType(rawValue: 99), [1, 2, 3]),
        ] {
            var server = Peer(server: try Lab.server())
            server.receive(record(.handshake, message))
            assertAlert(server, .unexpectedMessage, "msg_type \(message[0])")
        }
    }

    func testTLS12ClientRejectsMessagesOutOfOrder() throws {
        let cases: [(String, (Outgoing) -> [Outgoing])] = [
            ("ServerHelloDone before Certificate", { out in
                out.carries(.certificate) || out.carries(.serverKeyExchange) ? [] : [out]
            }),
            ("ServerKeyExchange before Certificate", { out in out.carries(.certificate) ? [] : [out] }),
            ("ServerKeyExchange twice", { out in out.carries(.serverKeyExchange) ? [out, out] : [out] }),
            ("a second ServerHello", { out in out.carries(.serverHello) ? [out, out] : [out] }),
        ]
        for (name, intercept) in cases {
            var relay = Relay(client: try Lab.client12(), server: try Lab.server())
            relay.intercept = { out in out.from == .server ? intercept(out) : [out] }
            relay.run()
            assertAlert(relay.client, .unexpectedMessage, name)
        }
    }

    func testTLS12ServerRejectsMessagesOutOfOrder() throws {
        let cases: [(String, (Outgoing) -> [Outgoing])] = [
            ("Finished before ClientKeyExchange", { out in out.carries(.clientKeyExchange) ? [] : [out] }),
            ("ClientKeyExchange twice", { out in out.carries(.clientKeyExchange) ? [out, out] : [out] }),
            ("a second ClientHello", { out in out.carries(.clientHello) ? [out, out] : [out] }),
            ("CertificateVerify without a certificate", { out in
                guard out.carries(.clientKeyExchange) else { return [out] }
                var cv = out
                cv.plaintext = HandshakeMessage(.certificateVerify(CertificateVerify(scheme: .rsa_pkcs1_sha256, signature: [1]))).bytes
                return [out, cv]
            }),
        ]
        for (name, intercept) in cases {
            var relay = Relay(client: try Lab.client12(), server: try Lab.server())
            relay.intercept = { out in out.from == .client ? intercept(out) : [out] }
            relay.run()
            assertAlert(relay.server, .unexpectedMessage, name)
        }
    }

    func testTLS13ClientRejectsMessagesOutOfOrder() throws {
        let cases: [(String, (Outgoing) -> [Outgoing])] = [
            ("Finished right after ServerHello", { out in
                out.carries(.encryptedExtensions) || out.carries(.certificate) || out.carries(.certificateVerify) ? [] : [out]
            }),
            ("Certificate before EncryptedExtensions", { out in out.carries(.encryptedExtensions) ? [] : [out] }),
            ("CertificateVerify before Certificate", { out in out.carries(.certificate) ? [] : [out] }),
            ("EncryptedExtensions twice", { out in out.carries(.encryptedExtensions) ? [out, out] : [out] }),
            ("ServerHelloDone in TLS 1.3", { out in
                guard out.carries(.certificate) else { return [out] }
                var done = out
                done.plaintext = HandshakeMessage(.serverHelloDone).bytes
                return [done]
            }),
        ]
        for (name, intercept) in cases {
            var relay = Relay(client: try Lab.client13(), server: try Lab.server())
            relay.intercept = { out in out.from == .server ? intercept(out) : [out] }
            relay.run()
            assertAlert(relay.client, .unexpectedMessage, name)
        }
    }

    func testTLS13ServerRejectsMessagesOutOfOrder() throws {
        let cases: [(String, (Outgoing) -> [Outgoing])] = [
            ("a Certificate nobody asked for", { out in
                guard out.carries(.finished) else { return [out] }
                var cert = out
                cert.plaintext = HandshakeMessage(.certificate13(Certificate13(entries: []))).bytes
                return [cert, out]
            }),
            ("EndOfEarlyData without early data", { out in
                guard out.carries(.finished) else { return [out] }
                var eoed = out
                eoed.plaintext = HandshakeMessage(.endOfEarlyData).bytes
                return [eoed, out]
            }),
            ("ClientKeyExchange in TLS 1.3", { out in
                guard out.carries(.finished) else { return [out] }
                var cke = out
                cke.plaintext = handshake(.clientKeyExchange, [0x01, 0x04])
                return [cke, out]
            }),
        ]
        for (name, intercept) in cases {
            var relay = Relay(client: try Lab.client13(), server: try Lab.server())
            relay.intercept = { out in out.from == .client ? intercept(out) : [out] }
            relay.run()
            assertAlert(relay.server, .unexpectedMessage, name)
        }
    }

    /// RFC 8446 §4.1.4: "If a client receives a second HelloRetryRequest in the same connection … it MUST abort the
    /// handshake with an unexpected_message alert."
    func testSecondHelloRetryRequestIsUnexpected() throws {
        var relay = Relay(client: try Lab.client13(keyShares: [.secp256r1]), server: try Lab.server(groups: [.x25519]))
        relay.intercept = { out in
            guard let m = out.message(.serverHello), case .serverHello(let sh) = m.body, sh.isHelloRetryRequest else {
                return [out]
            }
            return [out, out]
        }
        relay.run()
        assertAlert(relay.client, .unexpectedMessage)
    }

    /// RFC 8446 §4: after the handshake, a ClientHello (renegotiation does not exist in TLS 1.3) is unexpected.
    func testTLS13ClientHelloAfterTheHandshakeIsUnexpected() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.run()
        XCTAssertTrue(relay.server.completed)
        let hello = try realClientHello(Lab.client13()).message
        // Under the client's application keys (its second write keys), as a real client would have to send it.
        relay.send(Outgoing(from: .client, contentType: .handshake, plaintext: hello, epoch: 2))
        assertAlert(relay.server, .unexpectedMessage)
    }

    // MARK: - Point formats (RFC 8422 §5.1.2)

    /// "If the client sends the extension and the extension does not contain the uncompressed point format, and the
    /// client has used the Supported Groups extension to indicate support for any of the curves defined in this
    /// specification, then the server MUST abort the handshake and return an illegal_parameter alert."
    func testTLS12ClientHelloWithoutUncompressedPointFormatIsIllegal() throws {
        let server = try serverAnswer(to: Lab.client12()) { $0.replacing(.ecPointFormats, data: [1, 1]).message }
        assertAlert(server, .illegalParameter)

        let rsaOnly = try serverAnswer(to: Lab.client12(suites: [.TLS_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256])) {
            $0.replacing(.ecPointFormats, data: [2, 1, 2]).message
        }
        assertAlert(rsaOnly, .illegalParameter, "the rule holds whatever suite the server would pick")
    }

    func testTLS12PointFormatsWithUncompressedOrNoneAreAccepted() throws {
        for data: [UInt8]? in [[2, 1, 0], [1, 0], nil] {
            let server = try serverAnswer(to: Lab.client12()) { hello in
                (data.map { hello.replacing(.ecPointFormats, data: $0) } ?? hello.removing(.ecPointFormats)).message
            }
            assertNoAlert(server, "ec_point_formats \(String(describing: data))")
            XCTAssertTrue(sentRecords(server.events).flatMap(\.messages).contains { $0.type == .serverHelloDone })
        }
    }

    /// TLS 1.3 does not use ec_point_formats (RFC 8446 §4.2.7 replaces the negotiation): a TLS 1.3 ClientHello that
    /// also offers TLS 1.2 with an odd list still gets TLS 1.3.
    func testTLS13IgnoresPointFormats() throws {
        var config = try Lab.client13()
        config.versions = [.tls13, .tls12]
        config.cipherSuites = [.TLS_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
        let server = try serverAnswer(to: config) { $0.replacing(.ecPointFormats, data: [1, 1]).message }
        assertNoAlert(server)
        let hello = sentRecords(server.events).flatMap(\.messages).compactMap { m -> ServerHello? in
            if case .serverHello(let sh) = m.body { return sh }
            return nil
        }.first
        XCTAssertEqual(hello?.extensions.body(of: .supportedVersions), .selectedVersion(.tls13))
    }

    // MARK: - Invalid key shares (illegal_parameter, RFC 8446 §4.2.8.2, RFC 8422 §5.11, RFC 7748 §6.1)

    static let lowOrderX25519 = [UInt8](repeating: 0, count: 32)
    /// 04 ‖ X ‖ Y with X = Y = 1: not on P-256.
    static let offCurveP256: [UInt8] = [0x04] + [UInt8](repeating: 0, count: 31) + [1] + [UInt8](repeating: 0, count: 31) + [1]

    func testTLS13ServerRejectsInvalidKeyShares() throws {
        let cases: [(String, NamedGroup, [UInt8])] = [
            ("x25519, 31 bytes", .x25519, [UInt8](repeating: 9, count: 31)),
            ("x25519, 33 bytes", .x25519, [UInt8](repeating: 9, count: 33)),
            ("x25519, low-order point (all-zero shared secret)", .x25519, Self.lowOrderX25519),
            ("P-256, not on the curve", .secp256r1, Self.offCurveP256),
            ("P-256, compressed form", .secp256r1, [0x02] + [UInt8](repeating: 7, count: 32)),
        ]
        for (name, group, key) in cases {
            let config = try Lab.client13(groups: [group])
            let server = try serverAnswer(to: config) { hello in
                var w = ByteWriter()
                w.vector(lengthSize: 2) { w in
                    w.u16(group.rawValue)
                    w.opaque(key, lengthSize: 2)
                }
                return hello.replacing(.keyShare, data: w.bytes).message
            }
            assertAlert(server, .illegalParameter, name)
        }
    }

    func testTLS13ClientRejectsAnInvalidServerKeyShare() throws {
        for (group, key) in [(NamedGroup.x25519, Self.lowOrderX25519), (.secp256r1, Self.offCurveP256)] {
            var relay = Relay(client: try Lab.client13(groups: [group]), server: try Lab.server())
            relay.intercept = { out in
                guard let m = out.message(.serverHello), case .serverHello(var sh) = m.body,
                    let i = sh.extensions.firstIndex(where: { $0.type == .keyShare })
                else { return [out] }
                sh.extensions[i] = Extension(type: .keyShare, body: .keyShare(KeyShareEntry(group: group, keyExchange: key)))
                var out = out
                out.plaintext = HandshakeMessage(.serverHello(sh)).bytes
                return [out]
            }
            relay.run()
            assertAlert(relay.client, .illegalParameter, "\(group)")
        }
    }

    func testTLS12ServerRejectsAnInvalidClientKeyExchange() throws {
        for (group, key) in [(NamedGroup.x25519, Self.lowOrderX25519), (.secp256r1, Self.offCurveP256), (.x25519, [1, 2, 3])] {
            var relay = Relay(client: try Lab.client12(groups: [group]), server: try Lab.server())
            relay.intercept = { out in
                guard out.carries(.clientKeyExchange) else { return [out] }
                var out = out
                out.plaintext = HandshakeMessage(.clientKeyExchange(.ecdhe(publicKey: key))).bytes
                return [out]
            }
            relay.run()
            assertAlert(relay.server, .illegalParameter, "\(group) \(key.count) bytes")
        }
    }

    /// The client checks the ServerKeyExchange signature first (it covers the point); with a correctly signed
    /// invalid point, the key agreement fails: illegal_parameter.
    func testTLS12ClientRejectsAnInvalidServerKeyExchangePoint() throws {
        let serverKey = try Lab.credential("server-rsa").privateKey
        for (group, key) in [(NamedGroup.x25519, Self.lowOrderX25519), (.secp256r1, Self.offCurveP256)] {
            var relay = Relay(client: try Lab.client12(groups: [group]), server: try Lab.server())
            var clientRandom: [UInt8] = []
            var serverRandom: [UInt8] = []
            relay.intercept = { out in
                if let m = out.message(.clientHello), case .clientHello(let ch) = m.body { clientRandom = ch.random }
                if let m = out.message(.serverHello), case .serverHello(let sh) = m.body { serverRandom = sh.random }
                guard let m = out.message(.serverKeyExchange), case .serverKeyExchange(var ske) = m.body else { return [out] }
                ske.group = group
                ske.publicKey = key
                guard let signature = try? serverKey.sign(clientRandom + serverRandom + ske.paramsBytes, scheme: ske.scheme)
                else { return [out] }
                ske.signature = signature
                var out = out
                out.plaintext = HandshakeMessage(.serverKeyExchange(ske)).bytes
                return [out]
            }
            relay.run()
            assertAlert(relay.client, .illegalParameter, "\(group)")
        }
    }

    // MARK: - Bad signatures (decrypt_error, RFC 8446 §4.4.3, RFC 5246 §7.4.3, §7.4.8)

    func flipLastSignatureBit(_ out: Outgoing, _ type: HandshakeType) -> Outgoing {
        guard let m = out.message(type) else { return out }
        var out = out
        switch m.body {
        case .serverKeyExchange(var ske):
            ske.signature[ske.signature.count - 1] ^= 1
            out.plaintext = HandshakeMessage(.serverKeyExchange(ske)).bytes
        case .certificateVerify(var cv):
            cv.signature[cv.signature.count - 1] ^= 1
            out.plaintext = HandshakeMessage(.certificateVerify(cv)).bytes
        default:
            break
        }
        return out
    }

    func testBadServerSignaturesAreDecryptErrors() throws {
        var relay12 = Relay(client: try Lab.client12(), server: try Lab.server())
        relay12.intercept = { [self] out in [flipLastSignatureBit(out, .serverKeyExchange)] }
        relay12.run()
        assertAlert(relay12.client, .decryptError, "TLS 1.2 ServerKeyExchange")

        var relay13 = Relay(client: try Lab.client13(), server: try Lab.server())
        relay13.intercept = { [self] out in [out.from == .server ? flipLastSignatureBit(out, .certificateVerify) : out] }
        relay13.run()
        assertAlert(relay13.client, .decryptError, "TLS 1.3 CertificateVerify")
    }

    func testBadClientSignaturesAreDecryptErrors() throws {
        for config in [try Lab.client13(credential: Lab.credential("client")), try Lab.client12(credential: Lab.credential("client"))] {
            var relay = Relay(client: config, server: try Lab.server(clientAuthentication: .require))
            relay.intercept = { [self] out in [out.from == .client ? flipLastSignatureBit(out, .certificateVerify) : out] }
            relay.run()
            assertAlert(relay.server, .decryptError, "\(config.versions) client CertificateVerify")
        }
    }

    /// RFC 8446 §4.4.3: a scheme the receiver did not offer (here RSA PKCS#1 v1.5, which TLS 1.3 forbids in
    /// CertificateVerify) is illegal_parameter, before any signature check.
    func testTLS13CertificateVerifyWithAForbiddenSchemeIsIllegal() throws {
        var relay = Relay(client: try Lab.client13(), server: try Lab.server())
        relay.intercept = { out in
            guard out.from == .server, let m = out.message(.certificateVerify), case .certificateVerify(var cv) = m.body
            else { return [out] }
            cv.scheme = .rsa_pkcs1_sha256
            var out = out
            out.plaintext = HandshakeMessage(.certificateVerify(cv)).bytes
            return [out]
        }
        relay.run()
        assertAlert(relay.client, .illegalParameter)
    }

    // MARK: - Finished off by one bit (decrypt_error, RFC 8446 §4.4.4, RFC 5246 §7.4.9)

    func testFinishedOffByOneBitIsADecryptError() throws {
        for config in [try Lab.client13(), try Lab.client12(), try Lab.client12(suites: [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA])] {
            for side in [Side.client, .server] {
                var relay = Relay(client: config, server: try Lab.server())
                relay.intercept = { out in
                    guard out.from == side, let fin = out.message(.finished) else { return [out] }
                    var out = out
                    var bytes = fin.bytes
                    bytes[bytes.count - 1] ^= 0x01
                    out.plaintext = bytes
                    return [out]
                }
                relay.run()
                let receiver = side == .client ? relay.server : relay.client
                assertAlert(receiver, .decryptError, "\(config.versions) \(config.cipherSuites) \(side)'s Finished")
            }
        }
    }
}
