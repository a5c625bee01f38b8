import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// The client side of a TLS 1.2 / TLS 1.3 handshake as a pure, synchronous state machine: one state per expected
/// message (in the style of rustls' `ExpectServerHello`, `ExpectCertificate`, …). It never does I/O: it is given
/// messages and returns actions. An unexpected message ends it with the alert the RFCs prescribe.
///
/// TLS 1.2 logic is in Client12.swift, TLS 1.3 logic (HelloRetryRequest, PSK resumption, 0-RTT, KeyUpdate) in
/// Client13.swift.
public struct ClientHandshake: Sendable {
    public let configuration: ClientConfiguration
    var random: RandomSource
    var state: State = .start
    /// TLS 1.3 middlebox compatibility: the one dummy ChangeCipherSpec was sent.
    var sentCompatibilityCCS = false
    /// What the connection must know to decode the server's next message.
    public internal(set) var decodeContext = DecodeContext()

    public init(configuration: ClientConfiguration, random: RandomSource) {
        self.configuration = configuration
        self.random = random
    }

    /// The state's name, as shown in the transcript (`ExpectServerHello`, …).
    public var stateName: String { state.name }
    public var isConnected: Bool {
        switch state {
        case .connected12, .connected13: true
        default: false
        }
    }
    public var negotiatedVersion: ProtocolVersion? { decodeContext.version }

    enum State: Sendable {
        case start
        case expectServerHello(ClientHelloInfo)
        // TLS 1.2
        case expectCertificate12(Client12)
        case expectCertificateVerdict12(Client12)
        case expectServerKeyExchange(Client12)
        case expectServerHelloDone(Client12)
        case expectNewSessionTicket12(Client12)
        case expectChangeCipherSpec12(Client12)
        case expectFinished12(Client12)
        case connected12
        // TLS 1.3
        case expectEncryptedExtensions(Client13)
        case expectCertificateOrRequest13(Client13)
        case expectCertificate13(Client13)
        case expectCertificateVerdict13(Client13)
        case expectCertificateVerify13(Client13)
        case expectFinished13(Client13)
        case connected13(Connected13)
        case failed

        var name: String {
            switch self {
            case .start: "Start"
            case .expectServerHello: "ExpectServerHello"
            case .expectCertificate12, .expectCertificate13: "ExpectCertificate"
            case .expectCertificateVerdict12, .expectCertificateVerdict13: "ValidatingCertificate"
            case .expectServerKeyExchange: "ExpectServerKeyExchange"
            case .expectServerHelloDone: "ExpectServerHelloDone"
            case .expectNewSessionTicket12: "ExpectNewSessionTicket"
            case .expectChangeCipherSpec12: "ExpectChangeCipherSpec"
            case .expectFinished12, .expectFinished13: "ExpectFinished"
            case .expectEncryptedExtensions: "ExpectEncryptedExtensions"
            case .expectCertificateOrRequest13: "ExpectCertificateOrCertificateRequest"
            case .expectCertificateVerify13: "ExpectCertificateVerify"
            case .connected12, .connected13: "Connected"
            case .failed: "Failed"
            }
        }
    }

    // MARK: - Driving

    /// Builds and "sends" the ClientHello (and, with a ticket that allows it, 0-RTT early data).
    public mutating func start() throws -> [HandshakeAction] {
        guard case .start = state else { throw HandshakeFailure(.internalError, "the handshake was already started") }
        var actions: [HandshakeAction] = []
        let hello = try buildFirstClientHello(&actions)
        return finishStart(hello, &actions)
    }

    /// Starts with a ClientHello built elsewhere — to replay a recorded handshake (RFC 8448's traces in the tests)
    /// byte for byte. `keyShares` are the private keys behind its key_share entries.
    public mutating func start(replaying hello: ClientHello, keyShares: [EphemeralKeyPair]) throws -> [HandshakeAction] {
        guard case .start = state else { throw HandshakeFailure(.internalError, "the handshake was already started") }
        var actions: [HandshakeAction] = [
            .derived(Steps.origin("client_random", hello.random, formula: "ClientHello.random (replayed)"))
        ]
        for (i, pair) in keyShares.enumerated() {
            actions.append(
                .derived(
                    Steps.origin(
                        i == 0 ? "client_key_share_private" : "client_key_share_private_\(pair.group)",
                        pair.privateKey, formula: "\(pair.group) private key (replayed)")))
        }
        let info = ClientHelloInfo(
            clientHello: hello, message: HandshakeMessage(.clientHello(hello)), keyShares: keyShares)
        return finishStart(info, &actions)
    }

