// API CONTRACT for TLSPKI (signatures relied on by TLSHandshake / TLSSimulator). Implementations live in the other
// files of this module: CertificateFiles.swift, CertificateText.swift, ChainValidation.swift, PurposePolicy.swift,
// DemoPKIGenerator.swift. Errors thrown here are `PKIError` (a reason plus the alert to send).
import Foundation
import TLSCrypto
import TLSWire

/// A certificate chain with its private key (what a server — or a client doing mutual TLS — presents).
public struct Credential: Sendable {
    public let name: String
    /// DER certificates, leaf first.
    public let chain: [[UInt8]]
    public let privateKey: SigningKey
    public init(name: String, chain: [[UInt8]], privateKey: SigningKey) {
        self.name = name
        self.chain = chain
        self.privateKey = privateKey
    }
    /// Loads `<name>.pem` (leaf, then intermediates) and `<name>.key` from `directory`.
    /// Checks that the key belongs to the leaf certificate (see `CredentialFiles.load`, which does everything but
    /// build the `SigningKey`).
    public static func load(name: String, directory: URL) throws -> Credential {
        let files = try CredentialFiles.load(name: name, directory: directory)
        return Credential(name: name, chain: files.chain, privateKey: try SigningKey(pem: files.keyPEM))
    }
}

/// A short, learner-readable summary of one certificate (for the transcript and the UI).
public struct CertificateSummary: Codable, Sendable, Equatable {
    public var subject: String
    public var issuer: String
    public var serialNumber: String
    public var notBefore: Date
    public var notAfter: Date
    /// SAN DNS names and IP addresses.
    public var subjectAlternativeNames: [String]
    /// e.g. `RSA 2048`, `ECDSA P-256`, `Ed25519`.
    public var publicKeyAlgorithm: String
    /// e.g. `sha256WithRSAEncryption`.
    public var signatureAlgorithm: String
    public var isCA: Bool
    public init(subject: String, issuer: String, serialNumber: String, notBefore: Date, notAfter: Date, subjectAlternativeNames: [String], publicKeyAlgorithm: String, signatureAlgorithm: String, isCA: Bool) {
        self.subject = subject; self.issuer = issuer; self.serialNumber = serialNumber; self.notBefore = notBefore
        self.notAfter = notAfter; self.subjectAlternativeNames = subjectAlternativeNames
        self.publicKeyAlgorithm = publicKeyAlgorithm; self.signatureAlgorithm = signatureAlgorithm; self.isCA = isCA
    }
}

public enum CertificatePurpose: String, Sendable, Codable { case serverAuth, clientAuth }

/// The outcome of validating a peer's chain, with the alert a TLS peer sends when it fails
/// (RFC 8446 §6.2: certificate_expired, unknown_ca, bad_certificate, unsupported_certificate, certificate_unknown).
public struct ValidationVerdict: Sendable, Equatable {
    public var trusted: Bool
    /// Nil when trusted.
    public var alert: AlertDescription?
    /// What was checked and what failed, in plain words (e.g. "certificate expired on 2025-01-01, the client's clock
    /// says 2026-06-01").
    public var reason: String
    public init(trusted: Bool, alert: AlertDescription?, reason: String) {
        self.trusted = trusted; self.alert = alert; self.reason = reason
    }
}

public enum PKI {
    /// Parses DER (RFC 5280 §4.1); throws a learner-readable `PKIError` for bad bytes. Subject and issuer are
    /// RFC 4514 strings joined by ", " (`CN=www.example.com, O=TLSLab Demo`); the serial number is upper-case hex
    /// as `openssl x509 -serial` prints it; `subjectAlternativeNames` are plain values (`www.example.com`,
    /// `127.0.0.1`); `signatureAlgorithm` uses OpenSSL's names (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`,
    /// `ED25519`).
    public static func summary(der: [UInt8]) throws -> CertificateSummary { try summarize(der: der) }
    /// DER SubjectPublicKeyInfo of a certificate (to build a `VerifyingKey`), exactly as the certificate encodes it.
    public static func subjectPublicKeyInfo(der: [UInt8]) throws -> [UInt8] { try extractSPKI(der: der) }
    /// Loads every certificate from a PEM file (DER bytes, in file order). Other PEM blocks are skipped; throws
    /// if there is no CERTIFICATE block or one does not parse.
    public static func loadPEMCertificates(_ pem: String) throws -> [[UInt8]] { try parsePEMCertificates(pem) }

