import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// The client side of a TLS 1.2 / TLS 1.3 handshake as a pure, synchronous state machine: one state per expected
/// message (in the style of rustls' `ExpectServerHello`, `ExpectCertificate`, …). It never does I/O: it is given
/// messages and returns actions. An unexpected message ends it with the alert the RFCs prescribe.
public struct ClientHandshake: Sendable {
    public let configuration: ClientConfiguration
    var random: RandomSource
    var state: State = .start
    /// What the connection must know to decode the server's next message.
    public private(set) var decodeContext = DecodeContext()

    public init(configuration: ClientConfiguration, random: RandomSource) {
        self.configuration = configuration
        self.random = random
    }

    /// The state's name, as shown in the transcript (`ExpectServerHello`, …).
    public var stateName: String { state.name }
    public var isConnected: Bool { if case .connected = state { true } else { false } }
    public var negotiatedVersion: ProtocolVersion? { decodeContext.version }

    enum State: Sendable {
        case start
        case expectServerHello(ExpectServerHello)
        case expectCertificate12(Client12)
        case expectCertificateVerdict12(Client12)
        case expectServerKeyExchange(Client12)
        case expectServerHelloDone(Client12)
        case expectChangeCipherSpec12(Client12)
        case expectFinished12(Client12)
        case expectEncryptedExtensions(Client13)
        case expectCertificateOrRequest13(Client13)
        case expectCertificate13(Client13)
        case expectCertificateVerdict13(Client13)
        case expectCertificateVerify13(Client13)
        case expectFinished13(Client13)
        case connected(ProtocolVersion)
        case failed

        var name: String {
            switch self {
            case .start: "Start"
            case .expectServerHello: "ExpectServerHello"
            case .expectCertificate12, .expectCertificate13: "ExpectCertificate"
            case .expectCertificateVerdict12, .expectCertificateVerdict13: "ValidatingCertificate"
            case .expectServerKeyExchange: "ExpectServerKeyExchange"
            case .expectServerHelloDone: "ExpectServerHelloDone"
            case .expectChangeCipherSpec12: "ExpectChangeCipherSpec"
            case .expectFinished12, .expectFinished13: "ExpectFinished"
            case .expectEncryptedExtensions: "ExpectEncryptedExtensions"
            case .expectCertificateOrRequest13: "ExpectCertificateOrCertificateRequest"
            case .expectCertificateVerify13: "ExpectCertificateVerify"
            case .connected: "Connected"
            case .failed: "Failed"
            }
        }
    }

    // MARK: - Driving

    /// Builds and "sends" the ClientHello.
    public mutating func start() throws -> [HandshakeAction] {
        guard case .start = state else { throw HandshakeFailure(.internalError, "the handshake was already started") }
        var actions: [HandshakeAction] = []
        let hello = try buildClientHello(&actions)
        actions.append(.send(hello.message))
        state = .expectServerHello(ExpectServerHello(hello: hello))
        actions.append(.stateChanged(from: "Start", to: state.name))
        return actions
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
        let info = ClientHelloInfo(clientHello: hello, message: HandshakeMessage(.clientHello(hello)), keyShares: keyShares)
        actions.append(.send(info.message))
        state = .expectServerHello(ExpectServerHello(hello: info))
        actions.append(.stateChanged(from: "Start", to: state.name))
        return actions
    }

    /// Handles one input. On failure the machine is `Failed` and the error names the alert to send.
    public mutating func handle(_ input: HandshakeInput) throws -> [HandshakeAction] {
        let before = state.name
        var actions: [HandshakeAction] = []
        do {
            try step(input, &actions)
        } catch let failure as HandshakeFailure {
            state = .failed
            throw failure
        } catch let error as DecodeError {
            state = .failed
            throw HandshakeFailure(error.alert, error.description)
        } catch {
            state = .failed
            throw HandshakeFailure(.internalError, "\(error)")
        }
        if state.name != before { actions.append(.stateChanged(from: before, to: state.name)) }
        return actions
    }

