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
    public var keylog: String {
        get { keylogText.value }
        set { keylogText = Lazily(newValue) }
    }
    /// (Written out when first read, like the field trees: a run nobody exports does not need it.)
    private var keylogText: Lazily<String>
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
        self.keylogText = Lazily(keylog)
        self.notes = notes
    }

    /// Sets the key log to what `make` writes, when it is first read.
    public mutating func setKeylog(_ make: @escaping @Sendable () -> String) { keylogText = Lazily(make: make) }

    enum CodingKeys: String, CodingKey {
        case format, version, scenario, title, description, seed, clock, configuration, negotiated, certificates
        case records, messages, events, secrets, outcome
        case keylogText = "keylog"
        case notes, connections, lab
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
    public var hex: String {
        get { wire.hex }
        set { wire = HexBytes(hex: newValue) }
    }
    /// The same bytes (empty if a loaded file's `hex` is not hex; `Transcript.load` rejects such files).
    public var bytes: [UInt8] { wire.bytes }
    var wire: HexBytes
    /// Outer content type name (`handshake`, `application_data`, …).
    public var contentType: String
    /// The real content type (differs from the outer one in TLS 1.3 encrypted records).
    public var innerContentType: String
    public var encrypted: Bool
    /// Which keys protected it (e.g. `server_handshake_traffic keys`).
    public var keys: String?
    /// The decrypted content (encrypted records only).
    public var plaintextHex: String? {
        get { plain?.hex }
        set { plain = newValue.map { HexBytes(hex: $0) } }
    }
    public var plaintext: [UInt8]? { plain?.bytesIfHex }
    var plain: HexBytes?
    public var protection: ProtectionDetails?
    /// Header fields (content type, version, length, fragment), offsets into `hex`. Worked out from the record's
    /// bytes when first read (see `MessageEntry.fields`).
    public var fields: [FieldNode] {
        get { headerFields.value }
        set { headerFields = Lazily(newValue) }
    }
    private var headerFields: Lazily<[FieldNode]>
    /// Indices into `Transcript.messages` of the handshake messages this record carries.
    public var messages: [Int]
    /// One line for the ladder: `ClientHello`, `ChangeCipherSpec`, `Alert: bad_record_mac`, `ApplicationData (72 bytes)`.
    public var summary: String
    /// What the channel did to it, if anything (tamper, drop, …).
    public var channelNote: String?
    /// The record as the sender wrote it, when the channel changed it.
    public var originalHex: String? {
        get { original?.hex }
        set { original = newValue.map { HexBytes(hex: $0) } }
    }
    public var originalBytes: [UInt8]? {
        get { original?.bytesIfHex }
        set { original = newValue.map(HexBytes.init) }
    }
    var original: HexBytes?
    /// Which connection of the run (0-based).
    public var connection: Int = 0

    public init(
        index: Int, from: Side, hex: String, contentType: String, innerContentType: String, encrypted: Bool,
        keys: String?, plaintextHex: String?, protection: ProtectionDetails?, fields: [FieldNode], messages: [Int],
        summary: String, channelNote: String? = nil, originalHex: String? = nil
    ) {
        self.init(
            index: index, from: from, wire: HexBytes(hex: hex), contentType: contentType,
            innerContentType: innerContentType, encrypted: encrypted, keys: keys,
            plain: plaintextHex.map { HexBytes(hex: $0) }, protection: protection, headerFields: Lazily(fields),
            messages: messages, summary: summary, channelNote: channelNote,
            original: originalHex.map { HexBytes(hex: $0) })
    }

    /// A record given by its bytes, whose header fields `makeFields` works out when they are first read.
    public init(
        index: Int, from: Side, bytes: [UInt8], contentType: String, innerContentType: String, encrypted: Bool,
        keys: String?, plaintext: [UInt8]?, protection: ProtectionDetails?,
        makeFields: @escaping @Sendable () -> [FieldNode], messages: [Int], summary: String
    ) {
        self.init(
            index: index, from: from, wire: HexBytes(bytes), contentType: contentType,
            innerContentType: innerContentType, encrypted: encrypted, keys: keys, plain: plaintext.map(HexBytes.init),
            protection: protection, headerFields: Lazily(make: makeFields), messages: messages, summary: summary,
            channelNote: nil, original: nil)
    }

    private init(
        index: Int, from: Side, wire: HexBytes, contentType: String, innerContentType: String, encrypted: Bool,
        keys: String?, plain: HexBytes?, protection: ProtectionDetails?, headerFields: Lazily<[FieldNode]>,
        messages: [Int], summary: String, channelNote: String?, original: HexBytes?
    ) {
        self.index = index
        self.from = from
        self.wire = wire
        self.contentType = contentType
        self.innerContentType = innerContentType
        self.encrypted = encrypted
        self.keys = keys
        self.plain = plain
        self.protection = protection
        self.headerFields = headerFields
        self.messages = messages
        self.summary = summary
        self.channelNote = channelNote
        self.original = original
    }

    /// (The field tree is stored under `fields` and the bytes under `hex`, `plaintext_hex` and `original_hex`, as
    /// when they were plain properties.)
    enum CodingKeys: String, CodingKey {
        case index, from
        case wire = "hex"
        case contentType, innerContentType, encrypted, keys
        case plain = "plaintextHex"
        case protection
        case headerFields = "fields"
        case messages, summary, channelNote
        case original = "originalHex"
        case connection
    }
}

