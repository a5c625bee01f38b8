/// Protocol code points as `RawRepresentable` structs, so a value TLSLab does not know (a GREASE value, a new
/// group) is kept and shown instead of being rejected or lost.
public protocol TLSCodePoint: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible
where RawValue: FixedWidthInteger & Sendable & Codable {
    /// Names of the code points TLSLab knows, e.g. `[0x0303: "TLS 1.2"]`.
    static var names: [RawValue: String] { get }
    init(rawValue: RawValue)
}

extension TLSCodePoint {
    /// The registered name, or nil for a value TLSLab does not know.
    public var name: String? { Self.names[rawValue] }
    public var isKnown: Bool { name != nil }
    /// `0x1301`-style hex of the raw value, zero-padded to its width.
    public var hexValue: String {
        let width = MemoryLayout<RawValue>.size * 2
        let value = UInt64(truncatingIfNeeded: rawValue)
        return String(unsafeUninitializedCapacity: width + 2) { out in
            out[0] = 0x30  // 0
            out[1] = 0x78  // x
            for i in 0..<width { out[2 + i] = hexDigit(UInt8(truncatingIfNeeded: value >> (4 * (width - 1 - i))) & 0x0f) }
            return width + 2
        }
    }
    /// GREASE (RFC 8701): 0x?a?a for 16-bit values, where both bytes are equal.
    public var isGREASE: Bool {
        guard MemoryLayout<RawValue>.size == 2 else { return false }
        let v = UInt16(truncatingIfNeeded: rawValue)
        return v & 0x0f0f == 0x0a0a && v >> 8 == v & 0xff
    }
    public var description: String {
        if let name { return name }
        return isGREASE ? "GREASE (\(hexValue))" : "unknown (\(hexValue))"
    }
    /// `"TLS 1.2 (0x0303)"`.
    /// (An unknown value is just `unknown (0x1234)`, without repeating the number.)
    public var labelled: String { name.map { "\($0) (\(hexValue))" } ?? description }

    /// Looks a code point up by its registered name (as written in scenario files).
    public init?(name: String) {
        guard let raw = Self.names.first(where: { $0.value == name })?.key else { return nil }
        self.init(rawValue: raw)
    }

    public init(from decoder: Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(RawValue.self))
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}

/// RFC 8446 §4.1.2 / RFC 5246 §6.2.1: ProtocolVersion.
public struct ProtocolVersion: TLSCodePoint, Comparable {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let ssl3 = Self(rawValue: 0x0300)
    public static let tls10 = Self(rawValue: 0x0301)
    public static let tls11 = Self(rawValue: 0x0302)
    public static let tls12 = Self(rawValue: 0x0303)
    public static let tls13 = Self(rawValue: 0x0304)
    public static let names: [UInt16: String] = [
        0x0300: "SSL 3.0", 0x0301: "TLS 1.0", 0x0302: "TLS 1.1", 0x0303: "TLS 1.2", 0x0304: "TLS 1.3",
    ]
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// RFC 8446 §5.1 / RFC 5246 §6.2.1: ContentType.
public struct ContentType: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let invalid = Self(rawValue: 0)
    public static let changeCipherSpec = Self(rawValue: 20)
    public static let alert = Self(rawValue: 21)
    public static let handshake = Self(rawValue: 22)
    public static let applicationData = Self(rawValue: 23)
    public static let heartbeat = Self(rawValue: 24)
    public static let names: [UInt8: String] = [
        0: "invalid", 20: "change_cipher_spec", 21: "alert", 22: "handshake", 23: "application_data",
        24: "heartbeat",
    ]
}

