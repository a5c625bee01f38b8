import Foundation
import TLSHandshake
import TLSNet
import TLSScenario
import TLSTranscript
import TLSWire
import XCTest

/// The interop matrix against OpenSSL on 127.0.0.1, both directions. Success is read from OpenSSL's own output
/// (protocol, cipher, verification, the extended master secret line, the peer certificate it saw), from the
/// application data that comes back, and from OpenSSL's key log, which must list exactly the secrets TLSLab
/// derived.
final class OpenSSLInteropTests: PeerTestCase {
    func testTLSLabServesOpenSSLClients() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        var table: [String] = []
        for row in InteropMatrix.runnable {
            let problems = await serveOpenSSLClient(row, openssl: openssl)
            XCTAssert(problems.isEmpty, "\(row): \(problems.joined(separator: "; "))")
            table.append("\(problems.isEmpty ? "ok  " : "FAIL") \(row)")
        }
        print("tlslab serve ← openssl s_client (\(table.filter { $0.hasPrefix("ok") }.count)/\(table.count)):\n  " + table.joined(separator: "\n  "))
    }

    func testTLSLabConnectsToOpenSSLServers() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        var table: [String] = []
        for row in InteropMatrix.runnable {
            let problems = await connectToOpenSSLServer(row, openssl: openssl)
            XCTAssert(problems.isEmpty, "\(row): \(problems.joined(separator: "; "))")
            table.append("\(problems.isEmpty ? "ok  " : "FAIL") \(row)")
        }
        print("tlslab connect → openssl s_server (\(table.filter { $0.hasPrefix("ok") }.count)/\(table.count)):\n  " + table.joined(separator: "\n  "))
    }

    // MARK: - TLSLab serves

    func serveOpenSSLClient(_ row: InteropRow, openssl: String) async -> [String] {
        var problems: [String] = []
        var output = ""
        do {
            let server = try PeerServer(scenario: try row.configuredScenario(), host: "127.0.0.1", port: 0)
            let box = ServedBox()
            let (serving, stop) = serve(server, into: box)
            let token = "/row-\(UUID().uuidString.prefix(8))"
            let keylog = scratch.appendingPathComponent("\(token.dropFirst()).openssl.keys")
            let client = try start(
                openssl, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-keylogfile", keylog.path] + row.opensslClient)
            client.write("GET \(token) HTTP/1.1\r\nHost: www.example.com\r\n\r\n")
            client.closeInput()
            let status = await client.wait(timeout: .seconds(20))
            if status == nil { stop.raise() }
            _ = await serving.value
            let out = client.output
            output = out
            // What OpenSSL says.
            if status != 0 { problems.append("s_client exited with \(status.map(String.init) ?? "a timeout")") }
            // TLS 1.2 prints the session at once; TLS 1.3 only once a ticket arrives, and TLSLab sends none.
            // ("New, TLSv1.0, Cipher is …" names the suite's first version, not the protocol.)
            let expected =
                row.version == .tls12
                ? ["Protocol  : TLSv1.2", "Cipher    : \(row.openssl)"] : ["New, TLSv1.3, Cipher is \(row.openssl)"]
            for line in expected + ["Verify return code: 0 (ok)"]
            where !out.contains(line) {
                problems.append("s_client did not print '\(line)'")
            }
            if row.version == .tls12 {
                let line = "Extended master secret: \(row.extendedMasterSecret ? "yes" : "no")"
                if !out.contains(line) { problems.append("s_client did not print '\(line)'") }
            }
            if !out.contains("You sent: GET \(token) HTTP/1.1") { problems.append("the response did not echo the request") }
            // What TLSLab recorded.
            guard let served = box.value else { return problems + ["the server reported no connection"] }
            problems += checkTranscript(served.result.transcript, row: row)
            problems += compareKeyLogs(openssl: keylog, ours: served.result.transcript.keylog)
        } catch {
            problems.append("\(error)")
        }
        if !problems.isEmpty { problems.append("s_client output: \(output)") }
        return problems
    }

    // MARK: - TLSLab connects

    func connectToOpenSSLServer(_ row: InteropRow, openssl: String) async -> [String] {
        var problems: [String] = []
        do {
            let port = try freePort()
            let keylog = scratch.appendingPathComponent("\(port).openssl.keys")
            let server = try start(
                openssl, ["s_server", "-accept", "127.0.0.1:\(port)", "-keylogfile", keylog.path] + row.opensslServer)
            guard await server.waitForOutput("ACCEPT") else { return ["s_server did not start: \(server.output)"] }
            let token = "tlslab-\(UUID().uuidString.prefix(8))"
            let result = try await RealPeer.connect(
                host: "127.0.0.1", port: port, scenario: try row.configuredScenario(), seed: nil,
                request: Array("\(token)\nCLOSE\n".utf8), settings: PeerSettings(idleTimeout: .seconds(10)))
            let status = await server.wait(timeout: .seconds(10))
            let out = server.output
            if status != 0 { problems.append("s_server exited with \(status.map(String.init) ?? "a timeout")") }
            for line in ["CONNECTION ESTABLISHED", "Protocol version: \(row.opensslVersion)", "Ciphersuite: \(row.openssl)"]
            where !out.contains(line) {
                problems.append("s_server did not print '\(line)'")
            }
            if row.mutual {
                for line in ["Peer certificate: O = TLSLab Demo, CN = TLSLab Demo Client", "Verification: OK"]
                where !out.contains(line) {
                    problems.append("s_server did not print '\(line)'")
                }
            }
            // -rev sends each line back reversed.
            let echoed = String(decoding: result.applicationData, as: UTF8.self)
            if !echoed.contains(String(token.reversed())) { problems.append("s_server did not echo the token: '\(echoed)'") }
            problems += checkTranscript(result.transcript, row: row)
            problems += compareKeyLogs(openssl: keylog, ours: result.transcript.keylog)
            if !problems.isEmpty { problems.append("s_server output: \(out)") }
        } catch {
            problems.append("\(error)")
        }
        return problems
    }

    // MARK: - Checks

    func checkTranscript(_ t: Transcript, row: InteropRow) -> [String] {
        var problems: [String] = []
        if t.outcome.status != .completed {
            problems.append("transcript \(t.outcome.status.rawValue): \(t.outcome.reason ?? "")")
        }
        guard let n = t.negotiated else { return problems + ["nothing negotiated"] }
        if n.cipherSuite != row.suite.description { problems.append("negotiated \(n.cipherSuite)") }
        if let group = row.group, n.group != group.description { problems.append("group \(n.group ?? "none")") }
        if row.version == .tls12 {
            if n.extendedMasterSecret != row.extendedMasterSecret { problems.append("extended master secret \(n.extendedMasterSecret)") }
            if n.encryptThenMAC != (row.encryptThenMAC && row.isCBC) { problems.append("encrypt-then-MAC \(n.encryptThenMAC)") }
        }
        if n.clientAuthenticated != row.mutual { problems.append("client authenticated: \(n.clientAuthenticated)") }
        if t.keylog.isEmpty { problems.append("empty key log") }
        // The saved form reads back identically.
        if let data = try? t.jsonData(), (try? Transcript.load(json: data)) != t { problems.append("the JSON does not round-trip") }
        return problems
    }

    /// OpenSSL's key log (comments aside) and TLSLab's must hold the same lines: the same client random and the
    /// same secrets under the same labels (CLIENT_RANDOM in TLS 1.2; the five TLS 1.3 secrets). OpenSSL also
    /// writes an `RSA <first 8 bytes of the encrypted premaster> <premaster>` line for RSA key exchange — the
    /// same keys by another route; TLSLab's CLIENT_RANDOM line already gives Wireshark the master secret.
    func compareKeyLogs(openssl url: URL, ours: String) -> [String] {
        guard let text = try? String(contentsOf: url, encoding: .utf8) else { return ["no OpenSSL key log"] }
        let theirs = Set(
            text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty && !$0.hasPrefix("RSA ") })
        let mine = Set(ours.split(separator: "\n").map(String.init))
        if theirs.isEmpty { return ["OpenSSL's key log is empty"] }
        if theirs != mine {
            return ["key logs differ: OpenSSL only \(theirs.subtracting(mine).sorted()), TLSLab only \(mine.subtracting(theirs).sorted())"]
        }
        return []
    }
}