/// One handshake message with its decoded field tree.
public struct MessageEntry: Codable, Sendable, Equatable {
    public var index: Int
    public var from: Side
    /// Display name: `ClientHello`, `HelloRetryRequest`, `Finished`, …
    public var name: String
    /// The message bytes (4-byte header included) — the bytes the transcript hash covers.
    public var hex: String {
        get { raw.hex }
        set { raw = HexBytes(hex: newValue) }
    }
    /// The same bytes (empty if a loaded file's `hex` is not hex; `Transcript.load` rejects such files).
    public var bytes: [UInt8] { raw.bytes }
    var raw: HexBytes
    /// Field tree; offsets are relative to `hex`. A run records the bytes; the tree is decoded from them the first
    /// time something reads it (the UI, an export, a comparison) and kept — a handshake that nobody looks at does
    /// not pay for it. A transcript read from JSON has its trees already.
    public var fields: FieldNode {
        get { fieldTree.value }
        set { fieldTree = Lazily(newValue) }
    }
    private var fieldTree: Lazily<FieldNode>
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
        self.raw = HexBytes(hex: hex)
        self.fieldTree = Lazily(fields)
        self.records = records
        self.offsetInRecord = offsetInRecord
        self.encrypted = encrypted
    }

    /// A message whose field tree is decoded from `bytes` in `context` when first read.
    public init(
        index: Int, from: Side, name: String, bytes: [UInt8], context: DecodeContext, records: [Int],
        offsetInRecord: Int, encrypted: Bool
    ) {
        self.index = index
        self.from = from
        self.name = name
        self.raw = HexBytes(bytes)
        self.fieldTree = Lazily {
            do {
                return try HandshakeMessage.decode(bytes, context: context).1
            } catch {
                return FieldNode(
                    key: "handshake", name: name, value: "could not decode: \(error)", offset: 0, length: bytes.count)
            }
        }
        self.records = records
        self.offsetInRecord = offsetInRecord
        self.encrypted = encrypted
    }

    /// (The field tree is stored under `fields` and the bytes under `hex`, as when they were plain properties.)
    enum CodingKeys: String, CodingKey {
        case index, from, name
        case raw = "hex"
        case fieldTree = "fields"
        case records, offsetInRecord, encrypted, connection
    }
}

/// Bytes a transcript keeps (records, messages, secrets): held as bytes, written as lower-case hex only when the
/// transcript is encoded or `hex` is read — a run that nobody exports does not pay for the text (a handshake keeps
/// some six kilobytes). In JSON it is the hex string. Text read from a file that is not hex is kept as it came, so
/// that `Transcript.validate()` can say where it is (`records[3].hex is not a hex string`).
struct HexBytes: Codable, Sendable, Equatable {
    // (Two stored properties rather than an enum with two payloads: LeakSanitizer cannot follow a pointer kept in an
    // enum's spare bits, and transcripts live in caches until the process exits — see docs/hardening.md.)
    private(set) var bytes: [UInt8]
    /// The text as it came, when it was not hex (then `bytes` is empty).
    private var notHex: String?

