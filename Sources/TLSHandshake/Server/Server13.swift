import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// After a HelloRetryRequest: what the server asked for and the transcript so far.
struct Retry13: Sendable {
    var firstHello: ClientHello
    var suite: CipherSuite
    var group: NamedGroup
    var cookie: [UInt8]?
    /// message_hash(ClientHello1) ‖ HelloRetryRequest.
    var transcriptPrefix: [[UInt8]]
}

/// What a TLS 1.3 server has decided so far.
struct Server13: Sendable {
    var suite: CipherSuiteInfo
    var transcript: TranscriptHash
    var group: NamedGroup?
    var signatureScheme: SignatureScheme?
    var master: TLS13KeySchedule.MasterStage
    var clientFinishedKey: [UInt8]
    var clientHandshakeKeys: (key: [UInt8], iv: [UInt8])
    var clientApplicationKeys: (key: [UInt8], iv: [UInt8])
    var clientApplicationSecret: [UInt8]
    var serverApplicationSecret: [UInt8]
    var certificateRequestContext: [UInt8]
    var serverName: String?
    var clientChain: [[UInt8]] = []
    var clientKey: VerifyingKey?
    var clientAuthenticated = false
    var resumed = false
    var pskOnly = false
    var helloRetry = false
    var certificateRequested = false

    func negotiated() -> NegotiatedParameters {
        var p = NegotiatedParameters(
            version: .tls13, cipherSuite: suite.suite, group: group, serverSignatureScheme: signatureScheme,
            keyExchange: resumed ? (pskOnly ? "PSK only" : "PSK + (EC)DHE") : "(EC)DHE",
            clientAuthenticated: clientAuthenticated, serverName: serverName)
        p.resumed = resumed
        p.helloRetry = helloRetry
        return p
    }
}

/// A PSK the server accepted (RFC 8446 §4.2.11).
private struct AcceptedPSK {
    var state: ServerSessionState
    var ticket: [UInt8]
    var early: TLS13KeySchedule.EarlyStage
    var log: [DerivationStep]
}

extension ServerHandshake {
    // MARK: - ClientHello (TLS 1.3)

