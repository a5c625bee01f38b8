import TLSWire

/// What a cipher suite name says, part by part (RFC 5246 §A.5, RFC 8446 §B.4): `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`
/// is key exchange ECDHE, authentication RSA, bulk cipher AES-128-GCM, hash SHA-256; a TLS 1.3 name such as
/// `TLS_AES_128_GCM_SHA256` names only the AEAD cipher and the hash.
public struct CipherSuiteAnatomy: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        /// `key exchange`, `authentication`, `bulk cipher`, `MAC`, `hash`.
        public var role: String
        /// `ECDHE`, `RSA`, `AES_128_GCM`, `SHA256`.
        public var value: String
        /// What this part does, in one sentence.
        public var meaning: String
    }

    public var name: String
    /// `TLS 1.3` or `TLS 1.2`.
    public var version: String
    /// nil for TLS 1.3 suites: the key exchange is negotiated separately (key_share, signature_algorithms).
    public var keyExchange: String?
    public var authentication: String?
    /// `AES_128_GCM`, `AES_128_CBC`, `CHACHA20_POLY1305`.
    public var cipher: String
    /// `SHA`, `SHA256`, `SHA384`.
    public var hash: String
    /// AEAD ciphers (GCM, ChaCha20-Poly1305) authenticate by themselves; CBC suites add an HMAC.
    public var isAEAD: Bool
    public var parts: [Part]

    /// Parses a registered suite name; nil for the signalling values (`…_SCSV`) and anything unparsable.
    public init?(_ name: String) {
        guard name.hasPrefix("TLS_"), !name.hasSuffix("_SCSV") else { return nil }
        let body = String(name.dropFirst(4))
        let left: String?
        let right: String
        if let with = body.range(of: "_WITH_") {
            left = String(body[..<with.lowerBound])
            right = String(body[with.upperBound...])
        } else {
            left = nil
            right = body
        }
        guard let lastUnderscore = right.lastIndex(of: "_") else { return nil }
        let cipher = String(right[..<lastUnderscore])
        let hash = String(right[right.index(after: lastUnderscore)...])
        guard !cipher.isEmpty, ["SHA", "SHA256", "SHA384"].contains(hash) else { return nil }
        self.name = name
        self.cipher = cipher
        self.hash = hash
        isAEAD = cipher.hasSuffix("_GCM") || cipher == "CHACHA20_POLY1305"
        if let left {
            version = "TLS 1.2"
            let pieces = left.split(separator: "_").map(String.init)
            switch pieces.count {
            case 1:
                keyExchange = pieces[0]
                authentication = pieces[0]
            case 2:
                keyExchange = pieces[0]
                authentication = pieces[1]
            default: return nil
            }
        } else {
            version = "TLS 1.3"
            keyExchange = nil
            authentication = nil
        }
        parts = []
        if let keyExchange, let authentication {
            parts.append(Part(role: "key exchange", value: keyExchange, meaning: Self.keyExchangeMeaning(keyExchange)))
            parts.append(
                Part(role: "authentication", value: authentication, meaning: Self.authenticationMeaning(authentication, keyExchange: keyExchange)))
        }
        parts.append(Part(role: "bulk cipher", value: cipher, meaning: Self.cipherMeaning(cipher)))
        parts.append(Part(role: isAEAD ? "hash" : "MAC", value: hash, meaning: hashMeaning))
    }

    static func keyExchangeMeaning(_ kx: String) -> String {
        switch kx {
        case "RSA":
            "The client encrypts the premaster secret to the server's RSA certificate key: no forward secrecy."
        case "ECDHE":
            "Both sides make fresh elliptic-curve key pairs for this connection and combine them: forward secrecy."
        case "DHE": "Ephemeral finite-field Diffie-Hellman: forward secrecy, but slow."
        default: "The key exchange method."
        }
    }

    static func authenticationMeaning(_ auth: String, keyExchange: String) -> String {
        switch (auth, keyExchange) {
        case ("RSA", "RSA"):
            "The server proves its RSA certificate key by being able to decrypt the premaster secret (checked by Finished)."
        case ("RSA", _): "The server signs its key exchange with its RSA certificate key."
        case ("ECDSA", _): "The server signs its key exchange with its ECDSA certificate key."
        default: "How the server proves it owns its certificate."
        }
    }

    static func cipherMeaning(_ cipher: String) -> String {
        switch cipher {
        case "AES_128_GCM": "AES with a 128-bit key in Galois/Counter Mode: encrypts and authenticates each record (AEAD)."
        case "AES_256_GCM": "AES with a 256-bit key in Galois/Counter Mode (AEAD)."
        case "CHACHA20_POLY1305":
            "The ChaCha20 stream cipher with the Poly1305 authenticator (AEAD): fast in software, without AES hardware."
        case "AES_128_CBC": "AES with a 128-bit key in CBC mode: encrypts only; a separate HMAC authenticates each record."
        case "AES_256_CBC": "AES with a 256-bit key in CBC mode; a separate HMAC authenticates each record."
        default: "The symmetric cipher that protects the records."
        }
    }

    var hashMeaning: String {
        let pretty = hash == "SHA" ? "SHA-1" : "SHA-" + hash.dropFirst(3)
        if version == "TLS 1.3" {
            return "\(pretty) is the hash of HKDF, the transcript hash and Finished; the AEAD cipher authenticates the records."
        }
        if isAEAD {
            return "\(pretty) is the hash of the PRF (master secret, key block, Finished); the AEAD cipher authenticates the records."
        }
        if hash == "SHA" {
            return "HMAC-SHA-1 authenticates each record; the TLS 1.2 PRF still uses SHA-256."
        }
        return "HMAC-\(pretty) authenticates each record, and \(pretty) is the hash of the PRF."
    }

    /// One line: `key exchange ECDHE · authentication RSA · bulk cipher AES_128_GCM · hash SHA256`.
    public var line: String { parts.map { "\($0.role) \($0.value)" }.joined(separator: " · ") }
}

