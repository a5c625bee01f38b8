import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// What a TLS 1.2 server has decided and learned so far.
struct Server12: Sendable {
    var clientHello: ClientHello
    var serverRandom: [UInt8]
    var sessionID: [UInt8]
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
    /// Abbreviated handshake: the session was resumed.
    var resumed = false
    /// The server promised a NewSessionTicket (session_ticket in ServerHello).
    var ticketPromised = false

    init(
        clientHello: ClientHello, serverRandom: [UInt8], sessionID: [UInt8], suite: CipherSuiteInfo,
        transcript: TranscriptHash, extendedMasterSecret: Bool, encryptThenMAC: Bool, serverName: String?
    ) {
        self.clientHello = clientHello
        self.serverRandom = serverRandom
        self.sessionID = sessionID
        self.suite = suite
        self.transcript = transcript
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
        self.serverName = serverName
    }

    var negotiated: NegotiatedParameters {
        var p = NegotiatedParameters(
            version: .tls12, cipherSuite: suite.suite, group: group, serverSignatureScheme: signatureScheme,
            keyExchange: suite.keyExchange == .rsa ? "RSA" : "ECDHE", extendedMasterSecret: extendedMasterSecret,
            encryptThenMAC: encryptThenMAC, clientAuthenticated: clientAuthenticated, serverName: serverName)
        p.resumed = resumed
        return p
    }

    var clientWriteProtection: RecordProtection? {
        keys?.writeProtection(of: .client, suite: suite, encryptThenMAC: encryptThenMAC)
    }
    var serverWriteProtection: RecordProtection? {
        keys?.writeProtection(of: .server, suite: suite, encryptThenMAC: encryptThenMAC)
    }
}

