import XCTest

@testable import TLSWire

/// RFC 8448 §3 "Simple 1-RTT Handshake" (and the §4 resumed ClientHello): every message decodes with the TLS 1.3
/// context, re-encodes to the very same bytes, and holds the values the RFC's trace shows.
final class RFC8448Tests: XCTestCase {
    func testTranscriptionMatchesStatedSizes() {
        XCTAssertEqual(RFC8448.clientHello.count, RFC8448.clientHelloSize)
        XCTAssertEqual(RFC8448.clientHelloRecord.count, RFC8448.clientHelloRecordSize)
        XCTAssertEqual(RFC8448.serverHello.count, RFC8448.serverHelloSize)
        XCTAssertEqual(RFC8448.serverHelloRecord.count, RFC8448.serverHelloRecordSize)
        XCTAssertEqual(RFC8448.encryptedExtensions.count, RFC8448.encryptedExtensionsSize)
        XCTAssertEqual(RFC8448.certificate.count, RFC8448.certificateSize)
        XCTAssertEqual(RFC8448.certificateVerify.count, RFC8448.certificateVerifySize)
        XCTAssertEqual(RFC8448.serverFinished.count, RFC8448.serverFinishedSize)
        XCTAssertEqual(RFC8448.clientFinished.count, RFC8448.clientFinishedSize)
        XCTAssertEqual(RFC8448.newSessionTicket.count, RFC8448.newSessionTicketSize)
        XCTAssertEqual(RFC8448.resumedClientHello.count, RFC8448.resumedClientHelloSize)
        // The records are header + the same payload.
        XCTAssertEqual(Array(RFC8448.clientHelloRecord.dropFirst(5)), RFC8448.clientHello)
        XCTAssertEqual(Array(RFC8448.serverHelloRecord.dropFirst(5)), RFC8448.serverHello)
    }