    mutating func startTLS13(
        _ ch: ClientHello, _ m: HandshakeMessage, prefix: [[UInt8]], retry: Retry13?,
        _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        decodeContext.keyExchange = nil
        guard case .keyShares(let shares) = ch.extensions.body(of: .keyShare) else {
            throw HandshakeFailure(.missingExtension, "a TLS 1.3 ClientHello must carry key_share (RFC 8446 §9.2)")
        }
        let clientGroups: [NamedGroup] = {
            if case .supportedGroups(let g) = ch.extensions.body(of: .supportedGroups) { return g }
            return []
        }()
        let clientModes: [PskKeyExchangeMode] = {
            if case .pskKeyExchangeModes(let m) = ch.extensions.body(of: .pskKeyExchangeModes) { return m }
            return []
        }()
        // Suite: the server's first preference the client offers (kept across a HelloRetryRequest).
        var suites = config.cipherSuites.compactMap(CipherSuiteInfo.info).filter {
            $0.version == .tls13 && ch.cipherSuites.contains($0.suite)
        }
        if let retry { suites = suites.filter { $0.suite == retry.suite } }
        guard var suite = suites.first else { throw noSuiteFailure(ch, version: .tls13) }

        // PSK resumption.
        var accepted = try acceptPSK(ch, m, prefix: prefix, modes: clientModes, &actions)
        if let psk = accepted, psk.state.cipherSuite != suite.suite {
            // Prefer the ticket's suite (same hash is required, RFC 8446 §4.2.11).
            if let same = suites.first(where: { $0.prfHash == CipherSuiteInfo.info(psk.state.cipherSuite)?.prfHash }) {
                suite = same
            } else {
                accepted = nil
                actions.append(.note("The ticket's hash does not match any suite both offer: full handshake."))
            }
        }
        let pskOnly = accepted != nil && !clientModes.contains(.pskDHEKE)
        let usable = config.groups.filter { EphemeralKeyPair.supportedGroups.contains($0) }
        var group: NamedGroup?
        var clientShare: KeyShareEntry?
        if !pskOnly {
            if let g = usable.first(where: { g in shares.contains { $0.group == g } }) {
                group = g
                clientShare = shares.first { $0.group == g }
            } else if let wanted = usable.first(where: clientGroups.contains) {
                guard retry == nil else {
                    throw HandshakeFailure(
                        .illegalParameter,
                        "the second ClientHello still has no key share for \(wanted), which the HelloRetryRequest asked for")
                }
                try sendHelloRetryRequest(ch, m, suite: suite, group: wanted, &actions)
                return
            } else {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "no key-exchange group in common: the client supports \(clientGroups.filter { !$0.isGREASE }.map(\.description).joined(separator: ", ")), the server \(config.groups.map(\.description).joined(separator: ", ")) — a HelloRetryRequest cannot help"
                )
            }
        }
        var scheme: SignatureScheme?
        if accepted == nil {
            let clientSchemes: [SignatureScheme] = {
                if case .signatureAlgorithms(let s) = ch.extensions.body(of: .signatureAlgorithms) { return s }
                return []
            }()
            guard ch.extensions.contains(.signatureAlgorithms) else {
                throw HandshakeFailure(
                    .missingExtension, "a TLS 1.3 ClientHello must carry signature_algorithms (RFC 8446 §9.2)")
            }
            guard
                let chosen = chooseScheme(
                    preferred: config.signatureSchemes.filter(allowedIn13), peerOffered: clientSchemes,
                    keySchemes: config.credential.privateKey.supportedSchemes)
            else {
                throw HandshakeFailure(
                    .handshakeFailure,
                    "no signature scheme in common that the server's \(config.credential.privateKey.kind.rawValue) key can make in TLS 1.3"
                )
            }
            scheme = chosen
        }

        let serverRandom = serverRandom(version: .tls13, &actions)
        var log: [DerivationStep] = []
        var shared: [UInt8]?
        var extensions: [Extension] = [Extension(type: .supportedVersions, body: .selectedVersion(.tls13))]
        if let group, let clientShare {
            let pair = try makeKeyPair(group: group, label: "server_key_share_private")
            log.append(
                Steps.origin(
                    "server_key_share_private", pair.privateKey,
                    formula: "\(group) private key: 32 bytes from \(random.originDescription)",
                    note: "Its public half goes in ServerHello.key_share."))
            let secret = try pair.sharedSecret(peerPublicKey: clientShare.keyExchange)
            log.append(
                DerivationStep(
                    name: "shared_secret", formula: "ECDH(server_key_share_private, client key_share) — \(group)",
                    inputs: [
                        DerivationInput("server_key_share_private", pair.privateKey),
                        DerivationInput("client_public_key", clientShare.keyExchange, source: "ClientHello.key_share"),
                    ], output: secret, note: "The same value the client computes from the other two halves."))
            shared = secret
            extensions.append(
                Extension(type: .keyShare, body: .keyShare(KeyShareEntry(group: group, keyExchange: pair.publicKey))))
        }
        if accepted != nil { extensions.append(Extension(type: .preSharedKey, body: .selectedPSK(0))) }
        let sh = ServerHello(
            legacyVersion: .tls12, random: serverRandom, sessionID: ch.sessionID, cipherSuite: suite.suite,
            extensions: extensions)
        let shMessage = HandshakeMessage(.serverHello(sh))
        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        for p in prefix { transcript.append(p) }
        transcript.append(m.bytes)
        transcript.append(shMessage.bytes)
        actions.append(
            .note(
                accepted != nil
                    ? "The server accepts the ticket: it resumes with \(pskOnly ? "psk_ke (no new key exchange)" : "psk_dhe_ke (PSK plus a fresh \(group?.description ?? "") exchange)") and sends no certificate."
                    : "The server picks \(suite.suite) and \(group?.description ?? "no group"); from here on everything it sends is encrypted."
            ))

