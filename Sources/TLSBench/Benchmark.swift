import Foundation
import TLSCrypto
import TLSExport
import TLSHandshake
import TLSPKI
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

#if canImport(Glibc)
import Glibc
#endif

/// CPU time of this process (all threads), in microseconds.
public func processCPUMicroseconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1_000_000 + Double(ts.tv_nsec) / 1000
}

/// Resident set size now, in bytes (from /proc/self/statm).
public func residentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
    return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
}

/// Peak resident set size so far, in bytes (VmHWM).
public func peakResidentBytes() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return 0 }
    let kb = line.split(separator: " ").compactMap { Int($0) }.first ?? 0
    return kb * 1024
}

/// The median of a non-empty list.
public func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/// One handshake configuration of the benchmark.
public struct BenchConfiguration: Sendable {
    public let name: String
    public let scenario: Scenario
    public let setup: ScenarioSetup
    /// The public-key operations this handshake needs, on both sides, run once.
    public let publicKeyWork: @Sendable () throws -> Void
    /// What `publicKeyWork` does, for the report.
    public let publicKeyDescription: String
}

public struct BenchLine: Sendable {
    public var name: String
    public var handshakeMicroseconds: Double
    public var publicKeyMicroseconds: Double
    public var ratio: Double { publicKeyMicroseconds > 0 ? handshakeMicroseconds / publicKeyMicroseconds : 0 }
    public var publicKeyDescription: String
}

/// `tlslab bench`: full recorded in-process handshakes (every byte and secret kept, as in a normal run) against
/// the cost of the public-key operations the same handshake needs.
public enum Benchmark {
    /// The four configurations the issue names.
    public static func configurations(catalog: ScenarioCatalog) throws -> [BenchConfiguration] {
        func make(_ name: String, from base: String, edit: (inout Scenario) -> Void = { _ in }) throws
            -> (Scenario, ScenarioSetup)
        {
            var scenario = try catalog.resolve(base)
            edit(&scenario)
            scenario.name = name
            return (scenario, try ScenarioSetup(scenario))
        }
        let (rsa, rsaSetup) = try make("TLS 1.2 RSA key exchange", from: "tls12-rsa")
        let (ecdhe, ecdheSetup) = try make("TLS 1.2 ECDHE-RSA x25519", from: "tls12-ecdhe-rsa")
        let (pss, pssSetup) = try make("TLS 1.3 x25519, RSA-PSS", from: "tls13")
        let (ecdsa, ecdsaSetup) = try make("TLS 1.3 x25519, ECDSA P-256", from: "tls13-p256-ecdsa") {
            $0.client.groups = [.x25519]
            $0.client.keyShares = [.x25519]
            $0.server.groups = [.x25519]
            $0.client.cipherSuites = [.TLS_AES_128_GCM_SHA256]
            $0.server.cipherSuites = [.TLS_AES_128_GCM_SHA256]
        }
        let caDER = try PKI.loadPEMCertificates(
            String(contentsOf: rsa.pkiDirectory.appendingPathComponent("ca.pem"), encoding: .utf8))[0]
        return [
            BenchConfiguration(
                name: rsa.name, scenario: rsa, setup: rsaSetup,
                publicKeyWork: try rsaKeyExchangeWork(rsaSetup, ca: caDER),
                publicKeyDescription: "RSA-2048 encrypt + decrypt, certificate signature verify"),
            BenchConfiguration(
                name: ecdhe.name, scenario: ecdhe, setup: ecdheSetup,
                publicKeyWork: try signedECDHEWork(ecdheSetup, ca: caDER, group: .x25519, scheme: .rsa_pkcs1_sha256),
                publicKeyDescription: "2 x25519 keys + 2 ECDH, RSA PKCS#1 sign + verify, certificate verify"),
            BenchConfiguration(
                name: pss.name, scenario: pss, setup: pssSetup,
                publicKeyWork: try signedECDHEWork(pssSetup, ca: caDER, group: .x25519, scheme: .rsa_pss_rsae_sha256),
                publicKeyDescription: "2 x25519 keys + 2 ECDH, RSA-PSS sign + verify, certificate verify"),
            BenchConfiguration(
                name: ecdsa.name, scenario: ecdsa, setup: ecdsaSetup,
                publicKeyWork: try signedECDHEWork(ecdsaSetup, ca: caDER, group: .x25519, scheme: .ecdsa_secp256r1_sha256),
                publicKeyDescription: "2 x25519 keys + 2 ECDH, ECDSA P-256 sign + verify, certificate verify"),
        ]
    }

