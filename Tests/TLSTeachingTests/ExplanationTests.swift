import Foundation
import TLSCrypto
import TLSTeaching
import TLSTranscript
import TLSWire
import XCTest

/// Every item TLSLab can show has an explanation with a well-formed RFC reference, and the references point at
/// sections that exist.
final class ExplanationTests: XCTestCase {
    // MARK: Completeness

    func testEveryFieldCatalogKeyHasAnExplanation() {
        XCTAssertGreaterThan(FieldCatalog.meanings.count, 150)
        for key in FieldCatalog.meanings.keys.sorted() {
            guard let e = Explanations.field(key) else {
                XCTFail("no explanation for field \(key)")
                continue
            }
            XCTAssertEqual(e.summary, FieldCatalog.meaning(for: key), "\(key): the short line is FieldCatalog's")
            XCTAssertFalse(e.detail.isEmpty, key)
            XCTAssertNotEqual(e.detail, e.summary, "\(key): the explanation adds to the short line")
            XCTAssertFalse(e.references.isEmpty, key)
        }
    }

    /// Keys of every field tree the transcripts of all scenarios hold, and of every record re-decoded by the
    /// dissector (plaintext records as sent, encrypted ones as their decrypted content).
    func testEveryFieldEmittedWhileDecodingEveryScenarioIsExplained() async throws {
        var keys = Set<String>()
        for (_, t) in try await TranscriptCache.shared.all() {
            for m in t.messages { m.fields.walk { node, _ in keys.insert(node.key) } }
            for r in t.records {
                for f in r.fields { f.walk { node, _ in keys.insert(node.key) } }
                var bytes = r.bytes
                if r.encrypted, let plain = r.plaintext, let type = ContentType(name: r.innerContentType) {
                    bytes = [type.rawValue, 0x03, 0x03, UInt8(plain.count >> 8), UInt8(plain.count & 0xff)] + plain
                }
                for item in Dissector.dissect(bytes).items { item.fields.walk { node, _ in keys.insert(node.key) } }
            }
        }
        XCTAssertGreaterThan(keys.count, 100, "the scenarios exercise most of the decoder")
        for required in ["alert.level", "alert.description", "change_cipher_spec.type", "ext.pre_shared_key.binder"] {
            XCTAssertTrue(keys.contains(required), "\(required) is emitted by some scenario")
        }
        for key in keys.sorted() {
            XCTAssertNotNil(Explanations.field(key), "field \(key) is emitted but not explained")
        }
    }

    func testEveryDerivationNameEveryScenarioEmitsIsExplained() async throws {
        var seen: [String: Set<String>] = [:]  // name → versions
        for (_, t) in try await TranscriptCache.shared.all() {
            for e in t.events {
                guard let d = e.derivation else { continue }
                let version = t.connections.indices.contains(e.connection) ? t.connections[e.connection].negotiated?.version : nil
                seen[d.name, default: []].insert(version ?? "?")
                let explanation = Explanations.derivation(d, in: t, connection: e.connection)
                XCTAssertNotNil(explanation, "derivation \(d.name) in \(t.scenario) is not explained")
            }
        }
        for name in [
            "key_block", "pkcs1_block", "psk_binder", "client_early_traffic_secret", "client_application_traffic_secret_1",
            "server_application_traffic_secret_1", "master_secret", "resumption_master_secret", "binder_finished_key",
        ] {
            XCTAssertNotNil(seen[name], "\(name) is emitted by a scenario")
        }
        XCTAssertGreaterThanOrEqual(seen.count, 50)
        // Names with variable parts map to their pattern.
        XCTAssertEqual(DerivationNames.canonical("client_application_traffic_secret_7"), "client_application_traffic_secret_N")
        XCTAssertEqual(DerivationNames.canonical("client_application_traffic_secret_0"), "client_application_traffic_secret_0")
        XCTAssertEqual(DerivationNames.canonical("server_application_12_iv"), "server_application_N_iv")
        XCTAssertEqual(DerivationNames.canonical("client_key_share_private_secp256r1"), "client_key_share_private")
        XCTAssertNotNil(Explanations.derivation("early_exporter_master_secret"))
    }

