import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// The server side of a TLS 1.2 / TLS 1.3 handshake as a pure, synchronous state machine (one state per expected
/// message). Picks version, suite, group and signature scheme from the ClientHello by its own preference order.
/// TLS 1.2 logic is in Server12.swift, TLS 1.3 (HelloRetryRequest, PSK, 0-RTT, tickets) in Server13.swift.
public struct ServerHandshake: Sendable {
    public let configuration: ServerConfiguration
    var random: RandomSource
    var state: State = .expectClientHello
    public internal(set) var decodeContext = DecodeContext()

    public init(configuration: ServerConfiguration, random: RandomSource) {
        self.configuration = configuration
        self.random = random
    }

    public var stateName: String { state.name }
    public var isConnected: Bool {
        switch state {
        case .connected12, .connected13: true
        default: false
        }
    }
    public var negotiatedVersion: ProtocolVersion? { decodeContext.version }

    enum State: Sendable {
        case expectClientHello
        case expectSecondClientHello(Retry13)
        case expectClientCertificate12(Server12)
        case expectClientCertificateVerdict12(Server12)
        case expectClientKeyExchange(Server12)
        case expectCertificateVerify12(Server12)
        case expectChangeCipherSpec12(Server12)
        case expectFinished12(Server12)
        case connected12
        case expectEndOfEarlyData(Server13)
        case expectClientCertificate13(Server13)
        case expectClientCertificateVerdict13(Server13)
        case expectCertificateVerify13(Server13)
        case expectFinished13(Server13)
        case connected13(Connected13)
        case failed

        var name: String {
            switch self {
            case .expectClientHello: "ExpectClientHello"
            case .expectSecondClientHello: "ExpectSecondClientHello"
            case .expectClientCertificate12, .expectClientCertificate13: "ExpectCertificate"
            case .expectClientCertificateVerdict12, .expectClientCertificateVerdict13: "ValidatingCertificate"
            case .expectClientKeyExchange: "ExpectClientKeyExchange"
            case .expectCertificateVerify12, .expectCertificateVerify13: "ExpectCertificateVerify"
            case .expectChangeCipherSpec12: "ExpectChangeCipherSpec"
            case .expectFinished12, .expectFinished13: "ExpectFinished"
            case .expectEndOfEarlyData: "ExpectEndOfEarlyData"
            case .connected12, .connected13: "Connected"
            case .failed: "Failed"
            }
        }
    }

    public mutating func handle(_ input: HandshakeInput) throws -> [HandshakeAction] {
        let before = state.name
        var actions: [HandshakeAction] = []
        do {
            try step(input, &actions)
        } catch {
            state = .failed
            throw HandshakeFailure.from(error)
        }
        if state.name != before { actions.append(.stateChanged(from: before, to: state.name)) }
        return actions
    }

