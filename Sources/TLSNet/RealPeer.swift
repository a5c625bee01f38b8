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

    /// Plays the scenario's server on an accepted connection.
    public static func serve(
        _ socket: TCPSocket, scenario: Scenario, configuration: ServerConfiguration, seed: UInt64?,
        settings: PeerSettings, now: Date = Date()
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
        var session = PeerSession(
            side: .server, socket: socket, settings: settings,
            connection: Connection(server: configuration, random: random(seed: seed, stream: "server")),
            recorder: recorder)
        var result = await session.run()
        if let hello = session.clientHello { describeClient(hello, in: &result.transcript.configuration) }
        return result
    }

    // MARK: - Client

    /// Connects to `host:port` and plays the scenario's client: handshake, one request (the scenario's
    /// `application_data.request` unless `request` is given), the answer, close_notify.
    public static func connect(
        host: String, port: UInt16, scenario: Scenario, seed: UInt64?, request: [UInt8]? = nil,
        settings: PeerSettings = PeerSettings(), now: Date = Date()
    ) async throws -> PeerResult {
        let setup = try ScenarioSetup(live(scenario, now: now))
        let stop = settings.stop
        let timeout = settings.idleTimeout
        let socket = try await Blocking.run { try TCPSocket.connect(host: host, port: port, timeout: timeout, stop: stop) }
        var recorder = TranscriptRecorder(
            scenario: scenario.name, title: "\(scenario.title) — real server \(socket.peerAddress)",
            description:
                "TLSLab's client (scenario \(scenario.name)) connected to the real TLS server at \(socket.peerAddress). Only the client's side of the key schedule is shown: the server's private values never leave it.",
            seed: seed, clock: now, configuration: clientSummary(scenario), simulatedSides: [.client])
        recorder.beginConnection(0, label: "connection 1")
        var session = PeerSession(
            side: .client, socket: socket, settings: settings,
            connection: Connection(client: setup.client, random: random(seed: seed, stream: "client")),
            recorder: recorder, request: request ?? Array(scenario.applicationData.request.utf8))
        return await session.run()
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
