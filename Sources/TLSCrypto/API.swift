// API CONTRACT for TLSCrypto (bodies to be implemented; signatures are relied on by TLSHandshake).
// Every derivation appends DerivationSteps to `log` in the order they happen.
import TLSWire

/// Hash functions TLS uses (TLS 1.2 PRF / HMAC, TLS 1.3 HKDF and transcript hash).
public enum HashAlgorithm: String, Sendable, Codable, Equatable {
    case sha1, sha256, sha384
    public var outputLength: Int { switch self { case .sha1: 20; case .sha256: 32; case .sha384: 48 } }
    public func hash(_ data: [UInt8]) -> [UInt8] { fatalError("unimplemented") }
    public func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] { fatalError("unimplemented") }
    /// `SHA-256`, `SHA-384`, `SHA-1`.
    public var displayName: String { fatalError("unimplemented") }
}

/// Running transcript hash (RFC 8446 §4.4.1; RFC 5246 handshake_messages). Keeps the messages so the hash can
/// be switched once the suite (and so the hash) is known, and so `message_hash` can replace ClientHello1.
public struct TranscriptHash: Sendable {
    public private(set) var messages: [[UInt8]] = []
    public var hashAlgorithm: HashAlgorithm
    public init(hashAlgorithm: HashAlgorithm) { self.hashAlgorithm = hashAlgorithm }
    public mutating func append(_ message: [UInt8]) { messages.append(message) }
    /// Hash of everything appended so far.
    public func current() -> [UInt8] { fatalError("unimplemented") }
    /// RFC 8446 §4.4.1: replace the messages so far (ClientHello1) by message_hash(Hash(ClientHello1)).
    public mutating func replaceWithMessageHash() { fatalError("unimplemented") }
    /// Concatenation of all messages (TLS 1.2 handshake_messages).
    public var concatenated: [UInt8] { messages.flatMap { $0 } }
}

/// Bulk cipher of a suite.
public enum BulkCipher: String, Sendable, Codable, Equatable {
    case aes128GCM = "AES-128-GCM", aes256GCM = "AES-256-GCM", chacha20Poly1305 = "ChaCha20-Poly1305"
    case aes128CBC = "AES-128-CBC", aes256CBC = "AES-256-CBC"
    public var keyLength: Int { fatalError("unimplemented") }
    public var isAEAD: Bool { fatalError("unimplemented") }
}

/// What a cipher suite means (RFC 5246 App. C, RFC 8446 §B.4, RFC 5289, RFC 8422, RFC 7905).
public struct CipherSuiteInfo: Sendable, Equatable {
    public var suite: CipherSuite
    /// `.tls13` for TLS 1.3 suites, `.tls12` otherwise.
    public var version: ProtocolVersion
    /// TLS 1.2 key exchange; nil for TLS 1.3 suites (negotiated separately).
    public var keyExchange: KeyExchangeKind?
    /// TLS 1.2 server authentication: `rsa` or `ecdsa`; nil for TLS 1.3.
    public var authentication: String?
    public var cipher: BulkCipher
    /// HMAC hash for CBC suites; nil for AEAD.
    public var macHash: HashAlgorithm?
    /// TLS 1.2 PRF hash / TLS 1.3 HKDF and transcript hash.
    public var prfHash: HashAlgorithm
    public var macKeyLength: Int { macHash?.outputLength ?? 0 }
    public var keyLength: Int { cipher.keyLength }
    /// TLS 1.2 key-block IV length: 4 (GCM salt), 12 (ChaCha20), 16 (CBC, unused in TLS 1.2); TLS 1.3: 12.
    public var ivLength: Int
    /// Every suite TLSLab implements, or nil.
    public static func info(_ suite: CipherSuite) -> CipherSuiteInfo? { fatalError("unimplemented") }
}

