import Crypto
import CryptoExtras
import Foundation
import TLSWire

/// A private key that signs handshake messages (and, for RSA, decrypts the premaster secret). Loads RSA, P-256
/// and Ed25519 keys from PEM (PKCS#1 `RSA PRIVATE KEY`, PKCS#8 `PRIVATE KEY`, SEC1 `EC PRIVATE KEY`).
///
/// Signature schemes (RFC 8446 §4.2.3; in TLS 1.2 the same code points, RFC 5246 §7.4.1.4.1):
/// `rsa_pss_rsae_sha256/384/512` (RSASSA-PSS, MGF1 with the same hash, salt length = hash length; randomized),
/// `rsa_pkcs1_sha256/384/512` (RSASSA-PKCS1-v1_5; deterministic), `ecdsa_secp256r1_sha256` (DER-encoded
/// ECDSA-Sig-Value, RFC 8422 §5.4; randomized), `ed25519` (RFC 8032; deterministic).
/// The parsed swift-crypto key is kept (they are Sendable), so signing does not re-parse PEM.
public struct SigningKey: Sendable {
    public enum Kind: String, Sendable, Codable { case rsa, ecdsaP256 = "ecdsa-p256", ed25519 }
    public let kind: Kind

    private let backing: Backing
    private enum Backing: Sendable {
        case rsa(_RSA.Signing.PrivateKey, RawRSAKey)
        case p256(P256.Signing.PrivateKey)
        case ed25519(Curve25519.Signing.PrivateKey)
    }

    /// Loads a key from PEM. RSA keys of 1024 bits and more are accepted (RFC 8448's example server key has 1024
    /// bits); throws `TLSCryptoError` (`internal_error`) with a reason otherwise.
    public init(pem: String) throws {
        let type = Self.pemType(pem)
        var attempts: [String] = []
        func attempt<T>(_ name: String, _ body: () throws -> T) -> T? {
            do { return try body() } catch {
                attempts.append("\(name): \(error)")
                return nil
            }
        }
        let tryRSA = type == "RSA PRIVATE KEY" || type == "PRIVATE KEY"
        let tryEC = type == "EC PRIVATE KEY" || type == "PRIVATE KEY"
        let tryEd = type == "PRIVATE KEY"
        if tryRSA, let key = attempt("RSA", { try _RSA.Signing.PrivateKey(unsafePEMRepresentation: pem) }) {
            let raw = try RawRSAKey(pkcs1PrivateKey: Array(key.derRepresentation))
            kind = .rsa
            backing = .rsa(key, raw)
        } else if tryEC, let key = attempt("P-256", { try P256.Signing.PrivateKey(pemRepresentation: pem) }) {
            kind = .ecdsaP256
            backing = .p256(key)
        } else if tryEd, let key = attempt("Ed25519", { try Curve25519.Signing.PrivateKey(pemRepresentation: pem) }) {
            kind = .ed25519
            backing = .ed25519(key)
        } else {
            let found = type.map { "\"\($0)\"" } ?? "no PEM header"
            throw TLSCryptoError(
                alert: .internalError,
                reason: "not an RSA, P-256 or Ed25519 private key in PEM (found \(found))"
                    + (attempts.isEmpty ? "" : ": " + attempts.joined(separator: "; ")))
        }
    }

    /// Schemes this key can produce, in preference order.
    public var supportedSchemes: [SignatureScheme] { Self.schemes(for: kind) }

    static func schemes(for kind: Kind) -> [SignatureScheme] {
        switch kind {
        case .rsa:
            [
                .rsa_pss_rsae_sha256, .rsa_pss_rsae_sha384, .rsa_pss_rsae_sha512, .rsa_pkcs1_sha256,
                .rsa_pkcs1_sha384, .rsa_pkcs1_sha512,
            ]
        case .ecdsaP256: [.ecdsa_secp256r1_sha256]
        case .ed25519: [.ed25519]
        }
    }

