import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

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
    /// Abbreviated handshake (RFC 5246 §7.3): the server resumed the offered session.
    var resumed = false
    /// The server promised a NewSessionTicket (RFC 5077 §3.2).
    var ticketExpected = false
    var newTicket: [UInt8]?

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
        var p = NegotiatedParameters(
            version: .tls12, cipherSuite: suite.suite, group: serverKeyExchange?.group,
            serverSignatureScheme: serverKeyExchange?.scheme,
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

extension ClientHandshake {
    mutating func serverHello12(
        _ hello: ClientHelloInfo, _ sh: ServerHello, _ m: HandshakeMessage, suite: CipherSuiteInfo,
        _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        transcript.append(hello.message.bytes)
        transcript.append(m.bytes)
        let ems = config.extendedMasterSecret && sh.extensions.contains(.extendedMasterSecret)
        let etm = config.encryptThenMAC && sh.extensions.contains(.encryptThenMAC) && !suite.cipher.isAEAD
        var c = Client12(
            hello: hello, serverHello: sh, suite: suite, transcript: transcript, extendedMasterSecret: ems,
            encryptThenMAC: etm)
        c.ticketExpected = sh.extensions.contains(.sessionTicket)

        // Resumption (RFC 5246 §7.4.1.3, RFC 5077 §3.4): the server echoes the session ID the client offered.
        if let session = config.session, session.version == .tls12, !hello.clientHello.sessionID.isEmpty,
            sh.sessionID == hello.clientHello.sessionID
        {
            guard session.cipherSuite == sh.cipherSuite else {
                throw HandshakeFailure(
                    .illegalParameter, "the server resumed the session with a different cipher suite (\(sh.cipherSuite))")
            }
            guard session.extendedMasterSecret == ems else {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "the resumed session's extended master secret setting does not match (RFC 7627 §5.3)")
            }
            c.resumed = true
            c.masterSecret = session.masterSecret
            var log: [DerivationStep] = [
                DerivationStep(
                    name: "master_secret", formula: "master_secret of the resumed session (no key exchange)",
                    inputs: [], output: session.masterSecret,
                    note: "An abbreviated handshake reuses the master secret agreed earlier: no certificate, no key exchange — the new randoms still make fresh keys.")
            ]
            c.keys = TLS12KeySchedule.keyMaterial(
                suite: suite, masterSecret: session.masterSecret, clientRandom: hello.clientHello.random,
                serverRandom: sh.random, log: &log)
            actions.derive(log)
            actions.append(
                .note(
                    "The server resumes the earlier session (session ID \(sh.sessionID.hexPreview(limit: 8))): an abbreviated handshake, with the server's Finished first."
                ))
            state = c.ticketExpected ? .expectNewSessionTicket12(c) : .expectChangeCipherSpec12(c)
            return
        }
        actions.append(
            .note(
                "Negotiated TLS 1.2 with \(sh.cipherSuite): \(suite.keyExchange == .rsa ? "RSA key exchange (no forward secrecy)" : "ECDHE key exchange (forward secret)"); extended master secret \(ems ? "on" : "off"), encrypt-then-MAC \(etm ? "on" : suite.cipher.isAEAD ? "not applicable (AEAD)" : "off")."
            ))
        if config.session != nil {
            actions.append(.note("The server did not resume the offered session: a full handshake follows."))
        }
        state = .expectCertificate12(c)
    }

    mutating func step12(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
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
                actions.append(
                    .note(
                        configuration.credential == nil
                            ? "The server asks for a client certificate, and this client has none: it will send an empty Certificate."
                            : "The server asks for a client certificate (mutual TLS)."))
                state = .expectServerHelloDone(c)
            case .serverHelloDone:
                c.transcript.append(m.bytes)
                try sendSecondFlight12(&c, &actions)
                state = c.ticketExpected ? .expectNewSessionTicket12(c) : .expectChangeCipherSpec12(c)
            default:
                throw HandshakeFailure.unexpected(m.type, expecting: "ServerHelloDone")
            }
        case (.expectNewSessionTicket12(var c), .message(let m)):
            guard case .newSessionTicket12(let ticket) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "NewSessionTicket")
            }
            c.transcript.append(m.bytes)
            c.newTicket = ticket.ticket
            actions.append(
                .note(
                    "The server hands the client a session ticket: its own encrypted note of this session's master secret, which only it can read. Presenting it later resumes the session without a server-side cache (RFC 5077)."
                ))
            state = .expectChangeCipherSpec12(c)
        case (.expectChangeCipherSpec12(let c), .changeCipherSpec):
            guard let protection = c.serverWriteProtection else {
                throw HandshakeFailure(.internalError, "no keys before ChangeCipherSpec")
            }
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
            if c.resumed {
                // Abbreviated handshake: the client's CCS and Finished come after the server's.
                try sendChangeCipherSpecAndFinished12(&c, &actions)
            }
            actions.append(.completed(c.negotiated(serverName: configuration.serverName)))
            if let session = sessionToKeep(c) { actions.append(.sessionEstablished(session)) }
            state = .connected12
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    /// What the client keeps to resume this TLS 1.2 session: the master secret, under the session ID or ticket.
    private func sessionToKeep(_ c: Client12) -> ClientSession? {
        let ticket = c.newTicket ?? (c.resumed ? configuration.session?.ticket : nil) ?? []
        let sessionID = c.serverHello.sessionID
        guard !ticket.isEmpty || !sessionID.isEmpty else { return nil }
        var s = ClientSession(
            version: .tls12, cipherSuite: c.suite.suite, serverName: configuration.serverName,
            receivedAt: configuration.clock)
        s.sessionID = sessionID
        s.ticket = ticket
        s.masterSecret = c.masterSecret
        s.extendedMasterSecret = c.extendedMasterSecret
        return s
    }

    /// RFC 8422 §5.1.3: ECDHE_ECDSA suites take ECDSA or EdDSA certificates; RSA suites take RSA certificates.
    private func checkKeyFits(_ key: VerifyingKey, suite: CipherSuiteInfo) throws {
        let allowed: [SigningKey.Kind] = suite.authentication == "ecdsa" ? [.ecdsaP256, .ed25519] : [.rsa]
        if !allowed.contains(key.kind) {
            throw HandshakeFailure(
                .unsupportedCertificate,
                "\(suite.suite) needs an \(allowed == [.rsa] ? "RSA" : "ECDSA or Ed25519") certificate, the server sent a \(key.kind.rawValue) one")
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
                .illegalParameter,
                "the server signed with \(ske.scheme), which the client did not offer or its key cannot make")
        }
        let content = serverKeyExchangeSignedContent(
            clientRandom: c.hello.clientHello.random, serverRandom: c.serverHello.random, params: ske.paramsBytes)
        guard key.isValidSignature(ske.signature, for: content, scheme: ske.scheme) else {
            throw HandshakeFailure(
                .decryptError,
                "the ServerKeyExchange signature does not verify with the certificate's key: the ECDHE parameters were not signed by the certificate's owner"
            )
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
                    note:
                        "RSA key exchange: the client alone picks the premaster secret and encrypts it to the server's certificate key."
                ))
            let padding = random.bytes(modulus - 3 - premaster.count, label: "pkcs1_padding")
            let (block, ciphertext) = try key.rsaEncryptPKCS1(premaster, padding: padding)
            log.append(
                DerivationStep(
                    name: "pkcs1_block",
                    formula:
                        "EME-PKCS1-v1_5: 00 02 ‖ PS (\(modulus - 3 - premaster.count) nonzero random bytes) ‖ 00 ‖ premaster_secret",
                    inputs: [DerivationInput("premaster_secret", premaster)], output: block,
                    note: "RFC 8017 §7.2.1 padding; the padding bytes come from \(random.originDescription)."))
            log.append(
                DerivationStep(
                    name: "encrypted_premaster_secret",
                    formula: "RSAEP(server public key, pkcs1_block) = block^e mod n",
                    inputs: [
                        DerivationInput("pkcs1_block", block),
                        DerivationInput("server_public_key", key.spki, source: "server Certificate"),
                    ], output: ciphertext,
                    note:
                        "Anyone who later obtains the server's private key can decrypt this from a recording: no forward secrecy."
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
                    name: "premaster_secret",
                    formula: "ECDH(client_key_share_private, server ephemeral public key) — \(ske.group)",
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
                suite: c.suite, premaster: premaster, clientRandom: clientRandom, serverRandom: serverRandom,
                log: &log)
        c.masterSecret = master
        c.keys = TLS12KeySchedule.keyMaterial(
            suite: c.suite, masterSecret: master, clientRandom: clientRandom, serverRandom: serverRandom, log: &log)
        actions.derive(log)
        actions.append(.send(ckeMessage))
        // CertificateVerify (RFC 5246 §7.4.8): a signature over all handshake messages so far.
        if let signer = signCertificateVerify, let request = c.certificateRequest {
            guard
                let scheme = chooseScheme(
                    preferred: configuration.signatureSchemes, peerOffered: request.signatureSchemes,
                    keySchemes: signer.supportedSchemes)
            else {
                throw HandshakeFailure(
                    .handshakeFailure, "no signature scheme both the server accepts and the client's key can make")
            }
            let signature = try signer.sign(c.transcript.concatenated, scheme: scheme)
            if let note = randomizedSignatureNote(scheme) { actions.append(.note(note)) }
            let cv = HandshakeMessage(.certificateVerify(CertificateVerify(scheme: scheme, signature: signature)))
            actions.append(.send(cv))
            c.transcript.append(cv.bytes)
        }
        try sendChangeCipherSpecAndFinished12(&c, &actions)
    }

    private func sendChangeCipherSpecAndFinished12(_ c: inout Client12, _ actions: inout [HandshakeAction]) throws {
        guard let protection = c.clientWriteProtection else { throw HandshakeFailure(.internalError, "no keys") }
        actions.append(.sendChangeCipherSpec)
        actions.append(.installWriteProtection(protection, label: "client_write keys"))
        var log: [DerivationStep] = []
        let verify = TLS12KeySchedule.verifyData(
            suite: c.suite, masterSecret: c.masterSecret, client: true, handshakeHash: c.transcript.current(),
            log: &log)
        actions.derive(log)
        let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
        actions.append(.send(finished))
        c.transcript.append(finished.bytes)
    }
}
