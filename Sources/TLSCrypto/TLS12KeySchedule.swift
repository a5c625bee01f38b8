import Foundation
import Crypto
import TLSWire

/// RFC 5246 §5: the TLS 1.2 pseudorandom function.
///
///     P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
///     A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
///     PRF(secret, label, seed) = P_<hash>(secret, label + seed)
///
/// HMAC is swift-crypto's; only the chaining above is written here.
public enum TLS12PRF {
    public static func prf(hash: HashAlgorithm, secret: [UInt8], label: String, seed: [UInt8], length: Int) -> [UInt8] {
        let fullSeed = Array(label.utf8) + seed
        switch hash {
        case .sha1: return pHash(Insecure.SHA1.self, secret: secret, seed: fullSeed, length: length)
        case .sha256: return pHash(SHA256.self, secret: secret, seed: fullSeed, length: length)
        case .sha384: return pHash(SHA384.self, secret: secret, seed: fullSeed, length: length)
        }
    }

    /// RFC 5246 §5 P_hash. HMAC is keyed with the secret once; every block copies that keyed state (re-keying
    /// swift-crypto's HMAC pads and hashes the key again, and a key block takes up to eight HMACs).
    static func pHash<H: HashFunction>(_: H.Type, secret: [UInt8], seed: [UInt8], length: Int) -> [UInt8] {
        guard length > 0 else { return [] }
        let keyed = HMAC<H>(key: SymmetricKey(data: secret))
        var out: [UInt8] = []
        out.reserveCapacity(length + H.Digest.byteCount)
        var a = keyed
        a.update(data: seed)
        var aValue = a.finalize()  // A(1)
        while true {
            var block = keyed
            aValue.withUnsafeBytes { block.update(data: $0) }
            block.update(data: seed)
            block.finalize().withUnsafeBytes { out.append(contentsOf: $0) }
            if out.count >= length { break }
            var next = keyed  // A(i+1), only when another block is needed
            aValue.withUnsafeBytes { next.update(data: $0) }
            aValue = next.finalize()
        }
        out.removeLast(out.count - length)
        return out
    }
}

/// Write keys of one TLS 1.2 connection, split from the key block (RFC 5246 §6.3).
public struct TLS12KeyMaterial: Sendable, Equatable {
    public var clientWriteMACKey: [UInt8]
    public var serverWriteMACKey: [UInt8]
    public var clientWriteKey: [UInt8]
    public var serverWriteKey: [UInt8]
    public var clientWriteIV: [UInt8]
    public var serverWriteIV: [UInt8]
    public init(
        clientWriteMACKey: [UInt8], serverWriteMACKey: [UInt8], clientWriteKey: [UInt8], serverWriteKey: [UInt8],
        clientWriteIV: [UInt8], serverWriteIV: [UInt8]
    ) {
        self.clientWriteMACKey = clientWriteMACKey
        self.serverWriteMACKey = serverWriteMACKey
        self.clientWriteKey = clientWriteKey
        self.serverWriteKey = serverWriteKey
        self.clientWriteIV = clientWriteIV
        self.serverWriteIV = serverWriteIV
    }
}

