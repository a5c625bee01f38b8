import Foundation
import TLSCrypto
import TLSWire

/// The Codable record of one run: every record as it crossed the channel, the decoded messages with the byte
/// range of every field, every derivation step, every state change, and the outcome. Text, JSON, Markdown, the
/// key log, pcap and the UI all read this — nothing is computed twice.
///
/// JSON keys are snake_case; byte strings are lower-case hex. The contract (format, version, scenario, seed,
/// outcome, records[index, from, hex], secrets[side, name, hex], keylog) is stable; see docs/export.md.
public struct Transcript: Codable, Sendable, Equatable {
    public static let formatName = "tlslab-transcript"
    public static let currentVersion = 1

    public var format: String = Transcript.formatName
    public var version: Int = Transcript.currentVersion
    /// Scenario name (`tls12-rsa`) or, for a real peer, a description of the connection.
    public var scenario: String
    public var title: String
    public var description: String
    public var seed: UInt64?
    /// The simulated clock (ISO 8601).
    public var clock: String?
    /// What each side offered / accepted, for summaries.
    public var configuration: ConfigurationSummary
    /// What was agreed (nil if the handshake failed before ServerHello).
    public var negotiated: NegotiatedSummary?
    /// Certificates the peers presented, decoded.
    public var certificates: [CertificateEntrySummary]
    public var records: [RecordEntry]
    public var messages: [MessageEntry]
    /// Everything in order: records crossing, derivations, state changes, notes, alerts.
    public var events: [TranscriptEvent]
    /// Every value each side computed (the derivation outputs), in order.
    public var secrets: [SecretEntry]
    public var outcome: Outcome
    /// NSS key log text for this connection (for Wireshark).
    public var keylog: String
    /// Remarks about reproducibility (e.g. randomized signatures).
    public var notes: [String]
    /// The connections of the run, in order (one unless the scenario resumes or replays).
    public var connections: [ConnectionInfo] = []
    /// Failure-lab scenarios: what the user sees and how to fix it.
    public var lab: LabInfo?

    public init(
        scenario: String, title: String, description: String, seed: UInt64?, clock: String?,
        configuration: ConfigurationSummary, negotiated: NegotiatedSummary?, certificates: [CertificateEntrySummary],
        records: [RecordEntry], messages: [MessageEntry], events: [TranscriptEvent], secrets: [SecretEntry],
        outcome: Outcome, keylog: String, notes: [String]
    ) {
        self.scenario = scenario
        self.title = title
        self.description = description
        self.seed = seed
        self.clock = clock
        self.configuration = configuration
        self.negotiated = negotiated
        self.certificates = certificates
        self.records = records
        self.messages = messages
        self.events = events
        self.secrets = secrets
        self.outcome = outcome
        self.keylog = keylog
        self.notes = notes
    }
}

/// What the two sides were configured with (names as strings: the transcript is self-describing).
public struct ConfigurationSummary: Codable, Sendable, Equatable {
    public var clientVersions: [String]
    public var clientCipherSuites: [String]
    public var clientGroups: [String]
    public var clientSignatureAlgorithms: [String]
    public var serverName: String?
    public var serverVersions: [String]
    public var serverCipherSuites: [String]
    public var serverGroups: [String]
    public var serverCertificate: String?
    public var clientCertificate: String?
    public var extendedMasterSecret: Bool?
    public var encryptThenMAC: Bool?

    public init(
        clientVersions: [String] = [], clientCipherSuites: [String] = [], clientGroups: [String] = [],
        clientSignatureAlgorithms: [String] = [], serverName: String? = nil, serverVersions: [String] = [],
        serverCipherSuites: [String] = [], serverGroups: [String] = [], serverCertificate: String? = nil,
        clientCertificate: String? = nil, extendedMasterSecret: Bool? = nil, encryptThenMAC: Bool? = nil
    ) {
        self.clientVersions = clientVersions
        self.clientCipherSuites = clientCipherSuites
        self.clientGroups = clientGroups
        self.clientSignatureAlgorithms = clientSignatureAlgorithms
        self.serverName = serverName
        self.serverVersions = serverVersions
        self.serverCipherSuites = serverCipherSuites
        self.serverGroups = serverGroups
        self.serverCertificate = serverCertificate
        self.clientCertificate = clientCertificate
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
    }

