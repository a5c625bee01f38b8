import TLSWire

/// An error that says which alert to send (RFC 8446 §6.2, RFC 5246 §7.2.2) and why, in words a learner can read.
/// Both `RecordProtectionError` and `TLSCryptoError` conform, so a caller can map either to an alert in one place.
public protocol TLSAlertError: Error, CustomStringConvertible {
    var alert: AlertDescription { get }
    var reason: String { get }
}

/// Why a record could not be opened; maps to the alert to send.
public struct RecordProtectionError: TLSAlertError, Sendable, Equatable {
    public var alert: AlertDescription
    public var reason: String
    public init(alert: AlertDescription, reason: String) {
        self.alert = alert
        self.reason = reason
    }
    public var description: String { reason }
}

/// A failure in key exchange, signing or key loading, with the alert a peer should send:
/// `illegal_parameter` for a bad peer key share (RFC 8446 §4.2.8, RFC 8422 §5.11), `decrypt_error` for a failed
/// RSA decryption (RFC 5246 §7.4.7.1), `internal_error` for a misuse by the caller (wrong key kind or length),
/// `handshake_failure` for a signature scheme the key cannot produce.
public struct TLSCryptoError: TLSAlertError, Sendable, Equatable {
    public var alert: AlertDescription
    public var reason: String
    public init(alert: AlertDescription, reason: String) {
        self.alert = alert
        self.reason = reason
    }
    public var description: String { reason }
}