    init(_ bytes: [UInt8]) { self.bytes = bytes }
    /// Hex as `[UInt8](hex:)` reads it (whitespace, colons, `0x` tolerated); anything else is kept as text.
    init(hex: String) {
        if let bytes = [UInt8](hex: hex) {
            self.bytes = bytes
        } else {
            bytes = []
            notHex = hex
        }
    }

    var isHex: Bool { notHex == nil }
    /// The bytes, or nil when the text was not hex.
    var bytesIfHex: [UInt8]? { isHex ? bytes : nil }
    var hex: String { notHex ?? bytes.hex }

    init(from decoder: Decoder) throws { self.init(hex: try decoder.singleValueContainer().decode(String.self)) }
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// A value worked out once, on first use (thread-safe: transcripts are shared between tasks). Field trees are
/// derived from bytes the transcript keeps, so a run records the bytes and leaves the trees to whoever reads them.
final class Lazily<Value: Sendable>: @unchecked Sendable {
    // (Two optionals rather than an enum with two payloads: LeakSanitizer cannot follow a pointer kept in an enum's
    // spare bits, and transcripts live in caches until the process exits — see docs/hardening.md.)
    private let lock = NSLock()
    private var ready: Value?
    private var make: (@Sendable () -> Value)?

    init(_ value: Value) { ready = value }
    init(make: @escaping @Sendable () -> Value) { self.make = make }

    var value: Value {
        lock.lock()
        defer { lock.unlock() }
        if let ready { return ready }
        guard let make else { preconditionFailure("Lazily holds either a value or a way to make it") }
        let value = make()
        ready = value
        self.make = nil
        return value
    }
}

// In JSON a lazily decoded tree is just the tree; two are equal when their trees are.
extension Lazily: Codable where Value: Codable {
    convenience init(from decoder: Decoder) throws { self.init(try decoder.singleValueContainer().decode(Value.self)) }
    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}

extension Lazily: Equatable where Value: Equatable {
    static func == (a: Lazily, b: Lazily) -> Bool { a === b || a.value == b.value }
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
    public var hex: String {
        get { value.hex }
        set { value = HexBytes(hex: newValue) }
    }
    /// The same bytes (empty if a loaded file's `hex` is not hex; `Transcript.load` rejects such files).
    public var bytes: [UInt8] { value.bytes }
    var value: HexBytes
    /// Which connection of the run (0-based).
    public var connection: Int
    public init(side: Side, name: String, hex: String, connection: Int = 0) {
        self.init(side: side, name: name, value: HexBytes(hex: hex), connection: connection)
    }
    public init(side: Side, name: String, bytes: [UInt8], connection: Int = 0) {
        self.init(side: side, name: name, value: HexBytes(bytes), connection: connection)
    }
    private init(side: Side, name: String, value: HexBytes, connection: Int) {
        self.side = side
        self.name = name
        self.value = value
        self.connection = connection
    }

    enum CodingKeys: String, CodingKey {
        case side, name
        case value = "hex"
        case connection
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

    /// Loads a transcript saved by `jsonData()`. Anything that is not a complete, consistent version-1 transcript
    /// is rejected with a `TranscriptLoadError` whose reason names what is wrong and where (`records[3].hex`), never
    /// with a crash: a file of another format or version, malformed or truncated JSON, wrong types, missing keys,
    /// and indices or byte ranges that point outside the transcript (which would otherwise crash a renderer).
    public static func load(json data: Data) throws -> Transcript {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let transcript: Transcript
        do {
            transcript = try decoder.decode(Transcript.self, from: data)
        } catch {
            // Report the most fundamental problem first: not JSON, not a transcript, another version.
            try checkHeader(of: data, decoder: decoder)
            // JSONDecoder reports a number that does not fit its field (1.5 or -1 for a count) as "not valid
            // JSON" without a path; find it.
            if case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty,
                let object = try? JSONSerialization.jsonObject(with: data), let problem = numberProblem(in: object)
            {
                throw TranscriptLoadError(reason: problem)
            }
            throw TranscriptLoadError(reason: TranscriptLoadError.describe(error))
        }
        try checkFormat(transcript.format, version: transcript.version)
        try transcript.validate()
        return transcript
    }

    /// The first two keys of the contract, read leniently so that a wrong type is reported as such.
    private struct Header: Decodable {
        var format: String?
        var formatIsString = true
        var version: Int?
        var versionIsInteger = true

