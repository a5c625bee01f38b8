import Foundation
import TLSWire
import XCTest

@testable import TLSScenario

final class ScenarioLoaderTests: XCTestCase {
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

    /// Asserts the position and that the message starts with `prefix` (for messages with long or varying tails).
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

    /// Lines 1–2 of most test documents.
    private let head = "title: T\ndescription: D\n"

    // Written out by hand from TLSWire's tables (CipherSuite.names minus the two SCSVs, TLS 1.3 first, then by
    // code point) — not computed by the code under test.
    private let allSuites = """
        TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256, \
        TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA, TLS_RSA_WITH_AES_128_CBC_SHA256, \
        TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384, \
        TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, \
        TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, \
        TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, \
        TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, \
        TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, \
        TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256
        """
    // Independent copies of the schema's key lists: a test fails if a key is added or removed by accident.
    private let clientKeys = """
        versions, cipher_suites, groups, key_shares, signature_algorithms, server_name, trust, \
        extended_master_secret, encrypt_then_mac, middlebox_compatibility, certificate, clock, session_tickets, \
        psk_modes
        """
    private let topKeys = """
        title, description, seed, clock, client, server, application_data, connections, channel, lab, expect, \
        eavesdropper
        """
    private let seedRange = "allowed: 0 … 9223372036854775808 (2^63)"

    // MARK: Valid documents

    func testDefaultsWhenOnlyTitleAndDescriptionAreGiven() throws {
        let scenario = try parse("title: Minimal\ndescription: Only the required keys.\n")
        XCTAssertEqual(scenario.name, "test")
        XCTAssertEqual(scenario.title, "Minimal")
        XCTAssertEqual(scenario.description, "Only the required keys.")
        XCTAssertEqual(scenario.seed, 0)
        XCTAssertEqual(scenario.clock, june2026)
        XCTAssertEqual(scenario.client, ClientSpec())
        XCTAssertEqual(scenario.server, ServerSpec())
        XCTAssertEqual(scenario.applicationData, ApplicationDataSpec())
        XCTAssertEqual(scenario.sourcePath, "dir/test.yaml")
        XCTAssertEqual(scenario.pkiDirectory, pki)
        // The Swift defaults themselves, so a silent change to them shows up here.
        XCTAssertEqual(scenario.client.versions, [.tls13, .tls12])
        XCTAssertNil(scenario.client.keyShares)
        XCTAssertEqual(scenario.client.serverName, "www.example.com")
        XCTAssertEqual(scenario.server.certificate, "server-rsa")
        XCTAssertEqual(scenario.server.clientAuth, "none")
    }

