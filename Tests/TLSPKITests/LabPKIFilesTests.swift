import Foundation
import TLSPKI
import TLSWire
import XCTest

/// The failure lab's committed certificates (Scenarios/pki): each is wrong in exactly one way. openssl (which no one
/// here wrote) says how; `PKI.validate` must agree and pick the alert docs/scenarios.md promises.
final class LabPKIFilesTests: XCTestCase {
    /// 2026-06-01T12:00:00Z, the clock of every shipped scenario, as `openssl verify -attime` wants it.
    let scenarioClock = "1780315200"
    let scenarioDate = Date(timeIntervalSince1970: 1_780_315_200)

    func der(_ name: String) throws -> [UInt8] { try OpenSSL.certificateDER(Paths.pki("\(name).pem")) }

    /// `openssl verify` output (stdout and stderr) and whether it accepted.
    func verify(_ arguments: [String]) throws -> (ok: Bool, text: String) {
        let output = try OpenSSL.run(["verify"] + arguments)
        return (output.status == 0, output.stdout + output.stderr)
    }

    func testTheLabFilesAreThere() {
        XCTAssertEqual(DemoPKI.labNames, [
            "server-expired", "server-not-yet-valid", "server-wrong-host", "untrusted-ca", "server-untrusted",
            "server-self-signed", "client-untrusted",
        ])
        for name in DemoPKI.labNames {
            XCTAssertTrue(FileManager.default.fileExists(atPath: Paths.pki("\(name).pem")), name)
            XCTAssertTrue(FileManager.default.fileExists(atPath: Paths.pki("\(name).key")), name)
        }
    }

    func testOpenSSLSaysWhatIsWrongAtTheScenarioClock() throws {
        let ca = Paths.pki("ca.pem")
        let at = ["-attime", scenarioClock]

        let expired = try verify(at + ["-CAfile", ca, Paths.pki("server-expired.pem")])
        XCTAssertFalse(expired.ok)
        XCTAssertTrue(expired.text.contains("error 10 at 0 depth lookup: certificate has expired"), expired.text)
        // …and only the date is wrong: on 2022-01-01 it verifies, for the right name and purpose.
        let expiredEarlier = try verify([
            "-attime", "1640995200", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "www.example.com",
            "-CAfile", ca, Paths.pki("server-expired.pem"),
        ])
        XCTAssertTrue(expiredEarlier.ok, expiredEarlier.text)

        let early = try verify(at + ["-CAfile", ca, Paths.pki("server-not-yet-valid.pem")])
        XCTAssertFalse(early.ok)
        XCTAssertTrue(early.text.contains("error 9 at 0 depth lookup: certificate is not yet valid"), early.text)
        let earlyLater = try verify([
            "-attime", "1830297600", "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "www.example.com",
            "-CAfile", ca, Paths.pki("server-not-yet-valid.pem"),
        ])  // 2028-01-01
        XCTAssertTrue(earlyLater.ok, earlyLater.text)

        let wrongHost = try verify(at + ["-verify_hostname", "www.example.com", "-CAfile", ca, Paths.pki("server-wrong-host.pem")])
        XCTAssertFalse(wrongHost.ok)
        XCTAssertTrue(wrongHost.text.contains("error 62 at 0 depth lookup: hostname mismatch"), wrongHost.text)
        let rightHost = try verify(at + [
            "-x509_strict", "-purpose", "sslserver", "-verify_hostname", "www.other.test", "-CAfile", ca,
            Paths.pki("server-wrong-host.pem"),
        ])
        XCTAssertTrue(rightHost.ok, rightHost.text)
        for name in ["www.example.com", "localhost"] {
            let check = try OpenSSL.ok(["x509", "-in", Paths.pki("server-wrong-host.pem"), "-noout", "-checkhost", name])
            XCTAssertTrue(check.stdout.contains("does NOT match"), check.stdout)
        }

        for (name, purpose) in [("server-untrusted", "sslserver"), ("client-untrusted", "sslclient")] {
            let untrusted = try verify(at + ["-purpose", purpose, "-CAfile", ca, Paths.pki("\(name).pem")])
            XCTAssertFalse(untrusted.ok, name)
            XCTAssertTrue(
                untrusted.text.contains("error 20 at 0 depth lookup: unable to get local issuer certificate"),
                untrusted.text)
            // Its own root vouches for it: nothing else is wrong.
            let ownRoot = try verify(at + [
                "-x509_strict", "-purpose", purpose, "-CAfile", Paths.pki("untrusted-ca.pem"), Paths.pki("\(name).pem"),
            ])
            XCTAssertTrue(ownRoot.ok, ownRoot.text)
        }

        let selfSigned = try verify(at + ["-CAfile", ca, Paths.pki("server-self-signed.pem")])
        XCTAssertFalse(selfSigned.ok)
        XCTAssertTrue(selfSigned.text.contains("error 18 at 0 depth lookup: self-signed certificate"), selfSigned.text)
        // OpenSSL accepts it when it is trusted directly (pinned), even CA:FALSE; TLSLab does not (see below).
        let selfAsAnchor = try verify(at + [
            "-x509_strict", "-purpose", "sslserver", "-CAfile", Paths.pki("server-self-signed.pem"),
            Paths.pki("server-self-signed.pem"),
        ])
        XCTAssertTrue(selfAsAnchor.ok, selfAsAnchor.text)
    }

