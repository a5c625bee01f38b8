import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSTestVectors
import TLSWire
import XCTest

/// RFC 8448 §3 "Simple 1-RTT Handshake": the client state machine and record layer, given the trace's ClientHello
/// (its random and x25519 key share) and fed the trace's server records, must derive every secret, key and IV of
/// the trace and produce the trace's client records byte for byte.
final class RFC8448ClientTests: XCTestCase {
    func hex(_ s: String) -> [UInt8] { [UInt8](hex: s)! }

    struct Run {
        var connection: Connection
        var events: [ConnectionEvent] = []
        var derived: [String: [UInt8]] {
            var out: [String: [UInt8]] = [:]
            for case .derived(let step) in events { out[step.name] = step.output }
            return out
        }
        var sentRecords: [[UInt8]] {
            events.compactMap { if case .record(let r) = $0, r.direction == .sent { r.record.bytes } else { nil } }
        }
    }

    func startClient() throws -> Run {
        let clientHelloMessage = hex(RFC8448.clientHello)
        let (decoded, _) = try HandshakeMessage.decode(clientHelloMessage, context: DecodeContext())
        guard case .clientHello(let hello) = decoded.body else { throw XCTSkip("not a ClientHello") }
        let share = try EphemeralKeyPair(group: .x25519, privateKey: hex(RFC8448.clientPrivateKey))
        XCTAssertEqual(share.publicKey, hex(RFC8448.clientPublicKey))
        let config = ClientConfiguration(
            versions: [.tls13], cipherSuites: hello.cipherSuites, groups: [.x25519], serverName: nil,
            clock: Date(timeIntervalSince1970: 1_600_000_000))
        var run = Run(connection: Connection(client: config, random: RandomSource(seed: 0, stream: "client")))
        run.events += run.connection.start(replaying: hello, keyShares: [share])
        return run
    }

    func testClientDerivesTheTraceSecretsAndSendsTheTraceFinished() throws {
        var run = try startClient()
        // The ClientHello record is the trace's (record version 0x0301, as in the trace).
        let clientHelloRecord = [0x16, 0x03, 0x01, 0x00, 0xc4] + hex(RFC8448.clientHello)
        XCTAssertEqual(run.sentRecords, [clientHelloRecord])

        let serverHello = hex(RFC8448.serverHello)
        let serverHelloRecord = [0x16, 0x03, 0x03, 0x00, UInt8(serverHello.count)] + serverHello
        run.events += run.connection.receive(serverHelloRecord)
        run.events += run.connection.receive(hex(RFC8448.serverHandshakeRecord))
        // The client asks for the certificate to be validated; RFC 8448's certificate is a bare self-signed test
        // certificate, so the test vouches for it.
        let requests = run.events.compactMap { if case .validationNeeded(let r) = $0 { r } else { nil } }
        XCTAssertEqual(requests.count, 1)
        XCTAssertEqual(requests.first?.chain.count, 1)
        run.events += run.connection.provide(ValidationVerdict(trusted: true, alert: nil, reason: "RFC 8448 test certificate"))

        let d = run.derived
        let expected: [(String, String)] = [
            ("shared_secret", RFC8448.sharedSecret),
            ("early_secret", RFC8448.earlySecret),
            ("derived_for_handshake", RFC8448.derivedForHandshake),
            ("handshake_secret", RFC8448.handshakeSecret),
            ("client_handshake_traffic_secret", RFC8448.clientHandshakeTraffic),
            ("server_handshake_traffic_secret", RFC8448.serverHandshakeTraffic),
            ("server_handshake_key", RFC8448.serverHandshakeKey),
            ("server_handshake_iv", RFC8448.serverHandshakeIV),
            ("client_handshake_key", RFC8448.clientHandshakeKey),
            ("client_handshake_iv", RFC8448.clientHandshakeIV),
            ("server_finished_key", RFC8448.serverFinishedKey),
            ("client_finished_key", RFC8448.clientFinishedKey),
            ("server_verify_data", RFC8448.serverVerifyData),
            ("derived_for_master", RFC8448.derivedForMaster),
            ("master_secret", RFC8448.masterSecret),
            ("client_application_traffic_secret_0", RFC8448.clientApplicationTraffic),
            ("server_application_traffic_secret_0", RFC8448.serverApplicationTraffic),
            ("exporter_master_secret", RFC8448.exporterMaster),
            ("server_application_key", RFC8448.serverApplicationKey),
            ("server_application_iv", RFC8448.serverApplicationIV),
            ("client_application_key", RFC8448.clientApplicationKey),
            ("client_application_iv", RFC8448.clientApplicationIV),
            ("client_verify_data", RFC8448.clientVerifyData),
            ("resumption_master_secret", RFC8448.resumptionMaster),
        ]
        for (name, value) in expected {
            XCTAssertEqual(d[name]?.hex, value, name)
        }
        XCTAssertEqual(run.connection.status, .connected)
        // The client's Finished record, under the client handshake key, is the trace's byte for byte.
        XCTAssertEqual(run.sentRecords.last?.hex, RFC8448.clientFinishedRecord)

        // Post-handshake: the NewSessionTicket arrives; application data both ways and close_notify are the
        // trace's records.
        run.events += run.connection.receive(hex(RFC8448.newSessionTicketRecord))
        let before = run.sentRecords.count
        run.events += run.connection.send(applicationData: hex(RFC8448.applicationPayload))
        XCTAssertEqual(run.sentRecords.last?.hex, RFC8448.clientApplicationRecord)
        run.events += run.connection.receive(hex(RFC8448.serverApplicationRecord))
        let received = run.events.compactMap { if case .applicationData(let b) = $0 { b } else { nil } }
        XCTAssertEqual(received, [hex(RFC8448.applicationPayload)])
        run.events += run.connection.close()
        XCTAssertEqual(run.sentRecords.last?.hex, RFC8448.clientAlertRecord)
        XCTAssertEqual(run.sentRecords.count, before + 2)
        run.events += run.connection.receive(hex(RFC8448.serverAlertRecord))
        XCTAssertEqual(run.connection.status, .closed)
    }

