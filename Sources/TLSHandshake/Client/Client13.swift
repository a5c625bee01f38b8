import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// What a TLS 1.3 client has learned so far.
struct Client13: Sendable {
    var hello: ClientHelloInfo
    var suite: CipherSuiteInfo
    var transcript: TranscriptHash
    var group: NamedGroup?
    var handshake: TLS13KeySchedule.HandshakeStage
    var clientHandshakeKeys: (key: [UInt8], iv: [UInt8])
    var clientFinishedKey: [UInt8]
    var serverFinishedKey: [UInt8]
    var serverChain: [[UInt8]] = []
    var serverKey: VerifyingKey?
    var serverSignatureScheme: SignatureScheme?
    var certificateRequest: CertificateRequest13?
    var clientAuthenticated = false
    /// The server accepted the offered PSK.
    var resumed = false
    /// 0-RTT data was sent and the server's answer (in EncryptedExtensions) is still to come.
    var earlyDataPending = false
    var earlyDataAccepted = false

    var handshakeWriteProtection: RecordProtection {
        RecordProtection(tls13: suite, key: clientHandshakeKeys.key, iv: clientHandshakeKeys.iv)
    }
}

extension ClientHandshake {
    // MARK: - ClientHello

    mutating func buildFirstClientHello(_ actions: inout [HandshakeAction]) throws -> ClientHelloInfo {
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
        var sessionID: [UInt8] = []
        if let session = config.session, session.version == .tls12, offers12 {
            // RFC 5246 §7.4.1.2 / RFC 5077 §3.4: offer the session's ID, or a fresh one alongside a ticket.
            sessionID = session.sessionID.isEmpty ? random.bytes(32, label: "legacy_session_id") : session.sessionID
        } else if offers13 && config.middleboxCompatibility {
            sessionID = random.bytes(32, label: "legacy_session_id")
        }
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
        return try makeClientHello(
            random: clientRandom, sessionID: sessionID, keyShares: keyShares, cookie: nil,
            includeEarlyData: config.earlyData != nil, retry: nil, &actions)
    }

    /// Builds a ClientHello (the first one, or the second one after a HelloRetryRequest).
    mutating func makeClientHello(
        random clientRandom: [UInt8], sessionID: [UInt8], keyShares: [EphemeralKeyPair], cookie: [UInt8]?,
        includeEarlyData: Bool, retry: RetryInfo?, _ actions: inout [HandshakeAction]
    ) throws -> ClientHelloInfo {
        let config = configuration
        let offers13 = config.versions.contains(.tls13)
        let offers12 = config.versions.contains(.tls12)
        let suites12 = config.cipherSuites.compactMap { CipherSuiteInfo.info($0) }.filter { $0.version == .tls12 }
        let offersECDHE12 = offers12 && suites12.contains { $0.keyExchange == .ecdhe }
        let session = config.session
        let resuming13 =
            offers13 && session?.version == .tls13 && session.map { config.cipherSuites.contains($0.cipherSuite) } == true

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
        if offers12 && (config.sessionTickets || session?.version == .tls12 && session?.ticket.isEmpty == false) {
            let ticket = session?.version == .tls12 ? session?.ticket ?? [] : []
            extensions.append(Extension(type: .sessionTicket, body: .sessionTicket(ticket)))
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
            if let cookie { extensions.append(Extension(type: .cookie, body: .cookie(cookie))) }
            if resuming13 {
                extensions.append(Extension(type: .pskKeyExchangeModes, body: .pskKeyExchangeModes(config.pskModes)))
            }
            extensions.append(
                Extension(
                    type: .keyShare,
                    body: .keyShares(keyShares.map { KeyShareEntry(group: $0.group, keyExchange: $0.publicKey) })))
        }
        if offers12 {
            extensions.append(Extension(type: .renegotiationInfo, body: .renegotiationInfo([])))
        }
        let earlyData = resuming13 && includeEarlyData && (session?.maxEarlyData ?? 0) > 0
        if earlyData { extensions.append(Extension(type: .earlyData, body: .earlyData)) }
        var hello = ClientHello(
            legacyVersion: .tls12, random: clientRandom, sessionID: sessionID, cipherSuites: config.cipherSuites,
            extensions: extensions)
        var offeredPSK: OfferedPSK?
        if resuming13, let session, let suite = CipherSuiteInfo.info(session.cipherSuite) {
            offeredPSK = try attachPSK(&hello, session: session, suite: suite, prefix: retry?.transcriptPrefix ?? [], &actions)
        }
        return ClientHelloInfo(
            clientHello: hello, message: HandshakeMessage(.clientHello(hello)), keyShares: keyShares,
            offeredPSK: offeredPSK, retry: retry, earlyData: nil)
    }

