import Foundation
import TLSHandshake
import TLSNet
import TLSScenario
import TLSTranscript
import TLSWire
import XCTest

/// The interop matrix against OpenSSL on 127.0.0.1, both directions. Success is read from OpenSSL's own output
/// (protocol, cipher, verification, the extended master secret line, the peer certificate it saw, "Reused" and
/// its session-cache hits, whether it accepted early data), from the application data that comes back, and from
/// OpenSSL's key log, which must list exactly the secrets TLSLab derived. Rows run concurrently, each with its
/// own ports, processes and files.
final class OpenSSLInteropTests: PeerTestCase {
    func testTLSLabServesOpenSSLClients() async throws {
        let runner = OpenSSLRunner(harness: harness, openssl: try requireTool("openssl", install: "apt-get install openssl"))
        let rows = InteropMatrix.rows
        let results = await concurrently(rows) { await runner.serveOpenSSLClients($0) }
        report("tlslab serve ← openssl s_client", rows, results)
    }

    func testTLSLabConnectsToOpenSSLServers() async throws {
        let runner = OpenSSLRunner(harness: harness, openssl: try requireTool("openssl", install: "apt-get install openssl"))
        let rows = InteropMatrix.rows
        let results = await concurrently(rows) { await runner.connectToOpenSSLServer($0) }
        report("tlslab connect → openssl s_server", rows, results)
    }

    func report(_ title: String, _ rows: [InteropRow], _ results: [[String]]) {
        var table: [String] = []
        for (row, problems) in zip(rows, results) {
            XCTAssert(problems.isEmpty, "\(row): \(problems.joined(separator: "; "))")
            table.append("\(problems.isEmpty ? "ok  " : "FAIL") \(row)")
        }
        print("\(title) (\(table.filter { $0.hasPrefix("ok") }.count)/\(table.count)):\n  " + table.joined(separator: "\n  "))
    }

    /// 0-RTT declined, both ways: a ticket offered a second time is refused by a server with single-use tickets
    /// (RFC 8446 §8.1), so its early data is skipped (§4.2.10) and the request must come after the handshake.
    func testASecondUseOfA0RTTTicketIsDeclinedBothWays() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        var s = try scenario("tls13")
        s.server.sessionTickets = true
        s.server.maxEarlyData = 16384

        // TLSLab connects: OpenSSL's server (-early_data makes its tickets single-use) declines the replayed ticket,
        // and TLSLab's client sends its request again once the handshake is done.
        let (server, port) = try await startOpenSSLServer(
            openssl,
            [
                "-naccept", "3", "-early_data", "-cert", "\(pkiDirectory.path)/server-rsa.pem", "-key",
                "\(pkiDirectory.path)/server-rsa.key",
            ])
        let token = "again-\(UUID().uuidString.prefix(8))"
        let feeder = server.answerEachConnection(3, seeing: token, with: "answer")
        defer { feeder.cancel() }
        let settings = PeerSettings(idleTimeout: .seconds(10), linger: .milliseconds(300))
        func connect(_ session: ClientSession?) async throws -> PeerResult {
            try await RealPeer.connect(
                host: "127.0.0.1", port: port, scenario: s, seed: nil, request: Array("\(token)\n".utf8),
                settings: settings, earlyData: session != nil, session: session)
        }
        let first = try await connect(nil)
        let ticket = try XCTUnwrap(first.connections[0].session)
        XCTAssertGreaterThan(ticket.maxEarlyData, 0)
        let accepted = try await connect(ticket)
        XCTAssertEqual(accepted.connections[0].earlyDataAccepted, true)
        let declined = try await connect(ticket)
        XCTAssertEqual(declined.connections[0].earlyDataAccepted, false)
        XCTAssertFalse(declined.connections[0].resumed, "OpenSSL's tickets are single-use with -early_data")
        XCTAssertTrue(String(decoding: declined.applicationData, as: UTF8.self).contains("answer-3"))
        // The request went twice on the wire: as 0-RTT data nobody read, then after the handshake.
        let sent = declined.transcript.records.filter { $0.from == .client && $0.innerContentType == "application_data" }
        XCTAssertEqual(sent.count, 2, "\(sent.map(\.keys))")
        let serverStatus = await server.wait()
        XCTAssertEqual(serverStatus, 0, server.output)
        XCTAssertTrue(server.output.contains("Early data was rejected"), server.output)
        XCTAssertEqual(server.output.components(separatedBy: token).count - 1, 3, server.output)