/// RFC 8446 §4 / RFC 5246 §7.4: HandshakeType.
public struct HandshakeType: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let helloRequest = Self(rawValue: 0)
    public static let clientHello = Self(rawValue: 1)
    public static let serverHello = Self(rawValue: 2)
    public static let newSessionTicket = Self(rawValue: 4)
    public static let endOfEarlyData = Self(rawValue: 5)
    public static let encryptedExtensions = Self(rawValue: 8)
    public static let certificate = Self(rawValue: 11)
    public static let serverKeyExchange = Self(rawValue: 12)
    public static let certificateRequest = Self(rawValue: 13)
    public static let serverHelloDone = Self(rawValue: 14)
    public static let certificateVerify = Self(rawValue: 15)
    public static let clientKeyExchange = Self(rawValue: 16)
    public static let finished = Self(rawValue: 20)
    public static let certificateStatus = Self(rawValue: 22)
    public static let keyUpdate = Self(rawValue: 24)
    public static let messageHash = Self(rawValue: 254)
    public static let names: [UInt8: String] = [
        0: "hello_request", 1: "client_hello", 2: "server_hello", 4: "new_session_ticket",
        5: "end_of_early_data", 8: "encrypted_extensions", 11: "certificate", 12: "server_key_exchange",
        13: "certificate_request", 14: "server_hello_done", 15: "certificate_verify", 16: "client_key_exchange",
        20: "finished", 22: "certificate_status", 24: "key_update", 254: "message_hash",
    ]
    /// CamelCase display name used on the ladder: `ClientHello`, `ServerKeyExchange`.
    public var displayName: String {
        guard let name else { return "Handshake(\(rawValue))" }
        return Self.displayNames[rawValue] ?? name
    }
    /// `names` in CamelCase, worked out once (the ladder and every record summary ask for them).
    private static let displayNames: [UInt8: String] = names.mapValues { name in
        name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }
}

/// RFC 8446 §B.4, RFC 5246 §A.5, RFC 8422, RFC 5289, RFC 7905: CipherSuite.
public struct CipherSuite: TLSCodePoint {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    // TLS 1.3 (RFC 8446 §B.4)
    public static let TLS_AES_128_GCM_SHA256 = Self(rawValue: 0x1301)
    public static let TLS_AES_256_GCM_SHA384 = Self(rawValue: 0x1302)
    public static let TLS_CHACHA20_POLY1305_SHA256 = Self(rawValue: 0x1303)
    // TLS 1.2, RSA key exchange (RFC 5246 §A.5, RFC 5288)
    public static let TLS_RSA_WITH_AES_128_CBC_SHA = Self(rawValue: 0x002f)
    public static let TLS_RSA_WITH_AES_256_CBC_SHA = Self(rawValue: 0x0035)
    public static let TLS_RSA_WITH_AES_128_CBC_SHA256 = Self(rawValue: 0x003c)
    public static let TLS_RSA_WITH_AES_128_GCM_SHA256 = Self(rawValue: 0x009c)
    public static let TLS_RSA_WITH_AES_256_GCM_SHA384 = Self(rawValue: 0x009d)
    // TLS 1.2, ECDHE (RFC 8422, RFC 5289, RFC 7905)
    public static let TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA = Self(rawValue: 0xc009)
    public static let TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA = Self(rawValue: 0xc013)
    public static let TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA = Self(rawValue: 0xc014)
    public static let TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256 = Self(rawValue: 0xc023)
    public static let TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256 = Self(rawValue: 0xc027)
    public static let TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 = Self(rawValue: 0xc02b)
    public static let TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 = Self(rawValue: 0xc02c)
    public static let TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 = Self(rawValue: 0xc02f)
    public static let TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384 = Self(rawValue: 0xc030)
    public static let TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256 = Self(rawValue: 0xcca8)
    public static let TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256 = Self(rawValue: 0xcca9)
    // Signalling values
    public static let TLS_EMPTY_RENEGOTIATION_INFO_SCSV = Self(rawValue: 0x00ff)
    public static let TLS_FALLBACK_SCSV = Self(rawValue: 0x5600)
    public static let names: [UInt16: String] = [
        0x1301: "TLS_AES_128_GCM_SHA256", 0x1302: "TLS_AES_256_GCM_SHA384",
        0x1303: "TLS_CHACHA20_POLY1305_SHA256",
        0x002f: "TLS_RSA_WITH_AES_128_CBC_SHA", 0x0035: "TLS_RSA_WITH_AES_256_CBC_SHA",
        0x003c: "TLS_RSA_WITH_AES_128_CBC_SHA256", 0x009c: "TLS_RSA_WITH_AES_128_GCM_SHA256",
        0x009d: "TLS_RSA_WITH_AES_256_GCM_SHA384",
        0xc009: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA", 0xc013: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
        0xc014: "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA", 0xc023: "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
        0xc027: "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256", 0xc02b: "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        0xc02c: "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", 0xc02f: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        0xc030: "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", 0xcca8: "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
        0xcca9: "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        0x00ff: "TLS_EMPTY_RENEGOTIATION_INFO_SCSV", 0x5600: "TLS_FALLBACK_SCSV",
    ]
    public var isTLS13: Bool { rawValue >> 8 == 0x13 }
}