    /// RFC 8446 §4.2.11: adds pre_shared_key (last) with the ticket and a binder proving the client holds the PSK:
    /// binder = HMAC(finished_key(binder_key), Transcript-Hash(Truncate(ClientHello))).
    private func attachPSK(
        _ hello: inout ClientHello, session: ClientSession, suite: CipherSuiteInfo, prefix: [[UInt8]],
        _ actions: inout [HandshakeAction]
    ) throws -> OfferedPSK {
        let hash = suite.prfHash
        var log: [DerivationStep] = []
        log.append(
            DerivationStep(
                name: "psk", formula: "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, Hash.length) — from the earlier connection",
                inputs: [], output: session.psk,
                note: "The pre-shared key both sides derived from the previous connection's NewSessionTicket."))
        let early = TLS13KeySchedule.EarlyStage(hash: hash, psk: session.psk, log: &log)
        let binderKey = early.binderKey(resumption: true, log: &log)
        let binderFinishedKey = TLS13KeySchedule.finishedKey(hash: hash, baseKey: binderKey, side: "binder", log: &log)
        let ageMilliseconds = UInt32(clamping: Int64(max(0, configuration.clock.timeIntervalSince(session.receivedAt)) * 1000))
        let identity = PSKIdentity(identity: session.ticket, obfuscatedTicketAge: ageMilliseconds &+ session.ticketAgeAdd)
        hello.extensions.append(
            Extension(
                type: .preSharedKey,
                body: .offeredPSKs(OfferedPSKs(identities: [identity], binders: [[UInt8](repeating: 0, count: hash.outputLength)]))))
        let truncated = try ClientHello.truncatedForBinders(HandshakeMessage(.clientHello(hello)).bytes)
        let binderHash = hash.hash(prefix.flatMap { $0 } + truncated)
        let binder = TLS13KeySchedule.verifyData(
            hash: hash, finishedKey: binderFinishedKey, transcriptHash: binderHash, name: "psk_binder", log: &log)
        hello.extensions.removeLast()
        hello.extensions.append(
            Extension(type: .preSharedKey, body: .offeredPSKs(OfferedPSKs(identities: [identity], binders: [binder]))))
        actions.derive(log)
        actions.append(
            .note(
                "The client offers to resume: pre_shared_key carries the ticket (obfuscated age \(identity.obfuscatedTicketAge)) and a binder that proves it holds the PSK."
            ))
        return OfferedPSK(session: session, early: early, suite: suite)
    }