    private mutating func step(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
        case (.expectServerHello(let s), .message(let m)):
            guard case .serverHello(let sh) = m.body, !sh.isHelloRetryRequest else {
                if case .serverHello = m.body {
                    throw HandshakeFailure(
                        .unexpectedMessage,
                        "the server sent a HelloRetryRequest; this client offered a key share the server should accept")
                }
                throw HandshakeFailure.unexpected(m.type, expecting: "ServerHello")
            }
            try handleServerHello(s, sh, m, &actions)

        // TLS 1.2
        case (.expectCertificate12(var c), .message(let m)):
            guard case .certificate12(let cert) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Certificate")
            }
            c.transcript.append(m.bytes)
            c.serverChain = cert.certificates
            let key = try leafKey(of: cert.certificates, peer: .server)
            try checkKeyFits(key, suite: c.suite)
            c.serverKey = key
            actions.append(.validateCertificates(validationRequest(cert.certificates)))
            state = .expectCertificateVerdict12(c)
        case (.expectCertificateVerdict12(let c), .verdict(let verdict)):
            try accept(verdict)
            state = c.suite.keyExchange == .ecdhe ? .expectServerKeyExchange(c) : .expectServerHelloDone(c)
        case (.expectServerKeyExchange(var c), .message(let m)):
            guard case .serverKeyExchange(let ske) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "ServerKeyExchange")
            }
            try verifyServerKeyExchange(c, ske, &actions)
            c.transcript.append(m.bytes)
            c.serverKeyExchange = ske
            state = .expectServerHelloDone(c)
        case (.expectServerHelloDone(var c), .message(let m)):
            switch m.body {
            case .certificateRequest12(let request) where c.certificateRequest == nil:
                c.transcript.append(m.bytes)
                c.certificateRequest = request
                actions.append(.note("The server asks for a client certificate (mutual TLS)."))
                state = .expectServerHelloDone(c)
            case .serverHelloDone:
                c.transcript.append(m.bytes)
                try sendSecondFlight12(&c, &actions)
                state = .expectChangeCipherSpec12(c)
            default:
                throw HandshakeFailure.unexpected(m.type, expecting: "ServerHelloDone")
            }
        case (.expectChangeCipherSpec12(let c), .changeCipherSpec):
            guard let keys = c.keys else { throw HandshakeFailure(.internalError, "no keys before ChangeCipherSpec") }
            let protection = RecordProtection(
                tls12: c.suite, macKey: keys.serverWriteMACKey, key: keys.serverWriteKey, iv: keys.serverWriteIV,
                encryptThenMAC: c.encryptThenMAC)
            actions.append(.installReadProtection(protection, label: "server_write keys"))
            state = .expectFinished12(c)
        case (.expectFinished12(var c), .message(let m)):
            guard case .finished(let fin) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Finished")
            }
            var log: [DerivationStep] = []
            let expected = TLS12KeySchedule.verifyData(
                suite: c.suite, masterSecret: c.masterSecret, client: false,
                handshakeHash: c.transcript.current(), log: &log)
            actions.derive(log)
            try checkFinished(expected: expected, received: fin.verifyData, peer: .server)
            c.transcript.append(m.bytes)
            actions.append(.completed(c.negotiated(serverName: configuration.serverName)))
            state = .connected(.tls12)

        // TLS 1.3
        case (.expectEncryptedExtensions(var c), .message(let m)):
            guard case .encryptedExtensions(let ee) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "EncryptedExtensions")
            }
            try ee.extensions.checkSubset(of: c.hello.clientHello.extensions, in: "EncryptedExtensions")
            for ext in ee.extensions where [.keyShare, .supportedVersions, .preSharedKey].contains(ext.type) {
                throw HandshakeFailure(
                    .illegalParameter, "EncryptedExtensions must not contain \(ext.type.description) (RFC 8446 §4.2)")
            }
            c.transcript.append(m.bytes)
            state = .expectCertificateOrRequest13(c)
        case (.expectCertificateOrRequest13(var c), .message(let m)):
            switch m.body {
            case .certificateRequest13(let request):
                c.transcript.append(m.bytes)
                c.certificateRequest = request
                actions.append(.note("The server asks for a client certificate (mutual TLS)."))
                state = .expectCertificate13(c)
            case .certificate13:
                state = .expectCertificate13(c)
                try step(input, &actions)
            default:
                throw HandshakeFailure.unexpected(m.type, expecting: "Certificate or CertificateRequest")
            }
        case (.expectCertificate13(var c), .message(let m)):
            guard case .certificate13(let cert) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Certificate")
            }
            if !cert.context.isEmpty {
                throw HandshakeFailure(
                    .illegalParameter, "the server's Certificate has a non-empty certificate_request_context")
            }
            c.transcript.append(m.bytes)
            let chain = cert.entries.map(\.data)
            c.serverChain = chain
            c.serverKey = try leafKey(of: chain, peer: .server)
            actions.append(.validateCertificates(validationRequest(chain)))
            state = .expectCertificateVerdict13(c)
        case (.expectCertificateVerdict13(let c), .verdict(let verdict)):
            try accept(verdict)
            state = .expectCertificateVerify13(c)
        case (.expectCertificateVerify13(var c), .message(let m)):
            guard case .certificateVerify(let cv) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "CertificateVerify")
            }
            try verifyCertificateVerify13(c, cv)
            c.serverSignatureScheme = cv.scheme
            if let note = randomizedSignatureNote(cv.scheme) { actions.append(.note(note)) }
            c.transcript.append(m.bytes)
            state = .expectFinished13(c)
        case (.expectFinished13(var c), .message(let m)):
            guard case .finished(let fin) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Finished")
            }
            var log: [DerivationStep] = []
            let expected = TLS13KeySchedule.verifyData(
                hash: c.suite.prfHash, finishedKey: c.serverFinishedKey, transcriptHash: c.transcript.current(),
                name: "server_verify_data", log: &log)
            actions.derive(log)
            try checkFinished(expected: expected, received: fin.verifyData, peer: .server)
            c.transcript.append(m.bytes)
            try finishHandshake13(&c, &actions)
            state = .connected(.tls13)

        case (.connected(.tls13), .message(let m)):
            switch m.body {
            case .newSessionTicket13(let ticket):
                actions.append(
                    .note(
                        "The server sent a session ticket (lifetime \(ticket.lifetime) s); a later connection could resume with it."
                    ))
            default:
                throw HandshakeFailure.unexpected(m.type, expecting: "application data")
            }
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    // MARK: - ClientHello

    private mutating func buildClientHello(_ actions: inout [HandshakeAction]) throws -> ClientHelloInfo {
        let config = configuration
        let offers13 = config.versions.contains(.tls13)
        let offers12 = config.versions.contains(.tls12)
        guard offers12 || offers13 else {
            throw HandshakeFailure(.internalError, "the client is configured with no version it implements")
        }
        let clientRandom = random.bytes(32, label: "client_random")
        actions.append(
            .derived(
                Steps.origin(
                    "client_random", clientRandom, formula: "32 bytes from \(random.originDescription)",
                    note: "Sent in the clear in ClientHello.random; it makes every handshake's keys unique.")))
        let sessionID = offers13 && config.middleboxCompatibility ? random.bytes(32, label: "legacy_session_id") : []

        var keyShares: [EphemeralKeyPair] = []
        if offers13 {
            for (i, group) in config.keyShareGroups.enumerated() {
                let pair = try makeKeyPair(group: group, label: "client_key_share_private.\(group)")
                keyShares.append(pair)
                actions.append(
                    .derived(
                        Steps.origin(
                            i == 0 ? "client_key_share_private" : "client_key_share_private_\(group)",
                            pair.privateKey,
                            formula: "\(group) private key: 32 bytes from \(random.originDescription)",
                            note: "Its public half (\(pair.publicKey.count) bytes) goes in the key_share extension.")))
            }
        }
        let suites12 = config.cipherSuites.compactMap { CipherSuiteInfo.info($0) }.filter { $0.version == .tls12 }
        let offersECDHE12 = offers12 && suites12.contains { $0.keyExchange == .ecdhe }

        var extensions: [Extension] = []
        if let name = config.serverName, !isIPAddress(name) {
            extensions.append(Extension(type: .serverName, body: .serverName([name])))
        }
        if offersECDHE12 {
            extensions.append(Extension(type: .ecPointFormats, body: .ecPointFormats([.uncompressed])))
        }
        if offersECDHE12 || offers13 {
            extensions.append(Extension(type: .supportedGroups, body: .supportedGroups(config.groups)))
        }
        if offers12 && config.encryptThenMAC {
            extensions.append(Extension(type: .encryptThenMAC, body: .encryptThenMAC))
        }
        if offers12 && config.extendedMasterSecret {
            extensions.append(Extension(type: .extendedMasterSecret, body: .extendedMasterSecret))
        }
        extensions.append(Extension(type: .signatureAlgorithms, body: .signatureAlgorithms(config.signatureSchemes)))
        if offers13 {
            extensions.append(
                Extension(
                    type: .supportedVersions,
                    body: .supportedVersions(config.versions.filter { $0 == .tls13 || $0 == .tls12 })))
            extensions.append(
                Extension(
                    type: .keyShare,
                    body: .keyShares(keyShares.map { KeyShareEntry(group: $0.group, keyExchange: $0.publicKey) })))
        }
        if offers12 {
            extensions.append(Extension(type: .renegotiationInfo, body: .renegotiationInfo([])))
        }
        let hello = ClientHello(
            legacyVersion: .tls12, random: clientRandom, sessionID: sessionID, cipherSuites: config.cipherSuites,
            extensions: extensions)
        return ClientHelloInfo(
            clientHello: hello, message: HandshakeMessage(.clientHello(hello)), keyShares: keyShares)
    }

    private mutating func makeKeyPair(group: NamedGroup, label: String) throws -> EphemeralKeyPair {
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

    // MARK: - ServerHello

    private mutating func handleServerHello(
        _ s: ExpectServerHello, _ sh: ServerHello, _ m: HandshakeMessage, _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        let offered = s.hello.clientHello
        // Version (RFC 8446 §4.2.1, §4.1.3).
        let version: ProtocolVersion
        if case .selectedVersion(let v) = sh.extensions.body(of: .supportedVersions) {
            guard v == .tls13, config.versions.contains(.tls13) else {
                throw HandshakeFailure(
                    .illegalParameter, "the server selected \(v.labelled) in supported_versions, which the client did not offer")
            }
            version = .tls13
        } else {
            guard sh.legacyVersion == .tls12, config.versions.contains(.tls12) else {
                throw HandshakeFailure(
                    .protocolVersion,
                    "the server chose \(sh.legacyVersion.labelled); the client offers only \(config.versions.map(\.short).joined(separator: ", "))")
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
                .illegalParameter, "the server chose \(sh.cipherSuite) for \(version.short); that suite belongs to \(suite.version.short)")
        }
        guard sh.compressionMethod == .null else {
            throw HandshakeFailure(.illegalParameter, "the server chose compression \(sh.compressionMethod); only null is allowed")
        }
        try sh.extensions.checkSubset(of: offered.extensions, in: "ServerHello")
        decodeContext.version = version
        decodeContext.keyExchange = suite.keyExchange
        actions.append(
            .derived(
                Steps.origin(
                    "server_random", sh.random, formula: "ServerHello.random (chosen by the server)",
                    note: "Sent in the clear; mixed with client_random into every key.")))

        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        transcript.append(s.hello.message.bytes)
        transcript.append(m.bytes)

        if version == .tls12 {
            let ems = config.extendedMasterSecret && sh.extensions.contains(.extendedMasterSecret)
            let etm = config.encryptThenMAC && sh.extensions.contains(.encryptThenMAC) && !suite.cipher.isAEAD
            let c = Client12(
                hello: s.hello, serverHello: sh, suite: suite, transcript: transcript, extendedMasterSecret: ems,
                encryptThenMAC: etm)
            actions.append(
                .note(
                    "Negotiated TLS 1.2 with \(sh.cipherSuite): \(suite.keyExchange == .rsa ? "RSA key exchange (no forward secrecy)" : "ECDHE key exchange (forward secret)"); extended master secret \(ems ? "on" : "off"), encrypt-then-MAC \(etm ? "on" : suite.cipher.isAEAD ? "not applicable (AEAD)" : "off")."
                ))
            state = .expectCertificate12(c)
            return
        }

        // TLS 1.3 (RFC 8446 §4.1.3).
        guard sh.sessionID == offered.sessionID else {
            throw HandshakeFailure(
                .illegalParameter, "legacy_session_id_echo does not echo the client's legacy_session_id")
        }
        guard case .keyShare(let share) = sh.extensions.body(of: .keyShare) else {
            throw HandshakeFailure(.missingExtension, "the TLS 1.3 ServerHello has no key_share")
        }
        guard let mine = s.hello.keyShares.first(where: { $0.group == share.group }) else {
            throw HandshakeFailure(
                .illegalParameter, "the server's key share is for \(share.group), for which the client sent no share")
        }
        let shared = try mine.sharedSecret(peerPublicKey: share.keyExchange)
        var log: [DerivationStep] = []
        log.append(
            DerivationStep(
                name: "shared_secret",
                formula: "ECDH(client_key_share_private, server key_share) — \(share.group)",
                inputs: [
                    DerivationInput("client_key_share_private", mine.privateKey, source: "client key share"),
                    DerivationInput("server_public_key", share.keyExchange, source: "ServerHello.key_share"),
                ], output: shared,
                note: "The (EC)DHE shared secret: both sides compute the same value; an eavesdropper cannot."))
        let hash = suite.prfHash
        let early = TLS13KeySchedule.EarlyStage(hash: hash, psk: nil, log: &log)
        let handshake = early.handshakeStage(sharedSecret: shared, log: &log)
        let helloHash = transcript.current()
        let cHS = handshake.clientHandshakeTrafficSecret(transcriptHash: helloHash, log: &log)
        let sHS = handshake.serverHandshakeTrafficSecret(transcriptHash: helloHash, log: &log)
        let serverKeys = TLS13KeySchedule.trafficKeys(suite: suite, secret: sHS, prefix: "server_handshake", log: &log)
        let clientKeys = TLS13KeySchedule.trafficKeys(suite: suite, secret: cHS, prefix: "client_handshake", log: &log)
        let serverFinishedKey = TLS13KeySchedule.finishedKey(hash: hash, baseKey: sHS, side: "server", log: &log)
        let clientFinishedKey = TLS13KeySchedule.finishedKey(hash: hash, baseKey: cHS, side: "client", log: &log)
        actions.derive(log)
        actions.append(
            .installReadProtection(
                RecordProtection(tls13: suite, key: serverKeys.key, iv: serverKeys.iv),
                label: "server_handshake_traffic keys"))
        // From now on anything the client sends (an alert, or its Finished) is protected with its handshake keys;
        // the compatibility ChangeCipherSpec, if any, still goes out in the clear (RFC 8446 §5, §D.4).
        actions.append(
            .installWriteProtection(
                RecordProtection(tls13: suite, key: clientKeys.key, iv: clientKeys.iv),
                label: "client_handshake_traffic keys"))
        let c = Client13(
            hello: s.hello, suite: suite, transcript: transcript, group: share.group, handshake: handshake,
            clientFinishedKey: clientFinishedKey,
            serverFinishedKey: serverFinishedKey)
        state = .expectEncryptedExtensions(c)
    }

    // MARK: - TLS 1.2 details

    private func checkKeyFits(_ key: VerifyingKey, suite: CipherSuiteInfo) throws {
        let needed: SigningKey.Kind = suite.authentication == "ecdsa" ? .ecdsaP256 : .rsa
        if key.kind != needed {
            throw HandshakeFailure(
                .unsupportedCertificate,
                "\(suite.suite) needs an \(needed == .rsa ? "RSA" : "ECDSA") certificate, the server sent a \(key.kind.rawValue) one")
        }
    }

    private func validationRequest(_ chain: [[UInt8]]) -> CertificateValidationRequest {
        CertificateValidationRequest(
            chain: chain, trustAnchors: configuration.trustAnchors, hostname: configuration.serverName,
            date: configuration.clock, purpose: .serverAuth)
    }

    private func accept(_ verdict: ValidationVerdict) throws {
        guard verdict.trusted else {
            throw HandshakeFailure(verdict.alert ?? .certificateUnknown, verdict.reason)
        }
    }

    private func verifyServerKeyExchange(
        _ c: Client12, _ ske: ServerKeyExchangeECDHE, _ actions: inout [HandshakeAction]
    ) throws {
        guard configuration.groups.contains(ske.group), EphemeralKeyPair.supportedGroups.contains(ske.group) else {
            throw HandshakeFailure(.illegalParameter, "the server chose group \(ske.group), which the client did not offer")
        }
        guard configuration.signatureSchemes.contains(ske.scheme), let key = c.serverKey,
            key.supportedSchemes.contains(ske.scheme)
        else {
            throw HandshakeFailure(
                .illegalParameter, "the server signed with \(ske.scheme), which the client did not offer or its key cannot make")
        }
        let content = serverKeyExchangeSignedContent(
            clientRandom: c.hello.clientHello.random, serverRandom: c.serverHello.random, params: ske.paramsBytes)
        guard key.isValidSignature(ske.signature, for: content, scheme: ske.scheme) else {
            throw HandshakeFailure(
                .decryptError,
                "the ServerKeyExchange signature does not verify with the certificate's key: the ECDHE parameters were not signed by the certificate's owner")
        }
        actions.append(
            .note(
                "The server signed its ephemeral \(ske.group) key (with both randoms) using \(ske.scheme); the signature verifies with the certificate's public key."
            ))
        if let note = randomizedSignatureNote(ske.scheme) { actions.append(.note(note)) }
    }

    private mutating func sendSecondFlight12(_ c: inout Client12, _ actions: inout [HandshakeAction]) throws {
        var log: [DerivationStep] = []
        // Client certificate (RFC 5246 §7.4.6): sent, possibly empty, when requested.
        var signCertificateVerify: SigningKey?
        if c.certificateRequest != nil {
            let chain = configuration.credential?.chain ?? []
            let cert = HandshakeMessage(.certificate12(Certificate12(certificates: chain)))
            actions.append(.send(cert))
            c.transcript.append(cert.bytes)
            signCertificateVerify = configuration.credential?.privateKey
            c.clientAuthenticated = signCertificateVerify != nil
        }
        // Key exchange.
        let premaster: [UInt8]
        let cke: ClientKeyExchange
        switch c.suite.keyExchange {
        case .rsa:
            guard let key = c.serverKey, let modulus = key.rsaModulusLength else {
                throw HandshakeFailure(.internalError, "no RSA key for RSA key exchange")
            }
            premaster = [0x03, 0x03] + random.bytes(46, label: "premaster_secret")
            log.append(
                Steps.origin(
                    "premaster_secret", premaster,
                    formula: "client_version (03 03) ‖ 46 bytes from \(random.originDescription)",
                    note: "RSA key exchange: the client alone picks the premaster secret and encrypts it to the server's certificate key."
                ))
            let padding = random.bytes(modulus - 3 - premaster.count, label: "pkcs1_padding")
            let (block, ciphertext) = try key.rsaEncryptPKCS1(premaster, padding: padding)
            log.append(
                DerivationStep(
                    name: "pkcs1_block",
                    formula: "EME-PKCS1-v1_5: 00 02 ‖ PS (\(modulus - 3 - premaster.count) nonzero random bytes) ‖ 00 ‖ premaster_secret",
                    inputs: [DerivationInput("premaster_secret", premaster)], output: block,
                    note: "RFC 8017 §7.2.1 padding; the padding bytes come from \(random.originDescription)."))
            log.append(
                DerivationStep(
                    name: "encrypted_premaster_secret", formula: "RSAEP(server public key, pkcs1_block) = block^e mod n",
                    inputs: [
                        DerivationInput("pkcs1_block", block),
                        DerivationInput("server_public_key", key.spki, source: "server Certificate"),
                    ], output: ciphertext,
                    note: "Anyone who later obtains the server's private key can decrypt this from a recording: no forward secrecy."
                ))
            cke = .rsa(encryptedPreMasterSecret: ciphertext)
        case .ecdhe:
            guard let ske = c.serverKeyExchange else { throw HandshakeFailure(.internalError, "no ServerKeyExchange") }
            let pair = try makeKeyPair(group: ske.group, label: "client_key_share_private")
            log.append(
                Steps.origin(
                    "client_key_share_private", pair.privateKey,
                    formula: "\(ske.group) private key: 32 bytes from \(random.originDescription)",
                    note: "Ephemeral: used for this connection only, then forgotten."))
            premaster = try pair.sharedSecret(peerPublicKey: ske.publicKey)
            log.append(
                DerivationStep(
                    name: "premaster_secret", formula: "ECDH(client_key_share_private, server ephemeral public key) — \(ske.group)",
                    inputs: [
                        DerivationInput("client_key_share_private", pair.privateKey),
                        DerivationInput("server_public_key", ske.publicKey, source: "ServerKeyExchange.public"),
                    ], output: premaster,
                    note: "The ECDHE shared secret is the premaster secret (RFC 8422 §5.10)."))
            cke = .ecdhe(publicKey: pair.publicKey)
        case nil:
            throw HandshakeFailure(.internalError, "TLS 1.3 suite in a TLS 1.2 handshake")
        }
        let ckeMessage = HandshakeMessage(.clientKeyExchange(cke))
        c.transcript.append(ckeMessage.bytes)
        let clientRandom = c.hello.clientHello.random
        let serverRandom = c.serverHello.random
        let master =
            c.extendedMasterSecret
            ? TLS12KeySchedule.extendedMasterSecret(
                suite: c.suite, premaster: premaster, sessionHash: c.transcript.current(), log: &log)
            : TLS12KeySchedule.masterSecret(
                suite: c.suite, premaster: premaster, clientRandom: clientRandom, serverRandom: serverRandom, log: &log)
        let keys = TLS12KeySchedule.keyMaterial(
            suite: c.suite, masterSecret: master, clientRandom: clientRandom, serverRandom: serverRandom, log: &log)
        c.masterSecret = master
        c.keys = keys
        actions.derive(log)
        log = []
        actions.append(.send(ckeMessage))
        // CertificateVerify (RFC 5246 §7.4.8): a signature over all handshake messages so far.
        if let signer = signCertificateVerify, let request = c.certificateRequest {
            guard
                let scheme = chooseScheme(
                    preferred: configuration.signatureSchemes, peerOffered: request.signatureSchemes,
                    keySchemes: signer.supportedSchemes)
            else {
                throw HandshakeFailure(.handshakeFailure, "no signature scheme both the server accepts and the client's key can make")
            }
            let signature = try signer.sign(c.transcript.concatenated, scheme: scheme)
            let cv = HandshakeMessage(.certificateVerify(CertificateVerify(scheme: scheme, signature: signature)))
            actions.append(.send(cv))
            c.transcript.append(cv.bytes)
        }
        actions.append(.sendChangeCipherSpec)
        actions.append(
            .installWriteProtection(
                RecordProtection(
                    tls12: c.suite, macKey: keys.clientWriteMACKey, key: keys.clientWriteKey, iv: keys.clientWriteIV,
                    encryptThenMAC: c.encryptThenMAC),
                label: "client_write keys"))
        let verify = TLS12KeySchedule.verifyData(
            suite: c.suite, masterSecret: master, client: true, handshakeHash: c.transcript.current(), log: &log)
        actions.derive(log)
        let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
        actions.append(.send(finished))
        c.transcript.append(finished.bytes)
    }

    // MARK: - TLS 1.3 details

    private func verifyCertificateVerify13(_ c: Client13, _ cv: CertificateVerify) throws {
        guard configuration.signatureSchemes.contains(cv.scheme), allowedIn13(cv.scheme) else {
            throw HandshakeFailure(
                .illegalParameter, "the server signed with \(cv.scheme), which the client did not offer for TLS 1.3")
        }
        guard let key = c.serverKey, key.supportedSchemes.contains(cv.scheme) else {
            throw HandshakeFailure(.illegalParameter, "\(cv.scheme) does not match the certificate's key")
        }
        let content = TLS13Signing.certificateVerifyContent(server: true, transcriptHash: c.transcript.current())
        guard key.isValidSignature(cv.signature, for: content, scheme: cv.scheme) else {
            throw HandshakeFailure(
                .decryptError,
                "the server's CertificateVerify signature does not verify: the server did not prove it holds the certificate's private key")
        }
    }

    private mutating func finishHandshake13(_ c: inout Client13, _ actions: inout [HandshakeAction]) throws {
        var log: [DerivationStep] = []
        let hash = c.suite.prfHash
        let master = c.handshake.masterStage(log: &log)
        let serverFinishedHash = c.transcript.current()
        let cAP = master.clientApplicationTrafficSecret(transcriptHash: serverFinishedHash, log: &log)
        let sAP = master.serverApplicationTrafficSecret(transcriptHash: serverFinishedHash, log: &log)
        _ = master.exporterMasterSecret(transcriptHash: serverFinishedHash, log: &log)
        let serverApp = TLS13KeySchedule.trafficKeys(suite: c.suite, secret: sAP, prefix: "server_application", log: &log)
        let clientApp = TLS13KeySchedule.trafficKeys(suite: c.suite, secret: cAP, prefix: "client_application", log: &log)
        actions.derive(log)
        log = []
        actions.append(
            .installReadProtection(
                RecordProtection(tls13: c.suite, key: serverApp.key, iv: serverApp.iv),
                label: "server_application_traffic keys"))
        if configuration.middleboxCompatibility { actions.append(.sendChangeCipherSpec) }
        if let request = c.certificateRequest {
            try sendClientCertificate13(&c, request, &actions)
        }
        let verify = TLS13KeySchedule.verifyData(
            hash: hash, finishedKey: c.clientFinishedKey, transcriptHash: c.transcript.current(),
            name: "client_verify_data", log: &log)
        let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
        c.transcript.append(finished.bytes)
        _ = master.resumptionMasterSecret(transcriptHash: c.transcript.current(), log: &log)
        actions.derive(log)
        actions.append(.send(finished))
        actions.append(
            .installWriteProtection(
                RecordProtection(tls13: c.suite, key: clientApp.key, iv: clientApp.iv),
                label: "client_application_traffic keys"))
        actions.append(
            .completed(
                NegotiatedParameters(
                    version: .tls13, cipherSuite: c.suite.suite, group: c.group,
                    serverSignatureScheme: c.serverSignatureScheme, keyExchange: "(EC)DHE",
                    clientAuthenticated: c.clientAuthenticated, serverName: configuration.serverName)))
    }

    private func sendClientCertificate13(
        _ c: inout Client13, _ request: CertificateRequest13, _ actions: inout [HandshakeAction]
    ) throws {
        let chain = configuration.credential?.chain ?? []
        let cert = HandshakeMessage(
            .certificate13(Certificate13(context: request.context, entries: chain.map { CertificateEntry(data: $0) })))
        actions.append(.send(cert))
        c.transcript.append(cert.bytes)
        guard let credential = configuration.credential else {
            actions.append(.note("The client has no certificate, so it sends an empty Certificate message."))
            return
        }
        var offered: [SignatureScheme] = []
        if case .signatureAlgorithms(let schemes) = request.extensions.body(of: .signatureAlgorithms) {
            offered = schemes
        }
        guard
            let scheme = chooseScheme(
                preferred: configuration.signatureSchemes.filter(allowedIn13), peerOffered: offered,
                keySchemes: credential.privateKey.supportedSchemes)
        else {
            throw HandshakeFailure(.handshakeFailure, "no signature scheme both the server accepts and the client's key can make")
        }
        let content = TLS13Signing.certificateVerifyContent(server: false, transcriptHash: c.transcript.current())
        let signature = try credential.privateKey.sign(content, scheme: scheme)
        let cv = HandshakeMessage(.certificateVerify(CertificateVerify(scheme: scheme, signature: signature)))
        actions.append(.send(cv))
        c.transcript.append(cv.bytes)
        c.clientAuthenticated = true
    }
}

