import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSScenario
import TLSTranscript
import TLSWire

/// Why a scenario could not be set up (missing PEM files, bad keys) — before any byte is sent.
public struct SetupError: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var description: String { reason }
}

/// Turns a scenario into the two endpoints' configurations, loading its certificates and keys.
public struct ScenarioSetup: Sendable {
    public let client: ClientConfiguration
    public let server: ServerConfiguration

    public init(_ scenario: Scenario) throws {
        let pki = scenario.pkiDirectory
        func credential(_ name: String) throws -> Credential {
            do {
                return try Credential.load(name: name, directory: pki)
            } catch {
                throw SetupError(reason: "cannot load credential '\(name)' from \(pki.path): \(error)")
            }
        }
        func anchors(_ names: [String]) throws -> [[UInt8]] {
            try names.flatMap { name -> [[UInt8]] in
                let url = pki.appendingPathComponent("\(name).pem")
                do {
                    return try PKI.loadPEMCertificates(String(contentsOf: url, encoding: .utf8))
                } catch {
                    throw SetupError(reason: "cannot load trust anchor '\(name)' (\(url.path)): \(error)")
                }
            }
        }
        let c = scenario.client
        client = ClientConfiguration(
            versions: c.versions, cipherSuites: c.cipherSuites, groups: c.groups, keyShareGroups: c.keyShares,
            signatureSchemes: c.signatureAlgorithms, serverName: c.serverName, trustAnchors: try anchors(c.trust),
            clock: c.clock ?? scenario.clock, extendedMasterSecret: c.extendedMasterSecret,
            encryptThenMAC: c.encryptThenMAC, middleboxCompatibility: c.middleboxCompatibility,
            credential: try c.certificate.map(credential))
        let s = scenario.server
        server = ServerConfiguration(
            versions: s.versions, cipherSuites: s.cipherSuites, groups: s.groups,
            signatureSchemes: s.signatureAlgorithms, credential: try credential(s.certificate),
            extendedMasterSecret: s.extendedMasterSecret, encryptThenMAC: s.encryptThenMAC,
            clientAuthentication: ClientAuthentication(rawValue: s.clientAuth) ?? .none,
            trustAnchors: try anchors(s.trust), clock: scenario.clock)
    }
}

/// Runs a scenario: a client actor and a server actor exchange records through the recorded channel until both
/// are done; the result is the transcript.
public enum Simulator {
    public static func run(_ scenario: Scenario, seed: UInt64? = nil, rules: [any ChannelRule] = []) async throws
        -> Transcript
    {
        let setup = try ScenarioSetup(scenario)
        let seed = seed ?? scenario.seed
        let client = SimulatedPeer(
            connection: Connection(client: setup.client, random: RandomSource(seed: seed, stream: "client")))
        let server = SimulatedPeer(
            connection: Connection(server: setup.server, random: RandomSource(seed: seed, stream: "server")))
        let channel = RecordedChannel(rules: rules)
        var recorder = TranscriptRecorder(
            scenario: scenario.name, title: scenario.title, description: scenario.description, seed: seed,
            clock: scenario.clock, configuration: summary(scenario))
        var run = Run(
            client: client, server: server, channel: channel,
            request: Array(scenario.applicationData.request.utf8),
            response: Array(scenario.applicationData.response.utf8))
        try await run.go(&recorder)
        return recorder.finish(completed: run.clientGotResponse && run.failed == false)
    }

    static func summary(_ scenario: Scenario) -> ConfigurationSummary {
        let c = scenario.client
        let s = scenario.server
        return ConfigurationSummary(
            clientVersions: c.versions.map(\.description), clientCipherSuites: c.cipherSuites.map(\.description),
            clientGroups: c.groups.map(\.description),
            clientSignatureAlgorithms: c.signatureAlgorithms.map(\.description), serverName: c.serverName,
            serverVersions: s.versions.map(\.description), serverCipherSuites: s.cipherSuites.map(\.description),
            serverGroups: s.groups.map(\.description), serverCertificate: s.certificate,
            clientCertificate: c.certificate, extendedMasterSecret: c.extendedMasterSecret && s.extendedMasterSecret,
            encryptThenMAC: c.encryptThenMAC && s.encryptThenMAC)
    }

    /// The event pump. Records are delivered strictly in the order they were sent, so a scenario + seed always
    /// produces the same transcript.
    struct Run {
        let client: SimulatedPeer
        let server: SimulatedPeer
        let channel: RecordedChannel
        let request: [UInt8]
        let response: [UInt8]
        var queue: [(to: Side, index: Int, bytes: [UInt8])] = []
        var clientGotResponse = false
        var failed = false

        func peer(_ side: Side) -> SimulatedPeer { side == .client ? client : server }

        mutating func go(_ recorder: inout TranscriptRecorder) async throws {
            try await absorb(await client.start(), from: .client, &recorder)
            var guardCount = 0
            while !queue.isEmpty {
                guardCount += 1
                if guardCount > 10_000 { throw SetupError(reason: "the simulation did not settle (internal error)") }
                let (to, index, bytes) = queue.removeFirst()
                recorder.delivered(record: index, to: to)
                try await absorb(await peer(to).receive(bytes), from: to, &recorder)
            }
        }

        /// Records a batch of events from one side, then does what they call for (deliver records, validate
        /// certificates, answer with application data) — after the whole batch, so the transcript shows each
        /// side's events in the order the side produced them.
        mutating func absorb(_ events: [ConnectionEvent], from side: Side, _ recorder: inout TranscriptRecorder)
            async throws
        {
            enum FollowUp {
                case validate(CertificateValidationRequest)
                case send([UInt8])
                case close
            }
            var followUps: [FollowUp] = []
            for event in events {
                switch event {
                case .record(let record) where record.direction == .sent:
                    let (index, delivery) = await channel.transmit(record.record.bytes, from: side)
                    recorder.recordSent(by: side, record, index: index, delivery: delivery)
                    if let bytes = delivery.delivered { queue.append((side.peer, index, bytes)) }
                case .validationNeeded(let request):
                    recorder.add(event, side: side)
                    followUps.append(.validate(request))
                case .handshakeCompleted:
                    recorder.add(event, side: side)
                    if side == .client { followUps.append(.send(request)) }
                case .applicationData:
                    recorder.add(event, side: side)
                    if side == .server {
                        followUps.append(.send(response))
                    } else {
                        clientGotResponse = true
                        followUps.append(.close)
                    }
                case .alertSent(let alert, _):
                    recorder.add(event, side: side)
                    if alert.level == .fatal { failed = true }
                default:
                    recorder.add(event, side: side)
                }
            }
            for followUp in followUps {
                switch followUp {
                case .validate(let request):
                    let verdict = await request.perform()
                    recorder.validation(verdict, side: side)
                    try await absorb(await peer(side).provide(verdict), from: side, &recorder)
                case .send(let data):
                    try await absorb(await peer(side).send(applicationData: data), from: side, &recorder)
                case .close:
                    try await absorb(await peer(side).close(), from: side, &recorder)
                }
            }
        }
    }
}
