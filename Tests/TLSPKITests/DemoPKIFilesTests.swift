import Foundation
import TLSPKI
import XCTest

/// The committed demo PKI under Scenarios/pki, checked by openssl (which no one here wrote).
final class DemoPKIFilesTests: XCTestCase {
    func testChainVerifiesWithOpenSSL() throws {
        let leaves = (Paths.servers + ["client"]).map { Paths.pki("\($0).pem") }
        let all = try OpenSSL.ok(["verify", "-x509_strict", "-CAfile", Paths.pki("ca.pem")] + leaves)
        for leaf in leaves { XCTAssertTrue(all.stdout.contains("\(leaf): OK"), all.stdout) }

        // The purposes we claim: servers for TLS servers, the client for TLS clients — and not the other way round.
        let servers = Paths.servers.map { Paths.pki("\($0).pem") }
        _ = try OpenSSL.ok(["verify", "-purpose", "sslserver", "-CAfile", Paths.pki("ca.pem")] + servers)
        _ = try OpenSSL.ok(["verify", "-purpose", "sslclient", "-CAfile", Paths.pki("ca.pem"), Paths.pki("client.pem")])
        let wrong = try OpenSSL.run(
            ["verify", "-purpose", "sslclient", "-CAfile", Paths.pki("ca.pem"), Paths.pki("server-rsa.pem")])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stdout.contains("unsuitable certificate purpose") || wrong.stderr.contains("unsuitable"))