/// Cipher suites, groups and signature schemes: explanations built from their names and a few facts per family.
enum AlgorithmContent {
    /// RFC section defining a suite.
    static func rfc(forSuite anatomy: CipherSuiteAnatomy) -> String {
        if anatomy.version == "TLS 1.3" { return "RFC 8446 §B.4" }
        if anatomy.cipher == "CHACHA20_POLY1305" { return "RFC 7905 §2" }
        if anatomy.keyExchange == "RSA" {
            return anatomy.isAEAD ? "RFC 5288 §3" : "RFC 5246 §A.5"
        }
        if anatomy.hash == "SHA" { return "RFC 8422 §6" }
        return anatomy.isAEAD ? "RFC 5289 §3.2" : "RFC 5289 §3.1"
    }

    static func cipherSuite(_ name: String) -> Explanation? {
        if name == "TLS_EMPTY_RENEGOTIATION_INFO_SCSV" {
            return Explanation(
                kind: .cipherSuite, key: name, title: name,
                summary: "Not a cipher suite: a signal that the client supports secure renegotiation.",
                detail: "Listed among the cipher suites, it does what an empty renegotiation_info extension does, for servers that might reject extensions.",
                rfc: "RFC 5746 §3.3")
        }
        if name == "TLS_FALLBACK_SCSV" {
            return Explanation(
                kind: .cipherSuite, key: name, title: name,
                summary: "Not a cipher suite: 'I am retrying with a lower version than I support'.",
                detail: "A server that supports a higher version than the client now offers aborts with inappropriate_fallback, because an attacker probably caused the retry.",
                rfc: "RFC 7507 §2, §3", topic: "ssl-vs-tls")
        }
        guard let a = CipherSuiteAnatomy(name) else { return nil }
        let summary = a.parts.map { "\($0.role) \($0.value)" }.joined(separator: ", ")
        var detail = a.parts.map(\.meaning).joined(separator: " ")
        if a.version == "TLS 1.3" {
            detail = "A TLS 1.3 suite names only the record protection and the hash; the key exchange is always (EC)DHE or a PSK, chosen with key_share, and the certificate signature with signature_algorithms. " + detail
        }
        let scenario: String? =
            switch name {
            case "TLS_RSA_WITH_AES_128_CBC_SHA256": "tls12-rsa"
            case "TLS_RSA_WITH_AES_128_GCM_SHA256": "tls12-rsa-gcm"
            case "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": "tls12-ecdhe-rsa"
            case "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": "tls12-ecdhe-rsa-cbc"
            case "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256": "tls12-ecdhe-ecdsa"
            case "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256": "tls12-chacha"
            case "TLS_AES_128_GCM_SHA256": "tls13"
            case "TLS_AES_256_GCM_SHA384": "tls13-p256-ecdsa"
            case "TLS_CHACHA20_POLY1305_SHA256": "tls13-ed25519-chacha"
            default: nil
            }
        return Explanation(
            kind: .cipherSuite, key: name, title: "\(name) (\(a.version))", summary: summary, detail: detail,
            rfc: rfc(forSuite: a), scenario: scenario, topic: "cipher-suite")
    }

