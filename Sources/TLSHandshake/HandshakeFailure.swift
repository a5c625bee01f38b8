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