    /// RFC 8446 §4.2.10: 0-RTT data right after the ClientHello, under keys from client_early_traffic_secret.
    mutating func sendEarlyData(_ hello: inout ClientHelloInfo, _ actions: inout [HandshakeAction]) {
        guard let data = configuration.earlyData, let psk = hello.offeredPSK,
            hello.clientHello.extensions.contains(.earlyData)
        else { return }
        var log: [DerivationStep] = []
        let helloHash = psk.suite.prfHash.hash(hello.message.bytes)
        let secret = psk.early.clientEarlyTrafficSecret(transcriptHash: helloHash, log: &log)
        // RFC 8446 §7.1: derived next to the early traffic secret (exporters over 0-RTT, §7.5); key logs list it.
        _ = psk.early.earlyExporterMasterSecret(transcriptHash: helloHash, log: &log)
        let keys = TLS13KeySchedule.trafficKeys(suite: psk.suite, secret: secret, prefix: "client_early", log: &log)
        actions.derive(log)
        if configuration.middleboxCompatibility && !sentCompatibilityCCS {
            actions.append(.sendChangeCipherSpec)
            sentCompatibilityCCS = true
        }
        let protection = RecordProtection(tls13: psk.suite, key: keys.key, iv: keys.iv)
        actions.append(.installWriteProtection(protection, label: "client_early_traffic keys"))
        actions.append(
            .note(
                "0-RTT: the client sends its request before the server has answered, protected with keys from the resumed PSK alone. It has no forward secrecy and could be replayed by an attacker."
            ))
        actions.append(.sendApplicationData(data))
        hello.earlyData = SentEarlyData(data: data, protection: protection)
    }

    // MARK: - HelloRetryRequest (RFC 8446 §4.1.4)

    mutating func handleHelloRetryRequest(
        _ hello: ClientHelloInfo, _ hrr: ServerHello, _ m: HandshakeMessage, _ actions: inout [HandshakeAction]
    ) throws {
        let config = configuration
        guard hello.retry == nil else {
            throw HandshakeFailure(.unexpectedMessage, "a second HelloRetryRequest (RFC 8446 §4.1.4 allows one)")
        }
        guard case .selectedVersion(.tls13) = hrr.extensions.body(of: .supportedVersions), config.versions.contains(.tls13)
        else {
            throw HandshakeFailure(.illegalParameter, "a HelloRetryRequest must select TLS 1.3 in supported_versions")
        }
        guard hello.clientHello.cipherSuites.contains(hrr.cipherSuite), let suite = CipherSuiteInfo.info(hrr.cipherSuite),
            suite.version == .tls13
        else {
            throw HandshakeFailure(.illegalParameter, "the HelloRetryRequest names \(hrr.cipherSuite), which the client did not offer")
        }
        guard hrr.sessionID == hello.clientHello.sessionID else {
            throw HandshakeFailure(.illegalParameter, "legacy_session_id_echo does not echo the client's legacy_session_id")
        }
        try hrr.extensions.checkSubset(of: hello.clientHello.extensions + [Extension(type: .cookie, body: .cookie([]))], in: "HelloRetryRequest")
        var cookie: [UInt8]?
        if case .cookie(let c) = hrr.extensions.body(of: .cookie) { cookie = c }
        var group: NamedGroup?
        if case .keyShareRequest(let g) = hrr.extensions.body(of: .keyShare) {
            guard config.groups.contains(g) else {
                throw HandshakeFailure(.illegalParameter, "the HelloRetryRequest asks for \(g), which the client did not offer")
            }
            guard !hello.keyShares.contains(where: { $0.group == g }) else {
                throw HandshakeFailure(
                    .illegalParameter, "the HelloRetryRequest asks for \(g), for which the client already sent a share")
            }
            group = g
        }
        guard group != nil || cookie != nil else {
            throw HandshakeFailure(
                .illegalParameter, "a HelloRetryRequest must change something (key_share or cookie) — RFC 8446 §4.1.4")
        }
        decodeContext.version = .tls13
        let hash = suite.prfHash
        let messageHash = HandshakeMessage(.messageHash(hash.hash(hello.message.bytes)))
        let retry = RetryInfo(
            suite: hrr.cipherSuite, group: group ?? hello.keyShares.first?.group ?? .x25519,
            transcriptPrefix: [messageHash.bytes, m.bytes])
        actions.append(
            .note(
                "HelloRetryRequest: the server wants \(group.map { "a key share for \($0)" } ?? "the ClientHello again")\(cookie != nil ? " with its cookie" : ""). The transcript hash now starts with message_hash — Hash(ClientHello1) in a synthetic message — instead of ClientHello1 itself (RFC 8446 §4.4.1)."
            ))
        if hello.earlyData != nil {
            actions.append(.earlyDataResult(accepted: false))
            actions.append(.resetWriteProtection)
        }
        var shares = hello.keyShares
        if let group {
            let pair = try makeKeyPair(group: group, label: "client_key_share_private.retry.\(group)")
            actions.append(
                .derived(
                    Steps.origin(
                        "client_key_share_private", pair.privateKey,
                        formula: "\(group) private key: 32 bytes from \(random.originDescription)",
                        note: "A new key share, for the group the HelloRetryRequest asked for.")))
            shares = [pair]
        }
        if config.middleboxCompatibility && !sentCompatibilityCCS {
            actions.append(.sendChangeCipherSpec)
            sentCompatibilityCCS = true
        }
        let second = try makeClientHello(
            random: hello.clientHello.random, sessionID: hello.clientHello.sessionID, keyShares: shares, cookie: cookie,
            includeEarlyData: false, retry: retry, &actions)
        actions.append(.send(second.message))
        state = .expectServerHello(second)
    }