    static let groups: [String: Entry] = [
        "x25519": Entry(
            "RFC 8446 §4.2.7; RFC 7748 §6.1",
            "Diffie-Hellman on Curve25519: 32-byte public keys, fast, and designed to be hard to implement wrongly. The most used group today.",
            summary: "Curve25519 Diffie-Hellman (32-byte keys).", scenario: "tls13"),
        "x448": Entry(
            "RFC 8446 §4.2.7; RFC 7748 §6.2",
            "Diffie-Hellman on Curve448: 56-byte keys, a higher security level than x25519, rarely used.",
            summary: "Curve448 Diffie-Hellman (56-byte keys)."),
        "secp256r1": Entry(
            "RFC 8446 §4.2.7, §4.2.8.2; RFC 8422 §5.1.1",
            "NIST P-256: public keys are 65-byte uncompressed points (04 ‖ x ‖ y), and the shared secret is the x-coordinate. Supported almost everywhere, including by government-approved modules.",
            summary: "NIST P-256 elliptic curve.", scenario: "tls13-hrr"),
        "secp384r1": Entry(
            "RFC 8446 §4.2.7; RFC 8422 §5.1.1", "NIST P-384: 97-byte public keys, a higher security level than P-256.",
            summary: "NIST P-384 elliptic curve."),
        "secp521r1": Entry(
            "RFC 8446 §4.2.7; RFC 8422 §5.1.1", "NIST P-521: 133-byte public keys, rarely used.",
            summary: "NIST P-521 elliptic curve."),
        "ffdhe2048": Entry(
            "RFC 7919 §A.1", "Finite-field Diffie-Hellman with a 2048-bit prime: 256-byte shares, much slower than elliptic curves.",
            summary: "Finite-field DH group, 2048 bits."),
        "ffdhe3072": Entry("RFC 7919 §A.2", "Finite-field Diffie-Hellman with a 3072-bit prime.", summary: "Finite-field DH group, 3072 bits."),
        "ffdhe4096": Entry("RFC 7919 §A.3", "Finite-field Diffie-Hellman with a 4096-bit prime.", summary: "Finite-field DH group, 4096 bits."),
        "ffdhe6144": Entry("RFC 7919 §A.4", "Finite-field Diffie-Hellman with a 6144-bit prime.", summary: "Finite-field DH group, 6144 bits."),
        "ffdhe8192": Entry("RFC 7919 §A.5", "Finite-field Diffie-Hellman with an 8192-bit prime.", summary: "Finite-field DH group, 8192 bits."),
        "X25519MLKEM768": Entry(
            "draft-ietf-tls-ecdhe-mlkem",
            "A hybrid: X25519 together with ML-KEM-768, a post-quantum key encapsulation (FIPS 203). The connection stays secret unless both are broken, which protects today's recordings against future quantum computers; browsers use it by default.",
            summary: "Hybrid X25519 + ML-KEM-768 (post-quantum)."),
        "SecP256r1MLKEM768": Entry(
            "draft-ietf-tls-ecdhe-mlkem", "A hybrid of P-256 and ML-KEM-768 (post-quantum).",
            summary: "Hybrid P-256 + ML-KEM-768 (post-quantum)."),
        "X25519Kyber768Draft00": Entry(
            "draft-tls-westerbaan-xyber768d00",
            "An early experimental hybrid of X25519 and Kyber, the draft that became ML-KEM; replaced by X25519MLKEM768.",
            summary: "Obsolete experimental post-quantum hybrid."),
    ]