    func testNamesBothVersionsUseGetTheRightVersionsMeaning() async throws {
        let t12 = try await TranscriptCache.shared.transcript("tls12-rsa")
        let t13 = try await TranscriptCache.shared.transcript("tls13")
        func explanation(_ t: Transcript, _ name: String) -> Explanation? {
            t.events.first { $0.derivation?.name == name }.flatMap { e in e.derivation.flatMap { Explanations.derivation($0, in: t) } }
        }
        XCTAssertEqual(explanation(t12, "master_secret")?.rfc.contains("RFC 5246"), true)
        XCTAssertEqual(explanation(t13, "master_secret")?.rfc, "RFC 8446 §7.1")
        XCTAssertEqual(explanation(t13, "client_verify_data")?.rfc, "RFC 8446 §4.4.4")
        XCTAssertEqual(explanation(t12, "client_verify_data")?.rfc, "RFC 5246 §7.4.9")
        XCTAssertEqual(Explanations.lookup("master_secret").count, 2, "explain master_secret shows both versions")
    }

    func testEveryAlertIsExplainedWithWhatCausesItInPractice() {
        XCTAssertGreaterThanOrEqual(AlertDescription.names.count, 34)
        for (code, name) in AlertDescription.names {
            guard let e = Explanations.alert(AlertDescription(rawValue: code)) else {
                XCTFail("no explanation for alert \(name)")
                continue
            }
            XCTAssertEqual(e.key, name)
            XCTAssertTrue(e.title.contains("(alert \(code))"), e.title)
            XCTAssertNotNil(e.inPractice, "\(name): what causes it in practice")
        }
        XCTAssertEqual(Explanations.alert(AlertDescription(rawValue: 121))?.key, "ech_required")
        XCTAssertNil(Explanations.alert(AlertDescription(rawValue: 200)))
    }

    func testEveryHandshakeTypeExtensionTypeAndContentTypeIsExplained() {
        for (code, name) in HandshakeType.names {
            XCTAssertNotNil(Explanations.message(HandshakeType(rawValue: code)), "message \(name)")
            XCTAssertNotNil(Explanations.message(named: HandshakeType(rawValue: code).displayName), "message \(name) by display name")
        }
        XCTAssertNotNil(Explanations.message(named: "HelloRetryRequest"))
        for (code, name) in ExtensionType.names {
            XCTAssertNotNil(Explanations.extensionType(ExtensionType(rawValue: code)), "extension \(name)")
        }
        XCTAssertEqual(Explanations.extensionType(ExtensionType(rawValue: 0x1a1a))?.key, "grease")
        for (code, name) in ContentType.names {
            XCTAssertNotNil(Explanations.contentType(ContentType(rawValue: code)), "content type \(name)")
        }
        for title in ["ChangeCipherSpec", "Alert: bad_record_mac", "Application data (60 bytes)"] {
            XCTAssertNotNil(Explanations.message(named: title), title)
        }
    }

    func testEveryCipherSuiteGroupAndSignatureSchemeIsExplained() {
        for (code, name) in CipherSuite.names {
            XCTAssertNotNil(Explanations.cipherSuite(CipherSuite(rawValue: code)), name)
        }
        for (code, name) in NamedGroup.names {
            XCTAssertNotNil(Explanations.group(NamedGroup(rawValue: code)), name)
        }
        for (code, name) in SignatureScheme.names {
            XCTAssertNotNil(Explanations.signatureScheme(SignatureScheme(rawValue: code)), name)
        }
    }