extension ServerHandshake {
    mutating func startTLS12(_ ch: ClientHello, _ m: HandshakeMessage, _ actions: inout [HandshakeAction]) throws {
        let config = configuration
        let clientGroups: [NamedGroup] = {
            if case .supportedGroups(let g) = ch.extensions.body(of: .supportedGroups) { return g }
            return []
        }()
        let clientSchemes: [SignatureScheme] = {
            if case .signatureAlgorithms(let s) = ch.extensions.body(of: .signatureAlgorithms) { return s }
            return []
        }()
        // RFC 8422 §5.1.2: a client that lists curves of RFC 8422 in supported_groups and sends ec_point_formats
        // must include the uncompressed format, or the server aborts with illegal_parameter.
        let eccCurves: [NamedGroup] = [.secp256r1, .secp384r1, .secp521r1, .x25519, .x448]
        if case .ecPointFormats(let formats) = ch.extensions.body(of: .ecPointFormats), !formats.contains(.uncompressed),
            clientGroups.contains(where: eccCurves.contains)
        {
            throw HandshakeFailure(
                .illegalParameter,
                "ec_point_formats lists \(formats.map(\.description).joined(separator: ", ")) but not uncompressed, which every client offering these curves must support (RFC 8422 §5.1.2)"
            )
        }
        let serverRandom = serverRandom(version: .tls12, &actions)
        if let (state, source) = resumableSession(ch) {
            try resume12(ch, m, state: state, source: source, serverRandom: serverRandom, &actions)
            return
        }
        // RFC 8422 §4: with no supported_groups the client supports any curve; use ours.
        let groupChoice = config.groups.first {
            (clientGroups.isEmpty || clientGroups.contains($0)) && EphemeralKeyPair.supportedGroups.contains($0)
        }
        // RFC 8422 §4: when the client lists its curves, an ECDSA suite is only chosen if the certificate's curve
        // is among them (else the client would abort on the server's key).
        let certificateCurveAccepted =
            clientGroups.isEmpty || clientGroups.contains(.secp256r1)
            || config.credential.privateKey.kind == .ed25519
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
                    "no key-exchange group in common: the client supports \(clientGroups.filter { !$0.isGREASE }.map(\.description).joined(separator: ", ")), the server \(config.groups.map(\.description).joined(separator: ", "))"
                )
            }
            throw noSuiteFailure(ch, version: .tls12)
        }
        decodeContext.keyExchange = suite.keyExchange
        let ems = config.extendedMasterSecret && ch.extensions.contains(.extendedMasterSecret)
        let etm = config.encryptThenMAC && ch.extensions.contains(.encryptThenMAC) && !suite.cipher.isAEAD
        let ticketPromised = ch.extensions.contains(.sessionTicket) && ticketSealer != nil
        let sessionID = config.sessionCache ? random.bytes(32, label: "session_id") : []
        var extensions = commonExtensions12(ch, suite: suite, ems: ems, etm: etm)
        if ticketPromised { extensions.append(Extension(type: .sessionTicket, body: .sessionTicket([]))) }
        let sh = ServerHello(
            legacyVersion: .tls12, random: serverRandom, sessionID: sessionID, cipherSuite: suite.suite,
            extensions: extensions)
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
            clientHello: ch, serverRandom: serverRandom, sessionID: sessionID, suite: suite, transcript: transcript,
            extendedMasterSecret: ems, encryptThenMAC: etm, serverName: serverName(ch))
        s.ticketPromised = ticketPromised
        if suite.keyExchange == .ecdhe, let group = groupChoice {
            let offered = clientSchemes.isEmpty ? [SignatureScheme.rsa_pkcs1_sha256, .ecdsa_secp256r1_sha256] : clientSchemes
            guard
                let scheme = chooseScheme(
                    preferred: config.signatureSchemes, peerOffered: offered,
                    keySchemes: config.credential.privateKey.supportedSchemes)
            else {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "no signature scheme in common that the server's \(config.credential.privateKey.kind.rawValue) key can make")
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

    private func commonExtensions12(_ ch: ClientHello, suite: CipherSuiteInfo, ems: Bool, etm: Bool) -> [Extension] {
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
        return extensions
    }

    // MARK: - Resumption (RFC 5246 §7.3, RFC 5077 §3.1)

    /// A session the client offers that this server can resume: from its cache by session ID, or from a ticket.
    private func resumableSession(_ ch: ClientHello) -> (ServerSessionState, String)? {
        var candidate: (ServerSessionState, String)?
        if configuration.sessionCache, !ch.sessionID.isEmpty, let state = configuration.memory.cache[ch.sessionID] {
            candidate = (state, "session ID")
        } else if case .sessionTicket(let ticket) = ch.extensions.body(of: .sessionTicket), !ticket.isEmpty,
            let sealer = ticketSealer, let plain = sealer.open(ticket), let state = ServerSessionState(encoded: plain)
        {
            candidate = (state, "session ticket")
        }
        guard let (state, source) = candidate, state.version == .tls12, ch.cipherSuites.contains(state.cipherSuite),
            configuration.cipherSuites.contains(state.cipherSuite),
            state.extendedMasterSecret == (configuration.extendedMasterSecret && ch.extensions.contains(.extendedMasterSecret))
        else { return nil }
        return (state, source)
    }

    private mutating func resume12(
        _ ch: ClientHello, _ m: HandshakeMessage, state session: ServerSessionState, source: String,
        serverRandom: [UInt8], _ actions: inout [HandshakeAction]
    ) throws {
        guard let suite = CipherSuiteInfo.info(session.cipherSuite) else {
            throw HandshakeFailure(.internalError, "resumed an unknown suite")
        }
        decodeContext.keyExchange = suite.keyExchange
        let etm = configuration.encryptThenMAC && ch.extensions.contains(.encryptThenMAC) && !suite.cipher.isAEAD
        let sh = ServerHello(
            legacyVersion: .tls12, random: serverRandom, sessionID: ch.sessionID, cipherSuite: suite.suite,
            extensions: commonExtensions12(ch, suite: suite, ems: session.extendedMasterSecret, etm: etm))
        let shMessage = HandshakeMessage(.serverHello(sh))
        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        transcript.append(m.bytes)
        transcript.append(shMessage.bytes)
        actions.append(.send(shMessage))
        actions.append(
            .note(
                "The server recognizes the client's \(source) and resumes: no certificate, no key exchange — the master secret from the earlier session is reused, with the new randoms."
            ))
        var s = Server12(
            clientHello: ch, serverRandom: serverRandom, sessionID: ch.sessionID, suite: suite, transcript: transcript,
            extendedMasterSecret: session.extendedMasterSecret, encryptThenMAC: etm, serverName: serverName(ch))
        s.resumed = true
        s.masterSecret = session.secret
        var log: [DerivationStep] = [
            DerivationStep(
                name: "master_secret", formula: "master_secret of the resumed session (from the \(source))",
                inputs: [], output: session.secret,
                note: "An abbreviated handshake reuses the master secret agreed earlier.")
        ]
        s.keys = TLS12KeySchedule.keyMaterial(
            suite: suite, masterSecret: session.secret, clientRandom: ch.random, serverRandom: serverRandom, log: &log)
        actions.derive(log)
        try sendChangeCipherSpecAndFinished12(&s, &actions)
        state = .expectChangeCipherSpec12(s)
    }

    private func sendChangeCipherSpecAndFinished12(_ s: inout Server12, _ actions: inout [HandshakeAction]) throws {
        guard let protection = s.serverWriteProtection else { throw HandshakeFailure(.internalError, "no keys") }
        actions.append(.sendChangeCipherSpec)
        actions.append(.installWriteProtection(protection, label: "server_write keys"))
        var log: [DerivationStep] = []
        let verify = TLS12KeySchedule.verifyData(
            suite: s.suite, masterSecret: s.masterSecret, client: false, handshakeHash: s.transcript.current(),
            log: &log)
        actions.derive(log)
        let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
        actions.append(.send(finished))
        s.transcript.append(finished.bytes)
    }

    // MARK: - After ServerHelloDone

    mutating func step12(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
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
                throw HandshakeFailure(
                    .illegalParameter, "the client signed with \(cv.scheme), which the server did not ask for")
            }
            guard key.isValidSignature(cv.signature, for: s.transcript.concatenated, scheme: cv.scheme) else {
                throw HandshakeFailure(
                    .decryptError,
                    "the client's CertificateVerify does not verify: it does not hold the certificate's key")
            }
            s.transcript.append(m.bytes)
            s.clientAuthenticated = true
            state = .expectChangeCipherSpec12(s)
        case (.expectChangeCipherSpec12(let s), .changeCipherSpec):
            guard let protection = s.clientWriteProtection else {
                throw HandshakeFailure(.internalError, "no keys before ChangeCipherSpec")
            }
            actions.append(.installReadProtection(protection, label: "client_write keys"))
            state = .expectFinished12(s)
        case (.expectFinished12(var s), .message(let m)):
            guard case .finished(let fin) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Finished")
            }
            var log: [DerivationStep] = []
            let expected = TLS12KeySchedule.verifyData(
                suite: s.suite, masterSecret: s.masterSecret, client: true, handshakeHash: s.transcript.current(),
                log: &log)
            actions.derive(log)
            try checkFinished(expected: expected, received: fin.verifyData, peer: .client)
            s.transcript.append(m.bytes)
            if !s.resumed {
                if s.ticketPromised { try sendNewSessionTicket12(&s, &actions) }
                try sendChangeCipherSpecAndFinished12(&s, &actions)
            }
            actions.append(.completed(s.negotiated))
            if configuration.sessionCache && !s.sessionID.isEmpty && !s.resumed {
                actions.append(.sessionCached(id: s.sessionID, state: sessionState12(s)))
                actions.append(
                    .note("The server keeps this session under its session ID, so the client can resume it later."))
            }
            state = .connected12
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    private func sessionState12(_ s: Server12) -> ServerSessionState {
        ServerSessionState(
            version: .tls12, cipherSuite: s.suite.suite, secret: s.masterSecret,
            extendedMasterSecret: s.extendedMasterSecret, issuedAt: configuration.clock, serverName: s.serverName)
    }

    /// RFC 5077 §3.3: the ticket goes out before the server's ChangeCipherSpec.
    private mutating func sendNewSessionTicket12(_ s: inout Server12, _ actions: inout [HandshakeAction]) throws {
        guard let sealer = ticketSealer else { return }
        let ticket = try sealer.seal(sessionState12(s).encoded, nonce: random.bytes(12, label: "ticket_seal_nonce"))
        let message = HandshakeMessage(.newSessionTicket12(NewSessionTicket12(lifetimeHint: 7200, ticket: ticket)))
        actions.append(.send(message))
        s.transcript.append(message.bytes)
        actions.append(
            .note(
                "The ticket is the session state (master secret included) encrypted with a key only the server knows: the server needs no cache to resume it."
            ))
    }

    private mutating func handleClientKeyExchange(
        _ s: inout Server12, _ cke: ClientKeyExchange, _ actions: inout [HandshakeAction]
    ) throws {
        var log: [DerivationStep] = []
        let premaster: [UInt8]
        switch (s.suite.keyExchange, cke) {
        case (.rsa, .rsa(let ciphertext)):
            let key = configuration.credential.privateKey
            let block = (try? key.rsaDecryptRaw(ciphertext)) ?? []
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
                    name: "premaster_secret",
                    formula: "ECDH(server_key_share_private, client ephemeral public key) — \(pair.group)",
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
                suite: s.suite, premaster: premaster, clientRandom: s.clientHello.random,
                serverRandom: s.serverRandom, log: &log)
        s.masterSecret = master
        s.keys = TLS12KeySchedule.keyMaterial(
            suite: s.suite, masterSecret: master, clientRandom: s.clientHello.random, serverRandom: s.serverRandom,
            log: &log)
        actions.derive(log)
    }
}
