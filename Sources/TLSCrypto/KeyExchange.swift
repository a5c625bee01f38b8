import Crypto
import Foundation
import TLSWire

/// An ephemeral (EC)DH key pair for key_share (RFC 8446 §4.2.8) / ServerKeyExchange and ClientKeyExchange
/// (RFC 8422 §5.4, §5.7). X25519 is RFC 7748; secp256r1 uses the uncompressed point form (RFC 8446 §4.2.8.2).
public struct EphemeralKeyPair: Sendable {
    public let group: NamedGroup
    public let privateKey: [UInt8]
    /// TLS wire form: x25519 raw 32 bytes; secp256r1 uncompressed x9.63 (65 bytes).
    public let publicKey: [UInt8]

    private let backing: Backing
    private enum Backing: Sendable {
        case x25519(Curve25519.KeyAgreement.PrivateKey)
        case p256(P256.KeyAgreement.PrivateKey)
    }

    /// Builds the key from `privateKey` bytes chosen by the caller's seeded generator (32 bytes for both groups).
    /// Throws `TLSCryptoError` (`illegal_parameter`) if the group is unsupported, and (`internal_error`) if the bytes
    /// are not a valid scalar (P-256: zero or ≥ the group order, probability ~2^-32 for random bytes).
    public init(group: NamedGroup, privateKey: [UInt8]) throws {
        self.group = group
        self.privateKey = privateKey
        switch group {
        case .x25519:
            guard privateKey.count == 32 else {
                throw TLSCryptoError(alert: .internalError, reason: "an X25519 private key is 32 bytes, got \(privateKey.count)")
            }
            // RFC 7748 §5: the scalar is clamped when used; any 32 bytes are a valid private key.
            let key = try Self.wrap(.internalError, "X25519 private key rejected") {
                try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey)
            }
            backing = .x25519(key)
            publicKey = Array(key.publicKey.rawRepresentation)
        case .secp256r1:
            guard privateKey.count == 32 else {
                throw TLSCryptoError(alert: .internalError, reason: "a P-256 private key is 32 bytes, got \(privateKey.count)")
            }
            let key = try Self.wrap(.internalError, "P-256 private key is not a scalar in [1, n-1]") {
                try P256.KeyAgreement.PrivateKey(rawRepresentation: privateKey)
            }
            backing = .p256(key)
            publicKey = Array(key.publicKey.x963Representation)
        default:
            throw TLSCryptoError(
                alert: .illegalParameter,
                reason: "group \(group.labelled) is not supported (TLSLab implements x25519 and secp256r1)")
        }
    }

    public static let supportedGroups: [NamedGroup] = [.x25519, .secp256r1]

    /// The shared secret with the peer's public key (x25519: 32 bytes; P-256: the x-coordinate, RFC 8446 §7.4.2,
    /// RFC 8422 §5.10). An invalid point or an all-zero x25519 result throws `TLSCryptoError` with `illegal_parameter`.
    public func sharedSecret(peerPublicKey: [UInt8]) throws -> [UInt8] {
        switch backing {
        case .x25519(let key):
            guard peerPublicKey.count == 32 else {
                throw TLSCryptoError(
                    alert: .illegalParameter,
                    reason: "an X25519 key share is 32 bytes, got \(peerPublicKey.count) (RFC 8446 §4.2.8.2)")
            }
            let secret = try Self.wrap(.illegalParameter, "X25519 key agreement failed (a low-order peer point?)") {
                let peer = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: peerPublicKey)
                return try key.sharedSecretFromKeyAgreement(with: peer).withUnsafeBytes { Array($0) }
            }
            // RFC 7748 §6.1 / RFC 8446 §7.4.2: an all-zero result means a low-order point; abort.
            guard secret.contains(where: { $0 != 0 }) else {
                throw TLSCryptoError(
                    alert: .illegalParameter,
                    reason: "X25519 shared secret is all zeros: the peer sent a low-order point (RFC 7748 §6.1)")
            }
            return secret
        case .p256(let key):
            // RFC 8446 §4.2.8.2 / RFC 8422 §5.4.1: only the uncompressed form 04 ‖ X ‖ Y is allowed.
            guard peerPublicKey.count == 65, peerPublicKey.first == 0x04 else {
                throw TLSCryptoError(
                    alert: .illegalParameter,
                    reason: "a secp256r1 key share is 65 bytes starting 04 (uncompressed), got \(peerPublicKey.count) "
                        + "bytes (RFC 8446 §4.2.8.2)")
            }
            return try Self.wrap(.illegalParameter, "secp256r1 key share is not a point on the curve (RFC 8446 §4.2.8.2)") {
                let peer = try P256.KeyAgreement.PublicKey(x963Representation: peerPublicKey)
                return try key.sharedSecretFromKeyAgreement(with: peer).withUnsafeBytes { Array($0) }
            }
        }
    }

    private static func wrap<T>(_ alert: AlertDescription, _ reason: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as TLSCryptoError {
            throw error
        } catch {
            throw TLSCryptoError(alert: alert, reason: "\(reason): \(error)")
        }
    }
}
