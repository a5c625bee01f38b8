import Foundation
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// Every scenario ends the way its file says (`expect:`), and the catalog's special handshakes really do what
/// their names promise.
final class ScenarioCatalogTests: XCTestCase {
    /// The message that triggered the side's alert: the last record it received before sending it.
    func triggeringMessage(_ t: Transcript) -> String? {
        guard let e = t.outcome.event, let side = t.outcome.alert?.sentBy else { return nil }
        guard let received = t.events[..<e].last(where: { $0.kind == .recordReceived && $0.side == side }),
            let r = received.record, let record = t.records.first(where: { $0.index == r })
        else { return nil }
        if let m = record.messages.last { return t.messages[m].name }
        return record.innerContentType
    }

    func testEveryScenarioMeetsItsExpectation() async throws {
        var failures = 0
        for name in catalog.names() {
            let scenario = try catalog.resolve(name)
            let t = try await TranscriptCache.shared.transcript(name)
            guard let expect = scenario.expect else {
                XCTAssertEqual(t.outcome.status, .completed, "\(name): \(t.outcome.reason ?? "")")
                continue
            }
            XCTAssertEqual(t.outcome.status.rawValue, expect.outcome, name)
            if expect.outcome == "failed" {
                failures += 1
                XCTAssertEqual(t.outcome.alert?.description, expect.alert, "\(name): \(t.outcome.reason ?? "")")
                XCTAssertEqual(t.outcome.alert?.sentBy, expect.sentBy, name)
                XCTAssertEqual(t.outcome.alert?.level, "fatal", name)
                if let at = expect.at { XCTAssertEqual(triggeringMessage(t), at, "\(name): detected at") }
                // The alert really crossed the wire: the last record from the sender is that alert.
                let last = t.records.last { $0.from == expect.sentBy }
                XCTAssertEqual(last?.summary, "Alert: \(expect.alert ?? "")", name)
                XCTAssertNotNil(t.lab, "\(name): a failure-lab scenario explains itself")
            }
        }
        XCTAssertGreaterThanOrEqual(failures, 10, "the failure lab")
    }

    func connection(_ t: Transcript, _ i: Int) -> (records: [RecordEntry], messages: [MessageEntry], events: [TranscriptEvent]) {
        (t.records.filter { $0.connection == i }, t.messages.filter { $0.connection == i },
            t.events.filter { $0.connection == i })
    }

    func secret(_ t: Transcript, _ name: String, _ side: Side, connection: Int = 0) -> String? {
        t.secrets.first { $0.name == name && $0.side == side && $0.connection == connection }?.hex
    }

    func testHelloRetryRequest() async throws {
        let t = try await TranscriptCache.shared.transcript("tls13-hrr")
        XCTAssertEqual(
            Array(t.messages.map(\.name).prefix(4)), ["ClientHello", "HelloRetryRequest", "ClientHello", "ServerHello"])
        XCTAssertEqual(t.connections.first?.helloRetry, true)
        XCTAssertEqual(t.negotiated?.group, "secp256r1")
        let hrr = try XCTUnwrap(t.messages.first { $0.name == "HelloRetryRequest" })
        XCTAssertNotNil(hrr.fields.first(key: "ext.cookie"), "the HelloRetryRequest carries a cookie")
        for name in ["handshake_secret", "client_handshake_traffic_secret", "master_secret"] {
            XCTAssertEqual(secret(t, name, .client), secret(t, name, .server), name)
        }
    }

    func testTLS13ResumptionSkipsTheCertificate() async throws {
        for (name, mode) in [("tls13-resumption", "PSK + (EC)DHE"), ("tls13-resumption-psk-ke", "PSK only")] {
            let t = try await TranscriptCache.shared.transcript(name)
            XCTAssertEqual(t.connections.map(\.resumed), [false, true], name)
            XCTAssertEqual(t.connections[1].negotiated?.keyExchange, mode, name)
            let first = connection(t, 0).messages.map(\.name)
            let second = connection(t, 1).messages.map(\.name)
            XCTAssertTrue(first.contains("Certificate") && first.contains("NewSessionTicket"), name)
            XCTAssertFalse(second.contains("Certificate"), "\(name): a resumed handshake sends no certificate")
            XCTAssertEqual(secret(t, "psk_binder", .client, connection: 1), secret(t, "psk_binder", .server, connection: 1))
            XCTAssertEqual(
                secret(t, "resumption_psk", .client, connection: 0), secret(t, "psk", .server, connection: 1),
                "\(name): the PSK is the one the first connection's ticket stands for")
            XCTAssertEqual(secret(t, "shared_secret", .client, connection: 1) == nil, mode == "PSK only", name)
        }
    }