    /// The transcript hashes the RFC prints pin the transcription down byte for byte.
    func testTranscriptionMatchesTheRFCsTranscriptHashes() {
        XCTAssertEqual(TestSHA256.hash([UInt8]("abc".utf8)).hex,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")  // FIPS 180-2 example
        let hello = RFC8448.clientHello + RFC8448.serverHello
        XCTAssertEqual(TestSHA256.hash(hello), RFC8448.hashHello)
        let toServerFinished =
            hello + RFC8448.encryptedExtensions + RFC8448.certificate + RFC8448.certificateVerify + RFC8448.serverFinished
        XCTAssertEqual(TestSHA256.hash(toServerFinished), RFC8448.hashServerFinished)
        XCTAssertEqual(TestSHA256.hash(toServerFinished + RFC8448.clientFinished), RFC8448.hashClientFinished)
    }

    func testEveryMessageRoundTripsByteForByte() throws {
        let messages = [
            RFC8448.clientHello, RFC8448.serverHello, RFC8448.encryptedExtensions, RFC8448.certificate,
            RFC8448.certificateVerify, RFC8448.serverFinished, RFC8448.clientFinished, RFC8448.newSessionTicket,
            RFC8448.resumedClientHello,
        ]
        for bytes in messages {
            let (message, tree) = try decodeOK(bytes, Corpus.tls13)
            XCTAssertEqual(message.bytes, bytes, "decode keeps the original bytes")
            XCTAssertEqual(message.body.encoded(), bytes, "\(message.body.displayName) re-encodes identically")
            XCTAssertEqual(HandshakeMessage(message.body).bytes, bytes)
            XCTAssertEqual(tree.offset, 0)
            XCTAssertEqual(tree.length, bytes.count)
        }
    }

    func testClientHelloValues() throws {
        let (message, tree) = try decodeOK(RFC8448.clientHello, Corpus.tls13)
        guard case .clientHello(let ch) = message.body else { return XCTFail("not a ClientHello") }
        XCTAssertEqual(ch.legacyVersion, .tls12)
        XCTAssertEqual(ch.random.hex, "cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7")
        XCTAssertEqual(ch.sessionID, [])
        XCTAssertEqual(ch.cipherSuites, [.TLS_AES_128_GCM_SHA256, .TLS_CHACHA20_POLY1305_SHA256, .TLS_AES_256_GCM_SHA384])
        XCTAssertEqual(ch.compressionMethods, [.null])
        XCTAssertEqual(
            ch.extensions.map(\.type),
            [.serverName, .renegotiationInfo, .supportedGroups, .sessionTicket, .keyShare, .supportedVersions,
             .signatureAlgorithms, .pskKeyExchangeModes, .recordSizeLimit])
        XCTAssertEqual(ch.extensions.body(of: .serverName), .serverName(["server"]))
        XCTAssertEqual(ch.extensions.body(of: .renegotiationInfo), .renegotiationInfo([]))
        XCTAssertEqual(
            ch.extensions.body(of: .supportedGroups),
            .supportedGroups([.x25519, .secp256r1, .secp384r1, .secp521r1, .ffdhe2048, NamedGroup(rawValue: 0x0101),
                              NamedGroup(rawValue: 0x0102), NamedGroup(rawValue: 0x0103), NamedGroup(rawValue: 0x0104)]))
        XCTAssertEqual(ch.extensions.body(of: .sessionTicket), .sessionTicket([]))
        XCTAssertEqual(
            ch.extensions.body(of: .keyShare),
            .keyShares([
                KeyShareEntry(
                    group: .x25519,
                    keyExchange: [UInt8](hex: "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c")!)
            ]))
        XCTAssertEqual(ch.extensions.body(of: .supportedVersions), .supportedVersions([.tls13]))
        XCTAssertEqual(ch.extensions.body(of: .pskKeyExchangeModes), .pskKeyExchangeModes([.pskDHEKE]))
        XCTAssertEqual(ch.extensions.body(of: .recordSizeLimit), .recordSizeLimit(0x4001))
        guard case .signatureAlgorithms(let schemes) = ch.extensions.body(of: .signatureAlgorithms) else {
            return XCTFail("signature_algorithms not decoded")
        }
        XCTAssertEqual(schemes.count, 15)
        XCTAssertEqual(schemes.first, .ecdsa_secp256r1_sha256)

        // Field tree: names, values, offsets.
        XCTAssertEqual(tree.key, "client_hello")
        XCTAssertEqual(tree.name, "ClientHello")
        XCTAssertEqual(tree.children.map(\.key).prefix(2), ["handshake.msg_type", "handshake.length"])
        XCTAssertEqual(tree.first(key: "handshake.length")?.value, "192 bytes")
        let random = try XCTUnwrap(tree.first(key: "client_hello.random"))
        XCTAssertEqual(random.offset, 6)
        XCTAssertEqual(random.length, 32)
        XCTAssertEqual(random.value, ch.random.hex)
        let suites = try XCTUnwrap(tree.first(key: "client_hello.cipher_suites"))
        XCTAssertEqual(suites.children.map(\.value), [
            "TLS_AES_128_GCM_SHA256 (0x1301)", "TLS_CHACHA20_POLY1305_SHA256 (0x1303)", "TLS_AES_256_GCM_SHA384 (0x1302)",
        ])
        XCTAssertEqual(suites.children.first?.key, "client_hello.cipher_suite")
        let sni = try XCTUnwrap(tree.first(key: "ext.server_name"))
        XCTAssertEqual(sni.name, "server_name")
        XCTAssertEqual(sni.value, "server")
        XCTAssertEqual(sni.first(key: "ext.server_name.host_name")?.value, "server")
        let groups = try XCTUnwrap(tree.first(key: "ext.supported_groups"))
        XCTAssertTrue(groups.value.hasPrefix("x25519, secp256r1, secp384r1"), groups.value)
        let keyShare = try XCTUnwrap(tree.first(key: "ext.key_share.key_exchange"))
        XCTAssertEqual(
            Array(RFC8448.clientHello[keyShare.offset..<(keyShare.offset + keyShare.length)]),
            [0x00, 0x20] + [UInt8](hex: "99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c")!,
            "the key_exchange node covers its length prefix and the key")
        XCTAssertEqual(tree.first(key: "ext.key_share.group")?.value, "x25519 (0x001d)")
    }

    func testServerHelloValues() throws {
        let (message, tree) = try decodeOK(RFC8448.serverHello, Corpus.tls13)
        guard case .serverHello(let sh) = message.body else { return XCTFail("not a ServerHello") }
        XCTAssertFalse(sh.isHelloRetryRequest)
        XCTAssertEqual(sh.cipherSuite, .TLS_AES_128_GCM_SHA256)
        XCTAssertEqual(sh.random.hex, "a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928")
        XCTAssertEqual(
            sh.extensions.body(of: .keyShare),
            .keyShare(
                KeyShareEntry(
                    group: .x25519,
                    keyExchange: [UInt8](hex: "c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f")!)))
        XCTAssertEqual(sh.extensions.body(of: .supportedVersions), .selectedVersion(.tls13))
        XCTAssertEqual(tree.key, "server_hello")
        XCTAssertEqual(tree.first(key: "server_hello.cipher_suite")?.value, "TLS_AES_128_GCM_SHA256 (0x1301)")
        XCTAssertEqual(tree.first(key: "ext.supported_versions.selected_version")?.value, "TLS 1.3 (0x0304)")
    }

    func testServerFlightValues() throws {
        let (ee, _) = try decodeOK(RFC8448.encryptedExtensions, Corpus.tls13)
        XCTAssertEqual(
            ee.body,
            .encryptedExtensions(
                EncryptedExtensions(extensions: [
                    Extension(
                        type: .supportedGroups,
                        body: .supportedGroups([.x25519, .secp256r1, .secp384r1, .secp521r1, .ffdhe2048,
                                                NamedGroup(rawValue: 0x0101), NamedGroup(rawValue: 0x0102),
                                                NamedGroup(rawValue: 0x0103), NamedGroup(rawValue: 0x0104)])),
                    Extension(type: .recordSizeLimit, body: .recordSizeLimit(0x4001)),
                    Extension(type: .serverName, body: .serverNameAck),
                ])))

        let (cert, certTree) = try decodeOK(RFC8448.certificate, Corpus.tls13)
        guard case .certificate13(let c) = cert.body else { return XCTFail("not a TLS 1.3 Certificate") }
        XCTAssertEqual(c.context, [])
        XCTAssertEqual(c.entries.count, 1)
        XCTAssertEqual(c.entries[0].data.count, 432)
        XCTAssertEqual(Array(c.entries[0].data.prefix(4)), [0x30, 0x82, 0x01, 0xac], "a DER SEQUENCE of 428 bytes")
        XCTAssertEqual(c.entries[0].extensions, [])
        let certData = try XCTUnwrap(certTree.first(key: "certificate.cert_data"))
        XCTAssertEqual(certData.offset, 8, "after the header, the empty context and the 3-byte list length")
        XCTAssertEqual(certData.length, 3 + 432, "the 3-byte length prefix and the DER bytes")
        XCTAssertEqual(RFC8448.certificate[certData.offset + 3], 0x30)

        let (cv, _) = try decodeOK(RFC8448.certificateVerify, Corpus.tls13)
        guard case .certificateVerify(let v) = cv.body else { return XCTFail("not a CertificateVerify") }
        XCTAssertEqual(v.scheme, .rsa_pss_rsae_sha256)
        XCTAssertEqual(v.signature.count, 128)

        let (fin, _) = try decodeOK(RFC8448.serverFinished, Corpus.tls13)
        XCTAssertEqual(
            fin.body,
            .finished(Finished(verifyData: [UInt8](hex: "9b9b141d906337fbd2cbdce71df4deda4ab42c309572cb7fffee5454b78f0718")!)))
        let (cfin, _) = try decodeOK(RFC8448.clientFinished, Corpus.tls13)
        XCTAssertEqual(
            cfin.body,
            .finished(Finished(verifyData: [UInt8](hex: "a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61")!)))
    }

    func testNewSessionTicketValues() throws {
        let (nst, tree) = try decodeOK(RFC8448.newSessionTicket, Corpus.tls13)
        guard case .newSessionTicket13(let t) = nst.body else { return XCTFail("not a TLS 1.3 NewSessionTicket") }
        XCTAssertEqual(t.lifetime, 0x1e)
        XCTAssertEqual(t.ageAdd, 0xfad6_aac5)
        XCTAssertEqual(t.nonce, [0, 0])
        XCTAssertEqual(t.ticket.count, 0xb2)
        XCTAssertEqual(t.extensions, [Extension(type: .earlyData, body: .maxEarlyData(0x400))])
        XCTAssertEqual(tree.first(key: "ext.early_data.max_early_data_size")?.value, "1024 bytes")
    }

    func testMessagesDecodeWithoutContextByGuessing() throws {
        for bytes in [RFC8448.certificate, RFC8448.newSessionTicket] {
            let (guessed, _) = try decodeOK(bytes, DecodeContext())
            let (known, _) = try decodeOK(bytes, Corpus.tls13)
            XCTAssertEqual(guessed.body, known.body)
        }
    }

    func testRecordsDecode() throws {
        for (record, payload) in [
            (RFC8448.clientHelloRecord, RFC8448.clientHello), (RFC8448.serverHelloRecord, RFC8448.serverHello),
        ] {
            var reader = ByteReader(record)
            let decoded = try TLSRecord.decode(from: &reader)
            XCTAssertTrue(reader.isAtEnd)
            XCTAssertEqual(decoded.contentType, .handshake)
            XCTAssertEqual(decoded.fragment, payload)
            XCTAssertEqual(decoded.bytes, record)
            let (message, _) = try decodeOK(decoded.fragment, Corpus.tls13)
            XCTAssertEqual(message.body.encoded(), payload)
        }
        var reader = ByteReader(RFC8448.clientHelloRecord)
        XCTAssertEqual(try TLSRecord.decode(from: &reader).legacyVersion, .tls10, "the first ClientHello's record says TLS 1.0")
    }

    /// RFC 8446 §4.2.11.2 on the RFC 8448 §4 trace: the binder is computed over the 477-byte prefix, whose
    /// SHA-256 the RFC prints as "binder hash".
    func testTruncatedForBindersMatchesTheRFCsBinderHash() throws {
        let truncated = try ClientHello.truncatedForBinders(RFC8448.resumedClientHello)
        XCTAssertEqual(truncated.count, RFC8448.resumedClientHelloTruncatedSize)
        XCTAssertEqual(TestSHA256.hash(truncated), RFC8448.resumedBinderHash)

        let (message, tree) = try decodeOK(RFC8448.resumedClientHello, Corpus.tls13)
        guard case .clientHello(let ch) = message.body,
            case .offeredPSKs(let offered) = ch.extensions.last?.body
        else { return XCTFail("no pre_shared_key") }
        XCTAssertEqual(offered.identities.count, 1)
        XCTAssertEqual(offered.identities[0].identity.count, 0xb2)
        XCTAssertEqual(offered.identities[0].obfuscatedTicketAge, 0xfad6_aacb)
        XCTAssertEqual(
            offered.binders,
            [[UInt8](hex: "3add4fb2d8fdf822a0ca3cf7678ef5e88dae990141c5924d57bb6fa31b9e5f9d")!])
        XCTAssertEqual(ch.extensions.body(of: .padding), .padding(0x57))
        XCTAssertEqual(ch.extensions.body(of: .earlyData), .earlyData)
        XCTAssertNotNil(tree.first(key: "ext.pre_shared_key.binder"))

        // Not a ClientHello with a PSK:
        XCTAssertThrowsError(try ClientHello.truncatedForBinders(RFC8448.clientHello)) { error in
            XCTAssertEqual((error as? DecodeError)?.alert, .missingExtension)
        }
        XCTAssertThrowsError(try ClientHello.truncatedForBinders(RFC8448.serverHello))
        XCTAssertThrowsError(try ClientHello.truncatedForBinders(Array(RFC8448.resumedClientHello.dropLast())))
    }
}
