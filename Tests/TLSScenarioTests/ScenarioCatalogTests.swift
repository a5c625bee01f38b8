import Foundation
import TLSWire
import XCTest

@testable import TLSScenario

final class ScenarioCatalogTests: XCTestCase {
    private var directory: URL!

    /// A catalog folder: two shipped scenarios, one broken file, a non-YAML file and a dummy PKI.
    override func setUpWithError() throws {
        directory = try temporaryDirectory(self)
        _ = try makeDummyPKI(in: directory, test: self)
        for name in ["tls12-rsa", "tls13"] {
            try FileManager.default.copyItem(
                at: shippedScenariosDirectory.appendingPathComponent(name + ".yaml"),
                to: directory.appendingPathComponent(name + ".yaml"))
        }
        try Data("title: Broken\ndescription: D\nclient:\n  groups: [x448]\n".utf8)
            .write(to: directory.appendingPathComponent("broken.yaml"))
        try Data("not a scenario".utf8).write(to: directory.appendingPathComponent("notes.txt"))
    }

    func testEntriesListEveryFileAndKeepBrokenOnesAsFailures() throws {
        let entries = ScenarioCatalog(directory: directory).entries()
        XCTAssertEqual(entries.map(\.name), ["broken", "tls12-rsa", "tls13"])
        XCTAssertEqual(entries.map(\.path.lastPathComponent), ["broken.yaml", "tls12-rsa.yaml", "tls13.yaml"])
        switch entries[0].result {
        case .success: XCTFail("broken.yaml loaded")
        case .failure(let error):
            XCTAssertEqual(error.line, 4)
            XCTAssertEqual(error.column, 12)
            XCTAssertEqual(error.message, "group 'x448' is not implemented by TLSLab; allowed: x25519, secp256r1")
            XCTAssertTrue(error.file.hasSuffix("broken.yaml"), error.file)
        }
        XCTAssertEqual(try entries[1].result.get().title, "TLS 1.2 with RSA key exchange")
        XCTAssertEqual(try entries[2].result.get().client.versions, [.tls13])
    }

    func testResolveByName() throws {
        let catalog = ScenarioCatalog(directory: directory)
        let s = try catalog.resolve("tls13")
        XCTAssertEqual(s.name, "tls13")
        XCTAssertEqual(s.pkiDirectory.standardizedFileURL, directory.appendingPathComponent("pki").standardizedFileURL)
        XCTAssertThrowsError(try catalog.resolve("broken")) { error in
            XCTAssertEqual((error as? ScenarioError)?.line, 4)
        }
    }

    func testResolveByPath() throws {
        let catalog = ScenarioCatalog(directory: try temporaryDirectory(self))  // empty: paths do not need it
        let path = directory.appendingPathComponent("tls12-rsa.yaml").path
        let s = try catalog.resolve(path)
        XCTAssertEqual(s.name, "tls12-rsa")
        XCTAssertEqual(s.sourcePath, path)
        XCTAssertThrowsError(try catalog.resolve(directory.appendingPathComponent("missing.yaml").path)) { error in
            XCTAssertTrue(error is ScenarioLookupError, "\(error)")
            XCTAssertTrue("\(error)".hasSuffix("missing.yaml: no such scenario file"), "\(error)")
        }
    }

    func testUnknownNameListsTheAvailableNames() {
        let catalog = ScenarioCatalog(directory: directory)
        XCTAssertThrowsError(try catalog.resolve("tls14")) { error in
            guard let error = error as? ScenarioLookupError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.query, "tls14")
            XCTAssertEqual(error.available, ["broken", "tls12-rsa", "tls13"])
            XCTAssertEqual(
                error.description,
                "unknown scenario 'tls14' (did you mean 'tls13'?) in \(directory.relativePath); available: broken, tls12-rsa, tls13"
            )
        }
        // Two neighbouring characters swapped count as one typo.
        XCTAssertThrowsError(try catalog.resolve("tls31")) {
            XCTAssertTrue("\($0)".contains("(did you mean 'tls13'?)"), "\($0)")
        }
        XCTAssertEqual(Suggestion.distance("tls31", "tls13"), 1)
        XCTAssertEqual(Suggestion.distance("abcd", "dcba"), 3)  // d…a substituted, bc swapped (Levenshtein: 4)
        XCTAssertEqual(Suggestion.distance("kitten", "sitting"), 3)
        XCTAssertThrowsError(try ScenarioCatalog(directory: directory.appendingPathComponent("none")).resolve("x")) {
            XCTAssertTrue("\($0)".hasSuffix("available: (none)"), "\($0)")
        }
    }

    func testDefaultDirectory() throws {
        XCTAssertEqual(
            ScenarioCatalog.defaultDirectory(environment: ["TLSLAB_SCENARIOS": directory.path])?.standardizedFileURL,
            directory.standardizedFileURL)
        // Without the variable: ./Scenarios or, failing that, the checkout's Scenarios folder found from the
        // source file — here both are this repository's.
        let found = try XCTUnwrap(ScenarioCatalog.defaultDirectory(environment: [:]))
        XCTAssertTrue(FileManager.default.fileExists(atPath: found.appendingPathComponent("tls13.yaml").path))
        // A variable naming no directory is passed over; the source-checkout fallback finds this repository's.
        let fromSource = ScenarioCatalog.defaultDirectory(
            environment: ["TLSLAB_SCENARIOS": "/nonexistent/scenarios"],
            sourceFile: shippedScenariosDirectory.deletingLastPathComponent()
                .appendingPathComponent("Sources/TLSScenario/ScenarioCatalog.swift").path)
        XCTAssertEqual(
            fromSource.map { try? String(contentsOf: $0.appendingPathComponent("tls13.yaml"), encoding: .utf8) },
            try String(contentsOf: shippedScenariosDirectory.appendingPathComponent("tls13.yaml"), encoding: .utf8))
    }
}