    /// Signs `message` with `scheme` (which must fit the key). RSA-PSS and ECDSA are randomized by the library.
    /// Throws `TLSCryptoError` (`handshake_failure`) for a scheme the key cannot produce.
    public func sign(_ message: [UInt8], scheme: SignatureScheme) throws -> [UInt8] {
        do {
            switch backing {
            case .rsa(let key, _):
                guard let (digest, padding) = RSAScheme.parameters(scheme, message: message) else { break }
                return Array(try digest.sign(with: key, padding: padding).rawRepresentation)
            case .p256(let key):
                guard scheme == .ecdsa_secp256r1_sha256 else { break }
                return Array(try key.signature(for: SHA256.hash(data: message)).derRepresentation)
            case .ed25519(let key):
                guard scheme == .ed25519 else { break }
                return Array(try key.signature(for: message))
            }
        } catch {
            throw TLSCryptoError(alert: .internalError, reason: "signing with \(scheme) failed: \(error)")
        }
        throw TLSCryptoError(
            alert: .handshakeFailure, reason: "signature scheme \(scheme.labelled) does not fit a \(kind.rawValue) key")
    }

    /// RFC 5246 §7.4.7.1 (RSA keys only): raw RSA decryption of the EncryptedPreMasterSecret, returning the
    /// EME-PKCS1-v1_5 block `00 02 PS 00 M` so the transcript can show it. No padding check here: use
    /// `RSAPremaster.parse(block:expectedVersion:)` and substitute a random premaster when it returns nil.
    /// Throws `TLSCryptoError`: `decode_error` if the ciphertext is not exactly the modulus length, `decrypt_error` if
    /// it is not below the modulus, `internal_error` for a non-RSA key.
    public func rsaDecryptRaw(_ ciphertext: [UInt8]) throws -> [UInt8] {
        guard case .rsa(_, let raw) = backing else {
            throw TLSCryptoError(alert: .internalError, reason: "RSA decryption needs an RSA key, this is \(kind.rawValue)")
        }
        return try raw.privateOperation(ciphertext)
    }

    /// The matching public key.
    public var publicKey: VerifyingKey {
        switch backing {
        case .rsa(let key, _):
            let spki = Array(key.publicKey.derRepresentation)
            // Both parses are of bytes the library itself just produced.
            let raw = try? RawRSAKey(pkcs1PublicKey: Array(key.publicKey.pkcs1DERRepresentation))
            return VerifyingKey(kind: .rsa, spki: spki, backing: .rsa(key.publicKey, raw))
        case .p256(let key):
            return VerifyingKey(kind: .ecdsaP256, spki: Array(key.publicKey.derRepresentation), backing: .p256(key.publicKey))
        case .ed25519(let key):
            return VerifyingKey(kind: .ed25519, spki: Array(key.publicKey.derRepresentation), backing: .ed25519(key.publicKey))
        }
    }

    /// The key as PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), e.g. to hand to OpenSSL or swift-certificates.
    public var pemRepresentation: String {
        switch backing {
        case .rsa(let key, _): key.pkcs8PEMRepresentation
        case .p256(let key): key.pemRepresentation
        case .ed25519(let key): key.pemRepresentation
        }
    }

    /// The label between `-----BEGIN ` and `-----`, e.g. `RSA PRIVATE KEY`.
    static func pemType(_ pem: String) -> String? {
        guard let begin = pem.range(of: "-----BEGIN ") else { return nil }
        guard let end = pem.range(of: "-----", range: begin.upperBound..<pem.endIndex) else { return nil }
        return String(pem[begin.upperBound..<end.lowerBound])
    }
}

/// A public key from a certificate's SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): RSA (rsaEncryption, ≥ 1024 bits),
/// EC P-256 (id-ecPublicKey / prime256v1) or Ed25519 (RFC 8410).
public struct VerifyingKey: Sendable {
    public let kind: SigningKey.Kind
    /// DER SubjectPublicKeyInfo.
    public let spki: [UInt8]

    private let backing: Backing
    fileprivate enum Backing: Sendable {
        case rsa(_RSA.Signing.PublicKey, RawRSAKey?)
        case p256(P256.Signing.PublicKey)
        case ed25519(Curve25519.Signing.PublicKey)
    }

    fileprivate init(kind: SigningKey.Kind, spki: [UInt8], backing: Backing) {
        self.kind = kind
        self.spki = spki
        self.backing = backing
    }