        enum CodingKeys: String, CodingKey { case format, version }
        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            if c.contains(.format), (try? c.decodeNil(forKey: .format)) != true {
                format = try? c.decode(String.self, forKey: .format)
                formatIsString = format != nil
            }
            if c.contains(.version), (try? c.decodeNil(forKey: .version)) != true {
                version = try? c.decode(Int.self, forKey: .version)
                versionIsInteger = version != nil
            }
        }
    }

    private static func checkHeader(of data: Data, decoder: JSONDecoder) throws {
        if data.allSatisfy({ [0x20, 0x09, 0x0a, 0x0d].contains($0) }) {
            throw TranscriptLoadError(reason: "the file is empty")
        }
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch DecodingError.typeMismatch(_, let context) where context.codingPath.isEmpty {
            throw TranscriptLoadError(reason: "not a TLSLab transcript: the top level is not a JSON object")
        } catch {
            throw TranscriptLoadError(reason: "not valid JSON: \(jsonSyntaxError(in: data) ?? TranscriptLoadError.describe(error))")
        }
        guard header.formatIsString else {
            throw TranscriptLoadError(reason: "not a TLSLab transcript: \"format\" must be the string \"\(formatName)\"")
        }
        guard header.versionIsInteger else {
            throw TranscriptLoadError(reason: "transcript \"version\" must be an integer (this TLSLab reads version \(currentVersion))")
        }
        try checkFormat(header.format, version: header.version)
    }

    /// The JSON parser's own message for malformed JSON ("Unexpected end of file during JSON parse."), with the
    /// line and column of the byte offset it names. JSONDecoder only says "The given data was not valid JSON."
    private static func jsonSyntaxError(in data: Data) -> String? {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return nil
        } catch {
            guard var text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String else { return nil }
            if let range = text.range(of: "around character "),
                let offset = Int(text[range.upperBound...].prefix { $0.isNumber }), offset >= 0, offset <= data.count
            {
                let before = [UInt8](data).prefix(offset)
                let line = before.reduce(1) { $1 == 0x0a ? $0 + 1 : $0 }
                let column = offset - (before.lastIndex(of: 0x0a).map { $0 + 1 } ?? 0) + 1
                text += " (line \(line), column \(column))"
            } else if text.contains("end of file") {
                text += " The file is probably truncated."
            }
            return text
        }
    }

    /// The first number in the file that no field of a transcript can hold: every number in the contract is a
    /// whole number, and `seed` and `sequence_number` are unsigned 64-bit.
    private static func numberProblem(in object: Any, path: String = "") -> String? {
        if let dictionary = object as? [String: Any] {
            for key in dictionary.keys.sorted() {
                guard let value = dictionary[key] else { continue }
                let here = path.isEmpty ? key : "\(path).\(key)"
                if let number = value as? NSNumber, !(value is Bool) {
                    let d = number.doubleValue
                    if d.rounded() != d { return "\(here) is \(number), not a whole number" }
                    if abs(d) >= 9.3e18 { return "\(here) is \(number), too large" }
                    if ["seed", "sequence_number"].contains(key), d < 0 { return "\(here) is \(number), must not be negative" }
                } else if let problem = numberProblem(in: value, path: here) {
                    return problem
                }
            }
        } else if let array = object as? [Any] {
            for (i, value) in array.enumerated() {
                let here = "\(path)[\(i)]"
                if let number = value as? NSNumber, !(value is Bool) {
                    let d = number.doubleValue
                    if d.rounded() != d || abs(d) >= 9.3e18 { return "\(here) is \(number), not a whole number" }
                } else if let problem = numberProblem(in: value, path: here) {
                    return problem
                }
            }
        }
        return nil
    }

