import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// The server side of a TLS 1.2 / TLS 1.3 handshake as a pure, synchronous state machine (one state per expected
/// message). Picks version, suite, group and signature scheme from the ClientHello by its own preference order.
public struct ServerHandshake: Sendable {
    public let configuration: ServerConfiguration
    var random: RandomSource
    var state: State = .expectClientHello
    public private(set) var decodeContext = DecodeContext()

    public init(configuration: ServerConfiguration, random: RandomSource) {
        self.configuration = configuration
        self.random = random
    }

    public var stateName: String { state.name }
    public var isConnected: Bool { if case .connected = state { true } else { false } }
    public var negotiatedVersion: ProtocolVersion? { decodeContext.version }

    enum State: Sendable {
        case expectClientHello
        case expectClientCertificate12(Server12)
        case expectClientCertificateVerdict12(Server12)
        case expectClientKeyExchange(Server12)
        case expectCertificateVerify12(Server12)
        case expectChangeCipherSpec12(Server12)
        case expectFinished12(Server12)
        case expectClientCertificate13(Server13)
        case expectClientCertificateVerdict13(Server13)
        case expectCertificateVerify13(Server13)
        case expectFinished13(Server13)
        case connected(ProtocolVersion)
        case failed

        var name: String {
            switch self {
            case .expectClientHello: "ExpectClientHello"
            case .expectClientCertificate12, .expectClientCertificate13: "ExpectCertificate"
            case .expectClientCertificateVerdict12, .expectClientCertificateVerdict13: "ValidatingCertificate"
            case .expectClientKeyExchange: "ExpectClientKeyExchange"
            case .expectCertificateVerify12, .expectCertificateVerify13: "ExpectCertificateVerify"
            case .expectChangeCipherSpec12: "ExpectChangeCipherSpec"
            case .expectFinished12, .expectFinished13: "ExpectFinished"
            case .connected: "Connected"
            case .failed: "Failed"
            }
        }
    }

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
        case (.expectClientHello, .message(let m)):
            guard case .clientHello(let ch) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "ClientHello")
            }
            try handleClientHello(ch, m, &actions)

        // TLS 1.2
        case (.expectClientCertificate12(var s), .message(let m)):
            guard case .certificate12(let cert) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Certificate")
            }
            s.transcript.append(m.bytes)
            if cert.certificates.isEmpty {
                if configuration.clientAuthentication == .require {
                    throw HandshakeFailure(
                        .handshakeFailure,
                        "the server requires a client certificate and the client sent none (TLS 1.2 has no certificate_required alert; RFC 5246 §7.4.6 says handshake_failure)"
                    )
                }
                actions.append(.note("The client has no certificate; this server only requested one, so it goes on."))
                state = .expectClientKeyExchange(s)
            } else {
                s.clientChain = cert.certificates
                s.clientKey = try leafKey(of: cert.certificates, peer: .client)
                actions.append(.validateCertificates(clientValidationRequest(cert.certificates)))
                state = .expectClientCertificateVerdict12(s)
            }
        case (.expectClientCertificateVerdict12(let s), .verdict(let verdict)):
            guard verdict.trusted else { throw HandshakeFailure(verdict.alert ?? .certificateUnknown, verdict.reason) }
            state = .expectClientKeyExchange(s)
        case (.expectClientKeyExchange(var s), .message(let m)):
            guard case .clientKeyExchange(let cke) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "ClientKeyExchange")
            }
            s.transcript.append(m.bytes)
            try handleClientKeyExchange(&s, cke, &actions)
            state = s.clientKey != nil ? .expectCertificateVerify12(s) : .expectChangeCipherSpec12(s)
        case (.expectCertificateVerify12(var s), .message(let m)):
            guard case .certificateVerify(let cv) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "CertificateVerify")
            }
            guard let key = s.clientKey, configuration.signatureSchemes.contains(cv.scheme),
                key.supportedSchemes.contains(cv.scheme)
            else {
                throw HandshakeFailure(.illegalParameter, "the client signed with \(cv.scheme), which the server did not ask for")
            }
            guard key.isValidSignature(cv.signature, for: s.transcript.concatenated, scheme: cv.scheme) else {
                throw HandshakeFailure(
                    .decryptError, "the client's CertificateVerify does not verify: it does not hold the certificate's key")
            }
            s.transcript.append(m.bytes)
            s.clientAuthenticated = true
            state = .expectChangeCipherSpec12(s)
        case (.expectChangeCipherSpec12(let s), .changeCipherSpec):
            guard let keys = s.keys else { throw HandshakeFailure(.internalError, "no keys before ChangeCipherSpec") }
            actions.append(
                .installReadProtection(
                    RecordProtection(
                        tls12: s.suite, macKey: keys.clientWriteMACKey, key: keys.clientWriteKey,
                        iv: keys.clientWriteIV, encryptThenMAC: s.encryptThenMAC),
                    label: "client_write keys"))
            state = .expectFinished12(s)
        case (.expectFinished12(var s), .message(let m)):
            guard case .finished(let fin) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Finished")
            }
            guard let keys = s.keys else { throw HandshakeFailure(.internalError, "no keys before Finished") }
            var log: [DerivationStep] = []
            let expected = TLS12KeySchedule.verifyData(
                suite: s.suite, masterSecret: s.masterSecret, client: true, handshakeHash: s.transcript.current(),
                log: &log)
            actions.derive(log)
            log = []
            try checkFinished(expected: expected, received: fin.verifyData, peer: .client)
            s.transcript.append(m.bytes)
            actions.append(.sendChangeCipherSpec)
            actions.append(
                .installWriteProtection(
                    RecordProtection(
                        tls12: s.suite, macKey: keys.serverWriteMACKey, key: keys.serverWriteKey,
                        iv: keys.serverWriteIV, encryptThenMAC: s.encryptThenMAC),
                    label: "server_write keys"))
            let verify = TLS12KeySchedule.verifyData(
                suite: s.suite, masterSecret: s.masterSecret, client: false, handshakeHash: s.transcript.current(),
                log: &log)
            actions.derive(log)
            let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
            actions.append(.send(finished))
            s.transcript.append(finished.bytes)
            actions.append(.completed(s.negotiated))
            state = .connected(.tls12)

        // TLS 1.3
        case (.expectClientCertificate13(var s), .message(let m)):
            guard case .certificate13(let cert) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Certificate")
            }
            guard cert.context == s.certificateRequestContext else {
                throw HandshakeFailure(
                    .illegalParameter, "the client's certificate_request_context does not match the server's request")
            }
            s.transcript.append(m.bytes)
            if cert.entries.isEmpty {
                if configuration.clientAuthentication == .require {
                    throw HandshakeFailure(
                        .certificateRequired,
                        "the server requires a client certificate and the client sent an empty Certificate (RFC 8446 §4.4.2.4: certificate_required)"
                    )
                }
                actions.append(.note("The client has no certificate; this server only requested one, so it goes on."))
                state = .expectFinished13(s)
            } else {
                let chain = cert.entries.map(\.data)
                s.clientChain = chain
                s.clientKey = try leafKey(of: chain, peer: .client)
                actions.append(.validateCertificates(clientValidationRequest(chain)))
                state = .expectClientCertificateVerdict13(s)
            }
        case (.expectClientCertificateVerdict13(let s), .verdict(let verdict)):
            guard verdict.trusted else { throw HandshakeFailure(verdict.alert ?? .certificateUnknown, verdict.reason) }
            state = .expectCertificateVerify13(s)
        case (.expectCertificateVerify13(var s), .message(let m)):
            guard case .certificateVerify(let cv) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "CertificateVerify")
            }
            guard let key = s.clientKey, configuration.signatureSchemes.contains(cv.scheme), allowedIn13(cv.scheme),
                key.supportedSchemes.contains(cv.scheme)
            else {
                throw HandshakeFailure(.illegalParameter, "the client signed with \(cv.scheme), which the server did not ask for")
            }
            let content = TLS13Signing.certificateVerifyContent(server: false, transcriptHash: s.transcript.current())
            guard key.isValidSignature(cv.signature, for: content, scheme: cv.scheme) else {
                throw HandshakeFailure(
                    .decryptError, "the client's CertificateVerify does not verify: it does not hold the certificate's key")
            }
            s.transcript.append(m.bytes)
            s.clientAuthenticated = true
            state = .expectFinished13(s)
        case (.expectFinished13(var s), .message(let m)):
            guard case .finished(let fin) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Finished")
            }
            var log: [DerivationStep] = []
            let expected = TLS13KeySchedule.verifyData(
                hash: s.suite.prfHash, finishedKey: s.clientFinishedKey, transcriptHash: s.transcript.current(),
                name: "client_verify_data", log: &log)
            actions.derive(log)
            log = []
            try checkFinished(expected: expected, received: fin.verifyData, peer: .client)
            s.transcript.append(m.bytes)
            _ = s.master.resumptionMasterSecret(transcriptHash: s.transcript.current(), log: &log)
            actions.derive(log)
            actions.append(
                .installReadProtection(
                    RecordProtection(tls13: s.suite, key: s.clientApplicationKeys.key, iv: s.clientApplicationKeys.iv),
                    label: "client_application_traffic keys"))
            actions.append(.completed(s.negotiated(clientAuthenticated: s.clientAuthenticated)))
            state = .connected(.tls13)

        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    // MARK: - ClientHello: choosing

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
        let clientGroups: [NamedGroup] = {
            if case .supportedGroups(let g) = ch.extensions.body(of: .supportedGroups) { return g }
            return []
        }()
        let clientSchemes: [SignatureScheme] = {
            if case .signatureAlgorithms(let s) = ch.extensions.body(of: .signatureAlgorithms) { return s }
            return []
        }()
        actions.append(
            .derived(
                Steps.origin(
                    "client_random", ch.random, formula: "ClientHello.random (chosen by the client)",
                    note: "Sent in the clear; mixed with server_random into every key.")))
        var serverRandom = random.bytes(32, label: "server_random")
        if version == .tls12 && config.versions.contains(.tls13) {
            serverRandom.replaceSubrange(24..<32, with: ServerHello.downgradeTLS12)
        }
        actions.append(
            .derived(
                Steps.origin(
                    "server_random", serverRandom,
                    formula: version == .tls12 && config.versions.contains(.tls13)
                        ? "24 bytes from \(random.originDescription) ‖ 44 4f 57 4e 47 52 44 01 (downgrade sentinel, RFC 8446 §4.1.3)"
                        : "32 bytes from \(random.originDescription)",
                    note: "Sent in ServerHello.random.")))
        if version == .tls13 {
            try startTLS13(ch, m, serverRandom: serverRandom, clientGroups: clientGroups, clientSchemes: clientSchemes, &actions)
        } else {
            try startTLS12(ch, m, serverRandom: serverRandom, clientGroups: clientGroups, clientSchemes: clientSchemes, &actions)
        }
    }

    private func credentialFits(_ suite: CipherSuiteInfo) -> Bool {
        let kind = configuration.credential.privateKey.kind
        switch suite.authentication {
        case "ecdsa": return kind == .ecdsaP256
        case "rsa": return kind == .rsa
        default: return true
        }
    }

    private mutating func makeKeyPair(group: NamedGroup, label: String) throws -> EphemeralKeyPair {
        for attempt in 0..<8 {
            let bytes = random.bytes(32, label: attempt == 0 ? label : "\(label).retry\(attempt)")
            if let pair = try? EphemeralKeyPair(group: group, privateKey: bytes) { return pair }
        }
        throw HandshakeFailure(.internalError, "could not build a \(group) key")
    }

    private func noSuiteFailure(_ ch: ClientHello, version: ProtocolVersion) -> HandshakeFailure {
        HandshakeFailure(
            .handshakeFailure,
            "no cipher suite in common for \(version.short): the client offers \(ch.cipherSuites.filter { !$0.isGREASE && $0 != .TLS_EMPTY_RENEGOTIATION_INFO_SCSV }.map(\.description).joined(separator: ", ")); the server accepts \(configuration.cipherSuites.map(\.description).joined(separator: ", "))"
        )
    }

    private func clientValidationRequest(_ chain: [[UInt8]]) -> CertificateValidationRequest {
        CertificateValidationRequest(
            chain: chain, trustAnchors: configuration.trustAnchors, hostname: nil, date: configuration.clock,
            purpose: .clientAuth)
    }

    // MARK: - TLS 1.2

    private mutating func startTLS12(
        _ ch: ClientHello, _ m: HandshakeMessage, serverRandom: [UInt8], clientGroups: [NamedGroup],
        clientSchemes: [SignatureScheme], _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        // RFC 8422 §4: with no supported_groups the client supports any curve; use ours.
        let groupChoice = config.groups.first {
            (clientGroups.isEmpty || clientGroups.contains($0)) && EphemeralKeyPair.supportedGroups.contains($0)
        }
        // RFC 8422 §4: when the client lists its curves, an ECDSA suite is only chosen if the certificate's curve
        // is among them (else the client would abort on the server's key).
        let certificateCurveAccepted = clientGroups.isEmpty || clientGroups.contains(.secp256r1)
        let offered = config.cipherSuites.compactMap(CipherSuiteInfo.info).filter {
            $0.version == .tls12 && ch.cipherSuites.contains($0.suite) && credentialFits($0)
        }
        let candidates = offered.filter { $0.authentication != "ecdsa" || certificateCurveAccepted }
        guard let suite = candidates.first(where: { $0.keyExchange == .rsa || groupChoice != nil }) else {
            if candidates.isEmpty, !offered.isEmpty {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "the server's certificate has an ECDSA P-256 key, but the client's supported_groups (\(clientGroups.filter { !$0.isGREASE }.map(\.description).joined(separator: ", "))) does not list secp256r1; RFC 8422 §4 forbids choosing an ECDSA suite the client could not verify"
                )
            }
            if candidates.contains(where: { $0.keyExchange == .ecdhe }) {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "no key-exchange group in common: the client supports \(clientGroups.map(\.description).joined(separator: ", ")), the server \(config.groups.map(\.description).joined(separator: ", "))"
                )
            }
            throw noSuiteFailure(ch, version: .tls12)
        }
        decodeContext.keyExchange = suite.keyExchange
        let ems = config.extendedMasterSecret && ch.extensions.contains(.extendedMasterSecret)
        let etm = config.encryptThenMAC && ch.extensions.contains(.encryptThenMAC) && !suite.cipher.isAEAD
        var extensions: [Extension] = []
        if ch.extensions.contains(.serverName) { extensions.append(Extension(type: .serverName, body: .serverNameAck)) }
        if ch.extensions.contains(.renegotiationInfo) || ch.cipherSuites.contains(.TLS_EMPTY_RENEGOTIATION_INFO_SCSV) {
            extensions.append(Extension(type: .renegotiationInfo, body: .renegotiationInfo([])))
        }
        if suite.keyExchange == .ecdhe && ch.extensions.contains(.ecPointFormats) {
            extensions.append(Extension(type: .ecPointFormats, body: .ecPointFormats([.uncompressed])))
        }
        if etm { extensions.append(Extension(type: .encryptThenMAC, body: .encryptThenMAC)) }
        if ems { extensions.append(Extension(type: .extendedMasterSecret, body: .extendedMasterSecret)) }
        let sh = ServerHello(legacyVersion: .tls12, random: serverRandom, sessionID: [], cipherSuite: suite.suite, extensions: extensions)
        let shMessage = HandshakeMessage(.serverHello(sh))
        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        transcript.append(m.bytes)
        transcript.append(shMessage.bytes)
        actions.append(.send(shMessage))
        actions.append(
            .note(
                "The server picks \(suite.suite) (its first preference the client also offers): \(suite.keyExchange == .rsa ? "RSA key exchange" : "ECDHE over \(groupChoice?.description ?? "?")")."
            ))
        let certMessage = HandshakeMessage(.certificate12(Certificate12(certificates: config.credential.chain)))
        actions.append(.send(certMessage))
        transcript.append(certMessage.bytes)

        var s = Server12(
            clientHello: ch, serverRandom: serverRandom, suite: suite, transcript: transcript,
            extendedMasterSecret: ems, encryptThenMAC: etm, serverName: serverName(ch))
        if suite.keyExchange == .ecdhe, let group = groupChoice {
            let offered = clientSchemes.isEmpty ? [SignatureScheme.rsa_pkcs1_sha256, .ecdsa_secp256r1_sha256] : clientSchemes
            guard
                let scheme = chooseScheme(
                    preferred: config.signatureSchemes, peerOffered: offered,
                    keySchemes: config.credential.privateKey.supportedSchemes)
            else {
                throw HandshakeFailure(
                    .handshakeFailure, "no signature scheme in common that the server's \(config.credential.privateKey.kind.rawValue) key can make")
            }
            let pair = try makeKeyPair(group: group, label: "server_key_share_private")
            actions.append(
                .derived(
                    Steps.origin(
                        "server_key_share_private", pair.privateKey,
                        formula: "\(group) private key: 32 bytes from \(random.originDescription)",
                        note: "Ephemeral: used for this connection only, then forgotten — that is forward secrecy.")))
            let unsigned = ServerKeyExchangeECDHE(group: group, publicKey: pair.publicKey, scheme: scheme, signature: [])
            let content = serverKeyExchangeSignedContent(
                clientRandom: ch.random, serverRandom: serverRandom, params: unsigned.paramsBytes)
            var ske = unsigned
            ske.signature = try config.credential.privateKey.sign(content, scheme: scheme)
            if let note = randomizedSignatureNote(scheme) { actions.append(.note(note)) }
            let skeMessage = HandshakeMessage(.serverKeyExchange(ske))
            actions.append(.send(skeMessage))
            s.transcript.append(skeMessage.bytes)
            s.ephemeral = pair
            s.group = group
            s.signatureScheme = scheme
        }
        if config.clientAuthentication != .none {
            let request = CertificateRequest12(
                certificateTypes: [.rsaSign, .ecdsaSign], signatureSchemes: config.signatureSchemes)
            let message = HandshakeMessage(.certificateRequest12(request))
            actions.append(.send(message))
            s.transcript.append(message.bytes)
            s.certificateRequested = true
        }
        let done = HandshakeMessage(.serverHelloDone)
        actions.append(.send(done))
        s.transcript.append(done.bytes)
        state = s.certificateRequested ? .expectClientCertificate12(s) : .expectClientKeyExchange(s)
    }

    private mutating func handleClientKeyExchange(
        _ s: inout Server12, _ cke: ClientKeyExchange, _ actions: inout [HandshakeAction]
    ) throws {
        var log: [DerivationStep] = []
        let premaster: [UInt8]
        switch (s.suite.keyExchange, cke) {
        case (.rsa, .rsa(let ciphertext)):
            let key = configuration.credential.privateKey
            let block: [UInt8]
            do {
                block = try key.rsaDecryptRaw(ciphertext)
            } catch {
                block = []
            }
            log.append(
                DerivationStep(
                    name: "pkcs1_block", formula: "RSADP(server private key, encrypted_premaster_secret) = c^d mod n",
                    inputs: [DerivationInput("encrypted_premaster_secret", ciphertext, source: "ClientKeyExchange")],
                    output: block, note: "Expected form: 00 02 ‖ nonzero padding ‖ 00 ‖ 48-byte premaster secret."))
            if let parsed = RSAPremaster.parse(block: block, expectedVersion: s.clientHello.legacyVersion) {
                premaster = parsed
                log.append(
                    DerivationStep(
                        name: "premaster_secret", formula: "the last 48 bytes of pkcs1_block (after the 00 separator)",
                        inputs: [DerivationInput("pkcs1_block", block)], output: premaster,
                        note: "Starts with the client's offered version (03 03), a check against version rollback."))
            } else {
                // RFC 5246 §7.4.7.1: never reveal a bad padding; continue with a random premaster so the Finished
                // check fails like any other key mismatch (Bleichenbacher countermeasure).
                premaster = [0x03, 0x03] + random.bytes(46, label: "premaster_substitute")
                log.append(
                    Steps.origin(
                        "premaster_secret", premaster,
                        formula: "random substitute (the decrypted block was not valid PKCS#1 v1.5)",
                        note: "RFC 5246 §7.4.7.1: the server must not reveal a padding error; the handshake will fail at Finished instead."
                    ))
            }
        case (.ecdhe, .ecdhe(let publicKey)):
            guard let pair = s.ephemeral else { throw HandshakeFailure(.internalError, "no ephemeral key") }
            premaster = try pair.sharedSecret(peerPublicKey: publicKey)
            log.append(
                DerivationStep(
                    name: "premaster_secret", formula: "ECDH(server_key_share_private, client ephemeral public key) — \(pair.group)",
                    inputs: [
                        DerivationInput("server_key_share_private", pair.privateKey),
                        DerivationInput("client_public_key", publicKey, source: "ClientKeyExchange.public"),
                    ], output: premaster, note: "The same value the client computed from the other two halves."))
        default:
            throw HandshakeFailure(.decodeError, "the ClientKeyExchange does not fit the negotiated key exchange")
        }
        let master =
            s.extendedMasterSecret
            ? TLS12KeySchedule.extendedMasterSecret(
                suite: s.suite, premaster: premaster, sessionHash: s.transcript.current(), log: &log)
            : TLS12KeySchedule.masterSecret(
                suite: s.suite, premaster: premaster, clientRandom: s.clientHello.random, serverRandom: s.serverRandom,
                log: &log)
        s.masterSecret = master
        s.keys = TLS12KeySchedule.keyMaterial(
            suite: s.suite, masterSecret: master, clientRandom: s.clientHello.random, serverRandom: s.serverRandom,
            log: &log)
        actions.derive(log)
    }

    private func serverName(_ ch: ClientHello) -> String? {
        if case .serverName(let names) = ch.extensions.body(of: .serverName) { return names.first }
        return nil
    }

    // MARK: - TLS 1.3

    private mutating func startTLS13(
        _ ch: ClientHello, _ m: HandshakeMessage, serverRandom: [UInt8], clientGroups: [NamedGroup],
        clientSchemes: [SignatureScheme], _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        guard
            let suite = config.cipherSuites.compactMap(CipherSuiteInfo.info).first(where: {
                $0.version == .tls13 && ch.cipherSuites.contains($0.suite)
            })
        else { throw noSuiteFailure(ch, version: .tls13) }
        decodeContext.keyExchange = nil
        guard case .keyShares(let shares) = ch.extensions.body(of: .keyShare) else {
            throw HandshakeFailure(.missingExtension, "a TLS 1.3 ClientHello must carry key_share (RFC 8446 §9.2)")
        }
        guard ch.extensions.contains(.signatureAlgorithms) else {
            throw HandshakeFailure(.missingExtension, "a TLS 1.3 ClientHello must carry signature_algorithms (RFC 8446 §9.2)")
        }
        let usable = config.groups.filter { EphemeralKeyPair.supportedGroups.contains($0) }
        guard let group = usable.first(where: { g in shares.contains { $0.group == g } }),
            let clientShare = shares.first(where: { $0.group == group })
        else {
            if let wanted = usable.first(where: clientGroups.contains) {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "the client sent no key share for \(wanted), the group the server wants; this server does not send HelloRetryRequest")
            }
            throw HandshakeFailure(
                .handshakeFailure,
                "no key-exchange group in common: the client supports \(clientGroups.filter { !$0.isGREASE }.map(\.description).joined(separator: ", ")), the server \(config.groups.map(\.description).joined(separator: ", "))"
            )
        }
        guard
            let scheme = chooseScheme(
                preferred: config.signatureSchemes.filter(allowedIn13), peerOffered: clientSchemes,
                keySchemes: config.credential.privateKey.supportedSchemes)
        else {
            throw HandshakeFailure(
                .handshakeFailure,
                "no signature scheme in common that the server's \(config.credential.privateKey.kind.rawValue) key can make in TLS 1.3")
        }

        var log: [DerivationStep] = []
        let pair = try makeKeyPair(group: group, label: "server_key_share_private")
        log.append(
            Steps.origin(
                "server_key_share_private", pair.privateKey,
                formula: "\(group) private key: 32 bytes from \(random.originDescription)",
                note: "Its public half goes in ServerHello.key_share.", ))
        let shared = try pair.sharedSecret(peerPublicKey: clientShare.keyExchange)
        log.append(
            DerivationStep(
                name: "shared_secret", formula: "ECDH(server_key_share_private, client key_share) — \(group)",
                inputs: [
                    DerivationInput("server_key_share_private", pair.privateKey),
                    DerivationInput("client_public_key", clientShare.keyExchange, source: "ClientHello.key_share"),
                ], output: shared, note: "The same value the client computes from the other two halves."))

        let sh = ServerHello(
            legacyVersion: .tls12, random: serverRandom, sessionID: ch.sessionID, cipherSuite: suite.suite,
            extensions: [
                Extension(type: .supportedVersions, body: .selectedVersion(.tls13)),
                Extension(type: .keyShare, body: .keyShare(KeyShareEntry(group: group, keyExchange: pair.publicKey))),
            ])
        let shMessage = HandshakeMessage(.serverHello(sh))
        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        transcript.append(m.bytes)
        transcript.append(shMessage.bytes)
        actions.append(.note("The server picks \(suite.suite) and \(group); from here on everything it sends is encrypted."))
        actions.derive(log)
        log = []
        actions.append(.send(shMessage))

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
        log = []
        if !ch.sessionID.isEmpty { actions.append(.sendChangeCipherSpec) }
        actions.append(
            .installWriteProtection(
                RecordProtection(tls13: suite, key: serverKeys.key, iv: serverKeys.iv),
                label: "server_handshake_traffic keys"))

        var eeExtensions: [Extension] = []
        if ch.extensions.contains(.serverName) { eeExtensions.append(Extension(type: .serverName, body: .serverNameAck)) }
        let ee = HandshakeMessage(.encryptedExtensions(EncryptedExtensions(extensions: eeExtensions)))
        actions.append(.send(ee))
        transcript.append(ee.bytes)
        var requested = false
        if config.clientAuthentication != .none {
            let request = HandshakeMessage(
                .certificateRequest13(
                    CertificateRequest13(
                        context: [],
                        extensions: [
                            Extension(
                                type: .signatureAlgorithms,
                                body: .signatureAlgorithms(config.signatureSchemes.filter(allowedIn13)))
                        ])))
            actions.append(.send(request))
            transcript.append(request.bytes)
            requested = true
        }
        let cert = HandshakeMessage(
            .certificate13(Certificate13(entries: config.credential.chain.map { CertificateEntry(data: $0) })))
        actions.append(.send(cert))
        transcript.append(cert.bytes)
        let content = TLS13Signing.certificateVerifyContent(server: true, transcriptHash: transcript.current())
        let signature = try config.credential.privateKey.sign(content, scheme: scheme)
        if let note = randomizedSignatureNote(scheme) { actions.append(.note(note)) }
        let cv = HandshakeMessage(.certificateVerify(CertificateVerify(scheme: scheme, signature: signature)))
        actions.append(.send(cv))
        transcript.append(cv.bytes)
        let verify = TLS13KeySchedule.verifyData(
            hash: hash, finishedKey: serverFinishedKey, transcriptHash: transcript.current(),
            name: "server_verify_data", log: &log)
        let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
        transcript.append(finished.bytes)
        let master = handshake.masterStage(log: &log)
        let finishedHash = transcript.current()
        let cAP = master.clientApplicationTrafficSecret(transcriptHash: finishedHash, log: &log)
        let sAP = master.serverApplicationTrafficSecret(transcriptHash: finishedHash, log: &log)
        _ = master.exporterMasterSecret(transcriptHash: finishedHash, log: &log)
        let serverApp = TLS13KeySchedule.trafficKeys(suite: suite, secret: sAP, prefix: "server_application", log: &log)
        let clientApp = TLS13KeySchedule.trafficKeys(suite: suite, secret: cAP, prefix: "client_application", log: &log)
        actions.derive(log)
        actions.append(.send(finished))
        actions.append(
            .installWriteProtection(
                RecordProtection(tls13: suite, key: serverApp.key, iv: serverApp.iv),
                label: "server_application_traffic keys"))
        actions.append(
            .installReadProtection(
                RecordProtection(tls13: suite, key: clientKeys.key, iv: clientKeys.iv),
                label: "client_handshake_traffic keys"))
        let s = Server13(
            suite: suite, transcript: transcript, group: group, signatureScheme: scheme, master: master,
            clientFinishedKey: clientFinishedKey, clientApplicationKeys: clientApp,
            certificateRequestContext: [], serverName: serverName(ch))
        state = requested ? .expectClientCertificate13(s) : .expectFinished13(s)
    }
}