    func testEveryKeyIsRead() throws {
        let yaml = """
            title: "  Everything  "
            description: >-
              Folded
              text.
            seed: 9223372036854775808
            clock: 2026-06-01T14:00:00+02:00
            client:
              versions: [TLS1.2, "TLS 1.3"]
              cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, TLS_AES_256_GCM_SHA384]
              groups: [secp256r1, x25519]
              key_shares: []
              signature_algorithms: [rsa_pkcs1_sha1, ed448]
              server_name: null
              trust: []
              extended_master_secret: false
              encrypt_then_mac: FALSE
              middlebox_compatibility: true
              certificate: client
              clock: 2030-01-01T00:00:00.500Z
            server:
              versions: [1.2]
              cipher_suites: [TLS_RSA_WITH_AES_256_GCM_SHA384]
              groups: [secp256r1]
              signature_algorithms: [rsa_pss_rsae_sha512]
              certificate: server-ed25519
              extended_master_secret: False
              encrypt_then_mac: false
              client_auth: require
              trust: [ca, client]
            application_data:
              request: "ping\\r\\n"
              response: |
                pong

            """
        let s = try parse(yaml)
        XCTAssertEqual(s.title, "Everything")
        XCTAssertEqual(s.description, "Folded text.")
        XCTAssertEqual(s.seed, 1 << 63)
        XCTAssertEqual(s.clock, june2026)
        XCTAssertEqual(s.client.versions, [.tls12, .tls13])
        XCTAssertEqual(s.client.cipherSuites, [.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .TLS_AES_256_GCM_SHA384])
        XCTAssertEqual(s.client.groups, [.secp256r1, .x25519])
        XCTAssertEqual(s.client.keyShares, [])
        XCTAssertEqual(s.client.signatureAlgorithms, [.rsa_pkcs1_sha1, .ed448])
        XCTAssertNil(s.client.serverName)
        XCTAssertEqual(s.client.trust, [])
        XCTAssertFalse(s.client.extendedMasterSecret)
        XCTAssertFalse(s.client.encryptThenMAC)
        XCTAssertTrue(s.client.middleboxCompatibility)
        XCTAssertEqual(s.client.certificate, "client")
        XCTAssertEqual(s.client.clock, Date(timeIntervalSince1970: 1_893_456_000.5))
        XCTAssertEqual(s.server.versions, [.tls12])
        XCTAssertEqual(s.server.cipherSuites, [.TLS_RSA_WITH_AES_256_GCM_SHA384])
        XCTAssertEqual(s.server.groups, [.secp256r1])
        XCTAssertEqual(s.server.signatureAlgorithms, [.rsa_pss_rsae_sha512])
        XCTAssertEqual(s.server.certificate, "server-ed25519")
        XCTAssertFalse(s.server.extendedMasterSecret)
        XCTAssertFalse(s.server.encryptThenMAC)
        XCTAssertEqual(s.server.clientAuth, "require")
        XCTAssertEqual(s.server.trust, ["ca", "client"])
        XCTAssertEqual(s.applicationData.request, "ping\r\n")
        XCTAssertEqual(s.applicationData.response, "pong\n")
    }

    func testVersionSpellings() throws {
        for (spelling, expected) in [
            ("TLS1.2", ProtocolVersion.tls12), ("\"TLS 1.2\"", .tls12), ("1.2", .tls12), ("tls12", .tls12),
            ("TLSv1.3", .tls13), ("1.3", .tls13), ("tls13", .tls13), ("\"tls 1.3\"", .tls13),
        ] {
            let s = try parse(head + "client:\n  versions: [\(spelling)]\n")
            XCTAssertEqual(s.client.versions, [expected], spelling)
        }
        for bad in ["12", "TLS1.4", "1.20"] {
            XCTAssertThrowsError(try parse(head + "client:\n  versions: [\(bad)]\n"), bad)
        }
    }

    func testNullSectionsAndOptionalValues() throws {
        let s = try parse(head + "client:\nserver:\napplication_data:\n")
        XCTAssertEqual(s.client, ClientSpec())
        XCTAssertEqual(s.server, ServerSpec())
        let t = try parse(head + "client:\n  key_shares: ~\n  certificate: null\n  clock: null\n  server_name: ~\n")
        XCTAssertNil(t.client.keyShares)
        XCTAssertNil(t.client.certificate)
        XCTAssertNil(t.client.clock)
        XCTAssertNil(t.client.serverName)
    }

    func testPKIChecksCanBeSkipped() throws {
        let yaml = head + "server:\n  certificate: not-there\n"
        XCTAssertThrowsError(try parse(yaml))
        let s = try ScenarioLoader.parse(
            yaml: yaml, name: "x", sourcePath: "x.yaml", pkiDirectory: pki, checkPKIFiles: false)
        XCTAssertEqual(s.server.certificate, "not-there")
    }

    // MARK: Keys

    func testUnknownKeyWithSuggestion() {
        assertError(
            head + "client:\n  cipher_suite: [TLS_AES_128_GCM_SHA256]\n", 4, 3,
            "unknown key 'cipher_suite' in client (did you mean 'cipher_suites'?); allowed keys: \(clientKeys)")
        assertError(
            head + "server:\n  cipherSuites: [TLS_AES_128_GCM_SHA256]\n", 4, 3,
            startingWith: "unknown key 'cipherSuites' in server (did you mean 'cipher_suites'?); allowed keys: versions,")
    }