    /// The profile: RSA-2048, PKCS#8 keys that match, the server-rsa extensions, names and validity as documented.
    func testProfilesWithOpenSSL() throws {
        func field(_ name: String, _ options: [String]) throws -> [String] {
            try OpenSSL.ok(["x509", "-in", Paths.pki("\(name).pem"), "-noout", "-nameopt", "RFC2253"] + options)
                .stdout.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        let demoSKI = try XCTUnwrap(try field("ca", ["-ext", "subjectKeyIdentifier"]).last)
        let untrustedSKI = try XCTUnwrap(try field("untrusted-ca", ["-ext", "subjectKeyIdentifier"]).last)
        XCTAssertNotEqual(demoSKI, untrustedSKI)

        // name: (subject, issuer, notBefore, notAfter, SAN, issuer's SKI)
        let demoRoot = "CN=TLSLab Demo Root CA,O=TLSLab Demo"
        let untrustedRoot = "CN=TLSLab Untrusted Root CA,O=TLSLab Demo"
        let server = "CN=www.example.com,O=TLSLab Demo"
        let demoSAN = "DNS:www.example.com, DNS:localhost, IP Address:127.0.0.1"
        let selfSKI = try XCTUnwrap(try field("server-self-signed", ["-ext", "subjectKeyIdentifier"]).last)
        let expected: [(String, String, String, String, String, String?, String)] = [
            ("server-expired", server, demoRoot, "2020-01-01", "2025-01-01", demoSAN, demoSKI),
            ("server-not-yet-valid", server, demoRoot, "2027-01-01", "2070-01-01", demoSAN, demoSKI),
            ("server-wrong-host", "CN=www.other.test,O=TLSLab Demo", demoRoot, "2020-01-01", "2070-01-01",
             "DNS:www.other.test", demoSKI),
            ("server-untrusted", server, untrustedRoot, "2020-01-01", "2070-01-01", demoSAN, untrustedSKI),
            ("server-self-signed", server, server, "2020-01-01", "2070-01-01", demoSAN, selfSKI),
            ("client-untrusted", "CN=TLSLab Untrusted Client,O=TLSLab Demo", untrustedRoot, "2020-01-01",
             "2070-01-01", nil, untrustedSKI),
        ]
        for (name, subject, issuer, notBefore, notAfter, san, issuerSKI) in expected {
            let names = try field(name, ["-subject", "-issuer", "-dateopt", "iso_8601", "-startdate", "-enddate"])
            XCTAssertEqual(names, [
                "subject=\(subject)", "issuer=\(issuer)", "notBefore=\(notBefore) 00:00:00Z",
                "notAfter=\(notAfter) 00:00:00Z",
            ], name)
            let extensions = try field(name, [
                "-ext", "basicConstraints,keyUsage,extendedKeyUsage,subjectAltName,authorityKeyIdentifier",
            ])
            let isClient = name.hasPrefix("client")
            var lines = [
                "X509v3 Basic Constraints: critical", "CA:FALSE", "X509v3 Key Usage: critical",
                isClient ? "Digital Signature" : "Digital Signature, Key Encipherment", "X509v3 Extended Key Usage:",
                isClient ? "TLS Web Client Authentication" : "TLS Web Server Authentication",
            ]
            if let san { lines += ["X509v3 Subject Alternative Name:", san] }
            lines += ["X509v3 Authority Key Identifier:", issuerSKI]
            XCTAssertEqual(extensions, lines, name)

            let text = try OpenSSL.ok(["x509", "-in", Paths.pki("\(name).pem"), "-noout", "-text"]).stdout
            XCTAssertTrue(text.contains("Public-Key: (2048 bit)"), name)
            XCTAssertTrue(text.contains("Signature Algorithm: sha256WithRSAEncryption"), name)
        }
        let root = try field("untrusted-ca", [
            "-subject", "-issuer", "-ext", "basicConstraints,keyUsage",
        ])
        XCTAssertEqual(root, [
            "subject=\(untrustedRoot)", "issuer=\(untrustedRoot)", "X509v3 Basic Constraints: critical", "CA:TRUE",
            "X509v3 Key Usage: critical", "Certificate Sign, CRL Sign",
        ])

        for name in DemoPKI.labNames {
            let fromKey = try OpenSSL.ok(["pkey", "-in", Paths.pki("\(name).key"), "-pubout"]).stdout
            let fromCertificate = try OpenSSL.ok(["x509", "-in", Paths.pki("\(name).pem"), "-noout", "-pubkey"]).stdout
            XCTAssertEqual(fromKey, fromCertificate, name)
            let keyText = try String(contentsOfFile: Paths.pki("\(name).key"), encoding: .utf8)
            XCTAssertTrue(keyText.hasPrefix("-----BEGIN PRIVATE KEY-----\n"), "\(name).key is PKCS#8")
            let keyInfo = try OpenSSL.ok(["pkey", "-in", Paths.pki("\(name).key"), "-noout", "-text"]).stdout
            XCTAssertTrue(keyInfo.contains("Private-Key: (2048 bit"), name)
            if name != "untrusted-ca" { _ = try CredentialFiles.load(name: name, directory: Paths.pki) }
        }
    }

    /// What a TLSLab peer decides at the scenario clock, and that each certificate is fine once its one flaw is
    /// out of the way.
    func testValidationAlertsAtTheScenarioClock() async throws {
        let anchors = [try der("ca")]
        func check(
            _ name: String, host: String? = "www.example.com", purpose: CertificatePurpose = .serverAuth,
            _ alert: AlertDescription, _ reason: String, line: UInt = #line
        ) async throws {
            let verdict = await PKI.validate(
                chain: [try der(name)], trustAnchors: anchors, hostname: host, at: scenarioDate, purpose: purpose)
            XCTAssertFalse(verdict.trusted, name, line: line)
            XCTAssertEqual(verdict.alert, alert, "\(name): \(verdict.reason)", line: line)
            XCTAssertTrue(verdict.reason.contains(reason), verdict.reason, line: line)
        }
        try await check(
            "server-expired", .certificateExpired,
            "the certificate CN=www.example.com, O=TLSLab Demo expired on 2025-01-01; the client's clock says "
                + "2026-06-01 12:00:00 UTC")
        try await check(
            "server-not-yet-valid", .certificateExpired,
            "the certificate CN=www.example.com, O=TLSLab Demo is not yet valid until 2027-01-01; the client's clock "
                + "says 2026-06-01 12:00:00 UTC")
        try await check(
            "server-wrong-host", .badCertificate,
            "the certificate CN=www.other.test, O=TLSLab Demo is not valid for www.example.com: its subjectAltName "
                + "lists www.other.test")
        try await check(
            "server-untrusted", .unknownCA,
            "no trust anchor issued CN=www.example.com, O=TLSLab Demo: its issuer is CN=TLSLab Untrusted Root CA, "
                + "O=TLSLab Demo, which is neither a trust anchor nor in the peer's chain")
        try await check(
            "server-self-signed", .unknownCA,
            "the certificate CN=www.example.com, O=TLSLab Demo is self-signed, which is not one of the trust anchors")
        try await check(
            "client-untrusted", host: nil, purpose: .clientAuth, .unknownCA,
            "no trust anchor issued CN=TLSLab Untrusted Client, O=TLSLab Demo: its issuer is CN=TLSLab Untrusted Root CA")

        // The fixes the lab notes suggest work.
        func trusted(
            _ name: String, anchors: [String] = ["ca"], host: String? = "www.example.com", at date: Date? = nil,
            purpose: CertificatePurpose = .serverAuth, line: UInt = #line
        ) async throws {
            let verdict = await PKI.validate(
                chain: [try der(name)], trustAnchors: try anchors.map(der), hostname: host, at: date ?? scenarioDate,
                purpose: purpose)
            XCTAssertTrue(verdict.trusted, "\(name): \(verdict.reason)", line: line)
        }
        try await trusted("server-expired", at: .utc("2024-12-31"))
        try await trusted("server-not-yet-valid", at: .utc("2027-01-01"))
        try await trusted("server-wrong-host", host: "www.other.test")
        try await trusted("server-untrusted", anchors: ["untrusted-ca"])
        try await trusted("client-untrusted", anchors: ["untrusted-ca"], host: nil, purpose: .clientAuth)
        // The demo root trusts none of the untrusted root's certificates, and vice versa.
        let cross = await PKI.validate(
            chain: [try der("server-rsa")], trustAnchors: [try der("untrusted-ca")], hostname: "www.example.com",
            at: scenarioDate, purpose: .serverAuth)
        XCTAssertEqual(cross.alert, .unknownCA, cross.reason)
        // A CA:FALSE certificate cannot be a TLSLab trust anchor (swift-certificates' rule; OpenSSL accepts it).
        let selfAnchor = await PKI.validate(
            chain: [try der("server-self-signed")], trustAnchors: [try der("server-self-signed")],
            hostname: "www.example.com", at: scenarioDate, purpose: .serverAuth)
        XCTAssertEqual(selfAnchor.alert, .unknownCA, selfAnchor.reason)
        XCTAssertTrue(selfAnchor.reason.contains("a trust anchor must be a CA certificate"), selfAnchor.reason)
    }
}
