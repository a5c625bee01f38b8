import Foundation
import TLSHandshake
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// The transcript of a connection where only one side is simulated (`tlslab serve`, `tlslab connect`): the real
/// peer's records and messages come from what the simulated side received. Real peers cut and pack handshake
/// messages as they like (RFC 8446 §5.1), so the transcript must follow the bytes, not the records.
final class RealPeerRecorderTests: XCTestCase {
    func testAClientHelloSplitAcrossThreeRecordsIsOneMessageListingAllThree() async throws {
        var relay = try ServerOnlyRelay(scenario("tls13"))
        var first = true
        relay.regroup = { records in
            guard first, records.count == 1 else { return records.map(\.bytes) }
            first = false
            return Regroup.split(records[0], at: [50, 50])
        }
        let t = await relay.run()
        XCTAssertEqual(t.outcome.status, .completed, t.outcome.reason ?? "")
        XCTAssertEqual(Array(t.records.prefix(3).map(\.summary)), ["Handshake fragment (50 bytes)", "Handshake fragment (50 bytes)", "ClientHello"])
        let hello = try XCTUnwrap(t.messages.first)
        XCTAssertEqual(hello.name, "ClientHello")
        XCTAssertEqual(hello.from, .client)
        XCTAssertEqual(hello.records, [0, 1, 2])
        XCTAssertEqual(t.records[2].messages, [0])
        XCTAssertTrue(t.records[0].messages.isEmpty)
        // The message bytes are the concatenation of the three fragments.
        let fragments = t.records.prefix(3).flatMap { Array($0.bytes.dropFirst(5)) }
        XCTAssertEqual(hello.bytes, fragments)
        // The server's reaction is anchored on the record that completed the ClientHello.
        let received = t.events.filter { $0.kind == .recordReceived }
        XCTAssertEqual(received.prefix(3).map(\.record), [0, 1, 2])
        XCTAssertTrue(received.allSatisfy { $0.side == .server })
        let walkthrough = Walkthrough(t)
        let helloStep = try XCTUnwrap(walkthrough.steps.first { $0.message == 0 })
        XCTAssertEqual(helloStep.record, 2)
        XCTAssertTrue(
            walkthrough.events(of: helloStep.index, kind: .derivation).contains { $0.derivation?.name == "server_random" })
    }

    func testThreeClientMessagesPackedInOneRecordKeepTheirOffsets() async throws {
        var s = try scenario("tls12-ecdhe-rsa")
        s.server.clientAuth = "require"
        s.client.certificate = "client"
        s.client.signatureAlgorithms = [.rsa_pkcs1_sha256, .ecdsa_secp256r1_sha256]
        s.server.signatureAlgorithms = [.rsa_pkcs1_sha256, .ecdsa_secp256r1_sha256]
        var relay = try ServerOnlyRelay(s)
        var packed: [[UInt8]] = []
        relay.regroup = { records in
            // Certificate, ClientKeyExchange and CertificateVerify (plaintext, before ChangeCipherSpec) in one record.
            guard let ccs = records.firstIndex(where: { $0.contentType == .changeCipherSpec }), ccs >= 3 else {
                return records.map(\.bytes)
            }
            let handshake = records[..<ccs]
            packed = handshake.map(\.fragment)
            let merged = TLSRecord(contentType: .handshake, legacyVersion: .tls12, fragment: handshake.flatMap(\.fragment))
            return [merged.bytes] + records[ccs...].map(\.bytes)
        }
        let t = await relay.run()
        XCTAssertEqual(t.outcome.status, .completed, t.outcome.reason ?? "")
        XCTAssertEqual(t.negotiated?.clientAuthenticated, true)
        XCTAssertEqual(packed.count, 3)
        let record = try XCTUnwrap(t.records.first { $0.from == .client && $0.messages.count == 3 })
        let names = record.messages.map { t.messages[$0].name }
        XCTAssertEqual(names, ["Certificate", "ClientKeyExchange", "CertificateVerify"])
        XCTAssertEqual(record.summary, "Certificate, ClientKeyExchange, CertificateVerify")
        let offsets = record.messages.map { t.messages[$0].offsetInRecord }
        XCTAssertEqual(offsets, [0, packed[0].count, packed[0].count + packed[1].count])
        for (i, m) in record.messages.enumerated() {
            XCTAssertEqual(t.messages[m].bytes, packed[i])
            XCTAssertEqual(t.messages[m].records, [record.index])
        }
        // Three walkthrough steps for the one record, each titled by its message.
        let steps = Walkthrough(t).steps.filter { $0.record == record.index }
        XCTAssertEqual(steps.map(\.title), names)
    }

    func testARealPeersFatalAlertEndsTheTranscriptAsFailed() async throws {
        var s = try scenario("tls13")
        s.client.serverName = "wrong.example.org"  // the certificate does not name it: the client refuses
        var relay = try ServerOnlyRelay(s)
        let t = await relay.run()
        XCTAssertEqual(t.outcome.status, .failed)
        XCTAssertEqual(t.outcome.alert?.sentBy, .client)
        XCTAssertEqual(t.outcome.alert?.level, "fatal")
        let event = try XCTUnwrap(t.outcome.event)
        XCTAssertEqual(t.events[event].kind, .alertReceived)
        XCTAssertEqual(t.events[event].side, .server)
    }
}
