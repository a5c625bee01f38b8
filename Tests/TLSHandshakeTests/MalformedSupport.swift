import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire
import XCTest

// Support for the malformed-message tests (in the spirit of tlsfuzzer): real client and server `Connection`s with
// the demo PKI of Scenarios/pki, driven directly; crafted bytes are fed in and the alert each side sends is checked
// against the one RFC 8446 / RFC 5246 prescribe, together with the events that record it.

/// The demo PKI and the configurations the tests start from.
enum Lab {
    static let pki = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios/pki", isDirectory: true)
    /// 2026-06-01T12:00:00Z, inside the demo certificates' validity.
    static let clock = Date(timeIntervalSince1970: 1_780_315_200)

    static func credential(_ name: String) throws -> Credential {
        try Credential.load(name: name, directory: pki)
    }

    static func anchors() throws -> [[UInt8]] {
        try PKI.loadPEMCertificates(String(contentsOf: pki.appendingPathComponent("ca.pem"), encoding: .utf8))
    }

    static let schemes: [SignatureScheme] = [
        .rsa_pss_rsae_sha256, .rsa_pkcs1_sha256, .ecdsa_secp256r1_sha256, .ed25519,
    ]

    static func client13(
        groups: [NamedGroup] = [.x25519, .secp256r1], keyShares: [NamedGroup]? = nil, credential: Credential? = nil
    ) throws -> ClientConfiguration {
        ClientConfiguration(
            versions: [.tls13], cipherSuites: [.TLS_AES_128_GCM_SHA256], groups: groups, keyShareGroups: keyShares,
            signatureSchemes: schemes, serverName: "www.example.com", trustAnchors: try anchors(), clock: clock,
            credential: credential)
    }

    static func client12(
        suites: [CipherSuite] = [.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], groups: [NamedGroup] = [.x25519, .secp256r1],
        encryptThenMAC: Bool = true, credential: Credential? = nil
    ) throws -> ClientConfiguration {
        ClientConfiguration(
            versions: [.tls12], cipherSuites: suites, groups: groups, signatureSchemes: schemes,
            serverName: "www.example.com", trustAnchors: try anchors(), clock: clock, encryptThenMAC: encryptThenMAC,
            credential: credential)
    }

    static func server(
        versions: [ProtocolVersion] = [.tls13, .tls12],
        suites: [CipherSuite] = [
            .TLS_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, .TLS_RSA_WITH_AES_128_GCM_SHA256,
        ],
        groups: [NamedGroup] = [.x25519, .secp256r1], clientAuthentication: ClientAuthentication = .none
    ) throws -> ServerConfiguration {
        ServerConfiguration(
            versions: versions, cipherSuites: suites, groups: groups, signatureSchemes: schemes,
            credential: try credential("server-rsa"), clientAuthentication: clientAuthentication,
            trustAnchors: try anchors(), clock: clock)
    }
}

/// One endpoint and everything it reported. Certificate validations are answered "trusted" at once (the chains are
/// the demo PKI's; validation has its own tests in TLSPKITests).
struct Peer {
    var connection: Connection
    var events: [ConnectionEvent] = []

    init(client configuration: ClientConfiguration, seed: UInt64 = 1) {
        connection = Connection(client: configuration, random: RandomSource(seed: seed, stream: "client"))
    }

    init(server configuration: ServerConfiguration, seed: UInt64 = 1) {
        connection = Connection(server: configuration, random: RandomSource(seed: seed, stream: "server"))
    }

    /// Takes a batch of events (answering a validation request at once) and returns it, answer included.
    @discardableResult
    mutating func take(_ new: [ConnectionEvent]) -> [ConnectionEvent] {
        events += new
        var batch = new
        if new.contains(where: { if case .validationNeeded = $0 { true } else { false } }) {
            batch += take(connection.provide(ValidationVerdict(trusted: true, alert: nil, reason: "demo PKI")))
        }
        return batch
    }

