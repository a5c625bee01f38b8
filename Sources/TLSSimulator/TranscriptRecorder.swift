import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSTranscript
import TLSWire

/// Builds a `Transcript` from the events of one or two connections, in the order they happen.
///
/// For a side TLSLab simulates, its *sent* records are authoritative (it knows their plaintext even when the
/// channel corrupts them). For a real peer (one side only simulated), the peer's records come from what the
/// simulated side received.
public struct TranscriptRecorder: Sendable {
    public let simulatedSides: Set<Side>
    private var transcript: Transcript
    /// Handshake records of a fragmented message, per side, waiting for the record that completes it.
    private var pendingFragments: [Side: [Int]] = [:]
    /// Handshake records received from a real peer whose bytes are not yet all claimed by whole messages, per
    /// receiving side, oldest first: where the entry sits in `records`, its plaintext length, and how many of
    /// its bytes earlier messages used.
    private var inboundHandshake: [Side: [(position: Int, length: Int, used: Int)]] = [:]
    private var seenCertificates: [Side: Set<ByteKey>] = [:]
    /// The connection being recorded (0-based).
    public private(set) var connection = 0
    private var connectionStartEvent = 0
    private var connectionNegotiated: NegotiatedSummary?
    /// How the current connection ended so far (set by the first fatal alert).
    public private(set) var connectionOutcome: Outcome?
    private var connectionResumed = false
    private var connectionHelloRetry = false

    private mutating func appendEvent(_ event: consuming TranscriptEvent) {
        event.connection = connection
        transcript.events.append(event)
    }

    public init(
        scenario: String, title: String, description: String, seed: UInt64?, clock: Date?,
        configuration: ConfigurationSummary, simulatedSides: Set<Side> = [.client, .server]
    ) {
        self.simulatedSides = simulatedSides
        transcript = Transcript(
            scenario: scenario, title: title, description: description, seed: seed,
            clock: clock.map { UTCDate.iso8601($0.timeIntervalSince1970) }, configuration: configuration,
            negotiated: nil, certificates: [], records: [], messages: [], events: [], secrets: [],
            outcome: Outcome(status: .incomplete), keylog: "", notes: [])
        // Room for a whole handshake (about 150 events), so the arrays are not copied as they grow.
        transcript.events.reserveCapacity(256)
        transcript.secrets.reserveCapacity(64)
        transcript.records.reserveCapacity(32)
        transcript.messages.reserveCapacity(32)
    }

    public var current: Transcript { transcript }

    // MARK: - Records

    /// A record a simulated side sent, as the channel delivered it.
    public mutating func recordSent(by side: Side, _ event: RecordEvent, index: Int, delivery: ChannelDelivery) {
        let wire = event.record.bytes
        let delivered = delivery.delivered
        var entry = makeRecordEntry(
            index: index, from: side, wire: delivered ?? wire, event: event)
        if let note = delivery.note { entry.channelNote = note }
        if let delivered, delivered != wire { entry.originalBytes = wire }
        entry.connection = connection
        appendMessages(delivery.messages ?? event.messages, from: side, record: &entry, context: event.decodeContext)
        transcript.records.append(entry)
        appendEvent(TranscriptEvent(kind: .record, side: side, record: entry.index))
        if let note = delivery.note {
            appendEvent(TranscriptEvent(kind: .channel, side: side, record: entry.index, text: note))
        }
    }

    /// A simulated side is about to process the record with this index (delivered by the channel).
    public mutating func delivered(record index: Int, to side: Side) {
        appendEvent(TranscriptEvent(kind: .recordReceived, side: side, record: index))
    }

    /// A record a simulated side received from a peer TLSLab does not simulate (a real peer).
    public mutating func recordReceived(by side: Side, _ event: RecordEvent, index: Int) {
        let peer = side.peer
        guard !simulatedSides.contains(peer) else { return }
        var entry = makeRecordEntry(index: index, from: peer, wire: event.record.bytes, event: event)
        entry.connection = connection
        transcript.records.append(entry)
        if event.contentType == .handshake {
            inboundHandshake[side, default: []].append((transcript.records.count - 1, event.plaintext.count, 0))
        }
        appendEvent(TranscriptEvent(kind: .record, side: peer, record: entry.index))
        // What the simulated side does next is its reaction to this record (the walkthrough anchors on it).
        appendEvent(TranscriptEvent(kind: .recordReceived, side: side, record: entry.index))
    }

