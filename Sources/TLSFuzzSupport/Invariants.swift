import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire

/// Stops the process with a message: under libFuzzer this is a crash (and a `crash-…` file with the input); in the
/// replay driver it is a failure with the input named.
func violated(_ what: String) -> Never {
    fatalError("TLSLab fuzz invariant violated: \(what)")
}

/// Drives one endpoint with fuzz input and collects everything it reports.
struct Driven {
    var connection: Connection
    var events: [ConnectionEvent] = []
    var verdictPending = false

    init(_ connection: Connection) {
        self.connection = connection
    }

    mutating func take(_ new: [ConnectionEvent]) {
        events += new
        if new.contains(where: { if case .validationNeeded = $0 { true } else { false } }) { verdictPending = true }
    }

    mutating func receive(_ bytes: [UInt8]) { take(connection.receive(bytes)) }

    /// Answers outstanding certificate validations with "trusted" (validation is swift-certificates' job; the fuzz
    /// targets are after the state machines and the record layer).
    mutating func answerVerdicts() {
        var rounds = 0
        while verdictPending, rounds < 8 {
            rounds += 1
            verdictPending = false
            take(connection.provide(ValidationVerdict(trusted: true, alert: nil, reason: "fuzz harness")))
        }
    }

    /// After the input: a connected endpoint also sends data, updates keys (TLS 1.3 client) and closes, so the
    /// sending paths run with whatever state the input left behind.
    mutating func finish() {
        answerVerdicts()
        guard connection.status == .connected else { return }
        take(connection.send(applicationData: Array("fuzz".utf8)))
        if connection.side == .client, connection.negotiated?.version == .tls13 {
            take(connection.updateKeys(requestPeerUpdate: true))
        }
        take(connection.close())
    }

    /// The properties every run must have, whatever the input:
    /// - an endpoint never answers peer bytes with `internal_error` (RFC 8446 §6.2: that alert is for failures
    ///   "unrelated to the peer or the correctness of the protocol"; a peer-caused failure has a specific alert);
    /// - after a fatal alert (sent or received) nothing more happens: no record, no message, no second alert
    ///   (RFC 8446 §6.2, RFC 5246 §7.2.2); after a close_notify only the answering close_notify may follow;
    /// - the status agrees with the last alert;
    /// - every handshake message it accepted re-encodes to the very bytes it received (the codec is canonical, so
    ///   what the transcript shows is what was on the wire);
    /// - no received record carries more than 2^14 bytes of plaintext (RFC 8446 §5.1, RFC 5246 §6.2.1).
    func check() {
        var terminal: String?
        var closing = false
        var lastFatal: Alert?
        for event in events {
            if let terminal {
                violated("\(connection.side): an event after \(terminal): \(event)")
            }
            if closing {
                switch event {
                case .record(let r) where r.direction == .sent && r.contentType == .alert: continue
                case .alertSent(let alert, _) where alert == .closeNotify: continue
                default: violated("\(connection.side): an event after close_notify: \(event)")
                }
            }
            switch event {
            case .alertSent(let alert, let reason):
                if alert.description_ == .internalError {
                    violated("\(connection.side) answered peer input with internal_error: \(reason)")
                }
                if alert.level == .fatal || alert.description_ != .closeNotify {
                    terminal = "the fatal alert \(alert) it sent (\(reason))"
                    lastFatal = alert
                }
            case .alertReceived(let alert):
                if alert.description_ == .closeNotify {
                    closing = true
                } else {
                    terminal = "the alert \(alert) it received"
                    lastFatal = alert
                }
            case .messageReceived(let message, _):
                if message.body.encoded() != message.bytes {
                    violated(
                        "\(connection.side) accepted a \(message.body.displayName) that does not re-encode to its bytes: "
                            + "\(message.bytes.hex) vs \(message.body.encoded().hex)")
                }
            case .record(let r) where r.direction == .received:
                if r.plaintext.count > TLSRecord.maxPlaintext {
                    violated("\(connection.side) accepted a record with \(r.plaintext.count) bytes of plaintext")
                }
            default:
                break
            }
        }
        if let lastFatal, connection.status != .failed(lastFatal) {
            violated("\(connection.side): status \(connection.status) after the fatal alert \(lastFatal)")
        }
        if connection.status == .connected && connection.negotiated == nil {
            violated("\(connection.side): connected without negotiated parameters")
        }
    }
}

/// Every field node of a tree lies inside the decoded bytes (the hex views slice the bytes by these ranges).
func checkFieldRanges(_ node: FieldNode, count: Int, _ what: String) {
    node.walk { n, _ in
        if n.offset < 0 || n.length < 0 || n.offset + n.length > count {
            violated("\(what): field \(n.key) covers \(n.offset)..<\(n.offset + n.length) of \(count) bytes")
        }
    }
}
