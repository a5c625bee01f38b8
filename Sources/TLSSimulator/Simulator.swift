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
        var client = ClientConfiguration(
            versions: c.versions, cipherSuites: c.cipherSuites, groups: c.groups, keyShareGroups: c.keyShares,
            signatureSchemes: c.signatureAlgorithms, serverName: c.serverName, trustAnchors: try anchors(c.trust),
            clock: c.clock ?? scenario.clock, extendedMasterSecret: c.extendedMasterSecret,
            encryptThenMAC: c.encryptThenMAC, middleboxCompatibility: c.middleboxCompatibility,
            credential: try c.certificate.map(credential))
        client.sessionTickets = c.sessionTickets
        client.pskModes = c.pskModes
        self.client = client
        let s = scenario.server
        var server = ServerConfiguration(
            versions: s.versions, cipherSuites: s.cipherSuites, groups: s.groups,
            signatureSchemes: s.signatureAlgorithms, credential: try credential(s.certificate),
            extendedMasterSecret: s.extendedMasterSecret, encryptThenMAC: s.encryptThenMAC,
            clientAuthentication: ClientAuthentication(rawValue: s.clientAuth) ?? .none,
            trustAnchors: try anchors(s.trust), clock: scenario.clock)
        server.sessionTickets = s.sessionTickets
        server.sessionCache = s.sessionCache
        server.maxEarlyData = s.maxEarlyData
        server.antiReplay = s.antiReplay
        server.helloRetryCookie = s.helloRetryCookie
        self.server = server
    }
}

/// Runs a scenario: for each of its connections, a client actor and a server actor exchange records through the
/// recorded channel until both are done; the result is the transcript.
public enum Simulator {
    /// Time between two connections of a scenario (tickets age by this much).
    static let connectionSpacing: TimeInterval = 10

    /// `setup`: the scenario's loaded certificates and keys, when the caller keeps them across runs (as a server
    /// keeps its key loaded); loaded from the scenario's PKI folder otherwise.
    public static func run(
        _ scenario: Scenario, seed: UInt64? = nil, setup preloaded: ScenarioSetup? = nil,
        rules extraRules: [any ChannelRule] = []
    ) async throws -> Transcript {
        let setup = try preloaded ?? ScenarioSetup(scenario)
        let seed = seed ?? scenario.seed
        let channel = RecordedChannel(rules: scenario.channel.map { ScenarioChannelRule($0) } + extraRules)
        var recorder = TranscriptRecorder(
            scenario: scenario.name, title: scenario.title, description: scenario.description, seed: seed,
            clock: scenario.clock, configuration: summary(scenario))
        recorder.setLab(
            scenario.lab.map { LabInfo(symptom: $0.symptom, cause: $0.cause, fix: $0.fix, inPractice: $0.inPractice) })
        var memory = ServerSessionMemory(
            ticketKey: scenario.server.sessionTickets
                ? { var r = RandomSource(seed: seed, stream: "server-ticket-key"); return r.bytes(32, label: "ticket_key") }()
                : nil)
        var session: ClientSession?
        var firstFlights: [[RecordEvent]] = []
        for (i, spec) in scenario.connections.enumerated() {
            let label = spec.label ?? defaultLabel(spec, index: i)
            recorder.beginConnection(i, label: label)
            await channel.begin(connection: i)
            let offset = Self.connectionSpacing * Double(i)
            var server = setup.server
            server.clock = scenario.clock.addingTimeInterval(offset)
            server.memory = memory
            if spec.rejectEarlyData { server.maxEarlyData = 0 }
            let suffix = i == 0 ? "" : "#\(i + 1)"
            let serverPeer = SimulatedPeer(
                connection: Connection(server: server, random: RandomSource(seed: seed, stream: "server" + suffix)))
            if let replayed = spec.replayOf {
                var run = Run(client: nil, server: serverPeer, channel: channel, request: [], response: [])
                let flight = replayed - 1 < firstFlights.count ? firstFlights[replayed - 1] : []
                try await run.replay(flight, &recorder)
                memory.absorb(run.serverMemoryEvents)
                firstFlights.append([])
                recorder.endConnection(completed: false)
                continue
            }
            var client = setup.client
            client.clock = client.clock.addingTimeInterval(offset)
            if spec.resume { client.session = session }
            client.earlyData = spec.earlyData.map { Array($0.utf8) }
            let clientPeer = SimulatedPeer(
                connection: Connection(client: client, random: RandomSource(seed: seed, stream: "client" + suffix)))
            var run = Run(
                client: clientPeer, server: serverPeer, channel: channel,
                request: Array(scenario.applicationData.request.utf8),
                response: Array(scenario.applicationData.response.utf8))
            run.keyUpdate = spec.keyUpdate
            run.earlyDataSent = client.earlyData != nil && client.session != nil
            try await run.go(&recorder)
            memory.absorb(run.serverMemoryEvents)
            if let established = run.session { session = established }
            firstFlights.append(run.clientFirstFlight)
            recorder.endConnection(completed: run.clientGotResponse && !run.failed)
        }
        if let eavesdropper = scenario.eavesdropper, eavesdropper.serverKeyLeaked {
            Eavesdropper.analyze(recorder.current, serverKey: setup.server.credential.privateKey, into: &recorder)
        }
        return recorder.finish()
    }