    // Acronyms need explicit keys: snake_case round trips "encrypt_then_mac" to "encryptThenMac".
    enum CodingKeys: String, CodingKey {
        case clientVersions, clientCipherSuites, clientGroups, clientSignatureAlgorithms, serverName, serverVersions,
            serverCipherSuites, serverGroups, serverCertificate, clientCertificate, extendedMasterSecret
        case encryptThenMAC = "encryptThenMac"
    }
}

/// What the handshake settled.
public struct NegotiatedSummary: Codable, Sendable, Equatable {
    public var version: String
    public var cipherSuite: String
    public var keyExchange: String
    public var group: String?
    public var signatureScheme: String?
    public var extendedMasterSecret: Bool
    public var encryptThenMAC: Bool
    public var clientAuthenticated: Bool

    public init(
        version: String, cipherSuite: String, keyExchange: String, group: String?, signatureScheme: String?,
        extendedMasterSecret: Bool, encryptThenMAC: Bool, clientAuthenticated: Bool
    ) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.keyExchange = keyExchange
        self.group = group
        self.signatureScheme = signatureScheme
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
        self.clientAuthenticated = clientAuthenticated
    }

    enum CodingKeys: String, CodingKey {
        case version, cipherSuite, keyExchange, group, signatureScheme, extendedMasterSecret, clientAuthenticated
        case encryptThenMAC = "encryptThenMac"
    }
}

/// One certificate a peer presented.
public struct CertificateEntrySummary: Codable, Sendable, Equatable {
    public var from: Side
    /// 0 = leaf.
    public var position: Int
    public var subject: String
    public var issuer: String
    public var notBefore: String
    public var notAfter: String
    public var subjectAlternativeNames: [String]
    public var publicKey: String
    public var signatureAlgorithm: String

    public init(
        from: Side, position: Int, subject: String, issuer: String, notBefore: String, notAfter: String,
        subjectAlternativeNames: [String], publicKey: String, signatureAlgorithm: String
    ) {
        self.from = from
        self.position = position
        self.subject = subject
        self.issuer = issuer
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.subjectAlternativeNames = subjectAlternativeNames
        self.publicKey = publicKey
        self.signatureAlgorithm = signatureAlgorithm
    }
}

/// One record as it crossed the channel.
public struct RecordEntry: Codable, Sendable, Equatable {
    public var index: Int
    public var from: Side
    /// The whole record: 5-byte header + fragment, exactly as delivered.
    public var hex: String
    /// Outer content type name (`handshake`, `application_data`, …).
    public var contentType: String
    /// The real content type (differs from the outer one in TLS 1.3 encrypted records).
    public var innerContentType: String
    public var encrypted: Bool
    /// Which keys protected it (e.g. `server_handshake_traffic keys`).
    public var keys: String?
    /// The decrypted content (encrypted records only).
    public var plaintextHex: String?
    public var protection: ProtectionDetails?
    /// Header fields (content type, version, length, fragment), offsets into `hex`.
    public var fields: [FieldNode]
    /// Indices into `Transcript.messages` of the handshake messages this record carries.
    public var messages: [Int]
    /// One line for the ladder: `ClientHello`, `ChangeCipherSpec`, `Alert: bad_record_mac`, `ApplicationData (72 bytes)`.
    public var summary: String
    /// What the channel did to it, if anything (tamper, drop, …).
    public var channelNote: String?
    /// The record as the sender wrote it, when the channel changed it.
    public var originalHex: String?
    /// Which connection of the run (0-based).
    public var connection: Int = 0

