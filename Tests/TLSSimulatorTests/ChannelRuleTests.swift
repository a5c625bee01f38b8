import Foundation
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// The recorded channel's attack rules, each on a small scenario written inline.
final class ChannelRuleTests: XCTestCase {
    func run(_ channel: String, version: String = "TLS1.3") async throws -> Transcript {
        let suite = version == "TLS1.3" ? "TLS_AES_128_GCM_SHA256" : "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        let certificate = version == "TLS1.3" ? "server-ed25519" : "server-rsa"
        let yaml = """
            title: channel rule test
            description: a small scenario to exercise one channel rule
            seed: 5
            client:
              versions: [\(version)]
              cipher_suites: [\(suite)]
              groups: [x25519]
              signature_algorithms: [ed25519, rsa_pkcs1_sha256]
            server:
              versions: [\(version)]
              cipher_suites: [\(suite)]
              groups: [x25519]
              signature_algorithms: [ed25519, rsa_pkcs1_sha256]
              certificate: \(certificate)
            channel:
            \(channel)
            """
        let scenario = try ScenarioLoader.parse(
            yaml: yaml, name: "channel-test", sourcePath: "channel-test.yaml",
            pkiDirectory: scenariosDirectory.appendingPathComponent("pki"))
        return try await Simulator.run(scenario)
    }

    func testDroppedServerFinishedLeavesBothSidesWaiting() async throws {
        let t = try await run("  - {action: drop, from: server, record: Finished}")
        XCTAssertEqual(t.outcome.status, .incomplete)
        XCTAssertTrue(t.events.contains { $0.kind == .channel && ($0.text ?? "").contains("drops") })
        XCTAssertFalse(t.events.contains { $0.kind == .handshakeCompleted })
    }

    func testDroppedClientFinishedMakesTheServerRejectTheNextRecord() async throws {
        // The client thinks it is done and sends its request under application keys; the server still expects the
        // Finished under handshake keys, so the request does not decrypt.
        let t = try await run("  - {action: drop, from: client, record: Finished}")
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.description, "bad_record_mac")
        XCTAssertEqual(t.outcome.alert?.sentBy, .server)
    }

    func testDuplicatedRecordFailsTheSequenceNumberCheck() async throws {
        let t = try await run("  - {action: duplicate, from: client, record: application_data}")
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.description, "bad_record_mac")
        XCTAssertEqual(t.outcome.alert?.sentBy, .server)
        // The first copy was accepted; only the replayed copy failed.
        XCTAssertEqual(t.events.filter { $0.kind == .applicationData && $0.side == .server }.count, 1)
    }

    func testReplacedRecordIsRejected() async throws {
        let t = try await run("  - {action: replace, from: server, record: ServerHello, hex: '16030300050e000000ff'}")
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.sentBy, .client)
        XCTAssertEqual(t.records[1].hex, "16030300050e000000ff")
        XCTAssertNotNil(t.records[1].originalHex)
    }

    func testTamperedHeaderByteIsCaughtToo() async throws {
        // Flipping a bit of the record length makes the record unreadable as a whole.
        let t = try await run("  - {action: tamper, from: client, record: application_data, byte: 2, xor: 0x01}")
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.sentBy, .server)
    }

    func testRewriteOfCipherSuitesBreaksTheTLS12Finished() async throws {
        let t = try await run(
            "  - {action: rewrite, from: client, record: ClientHello, set: {cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384]}}",
            version: "TLS1.2")
        XCTAssertEqual(t.outcome.status, .failed)
        // EMS is on by default: the altered ClientHello changes the session hash and so the keys.
        XCTAssertEqual(t.outcome.alert?.description, "bad_record_mac")
        let rewritten = try XCTUnwrap(t.messages.first)
        XCTAssertEqual(rewritten.fields.first(key: "client_hello.cipher_suites")?.children.count, 2)
    }
}
