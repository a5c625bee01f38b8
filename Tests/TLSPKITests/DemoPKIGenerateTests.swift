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
        XCTAssertEqual(written, names.flatMap { [directory.appendingPathComponent("\($0).pem").path,
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

    func testRejectsNonPositiveValidity() {
        XCTAssertThrowsError(try DemoPKI.generate(
            into: FileManager.default.temporaryDirectory.appendingPathComponent("never"), notBefore: Date(), years: 0))
    }
}
