import TLSCrypto
import TLSWire

/// Why a handshake stops: the alert this side sends (RFC 8446 §6.2, RFC 5246 §7.2.2) and a reason a learner can
/// read ("the server's Finished does not match: expected 9b1e…, got 9b1f…").
public struct HandshakeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var alert: AlertDescription
    public var reason: String

    public init(_ alert: AlertDescription, _ reason: String) {
        self.alert = alert
        self.reason = reason
    }

    public var description: String { "\(alert): \(reason)" }

    static func unexpected(_ message: HandshakeType, expecting: String) -> HandshakeFailure {
        HandshakeFailure(
            .unexpectedMessage, "received \(message.displayName) while expecting \(expecting)")
    }
}

extension HandshakeFailure {
    /// Any error thrown while handling a message, as the alert to send: decode errors and crypto errors carry their
    /// own alert; anything else is our fault (internal_error).
    static func from(_ error: Error) -> HandshakeFailure {
        switch error {
        case let failure as HandshakeFailure: return failure
        case let decode as DecodeError: return HandshakeFailure(decode.alert, decode.description)
        case let crypto as TLSAlertError: return HandshakeFailure(crypto.alert, crypto.reason)
        default: return HandshakeFailure(.internalError, "\(error)")
        }
    }
}