    private func makeRecordEntry(index: Int, from side: Side, wire: [UInt8], event: RecordEvent) -> RecordEntry {
        let encrypted = event.protection != nil
        let contentType = ContentType(rawValue: wire.first ?? 0)
        let innerType = event.contentType
        let keys = event.keys
        return RecordEntry(
            index: index, from: side, bytes: wire, contentType: contentType.description,
            innerContentType: innerType.description, encrypted: encrypted, keys: keys,
            plaintext: encrypted ? event.plaintext : nil, protection: event.protection,
            makeFields: {
                let record = TLSRecord(
                    contentType: contentType,
                    legacyVersion: ProtocolVersion(
                        rawValue: wire.count >= 3 ? UInt16(wire[1]) << 8 | UInt16(wire[2]) : 0),
                    fragment: Array(wire.dropFirst(TLSRecord.headerLength)))
                let fragmentValue =
                    encrypted
                    ? "encrypted \(innerType) (\(record.fragment.count) bytes with \(keys ?? "keys"))"
                    : nil
                return record.headerFields(fragmentValue: fragmentValue)
            },
            messages: [], summary: Self.summary(event))
    }

    static func summary(_ event: RecordEvent) -> String {
        switch event.contentType {
        case .handshake:
            return event.messages.isEmpty
                ? "Handshake fragment (\(event.plaintext.count) bytes)"
                : event.messages.map { Self.messageName($0) }.joined(separator: ", ")
        case .changeCipherSpec: return "ChangeCipherSpec"
        case .alert:
            if let alert = try? Alert.parse(event.plaintext) { return "Alert: \(alert.description_)" }
            return "Alert"
        case .applicationData: return "Application data (\(event.plaintext.count) bytes)"
        default: return "\(event.contentType) record"
        }
    }

    static func messageName(_ message: HandshakeMessage) -> String {
        if case .serverHello(let sh) = message.body, sh.isHelloRetryRequest { return "HelloRetryRequest" }
        return message.type.displayName
    }

    private mutating func appendMessages(
        _ messages: [HandshakeMessage], from side: Side, record: inout RecordEntry, context: DecodeContext,
        offset start: Int = 0
    ) {
        if messages.isEmpty {
            if record.innerContentType == ContentType.handshake.description {
                pendingFragments[side, default: []].append(record.index)
            }
            return
        }
        var offset = start
        for message in messages {
            let records = pendingFragments[side, default: []] + [record.index]
            pendingFragments[side] = []
            var entry = MessageEntry(
                index: transcript.messages.count, from: side, name: Self.messageName(message), bytes: message.bytes,
                context: context, records: records, offsetInRecord: records.count == 1 ? offset : 0,
                encrypted: record.encrypted)
            entry.connection = connection
            record.messages.append(entry.index)
            transcript.messages.append(entry)
            // A server that accepts a PSK or asks again says so in its ServerHello, whether or not the handshake
            // then completes (a replayed ClientHello is resumed but never finished).
            if side == .server, case .serverHello(let sh) = message.body {
                if sh.isHelloRetryRequest { connectionHelloRetry = true }
                if case .selectedPSK = sh.extensions.body(of: .preSharedKey) { connectionResumed = true }
            }
            offset += message.bytes.count
            noteCertificates(message, from: side)
        }
    }

    private mutating func noteCertificates(_ message: HandshakeMessage, from side: Side) {
        let chain: [[UInt8]]
        switch message.body {
        case .certificate12(let c): chain = c.certificates
        case .certificate13(let c): chain = c.entries.map(\.data)
        default: return
        }
        for (i, der) in chain.enumerated() {
            guard let summary = try? PKI.summary(der: der), seenCertificates[side, default: []].insert(ByteKey(der)).inserted
            else { continue }
            transcript.certificates.append(
                CertificateEntrySummary(
                    from: side, position: i, subject: summary.subject, issuer: summary.issuer,
                    notBefore: UTCDate.iso8601(summary.notBefore.timeIntervalSince1970),
                    notAfter: UTCDate.iso8601(summary.notAfter.timeIntervalSince1970),
                    subjectAlternativeNames: summary.subjectAlternativeNames,
                    publicKey: summary.publicKeyAlgorithm, signatureAlgorithm: summary.signatureAlgorithm))
        }
    }

    // MARK: - Other events