    static func signatureScheme(_ name: String) -> Entry? {
        let hashPart = name.split(separator: "_").last.map(String.init) ?? ""
        let hash: String =
            switch hashPart {
            case "sha1": "SHA-1"
            case "sha256": "SHA-256"
            case "sha384": "SHA-384"
            case "sha512": "SHA-512"
            default: ""
            }
        let sha1Warning = hashPart == "sha1" ? " SHA-1 collisions are practical (2017), and TLS 1.3 forbids it in handshake signatures." : ""
        if name.hasPrefix("rsa_pkcs1_") {
            return Entry(
                "RFC 8446 §4.2.3; RFC 8017 §8.2",
                "RSA signature with PKCS#1 v1.5 padding over a \(hash) hash: deterministic. Allowed in TLS 1.2 handshakes and in certificates, but not in a TLS 1.3 CertificateVerify." + sha1Warning,
                summary: "RSA PKCS#1 v1.5 with \(hash).", scenario: hashPart == "sha256" ? "tls12-ecdhe-rsa" : nil)
        }
        if name.hasPrefix("rsa_pss_rsae_") {
            return Entry(
                "RFC 8446 §4.2.3; RFC 8017 §8.1",
                "RSA-PSS with \(hash) and a random salt as long as the hash, made with an ordinary RSA key (an rsaEncryption certificate). Every signature differs; TLS 1.3 requires PSS for RSA handshake signatures.",
                summary: "RSA-PSS with \(hash), ordinary RSA key.", scenario: hashPart == "sha256" ? "tls13" : nil)
        }
        if name.hasPrefix("rsa_pss_pss_") {
            return Entry(
                "RFC 8446 §4.2.3; RFC 8017 §8.1",
                "RSA-PSS with \(hash) made with a key whose certificate restricts it to PSS (the RSASSA-PSS algorithm identifier).",
                summary: "RSA-PSS with \(hash), PSS-only key.")
        }
        if name.hasPrefix("ecdsa_") {
            let curve: String =
                switch name {
                case "ecdsa_secp256r1_sha256": "P-256"
                case "ecdsa_secp384r1_sha384": "P-384"
                case "ecdsa_secp521r1_sha512": "P-521"
                default: "any curve"
                }
            return Entry(
                "RFC 8446 §4.2.3; RFC 8422 §5.10",
                "ECDSA on \(curve) over a \(hash) hash: short signatures (about 72 bytes for P-256) with a fresh random nonce each time; in TLS 1.3 the scheme also fixes the curve." + sha1Warning,
                summary: "ECDSA (\(curve)) with \(hash).", scenario: name == "ecdsa_secp256r1_sha256" ? "tls13-p256-ecdsa" : nil)
        }
        if name == "ed25519" || name == "ed448" {
            return Entry(
                "RFC 8446 §4.2.3; RFC 8032 §5",
                "EdDSA on \(name == "ed25519" ? "Edwards25519 (64-byte signatures)" : "Edwards448 (114-byte signatures)"): deterministic, with its hash built in, so there is no hash choice and no nonce that could leak the key.",
                summary: "EdDSA signature (\(name)).", scenario: name == "ed25519" ? "tls13-ed25519-chacha" : nil)
        }
        return nil
    }
}
