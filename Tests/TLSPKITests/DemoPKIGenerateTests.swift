import Foundation
import TLSPKI
import XCTest

/// `DemoPKI.generate` into a fresh directory (RSA key generation takes ~0.5 s in debug: done once here).
final class DemoPKIGenerateTests: XCTestCase {
    func testGeneratedPKIVerifiesWithOpenSSLAndValidates() async throws {
        let directory = try Paths.temporaryDirectory().appendingPathComponent("nested/pki")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent().deletingLastPathComponent()) }
        let written = try DemoPKI.generate(into: directory, notBefore: .utc("2020-01-01"), years: 50)

        let names = ["ca", "server-rsa", "server-ecdsa", "server-ed25519", "client"]
        XCTAssertEqual(written, (names + DemoPKI.labNames).flatMap { [directory.appendingPathComponent("\($0).pem").path,
                                                 directory.appendingPathComponent("\($0).key").path] })
        func path(_ file: String) -> String { directory.appendingPathComponent(file).path }

        // openssl: the chain, the purposes, the names, the keys.
        let servers = Paths.servers.map { path("\($0).pem") }
        _ = try OpenSSL.ok(["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", path("ca.pem")] + servers)
        _ = try OpenSSL.ok(["verify", "-x509_strict", "-purpose", "sslclient", "-CAfile", path("ca.pem"), path("client.pem")])
        // The committed CA did not issue these (fresh keys and serials).
        let foreign = try OpenSSL.run(["verify", "-CAfile", Paths.pki("ca.pem"), path("server-rsa.pem")])
        XCTAssertNotEqual(foreign.status, 0)
        for server in servers {
            let names = try OpenSSL.ok(
                ["x509", "-in", server, "-noout", "-checkhost", "localhost", "-checkip", "127.0.0.1"]).stdout
            XCTAssertEqual(names.components(separatedBy: "does match certificate").count, 3, names)
        }
        for name in names {
            let fromKey = try OpenSSL.ok(["pkey", "-in", path("\(name).key"), "-pubout"]).stdout
            let fromCertificate = try OpenSSL.ok(["x509", "-in", path("\(name).pem"), "-noout", "-pubkey"]).stdout
            XCTAssertEqual(fromKey, fromCertificate, name)
            let attributes = try FileManager.default.attributesOfItem(atPath: path("\(name).key"))
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "\(name).key is private")
            _ = try CredentialFiles.load(name: name, directory: directory)
        }

        // Summaries: names, keys, dates, CA flag.
        let expectedKeys = ["RSA 2048", "RSA 2048", "ECDSA P-256", "Ed25519", "ECDSA P-256"]
        var serials: Set<String> = []
        for (name, key) in zip(names, expectedKeys) {
            let summary = try PKI.summary(der: try OpenSSL.certificateDER(path("\(name).pem")))
            XCTAssertEqual(summary.publicKeyAlgorithm, key, name)
            XCTAssertEqual(summary.signatureAlgorithm, "sha256WithRSAEncryption", name)
            XCTAssertEqual(summary.notBefore, Date.utc("2020-01-01"), name)
            XCTAssertEqual(summary.notAfter, Date.utc("2070-01-01"), name)
            XCTAssertEqual(summary.isCA, name == "ca", name)
            XCTAssertEqual(summary.issuer, "CN=TLSLab Demo Root CA, O=TLSLab Demo", name)
            serials.insert(summary.serialNumber)
        }
        XCTAssertEqual(serials.count, names.count, "random, distinct serial numbers")
        let client = try PKI.summary(der: try OpenSSL.certificateDER(path("client.pem")))
        XCTAssertEqual(client.subject, "CN=TLSLab Demo Client, O=TLSLab Demo")

        // PKI.validate agrees.
        let anchors = [try OpenSSL.certificateDER(path("ca.pem"))]
        for server in Paths.servers {
            let verdict = await PKI.validate(
                chain: [try OpenSSL.certificateDER(path("\(server).pem"))], trustAnchors: anchors,
                hostname: "localhost", at: .utc("2026-06-01"), purpose: .serverAuth)
            XCTAssertTrue(verdict.trusted, verdict.reason)
        }
        // The fresh leaf against the committed CA: same issuer name, another key → the signature does not verify.
        let mismatch = await PKI.validate(
            chain: [try OpenSSL.certificateDER(path("server-rsa.pem"))],
            trustAnchors: [try OpenSSL.certificateDER(Paths.pki("ca.pem"))], hostname: "localhost",
            at: .utc("2026-06-01"), purpose: .serverAuth)
        XCTAssertEqual(mismatch.alert, .badCertificate)
        XCTAssertTrue(mismatch.reason.contains("does not verify"), mismatch.reason)
    }

    /// The lab files of a fresh PKI fail the way the committed ones do, against that PKI's own root.
    func testGeneratedLabFilesWithOpenSSL() async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try DemoPKI.generate(into: directory, notBefore: .utc("2020-01-01"), years: 50)
        func path(_ file: String) -> String { directory.appendingPathComponent(file).path }
        let at = ["verify", "-attime", "1780315200", "-CAfile", path("ca.pem")]  // 2026-06-01T12:00:00Z
        let expected = [
            "server-expired": "certificate has expired", "server-not-yet-valid": "certificate is not yet valid",
            "server-untrusted": "unable to get local issuer certificate",
            "client-untrusted": "unable to get local issuer certificate", "server-self-signed": "self-signed certificate",
        ]
        for (name, error) in expected {
            let output = try OpenSSL.run(at + [path("\(name).pem")])
            XCTAssertNotEqual(output.status, 0, name)
            XCTAssertTrue((output.stdout + output.stderr).contains(error), "\(name): \(output.stdout) \(output.stderr)")
        }
        let host = try OpenSSL.run(at + ["-verify_hostname", "www.example.com", path("server-wrong-host.pem")])
        XCTAssertTrue((host.stdout + host.stderr).contains("hostname mismatch"), host.stdout + host.stderr)
        _ = try OpenSSL.ok(at + ["-verify_hostname", "www.other.test", path("server-wrong-host.pem")])
        _ = try OpenSSL.ok([
            "verify", "-x509_strict", "-CAfile", path("untrusted-ca.pem"), path("server-untrusted.pem"),
            path("client-untrusted.pem"),
        ])
        for name in DemoPKI.labNames {
            let attributes = try FileManager.default.attributesOfItem(atPath: path("\(name).key"))
            XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600, "\(name).key is private")
            _ = try CredentialFiles.load(name: name, directory: directory)
        }
    }

    /// With ca.pem and ca.key already there, both `generate` and `generateLab` sign with that root and leave its
    /// files exactly as they were.
    func testAnExistingRootIsKept() async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ file: String) -> String { directory.appendingPathComponent(file).path }
        for file in ["ca.pem", "ca.key"] {
            try FileManager.default.copyItem(atPath: Paths.pki(file), toPath: path(file))
        }
        let rootBytes = try ["ca.pem", "ca.key"].map { try Data(contentsOf: URL(fileURLWithPath: path($0))) }

        // Lab only, with another validity: only the lab files are written; all but two follow --not-before/--years.
        let lab = try DemoPKI.generateLab(into: directory, notBefore: .utc("2021-03-01"), years: 3)
        XCTAssertEqual(lab, DemoPKI.labNames.flatMap { [path("\($0).pem"), path("\($0).key")] })
        XCTAssertEqual(try ["ca.pem", "ca.key"].map { try Data(contentsOf: URL(fileURLWithPath: path($0))) }, rootBytes)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("server-rsa.pem")))
        _ = try OpenSSL.ok([
            "verify", "-x509_strict", "-attime", "1640995200", "-CAfile", Paths.pki("ca.pem"), path("server-expired.pem"),
            path("server-wrong-host.pem"),
        ])  // 2022-01-01, against the committed root
        let validity: [String: (String, String)] = [
            "server-expired": ("2020-01-01", "2025-01-01"), "server-not-yet-valid": ("2027-01-01", "2070-01-01"),
            "server-wrong-host": ("2021-03-01", "2024-03-01"), "untrusted-ca": ("2021-03-01", "2024-03-01"),
            "server-self-signed": ("2021-03-01", "2024-03-01"), "client-untrusted": ("2021-03-01", "2024-03-01"),
        ]
        for (name, (from, to)) in validity {
            let summary = try PKI.summary(der: try OpenSSL.certificateDER(path("\(name).pem")))
            XCTAssertEqual(summary.notBefore, .utc(from), name)
            XCTAssertEqual(summary.notAfter, .utc(to), name)
        }

        // Everything: the demo credentials too, still under the same root.
        let all = try DemoPKI.generate(into: directory, notBefore: .utc("2020-01-01"), years: 50)
        let names = ["server-rsa", "server-ecdsa", "server-ed25519", "client"] + DemoPKI.labNames
        XCTAssertEqual(all, names.flatMap { [path("\($0).pem"), path("\($0).key")] })
        XCTAssertEqual(try ["ca.pem", "ca.key"].map { try Data(contentsOf: URL(fileURLWithPath: path($0))) }, rootBytes)
        _ = try OpenSSL.ok(
            ["verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", Paths.pki("ca.pem")]
                + Paths.servers.map { path("\($0).pem") })
        _ = try OpenSSL.ok(["verify", "-purpose", "sslclient", "-CAfile", Paths.pki("ca.pem"), path("client.pem")])
    }

    /// A half-present or unusable root is an error, before any file is written.
    func testAnUnusableRootIsRefused() throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ file: String) -> String { directory.appendingPathComponent(file).path }
        func reason(_ body: () throws -> [String]) -> String {
            do {
                _ = try body()
                return "no error"
            } catch {
                return "\(error)"
            }
        }
        let fileManager = FileManager.default
        try fileManager.copyItem(atPath: Paths.pki("ca.pem"), toPath: path("ca.pem"))
        XCTAssertEqual(
            reason { try DemoPKI.generateLab(into: directory, notBefore: .utc("2020-01-01"), years: 50) },
            "\(path("ca.pem")) exists but ca.key does not: the root needs both (delete ca.pem for a new root)")
        try fileManager.copyItem(atPath: Paths.pki("server-rsa.key"), toPath: path("ca.key"))
        XCTAssertEqual(
            reason { try DemoPKI.generate(into: directory, notBefore: .utc("2020-01-01"), years: 50) },
            "\(path("ca.key")) does not belong to \(path("ca.pem")): their public keys differ")
        try fileManager.removeItem(atPath: path("ca.pem"))
        try fileManager.copyItem(atPath: Paths.pki("server-rsa.pem"), toPath: path("ca.pem"))
        XCTAssertEqual(
            reason { try DemoPKI.generateLab(into: directory, notBefore: .utc("2020-01-01"), years: 50) },
            "\(path("ca.pem")) is not a CA certificate (basicConstraints CA:TRUE, RFC 5280 §4.2.1.9)")
        try fileManager.removeItem(atPath: path("ca.pem"))
        XCTAssertEqual(
            reason { try DemoPKI.generateLab(into: directory, notBefore: .utc("2020-01-01"), years: 50) },
            "\(path("ca.key")) exists but ca.pem does not: the root needs both (delete ca.key for a new root)")
        XCTAssertEqual(try fileManager.contentsOfDirectory(atPath: directory.path), ["ca.key"], "nothing written")
    }

    func testRejectsNonPositiveValidity() {
        XCTAssertThrowsError(try DemoPKI.generate(
            into: FileManager.default.temporaryDirectory.appendingPathComponent("never"), notBefore: Date(), years: 0))
    }
}