    func testCipherSuiteAnatomy() throws {
        let a = try XCTUnwrap(CipherSuiteAnatomy("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        XCTAssertEqual(a.version, "TLS 1.2")
        XCTAssertEqual(a.keyExchange, "ECDHE")
        XCTAssertEqual(a.authentication, "RSA")
        XCTAssertEqual(a.cipher, "AES_128_GCM")
        XCTAssertEqual(a.hash, "SHA256")
        XCTAssertTrue(a.isAEAD)
        let rsa = try XCTUnwrap(CipherSuiteAnatomy("TLS_RSA_WITH_AES_128_CBC_SHA"))
        XCTAssertEqual(rsa.keyExchange, "RSA")
        XCTAssertEqual(rsa.authentication, "RSA")
        XCTAssertFalse(rsa.isAEAD)
        XCTAssertEqual(rsa.parts.last?.role, "MAC")
        let tls13 = try XCTUnwrap(CipherSuiteAnatomy("TLS_CHACHA20_POLY1305_SHA256"))
        XCTAssertEqual(tls13.version, "TLS 1.3")
        XCTAssertNil(tls13.keyExchange)
        XCTAssertEqual(tls13.parts.map(\.role), ["bulk cipher", "hash"])
        XCTAssertNil(CipherSuiteAnatomy("TLS_FALLBACK_SCSV"))
        // Every suite TLSLab knows parses, and its TLS 1.3 flag agrees with TLSWire.
        for (code, name) in CipherSuite.names where !name.hasSuffix("SCSV") {
            let parsed = try XCTUnwrap(CipherSuiteAnatomy(name), name)
            XCTAssertEqual(parsed.version == "TLS 1.3", CipherSuite(rawValue: code).isTLS13, name)
        }
    }

    // MARK: Quality

    func testExplanationsAreShortAndPlain() {
        for e in Explanations.all {
            // A cipher suite gets one sentence per part of its name; everything else at most three.
            XCTAssertLessThanOrEqual(sentences(e.detail), e.kind == .cipherSuite ? 5 : 3, "\(e.key): \(e.detail)")
            XCTAssertLessThanOrEqual(e.detail.count, e.kind == .cipherSuite ? 560 : 460, "\(e.key) is too long for a panel")
            XCTAssertLessThanOrEqual(e.summary.count, 160, "\(e.key): the summary is one short line")
            XCTAssertFalse(e.detail.contains("  "), e.key)
        }
    }

    func sentences(_ text: String) -> Int {
        // A sentence ends with . ! ? followed by a space and a capital letter (not "e.g. x" or "1.3").
        var count = 1
        let chars = Array(text)
        for i in 0..<max(0, chars.count - 2) where ".!?".contains(chars[i]) && chars[i + 1] == " " && chars[i + 2].isUppercase {
            count += 1
        }
        return count
    }

    // MARK: References

    func testRFCReferencesAreWellFormedAndPointAtExistingSections() {
        var references: [(String, String)] = Explanations.all.map { ($0.key, $0.rfc) }
        references += Topics.all.map { ("topic \($0.id)", $0.rfc) }
        for (owner, rfc) in references {
            let parts = rfc.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            XCTAssertFalse(parts.isEmpty, owner)
            for part in parts {
                if part.hasPrefix("draft-") { continue }
                guard let ref = RFCReference(part) else {
                    XCTFail("\(owner): '\(part)' is not 'RFC N §x, §y'")
                    continue
                }
                XCTAssertNotNil(Bibliography.titles[ref.number], "\(owner): RFC \(ref.number) is not in the bibliography")
                if let sections = Bibliography.sections[ref.number] {
                    for s in ref.sections {
                        XCTAssertTrue(sections.contains(s), "\(owner): RFC \(ref.number) has no section \(s)")
                    }
                }
            }
        }
    }

    func testScenariosAndTopicsNamedByExplanationsExist() {
        let scenarios = Set(catalog.names())
        for e in Explanations.all {
            if let s = e.scenario { XCTAssertTrue(scenarios.contains(s), "\(e.key) → scenario \(s)") }
            if let topic = e.topic { XCTAssertNotNil(Topics.topic(topic), "\(e.key) → topic \(topic)") }
        }
    }

    // MARK: Lookups the UI and `tlslab explain` use

    func testLookupByAnyName() {
        XCTAssertEqual(Explanations.lookup("ClientHello").first?.key, "client_hello")
        XCTAssertEqual(Explanations.lookup("client_hello").first?.kind, .message)
        XCTAssertEqual(Explanations.lookup("bad_record_mac").first?.kind, .alert)
        XCTAssertEqual(Explanations.lookup("bad record mac").first?.kind, .alert)
        XCTAssertEqual(Explanations.lookup("client_hello.random").first?.title, "ClientHello.random")
        XCTAssertEqual(Explanations.lookup("key_share").first?.kind, .extension)
        XCTAssertEqual(Explanations.lookup("TLS_AES_128_GCM_SHA256").first?.kind, .cipherSuite)
        XCTAssertEqual(Explanations.lookup("x25519").first?.kind, .group)
        XCTAssertEqual(Explanations.lookup("HelloRetryRequest").first?.key, "hello_retry_request")
        XCTAssertTrue(Explanations.lookup("no such thing").isEmpty)
        // Every explanation is found by its own key.
        for e in Explanations.all {
            XCTAssertTrue(Explanations.lookup(e.key).contains(e), "lookup(\(e.key))")
        }
    }

    func testEveryStepOfEveryScenarioHasExplanations() async throws {
        for (name, t) in try await TranscriptCache.shared.all() {
            let w = Walkthrough(t)
            for step in w.steps {
                let explanations = Explanations.forStep(step.index, in: w)
                XCTAssertFalse(explanations.isEmpty, "\(name) step \(step.index + 1) \(step.title)")
                let derivations = w.events(of: step.index, kind: .derivation).compactMap(\.derivation?.name)
                for d in Set(derivations) {
                    XCTAssertTrue(
                        explanations.contains { $0.kind == .derivation && $0.title.hasPrefix(d) },
                        "\(name) step \(step.index + 1): \(d)")
                }
            }
            for r in t.records { XCTAssertFalse(Explanations.forRecord(r).isEmpty, "\(name) record \(r.index)") }
        }
    }
}

/// `RFC 8446 §4.1.2, §4.1.3` → number and sections.
struct RFCReference {
    var number: Int
    var sections: [String]

    init?(_ text: String) {
        let pieces = text.split(separator: " ", maxSplits: 2).map(String.init)
        guard pieces.count >= 2, pieces[0] == "RFC", let number = Int(pieces[1]) else { return nil }
        self.number = number
        sections = []
        if pieces.count == 3 {
            for s in pieces[2].split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                guard s.hasPrefix("§"), s.count > 1 else { return nil }
                sections.append(String(s.dropFirst()))
            }
        }
    }
}

/// The RFCs the teaching content cites, and the section numbers of the two TLS specifications as their tables
/// of contents list them (RFC 8446, August 2018; RFC 5246, August 2008) — typed in from the RFCs, not from the
/// code under test.
enum Bibliography {
    static let titles: [Int: String] = [
        2104: "HMAC", 2246: "TLS 1.0", 2818: "HTTP Over TLS", 2986: "PKCS #10", 4279: "PSK Ciphersuites for TLS",
        4346: "TLS 1.1", 5077: "Session Tickets", 5246: "TLS 1.2", 5280: "X.509 PKIX Certificate Profile",
        5288: "AES-GCM for TLS", 5289: "ECC Suites with SHA-256/384 and GCM", 5746: "Renegotiation Indication",
        5869: "HKDF", 6066: "TLS Extensions", 6176: "Prohibiting SSL 2.0", 6520: "Heartbeat",
        6960: "OCSP", 6962: "Certificate Transparency", 7301: "ALPN", 7366: "Encrypt-then-MAC", 7507: "Fallback SCSV",
        7568: "Deprecating SSL 3.0", 7627: "Extended Master Secret", 7685: "Padding Extension", 7748: "X25519/X448",
        7858: "DNS over TLS", 7905: "ChaCha20-Poly1305 for TLS", 7919: "FFDHE groups", 8017: "PKCS #1 v2.2",
        8032: "EdDSA", 8422: "ECC for TLS 1.2", 8446: "TLS 1.3", 8449: "Record Size Limit", 8470: "HTTP 425 Too Early",
        8484: "DNS over HTTPS", 8555: "ACME", 8701: "GREASE", 8879: "Certificate Compression", 8996: "Deprecating TLS 1.0/1.1",
        9001: "QUIC-TLS", 9110: "HTTP Semantics", 9325: "TLS Recommendations (BCP 195)", 9525: "Service Identity",
        9849: "Encrypted Client Hello",
    ]

