import Foundation
import TLSNet
import TLSScenario
import TLSTranscript
import TLSWire
import XCTest

/// RFC 8422 §4: a TLS 1.2 server must not pick an ECDSA suite unless the certificate's curve is in the client's
/// supported_groups. Found against OpenSSL: a client offering only X25519 aborted with "wrong curve" after
/// TLSLab's server had chosen ECDHE_ECDSA with its P-256 certificate.
final class ECDSACurveTests: PeerTestCase {
    func ecdsaScenario(clientGroups: [NamedGroup]) throws -> Scenario {
        var s = try scenario("tls12-ecdhe-ecdsa")
        s.client.groups = clientGroups
        return s
    }

    func testTheServerRefusesAnECDSASuiteWhenTheClientDoesNotListTheCertificatesCurve() async throws {
        var relay = try ServerOnlyRelay(ecdsaScenario(clientGroups: [.x25519]))
        let t = await relay.run()
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.description, "handshake_failure")
        XCTAssertEqual(t.outcome.alert?.sentBy, .server)
        XCTAssertTrue(t.outcome.reason?.contains("does not list secp256r1") ?? false, t.outcome.reason ?? "")
        // No ServerHello went out.
        XCTAssertFalse(t.messages.contains { $0.name == "ServerHello" })
    }

    func testWithTheCurveListedTheServerStillUsesTheClientsFirstGroupForECDHE() async throws {
        var relay = try ServerOnlyRelay(ecdsaScenario(clientGroups: [.x25519, .secp256r1]))
        let t = await relay.run()
        XCTAssertEqual(t.outcome.status, .completed, t.outcome.reason ?? "")
        XCTAssertEqual(t.negotiated?.cipherSuite, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")
        XCTAssertEqual(t.negotiated?.group, "x25519")
    }

    /// The shipped scenario itself lists secp256r1, so OpenSSL as a server accepts its client.
    func testTheShippedScenarioListsTheCertificatesCurve() throws {
        XCTAssertTrue(try scenario("tls12-ecdhe-ecdsa").client.groups.contains(.secp256r1))
    }

    /// OpenSSL as the client, offering only X25519: TLSLab now answers handshake_failure itself.
    func testAnOpenSSLClientWithoutP256GetsAHandshakeFailureAlert() async throws {
        let openssl = try requireTool("openssl", install: "apt-get install openssl")
        let server = try PeerServer(scenario: try scenario("tls12-ecdhe-ecdsa"), host: "127.0.0.1", port: 0)
        let box = ServedBox()
        let (serving, _) = serve(server, into: box)
        let client = try start(
            openssl,
            [
                "s_client", "-connect", "127.0.0.1:\(server.port)", "-tls1_2", "-groups", "X25519", "-cipher",
                "ECDHE-ECDSA-AES128-GCM-SHA256", "-CAfile", "\(pkiDirectory.path)/ca.pem",
            ])
        client.closeInput()
        let status = await client.wait()
        _ = await serving.value
        XCTAssertNotEqual(status, 0)
        XCTAssertTrue(client.output.contains("alert handshake failure"), client.output)
        XCTAssertFalse(client.output.contains("wrong curve"), client.output)
        let t = try XCTUnwrap(box.value?.result.transcript)
        XCTAssertEqual(t.outcome.alert?.description, "handshake_failure")
        XCTAssertEqual(t.outcome.alert?.sentBy, .server)
    }
}
