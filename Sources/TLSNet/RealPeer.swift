import Foundation
import TLSCrypto
import TLSHandshake
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

/// One side of a scenario played against a real TLS implementation over TCP: TLSLab's server for a real client
/// (`tlslab serve`), or TLSLab's client for a real server (`tlslab connect`).
///
/// The scenario supplies the configuration of the side TLSLab plays (versions, suites, groups, signature
/// schemes, certificate, extensions). Two things differ from a simulation: the clock is the real one (a real
/// peer's certificate is checked against today's date), and randomness comes from the operating system unless a
/// seed is given.
public enum RealPeer {
    /// The scenario as used against a real peer: its clock set to now.
    public static func live(_ scenario: Scenario, now: Date = Date()) -> Scenario {
        var s = scenario
        s.clock = now
        s.client.clock = nil
        return s
    }

    /// The random source for one connection: the OS generator, or the seeded one for `stream`.
    public static func random(seed: UInt64?, stream: String) -> RandomSource {
        seed.map { RandomSource(seed: $0, stream: stream) } ?? .system()
    }

    // MARK: - Server

    /// Plays the scenario's server on an accepted connection. With `memory`, the server starts from what it
    /// remembers (ticket key, session cache, used tickets) and reports back what the connection adds, so a later
    /// connection can resume this one. With a seed, connection `number` draws from its own seeded stream
    /// (`server`, `server#2`, … as in a simulated run): reproducible, yet no two connections share randoms, key
    /// shares or ticket nonces.
    public static func serve(
        _ socket: TCPSocket, scenario: Scenario, configuration: ServerConfiguration, seed: UInt64?,
        settings: PeerSettings, now: Date = Date(), memory: ServerMemoryStore? = nil, number: Int = 1
    ) async -> PeerResult {
        var configuration = configuration
        configuration.clock = now
        let peer = socket.peerAddress
        var recorder = TranscriptRecorder(
            scenario: scenario.name, title: "\(scenario.title) — real client \(peer)",
            description:
                "A real TLS client at \(peer) connected to `tlslab serve --scenario \(scenario.name)`; TLSLab played the server with the scenario's server settings. Only the server's side of the key schedule is shown: the client's private values never leave it.",
            seed: seed, clock: now, configuration: serverSummary(scenario), simulatedSides: [.server])
        recorder.beginConnection(0, label: "connection 1")
        let configured = configuration
        let makeConnection: @Sendable () -> Connection = {
            var c = configured
            if let memory { c.memory = memory.snapshot }
            return Connection(server: c, random: random(seed: seed, stream: number > 1 ? "server#\(number)" : "server"))
        }
        var session = PeerSession(
            side: .server, socket: socket, settings: settings, connection: makeConnection(), recorder: recorder,
            memory: memory, freshConnection: memory == nil ? nil : makeConnection)
        let result = await session.run()
        recorder = session.recorder
        recorder.endConnection(completed: result.negotiated != nil && !isFailed(recorder))
        var transcript = finish(&recorder, endings: [result.ending])
        if let hello = session.clientHello { describeClient(hello, in: &transcript.configuration) }
        return PeerResult(transcript: transcript, peer: peer, connections: [result])
    }

    // MARK: - Client

    /// Connects to `host:port` and plays the scenario's client: handshake, one request (the scenario's
    /// `application_data.request` unless `request` is given), the answer, close_notify.
    ///
    /// With `connections` > 1 it connects again after each connection ends, offering the session the previous
    /// one established (a TLS 1.3 ticket, a TLS 1.2 session ID or RFC 5077 ticket): one transcript records them
    /// all, as a multi-connection scenario does; it stops early after a connection whose handshake did not
    /// complete. Each connection but the last waits a moment for a TLS 1.3 ticket before closing. With
    /// `earlyData`, a connection that resumes a TLS 1.3 session allowing 0-RTT sends the request as early data
    /// (RFC 8446 §4.2.10). `session` is offered on the first connection (one kept from an earlier run).
    public static func connect(
        host: String, port: UInt16, scenario: Scenario, seed: UInt64?, request: [UInt8]? = nil,
        settings: PeerSettings = PeerSettings(), now: Date = Date(), connections: Int = 1, earlyData: Bool = false,
        session: ClientSession? = nil
    ) async throws -> PeerResult {
        let request = request ?? Array(scenario.applicationData.request.utf8)
        let count = max(1, connections)
        var recorder: TranscriptRecorder?
        var results: [PeerConnection] = []
        var peer = "\(host):\(port)"
        var session = session
        var nextIndex = 0
        for i in 0..<count {
            // Stopped, or the connection before did not complete: there is nothing to build on.
            if i > 0, settings.stop?.isRaised == true || results.last?.negotiated == nil { break }
            let start = i == 0 ? now : Date()
            let setup = try ScenarioSetup(live(scenario, now: start))
            var configuration = setup.client
            configuration.session = session
            if earlyData, session != nil { configuration.earlyData = request }
            let stop = settings.stop
            let timeout = settings.idleTimeout
            let socket: TCPSocket
            do {
                socket = try await Blocking.run { try TCPSocket.connect(host: host, port: port, timeout: timeout, stop: stop) }
            } catch where i > 0 {
                // The first connection worked: keep its transcript and say why the next one did not happen.
                recorder?.beginConnection(i, label: "connection \(i + 1)")
                recorder?.add(.note("Could not connect again: \(error)"), side: .client)
                recorder?.endConnection(completed: false)
                results.append(PeerConnection(negotiated: nil, applicationData: [], ending: "\(error)"))
                break
            }
            peer = socket.peerAddress
            var current =
                recorder
                ?? TranscriptRecorder(
                    scenario: scenario.name, title: "\(scenario.title) — real server \(socket.peerAddress)",
                    description:
                        "TLSLab's client (scenario \(scenario.name)) connected to the real TLS server at \(socket.peerAddress)\(count > 1 ? " \(count) times, each connection offering the session the one before it established" : ""). Only the client's side of the key schedule is shown: the server's private values never leave it.",
                    seed: seed, clock: now, configuration: clientSummary(scenario), simulatedSides: [.client])
            current.beginConnection(i, label: label(i, session: session, earlyData: configuration.earlyData != nil))
            var peerSession = PeerSession(
                side: .client, socket: socket, settings: settings,
                connection: Connection(
                    client: configuration, random: random(seed: seed, stream: i == 0 ? "client" : "client#\(i + 1)")),
                recorder: current, request: request, firstRecordIndex: nextIndex, awaitsSession: i + 1 < count)
            let result = await peerSession.run()
            current = peerSession.recorder
            nextIndex = peerSession.index
            current.endConnection(completed: result.negotiated != nil && !isFailed(current))
            recorder = current
            results.append(result)
            if let established = result.session { session = established }
        }
        guard var recorder else { throw NetError(.setup, "cannot connect to \(host):\(port)") }
        let transcript = finish(&recorder, endings: results.map(\.ending))
        return PeerResult(transcript: transcript, peer: peer, connections: results)
    }

