import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// Helpers shared by the client and server state machines.
enum Steps {
    /// A value taken as is (a random, a key share): recorded so learners see where every secret starts.
    static func origin(_ name: String, _ value: [UInt8], formula: String, note: String? = nil) -> DerivationStep {
        DerivationStep(name: name, formula: formula, inputs: [], output: value, note: note)
    }
}

extension RandomSource {
    /// Where this side's random bytes come from, for formulas.
    var originDescription: String {
        isSeeded ? "the scenario's seeded generator" : "the operating system's random generator"
    }
}

extension ProtocolVersion {
    var short: String { self == .tls13 ? "TLS 1.3" : self == .tls12 ? "TLS 1.2" : description }
}

/// Verify-data comparison for Finished messages (constant time is not needed for a simulator, but the reason
/// names both values so a learner sees what differed).
func checkFinished(expected: [UInt8], received: [UInt8], peer: Side) throws {
    // verify_data has a fixed length (RFC 8446 §4.4.4: Hash.length; RFC 5246 §7.4.9: 12 bytes): another length is a
    // message that cannot be decoded (decode_error, RFC 8446 §6.2), not a failed check.
    if expected.count != received.count {
        throw HandshakeFailure(
            .decodeError,
            "the \(peer)'s Finished carries \(received.count) bytes of verify_data; it must be exactly \(expected.count) (RFC 8446 §4.4.4, RFC 5246 §7.4.9)"
        )
    }
    if expected != received {
        throw HandshakeFailure(
            .decryptError,
            "the \(peer)'s Finished does not match: expected verify_data \(expected.hex), received \(received.hex) — the two sides do not share the same keys or did not see the same handshake messages"
        )
    }
}

/// Public keys already built from a certificate's SubjectPublicKeyInfo (parsing an RSA key is not free), by the
/// certificate's bytes.
let verifyingKeys = BoundedCache<ByteKey, VerifyingKey>(capacity: 64)

/// The leaf public key of a chain, or the alert to send.
func leafKey(of chain: [[UInt8]], peer: Side) throws -> VerifyingKey {
    guard let leaf = chain.first else {
        throw HandshakeFailure(
            peer == .server ? .decodeError : .certificateRequired,
            "the \(peer) sent an empty certificate list")
    }
    do {
        return try verifyingKeys.value(for: ByteKey(leaf)) { try VerifyingKey(spki: PKI.subjectPublicKeyInfo(der: leaf)) }
    } catch {
        throw HandshakeFailure(.unsupportedCertificate, "the \(peer)'s certificate key cannot be used: \(error)")
    }
}

/// Returns the first scheme in `preferred` that `peerOffered` contains and `key` can produce.
func chooseScheme(preferred: [SignatureScheme], peerOffered: [SignatureScheme], keySchemes: [SignatureScheme])
    -> SignatureScheme?
{
    preferred.first { peerOffered.contains($0) && keySchemes.contains($0) }
}

/// Signature schemes allowed for TLS 1.3 CertificateVerify (RFC 8446 §4.4.3: no PKCS#1 v1.5, no SHA-1).
func allowedIn13(_ scheme: SignatureScheme) -> Bool {
    switch scheme {
    case .rsa_pkcs1_sha1, .rsa_pkcs1_sha256, .rsa_pkcs1_sha384, .rsa_pkcs1_sha512, .ecdsa_sha1: false
    default: true
    }
}

/// How every note about a randomized signature ends (the transcript lists those notes once, as reproducibility
/// remarks).
public let notReproducibleNoteEnding = "so this signature differs on every run (the seed cannot fix it)."

/// A note when a signature scheme is randomized (the transcript's bytes will differ between runs).
func randomizedSignatureNote(_ scheme: SignatureScheme) -> String? {
    switch scheme {
    case .rsa_pss_rsae_sha256, .rsa_pss_rsae_sha384, .rsa_pss_rsae_sha512:
        "RSA-PSS signatures use a random salt chosen by the crypto library, " + notReproducibleNoteEnding
    case .ecdsa_secp256r1_sha256, .ecdsa_secp384r1_sha384:
        "ECDSA signatures use a random nonce chosen by the crypto library, " + notReproducibleNoteEnding
    default: nil
    }
}

/// The content a TLS 1.2 ServerKeyExchange signature covers (RFC 8422 §5.4).
func serverKeyExchangeSignedContent(clientRandom: [UInt8], serverRandom: [UInt8], params: [UInt8]) -> [UInt8] {
    clientRandom + serverRandom + params
}

extension Array where Element == Extension {
    /// Throws illegal... unsupported_extension when a peer answers with an extension we did not offer
    /// (RFC 8446 §4.2, RFC 5246 §7.4.1.4).
    func checkSubset(of offered: [Extension], in message: String) throws {
        for ext in self where !offered.contains(where: { $0.type == ext.type }) {
            throw HandshakeFailure(
                .unsupportedExtension, "\(message) contains \(ext.type.description), which the client did not offer")
        }
    }
}

extension TLS12KeyMaterial {
    /// The record protection of `side`'s writes (RFC 5246 §6.3: each side writes with its own MAC key, key and IV).
    func writeProtection(of side: Side, suite: CipherSuiteInfo, encryptThenMAC: Bool) -> RecordProtection {
        side == .client
            ? RecordProtection(
                tls12: suite, macKey: clientWriteMACKey, key: clientWriteKey, iv: clientWriteIV,
                encryptThenMAC: encryptThenMAC)
            : RecordProtection(
                tls12: suite, macKey: serverWriteMACKey, key: serverWriteKey, iv: serverWriteIV,
                encryptThenMAC: encryptThenMAC)
    }
}
