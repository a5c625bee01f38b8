import XCTest

@testable import TLSWire

/// Real OpenSSL 3.0 handshakes (see OpenSSLCaptures.swift for how they were captured): every message decodes with
/// the negotiated context, re-encodes byte for byte, and holds what OpenSSL printed about it.
final class OpenSSLCaptureTests: XCTestCase {
    func decodeAll(_ messages: [CapturedMessage], _ context: DecodeContext) throws -> [String: HandshakeBody] {
        var out: [String: HandshakeBody] = [:]
        for m in messages {
            let (message, tree) = try decodeOK(m.bytes, context)
            XCTAssertEqual(message.body.encoded(), m.bytes, "\(m.name) re-encodes identically")
            XCTAssertEqual(message.body.displayName.replacingOccurrences(of: "HelloRetryRequest", with: "ServerHello"), m.name)
            XCTAssertEqual(tree.length, m.bytes.count)
            // Keep the first of each name (ClientHello1 / the HelloRetryRequest) unless it is a second one.
            out[out[m.name] == nil ? m.name : m.name + "2"] = message.body
        }
        return out
    }

    func testTLS12ECDHEFlight() throws {
        let bodies = try decodeAll(OpenSSLCaptures.tls12ECDHEMessages, Corpus.tls12ECDHE)
        XCTAssertEqual(
            Set(bodies.keys),
            ["ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange",
             "Finished", "Finished2", "NewSessionTicket"])
        guard case .clientHello(let ch) = bodies["ClientHello"] else { return XCTFail("ClientHello") }
        XCTAssertEqual(ch.cipherSuites, [.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_EMPTY_RENEGOTIATION_INFO_SCSV])
        XCTAssertEqual(ch.extensions.body(of: .serverName), .serverName(["tlslab.test"]))
        XCTAssertEqual(ch.extensions.body(of: .extendedMasterSecret), .extendedMasterSecret)
        XCTAssertEqual(ch.extensions.body(of: .encryptThenMAC), .encryptThenMAC)
        XCTAssertEqual(ch.extensions.body(of: .sessionTicket), .sessionTicket([]))
        XCTAssertEqual(ch.extensions.body(of: .ecPointFormats), .ecPointFormats([.uncompressed, ECPointFormat(rawValue: 1), ECPointFormat(rawValue: 2)]))

        guard case .serverHello(let sh) = bodies["ServerHello"] else { return XCTFail("ServerHello") }
        XCTAssertEqual(sh.legacyVersion, .tls12)
        XCTAssertEqual(sh.cipherSuite, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256)
        XCTAssertEqual(sh.extensions.body(of: .renegotiationInfo), .renegotiationInfo([]))
        XCTAssertEqual(sh.extensions.body(of: .extendedMasterSecret), .extendedMasterSecret)

        guard case .certificate12(let cert) = bodies["Certificate"] else { return XCTFail("Certificate (1.2 form)") }
        XCTAssertEqual(cert.certificates.count, 1)
        XCTAssertEqual(cert.certificates[0].count, 0x311)
        XCTAssertEqual(Array(cert.certificates[0].prefix(2)), [0x30, 0x82])

        guard case .serverKeyExchange(let ske) = bodies["ServerKeyExchange"] else { return XCTFail("ServerKeyExchange") }
        XCTAssertEqual(ske.curveType, .namedCurve)
        XCTAssertEqual(ske.group, .x25519)
        XCTAssertEqual(ske.publicKey.count, 32)
        XCTAssertEqual(ske.scheme, .rsa_pss_rsae_sha256)
        XCTAssertEqual(ske.signature.count, 256)
        XCTAssertEqual(bodies["ServerHelloDone"], .serverHelloDone)

        guard case .clientKeyExchange(.ecdhe(let point)) = bodies["ClientKeyExchange"] else { return XCTFail("CKE") }
        XCTAssertEqual(point.count, 32)
        guard case .finished(let fin) = bodies["Finished"] else { return XCTFail("Finished") }
        XCTAssertEqual(fin.verifyData.count, 12, "TLS 1.2 verify_data is 12 bytes")
        guard case .newSessionTicket12(let nst) = bodies["NewSessionTicket"] else { return XCTFail("NST (1.2 form)") }
        XCTAssertEqual(nst.lifetimeHint, 7200)
        XCTAssertEqual(nst.ticket.count, 176)
    }

    func testTLS12RSAFlight() throws {
        let bodies = try decodeAll(OpenSSLCaptures.tls12RSAMessages, Corpus.tls12RSA)
        guard case .serverHello(let sh) = bodies["ServerHello"] else { return XCTFail("ServerHello") }
        XCTAssertEqual(sh.cipherSuite, .TLS_RSA_WITH_AES_128_CBC_SHA256)
        XCTAssertEqual(sh.extensions.body(of: .encryptThenMAC), .encryptThenMAC, "OpenSSL accepts EtM for a CBC suite")
        guard case .clientKeyExchange(.rsa(let encrypted)) = bodies["ClientKeyExchange"] else { return XCTFail("CKE") }
        XCTAssertEqual(encrypted.count, 256, "RSA-2048 ciphertext")
        XCTAssertNil(bodies["ServerKeyExchange"], "no ServerKeyExchange with RSA key exchange")
    }

