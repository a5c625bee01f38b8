import Foundation
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// Every shipped scenario completes, and the two sides agree on every value both compute.
final class ScenarioRunTests: XCTestCase {
    static let tls12Shared = [
        "client_random", "server_random", "premaster_secret", "master_secret", "client_write_key", "server_write_key",
        "client_write_iv", "server_write_iv", "client_verify_data", "server_verify_data",
    ]
    static let tls13Shared = [
        "client_random", "server_random", "shared_secret", "early_secret", "handshake_secret",
        "client_handshake_traffic_secret", "server_handshake_traffic_secret", "master_secret",
        "client_application_traffic_secret_0", "server_application_traffic_secret_0", "exporter_master_secret",
        "resumption_master_secret", "client_handshake_key", "client_handshake_iv", "server_handshake_key",
        "server_handshake_iv", "client_application_key", "client_application_iv", "server_application_key",
        "server_application_iv", "client_finished_key", "server_finished_key", "client_verify_data",
        "server_verify_data",
    ]

    func testEveryScenarioWithoutFailureCompletesAndBothSidesAgree() async throws {
        let names = catalog.names()
        XCTAssertGreaterThanOrEqual(names.count, 9)
        for name in names {
            let scenario = try catalog.resolve(name)
            if scenario.expect != nil || scenario.connections.contains(where: { $0.replayOf != nil }) { continue }
            let t = try await TranscriptCache.shared.transcript(name)
            guard t.connections.count == 1 else { continue }
            XCTAssertEqual(t.outcome.status, .completed, "\(name): \(t.outcome.reason ?? "")")
            guard let version = t.negotiated?.version else {
                XCTFail("\(name): nothing negotiated")
                continue
            }
            let shared = version == "TLS 1.3" ? Self.tls13Shared : Self.tls12Shared
            for secret in shared {
                let c = t.secret(secret, side: .client)
                let s = t.secret(secret, side: .server)
                XCTAssertNotNil(c, "\(name): client lacks \(secret)")
                XCTAssertNotNil(s, "\(name): server lacks \(secret)")
                XCTAssertEqual(c, s, "\(name): \(secret) differs between client and server")
            }
            // The application data went both ways, and both sides closed.
            let data = t.events.filter { $0.kind == .applicationData }
            XCTAssertEqual(data.map(\.side), [.server, .client], name)
            XCTAssertEqual(data.first?.text, scenario.applicationData.request, name)
            XCTAssertEqual(data.last?.text, scenario.applicationData.response, name)
            let closes = t.records.filter { $0.summary == "Alert: close_notify" }
            XCTAssertEqual(Set(closes.map(\.from)), [.client, .server], name)
            XCTAssertTrue(closes.allSatisfy(\.encrypted), "\(name): close_notify must be encrypted")
        }
    }

    func testNegotiatedParametersMatchTheScenarios() async throws {
        let expected: [String: (String, String, String?)] = [
            "tls12-rsa": ("TLS 1.2", "TLS_RSA_WITH_AES_128_CBC_SHA256", nil),
            "tls12-rsa-gcm": ("TLS 1.2", "TLS_RSA_WITH_AES_128_GCM_SHA256", nil),
            "tls12-ecdhe-rsa": ("TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "x25519"),
            "tls12-ecdhe-rsa-cbc": ("TLS 1.2", "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "secp256r1"),
            "tls12-ecdhe-ecdsa": ("TLS 1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "x25519"),
            "tls12-chacha": ("TLS 1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", "x25519"),
            "tls13": ("TLS 1.3", "TLS_AES_128_GCM_SHA256", "x25519"),
            "tls13-p256-ecdsa": ("TLS 1.3", "TLS_AES_256_GCM_SHA384", "secp256r1"),
            "tls13-ed25519-chacha": ("TLS 1.3", "TLS_CHACHA20_POLY1305_SHA256", "x25519"),
        ]
        for (name, (version, suite, group)) in expected {
            let t = try await TranscriptCache.shared.transcript(name)
            XCTAssertEqual(t.negotiated?.version, version, name)
            XCTAssertEqual(t.negotiated?.cipherSuite, suite, name)
            XCTAssertEqual(t.negotiated?.group, group, name)
        }
        let rsa = try await TranscriptCache.shared.transcript("tls12-rsa")
        XCTAssertEqual(rsa.negotiated?.extendedMasterSecret, false)
        XCTAssertEqual(rsa.negotiated?.encryptThenMAC, false)
        XCTAssertNotNil(rsa.secret("pkcs1_block", side: .client))
        XCTAssertEqual(rsa.secret("pkcs1_block", side: .client), rsa.secret("pkcs1_block", side: .server))
        let cbc = try await TranscriptCache.shared.transcript("tls12-ecdhe-rsa-cbc")
        XCTAssertEqual(cbc.negotiated?.encryptThenMAC, true)
        XCTAssertEqual(cbc.secret("client_write_mac_key", side: .client)?.count, 40, "HMAC-SHA1 keys are 20 bytes")
    }

    func testSameSeedSameBytesOtherSeedOtherBytes() async throws {
        let a = try await Simulator.run(try catalog.resolve("tls12-rsa"))
        let b = try await Simulator.run(try catalog.resolve("tls12-rsa"))
        XCTAssertEqual(a.records.map(\.hex), b.records.map(\.hex))
        let c = try await Simulator.run(try catalog.resolve("tls12-rsa"), seed: 12345)
        XCTAssertNotEqual(a.records[0].hex, c.records[0].hex)
        XCTAssertEqual(c.seed, 12345)
        XCTAssertEqual(c.outcome.status, .completed)
    }

    func testKeyLogNamesTheRightSecrets() async throws {
        let t12 = try await TranscriptCache.shared.transcript("tls12-ecdhe-rsa")
        let cr = try XCTUnwrap(t12.secret("client_random", side: .client))
        let ms = try XCTUnwrap(t12.secret("master_secret", side: .client))
        XCTAssertEqual(t12.keylog, "CLIENT_RANDOM \(cr) \(ms)\n")
        let t13 = try await TranscriptCache.shared.transcript("tls13")
        let lines = t13.keylog.split(separator: "\n")
        XCTAssertEqual(
            lines.map { String($0.split(separator: " ")[0]) },
            [
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET", "SERVER_HANDSHAKE_TRAFFIC_SECRET", "CLIENT_TRAFFIC_SECRET_0",
                "SERVER_TRAFFIC_SECRET_0", "EXPORTER_SECRET",
            ])
        XCTAssertTrue(
            lines[0].hasSuffix(try XCTUnwrap(t13.secret("client_handshake_traffic_secret", side: .client))))
    }
}