        // TLSLab serves: the same ticket twice; TLSLab's server skips the early data of the second use, and
        // s_client (which does not resend early data) gets its answer to the request it types afterwards.
        let served = ServedBox()
        let tlslab = try PeerServer(scenario: s, host: "127.0.0.1", port: 0)
        let (task, _) = serve(tlslab, ServeSettings(count: 3, peer: PeerSettings(idleTimeout: .seconds(5))), into: served)
        let sessionFile = scratch.appendingPathComponent("0rtt.pem")
        let early = scratch.appendingPathComponent("0rtt.txt")
        try Data("GET /early HTTP/1.1\r\n\r\n".utf8).write(to: early)
        var outputs: [String] = []
        for n in 1...3 {
            var arguments = [
                "s_client", "-connect", "127.0.0.1:\(tlslab.port)", "-CAfile", "\(pkiDirectory.path)/ca.pem",
                "-servername", "www.example.com", "-ign_eof",
            ]
            arguments += n == 1 ? ["-sess_out", sessionFile.path] : ["-sess_in", sessionFile.path, "-early_data", early.path]
            let client = try start(openssl, arguments)
            if n != 2 { client.write("GET /typed-\(n) HTTP/1.1\r\n\r\n") }
            client.closeInput()
            let status = await client.wait()
            XCTAssertEqual(status, 0, client.output)
            outputs.append(client.output)
        }
        _ = await task.value
        XCTAssertTrue(outputs[1].contains("Early data was accepted"), outputs[1])
        XCTAssertTrue(outputs[1].contains("You sent: GET /early HTTP/1.1"), outputs[1])
        XCTAssertTrue(outputs[2].contains("Early data was rejected"), outputs[2])
        XCTAssertTrue(outputs[2].contains("You sent: GET /typed-3 HTTP/1.1"), outputs[2])
        let third = try XCTUnwrap(served.all.first { $0.number == 3 }).result.transcript
        XCTAssertEqual(third.connections.first?.resumed, false)
        XCTAssertTrue(third.events.contains { ($0.text ?? "").contains("already used") })
        XCTAssertTrue(third.events.contains { ($0.text ?? "").hasPrefix("Skipped ") })
    }

    /// The matrix covers what the issue asks for: every row real, the new features in it.
    func testTheMatrixHasHelloRetryResumptionAndEarlyDataRows() {
        let rows = InteropMatrix.rows
        XCTAssertTrue(rows.contains { $0.helloRetry && $0.feature == .handshake })
        XCTAssertTrue(rows.contains { $0.version == .tls13 && $0.feature == .resumption && $0.pskModes == [.pskKE] })
        XCTAssertTrue(rows.contains { $0.version == .tls12 && $0.feature == .resumption && $0.sessionTickets })
        XCTAssertTrue(rows.contains { $0.version == .tls12 && $0.feature == .resumption && !$0.sessionTickets })
        XCTAssertTrue(rows.contains { $0.feature == .earlyData })
        for version in [ProtocolVersion.tls12, .tls13] {
            XCTAssertTrue(rows.contains { $0.version == version && $0.mutual && $0.feature == .handshake })
            XCTAssertTrue(rows.contains { $0.version == version && $0.mutual && $0.feature == .resumption })
        }
        XCTAssertEqual(Set(rows.map(\.name)).count, rows.count, "row names are unique")
    }
}

/// Runs one matrix row against OpenSSL in one direction; returns what went wrong (nothing: the row passed).
struct OpenSSLRunner: Sendable {
    let harness: PeerHarness
    let openssl: String
    var scratch: URL { harness.scratch }

    // MARK: - TLSLab serves

