import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSScenario
import TLSSimulator
import TLSWire

/// One record a side sent during a live run, with what the fuzz harness needs to send it again (possibly
/// changed): its bytes, its real content type and plaintext, and which of the sender's key epochs protected it.
public struct CapturedRecord: Sendable, Equatable {
    /// The record exactly as it went on the wire.
    public var bytes: [UInt8]
    /// 0: sent in the clear; n ≥ 1: protected with the sender's n-th write keys (`Fixture.Endpoint.epochs[n]`).
    public var epoch: Int
    /// The real content type (inside a TLS 1.3 record, the inner type).
    public var contentType: ContentType
    public var plaintext: [UInt8]
}

/// One connection of a catalog scenario, run live once (client and server `Connection`s pumped against each other
/// with the scenario's configurations, seed and connection options, exactly as `Simulator.run` does), and kept so
/// that a fuzz input can be fed to a copy of either endpoint in its initial state.
///
/// Because a scenario + seed is deterministic, the copy of the client behaves exactly like the client that produced
/// the golden transcript `Tests/TLSSimulatorTests/Golden/<scenario>.json`: fed the golden's server records, it
/// completes the handshake. That is what makes the golden records good seeds.
public struct Fixture: Sendable {
    public struct Endpoint: Sendable {
        /// The connection before it received anything (the client after `start()`).
        public var initial: Connection
        /// Records this side sent during the live run, in order.
        public var sent: [CapturedRecord]
        /// The protections this side wrote with: index 0 is "no protection" (nil), then one per key change, with a
        /// fresh sequence number. Used to protect changed records exactly as this side would have.
        public var epochs: [RecordProtection?]
    }

    public var scenario: String
    /// 0-based index of the connection in the scenario.
    public var connection: Int
    public var client: Endpoint
    public var server: Endpoint
    /// What the client negotiated (nil if the live handshake did not complete).
    public var negotiated: NegotiatedParameters?

    public var name: String { connection == 0 ? scenario : "\(scenario)#\(connection + 1)" }

    public func endpoint(_ side: Side) -> Endpoint { side == .client ? client : server }
}

/// The fixtures every stateful fuzz target draws from, built once per process.
public enum Fixtures {
    /// Catalog scenarios with a golden transcript (deterministic: the golden records replay exactly) and a
    /// handshake that completes, covering TLS 1.2 RSA / ECDHE with GCM, CBC (encrypt-then-MAC) and ChaCha20, session
    /// ID and ticket resumption, client certificate requests, and TLS 1.3 with HelloRetryRequest, PSK resumption
    /// (psk_dhe_ke and psk_ke), 0-RTT accepted and rejected, and KeyUpdate.
    public static let scenarioNames = [
        "tls13-ed25519-chacha", "tls13-hrr", "tls13-key-update", "tls13-resumption", "tls13-resumption-psk-ke",
        "tls13-0rtt", "tls13-0rtt-rejected", "lab-missing-client-cert-tls13",
        "tls12-ecdhe-rsa", "tls12-rsa", "tls12-rsa-gcm", "tls12-ecdhe-rsa-cbc", "tls12-chacha",
        "tls12-resumption-session-id", "tls12-resumption-ticket", "lab-missing-client-cert-tls12",
    ]

    /// Every connection of every scenario above (replayed-flight connections excepted), in a fixed order: a fuzz
    /// input's first byte picks one by index, so this order is part of the seed format.
    public static let all: [Fixture] = {
        guard let directory = ScenarioCatalog.defaultDirectory() else {
            fatalError("TLSFuzzSupport: cannot find the Scenarios folder (set TLSLAB_SCENARIOS)")
        }
        let catalog = ScenarioCatalog(directory: directory)
        var out: [Fixture] = []
        for name in scenarioNames {
            do {
                out += try LiveRun.fixtures(for: catalog.resolve(name))
            } catch {
                fatalError("TLSFuzzSupport: scenario \(name) cannot be set up: \(error)")
            }
        }
        return out
    }()

    public static func index(scenario: String, connection: Int) -> Int? {
        all.firstIndex { $0.scenario == scenario && $0.connection == connection }
    }
}

/// A synchronous copy of the simulator's event pump (`Simulator.Run`): delivers records in order, answers every
/// certificate validation with "trusted" (the scenarios' certificates are valid; validation itself is
/// swift-certificates' job and is asynchronous), sends the request/response, KeyUpdate and close_notify.
enum LiveRun {
    static func fixtures(for scenario: Scenario) throws -> [Fixture] {
        let setup = try ScenarioSetup(scenario)
        let seed = scenario.seed
        var memory = ServerSessionMemory(
            ticketKey: scenario.server.sessionTickets
                ? { var r = RandomSource(seed: seed, stream: "server-ticket-key"); return r.bytes(32, label: "ticket_key") }()
                : nil)
        var session: ClientSession?
        var out: [Fixture] = []
        for (i, spec) in scenario.connections.enumerated() where spec.replayOf == nil {
            let offset = 10 * Double(i)  // Simulator.connectionSpacing
            var server = setup.server
            server.clock = scenario.clock.addingTimeInterval(offset)
            server.memory = memory
            if spec.rejectEarlyData { server.maxEarlyData = 0 }
            var client = setup.client
            client.clock = client.clock.addingTimeInterval(offset)
            if spec.resume { client.session = session }
            client.earlyData = spec.earlyData.map { Array($0.utf8) }
            let suffix = i == 0 ? "" : "#\(i + 1)"
            var pump = Pump(
                client: Connection(client: client, random: RandomSource(seed: seed, stream: "client" + suffix)),
                server: Connection(server: server, random: RandomSource(seed: seed, stream: "server" + suffix)),
                request: Array(scenario.applicationData.request.utf8),
                response: Array(scenario.applicationData.response.utf8))
            pump.keyUpdate = spec.keyUpdate
            pump.earlyDataSent = client.earlyData != nil && client.session != nil
            let fixture = pump.run(scenario: scenario.name, connection: i)
            for event in pump.serverMemoryEvents {
                switch event {
                case .sessionCached(let id, let state): memory.cache[id] = state
                case .ticketUsed(let ticket): memory.usedTickets.insert(ticket)
                default: break
                }
            }
            if let established = pump.session { session = established }
            out.append(fixture)
        }
        return out
    }