    private mutating func step(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
        case (.expectClientHello, .message(let m)):
            guard case .clientHello(let ch) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "ClientHello")
            }
            try handleClientHello(ch, m, &actions)
        case (.expectSecondClientHello(let retry), .message(let m)):
            guard case .clientHello(let ch) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "the second ClientHello")
            }
            try handleSecondClientHello(retry, ch, m, &actions)
        case (.expectClientCertificate12, _), (.expectClientCertificateVerdict12, _), (.expectClientKeyExchange, _),
            (.expectCertificateVerify12, _), (.expectChangeCipherSpec12, _), (.expectFinished12, _):
            try step12(input, &actions)
        case (.expectEndOfEarlyData, _), (.expectClientCertificate13, _), (.expectClientCertificateVerdict13, _),
            (.expectCertificateVerify13, _), (.expectFinished13, _):
            try step13(input, &actions)
        case (.connected13(var c), .message(let m)):
            try c.handlePostHandshake(m, side: .server, configuration: nil, &actions)
            state = .connected13(c)
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    // MARK: - ClientHello: choosing the version

    private mutating func handleClientHello(_ ch: ClientHello, _ m: HandshakeMessage, _ actions: inout [HandshakeAction])
        throws
    {
        let config = configuration
        let clientVersions: [ProtocolVersion]
        if case .supportedVersions(let list) = ch.extensions.body(of: .supportedVersions) {
            clientVersions = list
        } else {
            clientVersions = ch.legacyVersion >= .tls12 ? [.tls12] : [ch.legacyVersion]
        }
        let version: ProtocolVersion
        if clientVersions.contains(.tls13) && config.versions.contains(.tls13) {
            version = .tls13
        } else if clientVersions.contains(.tls12) && config.versions.contains(.tls12) {
            version = .tls12
        } else {
            throw HandshakeFailure(
                .protocolVersion,
                "no version in common: the client offers \(clientVersions.filter { !$0.isGREASE }.map(\.short).joined(separator: ", ")), the server supports \(config.versions.map(\.short).joined(separator: ", "))"
            )
        }
        guard ch.compressionMethods.contains(.null) else {
            throw HandshakeFailure(.illegalParameter, "the ClientHello does not offer the null compression method")
        }
        if version == .tls13 && ch.compressionMethods != [.null] {
            throw HandshakeFailure(.illegalParameter, "a TLS 1.3 ClientHello must offer only null compression")
        }
        decodeContext.version = version
        actions.append(
            .derived(
                Steps.origin(
                    "client_random", ch.random, formula: "ClientHello.random (chosen by the client)",
                    note: "Sent in the clear; mixed with server_random into every key.")))
        if version == .tls13 {
            try startTLS13(ch, m, prefix: [], retry: nil, &actions)
        } else {
            try startTLS12(ch, m, &actions)
        }
    }

    /// ServerHello.random: 32 bytes, or 24 + the downgrade sentinel when a TLS 1.3 server settles on TLS 1.2.
    mutating func serverRandom(version: ProtocolVersion, _ actions: inout [HandshakeAction]) -> [UInt8] {
        var serverRandom = random.bytes(32, label: "server_random")
        let sentinel = version == .tls12 && configuration.versions.contains(.tls13)
        if sentinel { serverRandom.replaceSubrange(24..<32, with: ServerHello.downgradeTLS12) }
        actions.append(
            .derived(
                Steps.origin(
                    "server_random", serverRandom,
                    formula: sentinel
                        ? "24 bytes from \(random.originDescription) ‖ 44 4f 57 4e 47 52 44 01 (downgrade sentinel, RFC 8446 §4.1.3)"
                        : "32 bytes from \(random.originDescription)",
                    note: sentinel
                        ? "This server also speaks TLS 1.3, so it marks its random: a TLS 1.3 client that sees the mark knows someone removed TLS 1.3 from its offer."
                        : "Sent in ServerHello.random.")))
        return serverRandom
    }

    // MARK: - Shared helpers

    func credentialFits(_ suite: CipherSuiteInfo) -> Bool {
        let kind = configuration.credential.privateKey.kind
        switch suite.authentication {
        // RFC 8422 §5.1.3 (and RFC 8446's ed25519 scheme): ECDHE_ECDSA suites also carry EdDSA certificates.
        case "ecdsa": return kind == .ecdsaP256 || kind == .ed25519
        case "rsa": return kind == .rsa
        default: return true
        }
    }

    mutating func makeKeyPair(group: NamedGroup, label: String) throws -> EphemeralKeyPair {
        for attempt in 0..<8 {
            let bytes = random.bytes(32, label: attempt == 0 ? label : "\(label).retry\(attempt)")
            if let pair = try? EphemeralKeyPair(group: group, privateKey: bytes) { return pair }
        }
        throw HandshakeFailure(.internalError, "could not build a \(group) key")
    }

    func noSuiteFailure(_ ch: ClientHello, version: ProtocolVersion) -> HandshakeFailure {
        HandshakeFailure(
            .handshakeFailure,
            "no cipher suite in common for \(version.short): the client offers \(ch.cipherSuites.filter { !$0.isGREASE && $0 != .TLS_EMPTY_RENEGOTIATION_INFO_SCSV }.map(\.description).joined(separator: ", ")); the server accepts \(configuration.cipherSuites.map(\.description).joined(separator: ", "))"
        )
    }

    func clientValidationRequest(_ chain: [[UInt8]]) -> CertificateValidationRequest {
        CertificateValidationRequest(
            chain: chain, trustAnchors: configuration.trustAnchors, hostname: nil, date: configuration.clock,
            purpose: .clientAuth)
    }

    func serverName(_ ch: ClientHello) -> String? {
        if case .serverName(let names) = ch.extensions.body(of: .serverName) { return names.first }
        return nil
    }

    var ticketSealer: TicketSealer? {
        guard configuration.sessionTickets, let key = configuration.memory.ticketKey else { return nil }
        return try? TicketSealer(key: key)
    }
}