    private static func checkFormat(_ format: String?, version: Int?) throws {
        guard format == formatName else {
            throw TranscriptLoadError(
                reason: "not a TLSLab transcript (\"format\" is \(format.map { "\"\($0)\"" } ?? "missing"), expected \"\(formatName)\")")
        }
        guard version == currentVersion else {
            throw TranscriptLoadError(
                reason: "transcript version \(version.map(String.init) ?? "missing") is not supported; this TLSLab reads version \(currentVersion)")
        }
    }

    /// Checks what the JSON types cannot: every index points at an existing record, message or event, records and
    /// messages are numbered by position, every byte string is hex, and every field's byte range lies inside the
    /// bytes it describes. Renderers (text, Markdown, the UI's hex highlighting) rely on all of this.
    public func validate() throws {
        func fail(_ reason: String) -> TranscriptLoadError { TranscriptLoadError(reason: reason) }
        func bytes(_ value: HexBytes, _ path: String) throws -> Int {
            guard let bytes = value.bytesIfHex else { throw fail("\(path) is not a hex string") }
            return bytes.count
        }
        func checkFields(_ node: FieldNode, _ path: String, size: Int) throws {
            let (end, overflow) = node.offset.addingReportingOverflow(node.length)
            guard node.offset >= 0, node.length >= 0, !overflow, end <= size else {
                throw fail(
                    "\(path) (\(node.name)) covers bytes \(node.offset) to \(end) (offset \(node.offset), length \(node.length)), outside the \(size) bytes it describes")
            }
            for (i, child) in node.children.enumerated() {
                try checkFields(child, "\(path).children[\(i)]", size: size)
            }
        }
        for (i, record) in records.enumerated() {
            let path = "records[\(i)]"
            guard record.index == i else {
                throw fail("\(path).index is \(record.index); records must be numbered 0, 1, 2, … in order")
            }
            let size = try bytes(record.wire, "\(path).hex")
            if let plain = record.plain { _ = try bytes(plain, "\(path).plaintext_hex") }
            if let original = record.original { _ = try bytes(original, "\(path).original_hex") }
            for (j, m) in record.messages.enumerated() where !messages.indices.contains(m) {
                throw fail("\(path).messages[\(j)] is \(m), but the transcript has \(messages.count) messages")
            }
            for (j, field) in record.fields.enumerated() { try checkFields(field, "\(path).fields[\(j)]", size: size) }
        }
        for (i, message) in messages.enumerated() {
            let path = "messages[\(i)]"
            guard message.index == i else {
                throw fail("\(path).index is \(message.index); messages must be numbered 0, 1, 2, … in order")
            }
            let size = try bytes(message.raw, "\(path).hex")
            for (j, r) in message.records.enumerated() where !records.indices.contains(r) {
                throw fail("\(path).records[\(j)] is \(r), but the transcript has \(records.count) records")
            }
            guard message.offsetInRecord >= 0 else { throw fail("\(path).offset_in_record is negative") }
            try checkFields(message.fields, "\(path).fields", size: size)
        }
        for (i, event) in events.enumerated() {
            if let r = event.record, !records.indices.contains(r) {
                throw fail("events[\(i)].record is \(r), but the transcript has \(records.count) records")
            }
        }
        for (i, secret) in secrets.enumerated() { _ = try bytes(secret.value, "secrets[\(i)].hex") }
        if let e = outcome.event, !events.indices.contains(e) {
            throw fail("outcome.event is \(e), but the transcript has \(events.count) events")
        }
    }
}

/// Why a transcript file could not be loaded.
public struct TranscriptLoadError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }

    public init(reason: String) { self.reason = reason }

    /// A decoding error in the file's own terms: the path with snake_case keys as written in the JSON
    /// (`records[2].plaintext_hex`), and the underlying parser message for malformed JSON.
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let p = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\(snakeCase($0.stringValue))" }.joined()
            return p.isEmpty ? "the top level" : String(p.drop(while: { $0 == "." }))
        }
        func detail(_ context: DecodingError.Context) -> String {
            var text = context.debugDescription
            if let underlying = context.underlyingError {
                let more = (underlying as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(underlying)"
                if !more.isEmpty, !text.contains(more) { text += " (\(more))" }
            }
            return text
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing key \"\(snakeCase(key.stringValue))\" at \(path(context))"
        case .typeMismatch(_, let context): return "wrong type at \(path(context)): \(detail(context))"
        case .valueNotFound(_, let context): return "missing value at \(path(context)): \(detail(context))"
        case .dataCorrupted(let context): return "invalid data at \(path(context)): \(detail(context))"
        @unknown default: return "\(error)"
        }
    }

    /// `plaintextHex` → `plaintext_hex`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` writes it.
    static func snakeCase(_ key: String) -> String {
        var out = ""
        for c in key {
            if c.isUppercase {
                if !out.isEmpty { out.append("_") }
                out.append(contentsOf: c.lowercased())
            } else {
                out.append(c)
            }
        }
        return out
    }
}