    private mutating func finishStart(_ hello: ClientHelloInfo, _ actions: inout [HandshakeAction]) -> [HandshakeAction] {
        actions.append(.send(hello.message))
        var hello = hello
        sendEarlyData(&hello, &actions)
        state = .expectServerHello(hello)
        actions.append(.stateChanged(from: "Start", to: state.name))
        return actions
    }

    /// Handles one input. On failure the machine is `Failed` and the error names the alert to send.
    public mutating func handle(_ input: HandshakeInput) throws -> [HandshakeAction] {
        try run { machine, actions in try machine.step(input, &actions) }
    }

    /// TLS 1.3, after the handshake: send KeyUpdate (RFC 8446 §4.6.3) and switch to the next sending keys.
    public mutating func updateKeys(requestPeerUpdate: Bool) throws -> [HandshakeAction] {
        try run { machine, actions in
            guard case .connected13(var c) = machine.state else {
                throw HandshakeFailure(.internalError, "KeyUpdate needs a completed TLS 1.3 connection")
            }
            actions.append(contentsOf: c.sendKeyUpdate(side: .client, request: requestPeerUpdate))
            machine.state = .connected13(c)
        }
    }

    private mutating func run(_ body: (inout ClientHandshake, inout [HandshakeAction]) throws -> Void) throws
        -> [HandshakeAction]
    {
        let before = state.name
        var actions: [HandshakeAction] = []
        do {
            try body(&self, &actions)
        } catch {
            state = .failed
            throw HandshakeFailure.from(error)
        }
        if state.name != before { actions.append(.stateChanged(from: before, to: state.name)) }
        return actions
    }

