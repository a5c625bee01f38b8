import Foundation
import TLSCrypto
import TLSHandshake
import TLSNet
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// The repository, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let scenariosDirectory = repositoryRoot.appendingPathComponent("Scenarios")
let pkiDirectory = scenariosDirectory.appendingPathComponent("pki")
let catalog = ScenarioCatalog(directory: scenariosDirectory)

func scenario(_ name: String) throws -> Scenario { try catalog.resolve(name) }

/// A handshake between a simulated client and a simulated server where only the server is recorded
/// (`simulatedSides: [.server]`): the client stands in for a real peer whose bytes the test may cut and
/// regroup before the server sees them — the path `tlslab serve` records real clients with.
struct ServerOnlyRelay {
    var client: Connection
    var server: Connection
    var recorder: TranscriptRecorder
    var index = 0
    /// Rewrites the client's bytes of one flight before the server reads them (records as sent, in order).
    var regroup: ([TLSRecord]) -> [[UInt8]] = { records in records.map(\.bytes) }
    var request = Array("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n".utf8)
    var clientGotResponse = false

    init(_ scenario: Scenario) throws {
        let setup = try ScenarioSetup(scenario)
        client = Connection(client: setup.client, random: RandomSource(seed: 1, stream: "client"))
        server = Connection(server: setup.server, random: RandomSource(seed: 1, stream: "server"))
        recorder = TranscriptRecorder(
            scenario: scenario.name, title: scenario.title, description: "", seed: 1, clock: scenario.clock,
            configuration: ConfigurationSummary(), simulatedSides: [.server])
        recorder.beginConnection(0, label: "connection 1")
    }

    /// A hand-made ClientHello to start with (and the private keys behind its usable key shares).
    var replay: (hello: ClientHello, keyShares: [EphemeralKeyPair])?

    mutating func run() async -> Transcript {
        let start = replay.map { client.start(replaying: $0.hello, keyShares: $0.keyShares) } ?? client.start()
        var toServer = await clientEvents(start)
        var rounds = 0
        while !toServer.isEmpty, rounds < 20 {
            rounds += 1
            var toClient: [UInt8] = []
            for chunk in regroup(toServer) {
                toClient += await serverEvents(server.receive(chunk))
            }
            toServer = await clientEvents(client.receive(toClient))
        }
        recorder.endConnection(completed: clientGotResponse)
        return recorder.finish()
    }

    /// The client's records (the "real peer": not recorded from its side).
    private mutating func clientEvents(_ events: [ConnectionEvent]) async -> [TLSRecord] {
        var out: [TLSRecord] = []
        for event in events {
            switch event {
            case .record(let r) where r.direction == .sent: out.append(r.record)
            case .validationNeeded(let request):
                out += await clientEvents(client.provide(await request.perform()))
            case .handshakeCompleted: out += await clientEvents(client.send(applicationData: request))
            case .applicationData:
                clientGotResponse = true
                out += await clientEvents(client.close())
            default: break
            }
        }
        return out
    }

    /// The server's events, recorded; returns the bytes it sent.
    private mutating func serverEvents(_ events: [ConnectionEvent]) async -> [UInt8] {
        var out: [UInt8] = []
        for event in events {
            switch event {
            case .record(let r):
                if r.direction == .sent {
                    recorder.recordSent(by: .server, r, index: index, delivery: ChannelDelivery(delivered: r.record.bytes))
                    out += r.record.bytes
                } else {
                    recorder.recordReceived(by: .server, r, index: index)
                }
                index += 1
            case .validationNeeded(let request):
                recorder.add(event, side: .server)
                let verdict = await request.perform()
                recorder.validation(verdict, side: .server)
                out += await serverEvents(server.provide(verdict))
            case .applicationData:
                recorder.add(event, side: .server)
                out += await serverEvents(server.send(applicationData: Array("HTTP/1.1 200 OK\r\n\r\n".utf8)))
            default:
                recorder.add(event, side: .server)
            }
        }
        return out
    }
}

