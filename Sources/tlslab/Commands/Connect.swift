import ArgumentParser
import Foundation
import TLSExport
import TLSNet
import TLSScenario
import TLSTranscript
import TLSWire

struct Connect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a scenario's client against a real TLS server and show the handshake it recorded.",
        discussion: """
            Connects to HOST:PORT, runs the scenario's client side (its versions, suites, groups, trust anchors and \
            server name), sends the scenario's request, reads the answer and closes with close_notify. Prints the \
            walkthrough (or the transcript as JSON); --save FILE also writes the transcript to FILE.

            With --count N it connects N times, each connection offering the session the one before it \
            established (a TLS 1.3 ticket, a TLS 1.2 session ID or ticket): one transcript holds them all. \
            --early-data sends the request as TLS 1.3 0-RTT data on a connection that resumes.

            Example:
              openssl s_server -accept 127.0.0.1:4433 -www \\
                -cert Scenarios/pki/server-rsa.pem -key Scenarios/pki/server-rsa.key &
              tlslab connect 127.0.0.1:4433 --scenario tls13 \\
                --request 'GET / HTTP/1.0\\r\\n\\r\\n'
            """)

    @Argument(help: "HOST:PORT of the server ([::1]:PORT for IPv6).")
    var address: String

    @Option(name: .long, help: "Scenario whose client settings to use (name or .yaml path).")
    var scenario: String = "tls13"

    @Option(name: .long, help: "Server name to send (SNI) and to check in the certificate. Default: the scenario's.")
    var servername: String?

    @Option(name: .long, help: "What to send after the handshake (\\r and \\n escapes are read). Default: the scenario's request.")
    var request: String?

    @Option(name: .long, help: "Output format: text (the walkthrough) or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Also write the transcript (JSON) to this file.")
    var save: String?

    @Option(name: .long, help: "Connect this many times, each connection resuming the session of the one before it (one transcript).")
    var count: Int = 1

    @Flag(name: .long, help: "On a connection that resumes a TLS 1.3 session allowing it, send the request as 0-RTT early data.")
    var earlyData = false

    @OptionGroup var peer: PeerOverrides
    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        _ = try Self.split(address)
        guard count >= 1 else { throw ValidationError("--count must be at least 1") }
        try peer.rejectOptions(notFor: "connect")
        if earlyData && count < 2 {
            throw ValidationError("--early-data needs --count 2 or more: 0-RTT data rides on a resumed connection")
        }
    }

    /// `host:port`, `[v6]:port`.
    static func split(_ address: String) throws -> (host: String, port: UInt16) {
        var host: Substring
        var portText: Substring
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = address[address.index(after: address.startIndex)..<close]
            portText = address[address.index(after: close)...].drop { $0 == ":" }
        } else if let colon = address.lastIndex(of: ":") {
            host = address[..<colon]
            portText = address[address.index(after: colon)...]
        } else {
            throw ValidationError("'\(address)' is not HOST:PORT")
        }
        guard !host.isEmpty, let port = UInt16(portText), port > 0 else {
            throw ValidationError("'\(address)' is not HOST:PORT")
        }
        return (String(host), port)
    }

    func run() async throws {
        let (host, port) = try Self.split(address)
        var scenario = try peer.apply(to: scenarioOptions.resolve(self.scenario), side: .client)
        if let servername { scenario.client.serverName = servername.isEmpty ? nil : servername }
        let stop = StopSignal()
        let signals = StopOnSignals(stop)
        defer { signals.cancel() }
        let result: PeerResult
        do {
            result = try await RealPeer.connect(
                host: host, port: port, scenario: scenario, seed: peer.seed,
                request: request.map { Array(TinyHTTP.unescape($0).utf8) }, settings: peer.settings(stop: stop),
                connections: count, earlyData: earlyData)
        } catch {
            throw CLIError("\(error)")
        }
        let t = result.transcript
        switch format {
        case .text: print(TextWalkthrough.render(t), terminator: "")
        case .json:
            FileHandle.standardOutput.write(try t.jsonData())
            print()
        }
        if let save {
            try AtomicFile.write(try t.jsonData() + Data("\n".utf8), to: URL(fileURLWithPath: save))
        }
        for (i, connection) in result.connections.enumerated() {
            let info = t.connections.indices.contains(i) ? t.connections[i] : nil
            let outcome = info?.outcome ?? t.outcome
            var what: [String] = []
            if info?.helloRetry == true { what.append("after a HelloRetryRequest") }
            if let n = connection.negotiated, n.resumed {
                what.append(n.version == .tls13 ? "resumed (\(n.keyExchange))" : "resumed (abbreviated handshake)")
            } else if i > 0, connection.negotiated != nil {
                what.append("not resumed (full handshake)")
            }
            if let accepted = connection.earlyDataAccepted { what.append(accepted ? "0-RTT data accepted" : "0-RTT data rejected") }
            let summary = [
                result.connections.count > 1 ? "#\(i + 1)" : "", result.peer, info?.negotiated?.version ?? "-",
                info?.negotiated?.cipherSuite ?? "-", outcome.status.rawValue + (what.isEmpty ? "" : ", " + what.joined(separator: ", ")),
                outcome.reason ?? (result.connections.count == 1 ? t.outcome.reason : nil) ?? connection.ending,
                i == result.connections.count - 1 ? save.map { "saved \($0)" } ?? "" : "",
            ].filter { !$0.isEmpty }.joined(separator: "  ")
            FileHandle.standardError.write(Data("tlslab connect: \(summary)\n".utf8))
        }
        if t.outcome.status != .completed || result.connections.count < count { throw ExitCode(1) }
    }
}