    func testUnknownKeyHints() {
        assertError(
            head + "name: x\n", 3, 1, "unknown key 'name' at the top level (a scenario's name is its file name); allowed keys: \(topKeys)")
        assertError(
            head + "server:\n  key_shares: [x25519]\n", 4, 3,
            startingWith: "unknown key 'key_shares' in server ('key_shares' belongs in client); allowed keys: versions,")
        assertError(
            head + "client:\n  seed: 3\n", 4, 3,
            startingWith: "unknown key 'seed' in client ('seed' belongs at the top level); allowed keys:")
        assertError(head + "colour: blue\n", 3, 1, "unknown key 'colour' at the top level; allowed keys: \(topKeys)")
    }

    func testDuplicateKeysPointAtTheSecondOccurrence() {
        assertError(
            head + "seed: 1\nseed: 2\n", 4, 1,
            "duplicate key 'seed': it is already given at line 3; each key may appear only once")
        assertError(
            head + "client:\n  versions: [TLS1.2]\n  # a comment\n\n  versions: [TLS1.3]\n", 7, 3,
            "duplicate key 'versions': it is already given at line 4; each key may appear only once")
        // In a flow mapping the second occurrence is not searched for: the first one is reported.
        assertError(
            head + "client: {groups: [x25519], groups: [secp256r1]}\n", 3, 10,
            "duplicate key 'groups': it is already given at line 3; each key may appear only once")
    }

    func testRequiredKeys() {
        assertError(
            "description: D\nseed: 1\n", 1, 1,
            "missing required key 'title'; every scenario needs a title and a description")
        assertError(
            "\nseed: 1\ntitle: T\n", 2, 1,
            "missing required key 'description'; every scenario needs a title and a description")
        assertError("title: \"  \"\ndescription: D\n", 1, 8, "title must not be empty")
        assertError("title: T\ndescription: [a]\n", 2, 14, "expected a text for description, found a list")
    }

    func testDocumentShape() {
        assertError("", 1, 1, "the file is empty; a scenario needs at least a title and a description")
        assertError("# nothing but a comment\n", 1, 1, "the file is empty; a scenario needs at least a title and a description")
        assertError(
            "- title\n- description\n", 1, 1,
            "a scenario file must be a mapping of keys such as 'title: …', found a list; allowed keys: \(topKeys)")
        assertError(
            head + "client: [TLS1.2]\n", 3, 9,
            "expected the keys of client (like 'versions: [TLS1.3]'), found a list; allowed keys: \(clientKeys)")
    }

    // MARK: Syntax

    func testYAMLSyntaxErrorsUseLibyamlPositions() {
        // A second ': ' on one line: libyaml stops at the second colon (line 1, column 9).
        assertError("title: a: b\n", 1, 9, startingWith: "YAML syntax error: mapping values are not allowed in this context")
        // A tab cannot indent YAML: libyaml stops at the tab (line 4, column 1).
        assertError(
            head + "client:\n\tversions: [TLS1.2]\n", 4, 1,
            "YAML syntax error: found character that cannot start any token (while scanning for the next token at line 4, column 1)")
        // An unclosed flow sequence: libyaml notices at the end of the stream (line 5, column 1) and names where
        // the sequence started (line 4, column 13).
        assertError(
            head + "client:\n  versions: [TLS1.2\n", 5, 1,
            "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 4, column 13)")
        // Two documents in one file.
        assertError(
            head + "---\ntitle: U\n", 3, 1,
            "YAML syntax error: expected a single document in the stream (from line 1, column 1) but found another document")
    }

    // MARK: Types

    func testWrongTypes() {
        assertError(
            head + "client:\n  cipher_suites: 42\n", 4, 18,
            "expected a list of cipher suite names, found a number (42); allowed: \(allSuites)")
        assertError(
            head + "client:\n  cipher_suites: [42]\n", 4, 19,
            "expected a cipher suite name, found a number (42); allowed: \(allSuites)")
        assertError(
            head + "client:\n  versions: TLS1.2\n", 4, 13,
            "expected a list of protocol versions, found a text ('TLS1.2') (write it as a list: [TLS1.2]); allowed: TLS1.2, TLS1.3")
        assertError(
            head + "server:\n  groups: {x25519: 1}\n", 4, 11,
            "expected a list of group names, found a mapping; allowed: x25519, secp256r1")
        assertError(
            head + "client:\n  extended_master_secret: yes\n", 4, 27,
            "expected true or false for extended_master_secret, found 'yes' (YAML's other spelling of a boolean); allowed: true, false")
        assertError(
            head + "server:\n  encrypt_then_mac: \"true\"\n", 4, 21,
            "expected true or false for encrypt_then_mac, found a text ('true'); allowed: true, false")
        assertError(
            head + "client:\n  server_name: 127.0.0.1 x\n", 4, 16,
            "expected a host name such as www.example.com, or null for none, found a text ('127.0.0.1 x')")
        assertError(
            head + "client:\n  trust: ca\n", 4, 10,
            "expected a list of certificate names, found a text ('ca') (write it as a list: [ca])")
    }