    static let sections: [Int: Set<String>] = [
        8446: Set(
            """
            1 1.1 1.2 1.3 2 2.1 2.2 2.3 3 3.1 3.2 3.3 3.4 3.5 3.6 3.7 3.8 3.9 4 4.1 4.1.1 4.1.2 4.1.3 4.1.4 4.2 4.2.1
            4.2.2 4.2.3 4.2.4 4.2.5 4.2.6 4.2.7 4.2.8 4.2.8.1 4.2.8.2 4.2.9 4.2.10 4.2.11 4.2.11.1 4.2.11.2 4.2.11.3 4.3
            4.3.1 4.3.2 4.4 4.4.1 4.4.2 4.4.2.1 4.4.2.2 4.4.2.3 4.4.2.4 4.4.3 4.4.4 4.5 4.6 4.6.1 4.6.2 4.6.3 5 5.1 5.2
            5.3 5.4 5.5 6 6.1 6.2 7 7.1 7.2 7.3 7.4 7.4.1 7.4.2 7.5 8 8.1 8.2 8.3 9 9.1 9.2 9.3 10 11 12 A A.1 A.2 A.3 A.4
            B B.1 B.2 B.3 B.3.1 B.3.1.1 B.3.1.2 B.3.1.3 B.3.1.4 B.3.2 B.3.3 B.3.4 B.3.5 B.4 C C.1 C.2 C.3 C.4 C.5 C.6
            D D.1 D.2 D.3 D.4 D.5 E E.1 E.1.1 E.1.2 E.1.3 E.1.4 E.1.5 E.1.6 E.2 E.3 E.4 E.5 E.6 E.7 E.8
            """.split(whereSeparator: \.isWhitespace).map(String.init)),
        5246: Set(
            """
            1 1.1 1.2 2 3 4 4.1 4.2 4.3 4.4 4.5 4.6 4.7 5 6 6.1 6.2 6.2.1 6.2.2 6.2.3 6.2.3.1 6.2.3.2 6.2.3.3 6.3 7 7.1
            7.2 7.2.1 7.2.2 7.3 7.4 7.4.1 7.4.1.1 7.4.1.2 7.4.1.3 7.4.1.4 7.4.1.4.1 7.4.2 7.4.3 7.4.4 7.4.5 7.4.6 7.4.7
            7.4.7.1 7.4.7.2 7.4.8 7.4.9 8 8.1 8.1.1 8.1.2 9 10 11 12 A A.1 A.2 A.3 A.4 A.4.1 A.4.2 A.4.3 A.4.4 A.5 A.6
            A.7 B C D D.1 D.2 D.3 D.4 E E.1 E.2 E.3 F F.1 F.1.1 F.1.1.1 F.1.1.2 F.1.1.3 F.1.2 F.1.3 F.1.4 F.1.5 F.2 F.3
            F.4 F.5
            """.split(whereSeparator: \.isWhitespace).map(String.init)),
    ]
}
