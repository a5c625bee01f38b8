import Foundation
import TLSWire

/// A scenario: one handshake setup (what the client offers, what the server accepts, which certificates, which
/// clock, which seed) loaded from a YAML file under `Scenarios/`. The format is documented in docs/scenarios.md.
public struct Scenario: Sendable, Equatable {
    /// File name without `.yaml` (e.g. `tls12-rsa`).
    public var name: String
    /// One line, e.g. `TLS 1.2 with RSA key exchange`.
    public var title: String
    /// One or two sentences: what this scenario shows.
    public var description: String
    /// Seed of the deterministic random generator (randoms, ephemeral keys, padding).
    public var seed: UInt64
    /// The simulated date and time (certificate validity is checked against it).
    public var clock: Date
    public var client: ClientSpec
    public var server: ServerSpec
    public var applicationData: ApplicationDataSpec
    /// The connections to run, in order (default: one full handshake). Later ones may resume earlier ones.
    public var connections: [ConnectionSpec] = [ConnectionSpec()]
    /// What the channel does to records in transit (attack scenarios).
    public var channel: [ChannelRuleSpec] = []
    /// For failure-lab scenarios: what the user sees and how to fix it.
    public var lab: LabNote? = nil
    /// The outcome this scenario is meant to have (checked by the tests).
    public var expect: Expectation? = nil
    /// A passive attacker who recorded the traffic and later obtains the server's private key.
    public var eavesdropper: EavesdropperSpec? = nil
    /// Where the scenario was loaded from (nil for built-in values).
    public var sourcePath: String?
    /// Directory holding the PEM files the scenario names (default: `pki/` next to the scenario file).
    public var pkiDirectory: URL

    public init(
        name: String, title: String, description: String, seed: UInt64, clock: Date, client: ClientSpec,
        server: ServerSpec, applicationData: ApplicationDataSpec = ApplicationDataSpec(), sourcePath: String? = nil,
        pkiDirectory: URL
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.seed = seed
        self.clock = clock
        self.client = client
        self.server = server
        self.applicationData = applicationData
        self.sourcePath = sourcePath
        self.pkiDirectory = pkiDirectory
    }
}

/// `client:` section.
public struct ClientSpec: Sendable, Equatable {
    /// Versions offered, most preferred first. YAML: `[TLS1.3, TLS1.2]`.
    public var versions: [ProtocolVersion] = [.tls13, .tls12]
    /// IANA names, e.g. `TLS_AES_128_GCM_SHA256`.
    public var cipherSuites: [CipherSuite] = [
        .TLS_AES_128_GCM_SHA256, .TLS_AES_256_GCM_SHA384, .TLS_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ]
    /// supported_groups, e.g. `[x25519, secp256r1]`.
    public var groups: [NamedGroup] = [.x25519, .secp256r1]
    /// TLS 1.3 key shares sent in the first ClientHello (default: the first group).
    public var keyShares: [NamedGroup]? = nil
    public var signatureAlgorithms: [SignatureScheme] = [
        .ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .rsa_pkcs1_sha256, .ed25519,
    ]
    /// SNI and the name checked against the certificate; nil = none.
    public var serverName: String? = "www.example.com"
    /// Trust anchors: PEM file names (without `.pem`) in the PKI directory.
    public var trust: [String] = ["ca"]
    public var extendedMasterSecret = true
    public var encryptThenMAC = true
    public var middleboxCompatibility = false
    /// Client credential name for mutual TLS (`client` → client.pem + client.key); nil = none.
    public var certificate: String? = nil
    /// The client's own clock when it differs from the scenario clock (a wrong system clock); nil = scenario clock.
    public var clock: Date? = nil
    /// TLS 1.2: offer RFC 5077 session tickets (the session_ticket extension).
    public var sessionTickets = false
    /// TLS 1.3: PSK key exchange modes offered when resuming (RFC 8446 §4.2.9).
    public var pskModes: [PskKeyExchangeMode] = [.pskDHEKE]

    public init() {}
}

/// `server:` section.
public struct ServerSpec: Sendable, Equatable {
    public var versions: [ProtocolVersion] = [.tls13, .tls12]
    /// In the server's preference order.
    public var cipherSuites: [CipherSuite] = [
        .TLS_AES_128_GCM_SHA256, .TLS_AES_256_GCM_SHA384, .TLS_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ]
    public var groups: [NamedGroup] = [.x25519, .secp256r1]
    /// In the server's preference order.
    public var signatureAlgorithms: [SignatureScheme] = [
        .rsa_pss_rsae_sha256, .ecdsa_secp256r1_sha256, .ed25519, .rsa_pkcs1_sha256,
    ]
    /// Credential name in the PKI directory (`server-rsa` → server-rsa.pem + server-rsa.key).
    public var certificate = "server-rsa"
    public var extendedMasterSecret = true
    public var encryptThenMAC = true
    /// `none`, `request` or `require`.
    public var clientAuth = "none"
    /// Trust anchors for client certificates.
    public var trust: [String] = ["ca"]
    /// Issue session tickets: TLS 1.3 NewSessionTicket (RFC 8446 §4.6.1), TLS 1.2 RFC 5077 when the client asks.
    public var sessionTickets = false
    /// TLS 1.2: keep sessions by session ID so a client can resume them (RFC 5246 §7.4.1.2).
    public var sessionCache = false
    /// TLS 1.3: accept 0-RTT early data up to this many bytes (0 = never; RFC 8446 §4.2.10).
    public var maxEarlyData: UInt32 = 0
    /// TLS 1.3: tickets are single-use, so replayed early data is rejected (RFC 8446 §8.1).
    public var antiReplay = true
    /// TLS 1.3: put a cookie in HelloRetryRequest (RFC 8446 §4.2.2).
    public var helloRetryCookie = false