    mutating func step(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
        case (.expectServerHello(let hello), .message(let m)):
            guard case .serverHello(let sh) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "ServerHello")
            }
            if sh.isHelloRetryRequest {
                try handleHelloRetryRequest(hello, sh, m, &actions)
            } else {
                try handleServerHello(hello, sh, m, &actions)
            }
        case (.expectCertificate12, _), (.expectCertificateVerdict12, _), (.expectServerKeyExchange, _),
            (.expectServerHelloDone, _), (.expectNewSessionTicket12, _), (.expectChangeCipherSpec12, _),
            (.expectFinished12, _):
            try step12(input, &actions)
        case (.expectEncryptedExtensions, _), (.expectCertificateOrRequest13, _), (.expectCertificate13, _),
            (.expectCertificateVerdict13, _), (.expectCertificateVerify13, _), (.expectFinished13, _):
            try step13(input, &actions)
        case (.connected13(var c), .message(let m)):
            try c.handlePostHandshake(m, side: .client, configuration: configuration, &actions)
            state = .connected13(c)
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    // MARK: - ServerHello

    private mutating func handleServerHello(
        _ hello: ClientHelloInfo, _ sh: ServerHello, _ m: HandshakeMessage, _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        let offered = hello.clientHello
        // Version (RFC 8446 §4.2.1, §4.1.3).
        let version: ProtocolVersion
        if case .selectedVersion(let v) = sh.extensions.body(of: .supportedVersions) {
            guard v == .tls13, config.versions.contains(.tls13) else {
                throw HandshakeFailure(
                    .illegalParameter,
                    "the server selected \(v.labelled) in supported_versions, which the client did not offer")
            }
            version = .tls13
        } else {
            guard sh.legacyVersion == .tls12, config.versions.contains(.tls12) else {
                throw HandshakeFailure(
                    .protocolVersion,
                    "the server chose \(sh.legacyVersion.labelled); the client offers only \(config.versions.map(\.short).joined(separator: ", "))"
                )
            }
            version = .tls12
            // RFC 8446 §4.1.3: a TLS 1.3 client must check for the downgrade sentinel.
            if config.versions.contains(.tls13), sh.random.suffix(8) == ArraySlice(ServerHello.downgradeTLS12) {
                throw HandshakeFailure(
                    .illegalParameter,
                    "ServerHello.random ends with the TLS 1.2 downgrade sentinel 44 4f 57 4e 47 52 44 01 (\"DOWNGRD\\x01\"): the server supports TLS 1.3, so someone in the middle removed it from the offer (RFC 8446 §4.1.3)"
                )
            }
        }
        guard offered.cipherSuites.contains(sh.cipherSuite), let suite = CipherSuiteInfo.info(sh.cipherSuite) else {
            throw HandshakeFailure(
                .illegalParameter, "the server chose \(sh.cipherSuite.labelled), which the client did not offer")
        }
        guard suite.version == version else {
            throw HandshakeFailure(
                .illegalParameter,
                "the server chose \(sh.cipherSuite) for \(version.short); that suite belongs to \(suite.version.short)")
        }
        if let retry = hello.retry, retry.suite != sh.cipherSuite {
            throw HandshakeFailure(
                .illegalParameter,
                "the ServerHello's suite \(sh.cipherSuite) differs from the HelloRetryRequest's \(retry.suite) (RFC 8446 §4.1.4)")
        }
        guard sh.compressionMethod == .null else {
            throw HandshakeFailure(
                .illegalParameter, "the server chose compression \(sh.compressionMethod); only null is allowed")
        }
        try sh.extensions.checkSubset(of: offered.extensions, in: "ServerHello")
        decodeContext.version = version
        decodeContext.keyExchange = suite.keyExchange
        actions.append(
            .derived(
                Steps.origin(
                    "server_random", sh.random, formula: "ServerHello.random (chosen by the server)",
                    note: "Sent in the clear; mixed with client_random into every key.")))
        if version == .tls12 {
            try serverHello12(hello, sh, m, suite: suite, &actions)
        } else {
            try serverHello13(hello, sh, m, suite: suite, &actions)
        }
    }

    // MARK: - Shared checks

    func validationRequest(_ chain: [[UInt8]]) -> CertificateValidationRequest {
        CertificateValidationRequest(
            chain: chain, trustAnchors: configuration.trustAnchors, hostname: configuration.serverName,
            date: configuration.clock, purpose: .serverAuth)
    }

    func accept(_ verdict: ValidationVerdict) throws {
        guard verdict.trusted else {
            throw HandshakeFailure(verdict.alert ?? .certificateUnknown, verdict.reason)
        }
    }

    mutating func makeKeyPair(group: NamedGroup, label: String) throws -> EphemeralKeyPair {
        guard EphemeralKeyPair.supportedGroups.contains(group) else {
            throw HandshakeFailure(.internalError, "group \(group) is not implemented")
        }
        // A random 32-byte string is a valid scalar for x25519 always and for P-256 with overwhelming
        // probability; draw again in the astronomically unlikely other case.
        for attempt in 0..<8 {
            let bytes = random.bytes(32, label: attempt == 0 ? label : "\(label).retry\(attempt)")
            if let pair = try? EphemeralKeyPair(group: group, privateKey: bytes) { return pair }
        }
        throw HandshakeFailure(.internalError, "could not build a \(group) key")
    }
}

// MARK: - State data

struct ClientHelloInfo: Sendable {
    var clientHello: ClientHello
    var message: HandshakeMessage
    var keyShares: [EphemeralKeyPair]
    /// TLS 1.3 PSK offered in this ClientHello.
    var offeredPSK: OfferedPSK?
    /// Set after a HelloRetryRequest: what it asked for, and the transcript so far (message_hash + HRR).
    var retry: RetryInfo?
    /// 0-RTT data sent after this ClientHello (and the keys that protected it).
    var earlyData: SentEarlyData?
}

struct OfferedPSK: Sendable {
    var session: ClientSession
    var early: TLS13KeySchedule.EarlyStage
    var suite: CipherSuiteInfo
}

struct RetryInfo: Sendable {
    var suite: CipherSuite
    var group: NamedGroup
    /// message_hash(ClientHello1) ‖ HelloRetryRequest.
    var transcriptPrefix: [[UInt8]]
}

struct SentEarlyData: Sendable {
    var data: [UInt8]
    var protection: RecordProtection
}

func isIPAddress(_ name: String) -> Bool {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
    return name.contains(":")
}