    /// Without a context the decoder guesses the ClientKeyExchange form from the bytes.
    func testClientKeyExchangeGuess() throws {
        for (messages, expectECDHE) in [(OpenSSLCaptures.tls12ECDHEMessages, true), (OpenSSLCaptures.tls12RSAMessages, false)] {
            let cke = try XCTUnwrap(messages.first { $0.name == "ClientKeyExchange" })
            let (message, _) = try decodeOK(cke.bytes, DecodeContext())
            if case .clientKeyExchange(.ecdhe) = message.body { XCTAssertTrue(expectECDHE) } else { XCTAssertFalse(expectECDHE) }
            // And the 1.2 Certificate / NewSessionTicket guesses pick the 1.2 forms.
            for name in ["Certificate", "NewSessionTicket"] {
                let m = try XCTUnwrap(messages.first { $0.name == name })
                let (guessed, _) = try decodeOK(m.bytes, DecodeContext())
                let (known, _) = try decodeOK(m.bytes, Corpus.tls12ECDHE)
                XCTAssertEqual(guessed.body, known.body, name)
            }
        }
    }

    func testTLS13HelloRetryRequestFlight() throws {
        let messages = OpenSSLCaptures.tls13HRRMessages
        let (hrr, hrrTree) = try decodeOK(messages[1].bytes, Corpus.tls13)
        guard case .serverHello(let sh) = hrr.body else { return XCTFail("HRR") }
        XCTAssertTrue(sh.isHelloRetryRequest)
        XCTAssertEqual(hrr.body.displayName, "HelloRetryRequest")
        XCTAssertEqual(hrrTree.key, "hello_retry_request")
        XCTAssertEqual(hrrTree.name, "HelloRetryRequest")
        XCTAssertNotNil(hrrTree.first(key: "hello_retry_request.random"))
        XCTAssertEqual(sh.extensions.body(of: .keyShare), .keyShareRequest(.secp256r1))
        XCTAssertEqual(sh.extensions.body(of: .supportedVersions), .selectedVersion(.tls13))
        XCTAssertEqual(hrrTree.first(key: "ext.key_share.selected_group")?.value, "secp256r1 (0x0017)")

        let (ch2, _) = try decodeOK(messages[2].bytes, Corpus.tls13)
        guard case .clientHello(let hello2) = ch2.body, case .keyShares(let shares) = hello2.extensions.body(of: .keyShare)
        else { return XCTFail("ClientHello2") }
        XCTAssertEqual(shares.map(\.group), [.secp256r1])
        XCTAssertEqual(shares.first?.keyExchange.count, 65)

        let bodies = try decodeAll(messages, Corpus.tls13)
        guard case .certificate13(let cert) = bodies["Certificate"] else { return XCTFail("Certificate (1.3 form)") }
        XCTAssertEqual(cert.entries.count, 1)
        guard case .certificateVerify(let cv) = bodies["CertificateVerify"] else { return XCTFail("CV") }
        XCTAssertEqual(cv.scheme, .rsa_pss_rsae_sha256)
        guard case .finished(let fin) = bodies["Finished"] else { return XCTFail("Finished") }
        XCTAssertEqual(fin.verifyData.count, 48, "TLS_AES_256_GCM_SHA384: SHA-384 verify_data")
    }

    /// The messages the dissector finds in the plaintext part of the wire streams are the ones OpenSSL printed.
    func testWireStreamsCarryThePrintedMessages() throws {
        let cases: [([WireChunk], [CapturedMessage])] = [
            (OpenSSLCaptures.tls12ECDHEWire, OpenSSLCaptures.tls12ECDHEMessages),
            (OpenSSLCaptures.tls12RSAWire, OpenSSLCaptures.tls12RSAMessages),
            (OpenSSLCaptures.tls13HRRWire, OpenSSLCaptures.tls13HRRMessages),
        ]
        for (wire, printed) in cases {
            let input = wire.flatMap(\.bytes)
            let dissection = Dissector.dissect(input)
            XCTAssertNil(dissection.error, "\(dissection.error.map(String.init(describing:)) ?? "")")
            let found = dissection.messages.map { item in Array(input[item.fields.range]) }
            // Every plaintext message on the wire is one OpenSSL printed, in order.
            let printedBytes = printed.map(\.bytes)
            var cursor = 0
            for message in found {
                guard let i = printedBytes[cursor...].firstIndex(of: message) else {
                    return XCTFail("a message on the wire was not printed by OpenSSL")
                }
                cursor = i + 1
            }
            XCTAssertGreaterThanOrEqual(found.count, 4)
        }
    }
}
