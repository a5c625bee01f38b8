import Foundation
import TLSCrypto
import TLSWire
import TLSTestVectors
import XCTest

/// Record protection: RFC 8448 §3 records, round trips for every suite and mode, tampering, and independent
/// constructions of CBC records with the OpenSSL command line and of AEAD records with Python's `cryptography`.
final class RecordProtectionTests: XCTestCase {
    /// A sender/receiver pair sharing fresh keys from a seeded source.
    private func pair(_ suite: CipherSuiteInfo, etm: Bool = false, seed: UInt64 = 1) -> (RecordProtection, RecordProtection, keys: (mac: [UInt8], key: [UInt8], iv: [UInt8])) {
        var random = RandomSource(seed: seed, stream: "records-\(suite.suite.rawValue)")
        let mac = random.bytes(suite.macKeyLength, label: "mac")
        let key = random.bytes(suite.keyLength, label: "key")
        let iv = random.bytes(suite.ivLength, label: "iv")
        if suite.version == .tls13 {
            return (RecordProtection(tls13: suite, key: key, iv: iv), RecordProtection(tls13: suite, key: key, iv: iv), (mac, key, iv))
        }
        return (
            RecordProtection(tls12: suite, macKey: mac, key: key, iv: iv, encryptThenMAC: etm),
            RecordProtection(tls12: suite, macKey: mac, key: key, iv: iv, encryptThenMAC: etm), (mac, key, iv)
        )
    }

    private var modes: [(CipherSuiteInfo, etm: Bool)] {
        CipherSuiteInfo.all.flatMap { suite in suite.cipher.isAEAD ? [(suite, false)] : [(suite, false), (suite, true)] }
    }

    private func assertAlert(
        _ expected: AlertDescription, _ message: String = "", file: StaticString = #filePath, line: UInt = #line,
        _ body: () throws -> Void
    ) {
        do {
            try body()
            XCTFail("expected \(expected), nothing thrown. \(message)", file: file, line: line)
        } catch let error as RecordProtectionError {
            XCTAssertEqual(error.alert, expected, "\(error.reason). \(message)", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error). \(message)", file: file, line: line)
        }
    }

    // MARK: RFC 8448 §3

