import TLSCrypto
import TLSWire
import XCTest

/// TLS 1.2 PRF and key schedule against published vectors and OpenSSL.
///
/// Sources (none computed by TLSLab):
/// - The P_SHA256 / P_SHA384 "test label" vectors posted to the IETF TLS list
///   (https://www.ietf.org/mail-archive/web/tls/current/msg03416.html), as used in GnuTLS `tests/tls12-prf.c`
///   (which also has the extra SHA-256 cases below) and in tompetersen/bachelor-thesis
///   `Source/jProtocol/src/test/tls/PseudoRandomFunction.java`.
/// - NIST CAVP SP 800-135 TLS 1.2 KDF vectors, as carried by OpenSSL
///   `test/recipes/30-test_evp_data/evpkdf_tls12_prf.txt` ("TLS12 PRF tests (from NIST test vectors)") and by
///   Bouncy Castle `tls/src/test/java/org/bouncycastle/tls/test/PRFTest.java` (SHA-256 and SHA-384 cases).
/// - `openssl kdf TLS1-PRF` for random inputs and for recomputing logged steps.
final class TLS12KeyScheduleTests: XCTestCase {
    // MARK: Published PRF vectors

    func testIETFSHA256Vector() {
        let out = TLS12PRF.prf(
            hash: .sha256, secret: h("9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35"), label: "test label",
            seed: h("a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c"), length: 100)
        XCTAssertEqual(
            out.hex,
            "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7"
                + "077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66")
    }

    func testIETFSHA384Vector() {
        let out = TLS12PRF.prf(
            hash: .sha384, secret: h("b80b733d6ceefcdc71566ea48e5567df"), label: "test label",
            seed: h("cd665cf6a8447dd6ff8b27555edb7465"), length: 148)
        XCTAssertEqual(
            out.hex,
            "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb40"
                + "0fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa"
                + "0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f")
    }

    /// GnuTLS tests/tls12-prf.c sha256_test1 and sha256_test2 (short and non-block-multiple outputs).
    func testGnuTLSExtraSHA256Vectors() {
        XCTAssertEqual(
            TLS12PRF.prf(
                hash: .sha256, secret: h("0450b0ea9ecd3602ee0d76c5c3c86f4a"), label: "test label",
                seed: h("207acc0254b867f5b925b45a33601d8b"), length: 16
            ).hex, "ae679e0e714f5975763768b166979e1d")
        XCTAssertEqual(
            TLS12PRF.prf(
                hash: .sha256, secret: h("34204a9df0be6eb4e925a8027cf6c602"), label: "test label",
                seed: h("98b2c40bcd664c83bb920c18201a6395"), length: 80
            ).hex,
            "afa9312453c22fa83d2b511b372d73a402a2a62873239a51fade45082faf3fd2bb7ffb3e9bf36e28b3141aaba484005332a9f9e388"
                + "a4d329f1587a4b317da07708ea1ba95a53f8786724bd83ce4b03af")
    }

    // MARK: NIST CAVP SP 800-135 through the key schedule