    func testAFlippedBitInTheServerHandshakeRecordEndsWithBadRecordMAC() throws {
        var run = try startClient()
        let serverHello = hex(RFC8448.serverHello)
        run.events += run.connection.receive([0x16, 0x03, 0x03, 0x00, UInt8(serverHello.count)] + serverHello)
        var record = hex(RFC8448.serverHandshakeRecord)
        record[100] ^= 0x01
        run.events += run.connection.receive(record)
        let alerts = run.events.compactMap { if case .alertSent(let a, _) = $0 { a } else { nil } }
        XCTAssertEqual(alerts, [Alert.fatal(.badRecordMAC)])
        XCTAssertEqual(run.connection.status, .failed(.fatal(.badRecordMAC)))
    }

    func testAWrongServerFinishedEndsWithDecryptError() throws {
        // Re-seal the server's handshake flight with a Finished whose verify_data is off by one bit.
        var run = try startClient()
        let serverHello = hex(RFC8448.serverHello)
        run.events += run.connection.receive([0x16, 0x03, 0x03, 0x00, UInt8(serverHello.count)] + serverHello)
        var finished = hex(RFC8448.serverFinished)
        finished[finished.count - 1] ^= 0x01
        let flight = hex(RFC8448.encryptedExtensions) + hex(RFC8448.certificate) + hex(RFC8448.certificateVerify) + finished
        guard let suite = CipherSuiteInfo.info(.TLS_AES_128_GCM_SHA256) else { return XCTFail("suite") }
        var protection = RecordProtection(
            tls13: suite, key: hex(RFC8448.serverHandshakeKey), iv: hex(RFC8448.serverHandshakeIV))
        let (record, _) = try protection.seal(contentType: .handshake, plaintext: flight, explicitIV: nil)
        run.events += run.connection.receive(record.bytes)
        run.events += run.connection.provide(ValidationVerdict(trusted: true, alert: nil, reason: "test"))
        let alerts = run.events.compactMap { if case .alertSent(let a, let reason) = $0 { (a, reason) } else { nil } }
        XCTAssertEqual(alerts.map(\.0), [Alert.fatal(.decryptError)])
        XCTAssertTrue(alerts.first?.1.contains("Finished") ?? false)
    }
}