    /// Parses a DER SubjectPublicKeyInfo. Throws `TLSCryptoError` (`unsupported_certificate`) for any other key type
    /// or a malformed structure.
    public init(spki: [UInt8]) throws {
        self.spki = spki
        if let key = try? P256.Signing.PublicKey(derRepresentation: spki) {
            kind = .ecdsaP256
            backing = .p256(key)
        } else if let key = try? Curve25519.Signing.PublicKey(derRepresentation: spki) {
            kind = .ed25519
            backing = .ed25519(key)
        } else if let key = try? _RSA.Signing.PublicKey(unsafeDERRepresentation: spki) {
            kind = .rsa
            backing = .rsa(key, try RawRSAKey(pkcs1PublicKey: Array(key.pkcs1DERRepresentation)))
        } else {
            throw TLSCryptoError(
                alert: .unsupportedCertificate,
                reason: "SubjectPublicKeyInfo is not an RSA (≥ 1024 bits), EC P-256 or Ed25519 key")
        }
    }

    public var supportedSchemes: [SignatureScheme] { SigningKey.schemes(for: kind) }

    /// True if `signature` is a valid `scheme` signature of `message` under this key; false for a scheme that does
    /// not fit the key (e.g. `rsa_pss_pss_*`, which needs an RSASSA-PSS key) or any malformed signature.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8], scheme: SignatureScheme) -> Bool {
        switch backing {
        case .rsa(let key, _):
            guard let (digest, padding) = RSAScheme.parameters(scheme, message: message) else { return false }
            return digest.verify(signature, with: key, padding: padding)
        case .p256(let key):
            guard scheme == .ecdsa_secp256r1_sha256,
                let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature)
            else { return false }
            return key.isValidSignature(sig, for: SHA256.hash(data: message))
        case .ed25519(let key):
            guard scheme == .ed25519 else { return false }
            return key.isValidSignature(signature, for: message)
        }
    }

    /// RSA key size in bytes (modulus length), nil for other kinds.
    public var rsaModulusLength: Int? {
        guard case .rsa(let key, _) = backing else { return nil }
        return (key.keySizeInBits + 7) / 8
    }

    /// RFC 8017 §7.2.1 EME-PKCS1-v1_5 then raw RSA: `padding` supplies the nonzero PS bytes (from the seeded
    /// generator; zeros in it are replaced deterministically). Returns the block before encryption and the ciphertext.
    ///
    /// The block is `00 02 PS 00 M` with `PS` of `k - 3 - M.count` bytes (at least 8): `padding` must hold at least
    /// that many bytes (see `rsaPaddingLength(messageLength:)`); extra bytes are ignored. A zero at index i of PS
    /// is replaced by `i % 255 + 1`. Throws `TLSCryptoError` (`internal_error`) for a non-RSA key, a message longer
    /// than k - 11, or too little padding.
    public func rsaEncryptPKCS1(_ message: [UInt8], padding: [UInt8]) throws -> (block: [UInt8], ciphertext: [UInt8]) {
        guard case .rsa(_, let rawKey) = backing, let raw = rawKey else {
            throw TLSCryptoError(alert: .internalError, reason: "RSA encryption needs an RSA key, this is \(kind.rawValue)")
        }
        guard let psLength = rsaPaddingLength(messageLength: message.count) else {
            throw TLSCryptoError(
                alert: .internalError,
                reason: "message of \(message.count) bytes is too long for a \(raw.modulusLength)-byte RSA key (RFC 8017 §7.2.1)")
        }
        guard padding.count >= psLength else {
            throw TLSCryptoError(
                alert: .internalError, reason: "EME-PKCS1-v1_5 needs \(psLength) padding bytes, got \(padding.count)")
        }
        let ps = padding.prefix(psLength).enumerated().map { index, byte in byte != 0 ? byte : UInt8(index % 255 + 1) }
        let block = [0x00, 0x02] + ps + [0x00] + message
        return (block, try raw.publicOperation(block))
    }

    /// Length of PS for a message of `messageLength` bytes: k - 3 - mLen, or nil if that is below 8 (RFC 8017 §7.2.1).
    public func rsaPaddingLength(messageLength: Int) -> Int? {
        guard let k = rsaModulusLength else { return nil }
        let length = k - 3 - messageLength
        return length >= 8 ? length : nil
    }
}