    // MARK: Values

    func testUnknownCipherSuite() {
        assertError(
            head + "client:\n  cipher_suites: [TLS_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA512]\n", 4, 43,
            "unknown cipher suite 'TLS_AES_128_GCM_SHA512' (did you mean 'TLS_AES_128_GCM_SHA256'?); allowed: \(allSuites)"
        )
        assertError(
            head + "server:\n  cipher_suites:\n    - TLS_FALLBACK_SCSV\n", 5, 7,
            "'TLS_FALLBACK_SCSV' is a signalling value (RFC 5746, RFC 7507), not a cipher suite that can be negotiated; allowed: \(allSuites)"
        )
        assertError(
            head + "client:\n  cipher_suites: [tls_aes_128_gcm_sha256]\n", 4, 19,
            "unknown cipher suite 'tls_aes_128_gcm_sha256' (did you mean 'TLS_AES_128_GCM_SHA256'?); allowed: \(allSuites)"
        )
    }

    func testUnknownGroupsSchemesAndVersions() {
        assertError(
            head + "client:\n  groups: [x25519, secp384r1]\n", 4, 20,
            "group 'secp384r1' is not implemented by TLSLab; allowed: x25519, secp256r1")
        assertError(
            head + "client:\n  groups: [curve25519]\n", 4, 12,
            "unknown group 'curve25519'; allowed: x25519, secp256r1")
        assertError(
            head + "server:\n  signature_algorithms: [rsa_pss_rsae_sha265]\n", 4, 26,
            """
            unknown signature scheme 'rsa_pss_rsae_sha265' (did you mean 'rsa_pss_rsae_sha256'?); allowed: \
            rsa_pkcs1_sha1, ecdsa_sha1, rsa_pkcs1_sha256, ecdsa_secp256r1_sha256, rsa_pkcs1_sha384, \
            ecdsa_secp384r1_sha384, rsa_pkcs1_sha512, ecdsa_secp521r1_sha512, rsa_pss_rsae_sha256, \
            rsa_pss_rsae_sha384, rsa_pss_rsae_sha512, ed25519, ed448, rsa_pss_pss_sha256, rsa_pss_pss_sha384, \
            rsa_pss_pss_sha512
            """)
        assertError(
            head + "client:\n  versions: [TLS1.3, TLS1.1]\n", 4, 22,
            "protocol version 'TLS1.1' is not supported by TLSLab; allowed: TLS1.2, TLS1.3")
        assertError(
            head + "client:\n  versions: [SSL3]\n", 4, 14, "unknown protocol version 'SSL3'; allowed: TLS1.2, TLS1.3")
    }

    func testEmptyAndRepeatedLists() {
        assertError(head + "client:\n  versions: []\n", 4, 13, "client.versions must not be empty; allowed: TLS1.2, TLS1.3")
        assertError(
            head + "server:\n  cipher_suites: []\n", 4, 18, "server.cipher_suites must not be empty; allowed: \(allSuites)")
        assertError(
            head + "client:\n  groups: []\n", 4, 11, "client.groups must not be empty; allowed: x25519, secp256r1")
        assertError(
            head + "client:\n  groups: [x25519, x25519]\n", 4, 20, "group 'x25519' is listed twice in client.groups")
        assertError(head + "client:\n  trust: [ca, ca]\n", 4, 15, "certificate 'ca' is listed twice in client.trust")
    }

