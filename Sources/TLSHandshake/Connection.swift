import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// Whether a record went out from or came in to the side that reports it.
public enum Direction: String, Sendable, Codable, Equatable {
    case sent, received
}

/// One record as this side saw it: the wire bytes and what they carry.
public struct RecordEvent: Sendable {
    public var direction: Direction
    /// The record exactly as written to (or read from) the wire.
    public var record: TLSRecord
    /// The real content type (inside a TLS 1.3 encrypted record, the inner type).
    public var contentType: ContentType
    /// The record's plaintext content (for an unprotected record, its fragment).
    public var plaintext: [UInt8]
    /// How it was protected; nil for a plaintext record.
    public var protection: ProtectionDetails?
    /// Which keys protected it (e.g. `server_handshake_traffic keys`).
    public var keys: String?
    /// Handshake messages this record carries (sent records only; received messages are reported by
    /// `ConnectionEvent.messageReceived` when they are complete, which may be several records later).
    public var messages: [HandshakeMessage]
    /// What the side knew when it wrote or read the record (to decode the messages).
    public var decodeContext: DecodeContext
}

/// What a connection reports, in order.
public enum ConnectionEvent: Sendable {
    case record(RecordEvent)
    case derived(DerivationStep)
    case keysInstalled(direction: Direction, label: String)
    case stateChanged(from: String, to: String)
    case note(String)
    /// The driver must validate these certificates and call `provide(_:)` with the verdict.
    case validationNeeded(CertificateValidationRequest)
    case handshakeCompleted(NegotiatedParameters)
    case applicationData([UInt8])
    /// This side sent an alert (and why).
    case alertSent(Alert, reason: String)
    case alertReceived(Alert)
    /// A whole handshake message from the peer, decoded with what this side knew at that point. It belongs to
    /// the last received record.
    case messageReceived(HandshakeMessage, DecodeContext)
    /// Server: 0-RTT application data, received before the handshake completed.
    case earlyDataReceived([UInt8])
    /// Server: a record it could not decrypt was skipped (rejected 0-RTT data, RFC 8446 §4.2.10).
    case earlyDataSkipped(bytes: Int)
    /// Client: whether the server took its 0-RTT data (if not, the data must be sent again).
    case earlyDataResult(accepted: Bool)
    /// Client: a session it can resume later.
    case sessionEstablished(ClientSession)
    /// Server: a TLS 1.2 session to keep under its ID.
    case sessionCached(id: [UInt8], state: ServerSessionState)
    /// Server: a ticket was used (single-use tickets).
    case ticketUsed([UInt8])
}

/// A TLS connection endpoint without I/O: the handshake state machine plus the record layer (framing,
/// protection, reassembly, content-type rules). Feed it bytes, get events — some of which are records to put on
/// the wire. The simulator's actors and the real-peer drivers are thin wrappers around this.
public struct Connection: Sendable {
    public enum Status: Sendable, Equatable {
        case handshaking, connected, closed, failed(Alert)
    }

    enum Machine: Sendable {
        case client(ClientHandshake)
        case server(ServerHandshake)
    }

    public let side: Side
    var machine: Machine
    var random: RandomSource
    var readProtection: RecordProtection?
    var readLabel: String?
    var writeProtection: RecordProtection?
    var writeLabel: String?
    var inbound: [UInt8] = []
    var pendingRecords: [TLSRecord] = []
    var reassembler = HandshakeReassembler()
    var awaitingVerdict = false
    var recordsSent = 0
    var sentCloseNotify = false
    var receivedCompatCCS = false
    /// Server: accepted 0-RTT — application data may arrive before the handshake completes.
    var acceptingEarlyData = false
    /// Server: rejected 0-RTT — bytes of undecryptable records still allowed to be skipped.
    var earlyDataSkipBudget = 0
    public private(set) var status: Status = .handshaking
    public private(set) var negotiated: NegotiatedParameters?

    public init(client configuration: ClientConfiguration, random: RandomSource) {
        side = .client
        machine = .client(ClientHandshake(configuration: configuration, random: random))
        self.random = random
    }

    public init(server configuration: ServerConfiguration, random: RandomSource) {
        side = .server
        machine = .server(ServerHandshake(configuration: configuration, random: random))
        self.random = random
    }

    public var stateName: String {
        switch machine {
        case .client(let c): c.stateName
        case .server(let s): s.stateName
        }
    }

    var decodeContext: DecodeContext {
        switch machine {
        case .client(let c): c.decodeContext
        case .server(let s): s.decodeContext
        }
    }

    var version: ProtocolVersion? { decodeContext.version }

    // MARK: - Public driving API