    /// Any non-record event of a simulated side.
    public mutating func add(_ event: ConnectionEvent, side: Side) {
        switch event {
        case .record(let record):
            if record.direction == .received { /* the sender's view was recorded */ }
        case .derived(let step):
            appendEvent(TranscriptEvent(kind: .derivation, side: side, derivation: step))
            transcript.secrets.append(SecretEntry(side: side, name: step.name, bytes: step.output, connection: connection))
        case .keysInstalled(let direction, let label):
            appendEvent(
                TranscriptEvent(
                    kind: .keysInstalled, side: side, text: label, direction: direction == .sent ? "write" : "read"))
        case .stateChanged(let from, let to):
            appendEvent(TranscriptEvent(kind: .stateChange, side: side, from: from, to: to))
        case .note(let text):
            appendEvent(TranscriptEvent(kind: .note, side: side, text: text))
            if text.hasSuffix(notReproducibleNoteEnding), !transcript.notes.contains(text) { transcript.notes.append(text) }
        case .validationNeeded:
            break
        case .handshakeCompleted(let p):
            connectionResumed = p.resumed
            connectionHelloRetry = p.helloRetry
            transcript.negotiated = NegotiatedSummary(
                version: p.version.description, cipherSuite: p.cipherSuite.description, keyExchange: p.keyExchange,
                group: p.group?.description, signatureScheme: p.serverSignatureScheme?.description,
                extendedMasterSecret: p.extendedMasterSecret, encryptThenMAC: p.encryptThenMAC,
                clientAuthenticated: p.clientAuthenticated)
            connectionNegotiated = transcript.negotiated
            appendEvent(
                TranscriptEvent(
                    kind: .handshakeCompleted, side: side,
                    text: "\(p.version.description) with \(p.cipherSuite.description)"))
        case .applicationData(let bytes):
            appendEvent(
                TranscriptEvent(
                    kind: .applicationData, side: side, record: transcript.records.indices.last,
                    text: String(decoding: bytes, as: UTF8.self)))
        case .alertSent(let alert, let reason):
            let info = AlertInfo(alert, sentBy: side)
            appendEvent(TranscriptEvent(kind: .alertSent, side: side, text: reason, alert: info))
            if alert.level == .fatal && connectionOutcome == nil {
                connectionOutcome = Outcome(
                    status: .failed, alert: info, reason: reason, event: transcript.events.count - 1)
            }
        case .alertReceived(let alert):
            let info = AlertInfo(alert, sentBy: side.peer)
            appendEvent(TranscriptEvent(kind: .alertReceived, side: side, alert: info))
            // A real peer's fatal alert ends the connection (a simulated sender's alertSent already did).
            if alert.level == .fatal, !simulatedSides.contains(side.peer), connectionOutcome == nil {
                connectionOutcome = Outcome(
                    status: .failed, alert: info,
                    reason: "the \(side.peer) sent a fatal \(alert.description_) alert (it gives no reason on the wire)",
                    event: transcript.events.count - 1)
            }
        case .earlyDataReceived(let bytes):
            appendEvent(
                TranscriptEvent(
                    kind: .applicationData, side: side, record: transcript.records.indices.last,
                    text: String(decoding: bytes, as: UTF8.self), direction: "early"))
        case .earlyDataSkipped(let count):
            appendEvent(
                TranscriptEvent(
                    kind: .note, side: side,
                    text: "Skipped \(count) bytes it cannot decrypt: 0-RTT data it declined (RFC 8446 §4.2.10)."))
        case .earlyDataResult(let accepted):
            appendEvent(
                TranscriptEvent(
                    kind: .note, side: side,
                    text: accepted
                        ? "The server took the 0-RTT data."
                        : "The server declined the 0-RTT data: the client will send it again after the handshake."))
        case .sessionEstablished, .sessionCached, .ticketUsed:
            break
        case .messageReceived(let message, let context):
            // Only a real peer's messages are recorded from the receiving side.
            guard !simulatedSides.contains(side.peer) else { return }
            receivedMessage(message, by: side, context: context)
        }
    }

    /// A whole handshake message from a real peer: it takes its bytes from the oldest received handshake records
    /// (a message may span several records, and a record may carry several messages — RFC 8446 §5.1) and is
    /// listed on the record that completes it.
    private mutating func receivedMessage(_ message: HandshakeMessage, by side: Side, context: DecodeContext) {
        var queue = inboundHandshake[side, default: []]
        var touched: [Int] = []
        var offset = 0
        var needed = message.bytes.count
        while needed > 0, !queue.isEmpty {
            if queue[0].used == queue[0].length {
                queue.removeFirst()
                continue
            }
            if touched.isEmpty { offset = queue[0].used }
            touched.append(queue[0].position)
            let take = min(needed, queue[0].length - queue[0].used)
            queue[0].used += take
            needed -= take
        }
        while let first = queue.first, first.used == first.length { queue.removeFirst() }
        inboundHandshake[side] = queue
        guard let last = touched.last else { return }
        var entry = transcript.records[last]
        pendingFragments[side.peer] = touched.dropLast().map { transcript.records[$0].index }
        appendMessages([message], from: side.peer, record: &entry, context: context, offset: offset)
        entry.summary = entry.messages.map { transcript.messages[$0].name }.joined(separator: ", ")
        transcript.records[last] = entry
    }

    /// A side validated its peer's certificates.
    public mutating func validation(_ verdict: ValidationVerdict, side: Side) {
        appendEvent(
            TranscriptEvent(
                kind: .validation, side: side,
                text: verdict.trusted || verdict.reason.hasPrefix("rejected") ? verdict.reason : "rejected: \(verdict.reason)"))
    }

