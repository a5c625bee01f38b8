import TLSTranscript
import TLSWire
import XCTest

final class WalkthroughTests: XCTestCase {
    func testTLS12RSAStepsFlightsAndWhoKnowsWhat() async throws {
        let t = try await TranscriptCache.shared.transcript("tls12-rsa")
        let w = Walkthrough(t)
        XCTAssertEqual(
            w.steps.map(\.title),
            [
                "ClientHello", "ServerHello", "Certificate", "ServerHelloDone", "ClientKeyExchange", "ChangeCipherSpec",
                "Finished", "ChangeCipherSpec", "Finished", "Application data (60 bytes)",
                "Application data (103 bytes)", "Alert: close_notify", "Alert: close_notify",
            ])
        XCTAssertEqual(w.steps.map(\.flight), [0, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 7])
        XCTAssertEqual(w.steps.map(\.encrypted), [false, false, false, false, false, false, true, false, true, true, true, true, true])
        // Every event belongs to exactly one step.
        XCTAssertEqual(w.steps.flatMap(\.events).sorted(), Array(t.events.indices))

        let done = try XCTUnwrap(w.steps.firstIndex { $0.title == "ServerHelloDone" })
        let cke = done + 1
        func names(_ side: Side, _ step: Int, newOnly: Bool = false) -> [String] {
            w.knowledge(of: side, through: step).filter { !newOnly || $0.new }.map(\.step.name)
        }
        // On ServerHelloDone the client computes everything for its second flight; the server does not know yet.
        XCTAssertTrue(names(.client, done, newOnly: true).contains("master_secret"))
        XCTAssertFalse(names(.server, done).contains("premaster_secret"))
        // The server learns the premaster secret when ClientKeyExchange arrives.
        XCTAssertTrue(names(.server, cke, newOnly: true).contains("premaster_secret"))
        XCTAssertTrue(names(.server, cke, newOnly: true).contains("master_secret"))
        XCTAssertEqual(names(.client, 0), ["client_random"])
    }

    func testTLS13ServerDerivesHandshakeKeysAtServerHello() async throws {
        let t = try await TranscriptCache.shared.transcript("tls13")
        let w = Walkthrough(t)
        XCTAssertEqual(
            Array(w.steps.map(\.title).prefix(7)),
            ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "Finished"])
        let sh = 1
        for side in [Side.client, .server] {
            let new = w.knowledge(of: side, through: sh).filter(\.new).map(\.step.name)
            XCTAssertTrue(new.contains("server_handshake_traffic_secret"), "\(side): \(new)")
        }
        XCTAssertFalse(w.knowledge(of: .client, through: sh).map(\.step.name).contains("master_secret"))
    }
}