    /// One `PeerServer` (one server memory) and one `s_client` per connection; the second one resumes with
    /// `-sess_in` the session the first wrote with `-sess_out` (and, for 0-RTT, sends its request with
    /// `-early_data`).
    func serveOpenSSLClients(_ row: InteropRow) async -> [String] {
        var problems: [String] = []
        var outputs: [String] = []
        do {
            let server = try PeerServer(scenario: try row.configuredScenario(), host: "127.0.0.1", port: 0)
            let box = ServedBox()
            let (serving, stop) = harness.serve(server, ServeSettings(count: row.connections), into: box)
            let id = UUID().uuidString.prefix(8)
            let sessionFile = scratch.appendingPathComponent("\(id).session.pem")
            var keylogs: [URL] = []
            var tokens: [String] = []
            for n in 1...row.connections {
                let token = "/row-\(id)-\(n)"
                tokens.append(token)
                let keylog = scratch.appendingPathComponent("\(id)-\(n).openssl.keys")
                keylogs.append(keylog)
                let request = "GET \(token) HTTP/1.1\r\nHost: www.example.com\r\n\r\n"
                var arguments = ["s_client", "-connect", "127.0.0.1:\(server.port)", "-keylogfile", keylog.path] + row.opensslClient
                if row.connections > 1 { arguments += [n == 1 ? "-sess_out" : "-sess_in", sessionFile.path] }
                let early = row.feature == .earlyData && n == 2
                if early {
                    let file = scratch.appendingPathComponent("\(id).early")
                    try Data(request.utf8).write(to: file)
                    arguments += ["-early_data", file.path]
                }
                let client = try harness.start(openssl, arguments)
                // -ign_eof: s_client reads until TLSLab closes after its answer (a TLS 1.3 ticket comes first).
                if !early { client.write(request) }
                client.closeInput()
                let status = await client.wait(timeout: .seconds(20))
                let out = client.output
                outputs.append(out)
                guard status == 0 else {
                    problems.append("s_client #\(n) exited with \(status.map(String.init) ?? "a timeout")")
                    stop.raise()
                    break
                }
                problems += clientOutputProblems(out, row: row, connection: n)
                if !out.contains("You sent: GET \(token) HTTP/1.1") {
                    problems.append("the response to s_client #\(n) did not echo its request")
                }
            }
            _ = await serving.value
            // What TLSLab recorded: one transcript per connection.
            let served = box.all.sorted { $0.number < $1.number }
            guard served.count == row.connections else {
                return problems + ["the server reported \(served.count) connections"] + outputs.map { "s_client output: \($0)" }
            }
            var ours = ""
            for (i, connection) in served.enumerated() {
                let t = connection.result.transcript
                problems += TranscriptChecks.check(t, connection: 0, row: row, resumed: i > 0, tlslabServes: true)
                    .map { "#\(i + 1): \($0)" }
                if row.feature == .earlyData && i == 1 {
                    let early = t.events.filter { $0.kind == .applicationData && $0.direction == "early" }
                    if !early.contains(where: { ($0.text ?? "").contains(tokens[1]) }) {
                        problems.append("#2: the server did not record the request as 0-RTT data")
                    }
                    if connection.result.connections.first?.earlyDataAccepted != true {
                        problems.append("#2: the server did not report early data")
                    }
                }
                ours += t.keylog
            }
            problems += TranscriptChecks.compareKeyLogs(openssl: keylogs, ours: ours)
        } catch {
            problems.append("\(error)")
        }
        if !problems.isEmpty { problems += outputs.map { "s_client output: \($0)" } }
        return problems
    }

    /// What `s_client` must say about connection `n` (1-based).
    func clientOutputProblems(_ out: String, row: InteropRow, connection n: Int) -> [String] {
        var problems: [String] = []
        let resumed = n > 1
        // "New, TLSv1.0, Cipher is …" names the suite's first version in TLS 1.2, so only the first word, the
        // cipher and (TLS 1.3) the version are checked.
        let first = resumed ? "Reused, " : "New, "
        let version = row.version == .tls13 ? "TLSv1.3, " : ""
        if !out.split(separator: "\n").contains(where: { $0.hasPrefix(first + version) && $0.hasSuffix("Cipher is \(row.openssl)") }) {
            problems.append("s_client #\(n) did not print '\(first)\(version)… Cipher is \(row.openssl)'")
        }
        var expected = ["Verify return code: 0 (ok)"]
        if row.version == .tls12 {
            expected += ["Protocol  : TLSv1.2", "Cipher    : \(row.openssl)"]
            expected.append("Extended master secret: \(row.extendedMasterSecret ? "yes" : "no")")
        }
        if row.feature == .earlyData { expected.append(resumed ? "Early data was accepted" : "Early data was not sent") }
        for line in expected where !out.contains(line) {
            problems.append("s_client #\(n) did not print '\(line)'")
        }
        return problems
    }

    // MARK: - TLSLab connects