/// RFC 8446 §4.2.7 / RFC 8422 §5.1.1: NamedGroup (formerly NamedCurve).
public struct NamedGroup: TLSCodePoint {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let secp256r1 = Self(rawValue: 0x0017)
    public static let secp384r1 = Self(rawValue: 0x0018)
    public static let secp521r1 = Self(rawValue: 0x0019)
    public static let x25519 = Self(rawValue: 0x001d)
    public static let x448 = Self(rawValue: 0x001e)
    public static let ffdhe2048 = Self(rawValue: 0x0100)
    public static let X25519MLKEM768 = Self(rawValue: 0x11ec)
    public static let SecP256r1MLKEM768 = Self(rawValue: 0x11eb)
    public static let X25519Kyber768Draft00 = Self(rawValue: 0x6399)
    public static let names: [UInt16: String] = [
        0x0017: "secp256r1", 0x0018: "secp384r1", 0x0019: "secp521r1", 0x001d: "x25519", 0x001e: "x448",
        0x0100: "ffdhe2048", 0x0101: "ffdhe3072", 0x0102: "ffdhe4096", 0x0103: "ffdhe6144", 0x0104: "ffdhe8192",
        0x11ec: "X25519MLKEM768", 0x11eb: "SecP256r1MLKEM768",
        0x6399: "X25519Kyber768Draft00",
    ]
}

/// RFC 8446 §4.2.3: SignatureScheme (in TLS 1.2, the same two bytes are SignatureAndHashAlgorithm, RFC 5246 §7.4.1.4.1).
public struct SignatureScheme: TLSCodePoint {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let rsa_pkcs1_sha1 = Self(rawValue: 0x0201)
    public static let ecdsa_sha1 = Self(rawValue: 0x0203)
    public static let rsa_pkcs1_sha256 = Self(rawValue: 0x0401)
    public static let rsa_pkcs1_sha384 = Self(rawValue: 0x0501)
    public static let rsa_pkcs1_sha512 = Self(rawValue: 0x0601)
    public static let ecdsa_secp256r1_sha256 = Self(rawValue: 0x0403)
    public static let ecdsa_secp384r1_sha384 = Self(rawValue: 0x0503)
    public static let ecdsa_secp521r1_sha512 = Self(rawValue: 0x0603)
    public static let rsa_pss_rsae_sha256 = Self(rawValue: 0x0804)
    public static let rsa_pss_rsae_sha384 = Self(rawValue: 0x0805)
    public static let rsa_pss_rsae_sha512 = Self(rawValue: 0x0806)
    public static let ed25519 = Self(rawValue: 0x0807)
    public static let ed448 = Self(rawValue: 0x0808)
    public static let rsa_pss_pss_sha256 = Self(rawValue: 0x0809)
    public static let rsa_pss_pss_sha384 = Self(rawValue: 0x080a)
    public static let rsa_pss_pss_sha512 = Self(rawValue: 0x080b)
    public static let names: [UInt16: String] = [
        0x0201: "rsa_pkcs1_sha1", 0x0203: "ecdsa_sha1", 0x0401: "rsa_pkcs1_sha256", 0x0501: "rsa_pkcs1_sha384",
        0x0601: "rsa_pkcs1_sha512", 0x0403: "ecdsa_secp256r1_sha256", 0x0503: "ecdsa_secp384r1_sha384",
        0x0603: "ecdsa_secp521r1_sha512", 0x0804: "rsa_pss_rsae_sha256", 0x0805: "rsa_pss_rsae_sha384",
        0x0806: "rsa_pss_rsae_sha512", 0x0807: "ed25519", 0x0808: "ed448", 0x0809: "rsa_pss_pss_sha256",
        0x080a: "rsa_pss_pss_sha384", 0x080b: "rsa_pss_pss_sha512",
    ]
}

