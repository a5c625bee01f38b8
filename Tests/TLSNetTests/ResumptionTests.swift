import Foundation
import TLSHandshake
import TLSNet
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// How `serve` keeps its server memory and how `connect` carries a session from one connection to the next, over
/// real TCP on 127.0.0.1 (TLSLab on both ends; OpenSSL and GnuTLS do the same in the interop tests).
final class ResumptionTests: PeerTestCase {
    /// Serves `scenario` for `count` connections and makes them with `RealPeer.connect`.
    func run(
        _ scenario: Scenario, count: Int = 2, earlyData: Bool = false, session: ClientSession? = nil,
        server: PeerServer? = nil, seed: UInt64? = nil
    ) async throws -> (client: PeerResult, served: [ServedConnection]) {
        let server = try server ?? PeerServer(scenario: scenario, host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (task, _) = serve(server, ServeSettings(count: count, seed: seed), into: box)
        let client = try await RealPeer.connect(
            host: "127.0.0.1", port: server.port, scenario: scenario, seed: nil,
            settings: PeerSettings(idleTimeout: .seconds(5), linger: .milliseconds(200)), connections: count,
            earlyData: earlyData, session: session)
        _ = await task.value
        return (client, box.all.sorted { $0.number < $1.number })
    }

    func testEveryShippedResumptionScenarioResumesOverTCP() async throws {
        for name in ["tls13-resumption", "tls13-resumption-psk-ke", "tls12-resumption-session-id", "tls12-resumption-ticket"] {
            let s = try scenario(name)
            let (client, served) = try await run(s)
            XCTAssertEqual(client.connections.map(\.resumed), [false, true], name)
            XCTAssertEqual(client.transcript.connections.map(\.resumed), [false, true], name)
            XCTAssertEqual(served.map { $0.result.negotiated?.resumed ?? false }, [false, true], name)
            XCTAssertEqual(client.transcript.outcome.status, .completed, "\(name): \(client.transcript.outcome.reason ?? "")")
            // One transcript with both connections; record numbers run on across them.
            XCTAssertEqual(client.transcript.records.map(\.index), Array(client.transcript.records.indices), name)
            XCTAssertEqual(Set(client.transcript.records.map(\.connection)), [0, 1], name)
            XCTAssertFalse(
                client.transcript.messages.contains { $0.connection == 1 && $0.name == "Certificate" }, name)
            if name.hasSuffix("psk-ke") { XCTAssertEqual(client.negotiated?.keyExchange, "PSK only") }
            XCTAssertTrue(served[1].line.contains("resumed"), served[1].line)
            XCTAssertTrue(client.transcript.connections[1].label.contains("connection 1"), client.transcript.connections[1].label)
        }
    }

    func testZeroRTTRequestIsAnsweredOnceAndNotSentTwice() async throws {
        let s = try scenario("tls13-0rtt")
        let (client, served) = try await run(s, earlyData: true)
        XCTAssertEqual(client.connections.map(\.earlyDataAccepted), [nil, true])
        XCTAssertEqual(served[1].result.connections.first?.earlyDataAccepted, true)
        let t = served[1].result.transcript
        let early = t.events.filter { $0.kind == .applicationData && $0.direction == "early" }
        XCTAssertEqual(early.count, 1)
        // The request went once, as early data; the answer came after the handshake.
        XCTAssertEqual(t.events.filter { $0.kind == .applicationData && $0.side == .server }.count, 1)
        XCTAssertTrue(String(decoding: client.applicationData, as: UTF8.self).hasPrefix("HTTP/1.1 200 OK"))
        XCTAssertTrue(served[1].line.contains("0-RTT data accepted"), served[1].line)
        XCTAssertTrue(t.keylog.contains("CLIENT_EARLY_TRAFFIC_SECRET "), t.keylog)
    }

    func testAServerWithoutTicketsLeavesNothingToResume() async throws {
        var s = try scenario("tls13")
        s.server.sessionTickets = false
        let started = ContinuousClock.now
        let (client, _) = try await run(s)
        XCTAssertNil(client.connections[0].session)
        XCTAssertEqual(client.connections.map(\.resumed), [false, false])
        XCTAssertEqual(client.transcript.connections[1].label, "connection 2: nothing to resume, a full handshake")
        // TLSLab's server closes right after its answer, so the client has no ticket to wait for.
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(2))
    }