    /// Starts recording connection `index` (0-based) of the run.
    public mutating func beginConnection(_ index: Int, label: String) {
        connection = index
        connectionStartEvent = transcript.events.count
        connectionNegotiated = nil
        connectionOutcome = nil
        connectionResumed = false
        connectionHelloRetry = false
        pendingFragments = [:]
        if index > 0 || label != "connection 1" {
            appendEvent(TranscriptEvent(kind: .connectionStarted, text: label))
        }
        transcript.connections.append(
            ConnectionInfo(index: index, label: label, outcome: Outcome(status: .incomplete), negotiated: nil))
    }

    /// Ends the current connection: completed if both sides finished and exchanged their data, failed if a fatal
    /// alert was sent, incomplete otherwise.
    public mutating func endConnection(completed: Bool) {
        let outcome = connectionOutcome ?? Outcome(status: completed ? .completed : .incomplete)
        if let i = transcript.connections.indices.last {
            transcript.connections[i].outcome = outcome
            transcript.connections[i].negotiated = connectionNegotiated
            transcript.connections[i].resumed = connectionResumed
            transcript.connections[i].helloRetry = connectionHelloRetry
        }
    }

    /// A note from the channel or the driver, not tied to a side.
    public mutating func channelNote(_ text: String, record: Int? = nil, side: Side? = nil) {
        appendEvent(TranscriptEvent(kind: .channel, side: side, record: record, text: text))
    }

    /// An eavesdropper's analysis step (after the run).
    public mutating func eavesdropper(_ text: String, derivation: DerivationStep? = nil, record: Int? = nil) {
        appendEvent(TranscriptEvent(kind: .eavesdropper, record: record, derivation: derivation, text: text))
    }

    public mutating func setLab(_ lab: LabInfo?) { transcript.lab = lab }

    /// Ends the transcript: the overall outcome (the first connection that did not complete, else completed) and
    /// the key log (of the first connection).
    public mutating func finish() -> Transcript {
        transcript.outcome =
            transcript.connections.first(where: { $0.outcome.status != .completed })?.outcome
            ?? Outcome(status: .completed)
        // One block per connection: each has its own client random (Wireshark matches lines by it).
        let secrets = transcript.secrets
        let connections = transcript.connections.map(\.index)
        transcript.setKeylog {
            connections.map { c in KeyLog.text(secrets: secrets.filter { $0.connection == c }) }.joined()
        }
        return transcript
    }
}

/// NSS key log format (what Wireshark reads): one line per secret, labelled by the client random.
public enum KeyLog {
    /// The TLS 1.3 secrets a key log names, in line order, with their NSS labels.
    static let tls13Lines = [
        ("client_early_traffic_secret", "CLIENT_EARLY_TRAFFIC_SECRET"),
        ("early_exporter_master_secret", "EARLY_EXPORTER_SECRET"),
        ("client_handshake_traffic_secret", "CLIENT_HANDSHAKE_TRAFFIC_SECRET"),
        ("server_handshake_traffic_secret", "SERVER_HANDSHAKE_TRAFFIC_SECRET"),
        ("client_application_traffic_secret_0", "CLIENT_TRAFFIC_SECRET_0"),
        ("server_application_traffic_secret_0", "SERVER_TRAFFIC_SECRET_0"),
        ("exporter_master_secret", "EXPORTER_SECRET"),
    ]
    /// Every secret a key log reads: the client random (it labels every line), the TLS 1.3 secrets, and the TLS 1.2
    /// master secret (logged only when there is no TLS 1.3 secret).
    static let names: Set<String> = Set(["client_random", "master_secret"] + tls13Lines.map(\.0))

    public static func text(secrets: [SecretEntry]) -> String {
        // Prefer the client's copies; fall back to the server's (a real client's secrets are only on our server).
        // The first value of each name per side, in one pass.
        var client: [String: String] = [:]
        var server: [String: String] = [:]
        for secret in secrets {
            guard names.contains(secret.name) else { continue }
            if secret.side == .client {
                if client[secret.name] == nil { client[secret.name] = secret.hex }
            } else if server[secret.name] == nil {
                server[secret.name] = secret.hex
            }
        }
        func value(_ name: String) -> String? { client[name] ?? server[name] }
        guard let clientRandom = value("client_random") else { return "" }
        var lines: [String] = []
        for (name, label) in tls13Lines {
            if let secret = value(name) { lines.append("\(label) \(clientRandom) \(secret)") }
        }
        if lines.isEmpty, let master = value("master_secret") {
            lines.append("CLIENT_RANDOM \(clientRandom) \(master)")
        }
        return lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n"
    }
}