/// RFC 8446 §4.2 and the IANA registry: ExtensionType.
public struct ExtensionType: TLSCodePoint {
    public var rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    public static let serverName = Self(rawValue: 0)
    public static let statusRequest = Self(rawValue: 5)
    public static let supportedGroups = Self(rawValue: 10)
    public static let ecPointFormats = Self(rawValue: 11)
    public static let signatureAlgorithms = Self(rawValue: 13)
    public static let alpn = Self(rawValue: 16)
    public static let signedCertificateTimestamp = Self(rawValue: 18)
    public static let padding = Self(rawValue: 21)
    public static let encryptThenMAC = Self(rawValue: 22)
    public static let extendedMasterSecret = Self(rawValue: 23)
    public static let compressCertificate = Self(rawValue: 27)
    public static let recordSizeLimit = Self(rawValue: 28)
    public static let sessionTicket = Self(rawValue: 35)
    public static let preSharedKey = Self(rawValue: 41)
    public static let earlyData = Self(rawValue: 42)
    public static let supportedVersions = Self(rawValue: 43)
    public static let cookie = Self(rawValue: 44)
    public static let pskKeyExchangeModes = Self(rawValue: 45)
    public static let certificateAuthorities = Self(rawValue: 47)
    public static let postHandshakeAuth = Self(rawValue: 49)
    public static let signatureAlgorithmsCert = Self(rawValue: 50)
    public static let keyShare = Self(rawValue: 51)
    public static let renegotiationInfo = Self(rawValue: 0xff01)
    public static let names: [UInt16: String] = [
        0: "server_name", 5: "status_request", 10: "supported_groups", 11: "ec_point_formats",
        13: "signature_algorithms", 16: "application_layer_protocol_negotiation",
        18: "signed_certificate_timestamp", 21: "padding", 22: "encrypt_then_mac", 23: "extended_master_secret",
        27: "compress_certificate", 28: "record_size_limit", 35: "session_ticket", 41: "pre_shared_key",
        42: "early_data", 43: "supported_versions", 44: "cookie", 45: "psk_key_exchange_modes",
        47: "certificate_authorities", 49: "post_handshake_auth", 50: "signature_algorithms_cert",
        51: "key_share", 0xff01: "renegotiation_info", 17513: "application_settings",
        65037: "encrypted_client_hello",
    ]
}

/// RFC 8446 §6 / RFC 5246 §7.2: AlertLevel.
public struct AlertLevel: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let warning = Self(rawValue: 1)
    public static let fatal = Self(rawValue: 2)
    public static let names: [UInt8: String] = [1: "warning", 2: "fatal"]
}