    // MARK: - ServerHello (TLS 1.3)

    mutating func serverHello13(
        _ hello: ClientHelloInfo, _ sh: ServerHello, _ m: HandshakeMessage, suite: CipherSuiteInfo,
        _ actions: inout [HandshakeAction]
    ) throws {
        let offered = hello.clientHello
        guard sh.sessionID == offered.sessionID else {
            throw HandshakeFailure(
                .illegalParameter, "legacy_session_id_echo does not echo the client's legacy_session_id")
        }
        var transcript = TranscriptHash(hashAlgorithm: suite.prfHash)
        for prefix in hello.retry?.transcriptPrefix ?? [] { transcript.append(prefix) }
        transcript.append(hello.message.bytes)
        transcript.append(m.bytes)

        var log: [DerivationStep] = []
        // PSK (RFC 8446 §4.2.11).
        var resumed = false
        let early: TLS13KeySchedule.EarlyStage
        if case .selectedPSK(let index) = sh.extensions.body(of: .preSharedKey) {
            guard let psk = hello.offeredPSK, index == 0 else {
                throw HandshakeFailure(.illegalParameter, "the server selected PSK \(index), which the client did not offer")
            }
            guard psk.suite.prfHash == suite.prfHash else {
                throw HandshakeFailure(
                    .illegalParameter, "the server chose \(suite.suite), whose hash does not match the PSK's (RFC 8446 §4.2.11)")
            }
            resumed = true
            early = psk.early
            actions.append(.note("The server accepted the PSK: this handshake resumes the earlier session, with no certificate."))
        } else {
            early = TLS13KeySchedule.EarlyStage(hash: suite.prfHash, psk: nil, log: &log)
            if hello.offeredPSK != nil {
                actions.append(.note("The server did not accept the PSK: a full handshake follows."))
            }
        }
        // Key share (RFC 8446 §4.2.8).
        var shared: [UInt8]?
        var group: NamedGroup?
        if case .keyShare(let share) = sh.extensions.body(of: .keyShare) {
            guard let mine = hello.keyShares.first(where: { $0.group == share.group }) else {
                throw HandshakeFailure(
                    .illegalParameter, "the server's key share is for \(share.group), for which the client sent no share")
            }
            let secret = try mine.sharedSecret(peerPublicKey: share.keyExchange)
            log.append(
                DerivationStep(
                    name: "shared_secret", formula: "ECDH(client_key_share_private, server key_share) — \(share.group)",
                    inputs: [
                        DerivationInput("client_key_share_private", mine.privateKey, source: "client key share"),
                        DerivationInput("server_public_key", share.keyExchange, source: "ServerHello.key_share"),
                    ], output: secret,
                    note: "The (EC)DHE shared secret: both sides compute the same value; an eavesdropper cannot."))
            shared = secret
            group = share.group
        } else if !(resumed && configuration.pskModes.contains(.pskKE)) {
            throw HandshakeFailure(.missingExtension, "the TLS 1.3 ServerHello has no key_share")
        } else {
            actions.append(
                .note("psk_ke: no (EC)DHE at all — the keys come from the PSK alone, so this session has no forward secrecy."))
        }
        let handshake = early.handshakeStage(sharedSecret: shared, log: &log)
        let helloHash = transcript.current()
        let keys = handshake.trafficKeys(suite: suite, transcriptHash: helloHash, log: &log)
        let (serverKeys, clientKeys) = (keys.server, keys.client)
        let (serverFinishedKey, clientFinishedKey) = (keys.serverFinishedKey, keys.clientFinishedKey)
        actions.derive(log)
        actions.append(
            .installReadProtection(
                RecordProtection(tls13: suite, key: serverKeys.key, iv: serverKeys.iv),
                label: "server_handshake_traffic keys"))
        var c = Client13(
            hello: hello, suite: suite, transcript: transcript, group: group, handshake: handshake,
            clientHandshakeKeys: clientKeys, clientFinishedKey: clientFinishedKey,
            serverFinishedKey: serverFinishedKey)
        c.resumed = resumed
        if hello.earlyData != nil && resumed {
            // The answer to the early data comes in EncryptedExtensions; until then the client keeps its early keys.
            c.earlyDataPending = true
        } else {
            if hello.earlyData != nil { actions.append(.earlyDataResult(accepted: false)) }
            // From now on anything the client sends (an alert, or its Finished) is protected with its handshake
            // keys; the compatibility ChangeCipherSpec, if any, still goes out in the clear (RFC 8446 §5, §D.4).
            actions.append(.installWriteProtection(c.handshakeWriteProtection, label: "client_handshake_traffic keys"))
        }
        state = .expectEncryptedExtensions(c)
    }

