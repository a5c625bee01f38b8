import Foundation
import TLSNet
import TLSScenario
import TLSTranscript
import TLSWire
import XCTest

/// The `tlslab serve` and `tlslab connect` commands as a learner runs them (the built binary, as a child process).
final class CommandLineTests: PeerTestCase {
    /// The tlslab executable next to the test bundle (swift test builds it too).
    func tlslab() throws -> String {
        var candidates: [URL] = []
        if let executable = Bundle.main.executableURL { candidates.append(executable.deletingLastPathComponent()) }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(Bundle(for: CommandLineTests.self).bundleURL.deletingLastPathComponent())
        candidates.append(repositoryRoot.appendingPathComponent(".build/debug"))
        for directory in candidates {
            let path = directory.appendingPathComponent("tlslab").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw PeerTestError("tlslab binary not found near \(candidates.map(\.path)); run swift build first")
    }

    /// `listening on HOST:PORT` from serve's first line.
    func port(from output: String) -> UInt16? {
        guard let range = output.range(of: "listening on 127.0.0.1:") else { return nil }
        return UInt16(output[range.upperBound...].prefix { $0.isNumber })
    }

    func testCtrlCStopsServeCleanlyAndEverySavedTranscriptIsWhole() async throws {
        let directory = scratch.appendingPathComponent("served")
        let serve = try start(
            try tlslab(),
            ["serve", "--scenario", "tls13", "--port", "0", "--save", directory.path, "--scenarios", scenariosDirectory.path])
        let started = await serve.waitForOutput("listening on")
        XCTAssertTrue(started, serve.output)
        let port = try XCTUnwrap(port(from: serve.output), serve.output)

        // One whole connection (TLSLab's own client as the peer: no external tool needed)...
        let first = try await RealPeer.connect(
            host: "127.0.0.1", port: port, scenario: try scenario("tls13"), seed: nil,
            request: Array("GET /first HTTP/1.1\r\nHost: www.example.com\r\n\r\n".utf8))
        XCTAssertEqual(first.transcript.outcome.status, .completed, first.transcript.outcome.reason ?? "")
        XCTAssertTrue(String(decoding: first.applicationData, as: UTF8.self).contains("You sent: GET /first HTTP/1.1"))
        let line = await serve.waitForOutput("#1 ")
        XCTAssertTrue(line, serve.output)

        // ...and one in progress when Ctrl-C comes: half a ClientHello.
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        try socket.write([0x16, 0x03, 0x01, 0x00, 0x80, 0x01, 0x00, 0x00, 0x7c, 0x03, 0x03])
        try await Task.sleep(for: .milliseconds(300))
        let interrupted = ContinuousClock.now
        serve.signal(SIGINT)
        let status = await serve.wait(timeout: .seconds(10))
        XCTAssertLessThan(ContinuousClock.now - interrupted, .seconds(3), "serve took too long to stop")
        XCTAssertEqual(status, 0, serve.output)
        XCTAssertTrue(serve.stdout.contains("#2 "), serve.output)
        XCTAssertTrue(serve.stdout.contains("stopped after 2 connections"), serve.output)
        XCTAssertTrue(serve.stderr.contains("stopping"), serve.output)

        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(files.filter { $0.hasSuffix(".json") }.count, 2, "\(files)")
        XCTAssertTrue(files.allSatisfy { !$0.hasPrefix(".") }, "temporary files left: \(files)")
        let transcripts = try files.map { try Transcript.load(json: Data(contentsOf: directory.appendingPathComponent($0))) }
        let byNumber = Dictionary(uniqueKeysWithValues: zip(files.map { Int($0.prefix { $0.isNumber }) ?? 0 }, transcripts))
        XCTAssertEqual(byNumber[1]?.outcome.status, .completed)
        XCTAssertEqual(byNumber[2]?.outcome.status, .incomplete)
        XCTAssertTrue(byNumber[2]?.events.contains { ($0.text ?? "").hasPrefix("Stopped (Ctrl-C)") } ?? false)
        // serve's line names the saved file, and `tlslab run FILE` steps through it.
        let saved = directory.appendingPathComponent(try XCTUnwrap(files.first { $0.hasPrefix("1-") }))
        XCTAssertTrue(serve.stdout.contains("saved \(saved.path)"), serve.stdout)
        let run = try start(try tlslab(), ["run", saved.path])
        let runStatus = await run.wait()
        XCTAssertEqual(runStatus, 0, run.output)
        XCTAssertTrue(run.stdout.contains("real client 127.0.0.1:"), run.stdout)
        XCTAssertTrue(run.stdout.contains("ClientHello"), run.stdout)
        XCTAssertTrue(run.stdout.contains("You sent: GET /first HTTP/1.1"), run.stdout)
    }

    func testConnectPrintsTheWalkthroughAndSavesATranscriptThatExports() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let (_, port) = try await startOpenSSLServer(
            openssl,
            [
                "-naccept", "1", "-www", "-cert", "\(pkiDirectory.path)/server-ecdsa.pem", "-key",
                "\(pkiDirectory.path)/server-ecdsa.key",
            ])
        let file = scratch.appendingPathComponent("connect.json")
        let connect = try start(
            try tlslab(),
            [
                "connect", "127.0.0.1:\(port)", "--scenario", "tls13-p256-ecdsa", "--request", "GET / HTTP/1.0\\r\\n\\r\\n",
                "--save", file.path, "--scenarios", scenariosDirectory.path,
            ])
        let status = await connect.wait()
        XCTAssertEqual(status, 0, connect.output)
        // s_server -www answers with a status page naming the protocol and cipher it negotiated.
        XCTAssertTrue(connect.stdout.contains("HTTP/1.0 200 ok"), connect.stdout)
        XCTAssertTrue(connect.stdout.contains("New, TLSv1.3, Cipher is TLS_AES_256_GCM_SHA384"), connect.stdout)
        XCTAssertTrue(connect.stdout.contains("real server 127.0.0.1:\(port)"), connect.stdout)
        XCTAssertTrue(connect.stderr.contains("TLS 1.3  TLS_AES_256_GCM_SHA384  completed"), connect.stderr)
        let t = try Transcript.load(json: Data(contentsOf: file))
        XCTAssertEqual(t.outcome.status, .completed)
        XCTAssertNil(t.seed, "a real peer uses the OS random generator")
        XCTAssertTrue(t.secrets.allSatisfy { $0.side == .client }, "only the client's side is known")

        let capture = scratch.appendingPathComponent("connect.pcapng")
        let export = try start(try tlslab(), ["export", file.path, "--format", "pcapng", "-o", capture.path])
        let exportStatus = await export.wait()
        XCTAssertEqual(exportStatus, 0, export.output)
        XCTAssertGreaterThan((try? Data(contentsOf: capture).count) ?? 0, 1000)
    }