    @discardableResult
    mutating func start() -> [ConnectionEvent] { take(connection.start()) }

    @discardableResult
    mutating func receive(_ bytes: [UInt8]) -> [ConnectionEvent] { take(connection.receive(bytes)) }

    /// Feeds records one `receive` call each.
    @discardableResult
    mutating func receive(records: [[UInt8]]) -> [ConnectionEvent] { records.flatMap { receive($0) } }

    var alertsSent: [(alert: Alert, reason: String)] {
        events.compactMap { if case .alertSent(let a, let r) = $0 { (a, r) } else { nil } }
    }

    var messagesReceived: [HandshakeMessage] {
        events.compactMap { if case .messageReceived(let m, _) = $0 { m } else { nil } }
    }

    var completed: Bool { events.contains { if case .handshakeCompleted = $0 { true } else { false } } }

    var applicationData: [[UInt8]] {
        events.compactMap { if case .applicationData(let d) = $0 { d } else { nil } }
    }
}

/// The records among `events` that the side sent.
func sentRecords(_ events: [ConnectionEvent]) -> [RecordEvent] {
    events.compactMap { if case .record(let r) = $0, r.direction == .sent { r } else { nil } }
}

/// A record in flight between the two peers, as plaintext: the relay protects it again with the sender's keys
/// before delivery, so a test can change what a peer sends even inside encrypted records.
struct Outgoing {
    var from: Side
    var contentType: ContentType
    var plaintext: [UInt8]
    /// 0: in the clear; n: the sender's n-th write keys.
    var epoch: Int
    var legacyVersion: ProtocolVersion
    /// The handshake messages the sender put in it (for matching; changing them changes nothing).
    var messages: [HandshakeMessage]
    /// TLS 1.3: seal this TLSInnerPlaintext as is (content ‖ type ‖ zeros) instead of `plaintext` + type.
    var innerPlaintext: [UInt8]?
    /// Deliver exactly these bytes (no protection applied).
    var raw: [UInt8]?
    /// Applied to the finished record bytes (after protection), to change what protection covers.
    var patch: (([UInt8]) -> [UInt8])?

    init(
        from: Side, contentType: ContentType, plaintext: [UInt8], epoch: Int, legacyVersion: ProtocolVersion = .tls12,
        messages: [HandshakeMessage] = []
    ) {
        self.from = from
        self.contentType = contentType
        self.plaintext = plaintext
        self.epoch = epoch
        self.legacyVersion = legacyVersion
        self.messages = messages
    }

    /// The first message of this type in the record.
    func message(_ type: HandshakeType) -> HandshakeMessage? { messages.first { $0.type == type } }
    func carries(_ type: HandshakeType) -> Bool { message(type) != nil }
}

/// Pumps records between a client and a server. Every record a side sends becomes an `Outgoing`; `intercept` may
/// change it, drop it (return []) or add records; the relay then protects each one with the sender's keys for its
/// epoch (rebuilt from the sender's own derivation steps, with their own sequence numbers) and delivers it.
struct Relay {
    var client: Peer
    var server: Peer
    var intercept: (Outgoing) -> [Outgoing] = { [$0] }
    /// What was delivered, in order (after `intercept`).
    private(set) var delivered: [Outgoing] = []

    private var derived: [Side: [String: [UInt8]]] = [:]
    /// Per side and epoch (1…): the label of the write keys and the derivation steps known when they were installed.
    private var epochs: [Side: [(label: String, keys: [String: [UInt8]])]] = [.client: [], .server: []]
    private var protections: [Side: [Int: RecordProtection]] = [.client: [:], .server: [:]]
    private var serverHello: ServerHello?
    private var queue: [(to: Side, bytes: [UInt8])] = []

    init(client: ClientConfiguration, server: ServerConfiguration) {
        self.client = Peer(client: client)
        self.server = Peer(server: server)
    }

    mutating func run() {
        absorb(client.start(), from: .client)
        pump()
    }

