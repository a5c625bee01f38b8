import Foundation
import TLSPKI
import TLSWire
import XCTest

final class ValidationTests: XCTestCase {
    let scenarioClock = Date.utc("2026-06-01")

    func der(_ name: String) throws -> [UInt8] { try OpenSSL.certificateDER(Paths.pki("\(name).pem")) }

    func validate(
        _ chain: [[UInt8]], anchors: [[UInt8]]? = nil, host: String?, at date: Date? = nil,
        purpose: CertificatePurpose = .serverAuth
    ) async throws -> ValidationVerdict {
        await PKI.validate(
            chain: chain, trustAnchors: try anchors ?? [der("ca")], hostname: host, at: date ?? scenarioClock,
            purpose: purpose)
    }

    func testDemoServersAreTrustedForTheirNames() async throws {
        for server in Paths.servers {
            for host in ["www.example.com", "localhost", "127.0.0.1", "WWW.Example.COM", nil] {
                let verdict = try await validate([der(server)], host: host)
                XCTAssertTrue(verdict.trusted, "\(server) \(host ?? "-"): \(verdict.reason)")
                XCTAssertNil(verdict.alert)
                XCTAssertTrue(verdict.reason.contains("trust anchor CN=TLSLab Demo Root CA, O=TLSLab Demo"), verdict.reason)
            }
        }
        // The peer may send the root too (RFC 8446 §4.4.2 allows it); the path is the same.
        let withRoot = try await validate([der("server-rsa"), der("ca")], host: "www.example.com")
        XCTAssertTrue(withRoot.trusted, withRoot.reason)
        XCTAssertTrue(withRoot.reason.hasPrefix(
            "trusted: CN=www.example.com, O=TLSLab Demo [valid 2020-01-01 to 2070-01-01] ← issued by trust anchor "
                + "CN=TLSLab Demo Root CA, O=TLSLab Demo"), withRoot.reason)
    }

    func testWrongHostIsABadCertificate() async throws {
        let verdict = try await validate([der("server-rsa")], host: "www.other.test")
        XCTAssertFalse(verdict.trusted)
        XCTAssertEqual(verdict.alert, .badCertificate)
        XCTAssertTrue(verdict.reason.contains(
            "is not valid for www.other.test: its subjectAltName lists www.example.com, localhost, 127.0.0.1"),
            verdict.reason)

        let wrongIP = try await validate([der("server-ecdsa")], host: "127.0.0.2")
        XCTAssertEqual(wrongIP.alert, .badCertificate)
        XCTAssertTrue(wrongIP.reason.contains("the IP address 127.0.0.2"), wrongIP.reason)
        // A subdomain does not match (no wildcard in the SAN).
        let sub = try await validate([der("server-ecdsa")], host: "a.www.example.com")
        XCTAssertEqual(sub.alert, .badCertificate)
    }

    func testNotYetValidIsReportedAsCertificateExpired() async throws {
        let verdict = try await validate([der("server-rsa")], host: "www.example.com", at: .utc("2019-06-01"))
        XCTAssertFalse(verdict.trusted)
        XCTAssertEqual(verdict.alert, .certificateExpired)
        XCTAssertTrue(verdict.reason.contains("is not yet valid until 2020-01-01; the client's clock says 2019-06-01"),
            verdict.reason)
    }

    func testExpired() async throws {
        let verdict = try await validate([der("server-rsa")], host: "www.example.com", at: .utc("2071-06-01"))
        XCTAssertFalse(verdict.trusted)
        XCTAssertEqual(verdict.alert, .certificateExpired)
        XCTAssertTrue(verdict.reason.contains(
            "the certificate CN=www.example.com, O=TLSLab Demo expired on 2070-01-01; the client's clock says 2071-06-01"),
            verdict.reason)
        // A server checking a client certificate speaks of its own clock. One second after notAfter is expired.
        let client = try await validate(
            [der("client")], host: nil, at: Date.utc("2070-01-01").addingTimeInterval(1), purpose: .clientAuth)
        XCTAssertEqual(client.alert, .certificateExpired)
        XCTAssertTrue(client.reason.contains("the server's clock says 2070-01-01 00:00:01 UTC"), client.reason)
        // The last valid second is still valid (RFC 5280 §4.1.2.5: the validity period is inclusive).
        let edge = try await validate([der("client")], host: nil, at: .utc("2070-01-01"), purpose: .clientAuth)
        XCTAssertTrue(edge.trusted, edge.reason)
    }

