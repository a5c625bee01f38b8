import Foundation
import TLSExport
import TLSNet
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// Packet captures of transcripts, checked by tshark (Wireshark's engine): every shipped scenario decrypts from
/// the pcapng alone (key log in a Decryption Secrets Block) and from the classic pcap plus its key log — both
/// Finished messages and the application data become visible — and with a wrong key nothing does.
final class PcapExportTests: PeerTestCase {
    func transcript(_ name: String) async throws -> Transcript {
        try await Simulator.run(try scenario(name))
    }

    func write(_ data: Data, _ name: String) throws -> URL {
        try Self.write(data, name, in: scratch)
    }

    static func write(_ data: Data, _ name: String, in directory: URL) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try data.write(to: url)
        return url
    }

    /// tshark's verdict on a capture: the frames showing a Finished message, and the decrypted stream.
    struct Dissection {
        var finishedFrames: Int
        var stream: String
        var raw: String
    }

    func dissect(_ tshark: String, _ capture: URL, keys: URL? = nil) async throws -> Dissection {
        let d = try await Self.dissect(tshark, capture, keys: keys, harness: harness)
        XCTAssertEqual(d.status, 0, d.raw)
        return d.dissection
    }

    static func dissect(_ tshark: String, _ capture: URL, keys: URL? = nil, harness: PeerHarness) async throws
        -> (dissection: Dissection, status: Int32?, raw: String)
    {
        var arguments = ["-r", capture.path]
        if let keys { arguments += ["-o", "tls.keylog_file:\(keys.path)"] }
        arguments += ["-Y", "tls.handshake.type == 20", "-z", "follow,tls,ascii,0"]
        let p = try harness.start(tshark, arguments)
        let status = await p.wait(timeout: .seconds(60))
        let out = p.stdout
        let finished = out.split(separator: "\n").filter { $0.hasSuffix(" Finished") }.count
        let stream = out.components(separatedBy: "Follow: tls,ascii").dropFirst().joined()
        return (Dissection(finishedFrames: finished, stream: stream, raw: out), status, p.stderr + out)
    }

    /// The key log with one hex digit changed in every secret.
    static func wrongKeys(_ keylog: String) -> String {
        keylog.split(separator: "\n").map { line -> String in
            var parts = line.split(separator: " ").map(String.init)
            guard parts.count == 3, let last = parts[2].last else { return String(line) }
            parts[2] = String(parts[2].dropLast()) + (last == "0" ? "1" : "0")
            return parts.joined(separator: " ")
        }.joined(separator: "\n") + "\n"
    }

    // MARK: - tshark

    func testTsharkDecryptsEveryShippedScenarioFromPcapngAndFromPcapWithKeys() async throws {
        let tshark = try requireTool("tshark", install: "apt-get install tshark")
        let names = catalog.names()
        XCTAssertGreaterThanOrEqual(names.count, 9)
        let harness = harness!
        // Scenarios run concurrently (tshark takes ~0.3 s of CPU per capture); each reports what went wrong.
        let results = await concurrently(names, limit: 3) { name in
            do {
                return try await Self.checkCaptures(name, tshark: tshark, harness: harness)
            } catch {
                return (nil, ["\(name): \(error)"])
            }
        }
        for (_, problems) in results {
            for problem in problems { XCTFail(problem) }
        }
        print("tshark:\n  " + results.compactMap(\.line).joined(separator: "\n  "))
    }

    /// One scenario: its pcapng (key log inside) and its pcap + key log decrypt — every connection's two Finished
    /// messages and the first request and response are visible — and nothing decrypts with wrong keys or none.
    static func checkCaptures(_ name: String, tshark: String, harness: PeerHarness) async throws
        -> (line: String?, problems: [String])
    {
        let t = try await Simulator.run(try scenario(name))
        // Every connection of a completed run is in the capture, each with its two Finished messages.
        guard t.outcome.status == .completed else { return (nil, []) }
        var problems: [String] = []
        func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
            if !condition { problems.append("\(name) \(what())") }
        }
        let expectedFinished = 2 * t.connections.count
        guard let request = t.events.first(where: { $0.kind == .applicationData && $0.side == .server })?.text,
            let response = t.events.first(where: { $0.kind == .applicationData && $0.side == .client })?.text
        else { return (nil, ["\(name): no request and response in the transcript"]) }
        let firstRequestLine = String(request.prefix { $0 != "\r" && $0 != "\n" })
        let firstResponseLine = String(response.prefix { $0 != "\r" && $0 != "\n" })
        let directory = harness.scratch
        func dissect(_ capture: URL, keys: URL? = nil) async throws -> Dissection {
            let d = try await Self.dissect(tshark, capture, keys: keys, harness: harness)
            expect(d.status == 0, "tshark exited with \(d.status.map(String.init) ?? "a timeout"): \(d.raw)")
            return d.dissection
        }

        // pcapng: the key log travels inside.
        let pcapng = try write(try PcapExporter.pcapng(t), "\(name).pcapng", in: directory)
        let a = try await dissect(pcapng)
        expect(a.finishedFrames == expectedFinished, "pcapng: \(a.finishedFrames) Finished: \(a.raw)")
        expect(a.stream.contains(firstRequestLine) && a.stream.contains(firstResponseLine), "pcapng: \(a.raw)")

        // pcap + key log file.
        let pcap = try write(try PcapExporter.pcap(t), "\(name).pcap", in: directory)
        let keys = try write(Data(t.keylog.utf8), "\(name).pcap.keys", in: directory)
        let b = try await dissect(pcap, keys: keys)
        expect(b.finishedFrames == expectedFinished, "pcap: \(b.finishedFrames) Finished: \(b.raw)")
        expect(b.stream.contains(firstRequestLine) && b.stream.contains(firstResponseLine), "pcap: \(b.raw)")

        // Wrong keys: nothing decrypts.
        var tampered = t
        tampered.keylog = wrongKeys(t.keylog)
        expect(tampered.keylog != t.keylog, "the tampered key log equals the real one")
        let c = try await dissect(try write(try PcapExporter.pcapng(tampered), "\(name)-wrong.pcapng", in: directory))
        expect(c.finishedFrames == 0, "pcapng, wrong key: \(c.raw)")
        expect(!c.stream.contains(firstRequestLine), "pcapng, wrong key")
        let d = try await dissect(pcap, keys: try write(Data(tampered.keylog.utf8), "\(name)-wrong.keys", in: directory))
        expect(d.finishedFrames == 0, "pcap, wrong key: \(d.raw)")
        expect(!d.stream.contains(firstRequestLine), "pcap, wrong key")
        // And no key at all.
        let e = try await dissect(pcap)
        expect(e.finishedFrames == 0, "pcap without keys")

        return (
            "\(name): pcapng \(a.finishedFrames) Finished, pcap+keys \(b.finishedFrames), wrong key \(c.finishedFrames)/\(d.finishedFrames)",
            problems
        )
    }

    func testTsharkFindsTheTCPStreamClean() async throws {
        let tshark = try requireTool("tshark", install: "apt-get install tshark")
        let t = try await transcript("tls12-rsa")
        let capture = try write(try PcapExporter.pcapng(t), "clean.pcapng")
        let p = try start(
            tshark,
            [
                "-r", capture.path, "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-T", "fields",
                "-e", "frame.time_epoch", "-e", "ip.src", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "tcp.len",
                "-e", "ip.checksum.status", "-e", "tcp.checksum.status", "-e", "tcp.analysis.flags",
            ])
        let status = await p.wait()
        XCTAssertEqual(status, 0, p.stderr)
        let rows = p.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        // SYN, SYN/ACK, ACK, one segment per record, FIN/ACK, FIN/ACK, ACK.
        XCTAssertEqual(rows.count, t.records.count + 6)
        let clock = try XCTUnwrap(ISO8601DateFormatter().date(from: try XCTUnwrap(t.clock))).timeIntervalSince1970
        for (i, row) in rows.enumerated() {
            XCTAssertEqual(row.count, 8, "\(row)")
            guard row.count == 8 else { continue }
            XCTAssertEqual(Double(row[0]) ?? 0, clock + Double(i) / 1000, accuracy: 0.0001, "frame \(i + 1) time")
            XCTAssertEqual(row[5], "1", "frame \(i + 1): IPv4 checksum not good")
            XCTAssertEqual(row[6], "1", "frame \(i + 1): TCP checksum not good")
            XCTAssertEqual(row[7], "", "frame \(i + 1): tshark flags a TCP problem (\(row[7]))")
        }
        for (record, row) in zip(t.records, rows.dropFirst(3)) {
            XCTAssertEqual(Int(row[4]), record.bytes.count, "one TCP segment carries record \(record.index)")
            XCTAssertEqual(row[1], record.from == .client ? "10.0.0.1" : "10.0.0.2")
            XCTAssertEqual(row[2], record.from == .client ? "49152" : "8443")
        }
    }

    /// A connection `tlslab serve` recorded with a real client (only the server's secrets are known) decrypts too.
    func testARealClientsTranscriptDecrypts() async throws {
        let tshark = try requireTool("tshark", install: "apt-get install tshark")
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let server = try PeerServer(scenario: try scenario("tls12-ecdhe-rsa-cbc"), host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (task, _) = serve(server, into: box)
        let client = try start(openssl, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", "\(pkiDirectory.path)/ca.pem", "-ign_eof"])
        client.write("GET /from-openssl HTTP/1.1\r\n\r\n")
        client.closeInput()
        _ = await client.wait()
        _ = await task.value
        let t = try XCTUnwrap(box.value).result.transcript
        XCTAssertEqual(t.outcome.status, .completed, t.outcome.reason ?? "")
        XCTAssertEqual(t.negotiated?.encryptThenMAC, true)
        let d = try await dissect(tshark, try write(try PcapExporter.pcapng(t), "real.pcapng"))
        XCTAssertEqual(d.finishedFrames, 2, d.raw)
        XCTAssertTrue(d.stream.contains("GET /from-openssl HTTP/1.1"), d.raw)
        XCTAssertTrue(d.stream.contains("You sent: GET /from-openssl HTTP/1.1"), d.raw)
    }

    /// `tlslab connect --count 2 --early-data` against OpenSSL: the transcript's two connections become two TCP
    /// streams in the capture, and tshark decrypts both — the resumed one's 0-RTT request included (the key log
    /// carries CLIENT_EARLY_TRAFFIC_SECRET).
    func testAResumedZeroRTTConnectionToOpenSSLDecrypts() async throws {
        let tshark = try requireTool("tshark", install: "apt-get install tshark")
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let (server, port) = try await startOpenSSLServer(
            openssl,
            [
                "-naccept", "2", "-early_data", "-cert", "\(pkiDirectory.path)/server-rsa.pem", "-key",
                "\(pkiDirectory.path)/server-rsa.key",
            ])
        let token = "early-\(UUID().uuidString.prefix(8))"
        // s_server (without -rev) prints what arrives and sends its standard input: answer each connection.
        let feeder = server.answerEachConnection(2, seeing: token, with: "answer")
        defer { feeder.cancel() }
        let result = try await RealPeer.connect(
            host: "127.0.0.1", port: port, scenario: try scenario("tls13"), seed: nil, request: Array("\(token)\n".utf8),
            settings: PeerSettings(linger: .milliseconds(300)), connections: 2, earlyData: true)
        let t = result.transcript
        XCTAssertEqual(t.connections.map(\.resumed), [false, true])
        XCTAssertEqual(result.connections.last?.earlyDataAccepted, true)
        XCTAssertTrue(t.keylog.contains("CLIENT_EARLY_TRAFFIC_SECRET "), t.keylog)
        let capture = try write(try PcapExporter.pcapng(t), "real-0rtt.pcapng")
        let d = try await dissect(tshark, capture)
        XCTAssertEqual(d.finishedFrames, 4, d.raw)
        XCTAssertTrue(d.stream.contains(token) && d.stream.contains("answer-1"), d.raw)
        // The second TCP stream: the request went as 0-RTT data.
        let p = try start(tshark, ["-r", capture.path, "-q", "-z", "follow,tls,ascii,1"])
        _ = await p.wait(timeout: .seconds(30))
        XCTAssertTrue(p.stdout.contains(token) && p.stdout.contains("answer-2"), p.stdout)
    }

    // MARK: - Bytes

    func testExportsAreByteReproducible() async throws {
        for name in ["tls12-rsa", "tls13-ed25519-chacha"] {
            let a = try await Simulator.run(try scenario(name))
            let b = try await Simulator.run(try scenario(name))
            XCTAssertEqual(try PcapExporter.pcapng(a), try PcapExporter.pcapng(b), name)
            XCTAssertEqual(try PcapExporter.pcap(a), try PcapExporter.pcap(b), name)
        }
    }

    func testThePcapngCarriesTheKeyLogBeforeThePackets() async throws {
        let t = try await transcript("tls13")
        let bytes = [UInt8](try PcapExporter.pcapng(t))
        var blocks: [(type: UInt32, body: [UInt8])] = []
        var offset = 0
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) } }
        while offset + 12 <= bytes.count {
            let type = u32(offset)
            let length = Int(u32(offset + 4))
            XCTAssertEqual(length % 4, 0)
            XCTAssertEqual(u32(offset + length - 4), UInt32(length), "trailing length of block at \(offset)")
            blocks.append((type, Array(bytes[(offset + 8)..<(offset + length - 4)])))
            offset += length
        }
        XCTAssertEqual(offset, bytes.count)
        XCTAssertEqual(blocks.map(\.type).prefix(3), [0x0A0D_0D0A, 1, 0x0A])  // SHB, IDB, DSB
        XCTAssertEqual(blocks.filter { $0.type == 6 }.count, t.records.count + 6)  // EPBs
        let dsb = blocks[2].body
        XCTAssertEqual(Array(dsb.prefix(4)), [0x4B, 0x53, 0x4C, 0x54])  // 'TLSK' little-endian
        let length = Int(dsb[4]) | Int(dsb[5]) << 8 | Int(dsb[6]) << 16 | Int(dsb[7]) << 24
        XCTAssertEqual(String(decoding: dsb[8..<(8 + length)], as: UTF8.self), t.keylog)
        XCTAssertEqual(t.keylog.split(separator: "\n").map { String($0.prefix { $0 != " " }) }.sorted(), [
            "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0", "EXPORTER_SECRET",
            "SERVER_HANDSHAKE_TRAFFIC_SECRET", "SERVER_TRAFFIC_SECRET_0",
        ])
        // Link type Ethernet.
        XCTAssertEqual(Array(blocks[1].body.prefix(2)), [1, 0])
    }

    func testTheInternetChecksumMatchesRFC1071sExample() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2 (one's complement: 220d).
        XCTAssertEqual(PcapExporter.internetChecksum([0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7]), 0x220d)
    }
}