    /// The transcript label of client connection `i` (0-based), in the style of a scenario's default labels
    /// (`connection 2: resumed`).
    static func label(_ i: Int, session: ClientSession?, earlyData: Bool) -> String {
        guard let session else { return i == 0 ? "connection 1" : "connection \(i + 1): nothing to resume, a full handshake" }
        let source = i == 0 ? "an earlier run" : "connection \(i)"
        let what =
            session.version == .tls13
            ? "offers the ticket from \(source)"
            : session.ticket.isEmpty ? "offers the session ID from \(source)" : "offers the session ticket from \(source)"
        return "connection \(i + 1): \(what)\(earlyData ? ", with 0-RTT data" : "")"
    }

    static func isFailed(_ recorder: TranscriptRecorder) -> Bool {
        recorder.connectionOutcome?.status == .failed
    }

    /// Ends the transcript; an incomplete one says how its (first incomplete) connection ended.
    static func finish(_ recorder: inout TranscriptRecorder, endings: [String]) -> Transcript {
        var transcript = recorder.finish()
        if transcript.outcome.status == .incomplete {
            let i = transcript.connections.firstIndex { $0.outcome.status == .incomplete } ?? 0
            let ending = endings.indices.contains(i) ? endings[i] : endings.last ?? ""
            let prefix = transcript.connections.count > 1 ? "connection \(i + 1) " : "the connection "
            transcript.outcome.reason = prefix + "ended before the handshake completed: \(ending)"
        }
        return transcript
    }

    // MARK: - Summaries

    static func serverSummary(_ scenario: Scenario) -> ConfigurationSummary {
        let s = scenario.server
        return ConfigurationSummary(
            serverVersions: s.versions.map(\.description), serverCipherSuites: s.cipherSuites.map(\.description),
            serverGroups: s.groups.map(\.description), serverCertificate: s.certificate,
            extendedMasterSecret: s.extendedMasterSecret, encryptThenMAC: s.encryptThenMAC)
    }

    static func clientSummary(_ scenario: Scenario) -> ConfigurationSummary {
        let c = scenario.client
        return ConfigurationSummary(
            clientVersions: c.versions.map(\.description), clientCipherSuites: c.cipherSuites.map(\.description),
            clientGroups: c.groups.map(\.description),
            clientSignatureAlgorithms: c.signatureAlgorithms.map(\.description), serverName: c.serverName,
            clientCertificate: c.certificate, extendedMasterSecret: c.extendedMasterSecret,
            encryptThenMAC: c.encryptThenMAC)
    }

    /// Fills the client half of the summary from what the real client offered in its ClientHello.
    static func describeClient(_ hello: ClientHello, in summary: inout ConfigurationSummary) {
        if case .supportedVersions(let versions) = hello.extensions.body(of: .supportedVersions) {
            summary.clientVersions = versions.map(\.description)
        } else {
            summary.clientVersions = [hello.legacyVersion.description]
        }
        summary.clientCipherSuites = hello.cipherSuites.map(\.description)
        if case .supportedGroups(let groups) = hello.extensions.body(of: .supportedGroups) {
            summary.clientGroups = groups.map(\.description)
        }
        if case .signatureAlgorithms(let schemes) = hello.extensions.body(of: .signatureAlgorithms) {
            summary.clientSignatureAlgorithms = schemes.map(\.description)
        }
        if case .serverName(let names) = hello.extensions.body(of: .serverName) { summary.serverName = names.first }
    }
}
