import TLSWire

/// Bulk cipher of a suite (RFC 5246 §6.2.3, RFC 5288, RFC 7905, RFC 8446 §5.2).
public enum BulkCipher: String, Sendable, Codable, Equatable {
    case aes128GCM = "AES-128-GCM", aes256GCM = "AES-256-GCM", chacha20Poly1305 = "ChaCha20-Poly1305"
    case aes128CBC = "AES-128-CBC", aes256CBC = "AES-256-CBC"

    /// Key length in bytes (`enc_key_length` in RFC 5246 §6.3, `key_length` in RFC 8446 §7.3).
    public var keyLength: Int {
        switch self {
        case .aes128GCM, .aes128CBC: 16
        case .aes256GCM, .aes256CBC, .chacha20Poly1305: 32
        }
    }

    /// True for AEAD ciphers (RFC 5246 §6.2.3.3), false for CBC with a separate HMAC.
    public var isAEAD: Bool {
        switch self {
        case .aes128GCM, .aes256GCM, .chacha20Poly1305: true
        case .aes128CBC, .aes256CBC: false
        }
    }
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

    init(
        _ suite: CipherSuite, _ version: ProtocolVersion, _ keyExchange: KeyExchangeKind?, _ authentication: String?,
        _ cipher: BulkCipher, mac: HashAlgorithm?, prf: HashAlgorithm
    ) {
        self.suite = suite
        self.version = version
        self.keyExchange = keyExchange
        self.authentication = authentication
        self.cipher = cipher
        self.macHash = mac
        self.prfHash = prf
        if version == .tls13 {
            ivLength = 12  // RFC 8446 §5.3: iv_length = max(8, N_MIN) = 12 for every TLS 1.3 AEAD
        } else {
            switch cipher {
            case .aes128GCM, .aes256GCM: ivLength = 4  // RFC 5288 §3: the 4-byte implicit salt
            case .chacha20Poly1305: ivLength = 12  // RFC 7905 §2: fixed_iv_length 12
            case .aes128CBC, .aes256CBC: ivLength = 16  // RFC 5246 §6.3: generated, but records carry explicit IVs
            }
        }
    }

    /// Every suite TLSLab implements, or nil.
    public static func info(_ suite: CipherSuite) -> CipherSuiteInfo? { table[suite] }

    /// The suites TLSLab implements, TLS 1.3 first, in a sensible preference order.
    public static let all: [CipherSuiteInfo] = [
        // TLS 1.3 (RFC 8446 §B.4)
        .init(.TLS_AES_128_GCM_SHA256, .tls13, nil, nil, .aes128GCM, mac: nil, prf: .sha256),
        .init(.TLS_AES_256_GCM_SHA384, .tls13, nil, nil, .aes256GCM, mac: nil, prf: .sha384),
        .init(.TLS_CHACHA20_POLY1305_SHA256, .tls13, nil, nil, .chacha20Poly1305, mac: nil, prf: .sha256),
        // TLS 1.2 ECDHE, AEAD (RFC 5289 §3.2, RFC 7905 §2): the PRF hash is the one named in the suite.
        .init(.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .tls12, .ecdhe, "ecdsa", .aes128GCM, mac: nil, prf: .sha256),
        .init(.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .tls12, .ecdhe, "rsa", .aes128GCM, mac: nil, prf: .sha256),
        .init(.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, .tls12, .ecdhe, "ecdsa", .aes256GCM, mac: nil, prf: .sha384),
        .init(.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, .tls12, .ecdhe, "rsa", .aes256GCM, mac: nil, prf: .sha384),
        .init(
            .TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, .tls12, .ecdhe, "ecdsa", .chacha20Poly1305, mac: nil,
            prf: .sha256),
        .init(
            .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, .tls12, .ecdhe, "rsa", .chacha20Poly1305, mac: nil,
            prf: .sha256),
        // TLS 1.2 ECDHE, CBC (RFC 8422 §6, RFC 5289 §3.1). *_CBC_SHA suites use HMAC-SHA1 for records but the
        // SHA-256 PRF in TLS 1.2 (RFC 5246 §5: "all cipher suites defined in this document").
        .init(.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, .tls12, .ecdhe, "ecdsa", .aes128CBC, mac: .sha256, prf: .sha256),
        .init(.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, .tls12, .ecdhe, "rsa", .aes128CBC, mac: .sha256, prf: .sha256),
        .init(.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, .tls12, .ecdhe, "ecdsa", .aes128CBC, mac: .sha1, prf: .sha256),
        .init(.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .tls12, .ecdhe, "rsa", .aes128CBC, mac: .sha1, prf: .sha256),
        .init(.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, .tls12, .ecdhe, "rsa", .aes256CBC, mac: .sha1, prf: .sha256),
        // TLS 1.2 RSA key exchange (RFC 5246 App. C, RFC 5288 §3).
        .init(.TLS_RSA_WITH_AES_128_GCM_SHA256, .tls12, .rsa, "rsa", .aes128GCM, mac: nil, prf: .sha256),
        .init(.TLS_RSA_WITH_AES_256_GCM_SHA384, .tls12, .rsa, "rsa", .aes256GCM, mac: nil, prf: .sha384),
        .init(.TLS_RSA_WITH_AES_128_CBC_SHA256, .tls12, .rsa, "rsa", .aes128CBC, mac: .sha256, prf: .sha256),
        .init(.TLS_RSA_WITH_AES_128_CBC_SHA, .tls12, .rsa, "rsa", .aes128CBC, mac: .sha1, prf: .sha256),
        .init(.TLS_RSA_WITH_AES_256_CBC_SHA, .tls12, .rsa, "rsa", .aes256CBC, mac: .sha1, prf: .sha256),
    ]

    private static let table: [CipherSuite: CipherSuiteInfo] = Dictionary(
        all.map { ($0.suite, $0) }, uniquingKeysWith: { first, _ in first })

    /// Length of the TLS 1.2 key block (RFC 5246 §6.3): 2 × (MAC key + key + IV).
    public var keyBlockLength: Int { 2 * (macKeyLength + keyLength + ivLength) }

    /// A learner-facing description of the record protection, e.g. `AES-128-CBC + HMAC-SHA1`.
    public var protectionName: String {
        if let macHash { return "\(cipher.rawValue) + \(macHash.hmacName)" }
        return cipher.rawValue
    }
}