    func testZeroRTTAcceptedAndRejected() async throws {
        let accepted = try await TranscriptCache.shared.transcript("tls13-0rtt")
        let c1 = connection(accepted, 1)
        XCTAssertTrue(c1.messages.map(\.name).contains("EndOfEarlyData"))
        let early = c1.events.filter { $0.kind == .applicationData && $0.direction == "early" }
        XCTAssertEqual(early.map(\.side), [.server])
        XCTAssertTrue(early.first?.text?.hasPrefix("GET /news") ?? false)
        XCTAssertEqual(
            secret(accepted, "client_early_traffic_secret", .client, connection: 1),
            secret(accepted, "client_early_traffic_secret", .server, connection: 1))
        // The request is not sent twice.
        XCTAssertEqual(c1.events.filter { $0.kind == .applicationData && $0.side == .server }.count, 1)
        // RFC 8446 §7.1: early_exporter_master_secret comes with the early traffic secret, on both sides, and the key
        // log lists it as OpenSSL does (EARLY_EXPORTER_SECRET; found missing against a real OpenSSL peer).
        let earlyExporter = secret(accepted, "early_exporter_master_secret", .client, connection: 1)
        XCTAssertNotNil(earlyExporter)
        XCTAssertEqual(earlyExporter, secret(accepted, "early_exporter_master_secret", .server, connection: 1))
        let clientRandom = try XCTUnwrap(secret(accepted, "client_random", .client, connection: 1))
        XCTAssertTrue(
            accepted.keylog.contains("EARLY_EXPORTER_SECRET \(clientRandom) \(earlyExporter ?? "")\n"), accepted.keylog)
        XCTAssertEqual(
            c1.events.first { $0.derivation?.name == "early_exporter_master_secret" }?.derivation?.label,
            "tls13 e exp master")

        let rejected = try await TranscriptCache.shared.transcript("tls13-0rtt-rejected")
        let r1 = connection(rejected, 1)
        XCTAssertFalse(r1.messages.map(\.name).contains("EndOfEarlyData"))
        XCTAssertTrue(r1.events.contains { $0.kind == .note && ($0.text ?? "").contains("cannot decrypt") })
        let served = r1.events.filter { $0.kind == .applicationData && $0.side == .server }
        XCTAssertEqual(served.map(\.direction), [nil], "the request arrives once, after the handshake")
        XCTAssertEqual(rejected.connections[1].resumed, true)
    }

    func testTLS12ResumptionReusesTheMasterSecret() async throws {
        for name in ["tls12-resumption-session-id", "tls12-resumption-ticket"] {
            let t = try await TranscriptCache.shared.transcript(name)
            XCTAssertEqual(t.connections.map(\.resumed), [false, true], name)
            let second = connection(t, 1).messages.map(\.name)
            XCTAssertEqual(second, ["ClientHello", "ServerHello", "Finished", "Finished"], "\(name): abbreviated")
            XCTAssertEqual(
                secret(t, "master_secret", .client, connection: 0), secret(t, "master_secret", .server, connection: 1), name)
            XCTAssertNotEqual(
                secret(t, "client_write_key", .client, connection: 0),
                secret(t, "client_write_key", .client, connection: 1), "\(name): new randoms, new keys")
        }
        let ticket = try await TranscriptCache.shared.transcript("tls12-resumption-ticket")
        XCTAssertTrue(connection(ticket, 0).messages.map(\.name).contains("NewSessionTicket"))
    }

    func testMutualTLSAndKeyUpdate() async throws {
        for name in ["tls12-mtls", "tls13-mtls"] {
            let t = try await TranscriptCache.shared.transcript(name)
            XCTAssertEqual(t.negotiated?.clientAuthenticated, true, name)
            XCTAssertTrue(
                t.events.contains { $0.kind == .validation && $0.side == .server && ($0.text ?? "").hasPrefix("trusted") },
                "\(name): the server validated the client's chain")
            XCTAssertEqual(t.messages.filter { $0.name == "CertificateVerify" }.map(\.from).last, .client, name)
        }
        let t = try await TranscriptCache.shared.transcript("tls13-key-update")
        XCTAssertEqual(t.messages.filter { $0.name == "KeyUpdate" }.map(\.from), [.client, .server])
        for name in ["client_application_traffic_secret_1", "server_application_traffic_secret_1"] {
            XCTAssertNotNil(secret(t, name, .client), name)
            XCTAssertEqual(secret(t, name, .client), secret(t, name, .server), name)
        }
    }

    func testReplayProtection() async throws {
        func earlyRequestsServed(_ name: String) async throws -> Int {
            let t = try await TranscriptCache.shared.transcript(name)
            XCTAssertEqual(t.connections.map(\.outcome.status), [.completed, .completed, .incomplete], name)
            return t.events.filter { $0.kind == .applicationData && $0.side == .server && $0.direction == "early" }.count
        }
        let protected = try await earlyRequestsServed("lab-0rtt-replay")
        let unprotected = try await earlyRequestsServed("lab-0rtt-replay-unprotected")
        XCTAssertEqual(protected, 1, "single-use tickets: the replayed POST is not processed")
        XCTAssertEqual(unprotected, 2, "no anti-replay: the POST runs twice")
    }

    func testForwardSecrecy() async throws {
        let rsa = try await TranscriptCache.shared.transcript("lab-forward-secrecy-rsa")
        let rsaFindings = rsa.events.filter { $0.kind == .eavesdropper }
        XCTAssertTrue(rsaFindings.contains { ($0.text ?? "").contains("password=hunter2") })
        XCTAssertEqual(
            rsaFindings.first { $0.derivation?.name == "premaster_secret" }?.derivation?.output.hex,
            secret(rsa, "premaster_secret", .client), "the eavesdropper recovers the real premaster secret")
        let ecdhe = try await TranscriptCache.shared.transcript("lab-forward-secrecy-ecdhe")
        let ecdheFindings = ecdhe.events.filter { $0.kind == .eavesdropper }
        XCTAssertFalse(ecdheFindings.isEmpty)
        XCTAssertFalse(ecdheFindings.contains { ($0.text ?? "").contains("hunter2") })
        XCTAssertTrue(ecdheFindings.allSatisfy { $0.derivation == nil })
    }
}