    func testNoTrustAnchorsIsUnknownCA() async throws {
        let verdict = try await validate([der("server-rsa")], anchors: [], host: "www.example.com")
        XCTAssertFalse(verdict.trusted)
        XCTAssertEqual(verdict.alert, .unknownCA)
        XCTAssertTrue(verdict.reason.contains(
            "no trust anchor issued CN=www.example.com, O=TLSLab Demo: its issuer is CN=TLSLab Demo Root CA, "
                + "O=TLSLab Demo"), verdict.reason)
        XCTAssertTrue(verdict.reason.contains("there are no trust anchors"), verdict.reason)

        // With the root in the peer's chain but not trusted, the chain ends at a self-signed certificate.
        let withRoot = try await validate([der("server-rsa"), der("ca")], anchors: [], host: "www.example.com")
        XCTAssertEqual(withRoot.alert, .unknownCA)
        XCTAssertTrue(withRoot.reason.contains("the chain ends at the self-signed CN=TLSLab Demo Root CA"), withRoot.reason)
    }

    /// A self-signed certificate made by openssl (for the right name, valid now) is not trusted.
    func testSelfSignedCertificateIsUnknownCA() async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("self.pem").path
        _ = try OpenSSL.ok([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", directory.appendingPathComponent("self.key").path, "-out", certificate, "-days", "30",
            "-subj", "/CN=www.example.com", "-addext", "subjectAltName=DNS:www.example.com",
        ])
        let verdict = await PKI.validate(
            chain: [try OpenSSL.certificateDER(certificate)], trustAnchors: [try der("ca")],
            hostname: "www.example.com", at: Date(), purpose: .serverAuth)
        XCTAssertFalse(verdict.trusted)
        XCTAssertEqual(verdict.alert, .unknownCA)
        XCTAssertTrue(verdict.reason.contains(
            "the certificate CN=www.example.com is self-signed, which is not one of the trust anchors (the trust "
                + "anchors are CN=TLSLab Demo Root CA, O=TLSLab Demo)"), verdict.reason)
    }

    /// A leaf issued by openssl from our CA key (an independent issuer implementation) is trusted; the same leaf
    /// presented with a different "TLSLab Demo Root CA" (same name, other key) fails its signature check.
    func testOpenSSLIssuedLeafAndForgedIssuer() async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func path(_ file: String) -> String { directory.appendingPathComponent(file).path }
        try "subjectAltName=DNS:api.example.com\nextendedKeyUsage=serverAuth\nbasicConstraints=critical,CA:FALSE\n"
            .write(toFile: path("ext.cnf"), atomically: true, encoding: .utf8)
        _ = try OpenSSL.ok([
            "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", path("leaf.key"), "-out", path("leaf.csr"),
            "-subj", "/CN=api.example.com",
        ])
        _ = try OpenSSL.ok([
            "x509", "-req", "-in", path("leaf.csr"), "-CA", Paths.pki("ca.pem"), "-CAkey", Paths.pki("ca.key"),
            "-CAcreateserial", "-CAserial", path("ca.srl"), "-days", "30", "-sha256", "-extfile", path("ext.cnf"),
            "-out", path("leaf.pem"),
        ])
        let leaf = try OpenSSL.certificateDER(path("leaf.pem"))
        let trusted = await PKI.validate(
            chain: [leaf], trustAnchors: [try der("ca")], hostname: "api.example.com", at: Date(), purpose: .serverAuth)
        XCTAssertTrue(trusted.trusted, trusted.reason)

        // Another root with the same subject name but another key: the issuer is found by name, the signature fails.
        _ = try OpenSSL.ok([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", path("fake.key"), "-out", path("fake.pem"),
            "-days", "30", "-subj", "/O=TLSLab Demo/CN=TLSLab Demo Root CA",
        ])
        let forged = await PKI.validate(
            chain: [leaf], trustAnchors: [try OpenSSL.certificateDER(path("fake.pem"))], hostname: "api.example.com",
            at: Date(), purpose: .serverAuth)
        XCTAssertFalse(forged.trusted)
        XCTAssertEqual(forged.alert, .badCertificate)
        XCTAssertTrue(forged.reason.contains("the signature on CN=api.example.com does not verify with the public key "
            + "of the trust anchor CN=TLSLab Demo Root CA, O=TLSLab Demo"), forged.reason)
    }

    /// A leaf that is itself a trust anchor is accepted only if it is a CA (swift-certificates' rule).
    func testNonCALeafAsItsOwnAnchor() async throws {
        let client = try der("client")
        let verdict = try await validate([client], anchors: [client], host: nil, purpose: .clientAuth)
        XCTAssertFalse(verdict.trusted)
        XCTAssertEqual(verdict.alert, .unknownCA)
        XCTAssertTrue(verdict.reason.contains("is itself a trust anchor, but a trust anchor must be a CA"), verdict.reason)
        // The CA certificate presented as a leaf and trusted directly passes: it is a CA, and without an
        // extendedKeyUsage extension any purpose is allowed (RFC 5280 §4.2.1.12).
        let ca = try await validate([der("ca")], host: nil, purpose: .clientAuth)
        XCTAssertTrue(ca.trusted, ca.reason)
    }

    func testPurposes() async throws {
        let client = try await validate([der("client")], host: nil, purpose: .clientAuth)
        XCTAssertTrue(client.trusted, client.reason)
        XCTAssertTrue(client.reason.contains("permits clientAuth"), client.reason)

        let serverAsClient = try await validate([der("server-rsa")], host: nil, purpose: .clientAuth)
        XCTAssertFalse(serverAsClient.trusted)
        XCTAssertEqual(serverAsClient.alert, .unsupportedCertificate)  // OpenSSL: X509_V_ERR_INVALID_PURPOSE, same alert
        XCTAssertTrue(serverAsClient.reason.contains(
            "the certificate CN=www.example.com, O=TLSLab Demo allows only [serverAuth] in its extendedKeyUsage, not "
                + "clientAuth"), serverAsClient.reason)
        XCTAssertTrue(serverAsClient.reason.contains("the server needs clientAuth"), serverAsClient.reason)

        let clientAsServer = try await validate([der("client")], host: nil, purpose: .serverAuth)
        XCTAssertFalse(clientAsServer.trusted)
        XCTAssertEqual(clientAsServer.alert, .unsupportedCertificate)
        XCTAssertTrue(clientAsServer.reason.contains("not serverAuth"), clientAsServer.reason)
    }

    func testUnparseableCertificates() async throws {
        let empty = try await validate([], host: "www.example.com")
        XCTAssertEqual(empty.alert, .decodeError)

        let garbage = try await validate([[0x30, 0x03, 0x02, 0x01, 0x01]], host: "www.example.com")
        XCTAssertFalse(garbage.trusted)
        XCTAssertEqual(garbage.alert, .badCertificate)
        XCTAssertTrue(garbage.reason.contains("the peer's certificate (the leaf) is not a valid DER-encoded X.509"),
            garbage.reason)

        var truncated = try der("server-rsa")
        truncated.removeLast(10)
        let cut = try await validate([truncated], host: "www.example.com")
        XCTAssertEqual(cut.alert, .badCertificate)

        let badIntermediate = try await validate([der("server-rsa"), [0xff]], host: "www.example.com")
        XCTAssertEqual(badIntermediate.alert, .badCertificate)
        XCTAssertTrue(badIntermediate.reason.contains("certificate 2 of 2"), badIntermediate.reason)

        XCTAssertThrowsError(try PKI.summary(der: [0x01, 0x02])) { error in
            XCTAssertEqual((error as? PKIError)?.alert, .badCertificate)
        }
        XCTAssertThrowsError(try PKI.subjectPublicKeyInfo(der: []))
    }

    /// A P-384 key parses but the TLSLab handshake cannot use it.
    func testUnsupportedKeyType() async throws {
        let directory = try Paths.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("p384.pem").path
        _ = try OpenSSL.ok([
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384", "-nodes",
            "-keyout", directory.appendingPathComponent("p384.key").path, "-out", certificate, "-days", "30",
            "-subj", "/CN=www.example.com",
        ])
        let der = try OpenSSL.certificateDER(certificate)
        XCTAssertEqual(try PKI.summary(der: der).publicKeyAlgorithm, "ECDSA P-384")
        let p384Text = try OpenSSL.ok(["x509", "-in", certificate, "-noout", "-text"]).stdout
        XCTAssertTrue(p384Text.contains("Signature Algorithm: \(try PKI.summary(der: der).signatureAlgorithm)\n"))
        let verdict = await PKI.validate(
            chain: [der], trustAnchors: [der], hostname: nil, at: Date(), purpose: .serverAuth)
        XCTAssertEqual(verdict.alert, .unsupportedCertificate)
        XCTAssertTrue(verdict.reason.contains("has a ECDSA P-384 key; TLSLab's handshake can use only RSA"),
            verdict.reason)

        // Ed25519 summary naming agrees with openssl's "Signature Algorithm: ED25519".
        let edPath = directory.appendingPathComponent("ed.pem").path
        _ = try OpenSSL.ok([
            "req", "-x509", "-newkey", "ed25519", "-nodes", "-keyout", directory.appendingPathComponent("ed.key").path,
            "-out", edPath, "-days", "30", "-subj", "/CN=ed.example",
        ])
        let ed = try PKI.summary(der: try OpenSSL.certificateDER(edPath))
        let text = try OpenSSL.ok(["x509", "-in", edPath, "-noout", "-text"]).stdout
        XCTAssertTrue(text.contains("Signature Algorithm: \(ed.signatureAlgorithm)\n"), text)
        XCTAssertEqual(ed.publicKeyAlgorithm, "Ed25519")
        XCTAssertEqual(ed.subject, "CN=ed.example")
        XCTAssertEqual(ed.subject, ed.issuer)
    }
}