    struct Pump {
        var client: Connection
        var server: Connection
        let request: [UInt8]
        let response: [UInt8]
        var keyUpdate = false
        var earlyDataSent = false
        var earlyDataAccepted = false
        var serverOwesResponse = false
        var queue: [(to: Side, bytes: [UInt8])] = []
        var sent: [Side: [CapturedRecord]] = [.client: [], .server: []]
        var derived: [Side: [String: [UInt8]]] = [.client: [:], .server: [:]]
        /// Per side: the labels and key material of each write-key change, in order.
        var keyChanges: [Side: [(label: String, keys: [String: [UInt8]])]] = [.client: [], .server: []]
        var session: ClientSession?
        var serverMemoryEvents: [ConnectionEvent] = []
        var negotiated: NegotiatedParameters?

        init(client: Connection, server: Connection, request: [UInt8], response: [UInt8]) {
            self.client = client
            self.server = server
            self.request = request
            self.response = response
        }

        mutating func run(scenario: String, connection: Int) -> Fixture {
            let serverInitial = server
            let startEvents = client.start()
            let clientInitial = client
            absorb(startEvents, from: .client)
            var guardCount = 0
            while !queue.isEmpty, guardCount < 10_000 {
                guardCount += 1
                let (to, bytes) = queue.removeFirst()
                let events = to == .client ? client.receive(bytes) : server.receive(bytes)
                absorb(events, from: to)
            }
            return Fixture(
                scenario: scenario, connection: connection,
                client: .init(initial: clientInitial, sent: sent[.client] ?? [], epochs: epochs(.client)),
                server: .init(initial: serverInitial, sent: sent[.server] ?? [], epochs: epochs(.server)),
                negotiated: negotiated)
        }

        /// The protections behind each write-key change, rebuilt from the derivation steps the side reported.
        func epochs(_ side: Side) -> [RecordProtection?] {
            var out: [RecordProtection?] = [nil]
            guard let negotiated, let suite = CipherSuiteInfo.info(negotiated.cipherSuite) else { return out }
            for change in keyChanges[side] ?? [] {
                out.append(
                    RecordProtection.rebuilt(
                        label: change.label, keys: change.keys, suite: suite,
                        encryptThenMAC: negotiated.encryptThenMAC))
            }
            return out
        }

        mutating func act(_ side: Side, _ body: (inout Connection) -> [ConnectionEvent]) {
            let events = side == .client ? body(&client) : body(&server)
            absorb(events, from: side)
        }

        mutating func absorb(_ events: [ConnectionEvent], from side: Side) {
            enum FollowUp {
                case validate, send([UInt8]), updateKeys, close
            }
            var followUps: [FollowUp] = []
            for event in events {
                switch event {
                case .record(let record) where record.direction == .sent:
                    let epoch = record.protection == nil ? 0 : (keyChanges[side]?.count ?? 0)
                    sent[side, default: []].append(
                        CapturedRecord(
                            bytes: record.record.bytes, epoch: epoch, contentType: record.contentType,
                            plaintext: record.plaintext))
                    queue.append((side.peer, record.record.bytes))
                case .derived(let step):
                    derived[side, default: [:]][step.name] = step.output
                case .keysInstalled(.sent, let label):
                    if label.hasPrefix("no keys") { continue }
                    keyChanges[side, default: []].append((label, derived[side] ?? [:]))
                case .validationNeeded:
                    followUps.append(.validate)
                case .handshakeCompleted(let parameters):
                    if side == .client {
                        negotiated = parameters
                        if keyUpdate { followUps.append(.updateKeys) }
                        followUps.append(.send(request))
                    } else if serverOwesResponse {
                        serverOwesResponse = false
                        followUps.append(.send(response))
                    }
                case .earlyDataReceived:
                    serverOwesResponse = true
                case .earlyDataResult(let accepted):
                    earlyDataAccepted = accepted
                case .applicationData:
                    followUps.append(side == .server ? .send(response) : .close)
                case .sessionEstablished(let established):
                    session = established
                case .sessionCached, .ticketUsed:
                    serverMemoryEvents.append(event)
                default:
                    break
                }
            }
            for followUp in followUps {
                switch followUp {
                case .validate:
                    act(side) { $0.provide(ValidationVerdict(trusted: true, alert: nil, reason: "fuzz fixture")) }
                case .send(let data):
                    if side == .client && earlyDataSent && earlyDataAccepted { continue }
                    act(side) { $0.send(applicationData: data) }
                case .updateKeys:
                    act(side) { $0.updateKeys(requestPeerUpdate: true) }
                case .close:
                    act(side) { $0.close() }
                }
            }
        }
    }
}