    /// Validates `chain` (leaf first) against `trustAnchors` at `date`, for `purpose`, and — when given — that the
    /// leaf names `hostname` (DNS name or IP address literal) in its SAN. Uses swift-certificates' Verifier.
    ///
    /// `date` is the scenario's clock (never the real one). Alerts: expired and not-yet-valid → certificate_expired;
    /// no path to a trust anchor, untrusted self-signed, issuer not a CA → unknown_ca; name mismatch, corrupt DER,
    /// bad signature → bad_certificate; wrong extendedKeyUsage, key type the handshake cannot use (anything but RSA,
    /// ECDSA P-256, Ed25519) → unsupported_certificate; an empty chain → decode_error (serverAuth) or
    /// certificate_required (clientAuth); an unparseable trust anchor → internal_error; anything else →
    /// certificate_unknown. `ChainValidator` documents where OpenSSL differs.
    public static func validate(
        chain: [[UInt8]], trustAnchors: [[UInt8]], hostname: String?, at date: Date, purpose: CertificatePurpose
    ) async -> ValidationVerdict {
        await ChainValidator.validate(
            chain: chain, trustAnchors: trustAnchors, hostname: hostname, at: date, purpose: purpose)
    }
}

/// Generates the demo PKI under a directory (used by `tlslab pki`): a root CA, server certificates (RSA-2048,
/// ECDSA P-256, Ed25519) for www.example.com, localhost and 127.0.0.1, a client certificate, and the failure lab's
/// broken certificates (`labNames`). Files: `ca.pem`/`ca.key`, `server-rsa.pem`/`.key`, `server-ecdsa.pem`/`.key`,
/// `server-ed25519.pem`/`.key`, `client.pem`/`client.key`, then the lab files. Valid from `notBefore` for `years`
/// (except `server-expired` and `server-not-yet-valid`, whose fixed periods are the point). Creates `directory` if
/// needed, writes each file atomically (keys with mode 0600) and returns the paths written, in the order above (each
/// `.pem` then its `.key`). Keys are PKCS#8 PEM; every certificate is signed sha256WithRSAEncryption by the RSA-2048
/// root (the lab's untrusted ones by `untrusted-ca`, `server-self-signed` by itself).
///
/// **The root is kept:** when `directory` already holds `ca.pem` and `ca.key`, that root signs the new certificates
/// and neither file is rewritten (nor listed in the result), so everything that trusts the old root still trusts the
/// new certificates. Delete both files for a new root. Only one of them present, a key that does not belong to the
/// certificate, or a certificate that is not a CA is an error.
public enum DemoPKI {
    /// The failure-lab files (`<name>.pem` and `<name>.key`), in the order they are written:
    ///
    /// | name | what is wrong (at the scenario clock 2026-06-01) | TLS alert |
    /// |---|---|---|
    /// | `server-expired` | valid 2020-01-01 … 2025-01-01 (RFC 5280 §4.1.2.5) | certificate_expired |
    /// | `server-not-yet-valid` | valid 2027-01-01 … 2070-01-01 | certificate_expired |
    /// | `server-wrong-host` | SAN and CN only `www.other.test` (RFC 6125 §6) | bad_certificate |
    /// | `untrusted-ca` | a second root, "TLSLab Untrusted Root CA", that scenarios do not trust by default | — |
    /// | `server-untrusted` | issued by `untrusted-ca` (RFC 5280 §6.1: no path to a trust anchor) | unknown_ca |
    /// | `server-self-signed` | self-signed, CA:FALSE | unknown_ca |
    /// | `client-untrusted` | a clientAuth certificate issued by `untrusted-ca` | unknown_ca |
    public static let labNames: [String] = DemoPKIGenerator.labNames

    public static func generate(into directory: URL, notBefore: Date, years: Int) throws -> [String] {
        try DemoPKIGenerator.generate(into: directory, notBefore: notBefore, years: years)
    }

    /// Only the failure-lab files of `labNames` (plus a new root if `directory` has no `ca.pem`/`ca.key`), signed by
    /// the root in `directory`: the demo credentials and the root stay untouched. Same rules as `generate`.
    public static func generateLab(into directory: URL, notBefore: Date, years: Int) throws -> [String] {
        try DemoPKIGenerator.generateLab(into: directory, notBefore: notBefore, years: years)
    }
}