/// RFC 8446 §6 / RFC 5246 §7.2: AlertDescription.
public struct AlertDescription: TLSCodePoint, Error {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let closeNotify = Self(rawValue: 0)
    public static let unexpectedMessage = Self(rawValue: 10)
    public static let badRecordMAC = Self(rawValue: 20)
    public static let recordOverflow = Self(rawValue: 22)
    public static let handshakeFailure = Self(rawValue: 40)
    public static let badCertificate = Self(rawValue: 42)
    public static let unsupportedCertificate = Self(rawValue: 43)
    public static let certificateRevoked = Self(rawValue: 44)
    public static let certificateExpired = Self(rawValue: 45)
    public static let certificateUnknown = Self(rawValue: 46)
    public static let illegalParameter = Self(rawValue: 47)
    public static let unknownCA = Self(rawValue: 48)
    public static let accessDenied = Self(rawValue: 49)
    public static let decodeError = Self(rawValue: 50)
    public static let decryptError = Self(rawValue: 51)
    public static let protocolVersion = Self(rawValue: 70)
    public static let insufficientSecurity = Self(rawValue: 71)
    public static let internalError = Self(rawValue: 80)
    public static let inappropriateFallback = Self(rawValue: 86)
    public static let userCanceled = Self(rawValue: 90)
    public static let noRenegotiation = Self(rawValue: 100)
    public static let missingExtension = Self(rawValue: 109)
    public static let unsupportedExtension = Self(rawValue: 110)
    public static let unrecognizedName = Self(rawValue: 112)
    public static let badCertificateStatusResponse = Self(rawValue: 113)
    public static let unknownPSKIdentity = Self(rawValue: 115)
    public static let certificateRequired = Self(rawValue: 116)
    public static let noApplicationProtocol = Self(rawValue: 120)
    public static let names: [UInt8: String] = [
        0: "close_notify", 10: "unexpected_message", 20: "bad_record_mac", 21: "decryption_failed",
        22: "record_overflow", 30: "decompression_failure", 40: "handshake_failure", 41: "no_certificate",
        42: "bad_certificate", 43: "unsupported_certificate", 44: "certificate_revoked",
        45: "certificate_expired", 46: "certificate_unknown", 47: "illegal_parameter", 48: "unknown_ca",
        49: "access_denied", 50: "decode_error", 51: "decrypt_error", 60: "export_restriction",
        70: "protocol_version", 71: "insufficient_security", 80: "internal_error", 86: "inappropriate_fallback",
        90: "user_canceled", 100: "no_renegotiation", 109: "missing_extension", 110: "unsupported_extension",
        111: "certificate_unobtainable", 112: "unrecognized_name", 113: "bad_certificate_status_response",
        114: "bad_certificate_hash_value", 115: "unknown_psk_identity", 116: "certificate_required",
        120: "no_application_protocol",
    ]
}

/// RFC 8422 §5.1.2: ECPointFormat.
public struct ECPointFormat: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let uncompressed = Self(rawValue: 0)
    public static let names: [UInt8: String] = [
        0: "uncompressed", 1: "ansiX962_compressed_prime", 2: "ansiX962_compressed_char2",
    ]
}

/// RFC 8446 §4.2.9: PskKeyExchangeMode.
public struct PskKeyExchangeMode: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let pskKE = Self(rawValue: 0)
    public static let pskDHEKE = Self(rawValue: 1)
    public static let names: [UInt8: String] = [0: "psk_ke", 1: "psk_dhe_ke"]
}

/// RFC 5246 §7.4.4: ClientCertificateType.
public struct ClientCertificateType: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let rsaSign = Self(rawValue: 1)
    public static let ecdsaSign = Self(rawValue: 64)
    public static let names: [UInt8: String] = [1: "rsa_sign", 2: "dss_sign", 3: "rsa_fixed_dh", 64: "ecdsa_sign"]
}

/// RFC 8446 §4.6.3: KeyUpdateRequest.
public struct KeyUpdateRequest: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let updateNotRequested = Self(rawValue: 0)
    public static let updateRequested = Self(rawValue: 1)
    public static let names: [UInt8: String] = [0: "update_not_requested", 1: "update_requested"]
}

/// RFC 5246 §7.4.1.2: CompressionMethod.
public struct CompressionMethod: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let null = Self(rawValue: 0)
    public static let names: [UInt8: String] = [0: "null", 1: "DEFLATE"]
}

/// RFC 8422 §5.4: ECCurveType (only named_curve is allowed).
public struct ECCurveType: TLSCodePoint {
    public var rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    public static let namedCurve = Self(rawValue: 3)
    public static let names: [UInt8: String] = [1: "explicit_prime", 2: "explicit_char2", 3: "named_curve"]
}