/// TLS 1.2 secrets (RFC 5246 §8.1, §6.3, §7.4.9; RFC 7627 §4). Step names: `master_secret`, `key_block`,
/// `client_write_mac_key`, `server_write_mac_key`, `client_write_key`, `server_write_key`, `client_write_iv`,
/// `server_write_iv`, `client_verify_data` / `server_verify_data`.
///
/// Every step records the TLS 1.2 PRF's inputs by canonical name (`premaster_secret`, `client_random`,
/// `server_random`, `session_hash`, `master_secret`, `handshake_hash`), the ASCII label as `labelBytes`, and a note
/// naming the PRF hash, so the output can be recomputed with any TLS 1.2 PRF (e.g. `openssl kdf TLS1-PRF`).
/// AEAD suites have no MAC keys: their `*_write_mac_key` steps are omitted.
public enum TLS12KeySchedule {
    /// master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
    public static func masterSecret(
        suite: CipherSuiteInfo, premaster: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8],
        log: inout [DerivationStep]
    ) -> [UInt8] {
        let label = "master secret"
        let out = TLS12PRF.prf(
            hash: suite.prfHash, secret: premaster, label: label, seed: clientRandom + serverRandom, length: 48)
        log.append(
            DerivationStep(
                name: "master_secret",
                formula: "PRF(premaster_secret, \"master secret\", client_random + server_random)[0..47]",
                inputs: [
                    DerivationInput("premaster_secret", premaster, source: "key exchange (RFC 5246 §8.1)"),
                    DerivationInput("client_random", clientRandom, source: "ClientHello.random"),
                    DerivationInput("server_random", serverRandom, source: "ServerHello.random"),
                ],
                label: label, labelBytes: Array(label.utf8), output: out,
                note: prfNote(suite) + " RFC 5246 §8.1."))
        return out
    }

    /// RFC 7627 §4: PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
    public static func extendedMasterSecret(
        suite: CipherSuiteInfo, premaster: [UInt8], sessionHash: [UInt8], log: inout [DerivationStep]
    ) -> [UInt8] {
        let label = "extended master secret"
        let out = TLS12PRF.prf(hash: suite.prfHash, secret: premaster, label: label, seed: sessionHash, length: 48)
        log.append(
            DerivationStep(
                name: "master_secret",
                formula: "PRF(premaster_secret, \"extended master secret\", session_hash)[0..47]",
                inputs: [
                    DerivationInput("premaster_secret", premaster, source: "key exchange (RFC 5246 §8.1)"),
                    DerivationInput(
                        "session_hash", sessionHash,
                        source: "Hash(handshake_messages) from ClientHello up to and including ClientKeyExchange"),
                ],
                label: label, labelBytes: Array(label.utf8), output: out,
                note: prfNote(suite)
                    + " Extended master secret (RFC 7627 §4): binds the secret to the whole handshake so far."))
        return out
    }

    /// key_block = PRF(master_secret, "key expansion", server_random + client_random), split in the RFC's order;
    /// logs `key_block` then one step per key.
    public static func keyMaterial(
        suite: CipherSuiteInfo, masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8],
        log: inout [DerivationStep]
    ) -> TLS12KeyMaterial {
        let label = "key expansion"
        let length = suite.keyBlockLength
        let block = TLS12PRF.prf(
            hash: suite.prfHash, secret: masterSecret, label: label, seed: serverRandom + clientRandom, length: length)
        let texts = texts(suite)
        log.append(
            DerivationStep(
                name: "key_block", formula: texts.formula,
                inputs: [
                    DerivationInput("master_secret", masterSecret, source: "derived in step \"master_secret\""),
                    DerivationInput("server_random", serverRandom, source: "ServerHello.random"),
                    DerivationInput("client_random", clientRandom, source: "ClientHello.random"),
                ],
                label: label, labelBytes: Array(label.utf8), output: block, note: texts.note))

        var offset = 0
        var partIndex = 0
        func take(_ name: String, _ count: Int, note: String?) -> [UInt8] {
            let part = Array(block[offset..<offset + count])
            if count > 0 {
                log.append(
                    DerivationStep(
                        name: name, formula: texts.parts[partIndex],
                        inputs: [DerivationInput("key_block", block, source: "derived in step \"key_block\"")],
                        output: part, note: note))
            }
            offset += count
            partIndex += 1
            return part
        }
        let clientMAC = take("client_write_mac_key", suite.macKeyLength, note: texts.macNote)
        let serverMAC = take("server_write_mac_key", suite.macKeyLength, note: texts.macNote)
        let clientKey = take("client_write_key", suite.keyLength, note: texts.keyNote)
        let serverKey = take("server_write_key", suite.keyLength, note: texts.keyNote)
        let clientIV = take("client_write_iv", suite.ivLength, note: texts.ivNote)
        let serverIV = take("server_write_iv", suite.ivLength, note: texts.ivNote)
        return TLS12KeyMaterial(
            clientWriteMACKey: clientMAC, serverWriteMACKey: serverMAC, clientWriteKey: clientKey,
            serverWriteKey: serverKey, clientWriteIV: clientIV, serverWriteIV: serverIV)
    }

    /// verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]; `client` picks the label.
    public static func verifyData(
        suite: CipherSuiteInfo, masterSecret: [UInt8], client: Bool, handshakeHash: [UInt8],
        log: inout [DerivationStep]
    ) -> [UInt8] {
        let label = client ? "client finished" : "server finished"
        let out = TLS12PRF.prf(hash: suite.prfHash, secret: masterSecret, label: label, seed: handshakeHash, length: 12)
        log.append(
            DerivationStep(
                name: client ? "client_verify_data" : "server_verify_data",
                formula: "PRF(master_secret, \"\(label)\", Hash(handshake_messages))[0..11]",
                inputs: [
                    DerivationInput("master_secret", masterSecret, source: "derived in step \"master_secret\""),
                    DerivationInput(
                        "handshake_hash", handshakeHash,
                        source: client
                            ? "Hash of every handshake message before the client's Finished"
                            : "Hash of every handshake message before the server's Finished (including the client's)"),
                ],
                label: label, labelBytes: Array(label.utf8), output: out,
                note: prfNote(suite) + " RFC 5246 §7.4.9."))
        return out
    }

    private static func prfNote(_ suite: CipherSuiteInfo) -> String {
        switch suite.prfHash {
        case .sha1: "PRF = P_SHA1 (HMAC-SHA-1, RFC 5246 §5)."
        case .sha256: "PRF = P_SHA256 (HMAC-SHA-256, RFC 5246 §5)."
        case .sha384: "PRF = P_SHA384 (HMAC-SHA-384, RFC 5246 §5)."
        }
    }

    /// The key block's texts for one suite (they depend only on the suite), built once.
    struct KeyBlockTexts: Sendable {
        let formula: String
        let note: String
        /// `key_block[a..b]` for the six parts, in the RFC's order (MAC keys, keys, IVs; client first).
        let parts: [String]
        let macNote: String?
        let keyNote: String
        let ivNote: String
    }
    static let keyBlockTexts = BoundedCache<CipherSuite, KeyBlockTexts>(capacity: 64)

    static func texts(_ suite: CipherSuiteInfo) -> KeyBlockTexts {
        keyBlockTexts.value(for: suite.suite) {
            let length = suite.keyBlockLength
            var parts: [String] = []
            var offset = 0
            for count in [
                suite.macKeyLength, suite.macKeyLength, suite.keyLength, suite.keyLength, suite.ivLength, suite.ivLength,
            ] {
                parts.append(count > 0 ? "key_block[\(offset)..\(offset + count - 1)]" : "")
                offset += count
            }
            let ivNote: String
            switch suite.cipher {
            case .aes128CBC, .aes256CBC:
                ivNote = "Only used by TLS 1.0: TLS 1.2 CBC records carry an explicit IV (RFC 5246 §6.2.3.2), "
                    + "so this IV is derived but unused."
            case .aes128GCM, .aes256GCM:
                ivNote = "The implicit 4-byte salt: nonce = salt + 8-byte explicit nonce (RFC 5288 §3)."
            case .chacha20Poly1305:
                ivNote = "Nonce = this IV XOR the padded sequence number (RFC 7905 §2)."
            }
            return KeyBlockTexts(
                formula: "PRF(master_secret, \"key expansion\", server_random + client_random)[0..\(length - 1)]",
                note: prfNote(suite) + " RFC 5246 §6.3: 2 × (\(suite.macKeyLength) MAC + \(suite.keyLength) key + "
                    + "\(suite.ivLength) IV) = \(length) bytes for \(suite.suite).",
                parts: parts,
                macNote: suite.macHash.map { "\($0.hmacName) key for the record MAC (RFC 5246 §6.2.3.2)." },
                keyNote: "\(suite.cipher.rawValue) key (RFC 5246 §6.3).", ivNote: ivNote)
        }
    }
}