    private mutating func pump() {
        var rounds = 0
        while !queue.isEmpty, rounds < 100_000 {
            rounds += 1
            let (to, bytes) = queue.removeFirst()
            absorb(to == .client ? client.receive(bytes) : server.receive(bytes), from: to)
        }
    }

    /// Lets one side act (send data, close, …) and delivers what follows.
    mutating func act(_ side: Side, _ body: (inout Connection) -> [ConnectionEvent]) {
        let new = side == .client ? body(&client.connection) : body(&server.connection)
        let events = side == .client ? client.take(new) : server.take(new)
        absorb(events, from: side)
        pump()
    }

    /// Protects a record with the sender's keys for its epoch (continuing their sequence numbers) and delivers it.
    mutating func send(_ out: Outgoing) {
        delivered.append(out)
        if let bytes = seal(out) { queue.append((out.from.peer, out.patch?(bytes) ?? bytes)) }
        pump()
    }

    /// Delivers bytes to a side as they are (nothing is protected) and what follows.
    mutating func inject(_ bytes: [UInt8], to side: Side) {
        queue.append((side, bytes))
        pump()
    }

    private mutating func absorb(_ events: [ConnectionEvent], from side: Side) {
        for event in events {
            switch event {
            case .derived(let step):
                derived[side, default: [:]][step.name] = step.output
            case .keysInstalled(.sent, let label) where !label.hasPrefix("no keys"):
                epochs[side, default: []].append((label, derived[side] ?? [:]))
            case .record(let r) where r.direction == .sent:
                for m in r.messages {
                    if case .serverHello(let sh) = m.body, !sh.isHelloRetryRequest { serverHello = sh }
                }
                let out = Outgoing(
                    from: side, contentType: r.contentType, plaintext: r.plaintext,
                    epoch: r.protection == nil ? 0 : epochs[side]?.count ?? 0, legacyVersion: r.record.legacyVersion,
                    messages: r.messages)
                for changed in intercept(out) {
                    delivered.append(changed)
                    if let bytes = seal(changed) { queue.append((side.peer, changed.patch?(bytes) ?? bytes)) }
                }
            default:
                break
            }
        }
    }

    private mutating func seal(_ out: Outgoing) -> [UInt8]? {
        if let raw = out.raw { return raw }
        guard out.epoch > 0 else {
            return TLSRecord(contentType: out.contentType, legacyVersion: out.legacyVersion, fragment: out.plaintext).bytes
        }
        guard var protection = protections[out.from]?[out.epoch] ?? makeProtection(out.from, epoch: out.epoch) else {
            XCTFail("no keys for epoch \(out.epoch) of the \(out.from)")
            return nil
        }
        defer { protections[out.from, default: [:]][out.epoch] = protection }
        do {
            if let inner = out.innerPlaintext { return try protection.seal(tls13InnerPlaintext: inner).0.bytes }
            let iv = [UInt8](repeating: 0x42, count: 16)
            return try protection.seal(contentType: out.contentType, plaintext: out.plaintext, explicitIV: iv).0.bytes
        } catch {
            XCTFail("cannot protect the record: \(error)")
            return nil
        }
    }

    /// `server_handshake_traffic keys` → `server_handshake_key`/`_iv`; `client_application_traffic keys (generation
    /// 1)` → `client_application_1_key`/`_iv`; TLS 1.2 `client_write keys` → `client_write_mac_key`/`_key`/`_iv`.
    private func makeProtection(_ side: Side, epoch: Int) -> RecordProtection? {
        guard let list = epochs[side], epoch <= list.count, let sh = serverHello,
            let suite = CipherSuiteInfo.info(sh.cipherSuite)
        else { return nil }
        let (label, keys) = list[epoch - 1]
        return RecordProtection.rebuilt(
            label: label, keys: keys, suite: suite, encryptThenMAC: sh.extensions.contains(.encryptThenMAC))
    }
}