    func testSeedMakesTheClientRandomReproducibleAndIsRecorded() async throws {
        // Two connections with the same seed send the same ClientHello random (the OS generator does not).
        var randoms: [String] = []
        for seed: UInt64? in [7, 7, nil] {
            let server = try PeerServer(scenario: try scenario("tls13"), host: "127.0.0.1", port: 0)
            let (task, _) = serve(server)
            let r = try await RealPeer.connect(host: "127.0.0.1", port: server.port, scenario: try scenario("tls13"), seed: seed)
            _ = await task.value
            XCTAssertEqual(r.transcript.seed, seed)
            randoms.append(r.transcript.secrets.first { $0.name == "client_random" }?.hex ?? "")
        }
        XCTAssertEqual(randoms[0], randoms[1])
        XCTAssertNotEqual(randoms[0], randoms[2])
    }

    /// The recipe of docs/real-peers.md: `tlslab serve --count 2` keeps its ticket key between connections, so
    /// `s_client -sess_out` then `-sess_in` resumes, and the second saved transcript shows it.
    func testServeResumesAnOpenSSLSessionAndSavesBothTranscripts() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let directory = scratch.appendingPathComponent("served")
        let serve = try start(
            try tlslab(),
            [
                "serve", "--scenario", "tls13", "--session-tickets", "--port", "0", "--count", "2", "--save",
                directory.path, "--scenarios", scenariosDirectory.path,
            ])
        let started = await serve.waitForOutput("listening on")
        XCTAssertTrue(started, serve.output)
        let port = try XCTUnwrap(port(from: serve.output), serve.output)
        let sessionFile = scratch.appendingPathComponent("session.pem")
        var outputs: [String] = []
        for (n, option) in [(1, "-sess_out"), (2, "-sess_in")] {
            let client = try start(
                openssl,
                [
                    "s_client", "-connect", "127.0.0.1:\(port)", "-CAfile", "\(pkiDirectory.path)/ca.pem", "-servername",
                    "www.example.com", "-ign_eof", option, sessionFile.path,
                ])
            client.write("GET /visit-\(n) HTTP/1.1\r\n\r\n")
            client.closeInput()
            let status = await client.wait()
            XCTAssertEqual(status, 0, client.output)
            outputs.append(client.output)
        }
        XCTAssertTrue(outputs[0].contains("New, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"), outputs[0])
        XCTAssertTrue(outputs[1].contains("Reused, TLSv1.3, Cipher is TLS_AES_128_GCM_SHA256"), outputs[1])
        let status = await serve.wait()
        XCTAssertEqual(status, 0, serve.output)
        XCTAssertTrue(serve.stdout.contains("completed, resumed (PSK + (EC)DHE) (closed with close_notify)"), serve.stdout)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        XCTAssertEqual(files.count, 2, "\(files)")
        let second = try Transcript.load(
            json: Data(contentsOf: directory.appendingPathComponent(try XCTUnwrap(files.first { $0.hasPrefix("2-") }))))
        XCTAssertEqual(second.connections.first?.resumed, true)
        XCTAssertFalse(second.messages.contains { $0.name == "Certificate" })
        XCTAssertTrue(second.events.contains { $0.kind == .applicationData && ($0.text ?? "").contains("GET /visit-2") })
    }

    /// `tlslab connect --count 2` against one `s_server -naccept 2`: the second connection resumes; one saved
    /// transcript holds both, and exports as a capture with two TCP connections.
    func testConnectCountTwoResumesAndSavesOneTranscriptWithBothConnections() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        for (scenario, options, serverOptions) in [
            ("tls13", [String](), [String]()), ("tls12-ecdhe-rsa", ["--session-tickets"], []),
            ("tls12-ecdhe-rsa", [], ["-no_ticket"]),
        ] {
            let (server, port) = try await startOpenSSLServer(
                openssl,
                [
                    "-naccept", "2", "-rev", "-cert", "\(pkiDirectory.path)/server-rsa.pem", "-key",
                    "\(pkiDirectory.path)/server-rsa.key",
                ] + serverOptions)
            let file = scratch.appendingPathComponent("\(port).json")
            let connect = try start(
                try tlslab(),
                [
                    "connect", "127.0.0.1:\(port)", "--scenario", scenario, "--count", "2", "--request", "hello\\nCLOSE\\n",
                    "--save", file.path, "--scenarios", scenariosDirectory.path,
                ] + options)
            let status = await connect.wait()
            XCTAssertEqual(status, 0, connect.output)
            let serverStatus = await server.wait()
            XCTAssertEqual(serverStatus, 0, server.output)
            XCTAssertTrue(server.stdout.contains("1 session cache hits"), server.stdout)
            let lines = connect.stderr.split(separator: "\n").map(String.init)
            XCTAssertEqual(lines.count, 2, connect.stderr)
            XCTAssertTrue(lines.first?.hasPrefix("tlslab connect: #1  127.0.0.1:\(port)") ?? false, connect.stderr)
            XCTAssertTrue(lines.last?.contains("completed, resumed") ?? false, connect.stderr)
            XCTAssertTrue(connect.stdout.contains("═══ connection 2: offers the"), connect.stdout)
            let t = try Transcript.load(json: Data(contentsOf: file))
            XCTAssertEqual(t.connections.map(\.resumed), [false, true], scenario)
            XCTAssertEqual(t.outcome.status, .completed)
            let capture = scratch.appendingPathComponent("\(port).pcap")
            let export = try start(try tlslab(), ["export", file.path, "--format", "pcap", "-o", capture.path])
            let exportStatus = await export.wait()
            XCTAssertEqual(exportStatus, 0, export.output)
            let keys = (try? String(contentsOf: URL(fileURLWithPath: capture.path + ".keys"), encoding: .utf8)) ?? ""
            XCTAssertEqual(Set(keys.split(separator: "\n").map { $0.split(separator: " ")[1] }).count, 2, keys)
        }
    }

    func testResumptionOptionsAreChecked() async throws {
        for (arguments, message) in [
            (["connect", "127.0.0.1:1", "--early-data"], "--early-data needs --count 2"),
            (["connect", "127.0.0.1:1", "--count", "0"], "--count must be at least 1"),
            (["connect", "127.0.0.1:1", "--psk-mode", "psk_dh"], "unknown PSK mode 'psk_dh'"),
            (["connect", "127.0.0.1:1", "--key-share", "x448"], "unknown group 'x448'"),
        ] {
            let p = try start(try tlslab(), arguments + ["--scenarios", scenariosDirectory.path])
            let status = await p.wait()
            XCTAssertNotEqual(status, 0, arguments.joined(separator: " "))
            XCTAssertTrue(p.stderr.contains(message), "\(arguments): \(p.stderr)")
        }
    }

    func testConnectToNothingFailsWithAClearMessage() async throws {
        let port = try freePort()
        let connect = try start(try tlslab(), ["connect", "127.0.0.1:\(port)", "--scenarios", scenariosDirectory.path])
        let status = await connect.wait()
        XCTAssertEqual(status, 1)
        XCTAssertTrue(connect.stderr.contains("cannot connect to 127.0.0.1:\(port)"), connect.stderr)
    }
}