    /// One `s_server` process (`-naccept` = the row's connections, so resumption can work: its ticket key and
    /// session cache live in the process) and one `RealPeer.connect` making all the connections.
    func connectToOpenSSLServer(_ row: InteropRow) async -> [String] {
        var problems: [String] = []
        var out = ""
        do {
            let keylog = scratch.appendingPathComponent("\(UUID().uuidString.prefix(8)).openssl.keys")
            let (server, port) = try await harness.startOpenSSLServer(openssl, ["-keylogfile", keylog.path] + row.opensslServer)
            let token = "tlslab-\(UUID().uuidString.prefix(8))"
            // -rev sends each line back reversed and closes on CLOSE. Without -rev (0-RTT), s_server prints what it
            // receives and sends what it reads on its standard input: answer each connection once its line is in.
            let request = row.serverEchoes ? "\(token)\nCLOSE\n" : "\(token)\n"
            let feeder = row.serverEchoes ? nil : server.answerEachConnection(row.connections, seeing: token, with: "ack")
            defer { feeder?.cancel() }
            let result = try await RealPeer.connect(
                host: "127.0.0.1", port: port, scenario: try row.configuredScenario(), seed: nil,
                request: Array(request.utf8), settings: PeerSettings(idleTimeout: .seconds(10), linger: .milliseconds(300)),
                connections: row.connections, earlyData: row.feature == .earlyData)
            let status = await server.wait(timeout: .seconds(10))
            out = server.output
            if status != 0 { problems.append("s_server exited with \(status.map(String.init) ?? "a timeout")") }
            problems += serverOutputProblems(out, row: row)
            let t = result.transcript
            if result.connections.count != row.connections || t.connections.count != row.connections {
                problems.append("\(result.connections.count) connections made, \(t.connections.count) recorded")
            }
            for (i, connection) in result.connections.enumerated() {
                let echoed = String(decoding: connection.applicationData, as: UTF8.self)
                let expected = row.serverEchoes ? String(token.reversed()) : "ack-\(i + 1)"
                if !echoed.contains(expected) { problems.append("#\(i + 1): s_server did not answer '\(expected)': '\(echoed)'") }
                problems += TranscriptChecks.check(t, connection: i, row: row, resumed: i > 0, tlslabServes: false)
                    .map { "#\(i + 1): \($0)" }
                if row.feature == .earlyData {
                    let expected: Bool? = i > 0 ? true : nil
                    if connection.earlyDataAccepted != expected {
                        problems.append("#\(i + 1): early data accepted: \(connection.earlyDataAccepted.map { "\($0)" } ?? "none sent")")
                    }
                }
            }
            if row.connections > 1, result.connections.first?.session == nil {
                problems.append("the first connection kept no session")
            }
            problems += TranscriptChecks.compareKeyLogs(openssl: [keylog], ours: t.keylog)
            if !problems.isEmpty { problems.append("s_server output: \(out)") }
        } catch {
            problems.append("\(error)")
        }
        return problems
    }

    /// What `s_server` must say. With `-rev` it prints each connection's protocol and suite; in its default mode
    /// (0-RTT rows) the suite, "Reused session-id" and the early data. At exit it prints its counters.
    func serverOutputProblems(_ out: String, row: InteropRow) -> [String] {
        var expected: [String] = []
        if row.serverEchoes {
            expected += ["CONNECTION ESTABLISHED", "Protocol version: \(row.opensslVersion)", "Ciphersuite: \(row.openssl)"]
        } else {
            expected += ["CIPHER is \(row.openssl)", "No early data received", "Reused session-id", "Early data received:"]
        }
        if row.mutual {
            expected += ["Peer certificate: O = TLSLab Demo, CN = TLSLab Demo Client", "Verification: OK"]
        }
        expected.append("\(row.connections) server accepts that finished")
        // OpenSSL counts a hit per ClientHello whose PSK it accepts: after a HelloRetryRequest, both ClientHellos
        // of the resumed connection (s_client against s_server counts the same).
        expected.append("\((row.connections - 1) * (row.helloRetry ? 2 : 1)) session cache hits")
        return expected.filter { !out.contains($0) }.map { "s_server did not print '\($0)'" }
    }
}