// MARK: - Building blocks

/// A plaintext record.
func record(_ type: ContentType, _ fragment: [UInt8], version: ProtocolVersion = .tls12) -> [UInt8] {
    TLSRecord(contentType: type, legacyVersion: version, fragment: fragment).bytes
}

/// A handshake message from a type and a raw body (the length is computed).
func handshake(_ type: HandshakeType, _ body: [UInt8]) -> [UInt8] {
    [type.rawValue, UInt8(body.count >> 16 & 0xff), UInt8(body.count >> 8 & 0xff), UInt8(body.count & 0xff)] + body
}

/// The ClientHello a real client with `configuration` sends first.
func realClientHello(_ configuration: ClientConfiguration) throws -> ClientHello {
    var client = Peer(client: configuration)
    guard let message = sentRecords(client.start()).first?.messages.first, case .clientHello(let hello) = message.body else {
        throw XCTSkip("the client sent no ClientHello")
    }
    return hello
}

extension ClientHello {
    /// The same hello with the extension of `type` replaced by raw extension_data (or appended if absent).
    func replacing(_ type: ExtensionType, data: [UInt8]) -> ClientHello {
        var copy = self
        let ext = Extension(type: type, body: .opaque(data))
        if let i = copy.extensions.firstIndex(where: { $0.type == type }) {
            copy.extensions[i] = ext
        } else if let psk = copy.extensions.firstIndex(where: { $0.type == .preSharedKey }) {
            copy.extensions.insert(ext, at: psk)
        } else {
            copy.extensions.append(ext)
        }
        return copy
    }

    func removing(_ type: ExtensionType) -> ClientHello {
        var copy = self
        copy.extensions.removeAll { $0.type == type }
        return copy
    }

    /// The whole handshake message.
    var message: [UInt8] { HandshakeMessage(.clientHello(self)).bytes }
}

/// Asserts that `peer` sent exactly one alert, the fatal `expected`, that the events record it as a sent alert
/// record (`level, description` bytes in its plaintext) followed by `.alertSent` with a reason, and that the
/// connection ended in that state.
func assertAlert(
    _ peer: Peer, _ expected: AlertDescription, _ context: @autoclosure () -> String = "",
    file: StaticString = #filePath, line: UInt = #line
) {
    let alerts = peer.alertsSent
    XCTAssertEqual(
        alerts.map(\.alert), [Alert.fatal(expected)],
        "\(context()) — alerts sent: \(alerts.map { "\($0.alert) (\($0.reason))" })", file: file, line: line)
    guard let index = peer.events.lastIndex(where: { if case .alertSent = $0 { true } else { false } }) else { return }
    if index > 0, case .record(let r) = peer.events[index - 1] {
        XCTAssertEqual(r.direction, .sent, file: file, line: line)
        XCTAssertEqual(r.contentType, .alert, file: file, line: line)
        XCTAssertEqual(r.plaintext, [2, expected.rawValue], "the alert record carries level fatal (2)", file: file, line: line)
    } else {
        XCTFail("no alert record before .alertSent", file: file, line: line)
    }
    XCTAssertFalse(alerts.last?.reason.isEmpty ?? true, "the alert has a reason", file: file, line: line)
    XCTAssertEqual(peer.connection.status, .failed(.fatal(expected)), file: file, line: line)
    XCTAssertEqual(index, peer.events.count - 1, "nothing happens after the fatal alert", file: file, line: line)
}

/// Asserts that `peer` sent no alert other than close_notify.
func assertNoAlert(_ peer: Peer, _ context: @autoclosure () -> String = "", file: StaticString = #filePath, line: UInt = #line) {
    let alerts = peer.alertsSent.filter { $0.alert != .closeNotify }
    XCTAssertTrue(alerts.isEmpty, "\(context()) — unexpected alerts: \(alerts.map { "\($0.alert) (\($0.reason))" })", file: file, line: line)
}