    func testKeySharesMustBeOfferedGroups() {
        assertError(
            head + "client:\n  groups: [x25519]\n  key_shares: [secp256r1]\n", 5, 16,
            "key share 'secp256r1' is not in client.groups: a client may only send key shares for groups it offers (RFC 8446 §4.2.8); allowed: x25519"
        )
        // The default groups apply when groups is not given.
        XCTAssertEqual(try parse(head + "client:\n  key_shares: [secp256r1]\n").client.keyShares, [.secp256r1])
    }

    func testClientAuth() throws {
        assertError(
            head + "server:\n  client_auth: required\n", 4, 16,
            "unknown client_auth 'required' (did you mean 'require'?); allowed: none, request, require")
        assertError(
            head + "server:\n  client_auth: false\n", 4, 16,
            "unknown client_auth 'false'; allowed: none, request, require")
        XCTAssertEqual(try parse(head + "server:\n  client_auth: request\n").server.clientAuth, "request")
    }

    func testSeed() throws {
        assertError(head + "seed: -1\n", 3, 7, "seed must not be negative; \(seedRange)")
        assertError(head + "seed: 9223372036854775809\n", 3, 7, "seed 9223372036854775809 is too large; \(seedRange)")
        assertError(head + "seed: 99999999999999999999\n", 3, 7, "seed 99999999999999999999 is too large; \(seedRange)")
        assertError(head + "seed: 1.5\n", 3, 7, "expected a non-negative integer for seed, found a number (1.5); \(seedRange)")
        assertError(head + "seed: \"7\"\n", 3, 7, "expected a non-negative integer for seed, found a text ('7'); \(seedRange)")
        assertError(head + "seed: 0x10\n", 3, 7, "write the seed as a decimal number, found '0x10'; \(seedRange)")
        XCTAssertEqual(try parse(head + "seed: 42\n").seed, 42)
    }

    func testClock() throws {
        assertError(
            head + "clock: 2026-06-01\n", 3, 8,
            "'2026-06-01' is not an ISO 8601 date and time such as 2026-06-01T12:00:00Z (with a time zone: Z or +02:00)")
        assertError(
            head + "clock: 2026-06-01T12:00:00\n", 3, 8,
            "'2026-06-01T12:00:00' is not an ISO 8601 date and time such as 2026-06-01T12:00:00Z (with a time zone: Z or +02:00)")
        assertError(
            head + "client:\n  clock: tomorrow\n", 4, 10,
            "'tomorrow' is not an ISO 8601 date and time such as 2026-06-01T12:00:00Z (with a time zone: Z or +02:00)")
        assertError(
            head + "clock: 5\n", 3, 8,
            "expected an ISO 8601 date and time such as 2026-06-01T12:00:00Z for clock, found a number (5)")
        XCTAssertEqual(try parse(head + "clock: \"2026-06-01T12:00:00Z\"\n").clock, june2026)
    }

    // MARK: Certificates

    func testMissingCredential() {
        let dir = pki.relativePath
        assertError(
            head + "server:\n  certificate: server-rsa2\n", 4, 16,
            "no credential 'server-rsa2' in \(dir): it needs server-rsa2.pem and server-rsa2.key (did you mean 'server-rsa'?); allowed: ca, client, server-ecdsa, server-ed25519, server-rsa"
        )
    }

    func testCredentialWithoutKey() throws {
        try FileManager.default.removeItem(at: pki.appendingPathComponent("client.key"))
        assertError(
            head + "client:\n  certificate: client\n", 4, 16,
            "client.pem exists in \(pki.relativePath) but client.key does not: a credential needs both; allowed: ca, server-ecdsa, server-ed25519, server-rsa"
        )
        // As a trust anchor only the .pem is needed.
        XCTAssertEqual(try parse(head + "server:\n  trust: [client]\n").server.trust, ["client"])
    }

    func testMissingTrustAnchor() {
        assertError(
            head + "client:\n  trust: [ca, root]\n", 4, 15,
            "no certificate 'root' in \(pki.relativePath) (root.pem does not exist); allowed: ca, client, server-ecdsa, server-ed25519, server-rsa"
        )
    }