    public init() {}
}

/// One connection of a scenario (`connections:` list item).
public struct ConnectionSpec: Sendable, Equatable {
    /// Resume the session the previous connection established (TLS 1.3 PSK from a ticket; TLS 1.2 session ticket
    /// or session ID).
    public var resume = false
    /// TLS 1.3: send this as 0-RTT early data with the resuming ClientHello.
    public var earlyData: String? = nil
    /// TLS 1.3: after the handshake the client sends KeyUpdate (RFC 8446 §4.6.3) and more data with new keys.
    public var keyUpdate = false
    /// TLS 1.3: for this connection the server declines 0-RTT data even though its ticket allowed it (as after a
    /// restart that lost its anti-replay state).
    public var rejectEarlyData = false
    /// Not a real client: the channel replays the first flight (ClientHello + early data) of connection N
    /// (1-based) to the server, as an attacker would.
    public var replayOf: Int? = nil
    /// Short label shown in the transcript ("first visit", "resumed with 0-RTT", …).
    public var label: String? = nil

    public init(resume: Bool = false, earlyData: String? = nil, keyUpdate: Bool = false, replayOf: Int? = nil, label: String? = nil) {
        self.resume = resume
        self.earlyData = earlyData
        self.keyUpdate = keyUpdate
        self.replayOf = replayOf
        self.label = label
    }
}

/// What the recorded channel does to one record (`channel:` list item).
public struct ChannelRuleSpec: Sendable, Equatable {
    public enum Action: String, Sendable, Equatable, CaseIterable {
        /// Flip bits of one byte (`byte`, `xor`).
        case tamper
        /// The record never arrives.
        case drop
        /// The record is delivered twice.
        case duplicate
        /// Replace the record's bytes with `hex`.
        case replace
        /// A man in the middle decodes the (plaintext) handshake message and changes it (`set`).
        case rewrite
    }
    public var action: Action
    /// 1-based connection index.
    public var connection = 1
    public var from: Side = .client
    /// Which record: the one carrying this handshake message (`ClientHello`, `Finished`, …) or this content
    /// type (`application_data`, `alert`, `change_cipher_spec`), the `occurrence`-th one from `from`.
    public var target: String
    public var occurrence = 1
    /// tamper: offset in the record (negative counts from the end; default: the last byte).
    public var byte = -1
    /// tamper: bits to flip.
    public var xor: UInt8 = 0x01
    /// replace: the new record bytes.
    public var hex: [UInt8] = []
    /// rewrite: what the man in the middle changes, e.g. `supported_versions: [TLS1.2]`.
    public var rewriteVersions: [ProtocolVersion]? = nil
    public var rewriteCipherSuites: [CipherSuite]? = nil

    public init(action: Action, target: String) {
        self.action = action
        self.target = target
    }
}

/// The explanation a failure-lab scenario carries into its transcript.
public struct LabNote: Sendable, Equatable, Codable {
    /// What the user sees (browser, curl, openssl).
    public var symptom: String
    /// Why it happens, tied to the alert.
    public var cause: String
    /// How to fix it.
    public var fix: String
    /// Where real implementations differ (optional).
    public var inPractice: String?

    public init(symptom: String, cause: String, fix: String, inPractice: String? = nil) {
        self.symptom = symptom
        self.cause = cause
        self.fix = fix
        self.inPractice = inPractice
    }
}

/// The outcome a scenario is meant to have.
public struct Expectation: Sendable, Equatable {
    /// `completed`, `failed` or `incomplete`.
    public var outcome: String
    /// The alert description (`bad_record_mac`) when failed.
    public var alert: String?
    public var sentBy: Side?
    /// The step (message title) at which the alert is sent, e.g. `Certificate`.
    public var at: String?

    public init(outcome: String, alert: String? = nil, sentBy: Side? = nil, at: String? = nil) {
        self.outcome = outcome
        self.alert = alert
        self.sentBy = sentBy
        self.at = at
    }
}

/// A passive attacker (`eavesdropper:`): records everything, later gets the server's private key.
public struct EavesdropperSpec: Sendable, Equatable {
    public var serverKeyLeaked = true
    public init(serverKeyLeaked: Bool = true) { self.serverKeyLeaked = serverKeyLeaked }
}

/// `application_data:` section: what flows once the handshake completes.
public struct ApplicationDataSpec: Sendable, Equatable {
    public var request = "GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n"
    public var response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nHello from TLSLab!\n"
    public init() {}
}