    static func defaultLabel(_ spec: ConnectionSpec, index: Int) -> String {
        if let replay = spec.replayOf { return "connection \(index + 1): an attacker replays connection \(replay)'s first flight" }
        if spec.earlyData != nil { return "connection \(index + 1): resumed, with 0-RTT data" }
        if spec.resume { return "connection \(index + 1): resumed" }
        return "connection \(index + 1)"
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

    /// The event pump of one connection. Records are delivered strictly in the order they were sent, so a
    /// scenario + seed always produces the same transcript.
    struct Run {
        let client: SimulatedPeer?
        let server: SimulatedPeer
        let channel: RecordedChannel
        let request: [UInt8]
        let response: [UInt8]
        var keyUpdate = false
        var earlyDataSent = false
        var earlyDataAccepted = false
        var queue: [(to: Side, index: Int, bytes: [UInt8])] = []
        var clientGotResponse = false
        var serverOwesResponse = false
        var failed = false
        /// What the client sent before it heard anything back (an attacker could replay it).
        var clientFirstFlight: [RecordEvent] = []
        var clientHeardBack = false
        var session: ClientSession?
        var serverMemoryEvents: [ConnectionEvent] = []
        /// Replays: the server's answers go nowhere.
        var deliverToClient = true

        func peer(_ side: Side) -> SimulatedPeer? { side == .client ? client : server }

        mutating func go(_ recorder: inout TranscriptRecorder) async throws {
            guard let client else { return }
            try await absorb(await client.start(), from: .client, &recorder)
            try await pump(&recorder)
        }

        /// An attacker sends recorded records again to a fresh server; whatever the server answers goes nowhere.
        mutating func replay(_ flight: [RecordEvent], _ recorder: inout TranscriptRecorder) async throws {
            deliverToClient = false
            recorder.channelNote(
                "An attacker who recorded the earlier connection sends its first flight again (\(flight.count) record\(flight.count == 1 ? "" : "s")), hoping the server will act on the early data twice."
            )
            for record in flight {
                let index = await channel.inject()
                recorder.recordSent(by: .client, record, index: index, delivery: ChannelDelivery(delivered: record.record.bytes, note: "replayed by an attacker"))
                queue.append((.server, index, record.record.bytes))
            }
            try await pump(&recorder)
            recorder.channelNote(
                "The attacker cannot go further: it does not know the keys, so it cannot produce the client's Finished.")
        }

        mutating func pump(_ recorder: inout TranscriptRecorder) async throws {
            var guardCount = 0
            while !queue.isEmpty {
                guardCount += 1
                if guardCount > 10_000 { throw SetupError(reason: "the simulation did not settle (internal error)") }
                let (to, index, bytes) = queue.removeFirst()
                guard let receiver = peer(to) else { continue }
                if to == .client { clientHeardBack = true }
                recorder.delivered(record: index, to: to)
                try await absorb(await receiver.receive(bytes), from: to, &recorder)
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
                case updateKeys
                case close
            }
            var followUps: [FollowUp] = []
            for event in events {
                switch event {
                case .record(let record) where record.direction == .sent:
                    if side == .client && !clientHeardBack { clientFirstFlight.append(record) }
                    let (index, delivery) = await channel.transmit(record, from: side)
                    recorder.recordSent(by: side, record, index: index, delivery: delivery)
                    if side == .server && !deliverToClient { continue }
                    if let bytes = delivery.delivered {
                        queue.append((side.peer, index, bytes))
                        if delivery.twice { queue.append((side.peer, index, bytes)) }
                    }
                case .validationNeeded(let request):
                    recorder.add(event, side: side)
                    followUps.append(.validate(request))
                case .handshakeCompleted:
                    recorder.add(event, side: side)
                    if side == .client {
                        if keyUpdate { followUps.append(.updateKeys) }
                        followUps.append(.send(request))
                    } else if serverOwesResponse {
                        serverOwesResponse = false
                        followUps.append(.send(response))
                    }
                case .earlyDataReceived:
                    recorder.add(event, side: side)
                    serverOwesResponse = true
                case .earlyDataResult(let accepted):
                    recorder.add(event, side: side)
                    earlyDataAccepted = accepted
                case .applicationData:
                    recorder.add(event, side: side)
                    if side == .server {
                        followUps.append(.send(response))
                    } else {
                        clientGotResponse = true
                        followUps.append(.close)
                    }
                case .sessionEstablished(let established):
                    recorder.add(event, side: side)
                    session = established
                case .sessionCached, .ticketUsed:
                    recorder.add(event, side: side)
                    serverMemoryEvents.append(event)
                case .alertSent(let alert, _):
                    recorder.add(event, side: side)
                    if alert.level == .fatal { failed = true }
                default:
                    recorder.add(event, side: side)
                }
            }
            for followUp in followUps {
                guard let me = peer(side) else { continue }
                switch followUp {
                case .validate(let request):
                    let verdict = await request.perform()
                    recorder.validation(verdict, side: side)
                    try await absorb(await me.provide(verdict), from: side, &recorder)
                case .send(let data):
                    // Accepted 0-RTT data was the request already: the client does not send it again.
                    if side == .client && earlyDataSent && earlyDataAccepted { continue }
                    try await absorb(await me.send(applicationData: data), from: side, &recorder)
                case .updateKeys:
                    try await absorb(await me.updateKeys(), from: side, &recorder)
                case .close:
                    try await absorb(await me.close(), from: side, &recorder)
                }
            }
        }
    }
}

extension ServerSessionMemory {
    /// Applies what a server connection reported (new cached sessions, used tickets).
    mutating func absorb(_ events: [ConnectionEvent]) {
        for event in events {
            switch event {
            case .sessionCached(let id, let state): cache[id] = state
            case .ticketUsed(let ticket): usedTickets.insert(ticket)
            default: break
            }
        }
    }
}
