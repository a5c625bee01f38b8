import Foundation
import TLSWire
import XCTest

@testable import TLSScenario

/// The keys of the scenario catalog / failure lab: connections (resumption, 0-RTT, replay), channel rules, lab
/// notes, expectations, the eavesdropper, and the session/0-RTT/HelloRetryRequest options of client and server.
/// Every expected position below was counted by hand in the YAML shown (lines and columns from 1).
final class ScenarioLabFormatTests: XCTestCase {
    private var pki: URL!

    override func setUpWithError() throws {
        pki = try makeDummyPKI(in: try temporaryDirectory(self), test: self)
    }

    private func parse(_ yaml: String) throws -> Scenario {
        try ScenarioLoader.parse(yaml: yaml, name: "test", sourcePath: "dir/test.yaml", pkiDirectory: pki)
    }

    /// Asserts that `yaml` fails at `line`:`column` with exactly `message`.
    private func assertError(
        _ yaml: String, _ line: Int, _ column: Int, _ message: String, file: StaticString = #filePath,
        testLine: UInt = #line
    ) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: testLine) { error in
            guard let error = error as? ScenarioError else {
                return XCTFail("not a ScenarioError: \(error)", file: file, line: testLine)
            }
            XCTAssertEqual(error.file, "dir/test.yaml", file: file, line: testLine)
            XCTAssertEqual("\(error.line):\(error.column)", "\(line):\(column)", error.message, file: file, line: testLine)
            XCTAssertEqual(error.message, message, file: file, line: testLine)
        }
    }

    /// Lines 1–2 of every test document.
    private let head = "title: T\ndescription: D\n"

    // Written out by hand (not computed by the code under test).
    private let connectionKeys = "label, resume, early_data, reject_early_data, key_update, replay_of"
    private let channelKeys = "action, connection, from, record, occurrence, byte, xor, hex, set"
    private let records = """
        ClientHello, ServerHello, HelloRetryRequest, EncryptedExtensions, Certificate, CertificateRequest, \
        ServerKeyExchange, ServerHelloDone, ClientKeyExchange, CertificateVerify, Finished, NewSessionTicket, \
        EndOfEarlyData, KeyUpdate, change_cipher_spec, alert, application_data
        """
    private let alerts = """
        access_denied, bad_certificate, bad_certificate_hash_value, bad_certificate_status_response, \
        bad_record_mac, certificate_expired, certificate_required, certificate_revoked, certificate_unknown, \
        certificate_unobtainable, close_notify, decode_error, decompression_failure, decrypt_error, \
        decryption_failed, export_restriction, handshake_failure, illegal_parameter, inappropriate_fallback, \
        insufficient_security, internal_error, missing_extension, no_application_protocol, no_certificate, \
        no_renegotiation, protocol_version, record_overflow, unexpected_message, unknown_ca, \
        unknown_psk_identity, unrecognized_name, unsupported_certificate, unsupported_extension, user_canceled
        """
    private let serverKeys = """
        versions, cipher_suites, groups, signature_algorithms, certificate, extended_master_secret, \
        encrypt_then_mac, client_auth, trust, session_tickets, session_cache, max_early_data, anti_replay, \
        hello_retry_cookie
        """

    // MARK: Valid documents

    func testDefaultsOfTheNewKeys() throws {
        let s = try parse(head)
        XCTAssertEqual(s.connections, [ConnectionSpec()])
        XCTAssertEqual(s.channel, [])
        XCTAssertNil(s.lab)
        XCTAssertNil(s.expect)
        XCTAssertNil(s.eavesdropper)
        // The Swift defaults themselves, so a silent change shows up here.
        let connection = ConnectionSpec()
        XCTAssertFalse(connection.resume)
        XCTAssertNil(connection.earlyData)
        XCTAssertFalse(connection.keyUpdate)
        XCTAssertNil(connection.replayOf)
        XCTAssertNil(connection.label)
        XCTAssertFalse(s.client.sessionTickets)
        XCTAssertEqual(s.client.pskModes, [PskKeyExchangeMode(rawValue: 1)])  // psk_dhe_ke
        XCTAssertFalse(s.server.sessionTickets)
        XCTAssertFalse(s.server.sessionCache)
        XCTAssertEqual(s.server.maxEarlyData, 0)
        XCTAssertTrue(s.server.antiReplay)
        XCTAssertFalse(s.server.helloRetryCookie)
    }

    func testEveryNewKeyIsRead() throws {
        let yaml = """
            title: Replayed 0-RTT
            description: Everything at once.
            client:
              session_tickets: true
              psk_modes: [psk_ke, psk_dhe_ke]
            server:
              session_tickets: true
              session_cache: true
              max_early_data: 16384
              anti_replay: false
              hello_retry_cookie: true
            connections:
              - label: first visit
              - label: "resumed, with 0-RTT"
                resume: true
                early_data: "GET /transfer?to=mallory HTTP/1.1\\r\\n\\r\\n"
                key_update: true
              - replay_of: 2
                label: the attacker replays
              - {}
            channel:
              - action: tamper
                record: Finished
                from: server
                connection: 2
                occurrence: 1
                byte: -3
                xor: 0x80
              - action: drop
                record: NewSessionTicket
                from: server
                occurrence: 2
              - action: duplicate
                record: application_data
              - action: replace
                record: alert
                from: server
                hex: "15 03 03 00 02 02 28"
              - action: rewrite
                record: ClientHello
                set:
                  supported_versions: [TLS1.2]
                  cipher_suites: [TLS_RSA_WITH_AES_128_CBC_SHA]
            lab:
              symptom: The bank shows two transfers.
              cause: 0-RTT data can be replayed.
              fix: Only allow idempotent requests in early data.
              in_practice: Servers answer 425 Too Early.
            expect:
              outcome: failed
              alert: bad_record_mac
              sent_by: client
              at: Finished
            eavesdropper:
              server_key_leaked: false

            """
        let s = try parse(yaml)
        XCTAssertTrue(s.client.sessionTickets)
        XCTAssertEqual(s.client.pskModes, [.pskKE, .pskDHEKE])
        XCTAssertTrue(s.server.sessionTickets)
        XCTAssertTrue(s.server.sessionCache)
        XCTAssertEqual(s.server.maxEarlyData, 16384)
        XCTAssertFalse(s.server.antiReplay)
        XCTAssertTrue(s.server.helloRetryCookie)

        XCTAssertEqual(s.connections, [
            ConnectionSpec(label: "first visit"),
            ConnectionSpec(
                resume: true, earlyData: "GET /transfer?to=mallory HTTP/1.1\r\n\r\n", keyUpdate: true,
                label: "resumed, with 0-RTT"),
            ConnectionSpec(replayOf: 2, label: "the attacker replays"),
            ConnectionSpec(),
        ])

        var tamper = ChannelRuleSpec(action: .tamper, target: "Finished")
        tamper.from = .server
        tamper.connection = 2
        tamper.byte = -3
        tamper.xor = 0x80
        var drop = ChannelRuleSpec(action: .drop, target: "NewSessionTicket")
        drop.from = .server
        drop.occurrence = 2
        let duplicate = ChannelRuleSpec(action: .duplicate, target: "application_data")
        var replace = ChannelRuleSpec(action: .replace, target: "alert")
        replace.from = .server
        replace.hex = [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]
        var rewrite = ChannelRuleSpec(action: .rewrite, target: "ClientHello")
        rewrite.rewriteVersions = [.tls12]
        rewrite.rewriteCipherSuites = [.TLS_RSA_WITH_AES_128_CBC_SHA]
        XCTAssertEqual(s.channel, [tamper, drop, duplicate, replace, rewrite])
        // The defaults a rule leaves out.
        XCTAssertEqual(duplicate.connection, 1)
        XCTAssertEqual(duplicate.from, .client)
        XCTAssertEqual(duplicate.occurrence, 1)
        XCTAssertEqual(duplicate.byte, -1)
        XCTAssertEqual(duplicate.xor, 0x01)
        XCTAssertEqual(duplicate.hex, [])
        XCTAssertNil(duplicate.rewriteVersions)

        XCTAssertEqual(s.lab, LabNote(
            symptom: "The bank shows two transfers.", cause: "0-RTT data can be replayed.",
            fix: "Only allow idempotent requests in early data.", inPractice: "Servers answer 425 Too Early."))
        XCTAssertEqual(s.expect, Expectation(outcome: "failed", alert: "bad_record_mac", sentBy: .client, at: "Finished"))
        XCTAssertEqual(s.eavesdropper, EavesdropperSpec(serverKeyLeaked: false))
    }

    func testOptionalPartsAndEmptySections() throws {
        // A section with no value takes its defaults: the eavesdropper is there, with the key leaked.
        XCTAssertEqual(try parse(head + "eavesdropper:\n").eavesdropper, EavesdropperSpec(serverKeyLeaked: true))
        // `- {}` and an empty item are full handshakes.
        XCTAssertEqual(try parse(head + "connections:\n  - {}\n  -\n").connections, [ConnectionSpec(), ConnectionSpec()])
        XCTAssertEqual(try parse(head + "channel: []\n").channel, [])
        // in_practice is optional; completed and incomplete need no alert.
        XCTAssertEqual(
            try parse(head + "lab: {symptom: s, cause: c, fix: f}\n").lab, LabNote(symptom: "s", cause: "c", fix: "f"))
        XCTAssertEqual(try parse(head + "expect: {outcome: completed}\n").expect, Expectation(outcome: "completed"))
        XCTAssertEqual(
            try parse(head + "expect:\n  outcome: incomplete\n  at: ServerHello\n").expect,
            Expectation(outcome: "incomplete", at: "ServerHello"))
        // 0-RTT data may be any text (here a YAML number, read as its text).
        let numbers = try parse(head + "connections:\n  - {}\n  - {resume: true, early_data: 42}\n")
        XCTAssertEqual(numbers.connections[1].earlyData, "42")
        // The limits of max_early_data and xor are accepted.
        XCTAssertEqual(try parse(head + "server:\n  max_early_data: 4294967295\n").server.maxEarlyData, UInt32.max)
        XCTAssertEqual(try parse(head + "server:\n  max_early_data: 0\n").server.maxEarlyData, 0)
        let xor = try parse(head + "channel:\n  - {action: tamper, record: Finished, xor: 255, byte: 0x10}\n")
        XCTAssertEqual(xor.channel.first?.xor, 255)
        XCTAssertEqual(xor.channel.first?.byte, 16)
        XCTAssertEqual(
            try parse(head + "channel:\n  - {action: tamper, record: Finished, byte: -0x2}\n").channel.first?.byte, -2)
        // One PSK mode is enough.
        XCTAssertEqual(try parse(head + "client:\n  psk_modes: [psk_ke]\n").client.pskModes, [.pskKE])
    }

    /// Channel rules may come before the connections they name.
    func testChannelBeforeConnections() throws {
        let yaml = head + "channel:\n  - {action: drop, record: Finished, connection: 2}\nconnections:\n  - {}\n  - {}\n"
        XCTAssertEqual(try parse(yaml).channel.first?.connection, 2)
        assertError(
            head + "channel:\n  - {action: drop, record: Finished, connection: 3}\nconnections:\n  - {}\n  - {}\n",
            4, 50, "the channel rule acts on connection 3, but the scenario has 2 connections; allowed: 1 … 2")
    }

    /// Both sides send Certificate, Finished, alerts…: a rule may watch either.
    func testRecordsBothSidesSend() throws {
        for record in ["Certificate", "CertificateVerify", "Finished", "KeyUpdate", "change_cipher_spec", "alert", "application_data"] {
            for from in ["client", "server"] {
                let s = try parse(head + "channel:\n  - {action: drop, record: \(record), from: \(from)}\n")
                XCTAssertEqual(s.channel.first?.target, record)
                XCTAssertEqual(s.channel.first?.from, from == "client" ? .client : .server)
            }
        }
    }

    /// A failure-lab scenario against the real PKI: the lab certificates are found by name.
    func testLabCertificatesExistInTheShippedPKI() throws {
        let yaml = """
            title: Expired certificate
            description: The server's certificate expired in 2025.
            client:
              trust: [ca, untrusted-ca]
              certificate: client-untrusted
            server:
              certificate: server-expired
              client_auth: require
              trust: [ca]
            expect:
              outcome: failed
              alert: certificate_expired
              sent_by: client
              at: Certificate

            """
        let real = shippedScenariosDirectory.appendingPathComponent("pki")
        for credential in ["server-expired", "server-not-yet-valid", "server-wrong-host", "server-untrusted", "server-self-signed"] {
            let s = try ScenarioLoader.parse(
                yaml: yaml.replacingOccurrences(of: "server-expired", with: credential), name: "lab",
                sourcePath: "lab.yaml", pkiDirectory: real)
            XCTAssertEqual(s.server.certificate, credential)
            XCTAssertEqual(s.client.certificate, "client-untrusted")
            XCTAssertEqual(s.client.trust, ["ca", "untrusted-ca"])
        }
    }

    // MARK: Unknown keys, with did-you-mean

    func testUnknownKeysInEachNewSection() {
        assertError(
            head + "conections:\n  - {}\n", 3, 1,
            startingWith: "unknown key 'conections' at the top level (did you mean 'connections'?); allowed keys: title,")
        assertError(
            head + "connections:\n  - early-data: hi\n", 4, 5,
            "unknown key 'early-data' in a connections item (did you mean 'early_data'?); allowed keys: \(connectionKeys)")
        assertError(
            head + "connections:\n  - {}\n  - replay: 1\n", 5, 5,
            "unknown key 'replay' in a connections item (did you mean 'replay_of'?); allowed keys: \(connectionKeys)")
        assertError(
            head + "channel:\n  - action: drop\n    recrd: Finished\n", 5, 5,
            "unknown key 'recrd' in a channel rule (did you mean 'record'?); allowed keys: \(channelKeys)")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    set:\n      versions: [TLS1.2]\n", 7, 7,
            "unknown key 'versions' in a channel rule's set (did you mean 'supported_versions'?); allowed keys: supported_versions, cipher_suites")
        assertError(
            head + "lab:\n  symtom: s\n", 4, 3,
            "unknown key 'symtom' in lab (did you mean 'symptom'?); allowed keys: symptom, cause, fix, in_practice")
        assertError(
            head + "expect:\n  outcome: failed\n  sentBy: client\n", 5, 3,
            "unknown key 'sentBy' in expect (did you mean 'sent_by'?); allowed keys: outcome, alert, sent_by, at")
        assertError(
            head + "eavesdropper:\n  server_key_leak: true\n", 4, 3,
            "unknown key 'server_key_leak' in eavesdropper (did you mean 'server_key_leaked'?); allowed keys: server_key_leaked")
        assertError(
            head + "client:\n  psk_mode: [psk_ke]\n", 4, 3,
            startingWith: "unknown key 'psk_mode' in client (did you mean 'psk_modes'?); allowed keys: versions,")
        assertError(
            head + "server:\n  antireplay: false\n", 4, 3,
            "unknown key 'antireplay' in server (did you mean 'anti_replay'?); allowed keys: \(serverKeys)")
        assertError(
            head + "server:\n  hello_retry: true\n", 4, 3,
            "unknown key 'hello_retry' in server (did you mean 'hello_retry_cookie'?); allowed keys: \(serverKeys)")
    }

    func testKeysInTheWrongSectionSayWhereTheyBelong() {
        assertError(
            head + "client:\n  max_early_data: 1\n", 4, 3,
            startingWith: "unknown key 'max_early_data' in client ('max_early_data' belongs in server); allowed keys:")
        assertError(
            head + "early_data: hi\n", 3, 1,
            startingWith: "unknown key 'early_data' at the top level ('early_data' belongs in a connections item); allowed keys:")
        assertError(
            head + "connections:\n  - action: drop\n", 4, 5,
            "unknown key 'action' in a connections item ('action' belongs in a channel rule); allowed keys: \(connectionKeys)")
        assertError(
            head + "expect:\n  symptom: s\n", 4, 3,
            "unknown key 'symptom' in expect ('symptom' belongs in lab); allowed keys: outcome, alert, sent_by, at")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    supported_versions: [TLS1.2]\n", 6, 5,
            "unknown key 'supported_versions' in a channel rule ('supported_versions' belongs in a channel rule's set); allowed keys: \(channelKeys)")
    }

    func testDuplicateKeysInNewSections() {
        assertError(
            head + "connections:\n  - resume: false\n    resume: true\n", 5, 5,
            "duplicate key 'resume': it is already given at line 4; each key may appear only once")
        assertError(
            head + "channel:\n  - {action: drop, record: Finished, action: tamper}\n", 4, 6,
            "duplicate key 'action': it is already given at line 4; each key may appear only once")
    }

    // MARK: Wrong types

    func testWrongTypes() {
        assertError(
            head + "connections: {label: x}\n", 3, 14,
            "expected a list for connections (items start with '- '), found a mapping")
        assertError(head + "channel: drop\n", 3, 10, "expected a list for channel (items start with '- '), found a text ('drop')")
        assertError(
            head + "connections:\n  - [resume]\n", 4, 5,
            "expected the keys of a connections item (like 'resume: true'), found a list; allowed keys: \(connectionKeys)")
        assertError(
            head + "channel:\n  - drop\n", 4, 5,
            "expected the keys of a channel rule (like 'action: drop'), found a text ('drop'); allowed keys: \(channelKeys)")
        assertError(
            head + "lab: broken\n", 3, 6,
            "expected the keys of lab (like 'symptom: …'), found a text ('broken'); allowed keys: symptom, cause, fix, in_practice")
        assertError(
            head + "expect: failed\n", 3, 9,
            "expected the keys of expect (like 'outcome: failed'), found a text ('failed'); allowed keys: outcome, alert, sent_by, at")
        assertError(
            head + "eavesdropper: true\n", 3, 15,
            "expected the keys of eavesdropper (like 'server_key_leaked: true'), found a boolean ('true'); allowed keys: server_key_leaked")
        assertError(
            head + "connections:\n  - resume: yes\n", 4, 13,
            "expected true or false for resume, found 'yes' (YAML's other spelling of a boolean); allowed: true, false")
        assertError(
            head + "connections:\n  - {}\n  - {resume: true, key_update: 1}\n", 5, 32,
            "expected true or false for key_update, found a number (1); allowed: true, false")
        assertError(
            head + "connections:\n  - {}\n  - replay_of: first\n", 5, 16,
            "expected a whole number for replay_of, found a text ('first')")
        assertError(head + "connections:\n  - {}\n  - replay_of: 0\n", 5, 16, "replay_of must be 1 or more, found 0")
        assertError(
            head + "connections:\n  - {}\n  - {resume: true, early_data: [a]}\n", 5, 32,
            "expected a text for early_data, found a list")
        assertError(head + "connections:\n  - label: \"\"\n", 4, 12, "label must not be empty")
        assertError(
            head + "channel:\n  - {action: drop, record: Finished, occurrence: 0}\n", 4, 50,
            "occurrence must be 1 or more, found 0")
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, byte: 1.5}\n", 4, 46,
            "expected a whole number for byte, found a number (1.5)")
        assertError(
            head + "channel:\n  - {action: drop, record: Finished, connection: two}\n", 4, 50,
            "expected a whole number for connection, found a text ('two')")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    set: [TLS1.2]\n", 6, 10,
            "expected the keys of a channel rule's set (like 'supported_versions: [TLS1.2]'), found a list; allowed keys: supported_versions, cipher_suites")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    set: {supported_versions: TLS1.2}\n", 6, 31,
            "expected a list of protocol versions, found a text ('TLS1.2') (write it as a list: [TLS1.2]); allowed: TLS1.2, TLS1.3")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    set: {cipher_suites: [TLS_AES_128_GCM_SHA256], supported_versions: []}\n",
            6, 72, "set.supported_versions must not be empty; allowed: TLS1.2, TLS1.3")
        assertError(head + "lab:\n  symptom: \"\"\n", 4, 12, "symptom must not be empty")
        assertError(
            head + "eavesdropper:\n  server_key_leaked: \"no\"\n", 4, 22,
            "expected true or false for server_key_leaked, found a text ('no'); allowed: true, false")
        assertError(
            head + "client:\n  session_tickets: 1\n", 4, 20,
            "expected true or false for session_tickets, found a number (1); allowed: true, false")
        assertError(
            head + "client:\n  psk_modes: psk_ke\n", 4, 14,
            "expected a list for psk_modes (items start with '- '), found a text ('psk_ke')")
        assertError(
            head + "server:\n  session_cache: on\n", 4, 18,
            "expected true or false for session_cache, found 'on' (YAML's other spelling of a boolean); allowed: true, false")
        assertError(
            head + "server:\n  max_early_data: 16k\n", 4, 19, "expected a whole number for max_early_data, found a text ('16k')")
        assertError(
            head + "server:\n  anti_replay: null\n", 4, 16,
            "expected true or false for anti_replay, found nothing (null); allowed: true, false")
        assertError(
            head + "server:\n  hello_retry_cookie: [true]\n", 4, 23,
            "expected true or false for hello_retry_cookie, found a list; allowed: true, false")
        assertError(
            head + "expect:\n  outcome: [failed]\n", 4, 12,
            "expected one of completed, failed, incomplete for outcome, found a list")
        assertError(head + "expect:\n  outcome: failed\n  alert: ~\n  sent_by: client\n", 5, 10,
            "expected one of \(alerts) for alert, found nothing (null)")
    }

    // MARK: Unknown names

    func testUnknownNames() {
        let actions = "tamper, drop, duplicate, replace, rewrite"
        assertError(
            head + "channel:\n  - action: tampr\n    record: Finished\n", 4, 13,
            "unknown channel action 'tampr' (did you mean 'tamper'?); allowed: \(actions)")
        assertError(
            head + "channel:\n  - action: flip\n    record: Finished\n", 4, 13,
            "unknown channel action 'flip'; allowed: \(actions)")
        assertError(
            head + "channel:\n  - action: drop\n    record: client_hello\n", 5, 13,
            "unknown record 'client_hello' (did you mean 'ClientHello'?); allowed: \(records)")
        assertError(
            head + "channel:\n  - action: drop\n    record: Finished\n    from: browser\n", 6, 11,
            "unknown side 'browser'; allowed: client, server")
        assertError(
            head + "expect:\n  outcome: complete\n", 4, 12,
            "unknown outcome 'complete' (did you mean 'completed'?); allowed: completed, failed, incomplete")
        assertError(
            head + "expect:\n  outcome: failed\n  alert: certificate_expire\n  sent_by: client\n", 5, 10,
            "unknown alert 'certificate_expire' (did you mean 'certificate_expired'?); allowed: \(alerts)")
        assertError(
            head + "expect:\n  outcome: failed\n  alert: unknown_CA\n  sent_by: client\n", 5, 10,
            "unknown alert 'unknown_CA' (did you mean 'unknown_ca'?); allowed: \(alerts)")
        assertError(
            head + "expect:\n  outcome: failed\n  alert: unknown_ca\n  sent_by: the client\n", 6, 12,
            "unknown side 'the client'; allowed: client, server")
        assertError(
            head + "expect:\n  outcome: failed\n  alert: bad_record_mac\n  sent_by: server\n  at: Finishd\n", 7, 7,
            "unknown message 'Finishd' (did you mean 'Finished'?); allowed: \(records)")
        assertError(
            head + "client:\n  psk_modes: [psk_dhe]\n", 4, 15,
            "unknown PSK key exchange mode 'psk_dhe' (did you mean 'psk_dhe_ke'?); allowed: psk_dhe_ke, psk_ke")
        assertError(
            head + "channel:\n  - {action: rewrite, record: ClientHello, set: {cipher_suites: [TLS_AES_128_GCM_SHA265]}}\n",
            4, 66, startingWith: "unknown cipher suite 'TLS_AES_128_GCM_SHA265' (did you mean 'TLS_AES_128_GCM_SHA256'?); allowed: TLS_AES_128_GCM_SHA256,")
        assertError(
            head + "channel:\n  - {action: rewrite, record: ClientHello, set: {supported_versions: [TLS1.1]}}\n", 4, 71,
            "protocol version 'TLS1.1' is not supported by TLSLab; allowed: TLS1.2, TLS1.3")
    }

    // MARK: Connections

    func testTheFirstConnectionCannotResumeOrReplay() {
        assertError(
            head + "connections:\n  - resume: true\n", 4, 13,
            "the first connection cannot resume: there is no earlier session to resume")
        assertError(
            head + "connections:\n  - label: first\n    replay_of: 1\n", 5, 16,
            "the first connection cannot be a replay: there is no earlier connection to replay")
        // resume: false is what the first connection does anyway.
        XCTAssertEqual(try parse(head + "connections:\n  - resume: false\n").connections, [ConnectionSpec()])
    }

    func testReplayOfMustNameAnEarlierConnection() throws {
        assertError(
            head + "connections:\n  - {}\n  - replay_of: 2\n", 5, 16,
            "connection 2 cannot replay connection 2: a replay repeats an earlier connection; allowed: 1")
        assertError(
            head + "connections:\n  - {}\n  - {}\n  - {label: replay, replay_of: 7}\n", 6, 32,
            "connection 3 cannot replay connection 7: a replay repeats an earlier connection; allowed: 1 … 2")
        XCTAssertEqual(
            try parse(head + "connections:\n  - {}\n  - {}\n  - replay_of: 2\n").connections[2].replayOf, 2)
    }

    func testAReplayIsNotAClient() {
        assertError(
            head + "connections:\n  - {}\n  - replay_of: 1\n    resume: true\n", 6, 13,
            "connection 2 is a replay of connection 1: the attacker re-sends its recorded first flight as it was, so resume does not apply")
        // The first offending key in the document is reported, wherever replay_of is.
        assertError(
            head + "connections:\n  - {}\n  - key_update: true\n    early_data: x\n    replay_of: 1\n", 5, 17,
            "connection 2 is a replay of connection 1: the attacker re-sends its recorded first flight as it was, so key_update does not apply")
        // false flags do no harm.
        XCTAssertEqual(
            try parse(head + "connections:\n  - {}\n  - {replay_of: 1, resume: false, key_update: false}\n").connections[1],
            ConnectionSpec(replayOf: 1))
    }

    func testEarlyDataNeedsResume() {
        assertError(
            head + "connections:\n  - {}\n  - early_data: hello\n", 5, 17,
            "connection 2 sends early_data without resume: true; 0-RTT data is protected with a ticket from an earlier connection (RFC 8446 §4.2.10)")
        assertError(
            head + "connections:\n  - early_data: hello\n", 4, 17,
            "connection 1 sends early_data without resume: true; 0-RTT data is protected with a ticket from an earlier connection (RFC 8446 §4.2.10)")
        assertError(
            head + "connections:\n  - {}\n  - {early_data: hello, resume: false}\n", 5, 18,
            "connection 2 sends early_data without resume: true; 0-RTT data is protected with a ticket from an earlier connection (RFC 8446 §4.2.10)")
    }

    func testConnectionsMustNotBeEmpty() {
        assertError(
            head + "connections: []\n", 3, 14,
            "connections must list at least one connection (write '- {}' for a full handshake)")
    }

    // MARK: Channel rules

    func testChannelRuleNamingAConnectionThatDoesNotExist() {
        // Without connections: there is one.
        assertError(
            head + "channel:\n  - action: drop\n    record: Finished\n    connection: 2\n", 6, 17,
            "the channel rule acts on connection 2, but the scenario has 1 connection; allowed: 1")
        assertError(
            head + "connections:\n  - {}\n  - {}\n  - {}\nchannel:\n  - {action: drop, record: Finished}\n  - {action: drop, record: Finished, connection: 4}\n",
            9, 50, "the channel rule acts on connection 4, but the scenario has 3 connections; allowed: 1 … 3")
    }

    func testARuleNeedsAnActionAndARecord() {
        assertError(
            head + "channel:\n  - record: Finished\n", 4, 5,
            "a channel rule needs an action; allowed: tamper, drop, duplicate, replace, rewrite")
        assertError(
            head + "channel:\n  -\n", 4, 4, "a channel rule needs an action; allowed: tamper, drop, duplicate, replace, rewrite")
        assertError(
            head + "channel:\n  - action: drop\n", 4, 5,
            "a channel rule needs a record (which record it acts on); allowed: \(records)")
    }

    func testRewrite() {
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n", 4, 5,
            "a rewrite rule needs set: (what the man in the middle changes); allowed keys: supported_versions, cipher_suites")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: Finished\n    set: {supported_versions: [TLS1.2]}\n", 5, 13,
            "rewrite works on the ClientHello only (later messages are covered by the Finished MACs, signed or encrypted); allowed: ClientHello")
        assertError(
            head + "channel:\n  - action: rewrite\n    from: server\n    record: ServerHello\n    set: {cipher_suites: [TLS_AES_128_GCM_SHA256]}\n",
            6, 13,
            "rewrite works on the ClientHello only (later messages are covered by the Finished MACs, signed or encrypted); allowed: ClientHello")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    set: {}\n", 6, 10,
            "set must change something; allowed keys: supported_versions, cipher_suites")
        assertError(
            head + "channel:\n  - action: rewrite\n    record: ClientHello\n    set:\n", 6, 9,
            "set must change something; allowed keys: supported_versions, cipher_suites")
    }

    func testReplace() {
        assertError(
            head + "channel:\n  - action: replace\n    record: alert\n", 4, 5,
            "a replace rule needs hex: (the whole record that replaces the original, header included)")
        assertError(
            head + "channel:\n  - {action: replace, record: alert, hex: \"15 03 03 zz\"}\n", 4, 43,
            "hex must be pairs of hexadecimal digits, one pair per byte (spaces, ':' and '-' between bytes are allowed)")
        assertError(
            head + "channel:\n  - {action: replace, record: alert, hex: \"150303\"}\n", 4, 43,
            "hex must be a whole record: at least the 5-byte header (RFC 8446 §5.1), found 3 bytes")
        assertError(
            head + "channel:\n  - {action: replace, record: alert, hex: \"1503030\"}\n", 4, 43,
            "hex must be pairs of hexadecimal digits, one pair per byte (spaces, ':' and '-' between bytes are allowed)")
    }

    func testTamperValues() {
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, xor: 256}\n", 4, 45,
            "xor must be a byte value that changes something; allowed: 1 … 255 (0x01 … 0xff)")
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, xor: 0}\n", 4, 45,
            "xor must be a byte value that changes something; allowed: 1 … 255 (0x01 … 0xff)")
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, xor: 0b101}\n", 4, 45,
            "write xor as a decimal number (no leading 0) or in hex with 0x, found '0b101'")
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, byte: 010}\n", 4, 46,
            "write byte as a decimal number (no leading 0) or in hex with 0x, found '010'")
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, xor: 0x100}\n", 4, 45,
            "xor must be a byte value that changes something; allowed: 1 … 255 (0x01 … 0xff)")
        assertError(
            head + "channel:\n  - {action: tamper, record: Finished, byte: 99999999999999999999}\n", 4, 46,
            "byte is too large, found 99999999999999999999")
    }

    func testKeysOfAnotherActionAreRefused() {
        assertError(
            head + "channel:\n  - action: tamper\n    record: Finished\n    hex: \"1503030002022f\"\n", 6, 5,
            "hex does not apply to a tamper rule (only to replace)")
        assertError(
            head + "channel:\n  - action: drop\n    record: ClientHello\n    set: {supported_versions: [TLS1.2]}\n", 6, 5,
            "set does not apply to a drop rule (only to rewrite)")
        assertError(
            head + "channel:\n  - {action: duplicate, record: Finished, xor: 2}\n", 4, 43,
            "xor does not apply to a duplicate rule (only to tamper)")
        assertError(
            head + "channel:\n  - {byte: 3, action: replace, record: alert, hex: \"1503030002022f\"}\n", 4, 6,
            "byte does not apply to a replace rule (only to tamper)")
    }

    func testTheWatchedSideMustSendTheRecord() {
        assertError(
            head + "channel:\n  - action: drop\n    record: ServerHello\n", 5, 13,
            "ServerHello is sent only by the server, but this rule watches the other side (from: client is the default); add from: server")
        assertError(
            head + "channel:\n  - {action: drop, from: server, record: EndOfEarlyData}\n", 4, 42,
            "EndOfEarlyData is sent only by the client, but this rule watches the other side (from: server); add from: client")
        assertError(
            head + "channel:\n  - {action: duplicate, record: NewSessionTicket, from: client}\n", 4, 33,
            "NewSessionTicket is sent only by the server, but this rule watches the other side (from: client); add from: server")
        assertError(
            head + "channel:\n  - {action: drop, from: client, record: HelloRetryRequest}\n", 4, 42,
            "HelloRetryRequest is sent only by the server, but this rule watches the other side (from: client); add from: server")
    }

    // MARK: Lab notes and expectations

    func testLabNeedsSymptomCauseAndFix() {
        assertError(
            head + "lab:\n  symptom: s\n  cause: c\n", 4, 3,
            "lab needs symptom, cause and fix (in_practice is optional); missing: fix")
        assertError(
            head + "lab:\n  in_practice: p\n", 4, 3,
            "lab needs symptom, cause and fix (in_practice is optional); missing: symptom, cause, fix")
        assertError(head + "lab:\n", 3, 5, "lab needs symptom, cause and fix (in_practice is optional); missing: symptom, cause, fix")
    }

    func testFailedExpectationsNameTheAlertAndWhoSendsIt() {
        assertError(
            head + "expect:\n  outcome: failed\n  alert: bad_record_mac\n", 4, 3,
            "a failed expectation names the alert and who sends it (alert:, sent_by:); missing: sent_by")
        assertError(
            head + "expect:\n  outcome: failed\n  sent_by: server\n", 4, 3,
            "a failed expectation names the alert and who sends it (alert:, sent_by:); missing: alert")
        assertError(
            head + "expect: {outcome: failed, at: Certificate}\n", 3, 9,
            "a failed expectation names the alert and who sends it (alert:, sent_by:); missing: alert, sent_by")
        assertError(
            head + "expect:\n  alert: unknown_ca\n", 4, 3, "expect needs an outcome; allowed: completed, failed, incomplete")
    }

    // MARK: Client and server options

    func testPskModes() {
        assertError(head + "client:\n  psk_modes: []\n", 4, 14, "client.psk_modes must not be empty; allowed: psk_dhe_ke, psk_ke")
        assertError(
            head + "client:\n  psk_modes: [psk_ke, psk_dhe_ke, psk_ke]\n", 4, 35,
            "PSK key exchange mode 'psk_ke' is listed twice in client.psk_modes")
        assertError(
            head + "client:\n  psk_modes: [1]\n", 4, 15,
            "unknown PSK key exchange mode '1'; allowed: psk_dhe_ke, psk_ke")
    }

    func testMaxEarlyDataRange() {
        assertError(
            head + "server:\n  max_early_data: -1\n", 4, 19, "max_early_data must be 0 … 4294967295 bytes, found -1")
        assertError(
            head + "server:\n  max_early_data: 4294967296\n", 4, 19,
            "max_early_data must be 0 … 4294967295 bytes, found 4294967296")
        assertError(
            head + "server:\n  max_early_data: 99999999999999999999\n", 4, 19,
            "max_early_data must be 0 … 4294967295 bytes, found 99999999999999999999")
        XCTAssertEqual(try parse(head + "server:\n  max_early_data: 0x4000\n").server.maxEarlyData, 16384)
        assertError(
            head + "server:\n  max_early_data: 1.5\n", 4, 19, "expected a whole number for max_early_data, found a number (1.5)")
    }

    /// Asserts the position and that the message starts with `prefix`.
    private func assertError(
        _ yaml: String, _ line: Int, _ column: Int, startingWith prefix: String, file: StaticString = #filePath,
        testLine: UInt = #line
    ) {
        XCTAssertThrowsError(try parse(yaml), file: file, line: testLine) { error in
            guard let error = error as? ScenarioError else {
                return XCTFail("not a ScenarioError: \(error)", file: file, line: testLine)
            }
            XCTAssertEqual("\(error.line):\(error.column)", "\(line):\(column)", error.message, file: file, line: testLine)
            XCTAssertTrue(error.message.hasPrefix(prefix), "\(error.message)", file: file, line: testLine)
        }
    }
}
