import Foundation
import TLSWire

/// A learner-readable failure while reading certificates or keys, with the alert a TLS peer would send if the bytes
/// came from the other side of the connection (RFC 8446 §6.2, RFC 5246 §7.2.2).
public struct PKIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in plain words.
    public var reason: String
    /// `bad_certificate` for bytes that are not a certificate, `unsupported_certificate` for a certificate whose key
    /// or signature algorithm TLSLab cannot handle, `internal_error` for local problems (missing files, bad input).
    public var alert: AlertDescription

    public init(_ reason: String, alert: AlertDescription = .internalError) {
        self.reason = reason
        self.alert = alert
    }

    public var description: String { reason }
}