/// Hash and padding of an RSA signature scheme.
private enum RSAScheme {
    enum Digest {
        case sha256(SHA256.Digest), sha384(SHA384.Digest), sha512(SHA512.Digest)

        func sign(with key: _RSA.Signing.PrivateKey, padding: _RSA.Signing.Padding) throws -> _RSA.Signing.RSASignature {
            switch self {
            case .sha256(let d): try key.signature(for: d, padding: padding)
            case .sha384(let d): try key.signature(for: d, padding: padding)
            case .sha512(let d): try key.signature(for: d, padding: padding)
            }
        }

        func verify(_ signature: [UInt8], with key: _RSA.Signing.PublicKey, padding: _RSA.Signing.Padding) -> Bool {
            let sig = _RSA.Signing.RSASignature(rawRepresentation: signature)
            switch self {
            case .sha256(let d): return key.isValidSignature(sig, for: d, padding: padding)
            case .sha384(let d): return key.isValidSignature(sig, for: d, padding: padding)
            case .sha512(let d): return key.isValidSignature(sig, for: d, padding: padding)
            }
        }
    }

    /// RSASSA-PSS in TLS uses MGF1 with the signature hash and a salt as long as the hash (RFC 8446 §4.2.3);
    /// swift-crypto's `.PSS` does exactly that.
    static func parameters(_ scheme: SignatureScheme, message: [UInt8]) -> (Digest, _RSA.Signing.Padding)? {
        switch scheme {
        case .rsa_pkcs1_sha256: (.sha256(SHA256.hash(data: message)), .insecurePKCS1v1_5)
        case .rsa_pkcs1_sha384: (.sha384(SHA384.hash(data: message)), .insecurePKCS1v1_5)
        case .rsa_pkcs1_sha512: (.sha512(SHA512.hash(data: message)), .insecurePKCS1v1_5)
        case .rsa_pss_rsae_sha256: (.sha256(SHA256.hash(data: message)), .PSS)
        case .rsa_pss_rsae_sha384: (.sha384(SHA384.hash(data: message)), .PSS)
        case .rsa_pss_rsae_sha512: (.sha512(SHA512.hash(data: message)), .PSS)
        default: nil
        }
    }
}

/// Content signed by CertificateVerify (RFC 8446 §4.4.3): 64 × 0x20, the context string, 0x00, transcript hash.
public enum TLS13Signing {
    public static func certificateVerifyContent(server: Bool, transcriptHash: [UInt8]) -> [UInt8] {
        let context = server ? "TLS 1.3, server CertificateVerify" : "TLS 1.3, client CertificateVerify"
        return [UInt8](repeating: 0x20, count: 64) + Array(context.utf8) + [0x00] + transcriptHash
    }
}

/// RFC 5246 §7.4.7.1: the server's check of a decrypted EME-PKCS1-v1_5 block in the RSA key exchange.
public enum RSAPremaster {
    /// Returns the 48-byte premaster secret if `block` is `00 02 PS 00 M` with at least 8 nonzero PS bytes, a 48-byte
    /// M, and M starting with `expectedVersion` (ClientHello.client_version); nil on any failure, in which case the
    /// server MUST carry on with a random 48-byte premaster (Bleichenbacher countermeasure, RFC 5246 §7.4.7.1) and
    /// fail later at Finished, without revealing which check failed.
    public static func parse(block: [UInt8], expectedVersion: ProtocolVersion) -> [UInt8]? {
        guard block.count >= 11 + 48, block[0] == 0x00, block[1] == 0x02 else { return nil }
        guard let separator = block[2...].firstIndex(of: 0x00), separator - 2 >= 8 else { return nil }
        let message = Array(block[(separator + 1)...])
        guard message.count == 48,
            message[0] == UInt8(expectedVersion.rawValue >> 8),
            message[1] == UInt8(expectedVersion.rawValue & 0xff)
        else { return nil }
        return message
    }
}