    /// Client: sends the ClientHello. Server: nothing to do.
    public mutating func start() -> [ConnectionEvent] {
        guard case .client(var c) = machine else { return [] }
        var events: [ConnectionEvent] = []
        do {
            let actions = try c.start()
            machine = .client(c)
            try perform(actions, &events)
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// Client: sends a given ClientHello (replaying a recorded handshake; see `ClientHandshake.start(replaying:keyShares:)`).
    public mutating func start(replaying hello: ClientHello, keyShares: [EphemeralKeyPair]) -> [ConnectionEvent] {
        guard case .client(var c) = machine else { return [] }
        var events: [ConnectionEvent] = []
        do {
            let actions = try c.start(replaying: hello, keyShares: keyShares)
            machine = .client(c)
            try perform(actions, &events)
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// Feeds bytes from the peer (any split: partial records are kept until complete).
    public mutating func receive(_ bytes: [UInt8]) -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        guard status == .handshaking || status == .connected else { return events }
        inbound.append(contentsOf: bytes)
        do {
            let limit = readProtection == nil ? TLSRecord.maxPlaintext
                : (version == .tls13 ? TLSRecord.maxCiphertext13 : TLSRecord.maxCiphertext12)
            let (records, consumed) = try TLSRecord.split(inbound, maxFragment: max(limit, TLSRecord.maxCiphertext12))
            inbound.removeFirst(consumed)
            pendingRecords.append(contentsOf: records)
            try drain(&events)
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// Answers a `.validationNeeded` event.
    public mutating func provide(_ verdict: ValidationVerdict) -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        // A verdict that comes after the connection failed (bytes kept arriving during validation) changes nothing:
        // after a fatal alert nothing more is sent (RFC 8446 §6.2, RFC 5246 §7.2.2).
        guard awaitingVerdict, status == .handshaking || status == .connected else { return events }
        awaitingVerdict = false
        do {
            try feed(.verdict(verdict), &events)
            try drainMessages(&events)
            try drain(&events)
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// Sends application data (after the handshake).
    public mutating func send(applicationData: [UInt8]) -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        guard status == .connected else { return events }
        do {
            try write(.applicationData, applicationData, messages: [], &events)
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// TLS 1.3: sends KeyUpdate and switches to the next sending keys (RFC 8446 §4.6.3).
    public mutating func updateKeys(requestPeerUpdate: Bool = true) -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        guard status == .connected, case .client(var c) = machine else { return events }
        do {
            let actions = try c.updateKeys(requestPeerUpdate: requestPeerUpdate)
            machine = .client(c)
            try perform(actions, &events)
        } catch {
            fail(error, &events)
        }
        return events
    }

    /// Sends close_notify (RFC 8446 §6.1).
    public mutating func close() -> [ConnectionEvent] {
        var events: [ConnectionEvent] = []
        guard !sentCloseNotify, status == .connected || status == .closed else { return events }
        sentCloseNotify = true
        do {
            try write(.alert, Alert.closeNotify.bytes, messages: [], &events)
            events.append(.alertSent(.closeNotify, reason: "this side has no more data to send"))
        } catch {
            fail(error, &events)
        }
        return events
    }

    // MARK: - Records in

    private mutating func drain(_ events: inout [ConnectionEvent]) throws {
        while !awaitingVerdict, !pendingRecords.isEmpty, status == .handshaking || status == .connected {
            let record = pendingRecords.removeFirst()
            try process(record, &events)
        }
    }

    private mutating func process(_ record: TLSRecord, _ events: inout [ConnectionEvent]) throws {
        var contentType = record.contentType
        var plaintext = record.fragment
        var details: ProtectionDetails?
        let knownTypes: [ContentType] = [.changeCipherSpec, .alert, .handshake, .applicationData]
        guard knownTypes.contains(record.contentType) else {
            throw HandshakeFailure(.unexpectedMessage, "received a record of unknown content type \(record.contentType.rawValue)")
        }
        let compatCCS = version == .tls13 && record.contentType == .changeCipherSpec
        // A peer that failed before it could derive keys (say, a client that rejected our ServerHello) can only
        // send its alert in the clear; during a TLS 1.3 handshake we read it as such (as OpenSSL does).
        let earlyPlainAlert =
            version == .tls13 && status == .handshaking && record.contentType == .alert && record.fragment.count == 2
        if var protection = readProtection, !compatCCS, !earlyPlainAlert {
            if version == .tls13 && record.contentType != .applicationData {
                throw HandshakeFailure(
                    .unexpectedMessage,
                    "received a plaintext \(record.contentType) record after encryption started (TLS 1.3 encrypts everything after ServerHello)")
            }
            do {
                (contentType, plaintext, details) = try protection.open(record)
            } catch let error as RecordProtectionError where earlyDataSkipBudget >= record.fragment.count {
                // Rejected 0-RTT: the server cannot (and must not try to) read it; skip it (RFC 8446 §4.2.10).
                earlyDataSkipBudget -= record.fragment.count
                _ = error
                events.append(
                    .record(
                        RecordEvent(
                            direction: .received, record: record, contentType: record.contentType, plaintext: [],
                            protection: nil, keys: nil, messages: [], decodeContext: decodeContext)))
                events.append(.earlyDataSkipped(bytes: record.fragment.count))
                return
            } catch let error as RecordProtectionError {
                events.append(
                    .record(
                        RecordEvent(
                            direction: .received, record: record, contentType: record.contentType, plaintext: [],
                            protection: nil, keys: readLabel, messages: [], decodeContext: decodeContext)))
                throw HandshakeFailure(error.alert, error.reason)
            }
            readProtection = protection
            earlyDataSkipBudget = 0
        } else {
            if record.fragment.count > TLSRecord.maxPlaintext {
                throw HandshakeFailure(.recordOverflow, "a plaintext record of \(record.fragment.count) bytes exceeds 2^14")
            }
            if record.contentType == .applicationData {
                throw HandshakeFailure(.unexpectedMessage, "received application data before the handshake protected the connection")
            }
        }
        if plaintext.isEmpty && contentType != .applicationData {
            throw HandshakeFailure(.unexpectedMessage, "received an empty \(contentType) record (RFC 8446 §5.1 forbids zero-length fragments of this type)")
        }
        let event = RecordEvent(
            direction: .received, record: record, contentType: contentType, plaintext: plaintext, protection: details,
            keys: details == nil ? nil : readLabel, messages: [], decodeContext: decodeContext)

        switch contentType {
        case .handshake:
            reassembler.append(plaintext)
            events.append(.record(event))
            try drainMessages(&events)
        case .changeCipherSpec:
            events.append(.record(event))
            guard plaintext == [0x01] else {
                throw HandshakeFailure(.unexpectedMessage, "a ChangeCipherSpec record must hold the single byte 01")
            }
            guard reassembler.isEmpty else {
                throw HandshakeFailure(.unexpectedMessage, "ChangeCipherSpec arrived in the middle of a handshake message")
            }
            if version == .tls13 {
                guard details == nil else {
                    throw HandshakeFailure(
                        .unexpectedMessage,
                        "received a protected ChangeCipherSpec; TLS 1.3 tolerates only an unprotected one (RFC 8446 §5)")
                }
                guard status == .handshaking, !receivedCompatCCS else {
                    throw HandshakeFailure(
                        .unexpectedMessage, "TLS 1.3 allows one ChangeCipherSpec only during the handshake (RFC 8446 §5)")
                }
                receivedCompatCCS = true
                events.append(.note("A dummy ChangeCipherSpec (middlebox compatibility, RFC 8446 §D.4): ignored."))
            } else {
                try feed(.changeCipherSpec, &events)
            }
        case .alert:
            events.append(.record(event))
            let alert = try Alert.parse(plaintext)
            events.append(.alertReceived(alert))
            if alert.description_ == .closeNotify {
                status = .closed
                if !sentCloseNotify && negotiated != nil {
                    sentCloseNotify = true
                    try write(.alert, Alert.closeNotify.bytes, messages: [], &events)
                    events.append(.alertSent(.closeNotify, reason: "answering the peer's close_notify"))
                }
            } else {
                status = .failed(alert)
            }
        case .applicationData:
            events.append(.record(event))
            if status == .handshaking && acceptingEarlyData {
                events.append(.earlyDataReceived(plaintext))
                return
            }
            guard status == .connected else {
                throw HandshakeFailure(.unexpectedMessage, "received application data before the handshake completed")
            }
            events.append(.applicationData(plaintext))
        default:
            throw HandshakeFailure(.unexpectedMessage, "received a record of unknown content type \(contentType.rawValue)")
        }
    }

    /// Feeds every whole handshake message in the reassembler to the machine (stopping while a verdict is awaited).
    private mutating func drainMessages(_ events: inout [ConnectionEvent]) throws {
        while !awaitingVerdict, let bytes = try reassembler.next() {
            let context = decodeContext
            let message = try HandshakeMessage.parse(bytes, context: context)
            events.append(.messageReceived(message, context))
            let readBefore = readLabel
            try feed(.message(message), &events)
            // RFC 8446 §5.1: handshake messages must not span a key change.
            if readLabel != readBefore && !reassembler.isEmpty {
                throw HandshakeFailure(
                    .unexpectedMessage, "more handshake data followed a message that changes keys, in the same record")
            }
        }
    }

    // MARK: - Machine

    private mutating func feed(_ input: HandshakeInput, _ events: inout [ConnectionEvent]) throws {
        let actions: [HandshakeAction]
        switch machine {
        case .client(var c):
            defer { machine = .client(c) }
            actions = try c.handle(input)
        case .server(var s):
            defer { machine = .server(s) }
            actions = try s.handle(input)
        }
        try perform(actions, &events)
    }

    private mutating func perform(_ actions: [HandshakeAction], _ events: inout [ConnectionEvent]) throws {
        for action in actions {
            switch action {
            case .send(let message):
                try write(.handshake, message.bytes, messages: [message], &events)
            case .sendChangeCipherSpec:
                let record = TLSRecord(contentType: .changeCipherSpec, legacyVersion: .tls12, fragment: [0x01])
                recordsSent += 1
                events.append(
                    .record(
                        RecordEvent(
                            direction: .sent, record: record, contentType: .changeCipherSpec, plaintext: [0x01],
                            protection: nil, keys: nil, messages: [], decodeContext: decodeContext)))
            case .derived(let step):
                events.append(.derived(step))
            case .installWriteProtection(let protection, let label):
                writeProtection = protection
                writeLabel = label
                events.append(.keysInstalled(direction: .sent, label: label))
            case .installReadProtection(let protection, let label):
                readProtection = protection
                readLabel = label
                if !label.hasPrefix("client_early") { acceptingEarlyData = false }
                events.append(.keysInstalled(direction: .received, label: label))
            case .validateCertificates(let request):
                awaitingVerdict = true
                events.append(.validationNeeded(request))
            case .stateChanged(let from, let to):
                events.append(.stateChanged(from: from, to: to))
            case .note(let text):
                events.append(.note(text))
            case .completed(let parameters):
                negotiated = parameters
                status = .connected
                acceptingEarlyData = false
                events.append(.handshakeCompleted(parameters))
            case .sendApplicationData(let data):
                try write(.applicationData, data, messages: [], &events)
            case .resetWriteProtection:
                writeProtection = nil
                writeLabel = nil
                events.append(.keysInstalled(direction: .sent, label: "no keys (plaintext)"))
            case .acceptEarlyData:
                acceptingEarlyData = true
            case .skipEarlyData(let maxBytes):
                earlyDataSkipBudget = maxBytes
            case .earlyDataResult(let accepted):
                events.append(.earlyDataResult(accepted: accepted))
            case .sessionEstablished(let session):
                events.append(.sessionEstablished(session))
            case .sessionCached(let id, let state):
                events.append(.sessionCached(id: id, state: state))
            case .ticketUsed(let ticket):
                events.append(.ticketUsed(ticket))
            }
        }
    }

    // MARK: - Records out

    private mutating func write(
        _ type: ContentType, _ content: [UInt8], messages: [HandshakeMessage], _ events: inout [ConnectionEvent]
    ) throws {
        var chunks: [[UInt8]] = []
        var offset = 0
        repeat {
            let end = min(offset + TLSRecord.maxPlaintext, content.count)
            chunks.append(Array(content[offset..<end]))
            offset = end
        } while offset < content.count
        for (i, chunk) in chunks.enumerated() {
            let record: TLSRecord
            var details: ProtectionDetails?
            if var protection = writeProtection {
                let iv: [UInt8]? =
                    protection.suite.cipher.isAEAD || protection.version == .tls13
                    ? nil : random.bytes(16, label: "record_iv")
                (record, details) = try protection.seal(contentType: type, plaintext: chunk, explicitIV: iv)
                writeProtection = protection
            } else {
                // RFC 8446 §5.1: an initial ClientHello may use 0x0301 as record version (as OpenSSL does).
                let legacy: ProtocolVersion = side == .client && recordsSent == 0 ? .tls10 : .tls12
                record = TLSRecord(contentType: type, legacyVersion: legacy, fragment: chunk)
            }
            recordsSent += 1
            events.append(
                .record(
                    RecordEvent(
                        direction: .sent, record: record, contentType: type, plaintext: chunk, protection: details,
                        keys: details == nil ? nil : writeLabel, messages: i == chunks.count - 1 ? messages : [],
                        decodeContext: decodeContext)))
        }
    }

    // MARK: - Failure

    private mutating func fail(_ error: Error, _ events: inout [ConnectionEvent]) {
        let failure = HandshakeFailure.from(error)
        let alert = Alert.fatal(failure.alert)
        // Best effort: the alert goes out under the current write protection.
        try? write(.alert, alert.bytes, messages: [], &events)
        events.append(.alertSent(alert, reason: failure.reason))
        status = .failed(alert)
    }
}