// MARK: - State data

struct Server12: Sendable {
    var clientHello: ClientHello
    var serverRandom: [UInt8]
    var suite: CipherSuiteInfo
    var transcript: TranscriptHash
    var extendedMasterSecret: Bool
    var encryptThenMAC: Bool
    var serverName: String?
    var ephemeral: EphemeralKeyPair?
    var group: NamedGroup?
    var signatureScheme: SignatureScheme?
    var certificateRequested = false
    var clientChain: [[UInt8]] = []
    var clientKey: VerifyingKey?
    var clientAuthenticated = false
    var masterSecret: [UInt8] = []
    var keys: TLS12KeyMaterial?

    init(
        clientHello: ClientHello, serverRandom: [UInt8], suite: CipherSuiteInfo, transcript: TranscriptHash,
        extendedMasterSecret: Bool, encryptThenMAC: Bool, serverName: String?
    ) {
        self.clientHello = clientHello
        self.serverRandom = serverRandom
        self.suite = suite
        self.transcript = transcript
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
        self.serverName = serverName
    }

    var negotiated: NegotiatedParameters {
        NegotiatedParameters(
            version: .tls12, cipherSuite: suite.suite, group: group, serverSignatureScheme: signatureScheme,
            keyExchange: suite.keyExchange == .rsa ? "RSA" : "ECDHE", extendedMasterSecret: extendedMasterSecret,
            encryptThenMAC: encryptThenMAC, clientAuthenticated: clientAuthenticated, serverName: serverName)
    }
}

struct Server13: Sendable {
    var suite: CipherSuiteInfo
    var transcript: TranscriptHash
    var group: NamedGroup
    var signatureScheme: SignatureScheme
    var master: TLS13KeySchedule.MasterStage
    var clientFinishedKey: [UInt8]
    var clientApplicationKeys: (key: [UInt8], iv: [UInt8])
    var certificateRequestContext: [UInt8]
    var serverName: String?
    var clientChain: [[UInt8]] = []
    var clientKey: VerifyingKey?
    var clientAuthenticated = false

    func negotiated(clientAuthenticated: Bool) -> NegotiatedParameters {
        NegotiatedParameters(
            version: .tls13, cipherSuite: suite.suite, group: group, serverSignatureScheme: signatureScheme,
            keyExchange: "(EC)DHE", clientAuthenticated: clientAuthenticated, serverName: serverName)
    }
}