/// Splits plaintext handshake records into `TLSRecord`s carrying the same handshake bytes cut at `sizes`
/// (the rest in a last record), and merges consecutive plaintext handshake records into one.
enum Regroup {
    static func split(_ record: TLSRecord, at sizes: [Int]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var rest = record.fragment[...]
        for size in sizes where size < rest.count {
            out.append(TLSRecord(contentType: record.contentType, legacyVersion: record.legacyVersion, fragment: Array(rest.prefix(size))).bytes)
            rest = rest.dropFirst(size)
        }
        out.append(TLSRecord(contentType: record.contentType, legacyVersion: record.legacyVersion, fragment: Array(rest)).bytes)
        return out
    }
}

// MARK: - External peers

/// A program the tests run (openssl, gnutls-cli, curl, tshark, the tlslab binary). Output goes to files (a pipe
/// nobody reads can fill up and block the child); every process a test starts is killed in tearDown.
final class PeerProcess: @unchecked Sendable {
    let process = Process()
    let name: String
    private let stdoutURL: URL
    private let stderrURL: URL
    private let stdinPipe = Pipe()

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: URL) throws {
        name = ([URL(fileURLWithPath: executable).lastPathComponent] + arguments).joined(separator: " ")
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let id = UUID().uuidString.prefix(8)
        stdoutURL = directory.appendingPathComponent("\(id).out")
        stderrURL = directory.appendingPathComponent("\(id).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = stdinPipe
        try process.run()
    }

    func write(_ text: String) {
        try? stdinPipe.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    }

    /// For `openssl s_server` without `-rev`, which prints what arrives and sends what it reads on standard input:
    /// answers each of `connections` connections with `"<prefix>-n\n"` once `token` has appeared n times in the
    /// output. Cancel the task when done.
    func answerEachConnection(_ connections: Int, seeing token: String, with prefix: String) -> Task<Void, Never> {
        Task {
            for n in 1...max(1, connections) {
                while !Task.isCancelled, output.components(separatedBy: token).count - 1 < n {
                    try? await Task.sleep(for: .milliseconds(20))
                }
                write("\(prefix)-\(n)\n")
            }
        }
    }

    func closeInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    var stdout: String { (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "" }
    var output: String { stdout + stderr }

    /// Waits until `text` appears in the output or the process ends (true if it appeared).
    func waitForOutput(_ text: String, timeout: Duration = .seconds(10)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Waits for the process to exit; kills it after `timeout`. Returns its status (nil if it had to be killed).
    @discardableResult
    func wait(timeout: Duration = .seconds(20)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                kill()
                return nil
            }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    func signal(_ number: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, number) }
    }

    func kill() {
        if process.isRunning {
            process.terminate()
            Foundation.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

/// Where an external tool lives, or nil.
func tool(_ name: String) -> String? {
    for directory in ["/usr/bin", "/usr/local/bin", "/bin", "/opt/homebrew/bin"] {
        let path = "\(directory)/\(name)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A tool the test needs. Missing: the test is skipped — unless TLSLAB_REQUIRE_PEERS=1 (CI), where it fails.
func requireTool(_ name: String, install: String) throws -> String {
    if let path = tool(name) { return path }
    if ProcessInfo.processInfo.environment["TLSLAB_REQUIRE_PEERS"] == "1" {
        throw PeerTestError("\(name) is not installed (\(install)) and TLSLAB_REQUIRE_PEERS=1")
    }
    throw XCTSkip("\(name) is not installed (\(install))")
}

struct PeerTestError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension PeerHarness {
    /// Starts `openssl s_server` on a port the system picks (`-accept 127.0.0.1:0`) and reads the port from its
    /// `ACCEPT 127.0.0.1:PORT` line — no window in which another test could take the port (rows run
    /// concurrently). `arguments` come after `s_server -accept …`.
    func startOpenSSLServer(_ openssl: String, _ arguments: [String]) async throws -> (server: PeerProcess, port: UInt16) {
        let server = try start(openssl, ["s_server", "-accept", "127.0.0.1:0"] + arguments)
        let marker = "ACCEPT 127.0.0.1:"
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            let out = server.output
            if let range = out.range(of: marker) {
                let rest = out[range.upperBound...]
                let digits = rest.prefix { $0.isNumber }
                if rest.dropFirst(digits.count).first?.isNewline == true, let port = UInt16(digits) { return (server, port) }
            }
            if !server.process.isRunning { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw PeerTestError("s_server did not start: \(server.output)")
    }
}

/// A free TCP port on 127.0.0.1 (bind port 0, read it back, release it). Only for a port nothing will listen on:
/// between the release and a later bind, a concurrent test may take it (`startOpenSSLServer` has no such window).
func freePort() throws -> UInt16 {
    let socket = try TCPSocket.listen(host: "127.0.0.1", port: 0)
    defer { socket.close() }
    return socket.localPort
}

/// A test's scratch folder, the processes it started and the servers it runs — safe to use from several tasks at
/// once (rows of the interop matrix run concurrently). `tearDown` stops and kills everything.
final class PeerHarness: @unchecked Sendable {
    let scratch: URL
    private let lock = NSLock()
    private var processes: [PeerProcess] = []
    private var stops: [StopSignal] = []

    init() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tlslab-net-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    /// Starts a process that `tearDown` kills if it is still running.
    func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> PeerProcess {
        let p = try PeerProcess(executable, arguments, environment: environment, directory: scratch)
        lock.lock()
        processes.append(p)
        lock.unlock()
        return p
    }

    /// Runs `server` in the background until `settings.count` connections are served or the test ends;
    /// reports land in `box`. Raising the returned stop signal (or tearDown) ends it early.
    func serve(_ server: PeerServer, _ settings: ServeSettings = ServeSettings(count: 1), into box: ServedBox = ServedBox())
        -> (task: Task<Int, Never>, stop: StopSignal)
    {
        var settings = settings
        let stop = settings.peer.stop ?? StopSignal()
        settings.peer.stop = stop
        lock.lock()
        stops.append(stop)
        lock.unlock()
        let configured = settings
        let task = Task { await server.run(configured) { box.set($0) } }
        return (task, stop)
    }

    func tearDown() {
        lock.lock()
        let (stops, processes) = (self.stops, self.processes)
        self.stops = []
        self.processes = []
        lock.unlock()
        // Servers a test started stop at their next poll, even when the test failed half-way.
        for stop in stops { stop.raise() }
        for p in processes { p.kill() }
        try? FileManager.default.removeItem(at: scratch)
    }
}

/// Runs `body` for every item, at most `limit` at a time, and returns the results in the items' order.
func concurrently<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int = 4, _ body: @escaping @Sendable (Item) async -> Result
) async -> [Result] {
    await withTaskGroup(of: (Int, Result).self) { group in
        var results: [Int: Result] = [:]
        var next = 0
        func launch() {
            let i = next
            let item = items[i]
            group.addTask { (i, await body(item)) }
            next += 1
        }
        while next < min(limit, items.count) { launch() }
        while let (i, result) = await group.next() {
            results[i] = result
            if next < items.count { launch() }
        }
        return items.indices.compactMap { results[$0] }
    }
}

/// Base class: a scratch folder and the processes to kill, per test.
class PeerTestCase: XCTestCase {
    var harness: PeerHarness!

    func startOpenSSLServer(_ openssl: String, _ arguments: [String]) async throws -> (server: PeerProcess, port: UInt16) {
        try await harness.startOpenSSLServer(openssl, arguments)
    }
    var scratch: URL! { harness?.scratch }

    /// Runs `server` in the background until `settings.count` connections are served or the test ends;
    /// reports land in `box`. Raising the returned task's stop signal (or tearDown) ends it early.
    func serve(_ server: PeerServer, _ settings: ServeSettings = ServeSettings(count: 1), into box: ServedBox = ServedBox())
        -> (task: Task<Int, Never>, stop: StopSignal)
    {
        harness.serve(server, settings, into: box)
    }

    override func setUpWithError() throws {
        harness = try PeerHarness()
    }

    override func tearDown() {
        harness?.tearDown()
        harness = nil
        super.tearDown()
    }

    /// Starts a process that tearDown kills if it is still running.
    func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> PeerProcess {
        try harness.start(executable, arguments, environment: environment)
    }
}

/// Holds what a `report` callback delivered.
final class ServedBox: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [ServedConnection] = []
    func set(_ value: ServedConnection) {
        lock.lock()
        stored.append(value)
        lock.unlock()
    }
    var value: ServedConnection? {
        lock.lock()
        defer { lock.unlock() }
        return stored.first
    }
    var all: [ServedConnection] {
        lock.lock()
        defer { lock.unlock() }
        return stored
    }
}