        // 0-RTT (RFC 8446 §4.2.10): accept only on the first ClientHello, with the ticket's suite.
        let earlyOffered = ch.extensions.contains(.earlyData)
        var earlyAccepted = false
        if earlyOffered, let psk = accepted {
            if retry == nil, psk.state.maxEarlyData > 0, config.maxEarlyData > 0, psk.state.cipherSuite == suite.suite {
                earlyAccepted = true
            } else {
                actions.append(
                    .note(
                        retry != nil
                            ? "Early data is never accepted after a HelloRetryRequest."
                            : "The server declines the 0-RTT data (this ticket or server does not allow it)."))
            }
        }
        if let psk = accepted {
            log = psk.log + log
        }
        let early = accepted?.early ?? TLS13KeySchedule.EarlyStage(hash: suite.prfHash, psk: nil, log: &log)
        if earlyAccepted, let psk = accepted {
            let helloHash = suite.prfHash.hash(m.bytes)
            let secret = early.clientEarlyTrafficSecret(transcriptHash: helloHash, log: &log)
            // RFC 8446 §7.1: derived next to the early traffic secret (exporters over 0-RTT, §7.5).
            _ = early.earlyExporterMasterSecret(transcriptHash: helloHash, log: &log)
            let keys = TLS13KeySchedule.trafficKeys(suite: suite, secret: secret, prefix: "client_early", log: &log)
            actions.derive(log)
            log = []
            actions.append(.acceptEarlyData)
            actions.append(
                .installReadProtection(
                    RecordProtection(tls13: suite, key: keys.key, iv: keys.iv), label: "client_early_traffic keys"))
            _ = psk
        } else if earlyOffered {
            actions.append(.skipEarlyData(maxBytes: Int(max(config.maxEarlyData, 1 << 14)) + 4 * 256))
        }
        actions.derive(log)
        log = []
        actions.append(.send(shMessage))

        let hash = suite.prfHash
        let handshake = early.handshakeStage(sharedSecret: shared, log: &log)
        let helloHash = transcript.current()
        let keys = handshake.trafficKeys(suite: suite, transcriptHash: helloHash, log: &log)
        let (serverKeys, clientKeys) = (keys.server, keys.client)
        let (serverFinishedKey, clientFinishedKey) = (keys.serverFinishedKey, keys.clientFinishedKey)
        actions.derive(log)
        log = []
        // RFC 8446 §D.4: a server answering a compatibility-mode client sends one dummy ChangeCipherSpec right after
        // its first handshake message (after the HelloRetryRequest if there was one).
        if !ch.sessionID.isEmpty && retry == nil { actions.append(.sendChangeCipherSpec) }
        actions.append(
            .installWriteProtection(
                RecordProtection(tls13: suite, key: serverKeys.key, iv: serverKeys.iv),
                label: "server_handshake_traffic keys"))