    /// RSA key exchange: the client encrypts, the server decrypts; the client checks the CA's signature.
    static func rsaKeyExchangeWork(_ setup: ScenarioSetup, ca: [UInt8]) throws -> @Sendable () throws -> Void {
        let credential = setup.server.credential
        let publicKey = try VerifyingKey(spki: PKI.subjectPublicKeyInfo(der: credential.chain[0]))
        let check = try CertificateSignatureCheck(certificate: credential.chain[0], issuer: ca)
        let premaster = [UInt8](repeating: 3, count: 48)
        let padding = [UInt8](repeating: 0x5a, count: 256)
        return {
            let (_, ciphertext) = try publicKey.rsaEncryptPKCS1(premaster, padding: padding)
            _ = try credential.privateKey.rsaDecryptRaw(ciphertext)
            guard check.verify() else { throw BenchError("certificate signature does not verify") }
        }
    }

    /// (EC)DHE signed by the server: two key pairs and two ECDH, one signature made and checked, one
    /// certificate signature checked.
    static func signedECDHEWork(_ setup: ScenarioSetup, ca: [UInt8], group: NamedGroup, scheme: SignatureScheme) throws
        -> @Sendable () throws -> Void
    {
        let credential = setup.server.credential
        let publicKey = try VerifyingKey(spki: PKI.subjectPublicKeyInfo(der: credential.chain[0]))
        let check = try CertificateSignatureCheck(certificate: credential.chain[0], issuer: ca)
        let message = [UInt8](repeating: 0x42, count: 130)
        return {
            let a = try EphemeralKeyPair(group: group, privateKey: [UInt8](repeating: 0x11, count: 32))
            let b = try EphemeralKeyPair(group: group, privateKey: [UInt8](repeating: 0x22, count: 32))
            _ = try a.sharedSecret(peerPublicKey: b.publicKey)
            _ = try b.sharedSecret(peerPublicKey: a.publicKey)
            let signature = try credential.privateKey.sign(message, scheme: scheme)
            guard publicKey.isValidSignature(signature, for: message, scheme: scheme) else {
                throw BenchError("signature does not verify")
            }
            guard check.verify() else { throw BenchError("certificate signature does not verify") }
        }
    }

    /// Runs `iterations` handshakes and as many public-key rounds, interleaved in batches so both see the same
    /// machine state; reports the medians.
    public static func measure(_ configuration: BenchConfiguration, iterations: Int) async throws -> BenchLine {
        // Warm up (first-use costs: lazy tables, caches, the allocator, the CPU's clock).
        for _ in 0..<max(10, iterations / 10) {
            _ = try await Simulator.run(configuration.scenario, setup: configuration.setup)
            try configuration.publicKeyWork()
        }
        var handshakes: [Double] = []
        var publicKey: [Double] = []
        handshakes.reserveCapacity(iterations)
        publicKey.reserveCapacity(iterations)
        for i in 0..<iterations {
            let seed = UInt64(i + 1)
            let start = processCPUMicroseconds()
            let transcript = try await Simulator.run(configuration.scenario, seed: seed, setup: configuration.setup)
            handshakes.append(processCPUMicroseconds() - start)
            guard transcript.outcome.status == .completed else {
                throw BenchError("\(configuration.name): the handshake did not complete: \(transcript.outcome.reason ?? "")")
            }
            let pkStart = processCPUMicroseconds()
            try configuration.publicKeyWork()
            publicKey.append(processCPUMicroseconds() - pkStart)
        }
        return BenchLine(
            name: configuration.name, handshakeMicroseconds: median(handshakes),
            publicKeyMicroseconds: median(publicKey), publicKeyDescription: configuration.publicKeyDescription)
    }
}

public struct BenchError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Where a handshake's time goes: the bare protocol (two Connections, no simulator, no transcript), certificate
/// validation alone, and decoding the messages into field trees (what the transcript adds).
public struct Breakdown: Sendable {
    public var bareHandshake: Double
    public var certificateValidation: Double
    public var fieldTrees: Double
    public var fullRecordedRun: Double
    /// The handshake's symmetric cryptography done on its own (`SymmetricWork`), and what it covers.
    public var symmetricWork: Double
    public var symmetricSummary: String
}