    /// The server's encrypted handshake record (EncryptedExtensions … Finished, 674-byte fragment) opens with the
    /// server handshake key/IV to the trace's plaintext, and sealing that plaintext reproduces the record; the same
    /// for every other protected record of the trace.
    func testRFC8448RecordsOpenAndReseal() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_AES_128_GCM_SHA256))
        let serverHandshakePlaintext = h(
            RFC8448.encryptedExtensions + RFC8448.certificate + RFC8448.certificateVerify + RFC8448.serverFinished)
        let cases: [(name: String, key: String, iv: String, records: [(String, ContentType, [UInt8])])] = [
            ("server handshake", RFC8448.serverHandshakeKey, RFC8448.serverHandshakeIV,
             [(RFC8448.serverHandshakeRecord, .handshake, serverHandshakePlaintext)]),
            ("client handshake", RFC8448.clientHandshakeKey, RFC8448.clientHandshakeIV,
             [(RFC8448.clientFinishedRecord, .handshake, h(RFC8448.clientFinished))]),
            ("server application", RFC8448.serverApplicationKey, RFC8448.serverApplicationIV,
             [
                (RFC8448.newSessionTicketRecord, .handshake, h(RFC8448.newSessionTicket)),
                (RFC8448.serverApplicationRecord, .applicationData, h(RFC8448.applicationPayload)),
                (RFC8448.serverAlertRecord, .alert, [1, 0]),
             ]),
            ("client application", RFC8448.clientApplicationKey, RFC8448.clientApplicationIV,
             [
                (RFC8448.clientApplicationRecord, .applicationData, h(RFC8448.applicationPayload)),
                (RFC8448.clientAlertRecord, .alert, [1, 0]),
             ]),
        ]
        for c in cases {
            var reader = RecordProtection(tls13: suite, key: h(c.key), iv: h(c.iv))
            var writer = RecordProtection(tls13: suite, key: h(c.key), iv: h(c.iv))
            for (index, (recordHex, type, plaintext)) in c.records.enumerated() {
                let bytes = h(recordHex)
                let split = try TLSRecord.split(bytes)
                XCTAssertEqual(split.consumed, bytes.count)
                let record = try XCTUnwrap(split.records.first)
                XCTAssertEqual(record.contentType, .applicationData)
                let (openedType, opened, details) = try reader.open(record)
                XCTAssertEqual(openedType, type, "\(c.name) #\(index)")
                XCTAssertEqual(opened, plaintext, "\(c.name) #\(index)")
                XCTAssertEqual(details.sequenceNumber, UInt64(index))
                XCTAssertEqual(details.additionalData, Array(bytes.prefix(5)), "AAD is the record header")
                XCTAssertEqual(details.paddingLength, 0)
                let (sealed, sealDetails) = try writer.seal(contentType: type, plaintext: plaintext, explicitIV: nil)
                XCTAssertEqual(sealed.bytes.hex, recordHex, "\(c.name) #\(index) reseal")
                XCTAssertEqual(sealDetails, details)
            }
        }
        XCTAssertEqual(h(RFC8448.serverHandshakeRecord).count - 5, 674)
    }

    // MARK: Round trips

    func testRoundTripEverySuiteAndMode() throws {
        let lengths = [0, 1, 15, 16, 17, 31, 100, 1000, TLSRecord.maxPlaintext]
        let types: [ContentType] = [.handshake, .applicationData, .alert]
        for (suite, etm) in modes {
            var (sender, receiver, _) = pair(suite, etm: etm)
            var random = RandomSource(seed: 9, stream: "plaintexts")
            for (i, length) in lengths.enumerated() {
                let plaintext = random.bytes(length, label: "plaintext")
                let type = types[i % types.count]
                let iv = suite.cipher.isAEAD ? nil : random.bytes(16, label: "explicit iv")
                let (record, sealDetails) = try sender.seal(contentType: type, plaintext: plaintext, explicitIV: iv)
                let label = "\(suite.suite) etm=\(etm) length \(length)"
                XCTAssertEqual(record.fragment.count, expectedFragmentLength(suite, etm: etm, plaintext: length), label)
                XCTAssertEqual(record.contentType, suite.version == .tls13 ? .applicationData : type, label)
                XCTAssertEqual(record.legacyVersion, .tls12, label)
                let (openedType, opened, openDetails) = try receiver.open(record)
                XCTAssertEqual(openedType, type, label)
                XCTAssertEqual(opened, plaintext, label)
                XCTAssertEqual(openDetails, sealDetails, label)
                XCTAssertEqual(openDetails.sequenceNumber, UInt64(i), label)
                if suite.cipher.isAEAD {
                    XCTAssertEqual(openDetails.tag?.count, 16, label)
                    XCTAssertEqual(openDetails.nonce?.count, 12, label)
                } else {
                    XCTAssertEqual(openDetails.mac?.count, suite.macKeyLength, label)
                    XCTAssertEqual(openDetails.explicitIV, iv, label)
                }
            }
            XCTAssertEqual(sender.sequenceNumber, UInt64(lengths.count))
            XCTAssertEqual(receiver.sequenceNumber, UInt64(lengths.count))
        }
    }

    private func expectedFragmentLength(_ suite: CipherSuiteInfo, etm: Bool, plaintext: Int) -> Int {
        func roundUp(_ n: Int) -> Int { (n + 15) / 16 * 16 }
        if suite.version == .tls13 { return plaintext + 1 + 16 }
        switch suite.cipher {
        case .aes128GCM, .aes256GCM: return 8 + plaintext + 16  // RFC 5288 §3
        case .chacha20Poly1305: return plaintext + 16  // RFC 7905 §2
        case .aes128CBC, .aes256CBC:
            return etm ? 16 + roundUp(plaintext + 1) + suite.macKeyLength : 16 + roundUp(plaintext + suite.macKeyLength + 1)
        }
    }

    // MARK: Tampering

    /// Flipping any single bit of the content type, version or fragment makes the record fail with bad_record_mac,
    /// and a failed open does not advance the sequence number.
    func testSingleBitFlipAnywhereIsBadRecordMAC() throws {
        for (suite, etm) in modes {
            var (sender, receiver, _) = pair(suite, etm: etm, seed: 2)
            let (record, _) = try sender.seal(
                contentType: .applicationData, plaintext: Array("attack at dawn, bring snacks!".utf8),
                explicitIV: [UInt8](repeating: 0x42, count: 16))
            let label = "\(suite.suite) etm=\(etm)"
            for bit in 0..<8 {
                var tampered = record
                tampered.contentType = ContentType(rawValue: record.contentType.rawValue ^ (1 << bit))
                assertAlert(.badRecordMAC, "\(label) type bit \(bit)") { _ = try receiver.open(tampered) }
            }
            for bit in 0..<16 {
                var tampered = record
                tampered.legacyVersion = ProtocolVersion(rawValue: record.legacyVersion.rawValue ^ (1 << bit))
                assertAlert(.badRecordMAC, "\(label) version bit \(bit)") { _ = try receiver.open(tampered) }
            }
            for byte in 0..<record.fragment.count {
                for bit in 0..<8 {
                    var tampered = record
                    tampered.fragment[byte] ^= 1 << bit
                    assertAlert(.badRecordMAC, "\(label) fragment byte \(byte) bit \(bit)") { _ = try receiver.open(tampered) }
                }
            }
            XCTAssertEqual(receiver.sequenceNumber, 0)
            XCTAssertEqual(try receiver.open(record).1, Array("attack at dawn, bring snacks!".utf8), label)
        }
    }

    func testWrongSequenceNumberFails() throws {
        for (suite, etm) in modes {
            var (sender, receiver, _) = pair(suite, etm: etm, seed: 3)
            let iv = [UInt8](repeating: 7, count: 16)
            let r0 = try sender.seal(contentType: .applicationData, plaintext: [1, 2, 3], explicitIV: iv).0
            let r1 = try sender.seal(contentType: .applicationData, plaintext: [1, 2, 3], explicitIV: iv).0
            let label = "\(suite.suite) etm=\(etm)"
            assertAlert(.badRecordMAC, "\(label): record 1 opened as 0") { _ = try receiver.open(r1) }
            XCTAssertEqual(try receiver.open(r0).1, [1, 2, 3], label)
            assertAlert(.badRecordMAC, "\(label): replay of record 0") { _ = try receiver.open(r0) }
            XCTAssertEqual(try receiver.open(r1).1, [1, 2, 3], label)
        }
    }

    func testWrongKeyFails() throws {
        for (suite, etm) in modes {
            var (sender, _, _) = pair(suite, etm: etm, seed: 4)
            var (_, other, _) = pair(suite, etm: etm, seed: 5)
            let record = try sender.seal(contentType: .handshake, plaintext: [9, 9], explicitIV: [UInt8](repeating: 1, count: 16)).0
            assertAlert(.badRecordMAC, "\(suite.suite)") { _ = try other.open(record) }
        }
    }

    // MARK: Malformed records and limits

    func testTLS13InnerPlaintextRules() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_CHACHA20_POLY1305_SHA256))
        var (sender, receiver, _) = pair(suite)

        // RFC 8446 §5.4: zero padding after the content type is stripped and reported.
        let (padded, sealDetails) = try sender.seal(tls13InnerPlaintext: [0xaa, 0xbb, ContentType.handshake.rawValue, 0, 0, 0, 0])
        XCTAssertEqual(sealDetails.paddingLength, 4)
        let (type, content, details) = try receiver.open(padded)
        XCTAssertEqual(type, .handshake)
        XCTAssertEqual(content, [0xaa, 0xbb])
        XCTAssertEqual(details.paddingLength, 4)

        // No non-zero byte at all: no content type.
        let (allZero, _) = try sender.seal(tls13InnerPlaintext: [0, 0, 0, 0])
        assertAlert(.unexpectedMessage) { _ = try receiver.open(allZero) }
        var (sender2, receiver2, _) = pair(suite)
        let (onlyType0, _) = try sender2.seal(contentType: .invalid, plaintext: [0, 0], explicitIV: nil)
        assertAlert(.unexpectedMessage) { _ = try receiver2.open(onlyType0) }

        // Content over 2^14 (allowed as ciphertext, refused once decrypted).
        var (sender3, receiver3, _) = pair(suite)
        let (overlong, _) = try sender3.seal(
            tls13InnerPlaintext: [UInt8](repeating: 0x61, count: TLSRecord.maxPlaintext + 1) + [ContentType.applicationData.rawValue])
        assertAlert(.recordOverflow) { _ = try receiver3.open(overlong) }

        // Exactly 2^14 of content with maximal padding is fine.
        var (sender4, receiver4, _) = pair(suite)
        let (full, _) = try sender4.seal(
            tls13InnerPlaintext: [UInt8](repeating: 0x61, count: TLSRecord.maxPlaintext) + [23] + [UInt8](repeating: 0, count: 239))
        XCTAssertEqual(full.fragment.count, TLSRecord.maxCiphertext13)
        XCTAssertEqual(try receiver4.open(full).1.count, TLSRecord.maxPlaintext)

        // Too short for a tag, and too long for any TLS 1.3 ciphertext.
        assertAlert(.badRecordMAC) {
            _ = try receiver4.open(TLSRecord(contentType: .applicationData, fragment: [UInt8](repeating: 0, count: 15)))
        }
        assertAlert(.recordOverflow) {
            _ = try receiver4.open(
                TLSRecord(contentType: .applicationData, fragment: [UInt8](repeating: 0, count: TLSRecord.maxCiphertext13 + 1)))
        }
        XCTAssertThrowsError(try sender4.seal(tls13InnerPlaintext: [UInt8](repeating: 1, count: TLSRecord.maxCiphertext13 - 15)))
    }

    func testTLS12MalformedFragments() throws {
        let gcm = try XCTUnwrap(CipherSuiteInfo.info(.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256))
        var (_, gcmReceiver, _) = pair(gcm)
        assertAlert(.badRecordMAC, "shorter than explicit nonce + tag") {
            _ = try gcmReceiver.open(TLSRecord(contentType: .handshake, fragment: [UInt8](repeating: 0, count: 23)))
        }
        let chacha = try XCTUnwrap(CipherSuiteInfo.info(.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256))
        var (_, chachaReceiver, _) = pair(chacha)
        assertAlert(.badRecordMAC, "shorter than a tag") {
            _ = try chachaReceiver.open(TLSRecord(contentType: .handshake, fragment: [UInt8](repeating: 0, count: 15)))
        }
        let cbc = try XCTUnwrap(CipherSuiteInfo.info(.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA))
        for etm in [false, true] {
            var (sender, receiver, _) = pair(cbc, etm: etm)
            for length in [0, 16, 17, 32, 47, 48] {
                assertAlert(.badRecordMAC, "CBC etm=\(etm) fragment of \(length) bytes") {
                    _ = try receiver.open(TLSRecord(contentType: .handshake, fragment: [UInt8](repeating: 0, count: length)))
                }
            }
            assertAlert(.recordOverflow, "CBC over 2^14 + 2048") {
                _ = try receiver.open(
                    TLSRecord(contentType: .handshake, fragment: [UInt8](repeating: 0, count: TLSRecord.maxCiphertext12 + 1)))
            }
            XCTAssertThrowsError(try sender.seal(contentType: .handshake, plaintext: [1], explicitIV: nil), "CBC needs an IV")
            XCTAssertThrowsError(try sender.seal(contentType: .handshake, plaintext: [1], explicitIV: [1, 2, 3]))
            XCTAssertThrowsError(
                try sender.seal(
                    contentType: .handshake, plaintext: [UInt8](repeating: 0, count: TLSRecord.maxPlaintext + 1),
                    explicitIV: [UInt8](repeating: 0, count: 16)))
            XCTAssertEqual(sender.sequenceNumber, 0, "failed seals do not consume sequence numbers")
        }
    }

    // MARK: Independent CBC construction (OpenSSL command line)

    /// TLS 1.2 CBC records built by hand with `openssl enc -nopad` and `openssl mac HMAC` following RFC 5246
    /// §6.2.3.2 (MAC-then-encrypt) and RFC 7366 §3 (encrypt-then-MAC) open with RecordProtection; records sealed
    /// by RecordProtection decrypt with OpenSSL to the same structure; an over-long plaintext gives record_overflow.
    func testCBCRecordsAgainstOpenSSL() throws {
        let openssl = try Tool.openssl()
        for suiteCode in [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .TLS_RSA_WITH_AES_128_CBC_SHA256, .TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA] {
            let suite = try XCTUnwrap(CipherSuiteInfo.info(suiteCode))
            let macHash = try XCTUnwrap(suite.macHash)
            let cipherName = suite.keyLength == 16 ? "-aes-128-cbc" : "-aes-256-cbc"
            for etm in [false, true] {
                var (sender, receiver, keys) = pair(suite, etm: etm, seed: 11)
                let label = "\(suiteCode) etm=\(etm)"
                func encrypt(_ data: [UInt8], iv: [UInt8]) throws -> [UInt8] {
                    try Tool.run(openssl, ["enc", "-e", cipherName, "-nopad", "-K", keys.key.hex, "-iv", iv.hex], stdin: data)
                }
                func decrypt(_ data: [UInt8], iv: [UInt8]) throws -> [UInt8] {
                    try Tool.run(openssl, ["enc", "-d", cipherName, "-nopad", "-K", keys.key.hex, "-iv", iv.hex], stdin: data)
                }
                func mac(_ data: [UInt8]) throws -> [UInt8] {
                    try Tool.opensslHMAC(digest: macHash.opensslName, key: keys.mac, message: data)
                }
                func header(seq: UInt64, length: Int) -> [UInt8] {
                    (0..<8).map { UInt8(truncatingIfNeeded: seq >> (56 - 8 * $0)) } + [23, 3, 3, UInt8(length >> 8), UInt8(length & 0xff)]
                }
                func padding(_ length: Int, extra: Int = 0) -> [UInt8] {
                    let p = (16 - (length + 1) % 16) % 16 + 16 * extra
                    return [UInt8](repeating: UInt8(p), count: p + 1)
                }
                func handBuilt(seq: UInt64, content: [UInt8], iv: [UInt8], extraPaddingBlocks: Int) throws -> TLSRecord {
                    if etm {
                        let ciphertext = try encrypt(content + padding(content.count, extra: extraPaddingBlocks), iv: iv)
                        let tag = try mac(header(seq: seq, length: 16 + ciphertext.count) + iv + ciphertext)
                        return TLSRecord(contentType: .applicationData, fragment: iv + ciphertext + tag)
                    }
                    let tag = try mac(header(seq: seq, length: content.count) + content)
                    let ciphertext = try encrypt(
                        content + tag + padding(content.count + tag.count, extra: extraPaddingBlocks), iv: iv)
                    return TLSRecord(contentType: .applicationData, fragment: iv + ciphertext)
                }

                // OpenSSL-built → RecordProtection (with non-minimal padding too: RFC 5246 allows up to 255 bytes).
                let content = Array("GET / HTTP/1.1\r\nHost: tlslab\r\n\r\n".utf8)
                let iv0 = [UInt8](repeating: 0x10, count: 16)
                let (_, opened0, _) = try receiver.open(handBuilt(seq: 0, content: content, iv: iv0, extraPaddingBlocks: 0))
                XCTAssertEqual(opened0, content, label)
                let (_, opened1, details1) = try receiver.open(handBuilt(seq: 1, content: content, iv: iv0, extraPaddingBlocks: 3))
                XCTAssertEqual(opened1, content, label)
                XCTAssertEqual(details1.paddingLength, (16 - (content.count + (etm ? 0 : macHash.outputLength) + 1) % 16) % 16 + 48, label)

                // RecordProtection-sealed → OpenSSL decrypts it and the MAC verifies.
                let iv1 = [UInt8](repeating: 0x20, count: 16)
                let (record, details) = try sender.seal(contentType: .applicationData, plaintext: content, explicitIV: iv1)
                XCTAssertEqual(Array(record.fragment.prefix(16)), iv1, label)
                if etm {
                    let ciphertext = Array(record.fragment[16..<(record.fragment.count - macHash.outputLength)])
                    XCTAssertEqual(
                        Array(record.fragment.suffix(macHash.outputLength)),
                        try mac(header(seq: 0, length: 16 + ciphertext.count) + iv1 + ciphertext), label)
                    XCTAssertEqual(try decrypt(ciphertext, iv: iv1), content + padding(content.count), label)
                } else {
                    let plain = try decrypt(Array(record.fragment[16...]), iv: iv1)
                    let tag = try mac(header(seq: 0, length: content.count) + content)
                    XCTAssertEqual(plain, content + tag + padding(content.count + tag.count), label)
                    XCTAssertEqual(details.mac, tag, label)
                }

                // A valid record whose content exceeds 2^14 → record_overflow after the MAC check.
                let big = [UInt8](repeating: 0x62, count: TLSRecord.maxPlaintext + 1)
                let overflow = try handBuilt(seq: 2, content: big, iv: iv0, extraPaddingBlocks: 0)
                XCTAssertLessThanOrEqual(overflow.fragment.count, TLSRecord.maxCiphertext12)
                assertAlert(.recordOverflow, label) { _ = try receiver.open(overflow) }

                // A correct MAC over bad padding is still bad_record_mac (malformed padding bytes).
                if etm {
                    var bad = content + padding(content.count)
                    bad[bad.count - 2] ^= 0xff
                    if bad.count - 2 >= content.count {
                        let ciphertext = try encrypt(bad, iv: iv0)
                        let tag = try mac(header(seq: 2, length: 16 + ciphertext.count) + iv0 + ciphertext)
                        assertAlert(.badRecordMAC, label) {
                            _ = try receiver.open(TLSRecord(contentType: .applicationData, fragment: iv0 + ciphertext + tag))
                        }
                    }
                }
            }
        }
    }

    // MARK: Independent AEAD construction (Python `cryptography`, when available)

    /// TLS 1.2 GCM (RFC 5288), TLS 1.2 ChaCha20-Poly1305 (RFC 7905) and TLS 1.3 (RFC 8446 §5.2) records rebuilt
    /// from the RFC formulas with Python's `cryptography` AEADs equal RecordProtection's output byte for byte.
    func testAEADRecordsAgainstPythonCryptography() throws {
        guard let python = Tool.find("python3"), (try? Tool.run(python, ["-c", "import cryptography"])) != nil else {
            throw XCTSkip("python3 with the cryptography package is not available")
        }
        // One Python process seals every case: each stdin line is "cipher key nonce aad plaintext" in hex.
        let script = """
            import sys
            from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
            for line in sys.stdin:
                cipher, key, nonce, aad, pt = line.split()
                key, nonce, aad, pt = (bytes.fromhex(x) for x in (key, nonce, aad, "" if pt == "-" else pt))
                aead = ChaCha20Poly1305(key) if cipher == "chacha" else AESGCM(key)
                print(aead.encrypt(nonce, pt, aad).hex())
            """
        func seqBytes(_ seq: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: seq >> (56 - 8 * $0)) } }
        func xorNonce(_ iv: [UInt8], _ seq: UInt64) -> [UInt8] {
            var nonce = iv
            for i in 0..<8 { nonce[4 + i] ^= seqBytes(seq)[i] }
            return nonce
        }
        // (label, our fragment, prefix Python does not produce, Python input line)
        var cases: [(String, [UInt8], [UInt8], String)] = []
        for suite in CipherSuiteInfo.all where suite.cipher.isAEAD {
            var (sender, _, keys) = pair(suite, seed: 21)
            let name = suite.cipher == .chacha20Poly1305 ? "chacha" : "gcm"
            for seq in UInt64(0)..<3 {
                let plaintext = seq == 2 ? [] : Array("record \(seq) of \(suite.suite)".utf8)
                let (record, _) = try sender.seal(contentType: .handshake, plaintext: plaintext, explicitIV: nil)
                let label = "\(suite.suite) seq \(seq)"
                func line(_ nonce: [UInt8], _ aad: [UInt8], _ pt: [UInt8]) -> String {
                    "\(name) \(keys.key.hex) \(nonce.hex) \(aad.hex) \(pt.isEmpty ? "-" : pt.hex)"
                }
                if suite.version == .tls13 {
                    // RFC 8446 §5.2-5.3: inner = content ‖ type; AAD = 17 03 03 length; nonce = iv XOR seq.
                    let inner = plaintext + [22]
                    let aad: [UInt8] = [23, 3, 3, UInt8((inner.count + 16) >> 8), UInt8((inner.count + 16) & 0xff)]
                    cases.append((label, record.fragment, [], line(xorNonce(keys.iv, seq), aad, inner)))
                } else {
                    // RFC 5246 §6.2.3.3: AAD = seq ‖ type ‖ version ‖ length.
                    let aad = seqBytes(seq) + [22, 3, 3, UInt8(plaintext.count >> 8), UInt8(plaintext.count & 0xff)]
                    if name == "gcm" {
                        // RFC 5288 §3: nonce = salt ‖ explicit nonce (the sequence number), sent before the ciphertext.
                        cases.append((label, record.fragment, seqBytes(seq), line(keys.iv + seqBytes(seq), aad, plaintext)))
                    } else {
                        // RFC 7905 §2: nonce = iv XOR padded sequence number, no explicit nonce.
                        cases.append((label, record.fragment, [], line(xorNonce(keys.iv, seq), aad, plaintext)))
                    }
                }
            }
        }
        let output = try Tool.run(python, ["-c", script], stdin: Array(cases.map(\.3).joined(separator: "\n").utf8) + [10])
        let lines = String(decoding: output, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(lines.count, cases.count)
        for (c, line) in zip(cases, lines) {
            XCTAssertEqual(c.1, c.2 + h(String(line)), c.0)
        }
    }
}