    // MARK: - After ServerHello

    mutating func step13(_ input: HandshakeInput, _ actions: inout [HandshakeAction]) throws {
        switch (state, input) {
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
            if c.earlyDataPending {
                c.earlyDataPending = false
                c.earlyDataAccepted = ee.extensions.contains(.earlyData)
                if c.earlyDataAccepted {
                    actions.append(.note("The server accepted the 0-RTT data (early_data in EncryptedExtensions)."))
                } else {
                    actions.append(.earlyDataResult(accepted: false))
                    actions.append(.installWriteProtection(c.handshakeWriteProtection, label: "client_handshake_traffic keys"))
                }
            }
            state = c.resumed ? .expectFinished13(c) : .expectCertificateOrRequest13(c)
        case (.expectCertificateOrRequest13(var c), .message(let m)):
            switch m.body {
            case .certificateRequest13(let request):
                // RFC 8446 §4.3.2: "The signature_algorithms extension MUST be specified".
                guard request.extensions.contains(.signatureAlgorithms) else {
                    throw HandshakeFailure(
                        .missingExtension,
                        "the CertificateRequest has no signature_algorithms extension, which RFC 8446 §4.3.2 requires")
                }
                c.transcript.append(m.bytes)
                c.certificateRequest = request
                actions.append(
                    .note(
                        configuration.credential == nil
                            ? "The server asks for a client certificate, and this client has none: it will send an empty Certificate."
                            : "The server asks for a client certificate (mutual TLS)."))
                state = .expectCertificate13(c)
            case .certificate13:
                state = .expectCertificate13(c)
                try step13(input, &actions)
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
            state = .connected13(try finishHandshake13(&c, &actions))
        case (_, .changeCipherSpec):
            throw HandshakeFailure(.unexpectedMessage, "received ChangeCipherSpec while in \(state.name)")
        case (_, .message(let m)):
            throw HandshakeFailure.unexpected(m.type, expecting: "nothing in state \(state.name)")
        case (_, .verdict):
            throw HandshakeFailure(.internalError, "a certificate verdict arrived in state \(state.name)")
        }
    }

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
                "the server's CertificateVerify signature does not verify: the server did not prove it holds the certificate's private key"
            )
        }
    }

    private mutating func finishHandshake13(_ c: inout Client13, _ actions: inout [HandshakeAction]) throws -> Connected13 {
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
        if c.earlyDataAccepted {
            // RFC 8446 §4.5: EndOfEarlyData, still under the early keys, then the handshake keys.
            let eoed = HandshakeMessage(.endOfEarlyData)
            actions.append(.send(eoed))
            c.transcript.append(eoed.bytes)
            actions.append(.installWriteProtection(c.handshakeWriteProtection, label: "client_handshake_traffic keys"))
        }
        if configuration.middleboxCompatibility && !sentCompatibilityCCS {
            actions.append(.sendChangeCipherSpec)
            sentCompatibilityCCS = true
        }
        if let request = c.certificateRequest {
            try sendClientCertificate13(&c, request, &actions)
        }
        let verify = TLS13KeySchedule.verifyData(
            hash: hash, finishedKey: c.clientFinishedKey, transcriptHash: c.transcript.current(),
            name: "client_verify_data", log: &log)
        let finished = HandshakeMessage(.finished(Finished(verifyData: verify)))
        c.transcript.append(finished.bytes)
        let resumption = master.resumptionMasterSecret(transcriptHash: c.transcript.current(), log: &log)
        actions.derive(log)
        actions.append(.send(finished))
        actions.append(
            .installWriteProtection(
                RecordProtection(tls13: c.suite, key: clientApp.key, iv: clientApp.iv),
                label: "client_application_traffic keys"))
        var parameters = NegotiatedParameters(
            version: .tls13, cipherSuite: c.suite.suite, group: c.group,
            serverSignatureScheme: c.serverSignatureScheme,
            keyExchange: c.resumed ? (c.group == nil ? "PSK only" : "PSK + (EC)DHE") : "(EC)DHE",
            clientAuthenticated: c.clientAuthenticated, serverName: configuration.serverName)
        parameters.resumed = c.resumed
        parameters.helloRetry = c.hello.retry != nil
        actions.append(.completed(parameters))
        if c.earlyDataAccepted { actions.append(.earlyDataResult(accepted: true)) }
        return Connected13(
            suite: c.suite, resumptionMasterSecret: resumption, clientApplicationSecret: cAP,
            serverApplicationSecret: sAP, serverName: configuration.serverName)
    }

    private func sendClientCertificate13(
        _ c: inout Client13, _ request: CertificateRequest13, _ actions: inout [HandshakeAction]
    ) throws {
        let chain = configuration.credential?.chain ?? []
        let cert = HandshakeMessage(
            .certificate13(Certificate13(context: request.context, entries: chain.map { CertificateEntry(data: $0) })))
        actions.append(.send(cert))
        c.transcript.append(cert.bytes)
        guard let credential = configuration.credential else { return }
        var offered: [SignatureScheme] = []
        if case .signatureAlgorithms(let schemes) = request.extensions.body(of: .signatureAlgorithms) {
            offered = schemes
        }
        guard
            let scheme = chooseScheme(
                preferred: configuration.signatureSchemes.filter(allowedIn13), peerOffered: offered,
                keySchemes: credential.privateKey.supportedSchemes)
        else {
            throw HandshakeFailure(
                .handshakeFailure, "no signature scheme both the server accepts and the client's key can make")
        }
        let content = TLS13Signing.certificateVerifyContent(server: false, transcriptHash: c.transcript.current())
        let signature = try credential.privateKey.sign(content, scheme: scheme)
        if let note = randomizedSignatureNote(scheme) { actions.append(.note(note)) }
        let cv = HandshakeMessage(.certificateVerify(CertificateVerify(scheme: scheme, signature: signature)))
        actions.append(.send(cv))
        c.transcript.append(cv.bytes)
        c.clientAuthenticated = true
    }
}