        // Validity 2020-01-01 .. 2070-01-01: openssl rejects a time before and after.
        let before = try OpenSSL.run(
            ["verify", "-attime", "1559347200", "-CAfile", Paths.pki("ca.pem"), Paths.pki("server-rsa.pem")])  // 2019-06-01
        XCTAssertTrue((before.stdout + before.stderr).contains("not yet valid"), before.stdout + before.stderr)
        let after = try OpenSSL.run(
            ["verify", "-attime", "3200000000", "-CAfile", Paths.pki("ca.pem"), Paths.pki("server-rsa.pem")])  // 2071
        XCTAssertTrue((after.stdout + after.stderr).contains("expired"), after.stdout + after.stderr)
    }

    func testServerNamesWithOpenSSL() throws {
        for server in Paths.servers {
            let path = Paths.pki("\(server).pem")
            let good = try OpenSSL.ok(
                ["x509", "-in", path, "-noout", "-checkhost", "www.example.com", "-checkip", "127.0.0.1"])
            XCTAssertTrue(good.stdout.contains("Hostname www.example.com does match certificate"), good.stdout)
            XCTAssertTrue(good.stdout.contains("IP 127.0.0.1 does match certificate"), good.stdout)
            let local = try OpenSSL.ok(["x509", "-in", path, "-noout", "-checkhost", "localhost"])
            XCTAssertTrue(local.stdout.contains("Hostname localhost does match certificate"), local.stdout)
            let other = try OpenSSL.ok(["x509", "-in", path, "-noout", "-checkhost", "www.other.test"])
            XCTAssertTrue(other.stdout.contains("does NOT match"), other.stdout)
        }
    }

    func testExtensionsWithOpenSSL() throws {
        func extensions(_ file: String) throws -> String {
            try OpenSSL.ok([
                "x509", "-in", Paths.pki(file), "-noout", "-ext",
                "basicConstraints,keyUsage,extendedKeyUsage,subjectKeyIdentifier,authorityKeyIdentifier",
            ]).stdout
        }
        func lines(_ text: String) -> [String] {
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let ca = lines(try extensions("ca.pem"))
        XCTAssertEqual(Array(ca.prefix(4)), [
            "X509v3 Basic Constraints: critical", "CA:TRUE", "X509v3 Key Usage: critical", "Certificate Sign, CRL Sign",
        ])
        let caSKI = try XCTUnwrap(ca.firstIndex(of: "X509v3 Subject Key Identifier:").map { ca[$0 + 1] })

        let expectedKeyUsage = [
            "server-rsa": "Digital Signature, Key Encipherment", "server-ecdsa": "Digital Signature",
            "server-ed25519": "Digital Signature", "client": "Digital Signature",
        ]
        for (name, keyUsage) in expectedKeyUsage {
            let text = lines(try extensions("\(name).pem"))
            let purpose = name == "client" ? "TLS Web Client Authentication" : "TLS Web Server Authentication"
            XCTAssertEqual(Array(text.prefix(6)), [
                "X509v3 Basic Constraints: critical", "CA:FALSE", "X509v3 Key Usage: critical", keyUsage,
                "X509v3 Extended Key Usage:", purpose,
            ], name)
            let aki = try XCTUnwrap(text.firstIndex(of: "X509v3 Authority Key Identifier:").map { text[$0 + 1] }, name)
            XCTAssertEqual(aki, caSKI, "\(name): the AKI names the CA's key")
            XCTAssertNotNil(text.firstIndex(of: "X509v3 Subject Key Identifier:"), name)
        }
    }

    func testEachKeyMatchesItsCertificate() throws {
        for name in ["ca", "client"] + Paths.servers {
            let keyPath = Paths.pki("\(name).key")
            let fromKey = try OpenSSL.ok(["pkey", "-in", keyPath, "-pubout"]).stdout
            let fromCertificate = try OpenSSL.ok(["x509", "-in", Paths.pki("\(name).pem"), "-noout", "-pubkey"]).stdout
            XCTAssertEqual(fromKey, fromCertificate, name)
            let keyText = try String(contentsOfFile: keyPath, encoding: .utf8)
            XCTAssertTrue(keyText.hasPrefix("-----BEGIN PRIVATE KEY-----\n"), "\(name).key is PKCS#8")
            let certificateText = try String(contentsOfFile: Paths.pki("\(name).pem"), encoding: .utf8)
            XCTAssertEqual(certificateText.components(separatedBy: "-----BEGIN CERTIFICATE-----").count, 2,
                "\(name).pem holds exactly one certificate")
        }
    }

    /// PKI.summary agrees with what openssl prints for each committed certificate.
    func testSummaryAgreesWithOpenSSL() throws {
        let expectedKey = [
            "ca": "RSA 2048", "server-rsa": "RSA 2048", "server-ecdsa": "ECDSA P-256", "server-ed25519": "Ed25519",
            "client": "ECDSA P-256",
        ]
        for (name, key) in expectedKey {
            let path = Paths.pki("\(name).pem")
            let summary = try PKI.summary(der: try OpenSSL.certificateDER(path))
            let fields = try OpenSSL.ok([
                "x509", "-in", path, "-noout", "-nameopt", "RFC2253", "-subject", "-issuer", "-serial", "-dateopt",
                "iso_8601", "-startdate", "-enddate",
            ]).stdout.split(separator: "\n").map(String.init)
            XCTAssertEqual(fields[0], "subject=" + summary.subject.replacingOccurrences(of: ", ", with: ","), name)
            XCTAssertEqual(fields[1], "issuer=" + summary.issuer.replacingOccurrences(of: ", ", with: ","), name)
            XCTAssertEqual(fields[2], "serial=" + summary.serialNumber, name)
            XCTAssertEqual(fields[3], "notBefore=2020-01-01 00:00:00Z", name)
            XCTAssertEqual(fields[4], "notAfter=2070-01-01 00:00:00Z", name)
            XCTAssertEqual(summary.notBefore, Date.utc("2020-01-01"), name)
            XCTAssertEqual(summary.notAfter, Date.utc("2070-01-01"), name)
            XCTAssertEqual(summary.publicKeyAlgorithm, key, name)
            XCTAssertEqual(summary.isCA, name == "ca", name)

            let text = try OpenSSL.ok(["x509", "-in", path, "-noout", "-text"]).stdout
            XCTAssertTrue(text.contains("Signature Algorithm: \(summary.signatureAlgorithm)\n"), name)
            XCTAssertEqual(summary.signatureAlgorithm, "sha256WithRSAEncryption", name)
            switch key {
            case "RSA 2048": XCTAssertTrue(text.contains("Public-Key: (2048 bit)"), name)
            case "ECDSA P-256": XCTAssertTrue(text.contains("NIST CURVE: P-256"), name)
            default: XCTAssertTrue(text.contains("ED25519 Public-Key:"), name)
            }

            let san = try OpenSSL.ok(["x509", "-in", path, "-noout", "-ext", "subjectAltName"]).stdout
            if name.hasPrefix("server") {
                XCTAssertEqual(summary.subjectAlternativeNames, ["www.example.com", "localhost", "127.0.0.1"], name)
                XCTAssertTrue(san.contains("DNS:www.example.com, DNS:localhost, IP Address:127.0.0.1"), san)
                XCTAssertEqual(summary.subject, "CN=www.example.com, O=TLSLab Demo")
            } else {
                XCTAssertEqual(summary.subjectAlternativeNames, [], name)
                XCTAssertFalse(san.contains("DNS:"), san)
            }
            XCTAssertEqual(summary.issuer, "CN=TLSLab Demo Root CA, O=TLSLab Demo")
        }
    }

    func testSubjectPublicKeyInfoMatchesOpenSSL() throws {
        for name in ["ca", "client"] + Paths.servers {
            let path = Paths.pki("\(name).pem")
            let spki = try PKI.subjectPublicKeyInfo(der: try OpenSSL.certificateDER(path))
            let publicPEM = try OpenSSL.ok(["x509", "-in", path, "-noout", "-pubkey"]).stdoutBytes
            let expected = try OpenSSL.ok(["pkey", "-pubin", "-outform", "DER"], stdin: publicPEM).stdoutBytes
            XCTAssertFalse(expected.isEmpty)
            XCTAssertEqual(spki, expected, name)
        }
    }

    func testLoadPEMCertificates() throws {
        let leafPEM = try String(contentsOfFile: Paths.pki("server-rsa.pem"), encoding: .utf8)
        let caPEM = try String(contentsOfFile: Paths.pki("ca.pem"), encoding: .utf8)
        let keyPEM = try String(contentsOfFile: Paths.pki("server-rsa.key"), encoding: .utf8)
        let chain = try PKI.loadPEMCertificates(leafPEM + caPEM)
        XCTAssertEqual(chain, [
            try OpenSSL.certificateDER(Paths.pki("server-rsa.pem")), try OpenSSL.certificateDER(Paths.pki("ca.pem")),
        ])
        // Key blocks are skipped; a PEM without certificates or with broken base64 is rejected with a reason.
        XCTAssertEqual(try PKI.loadPEMCertificates(keyPEM + leafPEM).count, 1)
        XCTAssertThrowsError(try PKI.loadPEMCertificates(keyPEM)) { error in
            XCTAssertTrue(String(describing: error).contains("no \"-----BEGIN CERTIFICATE-----\" block"), "\(error)")
            XCTAssertTrue(String(describing: error).contains("PRIVATE KEY"), "\(error)")
        }
        XCTAssertThrowsError(try PKI.loadPEMCertificates("-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----\n"))
        let notACertificate = "-----BEGIN CERTIFICATE-----\nMAMCAQE=\n-----END CERTIFICATE-----\n"  // SEQUENCE { 1 }
        XCTAssertThrowsError(try PKI.loadPEMCertificates(notACertificate)) { error in
            XCTAssertEqual((error as? PKIError)?.alert, .badCertificate)
            XCTAssertTrue(String(describing: error).contains("not a valid DER-encoded X.509 certificate"), "\(error)")
        }
    }

    func testCredentialFilesLoadAndCheckTheKey() throws {
        for name in ["client"] + Paths.servers {
            let files = try CredentialFiles.load(name: name, directory: Paths.pki)
            XCTAssertEqual(files.chain, [try OpenSSL.certificateDER(Paths.pki("\(name).pem"))], name)
            XCTAssertEqual(files.keyPEM, try String(contentsOfFile: Paths.pki("\(name).key"), encoding: .utf8))
        }
        // A key that belongs to another certificate is refused.
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.copyItem(
            atPath: Paths.pki("server-rsa.pem"), toPath: directory.appendingPathComponent("mixed.pem").path)
        try FileManager.default.copyItem(
            atPath: Paths.pki("server-ecdsa.key"), toPath: directory.appendingPathComponent("mixed.key").path)
        XCTAssertThrowsError(try CredentialFiles.load(name: "mixed", directory: directory)) { error in
            XCTAssertTrue(String(describing: error).contains("does not belong to the leaf certificate"), "\(error)")
        }
        XCTAssertThrowsError(try CredentialFiles.load(name: "missing", directory: directory)) { error in
            XCTAssertTrue(String(describing: error).contains("cannot read the certificate file"), "\(error)")
        }
    }
}
