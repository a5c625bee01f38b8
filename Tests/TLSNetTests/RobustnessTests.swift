import Foundation
import TLSCrypto
import TLSHandshake
import TLSNet
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// What `tlslab serve` does with peers that misbehave: silence, absurd lengths, hanging up mid-handshake, TCP
/// cutting the bytes anywhere. Every case ends with a whole transcript, never a crash or a stuck server.
final class RobustnessTests: PeerTestCase {
    /// Starts a server for one connection; returns it, the running task, and the box its report lands in.
    func serveOne(
        _ name: String = "tls13", idle: Duration = .seconds(10), save: URL? = nil
    ) throws -> (server: PeerServer, task: Task<Int, Never>, box: ServedBox, stop: StopSignal) {
        let server = try PeerServer(scenario: try scenario(name), host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (task, stop) = serve(
            server, ServeSettings(count: 1, saveDirectory: save, peer: PeerSettings(idleTimeout: idle)), into: box)
        return (server, task, box, stop)
    }

    /// Everything the server sends until it closes (or `timeout`).
    func readAll(_ socket: TCPSocket, timeout: Duration = .seconds(5)) -> [UInt8] {
        var out: [UInt8] = []
        while let chunk = try? socket.read(timeout: timeout, stop: nil), !chunk.isEmpty { out += chunk }
        return out
    }

    /// A real ClientHello record from TLSLab's own client.
    func clientHelloRecord(_ name: String = "tls13") throws -> [UInt8] {
        let setup = try ScenarioSetup(scenario(name))
        var client = Connection(client: setup.client, random: RandomSource(seed: 3, stream: "client"))
        return client.start().compactMap { event -> [UInt8]? in
            if case .record(let r) = event { return r.record.bytes }
            return nil
        }.flatMap { $0 }
    }

    func testTheDefaultIdleTimeoutIsTenSeconds() {
        XCTAssertEqual(PeerSettings().idleTimeout, .seconds(10))
    }

    func testASilentPeerTimesOutAndLeavesAnIncompleteTranscript() async throws {
        let (server, task, box, _) = try serveOne(idle: .milliseconds(300))
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        let started = ContinuousClock.now
        let received = readAll(socket)  // the server hangs up after its timeout
        let elapsed = ContinuousClock.now - started
        _ = await task.value
        XCTAssertTrue(received.isEmpty, "nothing to say to a silent peer: \(received.hex)")
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(250))
        XCTAssertLessThan(elapsed, .seconds(4))
        let result = try XCTUnwrap(box.value).result
        XCTAssertEqual(result.transcript.outcome.status, .incomplete)
        XCTAssertTrue(result.ending.hasPrefix("timed out during the handshake (state ExpectClientHello)"), result.ending)
        XCTAssertTrue(result.transcript.events.contains { $0.kind == .note && ($0.text ?? "").contains("idle timeout") })
    }

