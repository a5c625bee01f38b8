import Foundation
import TLSCrypto
import TLSHandshake
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// ClientHellos like browsers send them, built by hand: GREASE values (RFC 8701) in every list, extensions
/// TLSLab does not know, groups and suites it does not implement, several key shares with a post-quantum
/// hybrid one first (X25519MLKEM768, 1216 bytes). RFC 8446 §4.1.2 / §4.2: a server ignores what it does not
/// recognize and picks among what it supports.
final class RealWorldClientHelloTests: XCTestCase {
    static func grease(_ i: UInt16) -> UInt16 { 0x0a0a + 0x1010 * i }

    /// A Chrome-like ClientHello whose only share TLSLab can use is x25519 (last of three).
    static func browserHello(x25519 pair: EphemeralKeyPair, pqShare: Bool = true, x25519Share: Bool = true) -> ClientHello {
        var random = RandomSource(seed: 42, stream: "browser")
        var shares = [KeyShareEntry(group: NamedGroup(rawValue: grease(2)), keyExchange: [0x00])]
        if pqShare { shares.append(KeyShareEntry(group: .X25519MLKEM768, keyExchange: random.bytes(1216, label: "mlkem"))) }
        if x25519Share { shares.append(KeyShareEntry(group: .x25519, keyExchange: pair.publicKey)) }
        func opaque(_ type: UInt16, _ data: [UInt8]) -> Extension {
            Extension(type: ExtensionType(rawValue: type), body: .opaque(data))
        }
        return ClientHello(
            legacyVersion: .tls12, random: random.bytes(32, label: "random"),
            sessionID: random.bytes(32, label: "session_id"),
            cipherSuites: [
                CipherSuite(rawValue: grease(0)), .TLS_AES_128_GCM_SHA256, .TLS_AES_256_GCM_SHA384,
                .TLS_CHACHA20_POLY1305_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, CipherSuite(rawValue: 0x1304),  // TLS_AES_128_CCM_SHA256
            ],
            extensions: [
                opaque(grease(1), []),
                Extension(type: .serverName, body: .serverName(["www.example.com"])),
                Extension(type: .extendedMasterSecret, body: .extendedMasterSecret),
                Extension(type: .renegotiationInfo, body: .renegotiationInfo([])),
                Extension(
                    type: .supportedGroups,
                    body: .supportedGroups([NamedGroup(rawValue: grease(2)), .X25519MLKEM768, .x25519, .secp256r1, .secp384r1])),
                Extension(type: .ecPointFormats, body: .ecPointFormats([.uncompressed])),
                Extension(type: .sessionTicket, body: .sessionTicket([])),
                Extension(type: .alpn, body: .alpn(["h2", "http/1.1"])),
                opaque(5, [0x01, 0x00, 0x00, 0x00, 0x00]),  // status_request (OCSP)
                Extension(
                    type: .signatureAlgorithms,
                    body: .signatureAlgorithms([
                        .ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .rsa_pkcs1_sha256, .ecdsa_secp384r1_sha384,
                        .rsa_pss_rsae_sha384, .rsa_pkcs1_sha384, .rsa_pss_rsae_sha512, .rsa_pkcs1_sha512,
                    ])),
                opaque(18, []),  // signed_certificate_timestamp
                Extension(type: .keyShare, body: .keyShares(shares)),
                Extension(type: .pskKeyExchangeModes, body: .pskKeyExchangeModes([.pskDHEKE])),
                Extension(
                    type: .supportedVersions, body: .supportedVersions([ProtocolVersion(rawValue: grease(3)), .tls13, .tls12])),
                opaque(27, [0x02, 0x00, 0x02]),  // compress_certificate: brotli
                opaque(17513, [0x00, 0x03, 0x02, 0x68, 0x32]),  // application_settings (ALPS)
                opaque(0xfe0d, random.bytes(200, label: "ech")),  // encrypted_client_hello (GREASE ECH)
                opaque(grease(4), [0x00]),
                Extension(type: .padding, body: .padding(64)),
            ])
    }

    static func x25519Pair() throws -> EphemeralKeyPair {
        var random = RandomSource(seed: 42, stream: "browser-key")
        return try EphemeralKeyPair(group: .x25519, privateKey: random.bytes(32, label: "x25519"))
    }