    public init(
        index: Int, from: Side, hex: String, contentType: String, innerContentType: String, encrypted: Bool,
        keys: String?, plaintextHex: String?, protection: ProtectionDetails?, fields: [FieldNode], messages: [Int],
        summary: String, channelNote: String? = nil, originalHex: String? = nil
    ) {
        self.index = index
        self.from = from
        self.hex = hex
        self.contentType = contentType
        self.innerContentType = innerContentType
        self.encrypted = encrypted
        self.keys = keys
        self.plaintextHex = plaintextHex
        self.protection = protection
        self.fields = fields
        self.messages = messages
        self.summary = summary
        self.channelNote = channelNote
        self.originalHex = originalHex
    }

    public var bytes: [UInt8] { [UInt8](hex: hex) ?? [] }
    public var plaintext: [UInt8]? { plaintextHex.flatMap { [UInt8](hex: $0) } }
}

/// One handshake message with its decoded field tree.
public struct MessageEntry: Codable, Sendable, Equatable {
    public var index: Int
    public var from: Side
    /// Display name: `ClientHello`, `HelloRetryRequest`, `Finished`, …
    public var name: String
    /// The message bytes (4-byte header included) — the bytes the transcript hash covers.
    public var hex: String
    /// Field tree; offsets are relative to `hex`.
    public var fields: FieldNode
    /// Records that carried it (more than one when it was fragmented).
    public var records: [Int]
    /// Offset of the message inside the (last) record's plaintext / fragment.
    public var offsetInRecord: Int
    public var encrypted: Bool
    /// Which connection of the run (0-based).
    public var connection: Int = 0

    public init(
        index: Int, from: Side, name: String, hex: String, fields: FieldNode, records: [Int], offsetInRecord: Int,
        encrypted: Bool
    ) {
        self.index = index
        self.from = from
        self.name = name
        self.hex = hex
        self.fields = fields
        self.records = records
        self.offsetInRecord = offsetInRecord
        self.encrypted = encrypted
    }

    public var bytes: [UInt8] { [UInt8](hex: hex) ?? [] }
}

/// Something that happened, in order.
public struct TranscriptEvent: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        /// A record crossed the channel (`record`; `side` = sender).
        case record
        /// A side starts processing a record it received (`record`; `side` = receiver). The receiver's events
        /// that follow (derivations, state changes, alerts) are its reaction to that record.
        case recordReceived = "record_received"
        /// A side derived a value (`derivation`).
        case derivation
        /// A side's state machine moved (`from` → `to`).
        case stateChange = "state_change"
        /// A side installed new keys for reading or writing (`text` = label, `direction` = read/write).
        case keysInstalled = "keys_installed"
        /// A remark (`text`).
        case note
        /// A side validated the peer's certificates (`text` = verdict).
        case validation
        /// A side sent an alert (`alert`, `text` = reason).
        case alertSent = "alert_sent"
        /// A side received an alert.
        case alertReceived = "alert_received"
        /// A side received application data (`text` = the data as text).
        case applicationData = "application_data"
        /// A side completed the handshake.
        case handshakeCompleted = "handshake_completed"
        /// The channel did something to a record (`text`).
        case channel
        /// A new connection of the run starts (`text` = its label).
        case connectionStarted = "connection_started"
        /// A passive attacker's analysis of the recorded traffic (`text`, optional `derivation`).
        case eavesdropper
    }

    public var kind: Kind
    public var side: Side?
    public var record: Int?
    public var derivation: DerivationStep?
    public var from: String?
    public var to: String?
    public var text: String?
    public var alert: AlertInfo?
    /// `read` or `write` for keys_installed; `early` for 0-RTT application data.
    public var direction: String?
    /// Which connection of the run (0-based).
    public var connection: Int = 0

    public init(
        kind: Kind, side: Side? = nil, record: Int? = nil, derivation: DerivationStep? = nil, from: String? = nil,
        to: String? = nil, text: String? = nil, alert: AlertInfo? = nil, direction: String? = nil
    ) {
        self.kind = kind
        self.side = side
        self.record = record
        self.derivation = derivation
        self.from = from
        self.to = to
        self.text = text
        self.alert = alert
        self.direction = direction
    }
}