// MARK: - State data

struct ClientHelloInfo: Sendable {
    var clientHello: ClientHello
    var message: HandshakeMessage
    var keyShares: [EphemeralKeyPair]
}

struct ExpectServerHello: Sendable {
    var hello: ClientHelloInfo
}

/// What a TLS 1.2 client has learned so far.
struct Client12: Sendable {
    var hello: ClientHelloInfo
    var serverHello: ServerHello
    var suite: CipherSuiteInfo
    var transcript: TranscriptHash
    var extendedMasterSecret: Bool
    var encryptThenMAC: Bool
    var serverChain: [[UInt8]] = []
    var serverKey: VerifyingKey?
    var serverKeyExchange: ServerKeyExchangeECDHE?
    var certificateRequest: CertificateRequest12?
    var masterSecret: [UInt8] = []
    var keys: TLS12KeyMaterial?
    var clientAuthenticated = false

    init(
        hello: ClientHelloInfo, serverHello: ServerHello, suite: CipherSuiteInfo, transcript: TranscriptHash,
        extendedMasterSecret: Bool, encryptThenMAC: Bool
    ) {
        self.hello = hello
        self.serverHello = serverHello
        self.suite = suite
        self.transcript = transcript
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
    }

    func negotiated(serverName: String?) -> NegotiatedParameters {
        NegotiatedParameters(
            version: .tls12, cipherSuite: suite.suite, group: serverKeyExchange?.group,
            serverSignatureScheme: serverKeyExchange?.scheme,
            keyExchange: suite.keyExchange == .rsa ? "RSA" : "ECDHE", extendedMasterSecret: extendedMasterSecret,
            encryptThenMAC: encryptThenMAC, clientAuthenticated: clientAuthenticated, serverName: serverName)
    }
}

/// What a TLS 1.3 client has learned so far.
struct Client13: Sendable {
    var hello: ClientHelloInfo
    var suite: CipherSuiteInfo
    var transcript: TranscriptHash
    var group: NamedGroup
    var handshake: TLS13KeySchedule.HandshakeStage
    var clientFinishedKey: [UInt8]
    var serverFinishedKey: [UInt8]
    var serverChain: [[UInt8]] = []
    var serverKey: VerifyingKey?
    var serverSignatureScheme: SignatureScheme?
    var certificateRequest: CertificateRequest13?
    var clientAuthenticated = false
}

func isIPAddress(_ name: String) -> Bool {
    let parts = name.split(separator: ".", omittingEmptySubsequences: false)
    if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return true }
    return name.contains(":")
}