    func testABrowserLikeClientHelloCompletesOnX25519() async throws {
        let pair = try Self.x25519Pair()
        let hello = Self.browserHello(x25519: pair)
        // The encoded hello really carries what the test claims (GREASE, the 1216-byte hybrid share, ECH).
        let bytes = HandshakeMessage(.clientHello(hello)).bytes
        let (decoded, _) = try HandshakeMessage.decode(bytes, context: DecodeContext())
        guard case .clientHello(let back) = decoded.body else { return XCTFail("not a ClientHello") }
        XCTAssertEqual(back, hello)
        XCTAssertGreaterThan(bytes.count, 1500)

        var relay = try ServerOnlyRelay(scenario("tls13"))
        relay.replay = (hello, [pair])
        let t = await relay.run()
        XCTAssertEqual(t.outcome.status, .completed, t.outcome.reason ?? "")
        XCTAssertEqual(t.negotiated?.group, "x25519")
        XCTAssertEqual(t.negotiated?.cipherSuite, "TLS_AES_128_GCM_SHA256")
        // The server echoed the session id (middlebox compatibility) and answered SNI, nothing it did not know.
        let serverHello = try XCTUnwrap(t.messages.first { $0.name == "ServerHello" })
        guard case .serverHello(let sh) = try HandshakeMessage.decode(serverHello.bytes, context: DecodeContext(version: .tls13)).0.body
        else { return XCTFail("not a ServerHello") }
        XCTAssertEqual(sh.sessionID, hello.sessionID)
        XCTAssertEqual(Set(sh.extensions.map(\.type)), [.supportedVersions, .keyShare])
        // The server's reasoning is recorded: the client random it saw is the hello's.
        XCTAssertEqual(t.secrets.first { $0.name == "client_random" }?.hex, hello.random.hex)
    }

    func testTheServerDoesNotPickAGroupItCannotComputeWhenOnlyThePostQuantumShareIsSent() throws {
        let pair = try Self.x25519Pair()
        let hello = Self.browserHello(x25519: pair, pqShare: true, x25519Share: false)
        let setup = try ScenarioSetup(scenario("tls13"))
        var server = Connection(server: setup.server, random: RandomSource(seed: 1, stream: "server"))
        let record = TLSRecord(contentType: .handshake, legacyVersion: .tls10, fragment: HandshakeMessage(.clientHello(hello)).bytes)
        let events = server.receive(record.bytes)
        var sentHello: ServerHello?
        var alert: (Alert, String)?
        for event in events {
            switch event {
            case .record(let r) where r.direction == .sent:
                for m in r.messages { if case .serverHello(let sh) = m.body { sentHello = sh } }
            case .alertSent(let a, let reason): alert = (a, reason)
            default: break
            }
        }
        if let sentHello {
            // With HelloRetryRequest (being added in parallel): it must ask for x25519, never the hybrid group.
            XCTAssertTrue(sentHello.isHelloRetryRequest, "a full ServerHello without a usable share")
            XCTAssertEqual(sentHello.extensions.body(of: .keyShare), .keyShareRequest(.x25519))
        } else {
            let (a, reason) = try XCTUnwrap(alert)
            XCTAssertEqual(a.description_, .handshakeFailure)
            XCTAssertTrue(reason.contains("x25519"), reason)
        }
    }

    func testOnlyUnknownGroupsAndSuitesGetAClearHandshakeFailure() throws {
        var hello = Self.browserHello(x25519: try Self.x25519Pair(), pqShare: true, x25519Share: false)
        hello.cipherSuites = [CipherSuite(rawValue: Self.grease(0)), CipherSuite(rawValue: 0x1304)]
        let setup = try ScenarioSetup(scenario("tls13"))
        var server = Connection(server: setup.server, random: RandomSource(seed: 1, stream: "server"))
        let events = server.receive(
            TLSRecord(contentType: .handshake, fragment: HandshakeMessage(.clientHello(hello)).bytes).bytes)
        let reasons = events.compactMap { if case .alertSent(let a, let r) = $0 { return (a, r) } else { return nil } }
        XCTAssertEqual(reasons.first?.0.description_, .handshakeFailure)
        // The reason lists what the client offered, GREASE marked as such, and what the server accepts.
        XCTAssertTrue(reasons.first?.1.contains("no cipher suite in common") ?? false, reasons.first?.1 ?? "")
        XCTAssertTrue(reasons.first?.1.contains("TLS_AES_128_GCM_SHA256") ?? false, reasons.first?.1 ?? "")
    }
}
