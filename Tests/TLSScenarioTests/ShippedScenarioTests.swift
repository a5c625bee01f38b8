import Foundation
import TLSWire
import XCTest

@testable import TLSScenario

/// The scenarios in Scenarios/: they load, and each says what the brief asks of it.
final class ShippedScenarioTests: XCTestCase {
    private var scenarios: [String: Scenario] = [:]

    override func setUpWithError() throws {
        let pki = try makeDummyPKI(in: try temporaryDirectory(self), test: self)
        for name in shippedScenarioNames {
            let url = shippedScenariosDirectory.appendingPathComponent(name + ".yaml")
            scenarios[name] = try ScenarioLoader.load(contentsOf: url, pkiDirectory: pki)
        }
    }

    private func scenario(_ name: String) throws -> Scenario {
        try XCTUnwrap(scenarios[name], name)
    }

    func testTheFolderHoldsTheCoreScenarios() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: shippedScenariosDirectory.path)
            .filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
        XCTAssertTrue(Set(shippedScenarioNames).isSubset(of: files), "missing: \(Set(shippedScenarioNames).subtracting(files))")
    }

    func testCommonProperties() throws {
        var seeds: Set<UInt64> = []
        for name in shippedScenarioNames {
            let s = try scenario(name)
            XCTAssertEqual(s.name, name)
            XCTAssertFalse(s.title.isEmpty, name)
            XCTAssertFalse(s.title.contains("\n"), name)
            XCTAssertGreaterThan(s.description.count, 40, name)
            XCTAssertFalse(s.description.contains("\n"), "folded into one paragraph: \(name)")
            XCTAssertEqual(s.clock, june2026, name)
            XCTAssertLessThan(s.seed, 100, name)
            seeds.insert(s.seed)
            XCTAssertEqual(s.client.serverName, "www.example.com", name)
            XCTAssertEqual(s.client.trust, ["ca"], name)
            XCTAssertNil(s.client.certificate, name)
            XCTAssertNil(s.client.clock, name)
            XCTAssertEqual(s.server.clientAuth, "none", name)
            XCTAssertEqual(s.applicationData, ApplicationDataSpec(), name)
            // Each side offers exactly one suite, and it is the same one.
            XCTAssertEqual(s.client.cipherSuites.count, 1, name)
            XCTAssertEqual(s.client.cipherSuites, s.server.cipherSuites, name)
            XCTAssertEqual(s.client.versions, s.server.versions, name)
        }
        XCTAssertEqual(seeds.count, shippedScenarioNames.count, "distinct seeds")
    }

    func testTLS12RSAKeyExchangeScenarios() throws {
        for name in ["tls12-rsa", "tls12-rsa-gcm"] {
            let s = try scenario(name)
            XCTAssertEqual(s.client.versions, [.tls12], name)
            XCTAssertEqual(s.server.versions, [.tls12], name)
            XCTAssertEqual(s.server.certificate, "server-rsa", name)
            // RSA key transport: no ECDHE suite offered by either side.
            for suite in s.client.cipherSuites + s.server.cipherSuites {
                XCTAssertTrue(suite.description.hasPrefix("TLS_RSA_WITH_"), "\(name): \(suite)")
            }
            XCTAssertEqual(s.keyExchangeBadge, "RSA")
            XCTAssertEqual(s.versionBadge, "TLS 1.2")
        }
        let rsa = try scenario("tls12-rsa")
        XCTAssertEqual(rsa.client.cipherSuites, [.TLS_RSA_WITH_AES_128_CBC_SHA256])
        XCTAssertFalse(rsa.client.extendedMasterSecret)
        XCTAssertFalse(rsa.server.extendedMasterSecret)
        XCTAssertFalse(rsa.client.encryptThenMAC)
        XCTAssertFalse(rsa.server.encryptThenMAC)
        let gcm = try scenario("tls12-rsa-gcm")
        XCTAssertEqual(gcm.client.cipherSuites, [.TLS_RSA_WITH_AES_128_GCM_SHA256])
        XCTAssertTrue(gcm.client.extendedMasterSecret)
        XCTAssertTrue(gcm.server.extendedMasterSecret)
    }

    func testTLS12ECDHEScenarios() throws {
        let expectations: [(String, CipherSuite, NamedGroup, String, SignatureScheme)] = [
            ("tls12-ecdhe-rsa", .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .x25519, "server-rsa", .rsa_pkcs1_sha256),
            ("tls12-ecdhe-rsa-cbc", .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, .secp256r1, "server-rsa", .rsa_pkcs1_sha256),
            (
                "tls12-ecdhe-ecdsa", .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, .x25519, "server-ecdsa",
                .ecdsa_secp256r1_sha256
            ),
            ("tls12-chacha", .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, .x25519, "server-rsa", .rsa_pkcs1_sha256),
        ]
        for (name, suite, group, certificate, scheme) in expectations {
            let s = try scenario(name)
            XCTAssertEqual(s.client.versions, [.tls12], name)
            XCTAssertEqual(s.client.cipherSuites, [suite], name)
            // The client's first group is the one it wants for ECDHE (an ECDSA scenario also lists its
            // certificate's curve, RFC 8422 §4).
            XCTAssertEqual(s.client.groups.first, group, name)
            XCTAssertEqual(s.server.groups, [group], name)
            XCTAssertEqual(s.server.certificate, certificate, name)
            // The server's first preference is the scheme it will sign ServerKeyExchange with.
            XCTAssertEqual(s.server.signatureAlgorithms.first, scheme, name)
            XCTAssertTrue(s.client.signatureAlgorithms.contains(scheme), name)
            XCTAssertTrue(s.client.extendedMasterSecret && s.server.extendedMasterSecret, name)
            XCTAssertEqual(s.keyExchangeBadge, "ECDHE", name)
            XCTAssertEqual(s.versionBadge, "TLS 1.2", name)
        }
        XCTAssertEqual(try scenario("tls12-ecdhe-ecdsa").client.groups, [.x25519, .secp256r1])
        let cbc = try scenario("tls12-ecdhe-rsa-cbc")
        XCTAssertTrue(cbc.client.encryptThenMAC && cbc.server.encryptThenMAC)
    }

    func testTLS13Scenarios() throws {
        let expectations: [(String, CipherSuite, NamedGroup, String, SignatureScheme)] = [
            ("tls13", .TLS_AES_128_GCM_SHA256, .x25519, "server-rsa", .rsa_pss_rsae_sha256),
            ("tls13-p256-ecdsa", .TLS_AES_256_GCM_SHA384, .secp256r1, "server-ecdsa", .ecdsa_secp256r1_sha256),
            ("tls13-ed25519-chacha", .TLS_CHACHA20_POLY1305_SHA256, .x25519, "server-ed25519", .ed25519),
        ]
        for (name, suite, group, certificate, scheme) in expectations {
            let s = try scenario(name)
            XCTAssertEqual(s.client.versions, [.tls13], name)
            XCTAssertEqual(s.client.cipherSuites, [suite], name)
            XCTAssertEqual(s.client.groups, [group], name)
            XCTAssertEqual(s.client.keyShares, [group], name)
            XCTAssertEqual(s.server.certificate, certificate, name)
            XCTAssertEqual(s.server.signatureAlgorithms, [scheme], name)
            XCTAssertEqual(s.client.signatureAlgorithms.first, scheme, name)
            XCTAssertFalse(s.client.middleboxCompatibility, name)
            XCTAssertEqual(s.keyExchangeBadge, "(EC)DHE", name)
            XCTAssertEqual(s.versionBadge, "TLS 1.3", name)
        }
    }

    /// With the real demo PKI (Scenarios/pki, committed separately) every scenario loads through the default
    /// path, which also checks that the PEM and key files it names exist.
    func testAgainstTheRealPKIWhenPresent() throws {
        let pki = shippedScenariosDirectory.appendingPathComponent("pki")
        guard FileManager.default.fileExists(atPath: pki.appendingPathComponent("ca.pem").path) else {
            throw XCTSkip("Scenarios/pki is not in this checkout")
        }
        let entries = ScenarioCatalog(directory: shippedScenariosDirectory).entries()
        XCTAssertTrue(Set(shippedScenarioNames).isSubset(of: entries.map(\.name)))
        for entry in entries {
            XCTAssertNoThrow(try entry.result.get(), entry.name)
        }
    }
}