    func testNISTCAVPSHA256MasterSecretAndKeyBlock() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_RSA_WITH_AES_128_CBC_SHA256))
        var log: [DerivationStep] = []
        let master = TLS12KeySchedule.masterSecret(
            suite: suite,
            premaster: h(
                "f8938ecc9edebc5030c0c6a441e213cd24e6f770a50dda07876f8d55da062bcadb386b411fd4fe4313a604fce6c17fbc"),
            clientRandom: h("36c129d01a3200894b9179faac589d9835d58775f9b5ea3587cb8fd0364cae8c"),
            serverRandom: h("f6c9575ed7ddd73e1f7d16eca115415812a43c2b747daaaae043abfb50053fce"), log: &log)
        XCTAssertEqual(
            master.hex, "202c88c00f84a17a20027079604787461176455539e705be730890602c289a5001e34eeb3a043e5d52a65e66125188bf")

        // The CAVP key block is 128 bytes: exactly 2 × (32 + 16 + 16) for AES-128-CBC-SHA256.
        let keys = TLS12KeySchedule.keyMaterial(
            suite: suite, masterSecret: master,
            clientRandom: h("62e1fd91f23f558a605f28478c58cf72637b89784d959df7e946d3f07bd1b616"),
            serverRandom: h("ae6c806f8ad4d80784549dff28a4b58fd837681a51d928c3e30ee5ff14f39868"), log: &log)
        let expectedBlock = h(
            "d06139889fffac1e3a71865f504aa5d0d2a2e89506c6f2279b670c3e1b74f531016a2530c51a3a0f7e1d6590d0f0566b2f387f8d11"
                + "fd4f731cdd572d2eae927f6f2f81410b25e6960be68985add6c38445ad9f8c64bf8068bf9a6679485d966f1ad6f68b43495b10"
                + "a683755ea2b858d70ccac7ec8b053c6bd41ca299d4e51928")
        XCTAssertEqual(log.first(where: { $0.name == "key_block" })?.output, expectedBlock)
        // RFC 5246 §6.3 order: client MAC, server MAC, client key, server key, client IV, server IV.
        XCTAssertEqual(keys.clientWriteMACKey, Array(expectedBlock[0..<32]))
        XCTAssertEqual(keys.serverWriteMACKey, Array(expectedBlock[32..<64]))
        XCTAssertEqual(keys.clientWriteKey, Array(expectedBlock[64..<80]))
        XCTAssertEqual(keys.serverWriteKey, Array(expectedBlock[80..<96]))
        XCTAssertEqual(keys.clientWriteIV, Array(expectedBlock[96..<112]))
        XCTAssertEqual(keys.serverWriteIV, Array(expectedBlock[112..<128]))
        XCTAssertEqual(
            log.map(\.name),
            [
                "master_secret", "key_block", "client_write_mac_key", "server_write_mac_key", "client_write_key",
                "server_write_key", "client_write_iv", "server_write_iv",
            ])
    }

    func testNISTCAVPSHA384MasterSecretAndKeyBlock() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384))
        XCTAssertEqual(suite.prfHash, .sha384)
        var log: [DerivationStep] = []
        let master = TLS12KeySchedule.masterSecret(
            suite: suite,
            premaster: h(
                "a5e2642633f5b8c81ad3fe0c2fe3a8e5ef806b06121dd10df4bb0fe857bfdcf522558e05d2682c9a80c741a3aab1716f"),
            clientRandom: h("abe4bf5527429ac8eb13574d2709e8012bd1a113c6d3b1d3aa2c3840518778ac"),
            serverRandom: h("cb6e0b3eb02976b6466dfa9651c2919414f1648fd3a7838d02153e5bd39535b6"), log: &log)
        XCTAssertEqual(
            master.hex, "b4d49bfa87747fe815457bc3da15073d6ac73389e703079a3503c09e14bd559a5b3c7c601c7365f6ea8c68d3d9596827")
        let keys = TLS12KeySchedule.keyMaterial(
            suite: suite, masterSecret: master,
            clientRandom: h("954b5fe1849c2ede177438261f099a2fcd884d001b9fe1de754364b1f6a6dd8e"),
            serverRandom: h("1b1c8568344a65c30828e7483c0e353e2c68641c9551efae6927d9cd627a107c"), log: &log)
        let expectedBlock = h(
            "10fd89ef689c7ef033387b8a8f3e5e8e7c11f680f6bdd71fbac3246a73e98d45d03185dde686e6b2369e4503e9dc5a6d2cee3e2bf2"
                + "fa3f41d3de57dff3e197c8a9d5f74cc2d277119d894f8584b07a0a5822f0bd68b3433ec6adaf5c9406c5f3ddbb71bbe17ce98f"
                + "3d4d5893d3179ef369f57aad908e2bf710639100c3ce7e0c")
        // AES-256-GCM takes 2 × (0 + 32 + 4) = 72 bytes: a prefix of the CAVP block.
        let block = try XCTUnwrap(log.first(where: { $0.name == "key_block" })?.output)
        XCTAssertEqual(block, Array(expectedBlock.prefix(72)))
        XCTAssertEqual(keys.clientWriteMACKey, [])
        XCTAssertEqual(keys.clientWriteKey, Array(expectedBlock[0..<32]))
        XCTAssertEqual(keys.serverWriteKey, Array(expectedBlock[32..<64]))
        XCTAssertEqual(keys.clientWriteIV, Array(expectedBlock[64..<68]))
        XCTAssertEqual(keys.serverWriteIV, Array(expectedBlock[68..<72]))
        // No MAC-key steps for an AEAD suite.
        XCTAssertFalse(log.contains { $0.name.hasSuffix("mac_key") })
    }

    // MARK: Suite table and key block shape

    func testKeyBlockLayoutPerSuite() throws {
        let cases: [(CipherSuite, mac: Int, key: Int, iv: Int, prf: HashAlgorithm)] = [
            (.TLS_RSA_WITH_AES_128_CBC_SHA256, 32, 16, 16, .sha256),
            (.TLS_RSA_WITH_AES_128_GCM_SHA256, 0, 16, 4, .sha256),
            (.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0, 16, 4, .sha256),
            (.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, 0, 32, 4, .sha384),
            (.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, 20, 16, 16, .sha256),
            (.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, 20, 32, 16, .sha256),
            (.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0, 16, 4, .sha256),
            (.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, 0, 32, 12, .sha256),
            (.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0, 32, 12, .sha256),
        ]
        for (suiteCode, mac, key, iv, prf) in cases {
            let suite = try XCTUnwrap(CipherSuiteInfo.info(suiteCode), "\(suiteCode)")
            XCTAssertEqual(suite.macKeyLength, mac, "\(suiteCode)")
            XCTAssertEqual(suite.keyLength, key, "\(suiteCode)")
            XCTAssertEqual(suite.ivLength, iv, "\(suiteCode)")
            XCTAssertEqual(suite.prfHash, prf, "\(suiteCode)")
            var log: [DerivationStep] = []
            let keys = TLS12KeySchedule.keyMaterial(
                suite: suite, masterSecret: [UInt8](repeating: 7, count: 48), clientRandom: [UInt8](repeating: 1, count: 32),
                serverRandom: [UInt8](repeating: 2, count: 32), log: &log)
            let block = try XCTUnwrap(log.first?.output)
            XCTAssertEqual(block.count, 2 * (mac + key + iv), "\(suiteCode)")
            XCTAssertEqual(
                keys.clientWriteMACKey + keys.serverWriteMACKey + keys.clientWriteKey + keys.serverWriteKey
                    + keys.clientWriteIV + keys.serverWriteIV, block, "\(suiteCode)")
            if !suite.cipher.isAEAD {
                let ivStep = try XCTUnwrap(log.first { $0.name == "client_write_iv" })
                XCTAssertTrue(ivStep.note?.contains("explicit IV") ?? false, "CBC IV step explains it is unused")
            }
        }
    }

    func testEveryNamedCipherSuiteIsImplemented() {
        for (raw, name) in CipherSuite.names where !name.hasSuffix("SCSV") {
            let info = CipherSuiteInfo.info(CipherSuite(rawValue: raw))
            XCTAssertNotNil(info, name)
            guard let info else { continue }
            XCTAssertEqual(info.version == .tls13, CipherSuite(rawValue: raw).isTLS13, name)
            XCTAssertEqual(info.prfHash == .sha384, name.hasSuffix("SHA384"), name)
            XCTAssertEqual(info.macHash == .sha1, name.hasSuffix("_SHA"), name)
            XCTAssertEqual(info.cipher.isAEAD, info.macHash == nil, name)
        }
        XCTAssertNil(CipherSuiteInfo.info(.TLS_EMPTY_RENEGOTIATION_INFO_SCSV))
        XCTAssertNil(CipherSuiteInfo.info(CipherSuite(rawValue: 0x0a0a)))
    }

    // MARK: Independent recomputation with OpenSSL

    func testPRFMatchesOpenSSLOnRandomInputs() throws {
        var rng = SystemRandomNumberGenerator()
        for hash in [HashAlgorithm.sha256, .sha384] {
            for _ in 0..<4 {
                let secret = (0..<Int.random(in: 1...80, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let seed = (0..<Int.random(in: 0...90, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                let length = Int.random(in: 1...200, using: &rng)
                let ours = TLS12PRF.prf(hash: hash, secret: secret, label: "random label", seed: seed, length: length)
                let theirs = try Tool.opensslPRF(
                    digest: hash.opensslName, secret: secret, labelAndSeed: Array("random label".utf8) + seed,
                    length: length)
                XCTAssertEqual(ours, theirs, "\(hash) secret \(secret.hex) seed \(seed.hex) length \(length)")
            }
        }
    }

    /// Every logged PRF step can be recomputed from its recorded secret, label bytes and seed inputs alone, and
    /// every key split step is the recorded slice of the key block.
    func testLoggedStepsRecomputeWithOpenSSL() throws {
        for suiteCode in [CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384] {
            let suite = try XCTUnwrap(CipherSuiteInfo.info(suiteCode))
            var log: [DerivationStep] = []
            var random = RandomSource(seed: 42, stream: "prf-steps")
            let clientRandom = random.bytes(32, label: "client_random")
            let serverRandom = random.bytes(32, label: "server_random")
            let master = TLS12KeySchedule.extendedMasterSecret(
                suite: suite, premaster: random.bytes(48, label: "premaster"),
                sessionHash: suite.prfHash.hash(Array("ClientHello..ClientKeyExchange".utf8)), log: &log)
            _ = TLS12KeySchedule.keyMaterial(
                suite: suite, masterSecret: master, clientRandom: clientRandom, serverRandom: serverRandom, log: &log)
            _ = TLS12KeySchedule.verifyData(
                suite: suite, masterSecret: master, client: true, handshakeHash: suite.prfHash.hash([1, 2, 3]), log: &log)
            _ = TLS12KeySchedule.verifyData(
                suite: suite, masterSecret: master, client: false, handshakeHash: suite.prfHash.hash([4, 5]), log: &log)

            XCTAssertEqual(log.first?.formula, "PRF(premaster_secret, \"extended master secret\", session_hash)[0..47]")
            XCTAssertEqual(log.first?.inputs.map(\.name), ["premaster_secret", "session_hash"])
            for step in log {
                if let labelBytes = step.labelBytes {
                    XCTAssertEqual(labelBytes, Array((step.label ?? "").utf8), step.name)
                    let secret = try XCTUnwrap(step.inputs.first).value
                    let seed = step.inputs.dropFirst().flatMap(\.value)
                    let recomputed = try Tool.opensslPRF(
                        digest: suite.prfHash.opensslName, secret: secret, labelAndSeed: labelBytes + seed,
                        length: step.output.count)
                    XCTAssertEqual(recomputed, step.output, "\(suiteCode) step \(step.name)")
                } else {
                    // key_block[a..b]
                    let formula = step.formula
                    XCTAssertTrue(formula.hasPrefix("key_block["), step.name)
                    let bounds = formula.dropFirst("key_block[".count).dropLast().split(separator: ".").compactMap { Int($0) }
                    XCTAssertEqual(bounds.count, 2, formula)
                    guard bounds.count == 2 else { continue }
                    let block = try XCTUnwrap(step.inputs.first { $0.name == "key_block" }).value
                    XCTAssertEqual(Array(block[bounds[0]...bounds[1]]), step.output, step.name)
                }
            }
            XCTAssertEqual(log.last?.output.count, 12)
            XCTAssertEqual(log.last?.name, "server_verify_data")
            XCTAssertEqual(log.last?.label, "server finished")
        }
    }

    func testMasterSecretStepRecordsInputsAndLabel() throws {
        let suite = try XCTUnwrap(CipherSuiteInfo.info(.TLS_RSA_WITH_AES_128_GCM_SHA256))
        var log: [DerivationStep] = []
        let premaster = [UInt8](repeating: 3, count: 48)
        let out = TLS12KeySchedule.masterSecret(
            suite: suite, premaster: premaster, clientRandom: [UInt8](repeating: 1, count: 32),
            serverRandom: [UInt8](repeating: 2, count: 32), log: &log)
        let step = try XCTUnwrap(log.first)
        XCTAssertEqual(step.name, "master_secret")
        XCTAssertEqual(step.formula, "PRF(premaster_secret, \"master secret\", client_random + server_random)[0..47]")
        XCTAssertEqual(step.inputs.map(\.name), ["premaster_secret", "client_random", "server_random"])
        XCTAssertEqual(step.label, "master secret")
        XCTAssertEqual(step.labelBytes, Array("master secret".utf8))
        XCTAssertEqual(step.output, out)
        XCTAssertEqual(out.count, 48)
        // The step survives a JSON round trip (transcripts store it).
        let decoded = try JSONDecoder().decode(DerivationStep.self, from: JSONEncoder().encode(step))
        XCTAssertEqual(decoded, step)
    }
}