final class BadgeTests: XCTestCase {
    private func scenario(
        client: [ProtocolVersion], _ clientSuites: [CipherSuite], server: [ProtocolVersion],
        _ serverSuites: [CipherSuite]
    ) -> Scenario {
        var c = ClientSpec()
        c.versions = client
        c.cipherSuites = clientSuites
        var s = ServerSpec()
        s.versions = server
        s.cipherSuites = serverSuites
        return Scenario(
            name: "b", title: "b", description: "b", seed: 0, clock: Date(), client: c, server: s,
            pkiDirectory: URL(fileURLWithPath: "/"))
    }

    func testVersionBadge() {
        let rsa: [CipherSuite] = [.TLS_RSA_WITH_AES_128_GCM_SHA256]
        XCTAssertEqual(scenario(client: [.tls13, .tls12], rsa, server: [.tls12, .tls13], rsa).versionBadge, "1.3/1.2")
        XCTAssertEqual(scenario(client: [.tls13, .tls12], rsa, server: [.tls12], rsa).versionBadge, "TLS 1.2")
        XCTAssertEqual(scenario(client: [.tls13], rsa, server: [.tls13, .tls12], rsa).versionBadge, "TLS 1.3")
        XCTAssertEqual(scenario(client: [.tls13], rsa, server: [.tls12], rsa).versionBadge, "1.3 vs 1.2")
        XCTAssertEqual(
            Scenario(
                name: "d", title: "d", description: "d", seed: 0, clock: Date(), client: ClientSpec(),
                server: ServerSpec(), pkiDirectory: URL(fileURLWithPath: "/")
            ).versionBadge, "1.3/1.2")
    }

    func testKeyExchangeBadge() {
        let both: [ProtocolVersion] = [.tls13, .tls12]
        XCTAssertEqual(
            scenario(client: both, [.TLS_RSA_WITH_AES_128_CBC_SHA], server: both, [.TLS_RSA_WITH_AES_128_CBC_SHA])
                .keyExchangeBadge, "RSA")
        XCTAssertEqual(
            scenario(
                client: both, [.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_RSA_WITH_AES_128_GCM_SHA256], server: both,
                [.TLS_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
            ).keyExchangeBadge, "ECDHE/RSA")
        // TLS 1.3 suites count as (EC)DHE and absorb ECDHE.
        XCTAssertEqual(
            scenario(
                client: both, [.TLS_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256], server: both,
                [.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_AES_128_GCM_SHA256]
            ).keyExchangeBadge, "(EC)DHE")
        // Only suites both sides share, for versions both sides enable.
        XCTAssertEqual(
            scenario(
                client: both, [.TLS_AES_128_GCM_SHA256, .TLS_RSA_WITH_AES_128_GCM_SHA256], server: [.tls12],
                [.TLS_AES_128_GCM_SHA256, .TLS_RSA_WITH_AES_128_GCM_SHA256]
            ).keyExchangeBadge, "RSA")
        XCTAssertEqual(
            scenario(client: both, [.TLS_AES_128_GCM_SHA256], server: both, [.TLS_AES_256_GCM_SHA384])
                .keyExchangeBadge, "no suite")
    }
}

final class SuggestionTests: XCTestCase {
    func testDistance() {
        XCTAssertEqual(Suggestion.distance("kitten", "sitting"), 3)
        XCTAssertEqual(Suggestion.distance("", "abc"), 3)
        XCTAssertEqual(Suggestion.distance("same", "same"), 0)
    }

    func testClosest() {
        let keys = ScenarioSchema.clientKeys
        XCTAssertEqual(Suggestion.closest(to: "cipher_suite", in: keys), "cipher_suites")
        XCTAssertEqual(Suggestion.closest(to: "keyShares", in: keys), "key_shares")
        XCTAssertEqual(Suggestion.closest(to: "SERVER_NAME", in: keys), "server_name")
        XCTAssertNil(Suggestion.closest(to: "colour", in: keys))
        XCTAssertNil(Suggestion.closest(to: "x", in: ["y", "z"]), "one-letter words suggest nothing unrelated")
    }

    func testCutShortAndPartialWords() {
        // A word cut short names the one candidate it begins, even when another is closer by edit distance.
        XCTAssertEqual(Suggestion.distance("psk_dhe", "psk_ke"), 2)
        XCTAssertEqual(Suggestion.closest(to: "psk_dhe", in: ["psk_dhe_ke", "psk_ke"]), "psk_dhe_ke")
        XCTAssertEqual(Suggestion.closest(to: "hello_retry", in: ["hello_retry_cookie", "anti_replay"]), "hello_retry_cookie")
        // Not when several candidates begin with it, nor for words under three letters.
        XCTAssertNil(Suggestion.closest(to: "server-e", in: ["server-ecdsa", "server-ed25519", "server-expired"]))
        XCTAssertNil(Suggestion.closest(to: "ps", in: ["psk_dhe_ke"]))
        // A part of a longer name: the only candidate that contains it (four letters or more).
        XCTAssertEqual(Suggestion.closest(to: "versions", in: ["supported_versions", "cipher_suites"]), "supported_versions")
        XCTAssertNil(Suggestion.closest(to: "AES_128_GCM_SHA256", in: ["TLS_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_GCM_SHA256"]))
        XCTAssertNil(Suggestion.closest(to: "mac", in: ["bad_record_mac"]), "three letters are too few to guess from")
    }
}