    /// The ticket key lives in the serve process: a session from one server does not resume on another, unless both
    /// were seeded alike (then their ticket keys are equal — reproducible, for experiments only).
    func testTicketKeysComeFromTheOSPerServerOrFromTheSeed() async throws {
        let s = try scenario("tls13-resumption")
        func session(seed: UInt64?) async throws -> ClientSession {
            let (client, _) = try await run(s, count: 1, seed: seed)
            return try XCTUnwrap(client.connections[0].session)
        }
        func resumes(_ session: ClientSession, seed: UInt64?) async throws -> Bool {
            let (client, served) = try await run(s, count: 1, session: session, seed: seed)
            XCTAssertEqual(client.transcript.connections[0].label, "connection 1: offers the ticket from an earlier run")
            if !client.connections[0].resumed {
                XCTAssertTrue(
                    served[0].result.transcript.events.contains { ($0.text ?? "").contains("cannot read the offered ticket") })
            }
            return client.connections[0].resumed
        }
        let fromOS = try await session(seed: nil)
        let resumedElsewhere = try await resumes(fromOS, seed: nil)
        XCTAssertFalse(resumedElsewhere)
        let seeded = try await session(seed: 42)
        let resumedWithSameSeed = try await resumes(seeded, seed: 42)
        XCTAssertTrue(resumedWithSameSeed)
        let resumedWithOtherSeed = try await resumes(seeded, seed: 43)
        XCTAssertFalse(resumedWithOtherSeed)
    }