    func testCertificateNamesAreNotPaths() {
        assertError(
            head + "client:\n  trust: [../ca]\n", 4, 11,
            "'../ca' is not a certificate name: write the file name from the PKI directory without .pem (letters, digits, '-', '_', '.'), not a path"
        )
        assertError(
            head + "server:\n  certificate: 42\n", 4, 16,
            "expected a credential name (a file name in the PKI directory without .pem), found a number (42)")
    }

    func testDefaultCertificateNamesAreChecked() throws {
        let missing = pki.appendingPathComponent("nope")
        XCTAssertThrowsError(
            try ScenarioLoader.parse(yaml: head, name: "t", sourcePath: "t.yaml", pkiDirectory: missing)
        ) { error in
            XCTAssertEqual(
                error as? ScenarioError,
                ScenarioError(
                    file: "t.yaml", line: 1, column: 1,
                    message: "client.trust is not given and defaults to [ca], but: the PKI directory \(missing.relativePath) does not exist, so certificate 'ca' cannot be found"
                ))
        }
        try FileManager.default.removeItem(at: pki.appendingPathComponent("server-rsa.key"))
        assertError(
            head + "server:\n  client_auth: none\n", 4, 3,
            "server.certificate is not given and defaults to 'server-rsa', but: server-rsa.pem exists in \(pki.relativePath) but server-rsa.key does not: a credential needs both; allowed: ca, client, server-ecdsa, server-ed25519"
        )
        XCTAssertEqual(try parse(head + "server:\n  certificate: server-ecdsa\n").server.certificate, "server-ecdsa")
    }

    // MARK: Order and format

    func testTheFirstProblemIsReported() {
        assertError(
            head + "seed: -1\nclient:\n  bogus: 1\n", 3, 7, "seed must not be negative; \(seedRange)")
        assertError(
            head + "client:\n  bogus: 1\nseed: -1\n", 4, 3, startingWith: "unknown key 'bogus' in client; allowed keys:")
    }

    func testDescriptionFormat() {
        let error = ScenarioError(file: "Scenarios/x.yaml", line: 3, column: 5, message: "bad; allowed: a, b")
        XCTAssertEqual(error.description, "Scenarios/x.yaml:3:5: bad; allowed: a, b")
        XCTAssertEqual(
            ScenarioError(file: "x.yaml", line: 0, column: 0, message: "no such file").description, "x.yaml: no such file")
    }

    func testLoadFromFile() throws {
        let dir = try temporaryDirectory(self)
        let pkiHere = try makeDummyPKI(in: dir, test: self)
        let file = dir.appendingPathComponent("mine.yaml")
        try Data((head + "seed: 5\n").utf8).write(to: file)
        let s = try ScenarioLoader.load(contentsOf: file)
        XCTAssertEqual(s.name, "mine")
        XCTAssertEqual(s.seed, 5)
        XCTAssertEqual(s.sourcePath, file.path)
        XCTAssertEqual(s.pkiDirectory.standardizedFileURL, pkiHere.standardizedFileURL)

        let broken = dir.appendingPathComponent("broken.yaml")
        try Data((head + "seed: x\n").utf8).write(to: broken)
        XCTAssertThrowsError(try ScenarioLoader.load(contentsOf: broken)) { error in
            XCTAssertEqual(
                error as? ScenarioError,
                ScenarioError(
                    file: broken.path, line: 3, column: 7,
                    message: "expected a non-negative integer for seed, found a text ('x'); \(seedRange)"))
        }
        let absent = dir.appendingPathComponent("absent.yaml")
        XCTAssertThrowsError(try ScenarioLoader.load(contentsOf: absent)) { error in
            XCTAssertEqual(
                error as? ScenarioError, ScenarioError(file: absent.path, line: 0, column: 0, message: "no such file"))
        }
        let binary = dir.appendingPathComponent("binary.yaml")
        try Data([0x74, 0x69, 0xff, 0xfe, 0x0a]).write(to: binary)
        XCTAssertThrowsError(try ScenarioLoader.load(contentsOf: binary)) { error in
            XCTAssertEqual((error as? ScenarioError)?.message, "the file is not valid UTF-8 text")
        }
    }
}
