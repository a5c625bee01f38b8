import Foundation
import TLSBench
import TLSCrypto
import TLSScenario
import TLSSimulator
import TLSTranscript
import XCTest

private let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Scenarios")

/// `tlslab bench --breakdown` reports the symmetric cryptography of a handshake done on its own. It recomputes
/// every derivation from the transcript's recorded inputs and checks the result against the recorded output, so
/// these runs also check that it does the handshake's work — no more, no less.
final class SymmetricWorkTests: XCTestCase {
    func testRecomputesEveryDerivationAndRecordOfTheBenchmarkedHandshakes() async throws {
        let catalog = ScenarioCatalog(directory: scenarios)
        // (scenario, derivations that use a symmetric primitive on both sides, protected records), counted from the
        // protocol, not from a run:
        // - TLS 1.2, per side: master secret, key block, two verify_data (the key-block slices compute nothing) = 4;
        //   protected records: both Finished, the request, the response, both close_notify = 6.
        // - TLS 1.3, per side: early secret, derived, handshake secret, two handshake traffic secrets, their keys and
        //   IVs (4), two finished keys, derived, master secret, two application traffic secrets, exporter and
        //   resumption master secrets, their keys and IVs (4), two verify_data = 23; protected records:
        //   EncryptedExtensions, Certificate, CertificateVerify, both Finished, request, response, both
        //   close_notify = 9.
        let expected: [(String, Int, Int)] = [
            ("tls12-rsa", 8, 6),  // CBC + HMAC-SHA256
            ("tls12-ecdhe-rsa", 8, 6),  // with the extended master secret; AES-GCM
            ("tls13", 46, 9),  // AES-128-GCM
            ("tls13-ed25519-chacha", 46, 9),  // ChaCha20-Poly1305
        ]
        for (name, derivations, records) in expected {
            let transcript = try await Simulator.run(try catalog.resolve(name))
            let work = try XCTUnwrap(SymmetricWork(transcript), name)
            XCTAssertEqual(
                work.summary,
                "\(derivations) derivations, \(records) records sealed and opened, \(transcript.messages.count) messages hashed twice",
                name)
            XCTAssertNoThrow(try work.run(), name)
        }
    }

    func testAChangedRecordedSecretIsCaught() async throws {
        let catalog = ScenarioCatalog(directory: scenarios)
        var transcript = try await Simulator.run(try catalog.resolve("tls13"))
        let i = try XCTUnwrap(transcript.events.firstIndex { $0.derivation?.name == "client_handshake_traffic_secret" })
        transcript.events[i].derivation?.output[0] ^= 1
        XCTAssertThrowsError(try XCTUnwrap(SymmetricWork(transcript)).run())
    }
}