        var eeExtensions: [Extension] = []
        if ch.extensions.contains(.serverName) { eeExtensions.append(Extension(type: .serverName, body: .serverNameAck)) }
        if earlyAccepted { eeExtensions.append(Extension(type: .earlyData, body: .earlyData)) }
        let ee = HandshakeMessage(.encryptedExtensions(EncryptedExtensions(extensions: eeExtensions)))
        actions.append(.send(ee))
        transcript.append(ee.bytes)
        var requested = false
        if accepted == nil, let scheme {
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
        }
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
        var s = Server13(
            suite: suite, transcript: transcript, group: group, signatureScheme: scheme, master: master,
            clientFinishedKey: clientFinishedKey, clientHandshakeKeys: clientKeys, clientApplicationKeys: clientApp,
            clientApplicationSecret: cAP, serverApplicationSecret: sAP, certificateRequestContext: [],
            serverName: serverName(ch))
        s.resumed = accepted != nil
        s.pskOnly = pskOnly
        s.helloRetry = retry != nil
        s.certificateRequested = requested
        if earlyAccepted {
            state = .expectEndOfEarlyData(s)
        } else {
            installClientHandshakeKeys(s, &actions)
            state = requested ? .expectClientCertificate13(s) : .expectFinished13(s)
        }
    }

    private func installClientHandshakeKeys(_ s: Server13, _ actions: inout [HandshakeAction]) {
        actions.append(
            .installReadProtection(
                RecordProtection(tls13: s.suite, key: s.clientHandshakeKeys.key, iv: s.clientHandshakeKeys.iv),
                label: "client_handshake_traffic keys"))
    }

    /// RFC 8446 §4.2.11: opens the ticket of the first identity and verifies its binder. Nil: full handshake.
    private mutating func acceptPSK(
        _ ch: ClientHello, _ m: HandshakeMessage, prefix: [[UInt8]], modes: [PskKeyExchangeMode],
        _ actions: inout [HandshakeAction]
    ) throws -> AcceptedPSK? {
        guard case .offeredPSKs(let offered) = ch.extensions.body(of: .preSharedKey) else { return nil }
        guard !modes.isEmpty else {
            throw HandshakeFailure(
                .missingExtension, "pre_shared_key without psk_key_exchange_modes (RFC 8446 §4.2.9)")
        }
        guard offered.identities.count == offered.binders.count, let identity = offered.identities.first,
            let binder = offered.binders.first
        else {
            throw HandshakeFailure(.illegalParameter, "pre_shared_key has \(offered.identities.count) identities and \(offered.binders.count) binders")
        }
        guard let sealer = ticketSealer, let plain = sealer.open(identity.identity),
            let state = ServerSessionState(encoded: plain), state.version == .tls13,
            let ticketSuite = CipherSuiteInfo.info(state.cipherSuite)
        else {
            actions.append(.note("The server cannot read the offered ticket (not one of its own): full handshake."))
            return nil
        }
        let age = configuration.clock.timeIntervalSince(state.issuedAt)
        guard age >= 0, age <= 7200 else {
            actions.append(.note("The ticket has expired (issued \(Int(age)) s ago, lifetime 7200 s): full handshake."))
            return nil
        }
        if configuration.antiReplay && configuration.memory.usedTickets.contains(identity.identity) {
            actions.append(
                .note(
                    "This ticket was already used: tickets are single-use here (RFC 8446 §8.1), so a replayed ClientHello cannot resume — and its 0-RTT data is ignored. Full handshake."
                ))
            return nil
        }
        let hash = ticketSuite.prfHash
        var log: [DerivationStep] = [
            DerivationStep(
                name: "psk", formula: "from the ticket (decrypted with the server's ticket key)", inputs: [],
                output: state.secret,
                note: "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, Hash.length) of the earlier connection.")
        ]
        let early = TLS13KeySchedule.EarlyStage(hash: hash, psk: state.secret, log: &log)
        let binderKey = early.binderKey(resumption: true, log: &log)
        let binderFinishedKey = TLS13KeySchedule.finishedKey(hash: hash, baseKey: binderKey, side: "binder", log: &log)
        let truncated = try ClientHello.truncatedForBinders(m.bytes)
        let expected = TLS13KeySchedule.verifyData(
            hash: hash, finishedKey: binderFinishedKey, transcriptHash: hash.hash(prefix.flatMap { $0 } + truncated),
            name: "psk_binder", log: &log)
        guard expected == binder else {
            actions.derive(log)
            throw HandshakeFailure(
                .decryptError,
                "the PSK binder does not verify (expected \(expected.hex), received \(binder.hex)): the ClientHello was altered or the client does not hold the PSK (RFC 8446 §4.2.11)"
            )
        }
        if configuration.antiReplay { actions.append(.ticketUsed(identity.identity)) }
        return AcceptedPSK(state: state, ticket: identity.identity, early: early, log: log)
    }

    // MARK: - HelloRetryRequest (RFC 8446 §4.1.4)

    private mutating func sendHelloRetryRequest(
        _ ch: ClientHello, _ m: HandshakeMessage, suite: CipherSuiteInfo, group: NamedGroup,
        _ actions: inout [HandshakeAction]
    ) throws {
        var extensions: [Extension] = [
            Extension(type: .supportedVersions, body: .selectedVersion(.tls13)),
            Extension(type: .keyShare, body: .keyShareRequest(group)),
        ]
        var cookie: [UInt8]?
        if configuration.helloRetryCookie {
            let c = random.bytes(32, label: "hrr_cookie")
            extensions.append(Extension(type: .cookie, body: .cookie(c)))
            cookie = c
        }
        let hrr = HandshakeMessage(
            .serverHello(
                ServerHello(
                    legacyVersion: .tls12, random: ServerHello.helloRetryRequestRandom, sessionID: ch.sessionID,
                    cipherSuite: suite.suite, extensions: extensions)))
        let messageHash = HandshakeMessage(.messageHash(suite.prfHash.hash(m.bytes)))
        actions.append(
            .note(
                "The client sent no key share the server accepts, but it supports \(group): the server answers with a HelloRetryRequest asking for a \(group) share\(cookie != nil ? " (and a cookie the client must echo)" : "") — one extra round trip."
            ))
        if ch.extensions.contains(.earlyData) {
            actions.append(.skipEarlyData(maxBytes: Int(max(configuration.maxEarlyData, 1 << 14)) + 4 * 256))
        }
        actions.append(.send(hrr))
        if !ch.sessionID.isEmpty { actions.append(.sendChangeCipherSpec) }
        state = .expectSecondClientHello(
            Retry13(
                firstHello: ch, suite: suite.suite, group: group, cookie: cookie,
                transcriptPrefix: [messageHash.bytes, hrr.bytes]))
    }

    mutating func handleSecondClientHello(
        _ retry: Retry13, _ ch: ClientHello, _ m: HandshakeMessage, _ actions: inout [HandshakeAction]
    ) throws {
        let first = retry.firstHello
        guard ch.sessionID == first.sessionID, ch.cipherSuites == first.cipherSuites, ch.random == first.random else {
            throw HandshakeFailure(
                .illegalParameter,
                "the second ClientHello changed more than RFC 8446 §4.1.2 allows (random, session ID or cipher suites)")
        }
        guard case .keyShares(let shares) = ch.extensions.body(of: .keyShare), shares.count == 1,
            shares[0].group == retry.group
        else {
            throw HandshakeFailure(
                .illegalParameter, "the second ClientHello must carry exactly one key share, for \(retry.group)")
        }
        if let cookie = retry.cookie {
            guard case .cookie(let echoed) = ch.extensions.body(of: .cookie), echoed == cookie else {
                throw HandshakeFailure(.illegalParameter, "the second ClientHello does not echo the HelloRetryRequest's cookie")
            }
        }
        if ch.extensions.contains(.earlyData) {
            throw HandshakeFailure(.illegalParameter, "the second ClientHello must not offer early data (RFC 8446 §4.2.10)")
        }
        try startTLS13(ch, m, prefix: retry.transcriptPrefix, retry: retry, &actions)
    }

    // MARK: - After the server's flight

    mutating func step13(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
        case (.expectEndOfEarlyData(var s), .message(let m)):
            guard case .endOfEarlyData = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "EndOfEarlyData")
            }
            s.transcript.append(m.bytes)
            installClientHandshakeKeys(s, &actions)
            state = s.certificateRequested ? .expectClientCertificate13(s) : .expectFinished13(s)
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
                throw HandshakeFailure(
                    .illegalParameter, "the client signed with \(cv.scheme), which the server did not ask for")
            }
            let content = TLS13Signing.certificateVerifyContent(server: false, transcriptHash: s.transcript.current())
            guard key.isValidSignature(cv.signature, for: content, scheme: cv.scheme) else {
                throw HandshakeFailure(
                    .decryptError,
                    "the client's CertificateVerify does not verify: it does not hold the certificate's key")
            }
            s.transcript.append(m.bytes)
            s.clientAuthenticated = true
            state = .expectFinished13(s)
        case (.expectFinished13(var s), .message(let m)):
            guard case .finished(let fin) = m.body else {
                throw HandshakeFailure.unexpected(m.type, expecting: "Finished")
            }
            if s.certificateRequested && s.clientChain.isEmpty && configuration.clientAuthentication == .require
                && !s.clientAuthenticated
            {
                throw HandshakeFailure(
                    .certificateRequired, "the client finished without sending the certificate the server requires")
            }
            var log: [DerivationStep] = []
            let expected = TLS13KeySchedule.verifyData(
                hash: s.suite.prfHash, finishedKey: s.clientFinishedKey, transcriptHash: s.transcript.current(),
                name: "client_verify_data", log: &log)
            actions.derive(log)
            log = []
            try checkFinished(expected: expected, received: fin.verifyData, peer: .client)
            s.transcript.append(m.bytes)
            let resumption = s.master.resumptionMasterSecret(transcriptHash: s.transcript.current(), log: &log)
            actions.derive(log)
            actions.append(
                .installReadProtection(
                    RecordProtection(tls13: s.suite, key: s.clientApplicationKeys.key, iv: s.clientApplicationKeys.iv),
                    label: "client_application_traffic keys"))
            actions.append(.completed(s.negotiated()))
            try sendNewSessionTicket13(s, resumptionMasterSecret: resumption, &actions)
            state = .connected13(
                Connected13(
                    suite: s.suite, resumptionMasterSecret: resumption,
                    clientApplicationSecret: s.clientApplicationSecret,
                    serverApplicationSecret: s.serverApplicationSecret, serverName: s.serverName))
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

    /// RFC 8446 §4.6.1: a ticket the client can use to resume; the PSK it stands for is derived from the
    /// resumption master secret and the ticket nonce.
    private mutating func sendNewSessionTicket13(
        _ s: Server13, resumptionMasterSecret: [UInt8], _ actions: inout [HandshakeAction]
    ) throws {
        guard let sealer = ticketSealer else { return }
        let nonce: [UInt8] = [0x00]
        let ageAdd = random.bytes(4, label: "ticket_age_add").reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        var log: [DerivationStep] = []
        let psk = TLS13KeySchedule.resumptionPSK(
            hash: s.suite.prfHash, resumptionMasterSecret: resumptionMasterSecret, nonce: nonce, log: &log)
        actions.derive(log)
        let state = ServerSessionState(
            version: .tls13, cipherSuite: s.suite.suite, secret: psk, ticketAgeAdd: ageAdd, issuedAt: configuration.clock,
            maxEarlyData: configuration.maxEarlyData, serverName: s.serverName)
        let ticket = try sealer.seal(state.encoded, nonce: random.bytes(12, label: "ticket_seal_nonce"))
        let extensions: [Extension] =
            configuration.maxEarlyData > 0
            ? [Extension(type: .earlyData, body: .maxEarlyData(configuration.maxEarlyData))] : []
        actions.append(
            .send(
                HandshakeMessage(
                    .newSessionTicket13(
                        NewSessionTicket13(
                            lifetime: 7200, ageAdd: ageAdd, nonce: nonce, ticket: ticket, extensions: extensions)))))
        actions.append(
            .note(
                "After the handshake the server sends a NewSessionTicket: the ticket is the resumption PSK sealed with a key only the server knows."
            ))
    }
}
