import Foundation
import TLSExport
import TLSHandshake
import TLSScenario
import TLSSimulator
import TLSTranscript

/// What `PeerServer` does with each connection.
public struct ServeSettings: Sendable {
    /// Stop after this many connections (nil: until stopped).
    public var count: Int?
    /// Save each connection's transcript here as `<n>-<UTC time>.json` (written atomically).
    public var saveDirectory: URL?
    /// Seeded randomness instead of the OS generator: each connection draws from its own seeded stream (`server`,
    /// `server#2`, …: reproducible run after run, and only for experiments); the ticket key comes from the seed too.
    public var seed: UInt64?
    public var peer: PeerSettings

    public init(count: Int? = nil, saveDirectory: URL? = nil, seed: UInt64? = nil, peer: PeerSettings = PeerSettings()) {
        self.count = count
        self.saveDirectory = saveDirectory
        self.seed = seed
        self.peer = peer
    }
}

/// One connection `PeerServer` served.
public struct ServedConnection: Sendable {
    /// 1 for the first connection.
    public var number: Int
    public var result: PeerResult
    /// Where the transcript was saved.
    public var savedFile: URL?
    /// Why it could not be saved.
    public var saveError: String?

    /// One line for the terminal: number, peer, version, suite, outcome, saved file.
    public var line: String {
        let t = result.transcript
        var parts = ["#\(number)", result.peer]
        parts.append(t.negotiated?.version ?? "-")
        parts.append(t.negotiated?.cipherSuite ?? "-")
        switch t.outcome.status {
        case .completed:
            var what = ["completed"]
            if t.connections.first?.helloRetry == true { what.append("after a HelloRetryRequest") }
            if let n = result.negotiated, n.resumed {
                what.append(n.version == .tls13 ? "resumed (\(n.keyExchange))" : "resumed (abbreviated handshake)")
            }
            if result.connections.first?.earlyDataAccepted == true { what.append("0-RTT data accepted") }
            if t.negotiated?.clientAuthenticated == true { what.append("client certificate verified") }
            parts.append(what.joined(separator: ", ") + " (\(result.ending))")
        case .failed: parts.append("failed: \(t.outcome.alert.map { "\($0.description) sent by \($0.sentBy)" } ?? "") — \(t.outcome.reason ?? "")")
        case .incomplete: parts.append("incomplete: \(result.ending)")
        }
        if let savedFile { parts.append("saved \(savedFile.path)") }
        if let saveError { parts.append("NOT saved: \(saveError)") }
        return parts.joined(separator: "  ")
    }
}

/// `tlslab serve`: accepts real TCP connections and plays the scenario's server on each (concurrently), saving
/// every transcript. Stops after `count` connections or when the stop signal is raised; either way it waits for
/// the connections in progress, so every saved transcript is whole.
public final class PeerServer: Sendable {
    public let scenario: Scenario
    public let configuration: ServerConfiguration
    private let listener: TCPSocket
    /// The port it listens on (useful after binding port 0).
    public let port: UInt16
    public let host: String
    /// What this server remembers across the connections it serves (ticket key, TLS 1.2 session cache, used
    /// tickets), for its whole lifetime.
    public let memory = ServerMemoryStore()

    /// Loads the scenario's credentials and binds `host:port` (port 0: any free port).
    public init(scenario: Scenario, host: String = "127.0.0.1", port: UInt16) throws {
        self.scenario = scenario
        configuration = try ScenarioSetup(RealPeer.live(scenario)).server
        listener = try TCPSocket.listen(host: host, port: port)
        self.port = listener.localPort
        self.host = host
    }

    /// Serves until `settings.count` connections were handled or `settings.peer.stop` is raised. Calls
    /// `report` once per connection, after its transcript is saved. Returns the number of connections served.
    @discardableResult
    public func run(_ settings: ServeSettings, report: @escaping @Sendable (ServedConnection) -> Void) async -> Int {
        // One ticket key per server (RFC 5077 §4, RFC 8446 §4.6.1): from the OS generator, or from the seed.
        if configuration.sessionTickets { memory.installTicketKey(seed: settings.seed) }
        let stop = settings.peer.stop ?? StopSignal()
        var configured = settings.peer
        configured.stop = stop
        let peerSettings = configured
        let listener = listener
        let accepted = await withTaskGroup(of: Void.self, returning: Int.self) { group in
            var accepted = 0
            while settings.count.map({ accepted < $0 }) ?? true {
                let client: TCPSocket?
                do {
                    client = try await Blocking.run { try listener.accept(timeout: .milliseconds(500), stop: stop) }
                } catch let error as NetError where error.kind == .cancelled {
                    break
                } catch {
                    // A transient accept failure (out of descriptors, a connection reset before accept): try again.
                    try? await Task.sleep(for: .milliseconds(100))
                    continue
                }
                guard let client else { continue }
                accepted += 1
                let number = accepted
                group.addTask {
                    let served = await self.handle(client, number: number, settings: settings, peer: peerSettings)
                    report(served)
                }
            }
            await group.waitForAll()
            return accepted
        }
        listener.close()
        return accepted
    }

    private func handle(_ socket: TCPSocket, number: Int, settings: ServeSettings, peer: PeerSettings) async
        -> ServedConnection
    {
        let now = Date()
        let result = await RealPeer.serve(
            socket, scenario: scenario, configuration: configuration, seed: settings.seed, settings: peer, now: now,
            memory: memory, number: number)
        var served = ServedConnection(number: number, result: result)
        if let directory = settings.saveDirectory {
            do {
                let url = Self.fileURL(in: directory, number: number, date: now)
                try AtomicFile.write(try result.transcript.jsonData() + Data("\n".utf8), to: url)
                served.savedFile = url
            } catch {
                served.saveError = "\(error)"
            }
        }
        return served
    }

    /// `DIR/<n>-<yyyyMMddTHHmmssZ>.json`, with `-2`, `-3`, … if that name is taken (a second `serve` in the
    /// same second).
    static func fileURL(in directory: URL, number: Int, date: Date) -> URL {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
        let base = "\(number)-\(formatter.string(from: date))"
        var url = directory.appendingPathComponent(base + ".json")
        var suffix = 2
        while FileManager.default.fileExists(atPath: url.path) {
            url = directory.appendingPathComponent("\(base)-\(suffix).json")
            suffix += 1
        }
        return url
    }
}