extension Benchmark {
    /// Two `Connection`s exchanging bytes directly: the protocol's own cost.
    static func bareHandshake(_ configuration: BenchConfiguration, seed: UInt64) async throws {
        var client = Connection(
            client: configuration.setup.client, random: RandomSource(seed: seed, stream: "client"))
        var server = Connection(
            server: configuration.setup.server, random: RandomSource(seed: seed, stream: "server"))
        var toServer: [UInt8] = []
        var toClient: [UInt8] = []
        func collect(_ events: [ConnectionEvent], into out: inout [UInt8]) -> [CertificateValidationRequest] {
            var requests: [CertificateValidationRequest] = []
            for event in events {
                switch event {
                case .record(let r) where r.direction == .sent: out += r.record.bytes
                case .validationNeeded(let request): requests.append(request)
                default: break
                }
            }
            return requests
        }
        for request in collect(client.start(), into: &toServer) {
            _ = collect(client.provide(await request.perform()), into: &toServer)
        }
        var rounds = 0
        while (!toServer.isEmpty || !toClient.isEmpty) && rounds < 20 {
            rounds += 1
            let s = toServer
            toServer = []
            var requests = collect(server.receive(s), into: &toClient)
            for request in requests { _ = collect(server.provide(await request.perform()), into: &toClient) }
            let c = toClient
            toClient = []
            requests = collect(client.receive(c), into: &toServer)
            for request in requests { _ = collect(client.provide(await request.perform()), into: &toServer) }
        }
        guard client.status == .connected, server.status == .connected else {
            throw BenchError("\(configuration.name): the bare handshake did not complete")
        }
    }

    public static func breakdown(_ configuration: BenchConfiguration, iterations: Int) async throws -> Breakdown {
        let transcript = try await Simulator.run(configuration.scenario, setup: configuration.setup)
        let chain = configuration.setup.server.credential.chain
        let request = CertificateValidationRequest(
            chain: chain, trustAnchors: configuration.setup.client.trustAnchors,
            hostname: configuration.setup.client.serverName, date: configuration.setup.client.clock,
            purpose: .serverAuth)
        var bare: [Double] = []
        var validation: [Double] = []
        var trees: [Double] = []
        var full: [Double] = []
        var symmetric: [Double] = []
        guard let symmetricWork = SymmetricWork(transcript) else {
            throw BenchError("\(configuration.name): the handshake negotiated no cipher suite")
        }
        for i in 0..<iterations {
            var start = processCPUMicroseconds()
            try await bareHandshake(configuration, seed: UInt64(i + 1))
            bare.append(processCPUMicroseconds() - start)
            start = processCPUMicroseconds()
            _ = await request.perform()
            validation.append(processCPUMicroseconds() - start)
            start = processCPUMicroseconds()
            for m in transcript.messages {
                _ = try? HandshakeMessage.decode(m.bytes, context: DecodeContext(version: nil))
            }
            trees.append(processCPUMicroseconds() - start)
            start = processCPUMicroseconds()
            _ = try await Simulator.run(configuration.scenario, seed: UInt64(i + 1), setup: configuration.setup)
            full.append(processCPUMicroseconds() - start)
            start = processCPUMicroseconds()
            try symmetricWork.run()
            symmetric.append(processCPUMicroseconds() - start)
        }
        return Breakdown(
            bareHandshake: median(bare), certificateValidation: median(validation), fieldTrees: median(trees),
            fullRecordedRun: median(full), symmetricWork: median(symmetric), symmetricSummary: symmetricWork.summary)
    }
}

/// The symmetric cryptography a recorded handshake did, done again on its own from its transcript: every
/// derivation step recomputed with the same primitive (HKDF-Extract / HKDF-Expand / HMAC for TLS 1.3, the PRF for
/// TLS 1.2), every protected record sealed and opened once (same sizes, same cipher), every handshake message fed
/// to a transcript hash on both sides. With the public-key work this is what any implementation of the same
/// handshake has to compute, however little bookkeeping it does.
public struct SymmetricWork: Sendable {
    let hash: HashAlgorithm
    let suite: CipherSuiteInfo
    let steps: [DerivationStep]
    let tls13: Bool
    let records: [(type: ContentType, plaintext: [UInt8])]
    let messages: [[UInt8]]

