import Foundation
import TLSNet
import TLSScenario
import TLSTranscript
import TLSWire
import XCTest

/// `gnutls-cli` and `curl` (OpenSSL inside, but with its own ClientHello) against `tlslab serve`.
final class GnuTLSAndCurlTests: PeerTestCase {
    /// Serves one connection of `scenario`, runs `client` against it, returns what the server recorded.
    func serveOne(_ scenario: Scenario, client: (UInt16) throws -> PeerProcess) async throws -> (PeerProcess, ServedConnection) {
        let server = try PeerServer(scenario: scenario, host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (serving, stop) = serve(server, into: box)
        let process = try client(server.port)
        if await process.wait(timeout: .seconds(20)) == nil { stop.raise() }
        _ = await serving.value
        let served = try XCTUnwrap(box.value, "no connection served; client said: \(process.output)")
        return (process, served)
    }

    struct GnuTLSRow {
        var name: String
        var scenario: String
        var priority: String
        var extendedMasterSecret: Bool? = nil
        var encryptThenMAC: Bool? = nil
        /// Expected `- Description:` line.
        var description: String
        var options: [String] = []
        var absentOptions: [String] = []
    }

    static let rsa12 = "NORMAL:-VERS-ALL:+VERS-TLS1.2:-KX-ALL:+RSA:-CIPHER-ALL:+AES-128-CBC:-MAC-ALL:+SHA256"

    static let gnutlsRows: [GnuTLSRow] = [
        GnuTLSRow(
            name: "1.2 RSA AES-128-CBC-SHA256, EMS and EtM on", scenario: "tls12-rsa", priority: rsa12,
            extendedMasterSecret: true, encryptThenMAC: true,
            description: "(TLS1.2-X.509)-(RSA)-(AES-128-CBC)-(SHA256)", options: ["extended master secret", "EtM"]),
        GnuTLSRow(
            name: "1.2 RSA AES-128-CBC-SHA256, EMS and EtM off (client: %NO_ETM:%NO_SESSION_HASH)",
            scenario: "tls12-rsa", priority: rsa12 + ":%NO_ETM:%NO_SESSION_HASH", extendedMasterSecret: true,
            encryptThenMAC: true, description: "(TLS1.2-X.509)-(RSA)-(AES-128-CBC)-(SHA256)",
            absentOptions: ["extended master secret", "EtM"]),
        GnuTLSRow(
            name: "1.2 RSA AES-128-CBC-SHA256 as shipped (TLSLab: EMS and EtM off)", scenario: "tls12-rsa", priority: rsa12,
            description: "(TLS1.2-X.509)-(RSA)-(AES-128-CBC)-(SHA256)", absentOptions: ["extended master secret", "EtM"]),
        GnuTLSRow(
            name: "1.2 ECDHE-ECDSA AES-128-GCM", scenario: "tls12-ecdhe-ecdsa", priority: "NORMAL:-VERS-ALL:+VERS-TLS1.2",
            description: "(TLS1.2-X.509)-(ECDHE-X25519)-(ECDSA-SHA256)-(AES-128-GCM)", options: ["extended master secret"]),
        GnuTLSRow(
            name: "1.3 x25519 AES-128-GCM, RSA-PSS", scenario: "tls13", priority: "NORMAL:-VERS-ALL:+VERS-TLS1.3",
            description: "(TLS1.3-X.509)-(ECDHE-X25519)-(RSA-PSS-RSAE-SHA256)-(AES-128-GCM)"),
        GnuTLSRow(
            name: "1.3 secp256r1 AES-256-GCM, ECDSA (GnuTLS's second key share)", scenario: "tls13-p256-ecdsa",
            priority: "NORMAL:-VERS-ALL:+VERS-TLS1.3",
            description: "(TLS1.3-X.509)-(ECDHE-SECP256R1)-(ECDSA-SECP256R1-SHA256)-(AES-256-GCM)"),
    ]

    func testGnuTLSClientsAgainstTLSLabServe() async throws {
        let gnutls = try requireTool("gnutls-cli", install: "apt-get install gnutls-bin")
        var table: [String] = []
        for row in Self.gnutlsRows {
            var s = try scenario(row.scenario)
            if let ems = row.extendedMasterSecret { s.server.extendedMasterSecret = ems }
            if let etm = row.encryptThenMAC { s.server.encryptThenMAC = etm }
            let token = "/gnutls-\(UUID().uuidString.prefix(8))"
            let keylog = scratch.appendingPathComponent("\(token.dropFirst()).keys")
            let (client, served) = try await serveOne(s) { port in
                let p = try self.start(
                    gnutls, ["--x509cafile", "\(pkiDirectory.path)/ca.pem", "--priority", row.priority, "-p", "\(port)", "localhost"],
                    environment: ["SSLKEYLOGFILE": keylog.path])
                p.write("GET \(token) HTTP/1.1\r\nHost: localhost\r\n\r\n")
                p.closeInput()
                return p
            }
            let out = client.output
            var problems: [String] = []
            for line in ["- Status: The certificate is trusted.", "- Description: \(row.description)", "- Handshake was completed", "You sent: GET \(token) HTTP/1.1"]
            where !out.contains(line) {
                problems.append("gnutls-cli did not print '\(line)'")
            }
            let options = out.split(separator: "\n").first { $0.hasPrefix("- Options:") }.map(String.init) ?? ""
            for o in row.options where !options.contains(o) { problems.append("options lack \(o): \(options)") }
            for o in row.absentOptions where options.contains(o) { problems.append("options have \(o): \(options)") }
            let t = served.result.transcript
            if t.outcome.status != .completed { problems.append("transcript \(t.outcome.status.rawValue): \(t.outcome.reason ?? "")") }
            if let ems = t.negotiated?.extendedMasterSecret, ems != row.options.contains("extended master secret") {
                problems.append("TLSLab negotiated EMS \(ems)")
            }
            // GnuTLS's key log (SSLKEYLOGFILE) names the same secrets.
            let theirs = Set(((try? String(contentsOf: keylog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
            let ours = Set(t.keylog.split(separator: "\n").map(String.init))
            if theirs.isEmpty || theirs != ours { problems.append("key logs differ: GnuTLS \(theirs.sorted()), TLSLab \(ours.sorted())") }
            if row.scenario == "tls13-p256-ecdsa" {
                // GnuTLS offers two key shares; TLSLab's server takes the one for its group, no HelloRetryRequest.
                let shares = clientHello(t).flatMap { hello -> [KeyShareEntry]? in
                    if case .keyShares(let list) = hello.extensions.body(of: .keyShare) { return list }
                    return nil
                }?.count ?? 0
                if shares < 2 { problems.append("expected GnuTLS to send several key shares, saw \(shares)") }
                if t.messages.contains(where: { $0.name == "HelloRetryRequest" }) { problems.append("unexpected HelloRetryRequest") }
            }
            XCTAssert(problems.isEmpty, "\(row.name): \(problems.joined(separator: "; "))\n\(out)")
            table.append("\(problems.isEmpty ? "ok  " : "FAIL") \(row.name)")
        }
        print("tlslab serve ← gnutls-cli (\(table.filter { $0.hasPrefix("ok") }.count)/\(table.count)):\n  " + table.joined(separator: "\n  "))
    }

    /// `gnutls-cli --resume` connects twice in one process, the second time resuming the first session: against
    /// one `tlslab serve` (one server memory), by TLS 1.3 ticket (with 0-RTT data), by TLS 1.2 session ID
    /// (`%NO_TICKETS`) and by TLS 1.2 RFC 5077 ticket.
    func testGnuTLSResumesWithTLSLabServe() async throws {
        let gnutls = try requireTool("gnutls-cli", install: "apt-get install gnutls-bin")
        struct Row: Sendable {
            var name: String
            var scenario: String
            var priority: String
            var configure: @Sendable (inout Scenario) -> Void
            var earlyData = false
        }
        let rows = [
            Row(
                name: "1.3 ticket, psk_dhe_ke, 0-RTT", scenario: "tls13", priority: "NORMAL:-VERS-ALL:+VERS-TLS1.3",
                configure: { $0.server.maxEarlyData = 16384; $0.server.sessionTickets = true }, earlyData: true),
            Row(
                name: "1.2 session ID", scenario: "tls12-ecdhe-rsa", priority: "NORMAL:-VERS-ALL:+VERS-TLS1.2:%NO_TICKETS",
                configure: { $0.server.sessionCache = true }),
            Row(
                name: "1.2 RFC 5077 ticket", scenario: "tls12-ecdhe-rsa", priority: "NORMAL:-VERS-ALL:+VERS-TLS1.2",
                configure: { $0.server.sessionTickets = true }),
        ]
        let harness = harness!
        let results = await concurrently(rows) { row -> [String] in
            var problems: [String] = []
            do {
                var s = try scenario(row.scenario)
                row.configure(&s)
                let server = try PeerServer(scenario: s, host: "127.0.0.1", port: 0)
                let box = ServedBox()
                let (serving, stop) = harness.serve(server, ServeSettings(count: 2), into: box)
                let token = "/gnutls-\(UUID().uuidString.prefix(8))"
                let request = "GET \(token) HTTP/1.1\r\nHost: localhost\r\n\r\n"
                var arguments = ["--x509cafile", "\(pkiDirectory.path)/ca.pem", "--priority", row.priority, "-p", "\(server.port)", "--resume"]
                if row.earlyData {
                    let file = harness.scratch.appendingPathComponent("\(token.dropFirst()).early")
                    try Data(request.utf8).write(to: file)
                    arguments.append("--earlydata=\(file.path)")
                }
                let keylog = harness.scratch.appendingPathComponent("\(token.dropFirst()).keys")
                let client = try harness.start(gnutls, arguments + ["localhost"], environment: ["SSLKEYLOGFILE": keylog.path])
                client.write(request)
                client.closeInput()
                if await client.wait(timeout: .seconds(20)) != 0 { problems.append("gnutls-cli failed"); stop.raise() }
                _ = await serving.value
                let out = client.output
                for line in ["- Resume Handshake was completed", "*** This is a resumed session"] where !out.contains(line) {
                    problems.append("gnutls-cli did not print '\(line)'")
                }
                let served = box.all.sorted { $0.number < $1.number }
                let transcripts = served.map(\.result.transcript)
                if transcripts.map({ $0.connections.first?.resumed ?? false }) != [false, true] {
                    problems.append("resumed: \(transcripts.map { $0.connections.first?.resumed ?? false })")
                }
                if let second = transcripts.last, second.messages.contains(where: { $0.name == "Certificate" }) {
                    problems.append("the resumed connection carries a Certificate")
                }
                if row.earlyData, transcripts.last?.events.contains(where: { $0.direction == "early" && ($0.text ?? "").contains(token) }) != true {
                    problems.append("no 0-RTT request on the resumed connection")
                }
                let theirs = Set(((try? String(contentsOf: keylog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
                var ours = Set(transcripts.flatMap { $0.keylog.split(separator: "\n").map(String.init) })
                if row.scenario != "tls13", transcripts.count == 2 {
                    // GnuTLS logs CLIENT_RANDOM only when it computes a master secret, not for an abbreviated
                    // handshake; TLSLab logs the resumed connection too (its new client random, the old master
                    // secret), which must be the first connection's master secret.
                    let first = transcripts[0].keylog.split(separator: " ").last.map { String($0.dropLast()) }
                    let second = transcripts[1].keylog.trimmingCharacters(in: .newlines)
                    if second.split(separator: " ").last.map(String.init) != first { problems.append("the resumed master secret differs") }
                    ours.remove(second)
                }
                if theirs.isEmpty || theirs != ours {
                    problems.append("key logs differ: GnuTLS only \(theirs.subtracting(ours).sorted()), TLSLab only \(ours.subtracting(theirs).sorted())")
                }
                if !problems.isEmpty { problems.append(out) }
            } catch {
                problems.append("\(error)")
            }
            return problems
        }
        var table: [String] = []
        for (row, problems) in zip(rows, results) {
            XCTAssert(problems.isEmpty, "\(row.name): \(problems.joined(separator: "; "))")
            table.append("\(problems.isEmpty ? "ok  " : "FAIL") gnutls-cli --resume → tlslab serve: \(row.name)")
        }
        print(table.joined(separator: "\n"))
    }

    func testCurlGetsTheHTTPResponse() async throws {
        let curl = try requireTool("curl", install: "apt-get install curl")
        var table: [String] = []
        for (name, extra) in [("tls13", [String]()), ("tls12-ecdhe-rsa", ["--tlsv1.2", "--tls-max", "1.2"]), ("tls12-rsa", ["--tlsv1.2", "--tls-max", "1.2"])] {
            let token = "/curl-\(UUID().uuidString.prefix(8))"
            let keylog = scratch.appendingPathComponent("\(token.dropFirst()).keys")
            let (client, served) = try await serveOne(try scenario(name)) { port in
                try self.start(
                    curl, ["-sS", "--cacert", "\(pkiDirectory.path)/ca.pem"] + extra + ["https://localhost:\(port)\(token)"],
                    environment: ["SSLKEYLOGFILE": keylog.path])
            }
            let t = served.result.transcript
            XCTAssertEqual(client.process.terminationStatus, 0, "\(name): \(client.output)")
            XCTAssertTrue(client.stdout.hasPrefix("Hello from TLSLab!\nYou sent: GET \(token) HTTP/1.1\n"), "\(name): \(client.output)")
            XCTAssertEqual(t.outcome.status, .completed, "\(name): \(t.outcome.reason ?? "")")
            // curl sends its own request line and headers.
            let request = t.events.first { $0.kind == .applicationData }?.text ?? ""
            XCTAssertTrue(request.contains("User-Agent: curl/"), request)
            let theirs = Set(((try? String(contentsOf: keylog, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init))
                .filter { !$0.hasPrefix("#") && !$0.hasPrefix("RSA ") }
            XCTAssertEqual(theirs, Set(t.keylog.split(separator: "\n").map(String.init)), "\(name): key logs differ")
            table.append("\(t.outcome.status == .completed ? "ok  " : "FAIL") curl → tlslab serve --scenario \(name): \(t.negotiated?.cipherSuite ?? "-")")
        }
        print(table.joined(separator: "\n"))
    }
}

/// The ClientHello a real client sent, decoded from the transcript's bytes.
func clientHello(_ t: Transcript) -> ClientHello? {
    guard let entry = t.messages.first(where: { $0.name == "ClientHello" }),
        let (message, _) = try? HandshakeMessage.decode(entry.bytes, context: DecodeContext()),
        case .clientHello(let hello) = message.body
    else { return nil }
    return hello
}
