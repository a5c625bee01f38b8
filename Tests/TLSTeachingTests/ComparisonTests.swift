import Foundation
import TLSTeaching
import TLSTranscript
import TLSWire
import XCTest

/// `tlslab compare`: every number comes from the transcripts, and the text fits 100 columns.
final class ComparisonTests: XCTestCase {
    func testTLS12RSAAgainstTLS13() async throws {
        let a = try await TranscriptCache.shared.transcript("tls12-rsa")
        let b = try await TranscriptCache.shared.transcript("tls13")
        let c = Comparison(a, b)
        XCTAssertEqual(c.left.roundTrips, 2)
        XCTAssertEqual(c.right.roundTrips, 1)
        XCTAssertEqual(c.left.version, "TLS 1.2")
        XCTAssertEqual(c.right.version, "TLS 1.3")
        XCTAssertEqual(c.left.firstEncrypted, "Finished (client)")
        XCTAssertEqual(c.right.firstEncrypted, "EncryptedExtensions (server)")
        XCTAssertTrue(c.left.plaintextMessages.contains("Certificate (server)"), "TLS 1.2 sends the certificate in the clear")
        XCTAssertTrue(c.right.encryptedMessages.contains("Certificate (server)"), "TLS 1.3 encrypts it")
        XCTAssertTrue(c.left.forwardSecrecy.hasPrefix("no"))
        XCTAssertTrue(c.right.forwardSecrecy.hasPrefix("yes"))
        XCTAssertTrue(c.left.serverProves.contains { $0.contains("decrypt the premaster secret") })
        XCTAssertTrue(c.right.serverProves.contains { $0.contains("CertificateVerify, rsa_pss_rsae_sha256") })
        XCTAssertTrue(c.left.clientProves.first?.hasPrefix("nothing") ?? false)
        XCTAssertTrue(c.left.derivedNames.contains("key_block"))
        XCTAssertFalse(c.right.derivedNames.contains("key_block"))
        XCTAssertTrue(c.right.derivedNames.contains("server_handshake_traffic_secret"))
        // Counts are the transcript's.
        for (profile, t) in [(c.left, a), (c.right, b)] {
            XCTAssertEqual(profile.records, t.records.count)
            XCTAssertEqual(profile.handshakeMessages, t.messages.count)
            XCTAssertEqual(profile.bytes, t.records.map { $0.hex.count / 2 }.reduce(0, +))
            XCTAssertEqual(profile.plaintextMessages.count + profile.encryptedMessages.count, t.messages.count)
        }
        XCTAssertEqual(c.rows.first { $0.label == "round trips" }?.left, "2 before the client's request (3 with TCP)")
    }

    func testResumptionAndEarlyData() async throws {
        let zeroRTT = try await TranscriptCache.shared.transcript("tls13-0rtt")
        let rejected = try await TranscriptCache.shared.transcript("tls13-0rtt-rejected")
        let resumed12 = try await TranscriptCache.shared.transcript("tls12-resumption-ticket")
        let pskKE = try await TranscriptCache.shared.transcript("tls13-resumption-psk-ke")
        XCTAssertEqual(ConnectionProfile(zeroRTT, connection: 1).roundTrips, 0)
        XCTAssertEqual(ConnectionProfile(rejected, connection: 1).roundTrips, 1)
        let resumed = ConnectionProfile(resumed12, connection: 1)
        XCTAssertEqual(resumed.roundTrips, 1)
        XCTAssertTrue(resumed.resumed)
        XCTAssertTrue(resumed.serverProves.first?.contains("resumption") ?? false, "\(resumed.serverProves)")
        let psk = ConnectionProfile(pskKE, connection: 1)
        XCTAssertTrue(psk.forwardSecrecy.hasPrefix("no"), psk.forwardSecrecy)
        XCTAssertFalse(psk.derivedNames.contains("shared_secret"))
        XCTAssertTrue(ConnectionProfile(pskKE, connection: 0).forwardSecrecy.hasPrefix("yes"))
    }

    func testWhatEachSideProves() async throws {
        let mtls = ConnectionProfile(try await TranscriptCache.shared.transcript("tls13-mtls"))
        XCTAssertTrue(mtls.clientProves.first?.contains("CertificateVerify") ?? false, "\(mtls.clientProves)")
        let missing = ConnectionProfile(try await TranscriptCache.shared.transcript("lab-missing-client-cert-tls13"))
        XCTAssertTrue(missing.clientProves.first?.contains("empty Certificate") ?? false, "\(missing.clientProves)")
        XCTAssertTrue(missing.outcome.hasPrefix("failed: certificate_required"), missing.outcome)
        let ecdhe = ConnectionProfile(try await TranscriptCache.shared.transcript("tls12-ecdhe-rsa"))
        XCTAssertTrue(ecdhe.serverProves.contains { $0.contains("ServerKeyExchange, rsa_pkcs1_sha256") }, "\(ecdhe.serverProves)")
        // A failed handshake still shows what the ServerHello chose.
        let expired = ConnectionProfile(try await TranscriptCache.shared.transcript("lab-expired-certificate"))
        XCTAssertEqual(expired.version, "TLS 1.2")
        XCTAssertEqual(expired.cipherSuite, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256")
        XCTAssertNil(expired.roundTrips)
    }

    func testTextFitsInTwoColumnsOf100() async throws {
        let pairs = [
            ("tls12-rsa", "tls13"), ("lab-forward-secrecy-rsa", "lab-forward-secrecy-ecdhe"), ("tls12-mtls", "tls13-mtls"),
            ("lab-expired-certificate", "tls13-hrr"), ("tls13-0rtt", "tls12-resumption-session-id"),
        ]
        for (a, b) in pairs {
            let text = Comparison(
                try await TranscriptCache.shared.transcript(a), try await TranscriptCache.shared.transcript(b)
            ).text(width: 100)
            let lines = text.split(separator: "\n")
            for line in lines { XCTAssertLessThanOrEqual(line.count, 100, "\(a) vs \(b): \(line)") }
            XCTAssertTrue(lines[0].contains(a) && lines[0].contains(b))
            // Every row label appears, and the middle rule lines up with the column separators.
            for row in ["round trips", "in the clear", "server proves", "forward secrecy"] {
                XCTAssertTrue(lines.contains { $0.hasPrefix(row) }, row)
            }
            let separators = lines.dropFirst(2).compactMap { line in
                line.firstIndex(of: "│").map { line.distance(from: line.startIndex, to: $0) }
            }
            XCTAssertEqual(Set(separators).count, 1, "the first column separator is in one place")
        }
    }
}

final class TextWrapTests: XCTestCase {
    func testHardWrapCutsLongNamesBetweenTheirParts() {
        let lines = TextWrap.wrap("keys: client/server_application_traffic_secret_0, more", width: 30, hard: true)
        XCTAssertEqual(lines, ["keys:", "client/server_application_", "traffic_secret_0, more"])
        XCTAssertTrue(lines.allSatisfy { $0.count <= 30 }, "\(lines)")
        // No separator in reach: cut at the width.
        XCTAssertEqual(TextWrap.wrap("abcdefghij", width: 4, hard: true), ["abcd", "efgh", "ij"])
    }
}