/// Checks on what TLSLab recorded, shared by both directions.
enum TranscriptChecks {
    /// Connection `i` of `t`: completed with the row's parameters; resumed (no certificate, no key exchange
    /// message; TLS 1.3: the PSK mode) or a full handshake; a HelloRetryRequest when the row has one.
    static func check(_ t: Transcript, connection i: Int, row: InteropRow, resumed: Bool, tlslabServes: Bool) -> [String] {
        var problems: [String] = []
        guard t.connections.indices.contains(i) else { return ["no connection \(i + 1) in the transcript"] }
        let info = t.connections[i]
        if info.outcome.status != .completed {
            problems.append("transcript \(info.outcome.status.rawValue): \(info.outcome.reason ?? t.outcome.reason ?? "")")
        }
        guard let n = info.negotiated else { return problems + ["nothing negotiated"] }
        if n.cipherSuite != row.suite.description { problems.append("negotiated \(n.cipherSuite)") }
        if info.resumed != resumed { problems.append(resumed ? "not resumed" : "resumed unexpectedly") }
        let messages = t.messages.filter { $0.connection == i }.map(\.name)
        if resumed {
            // RFC 8446 §2.2, RFC 5246 §7.3: a resumed handshake authenticates with the PSK / master secret.
            for absent in ["Certificate", "CertificateRequest", "CertificateVerify", "ServerKeyExchange", "ClientKeyExchange"]
            where messages.contains(absent) {
                problems.append("the resumed handshake carries \(absent)")
            }
            if row.version == .tls13 {
                let expected = row.resumedKeyExchange(tlslabServes: tlslabServes)
                if n.keyExchange != expected { problems.append("key exchange \(n.keyExchange), expected \(expected)") }
                let group = expected == "PSK only" ? nil : row.group?.description
                if n.group != group { problems.append("group \(n.group ?? "none"), expected \(group ?? "none")") }
            }
        } else {
            if let group = row.group, n.group != group.description { problems.append("group \(n.group ?? "none")") }
            if !messages.contains("Certificate") { problems.append("no Certificate in a full handshake") }
        }
        if row.feature != .handshake && !resumed && row.version == .tls13 && !messages.contains("NewSessionTicket") {
            problems.append("no NewSessionTicket on the first connection")
        }
        if info.helloRetry != row.helloRetry || messages.contains("HelloRetryRequest") != row.helloRetry {
            problems.append("HelloRetryRequest: \(info.helloRetry) (messages: \(messages.joined(separator: ", ")))")
        }
        if row.version == .tls12 {
            if n.extendedMasterSecret != row.extendedMasterSecret { problems.append("extended master secret \(n.extendedMasterSecret)") }
            if n.encryptThenMAC != (row.encryptThenMAC && row.isCBC) { problems.append("encrypt-then-MAC \(n.encryptThenMAC)") }
        }
        // A resumed connection is authenticated by the session, not by a new client certificate.
        if n.clientAuthenticated != (row.mutual && !resumed) { problems.append("client authenticated: \(n.clientAuthenticated)") }
        if t.keylog.isEmpty { problems.append("empty key log") }
        // The saved form reads back identically.
        if let data = try? t.jsonData(), (try? Transcript.load(json: data)) != t { problems.append("the JSON does not round-trip") }
        return problems
    }

    /// OpenSSL's key logs (comments aside) and TLSLab's must hold the same lines: the same client randoms and the
    /// same secrets under the same labels (CLIENT_RANDOM in TLS 1.2; the TLS 1.3 secrets, the early traffic
    /// secret with 0-RTT). OpenSSL also writes an `RSA <first 8 bytes of the encrypted premaster> <premaster>`
    /// line for RSA key exchange — the same keys by another route; TLSLab's CLIENT_RANDOM line already gives
    /// Wireshark the master secret.
    static func compareKeyLogs(openssl urls: [URL], ours: String) -> [String] {
        var theirs: Set<String> = []
        for url in urls {
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { return ["no OpenSSL key log \(url.lastPathComponent)"] }
            theirs.formUnion(
                text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty && !$0.hasPrefix("RSA ") })
        }
        let mine = Set(ours.split(separator: "\n").map(String.init))
        if theirs.isEmpty { return ["OpenSSL's key log is empty"] }
        if theirs != mine {
            return ["key logs differ: OpenSSL only \(theirs.subtracting(mine).sorted()), TLSLab only \(mine.subtracting(theirs).sorted())"]
        }
        return []
    }
}
