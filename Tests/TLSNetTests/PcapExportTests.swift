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
        let url = scratch.appendingPathComponent(name)
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
        var arguments = ["-r", capture.path]
        if let keys { arguments += ["-o", "tls.keylog_file:\(keys.path)"] }
        arguments += ["-Y", "tls.handshake.type == 20", "-z", "follow,tls,ascii,0"]
        let p = try start(tshark, arguments)
        let status = await p.wait(timeout: .seconds(30))
        XCTAssertEqual(status, 0, p.stderr)
        let out = p.stdout
        let finished = out.split(separator: "\n").filter { $0.hasSuffix(" Finished") }.count
        let stream = out.components(separatedBy: "Follow: tls,ascii").dropFirst().joined()
        return Dissection(finishedFrames: finished, stream: stream, raw: out)
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
        var table: [String] = []
        for name in names {
            let t = try await transcript(name)
            // Every connection of a completed run is in the capture, each with its two Finished messages.
            guard t.outcome.status == .completed else { continue }
            let expectedFinished = 2 * t.connections.count
            let request = try XCTUnwrap(t.events.first { $0.kind == .applicationData && $0.side == .server }?.text)
            let response = try XCTUnwrap(t.events.first { $0.kind == .applicationData && $0.side == .client }?.text)
            let firstRequestLine = String(request.prefix { $0 != "\r" && $0 != "\n" })
            let firstResponseLine = String(response.prefix { $0 != "\r" && $0 != "\n" })

            // pcapng: the key log travels inside.
            let pcapng = try write(try PcapExporter.pcapng(t), "\(name).pcapng")
            let a = try await dissect(tshark, pcapng)
            XCTAssertEqual(a.finishedFrames, expectedFinished, "\(name) pcapng: \(a.raw)")
            XCTAssertTrue(a.stream.contains(firstRequestLine) && a.stream.contains(firstResponseLine), "\(name) pcapng: \(a.raw)")

            // pcap + key log file.
            let pcap = try write(try PcapExporter.pcap(t), "\(name).pcap")
            let keys = try write(Data(t.keylog.utf8), "\(name).pcap.keys")
            let b = try await dissect(tshark, pcap, keys: keys)
            XCTAssertEqual(b.finishedFrames, expectedFinished, "\(name) pcap: \(b.raw)")
            XCTAssertTrue(b.stream.contains(firstRequestLine) && b.stream.contains(firstResponseLine), "\(name) pcap: \(b.raw)")

            // Wrong keys: nothing decrypts.
            var tampered = t
            tampered.keylog = Self.wrongKeys(t.keylog)
            XCTAssertNotEqual(tampered.keylog, t.keylog)
            let c = try await dissect(tshark, try write(try PcapExporter.pcapng(tampered), "\(name)-wrong.pcapng"))
            XCTAssertEqual(c.finishedFrames, 0, "\(name) pcapng, wrong key: \(c.raw)")
            XCTAssertFalse(c.stream.contains(firstRequestLine), "\(name) pcapng, wrong key")
            let d = try await dissect(tshark, pcap, keys: try write(Data(tampered.keylog.utf8), "\(name)-wrong.keys"))
            XCTAssertEqual(d.finishedFrames, 0, "\(name) pcap, wrong key: \(d.raw)")
            XCTAssertFalse(d.stream.contains(firstRequestLine), "\(name) pcap, wrong key")
            // And no key at all.
            let e = try await dissect(tshark, pcap)
            XCTAssertEqual(e.finishedFrames, 0, "\(name) pcap without keys")

            table.append("\(name): pcapng \(a.finishedFrames) Finished, pcap+keys \(b.finishedFrames), wrong key \(c.finishedFrames)/\(d.finishedFrames)")
        }
        print("tshark:\n  " + table.joined(separator: "\n  "))
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