/// One connection of a run.
public struct ConnectionInfo: Codable, Sendable, Equatable {
    public var index: Int
    /// e.g. `first visit`, `resumed with 0-RTT`, `replayed by an attacker`.
    public var label: String
    public var outcome: Outcome
    public var negotiated: NegotiatedSummary?
    public var resumed: Bool
    public var helloRetry: Bool

    public init(
        index: Int, label: String, outcome: Outcome, negotiated: NegotiatedSummary?, resumed: Bool = false,
        helloRetry: Bool = false
    ) {
        self.index = index
        self.label = label
        self.outcome = outcome
        self.negotiated = negotiated
        self.resumed = resumed
        self.helloRetry = helloRetry
    }
}

/// For a failure-lab scenario: what the user sees, why, and how to fix it.
public struct LabInfo: Codable, Sendable, Equatable {
    public var symptom: String
    public var cause: String
    public var fix: String
    public var inPractice: String?

    public init(symptom: String, cause: String, fix: String, inPractice: String? = nil) {
        self.symptom = symptom
        self.cause = cause
        self.fix = fix
        self.inPractice = inPractice
    }
}

/// An alert as JSON: `{"level": "fatal", "description": "bad_record_mac", "code": 20, "sent_by": "server"}`.
public struct AlertInfo: Codable, Sendable, Equatable {
    public var level: String
    public var description: String
    public var code: Int
    public var sentBy: Side

    public init(level: String, description: String, code: Int, sentBy: Side) {
        self.level = level
        self.description = description
        self.code = code
        self.sentBy = sentBy
    }

    public init(_ alert: Alert, sentBy: Side) {
        self.init(
            level: alert.level.description, description: alert.description_.description,
            code: Int(alert.description_.rawValue), sentBy: sentBy)
    }
}

/// One value a side computed (the contract's `secrets` list).
public struct SecretEntry: Codable, Sendable, Equatable {
    public var side: Side
    public var name: String
    public var hex: String
    /// Which connection of the run (0-based).
    public var connection: Int
    public init(side: Side, name: String, hex: String, connection: Int = 0) {
        self.side = side
        self.name = name
        self.hex = hex
        self.connection = connection
    }
}

/// How the run ended.
public struct Outcome: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable { case completed, failed, incomplete }
    public var status: Status
    /// The fatal alert that ended it (nil when completed).
    public var alert: AlertInfo?
    /// Why, in plain words.
    public var reason: String?
    /// Index into `events` where it was detected.
    public var event: Int?

    public init(status: Status, alert: AlertInfo? = nil, reason: String? = nil, event: Int? = nil) {
        self.status = status
        self.alert = alert
        self.reason = reason
        self.event = event
    }
}

extension Transcript {
    /// The JSON encoding used for files and `--format json`: sorted keys, pretty-printed, snake_case.
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }

    /// Loads a transcript, checking format and version with a clear error.
    public static func load(json data: Data) throws -> Transcript {
        struct Header: Decodable {
            var format: String?
            var version: Int?
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw TranscriptLoadError(reason: "not a JSON object: \(TranscriptLoadError.describe(error))")
        }
        guard header.format == formatName else {
            throw TranscriptLoadError(
                reason: "not a TLSLab transcript (\"format\" is \(header.format.map { "\"\($0)\"" } ?? "missing"), expected \"\(formatName)\")")
        }
        guard header.version == currentVersion else {
            throw TranscriptLoadError(
                reason: "transcript version \(header.version.map(String.init) ?? "missing") is not supported; this TLSLab reads version \(currentVersion)")
        }
        do {
            return try decoder.decode(Transcript.self, from: data)
        } catch {
            throw TranscriptLoadError(reason: TranscriptLoadError.describe(error))
        }
    }
}

/// Why a transcript file could not be loaded.
public struct TranscriptLoadError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return p.isEmpty ? "the top level" : String(p.drop(while: { $0 == "." }))
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing key \"\(key.stringValue)\" at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(context.debugDescription)"
        case .valueNotFound(_, let context): return "missing value at \(path(context))"
        case .dataCorrupted(let context): return "invalid data at \(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