    /// One serve process remembers across connections: a ticket resumes once (RFC 8446 §8.1), a TLS 1.2 session ID
    /// stays in its cache.
    func testServeRemembersUsedTicketsAndCachedSessions() async throws {
        let settings = PeerSettings(idleTimeout: .seconds(5), linger: .milliseconds(200))
        let s13 = try scenario("tls13-resumption")
        let server = try PeerServer(scenario: s13, host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (task, _) = serve(server, ServeSettings(count: 3), into: box)
        func connect(_ s: Scenario, _ server: PeerServer, _ session: ClientSession?) async throws -> PeerConnection {
            let result = try await RealPeer.connect(
                host: "127.0.0.1", port: server.port, scenario: s, seed: nil, settings: settings, session: session)
            return try XCTUnwrap(result.connections.first)
        }
        let first = try await connect(s13, server, nil)
        let ticket = try XCTUnwrap(first.session)
        let again = try await connect(s13, server, ticket)
        XCTAssertTrue(again.resumed)
        XCTAssertEqual(server.memory.usedTickets, 1)
        let replayed = try await connect(s13, server, ticket)
        XCTAssertFalse(replayed.resumed, "a ticket resumes once")
        _ = await task.value
        let third = box.all.first { $0.number == 3 }?.result.transcript
        XCTAssertTrue(third?.events.contains { ($0.text ?? "").contains("already used") } ?? false)

        let s12 = try scenario("tls12-resumption-session-id")
        let server12 = try PeerServer(scenario: s12, host: "127.0.0.1", port: 0)
        let (task12, _) = serve(server12, ServeSettings(count: 3))
        let full = try await connect(s12, server12, nil)
        let session = try XCTUnwrap(full.session)
        XCTAssertEqual(server12.memory.cachedSessions, 1)
        XCTAssertFalse(session.sessionID.isEmpty)
        for _ in 0..<2 {
            let resumed = try await connect(s12, server12, session)
            XCTAssertTrue(resumed.resumed, "a cached TLS 1.2 session resumes again")
        }
        _ = await task12.value
    }
}

/// A TLS 1.3 server that answers the request with a whole HTTP response and then keeps the connection open, with
/// no ticket: a client that wants to resume later waits a moment for a NewSessionTicket (RFC 8446 §4.6.1 lets it
/// come at any time after the handshake) before it closes.
final class TicketWaitTests: PeerTestCase {
    func testAClientThatWantsToResumeLingersForATicketThenCloses() async throws {
        var s = try scenario("tls13")
        s.server.sessionTickets = false
        let configuration = try ScenarioSetup(RealPeer.live(s)).server
        let listener = try TCPSocket.listen(host: "127.0.0.1", port: 0)
        let port = listener.localPort
        let quietServer = Task.detached { () -> Int in
            var served = 0
            for _ in 0..<2 {
                guard let socket = try? listener.accept(timeout: .seconds(5), stop: nil) else { break }
                var connection = Connection(server: configuration, random: .system())
                var open = true
                while open, let bytes = try? socket.read(timeout: .seconds(5), stop: nil), !bytes.isEmpty {
                    var out: [UInt8] = []
                    for event in connection.receive(bytes) {
                        switch event {
                        case .record(let r) where r.direction == .sent: out += r.record.bytes
                        case .applicationData:
                            for case .record(let r) in connection.send(applicationData: TinyHTTP.response(to: [], negotiated: nil)) {
                                out += r.record.bytes
                            }
                        default: break
                        }
                    }
                    if connection.status == .closed { open = false }
                    try? socket.write(out)
                }
                socket.close()
                served += 1
            }
            listener.close()
            return served
        }
        let linger = Duration.milliseconds(300)
        let result = try await RealPeer.connect(
            host: "127.0.0.1", port: port, scenario: s, seed: nil,
            settings: PeerSettings(idleTimeout: .seconds(5), linger: linger), connections: 2)
        let served = await quietServer.value
        XCTAssertEqual(served, 2)
        XCTAssertEqual(result.connections.map(\.ending), ["closed with close_notify", "closed with close_notify"])
        XCTAssertNil(result.connections[0].session)
        let notes = result.transcript.events.filter { $0.connection == 0 && $0.kind == .note }.compactMap(\.text)
        XCTAssertTrue(notes.contains { $0.hasPrefix("No session ticket arrived within") }, "\(notes)")
        // The last connection wants nothing more: it closes as soon as the answer is complete.
        XCTAssertFalse(
            result.transcript.events.contains { $0.connection == 1 && ($0.text ?? "").hasPrefix("No session ticket") })
    }
}

extension ResumptionTests {
    /// `--count 2` builds on the first connection: when its handshake fails, there is no second one.
    func testNoSecondConnectionAfterAFailedHandshake() async throws {
        var s = try scenario("tls13-resumption")
        s.client.serverName = "wrong.example.org"  // the certificate is for www.example.com
        let server = try PeerServer(scenario: s, host: "127.0.0.1", port: 0)
        let (task, stop) = serve(server, ServeSettings(count: 2))
        let result = try await RealPeer.connect(
            host: "127.0.0.1", port: server.port, scenario: s, seed: nil, settings: PeerSettings(idleTimeout: .seconds(5)),
            connections: 2)
        stop.raise()
        _ = await task.value
        XCTAssertEqual(result.connections.count, 1)
        XCTAssertEqual(result.transcript.connections.count, 1)
        XCTAssertEqual(result.transcript.outcome.status, .failed)
    }
}

extension ResumptionTests {
    /// With a seed, connection n of a serve run draws from its own stream: the same bytes run after run, but no
    /// two connections of one run share a server random, a key share or a ticket's sealing nonce.
    func testSeededServeConnectionsAreReproducibleButDistinct() async throws {
        let s = try scenario("tls13-resumption")
        func serverRandoms() async throws -> [String] {
            let (_, served) = try await run(s, count: 2, seed: 9)
            return served.map { $0.result.transcript.secrets.first { $0.name == "server_random" }?.hex ?? "" }
        }
        let first = try await serverRandoms()
        let second = try await serverRandoms()
        XCTAssertEqual(first, second)
        XCTAssertNotEqual(first[0], first[1])
    }
}