    public init?(_ transcript: Transcript) {
        guard let name = transcript.negotiated?.cipherSuite, let suite = CipherSuite(name: name),
            let info = CipherSuiteInfo.info(suite)
        else { return nil }
        self.suite = info
        hash = info.prfHash
        steps = transcript.events.compactMap(\.derivation)
        tls13 = transcript.negotiated?.version == ProtocolVersion.tls13.description
        records = transcript.records.compactMap { r in
            guard r.encrypted, let plaintext = r.plaintext else { return nil }
            return (ContentType(name: r.innerContentType) ?? .applicationData, plaintext)
        }
        messages = transcript.messages.map(\.bytes)
    }

    /// How many derivation steps, records and messages it covers (derivations of both sides).
    public var summary: String {
        let computed = steps.filter { Self.kind(of: $0) != nil }.count
        return "\(computed) derivations, \(records.count) records sealed and opened, \(messages.count) messages hashed twice"
    }

    enum Kind { case extract, expand, hmac, prf }

    static func kind(of step: DerivationStep) -> Kind? {
        if step.formula.hasPrefix("HKDF-Extract") { return .extract }
        if step.formula.hasPrefix("HKDF-Expand-Label") || step.formula.hasPrefix("Derive-Secret") { return .expand }
        if step.formula.hasPrefix("HMAC(") { return .hmac }
        if step.formula.hasPrefix("PRF(") { return .prf }
        return nil
    }

    /// Does the work; throws if a recomputed value differs from the recorded one (so the benchmark cannot
    /// silently measure something other than what the handshake did).
    public func run() throws {
        // HMAC keyed once per secret, as the handshake does (a secret gives several keys).
        var keyed: [ByteKey: HKDFKey] = [:]
        for step in steps {
            let output: [UInt8]
            switch Self.kind(of: step) {
            case .extract:
                guard step.inputs.count >= 2 else { continue }
                output = HKDFKey.extract(hash: hash, salt: step.inputs[0].value, ikm: step.inputs[1].value)
            case .expand:
                guard let info = step.labelBytes, let prk = step.inputs.first?.value else { continue }
                let key = keyed[ByteKey(prk)] ?? HKDFKey(hash: hash, prk: prk)
                keyed[ByteKey(prk)] = key
                output = key.expand(info: info, length: step.output.count)
            case .hmac:
                guard step.inputs.count >= 2 else { continue }
                output = hash.hmac(key: step.inputs[0].value, data: step.inputs[1].value)
            case .prf:
                guard let secret = step.inputs.first?.value, let label = step.label else { continue }
                output = TLS12PRF.prf(
                    hash: hash, secret: secret, label: label, seed: step.inputs.dropFirst().flatMap(\.value),
                    length: step.output.count)
            case nil:
                continue
            }
            guard output == step.output else { throw BenchError("recomputing \(step.name) gave another value") }
        }
        var sealer = protection()
        var opener = protection()
        for record in records {
            let (sealed, _) =
                tls13
                ? try sealer.seal(tls13InnerPlaintext: record.plaintext + [record.type.rawValue])
                : try sealer.seal(
                    contentType: record.type, plaintext: record.plaintext,
                    explicitIV: suite.cipher.isAEAD ? nil : [UInt8](repeating: 1, count: 16))
            guard try opener.open(sealed).1 == record.plaintext else {
                throw BenchError("a record sealed and opened again changed")
            }
        }
        for _ in 0..<2 {
            var transcriptHash = TranscriptHash(hashAlgorithm: hash)
            for message in messages { transcriptHash.append(message) }
            _ = transcriptHash.current()
        }
    }

    private func protection() -> RecordProtection {
        let key = [UInt8](repeating: 7, count: suite.keyLength)
        if tls13 {
            return RecordProtection(tls13: suite, key: key, iv: [UInt8](repeating: 9, count: 12))
        }
        let macKey = [UInt8](repeating: 5, count: suite.macHash?.outputLength ?? 0)
        let iv = [UInt8](repeating: 9, count: suite.cipher == .chacha20Poly1305 ? 12 : 4)
        return RecordProtection(tls12: suite, macKey: suite.cipher.isAEAD ? [] : macKey, key: key, iv: iv, encryptThenMAC: false)
    }
}
