import Crypto
import TLSCrypto
import TLSWire
import TLSTestVectors
import XCTest

/// The TLS 1.3 key schedule against RFC 8448 §3 and OpenSSL's HKDF.
final class TLS13KeyScheduleTests: XCTestCase {

    /// Runs the whole RFC 8448 §3 schedule from the trace's inputs (private keys and handshake messages only) and
    /// checks every secret, key, IV, finished key and verify_data the trace shows.
    func testRFC8448SimpleHandshakeKeySchedule() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_AES_128_GCM_SHA256))
        var log: [DerivationStep] = []

        // Key exchange: the trace's private keys give its public keys and one shared secret.
        let client = try EphemeralKeyPair(group: .x25519, privateKey: h(RFC8448.clientPrivateKey))
        let server = try EphemeralKeyPair(group: .x25519, privateKey: h(RFC8448.serverPrivateKey))
        XCTAssertEqual(client.publicKey.hex, RFC8448.clientPublicKey)
        XCTAssertEqual(server.publicKey.hex, RFC8448.serverPublicKey)
        let shared = try server.sharedSecret(peerPublicKey: client.publicKey)
        XCTAssertEqual(shared.hex, RFC8448.sharedSecret)
        XCTAssertEqual(try client.sharedSecret(peerPublicKey: server.publicKey), shared)

        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        transcript.append(h(RFC8448.clientHello))
        transcript.append(h(RFC8448.serverHello))
        XCTAssertEqual(transcript.current().hex, RFC8448.helloHash)

        let early = TLS13KeySchedule.EarlyStage(hash: .sha256, psk: nil, log: &log)
        XCTAssertEqual(early.earlySecret.hex, RFC8448.earlySecret)
        let handshake = early.handshakeStage(sharedSecret: shared, log: &log)
        XCTAssertEqual(handshake.handshakeSecret.hex, RFC8448.handshakeSecret)
        let cHS = handshake.clientHandshakeTrafficSecret(transcriptHash: transcript.current(), log: &log)
        let sHS = handshake.serverHandshakeTrafficSecret(transcriptHash: transcript.current(), log: &log)
        XCTAssertEqual(cHS.hex, RFC8448.clientHandshakeTraffic)
        XCTAssertEqual(sHS.hex, RFC8448.serverHandshakeTraffic)

        let serverHSKeys = TLS13KeySchedule.trafficKeys(suite: suite, secret: sHS, prefix: "server_handshake", log: &log)
        XCTAssertEqual(serverHSKeys.key.hex, RFC8448.serverHandshakeKey)
        XCTAssertEqual(serverHSKeys.iv.hex, RFC8448.serverHandshakeIV)
        let clientHSKeys = TLS13KeySchedule.trafficKeys(suite: suite, secret: cHS, prefix: "client_handshake", log: &log)
        XCTAssertEqual(clientHSKeys.key.hex, RFC8448.clientHandshakeKey)
        XCTAssertEqual(clientHSKeys.iv.hex, RFC8448.clientHandshakeIV)

        // Server Finished: HMAC over Transcript-Hash(ClientHello ... CertificateVerify).
        transcript.append(h(RFC8448.encryptedExtensions))
        transcript.append(h(RFC8448.certificate))
        transcript.append(h(RFC8448.certificateVerify))
        let serverFinishedKey = TLS13KeySchedule.finishedKey(hash: .sha256, baseKey: sHS, side: "server", log: &log)
        XCTAssertEqual(serverFinishedKey.hex, RFC8448.serverFinishedKey)
        let serverVerify = TLS13KeySchedule.verifyData(
            hash: .sha256, finishedKey: serverFinishedKey, transcriptHash: transcript.current(),
            name: "server_verify_data", log: &log)
        XCTAssertEqual(serverVerify.hex, RFC8448.serverVerifyData)
        transcript.append(h(RFC8448.serverFinished))
        XCTAssertEqual(transcript.current().hex, RFC8448.serverFinishedHash)

        let master = handshake.masterStage(log: &log)
        XCTAssertEqual(master.masterSecret.hex, RFC8448.masterSecret)
        let cAP = master.clientApplicationTrafficSecret(transcriptHash: transcript.current(), log: &log)
        let sAP = master.serverApplicationTrafficSecret(transcriptHash: transcript.current(), log: &log)
        let exporter = master.exporterMasterSecret(transcriptHash: transcript.current(), log: &log)
        XCTAssertEqual(cAP.hex, RFC8448.clientApplicationTraffic)
        XCTAssertEqual(sAP.hex, RFC8448.serverApplicationTraffic)
        XCTAssertEqual(exporter.hex, RFC8448.exporterMaster)
        let serverAPKeys = TLS13KeySchedule.trafficKeys(suite: suite, secret: sAP, prefix: "server_application", log: &log)
        XCTAssertEqual(serverAPKeys.key.hex, RFC8448.serverApplicationKey)
        XCTAssertEqual(serverAPKeys.iv.hex, RFC8448.serverApplicationIV)

        // Client Finished: HMAC over Transcript-Hash(ClientHello ... server Finished).
        let clientFinishedKey = TLS13KeySchedule.finishedKey(hash: .sha256, baseKey: cHS, side: "client", log: &log)
        XCTAssertEqual(clientFinishedKey.hex, RFC8448.clientFinishedKey)
        let clientVerify = TLS13KeySchedule.verifyData(
            hash: .sha256, finishedKey: clientFinishedKey, transcriptHash: transcript.current(),
            name: "client_verify_data", log: &log)
        XCTAssertEqual(clientVerify.hex, RFC8448.clientVerifyData)
        let clientAPKeys = TLS13KeySchedule.trafficKeys(suite: suite, secret: cAP, prefix: "client_application", log: &log)
        XCTAssertEqual(clientAPKeys.key.hex, RFC8448.clientApplicationKey)
        XCTAssertEqual(clientAPKeys.iv.hex, RFC8448.clientApplicationIV)

        transcript.append(h(RFC8448.clientFinished))
        XCTAssertEqual(transcript.current().hex, RFC8448.clientFinishedHash)
        let resumption = master.resumptionMasterSecret(transcriptHash: transcript.current(), log: &log)
        XCTAssertEqual(resumption.hex, RFC8448.resumptionMaster)
        let psk = TLS13KeySchedule.resumptionPSK(
            hash: .sha256, resumptionMasterSecret: resumption, nonce: [0, 0], log: &log)
        XCTAssertEqual(psk.hex, RFC8448.resumptionPSK)

        // The logged label bytes are the RFC's "info" values.
        func step(_ name: String) throws -> DerivationStep { try XCTUnwrap(log.first { $0.name == name }, name) }
        XCTAssertEqual(try step("derived_for_handshake").labelBytes?.hex, RFC8448.derivedForHandshakeInfo)
        XCTAssertEqual(try step("derived_for_handshake").output.hex, RFC8448.derivedForHandshake)
        XCTAssertEqual(try step("derived_for_master").output.hex, RFC8448.derivedForMaster)
        XCTAssertEqual(try step("client_handshake_traffic_secret").labelBytes?.hex, RFC8448.clientHandshakeTrafficInfo)
        XCTAssertEqual(try step("client_handshake_traffic_secret").label, "tls13 c hs traffic")
        XCTAssertEqual(
            try step("client_handshake_traffic_secret").formula,
            "Derive-Secret(Handshake Secret, \"c hs traffic\", ClientHello...ServerHello)")
        XCTAssertEqual(
            try step("client_handshake_traffic_secret").inputs.map(\.name), ["handshake_secret", "transcript_hash"])
        XCTAssertEqual(try step("server_handshake_key").labelBytes?.hex, RFC8448.keyInfo)
        XCTAssertEqual(try step("server_handshake_iv").labelBytes?.hex, RFC8448.ivInfo)
        XCTAssertEqual(try step("server_finished_key").labelBytes?.hex, RFC8448.finishedInfo)
        XCTAssertEqual(try step("resumption_psk").labelBytes?.hex, RFC8448.resumptionInfo)
        XCTAssertEqual(try step("handshake_secret").inputs.map(\.name), ["derived_for_handshake", "shared_secret"])
        XCTAssertEqual(try step("early_secret").output.hex, RFC8448.earlySecret)
        XCTAssertEqual(
            try step("client_application_traffic_secret_0").formula,
            "Derive-Secret(Master Secret, \"c ap traffic\", ClientHello...server Finished)")
        XCTAssertEqual(
            try step("resumption_master_secret").formula,
            "Derive-Secret(Master Secret, \"res master\", ClientHello...client Finished)")

        XCTAssertEqual(
            log.map(\.name),
            [
                "early_secret", "derived_for_handshake", "handshake_secret", "client_handshake_traffic_secret",
                "server_handshake_traffic_secret", "server_handshake_key", "server_handshake_iv",
                "client_handshake_key", "client_handshake_iv", "server_finished_key", "server_verify_data",
                "derived_for_master", "master_secret", "client_application_traffic_secret_0",
                "server_application_traffic_secret_0", "exporter_master_secret", "server_application_key",
                "server_application_iv", "client_finished_key", "client_verify_data", "client_application_key",
                "client_application_iv", "resumption_master_secret", "resumption_psk",
            ])
        try assertStepsRecompute(log, hash: .sha256)
    }

    func testHkdfLabelEncoding() {
        XCTAssertEqual(TLS13KeySchedule.hkdfLabel(label: "key", context: [], length: 16).hex, RFC8448.keyInfo)
        XCTAssertEqual(TLS13KeySchedule.hkdfLabel(label: "iv", context: [], length: 12).hex, RFC8448.ivInfo)
        XCTAssertEqual(
            TLS13KeySchedule.hkdfLabel(label: "c hs traffic", context: h(RFC8448.helloHash), length: 32).hex,
            RFC8448.clientHandshakeTrafficInfo)
        XCTAssertEqual(
            TLS13KeySchedule.hkdfExpandLabel(
                hash: .sha256, secret: h(RFC8448.serverHandshakeTraffic), label: "key", context: [], length: 16
            ).hex, RFC8448.serverHandshakeKey)
        XCTAssertEqual(
            TLS13KeySchedule.hkdfExtract(hash: .sha256, salt: [], ikm: [UInt8](repeating: 0, count: 32)).hex,
            RFC8448.earlySecret)
    }

    /// A SHA-384 schedule with a PSK, psk_ke (no shared secret), binders, 0-RTT and KeyUpdate, every step recomputed
    /// by OpenSSL from its logged inputs.
    func testSHA384ScheduleWithPSKRecomputesWithOpenSSL() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_AES_256_GCM_SHA384))
        XCTAssertEqual(suite.keyLength, 32)
        var random = RandomSource(seed: 7, stream: "tls13-sha384")
        var log: [DerivationStep] = []
        let early = TLS13KeySchedule.EarlyStage(hash: .sha384, psk: random.bytes(48, label: "psk"), log: &log)
        XCTAssertEqual(log.last?.formula, "HKDF-Extract(0, PSK)")
        let binderKey = early.binderKey(resumption: true, log: &log)
        XCTAssertEqual(log.last?.label, "tls13 res binder")
        let binderFinished = TLS13KeySchedule.finishedKey(hash: .sha384, baseKey: binderKey, side: "binder", log: &log)
        _ = TLS13KeySchedule.verifyData(
            hash: .sha384, finishedKey: binderFinished, transcriptHash: random.bytes(48, label: "partial CH hash"),
            name: "binder", log: &log)
        let chHash = random.bytes(48, label: "CH hash")
        _ = early.clientEarlyTrafficSecret(transcriptHash: chHash, log: &log)
        _ = early.earlyExporterMasterSecret(transcriptHash: chHash, log: &log)
        let handshake = early.handshakeStage(sharedSecret: nil, log: &log)
        XCTAssertEqual(log.last?.formula, "HKDF-Extract(Derive-Secret(Early Secret, \"derived\", \"\"), 0)")
        let sHS = handshake.serverHandshakeTrafficSecret(transcriptHash: random.bytes(48, label: "SH hash"), log: &log)
        _ = TLS13KeySchedule.trafficKeys(suite: suite, secret: sHS, prefix: "server_handshake", log: &log)
        let master = handshake.masterStage(log: &log)
        let cAP = master.clientApplicationTrafficSecret(transcriptHash: random.bytes(48, label: "SF hash"), log: &log)
        _ = TLS13KeySchedule.nextTrafficSecret(
            hash: .sha384, secret: cAP, name: "client_application_traffic_secret_1", log: &log)
        XCTAssertEqual(log.last?.label, "tls13 traffic upd")
        XCTAssertTrue(log.allSatisfy { $0.note?.contains("SHA-384") ?? false })
        try assertStepsRecompute(log, hash: .sha384)
    }

    func testMessageHashReplacesClientHello1() {
        // RFC 8446 §4.4.1: message_hash ‖ 00 00 ‖ Hash.length ‖ Hash(ClientHello1).
        var transcript = TranscriptHash(hashAlgorithm: .sha256)
        transcript.append(h(RFC8448.clientHello))
        transcript.replaceWithMessageHash()
        XCTAssertEqual(transcript.messages, [h("fe000020") + HashAlgorithm.sha256.hash(h(RFC8448.clientHello))])
        transcript.append(h(RFC8448.serverHello))
        XCTAssertEqual(transcript.concatenated, h("fe000020") + HashAlgorithm.sha256.hash(h(RFC8448.clientHello)) + h(RFC8448.serverHello))
        XCTAssertEqual(transcript.current(), HashAlgorithm.sha256.hash(transcript.concatenated))
        // Switching the hash once the suite is known re-hashes the kept messages.
        transcript.hashAlgorithm = .sha384
        XCTAssertEqual(transcript.current(), HashAlgorithm.sha384.hash(transcript.concatenated))
    }

    /// RFC 5869 Appendix A, test cases 1–3 (SHA-256) and 4 (SHA-1): Extract and multi-block Expand.
    func testHKDFAgainstRFC5869Vectors() {
        struct Case { let hash: HashAlgorithm; let ikm, salt, info, prk, okm: String; let length: Int }
        let cases = [
            Case(
                hash: .sha256, ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", salt: "000102030405060708090a0b0c",
                info: "f0f1f2f3f4f5f6f7f8f9",
                prk: "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                okm: "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                length: 42),
            Case(
                hash: .sha256,
                ikm: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
                    + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
                salt: "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
                    + "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
                info: "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
                    + "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
                prk: "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                okm: "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09"
                    + "da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87",
                length: 82),
            Case(
                hash: .sha256, ikm: "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", salt: "", info: "",
                prk: "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                okm: "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
                length: 42),
            Case(
                hash: .sha1, ikm: "0b0b0b0b0b0b0b0b0b0b0b", salt: "000102030405060708090a0b0c", info: "f0f1f2f3f4f5f6f7f8f9",
                prk: "9b6c18c432a7bf8f0e71c8eb88f4b30baa2ba243",
                okm: "085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896",
                length: 42),
        ]
        for (i, c) in cases.enumerated() {
            let prk = HKDFKey.extract(hash: c.hash, salt: h(c.salt), ikm: h(c.ikm))
            XCTAssertEqual(prk, h(c.prk), "case \(i + 1) PRK")
            XCTAssertEqual(HKDFKey(hash: c.hash, prk: prk).expand(info: h(c.info), length: c.length), h(c.okm), "case \(i + 1) OKM")
        }
    }

    /// The keyed-once HKDF gives swift-crypto's `HKDF<H>` bytes for every hash, lengths around block boundaries,
    /// and when one key expands several times (the keyed state must not carry over).
    func testHKDFKeyMatchesSwiftCryptoHKDF() {
        var random = RandomSource(seed: 11, stream: "hkdf-cross-check")
        for hash in [HashAlgorithm.sha1, .sha256, .sha384] {
            for prkLength in [0, 20, 48, 64, 129, 200] {
                let prk = random.bytes(max(prkLength, 1), label: "prk").prefix(prkLength).map { $0 }
                let key = HKDFKey(hash: hash, prk: prk)
                for length in [1, 12, hash.outputLength - 1, hash.outputLength, hash.outputLength + 1, 3 * hash.outputLength + 5, 255 * hash.outputLength] {
                    let info = random.bytes(1 + length % 40, label: "info")
                    let expected: [UInt8]
                    switch hash {
                    case .sha1: expected = HKDF<Insecure.SHA1>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length).withUnsafeBytes { Array($0) }
                    case .sha256: expected = HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length).withUnsafeBytes { Array($0) }
                    case .sha384: expected = HKDF<SHA384>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length).withUnsafeBytes { Array($0) }
                    }
                    XCTAssertEqual(key.expand(info: info, length: length), expected, "\(hash) prk \(prkLength) length \(length)")
                }
                // (swift-crypto's HKDF traps on zero bytes; ours gives none.)
                XCTAssertEqual(key.expand(info: [1, 2], length: 0), [])
                let salt = random.bytes(max(prkLength, 1), label: "salt").prefix(prkLength).map { $0 }
                let ikm = random.bytes(32, label: "ikm")
                let expectedPRK: [UInt8]
                switch hash {
                case .sha1: expectedPRK = Array(HKDF<Insecure.SHA1>.extract(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt))
                case .sha256: expectedPRK = Array(HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt))
                case .sha384: expectedPRK = Array(HKDF<SHA384>.extract(inputKeyMaterial: SymmetricKey(data: ikm), salt: salt))
                }
                XCTAssertEqual(HKDFKey.extract(hash: hash, salt: salt, ikm: ikm), expectedPRK, "\(hash) extract, salt \(prkLength)")
            }
        }
    }

    func testHashAndHMACAgainstOpenSSL() throws {
        let message = Array("The quick brown fox jumps over the lazy dog".utf8)
        for hash in [HashAlgorithm.sha1, .sha256, .sha384] {
            let digest = try Tool.run(Tool.openssl(), ["dgst", "-\(hash.opensslName.lowercased())", "-binary"], stdin: message)
            XCTAssertEqual(hash.hash(message), digest, hash.displayName)
            XCTAssertEqual(hash.hash(message).count, hash.outputLength)
            let key = Array("key".utf8)
            XCTAssertEqual(
                hash.hmac(key: key, data: message),
                try Tool.opensslHMAC(digest: hash.opensslName, key: key, message: message), hash.displayName)
        }
    }

    /// Recomputes every logged step from its recorded inputs alone, with OpenSSL: HKDF-Expand(first input,
    /// labelBytes) for steps with a label, HKDF-Extract(salt, ikm) for two-input extract steps, HMAC for verify_data.
    private func assertStepsRecompute(_ log: [DerivationStep], hash: HashAlgorithm, file: StaticString = #filePath, line: UInt = #line) throws {
        for step in log {
            let recomputed: [UInt8]
            if let info = step.labelBytes {
                // The HkdfLabel starts with the output length and "tls13 " + label, and ends with the context.
                XCTAssertEqual(Array(info.prefix(2)), [UInt8(step.output.count >> 8), UInt8(step.output.count & 0xff)], step.name, file: file, line: line)
                let labelText = try XCTUnwrap(step.label)
                XCTAssertTrue(labelText.hasPrefix("tls13 "), step.name, file: file, line: line)
                XCTAssertEqual(Array(info[3..<(3 + labelText.utf8.count)]), Array(labelText.utf8), step.name, file: file, line: line)
                if let context = step.inputs.first(where: { $0.name == "transcript_hash" || $0.name == "ticket_nonce" }) {
                    XCTAssertEqual(Array(info.suffix(context.value.count)), context.value, step.name, file: file, line: line)
                }
                recomputed = try Tool.opensslHKDFExpand(
                    digest: hash.opensslName, prk: try XCTUnwrap(step.inputs.first).value, info: info,
                    length: step.output.count)
            } else if step.formula.hasPrefix("HMAC") {
                let key = try XCTUnwrap(step.inputs.first { $0.name == "finished_key" }).value
                let message = try XCTUnwrap(step.inputs.first { $0.name == "transcript_hash" }).value
                recomputed = try Tool.opensslHMAC(digest: hash.opensslName, key: key, message: message)
            } else {
                XCTAssertTrue(step.formula.hasPrefix("HKDF-Extract"), step.formula, file: file, line: line)
                XCTAssertEqual(step.inputs.count, 2, step.name, file: file, line: line)
                recomputed = try Tool.opensslHKDFExtract(
                    digest: hash.opensslName, salt: step.inputs[0].value, ikm: step.inputs[1].value,
                    length: hash.outputLength)
            }
            XCTAssertEqual(recomputed, step.output, "step \(step.name) does not recompute", file: file, line: line)
        }
    }
}