/// RFC 5246 §5: P_hash / PRF.
public enum TLS12PRF {
    public static func prf(hash: HashAlgorithm, secret: [UInt8], label: String, seed: [UInt8], length: Int) -> [UInt8] {
        fatalError("unimplemented")
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
    public init(clientWriteMACKey: [UInt8], serverWriteMACKey: [UInt8], clientWriteKey: [UInt8], serverWriteKey: [UInt8], clientWriteIV: [UInt8], serverWriteIV: [UInt8]) {
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
public enum TLS12KeySchedule {
    /// master_secret = PRF(pre_master_secret, "master secret", ClientHello.random + ServerHello.random)[0..47]
    public static func masterSecret(suite: CipherSuiteInfo, premaster: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
    /// RFC 7627: PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
    public static func extendedMasterSecret(suite: CipherSuiteInfo, premaster: [UInt8], sessionHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
    /// key_block = PRF(master_secret, "key expansion", server_random + client_random), split in the RFC's order;
    /// logs `key_block` then one step per key.
    public static func keyMaterial(suite: CipherSuiteInfo, masterSecret: [UInt8], clientRandom: [UInt8], serverRandom: [UInt8], log: inout [DerivationStep]) -> TLS12KeyMaterial { fatalError("unimplemented") }
    /// verify_data = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]; `client` picks the label.
    public static func verifyData(suite: CipherSuiteInfo, masterSecret: [UInt8], client: Bool, handshakeHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
}

/// RFC 8446 §7.1: HKDF-Expand-Label, Derive-Secret and the key schedule as a chain of stages.
/// Step names follow the RFC: `early_secret`, `binder_key`, `client_early_traffic_secret`,
/// `early_exporter_master_secret`, `derived` (the salt for the next stage; name it `derived_for_handshake` /
/// `derived_for_master`), `shared_secret` is an input, `handshake_secret`, `client_handshake_traffic_secret`,
/// `server_handshake_traffic_secret`, `master_secret`, `client_application_traffic_secret_0`,
/// `server_application_traffic_secret_0`, `exporter_master_secret`, `resumption_master_secret`.
public enum TLS13KeySchedule {
    /// HkdfLabel encoding (length, "tls13 " + label, context): the `info` HKDF-Expand gets.
    public static func hkdfLabel(label: String, context: [UInt8], length: Int) -> [UInt8] { fatalError("unimplemented") }
    public static func hkdfExpandLabel(hash: HashAlgorithm, secret: [UInt8], label: String, context: [UInt8], length: Int) -> [UInt8] { fatalError("unimplemented") }
    public static func hkdfExtract(hash: HashAlgorithm, salt: [UInt8], ikm: [UInt8]) -> [UInt8] { fatalError("unimplemented") }

    /// Early Secret = HKDF-Extract(0, PSK or 0s).
    public struct EarlyStage: Sendable {
        public let hash: HashAlgorithm
        public let earlySecret: [UInt8]
        public init(hash: HashAlgorithm, psk: [UInt8]?, log: inout [DerivationStep]) { fatalError("unimplemented") }
        /// `resumption`: "res binder" vs "ext binder".
        public func binderKey(resumption: Bool, log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        public func clientEarlyTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        public func earlyExporterMasterSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        /// Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE shared secret or 0s).
        public func handshakeStage(sharedSecret: [UInt8]?, log: inout [DerivationStep]) -> HandshakeStage { fatalError("unimplemented") }
    }

    public struct HandshakeStage: Sendable {
        public let hash: HashAlgorithm
        public let handshakeSecret: [UInt8]
        public init(hash: HashAlgorithm, handshakeSecret: [UInt8]) { self.hash = hash; self.handshakeSecret = handshakeSecret }
        public func clientHandshakeTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        public func serverHandshakeTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        /// Master Secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0s).
        public func masterStage(log: inout [DerivationStep]) -> MasterStage { fatalError("unimplemented") }
    }

    public struct MasterStage: Sendable {
        public let hash: HashAlgorithm
        public let masterSecret: [UInt8]
        public init(hash: HashAlgorithm, masterSecret: [UInt8]) { self.hash = hash; self.masterSecret = masterSecret }
        public func clientApplicationTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        public func serverApplicationTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        public func exporterMasterSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
        public func resumptionMasterSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
    }

    /// RFC 8446 §7.3: key = HKDF-Expand-Label(secret, "key", "", key_length), iv = ... "iv" ... 12.
    /// `prefix` names the steps: `client_handshake` → `client_handshake_key`, `client_handshake_iv`.
    public static func trafficKeys(suite: CipherSuiteInfo, secret: [UInt8], prefix: String, log: inout [DerivationStep]) -> (key: [UInt8], iv: [UInt8]) { fatalError("unimplemented") }
    /// RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(base_key, "finished", "", Hash.length); step `<side>_finished_key`.
    public static func finishedKey(hash: HashAlgorithm, baseKey: [UInt8], side: String, log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
    /// verify_data = HMAC(finished_key, Transcript-Hash(...)); step `<side>_verify_data` (or `binder` via name).
    public static func verifyData(hash: HashAlgorithm, finishedKey: [UInt8], transcriptHash: [UInt8], name: String, log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
    /// RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
    public static func nextTrafficSecret(hash: HashAlgorithm, secret: [UInt8], name: String, log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
    /// RFC 8446 §4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
    public static func resumptionPSK(hash: HashAlgorithm, resumptionMasterSecret: [UInt8], nonce: [UInt8], log: inout [DerivationStep]) -> [UInt8] { fatalError("unimplemented") }
}

/// What protecting or opening one record involved, for the transcript (nonce, additional data, MAC/tag, padding).
public struct ProtectionDetails: Codable, Sendable, Equatable {
    public var sequenceNumber: UInt64
    public var cipher: String
    public var nonce: [UInt8]?
    public var additionalData: [UInt8]?
    public var explicitIV: [UInt8]?
    public var mac: [UInt8]?
    public var tag: [UInt8]?
    public var paddingLength: Int?
    public init(sequenceNumber: UInt64, cipher: String, nonce: [UInt8]? = nil, additionalData: [UInt8]? = nil, explicitIV: [UInt8]? = nil, mac: [UInt8]? = nil, tag: [UInt8]? = nil, paddingLength: Int? = nil) {
        self.sequenceNumber = sequenceNumber; self.cipher = cipher; self.nonce = nonce; self.additionalData = additionalData
        self.explicitIV = explicitIV; self.mac = mac; self.tag = tag; self.paddingLength = paddingLength
    }
}

/// Why a record could not be opened; maps to the alert to send.
public struct RecordProtectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var alert: AlertDescription
    public var reason: String
    public init(alert: AlertDescription, reason: String) { self.alert = alert; self.reason = reason }
    public var description: String { reason }
}

/// One direction of record protection with its sequence number (RFC 5246 §6.2.3, RFC 7366, RFC 8446 §5.2–5.3,
/// RFC 7905). `seal` increments the sequence number; so does a successful `open`.
public struct RecordProtection: Sendable {
    public let suite: CipherSuiteInfo
    public private(set) var sequenceNumber: UInt64 = 0
    /// TLS 1.2 (`version == .tls12`) or TLS 1.3 record format.
    public let version: ProtocolVersion
    public let encryptThenMAC: Bool

    public init(tls12 suite: CipherSuiteInfo, macKey: [UInt8], key: [UInt8], iv: [UInt8], encryptThenMAC: Bool) { fatalError("unimplemented") }
    public init(tls13 suite: CipherSuiteInfo, key: [UInt8], iv: [UInt8]) { fatalError("unimplemented") }

    /// Protects one record. TLS 1.3: `contentType` goes inside (TLSInnerPlaintext) and the outer type is
    /// application_data. TLS 1.2 CBC needs `explicitIV` (16 bytes, from the caller's random source); GCM uses the
    /// sequence number as explicit nonce.
    public mutating func seal(contentType: ContentType, plaintext: [UInt8], explicitIV: [UInt8]?) throws -> (TLSRecord, ProtectionDetails) { fatalError("unimplemented") }
    /// Opens one record: returns the real content type and plaintext, or throws (bad_record_mac for any MAC, tag or
    /// padding failure; record_overflow for an over-long plaintext; unexpected_message for an all-zero TLS 1.3 inner plaintext).
    public mutating func open(_ record: TLSRecord) throws -> (ContentType, [UInt8], ProtectionDetails) { fatalError("unimplemented") }
}

/// An ephemeral (EC)DH key pair for key_share / ServerKeyExchange / ClientKeyExchange.
public struct EphemeralKeyPair: Sendable {
    public let group: NamedGroup
    public let privateKey: [UInt8]
    /// TLS wire form: x25519 raw 32 bytes; secp256r1 uncompressed x9.63 (65 bytes).
    public let publicKey: [UInt8]
    /// Builds the key from `privateKey` bytes chosen by the caller's seeded generator (32 bytes for both groups).
    /// Throws if the group is unsupported or the bytes are not a valid scalar.
    public init(group: NamedGroup, privateKey: [UInt8]) throws { fatalError("unimplemented") }
    public static let supportedGroups: [NamedGroup] = [.x25519, .secp256r1]
    /// The shared secret with the peer's public key (x25519: 32 bytes; P-256: the x-coordinate). An invalid
    /// point or an all-zero x25519 result throws `illegal_parameter`.
    public func sharedSecret(peerPublicKey: [UInt8]) throws -> [UInt8] { fatalError("unimplemented") }
}

/// A private key that signs handshake messages (and, for RSA, decrypts the premaster secret). Loads RSA, P-256
/// and Ed25519 keys from PEM (PKCS#1, PKCS#8, SEC1).
public struct SigningKey: Sendable {
    public enum Kind: String, Sendable, Codable { case rsa, ecdsaP256 = "ecdsa-p256", ed25519 }
    public let kind: Kind
    public init(pem: String) throws { fatalError("unimplemented") }
    /// Schemes this key can produce, in preference order.
    public var supportedSchemes: [SignatureScheme] { fatalError("unimplemented") }
    /// Signs `message` with `scheme` (which must fit the key). RSA-PSS and ECDSA are randomized by the library.
    public func sign(_ message: [UInt8], scheme: SignatureScheme) throws -> [UInt8] { fatalError("unimplemented") }
    /// RFC 5246 §7.4.7.1 (RSA keys only): raw RSA decryption of the EncryptedPreMasterSecret, returning the
    /// EME-PKCS1-v1_5 block `00 02 PS 00 M` so the transcript can show it. No padding check here.
    public func rsaDecryptRaw(_ ciphertext: [UInt8]) throws -> [UInt8] { fatalError("unimplemented") }
    /// The matching public key.
    public var publicKey: VerifyingKey { fatalError("unimplemented") }
}

/// A public key from a certificate's SubjectPublicKeyInfo.
public struct VerifyingKey: Sendable {
    public let kind: SigningKey.Kind
    /// DER SubjectPublicKeyInfo.
    public let spki: [UInt8]
    public init(spki: [UInt8]) throws { fatalError("unimplemented") }
    public var supportedSchemes: [SignatureScheme] { fatalError("unimplemented") }
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], scheme: SignatureScheme) -> Bool { fatalError("unimplemented") }
    /// RSA key size in bytes (modulus length), nil for other kinds.
    public var rsaModulusLength: Int? { fatalError("unimplemented") }
    /// RFC 8017 §7.2.1 EME-PKCS1-v1_5 then raw RSA: `padding` supplies the nonzero PS bytes (from the seeded
    /// generator; zeros in it are replaced deterministically). Returns the block before encryption and the ciphertext.
    public func rsaEncryptPKCS1(_ message: [UInt8], padding: [UInt8]) throws -> (block: [UInt8], ciphertext: [UInt8]) { fatalError("unimplemented") }
}

/// Content signed by CertificateVerify (RFC 8446 §4.4.3): 64 × 0x20, the context string, 0x00, transcript hash.
public enum TLS13Signing {
    public static func certificateVerifyContent(server: Bool, transcriptHash: [UInt8]) -> [UInt8] { fatalError("unimplemented") }
}

/// Reproducible randomness: a scenario + seed gives the same bytes on every machine. Each draw is named, so adding
/// a draw elsewhere does not shift the others: output = HKDF-Expand(SHA-256, PRK = HKDF-Extract("tlslab", seed ‖
/// stream), info = label ‖ draw index, n). `system` uses the OS generator (for real peers).
public struct RandomSource: Sendable {
    public init(seed: UInt64, stream: String) { fatalError("unimplemented") }
    public static func system() -> RandomSource { fatalError("unimplemented") }
    public var isSeeded: Bool { fatalError("unimplemented") }
    public mutating func bytes(_ count: Int, label: String) -> [UInt8] { fatalError("unimplemented") }
}

/// RFC 5246 §7.4.7.1: parse a decrypted EME-PKCS1-v1_5 block (00 02 PS 00 M): PS ≥ 8 nonzero bytes, a 48-byte
/// premaster starting with `expectedVersion`. Nil on any failure (the caller substitutes a random premaster).
public enum RSAPremaster {
    public static func parse(block: [UInt8], expectedVersion: ProtocolVersion) -> [UInt8]? { fatalError("unimplemented") }
}