    func testAHandshakeLengthClaimingMegabytesGetsADecodeErrorAlertNotAnAllocation() async throws {
        let (server, task, box, _) = try serveOne()
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        // A 4-byte record holding a handshake header that announces a 16 MiB ClientHello.
        try socket.write([0x16, 0x03, 0x01, 0x00, 0x04, 0x01, 0xff, 0xff, 0xff])
        let received = readAll(socket)
        _ = await task.value
        // One plaintext alert record: fatal (2) decode_error (50).
        XCTAssertEqual(received, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 50])
        let t = try XCTUnwrap(box.value).result.transcript
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.description, "decode_error")
        XCTAssertTrue(t.outcome.reason?.contains("16777215-byte body") ?? false, t.outcome.reason ?? "")
    }

    func testARecordLengthBeyondTheLimitGetsRecordOverflow() async throws {
        let (server, task, box, _) = try serveOne()
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        // 65535 bytes announced; only the header is sent — the server must not wait for the rest.
        try socket.write([0x16, 0x03, 0x01, 0xff, 0xff])
        let received = readAll(socket)
        _ = await task.value
        XCTAssertEqual(received, [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 22])  // record_overflow
        XCTAssertEqual(try XCTUnwrap(box.value).result.transcript.outcome.alert?.description, "record_overflow")
    }

    func testAPeerThatHangsUpMidHandshakeLeavesAnIncompleteTranscriptThatLoads() async throws {
        let directory = scratch.appendingPathComponent("saved")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let (server, task, box, _) = try serveOne(save: directory)
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        try socket.write(try clientHelloRecord())
        // Read the server's flight up to its Finished, then vanish.
        var flight: [UInt8] = []
        while flight.count < 1000, let chunk = try? socket.read(timeout: .seconds(5), stop: nil), !chunk.isEmpty {
            flight += chunk
        }
        socket.close()
        _ = await task.value
        let served = try XCTUnwrap(box.value)
        XCTAssertEqual(served.result.ending, "peer disconnected during the handshake")
        let url = try XCTUnwrap(served.savedFile)
        let t = try Transcript.load(json: Data(contentsOf: url))
        XCTAssertEqual(t.outcome.status, .incomplete)
        XCTAssertTrue(t.outcome.reason?.contains("peer disconnected during the handshake") ?? false)
        XCTAssertEqual(t.messages.map(\.name).first, "ClientHello")
        XCTAssertTrue(t.messages.map(\.name).contains("Finished"))
        XCTAssertTrue(t.events.contains { ($0.text ?? "").contains("closed the TCP connection during the handshake (state ExpectFinished)") })
        XCTAssertTrue(served.line.contains("incomplete: peer disconnected during the handshake"), served.line)
        // The walkthrough renders it.
        XCTAssertFalse(Walkthrough(t).steps.isEmpty)
    }

    func testAClientHelloTricklingInOneByteAtATimeStillCompletes() async throws {
        let (server, task, box, _) = try serveOne("tls12-ecdhe-rsa")
        let setup = try ScenarioSetup(RealPeer.live(try scenario("tls12-ecdhe-rsa")))
        var client = Connection(client: setup.client, random: .system())
        let socket = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        var outbound: [UInt8] = []
        var response: [UInt8] = []
        func take(_ events: [ConnectionEvent]) async {
            for event in events {
                switch event {
                case .record(let r) where r.direction == .sent: outbound += r.record.bytes
                case .validationNeeded(let request): await take(client.provide(await request.perform()))
                case .handshakeCompleted: await take(client.send(applicationData: Array("GET /slow HTTP/1.1\r\n\r\n".utf8)))
                case .applicationData(let data): response += data
                default: break
                }
            }
        }
        await take(client.start())
        var firstFlight = true
        while client.status == .handshaking || client.status == .connected {
            if firstFlight {
                for byte in outbound { try socket.write([byte]) }  // the server sees the ClientHello in pieces
                firstFlight = false
            } else if !outbound.isEmpty {
                try socket.write(outbound)
            }
            outbound = []
            guard let chunk = try? socket.read(timeout: .seconds(5), stop: nil), !chunk.isEmpty else { break }
            await take(client.receive(chunk))
        }
        if !outbound.isEmpty { try? socket.write(outbound) }
        socket.close()
        _ = await task.value
        XCTAssertTrue(String(decoding: response, as: UTF8.self).contains("You sent: GET /slow HTTP/1.1"))
        let t = try XCTUnwrap(box.value).result.transcript
        XCTAssertEqual(t.outcome.status, .completed, t.outcome.reason ?? "")
        // However TCP cut it, the ClientHello is one message on one record (the record layer reassembles).
        XCTAssertEqual(t.messages.first?.name, "ClientHello")
        XCTAssertEqual(t.messages.first?.records.count, 1)
    }

    func testSeveralClientsAtOnceAreServedConcurrentlyAndNumberedInOrder() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let server = try PeerServer(scenario: try scenario("tls13"), host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (task, _) = serve(server, ServeSettings(count: 4), into: box)
        // One silent connection first: the others must not wait for it.
        let idle = try TCPSocket.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(5))
        var clients: [PeerProcess] = []
        for _ in 0..<3 {
            let c = try start(openssl, ["s_client", "-connect", "127.0.0.1:\(server.port)", "-CAfile", "\(pkiDirectory.path)/ca.pem", "-ign_eof", "-brief"])
            c.write("GET / HTTP/1.1\r\n\r\n")
            c.closeInput()
            clients.append(c)
        }
        for c in clients { _ = await c.wait() }
        XCTAssertEqual(box.all.filter { $0.result.transcript.outcome.status == .completed }.count, 3)
        idle.close()
        _ = await task.value
        XCTAssertEqual(box.all.map(\.number).sorted(), [1, 2, 3, 4])
        XCTAssertEqual(box.all.first { $0.number == 1 }?.result.ending, "peer disconnected during the handshake")
    }
}
