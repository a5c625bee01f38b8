// The demo PKI: one RSA root CA, three server certificates and one client certificate (RFC 5280 profiles), plus the
// deliberately broken certificates of the failure lab (expired, not yet valid, wrong host, untrusted issuer,
// self-signed).
import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import X509

enum DemoPKIGenerator {
    static let organization = "TLSLab Demo"
    static let rootName = "TLSLab Demo Root CA"
    static let untrustedRootName = "TLSLab Untrusted Root CA"
    static let serverName = "www.example.com"
    static let clientName = "TLSLab Demo Client"
    static let untrustedClientName = "TLSLab Untrusted Client"
    static let wrongHostName = "www.other.test"
    /// SAN of every server certificate (RFC 5280 §4.2.1.6): two DNS names and an IPv4 address (4 octets).
    static let serverAltNames: [GeneralName] = [
        .dnsName("www.example.com"), .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
    ]
    /// The failure-lab files, in the order they are written.
    static let labNames = [
        "server-expired", "server-not-yet-valid", "server-wrong-host", "untrusted-ca", "server-untrusted",
        "server-self-signed", "client-untrusted",
    ]
    /// The fixed validity periods of the two lab certificates that exist to be outside the scenario clock
    /// (2026-06-01): they do not follow `notBefore`/`years`.
    static let expiredValidity = (notBefore: utcDay(2020, 1, 1), notAfter: utcDay(2025, 1, 1))
    static let notYetValidValidity = (notBefore: utcDay(2027, 1, 1), notAfter: utcDay(2070, 1, 1))

    struct Issued {
        var file: String
        var certificate: Certificate
        var keyPEM: String
    }

    /// Who signs: a CA's name, key and key identifier (for the authorityKeyIdentifier of what it issues,
    /// RFC 5280 §4.2.1.1), and the signature algorithm its key makes.
    struct Issuer {
        var name: DistinguishedName
        var key: Certificate.PrivateKey
        var keyIdentifier: ArraySlice<UInt8>
        var signatureAlgorithm: Certificate.SignatureAlgorithm
    }

    struct Validity {
        var notBefore: Date
        var notAfter: Date
    }

    /// The whole PKI: the root (reused if the directory has one), the four demo credentials, the lab files.
    static func generate(into directory: URL, notBefore: Date, years: Int) throws -> [String] {
        try generate(into: directory, notBefore: notBefore, years: years, includeDemo: true)
    }

    /// Only the lab files (and the root, if the directory has none yet).
    static func generateLab(into directory: URL, notBefore: Date, years: Int) throws -> [String] {
        try generate(into: directory, notBefore: notBefore, years: years, includeDemo: false)
    }

    private static func generate(into directory: URL, notBefore: Date, years: Int, includeDemo: Bool) throws -> [String] {
        guard years > 0 else { throw PKIError("the demo PKI needs a validity of at least one year, not \(years)") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        guard let notAfter = calendar.date(byAdding: .year, value: years, to: notBefore) else {
            throw PKIError("cannot add \(years) years to \(DateText.format(notBefore))")
        }
        let validity = Validity(notBefore: notBefore, notAfter: notAfter)

        var issued: [Issued] = []
        let root: Issuer
        if let existing = try loadRoot(from: directory) {
            root = existing
        } else {
            let (certificate, issuer) = try makeRoot(commonName: rootName, validity: validity, file: "ca")
            issued.append(certificate)
            root = issuer
        }
        if includeDemo { issued += try demoCredentials(root: root, validity: validity) }
        issued += try labCredentials(root: root, validity: validity)

        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var written: [String] = []
        for item in issued {
            let certificateURL = directory.appendingPathComponent("\(item.file).pem")
            let keyURL = directory.appendingPathComponent("\(item.file).key")
            try write(try item.certificate.serializeAsPEM().pemString + "\n", to: certificateURL, permissions: 0o644)
            try write(item.keyPEM.hasSuffix("\n") ? item.keyPEM : item.keyPEM + "\n", to: keyURL, permissions: 0o600)
            written += [certificateURL.path, keyURL.path]
        }
        return written
    }

    // MARK: - The root

    /// A self-signed RSA-2048 root. RSA, so that every certificate it issues is signed sha256WithRSAEncryption,
    /// which every TLS peer accepts in signature_algorithms_cert (RFC 8446 §4.2.3: rsa_pkcs1_sha256 is allowed in
    /// certificates).
    static func makeRoot(commonName: String, validity: Validity, file: String) throws -> (Issued, Issuer) {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let key = Certificate.PrivateKey(rsa)
        let name = try DistinguishedName {
            OrganizationName(organization)
            CommonName(commonName)
        }
        let ski = SubjectKeyIdentifier(hash: key.publicKey)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            ski
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: validity.notBefore, notValidAfter: validity.notAfter, issuer: name, subject: name,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: extensions, issuerPrivateKey: key)
        let issuer = Issuer(
            name: name, key: key, keyIdentifier: ski.keyIdentifier, signatureAlgorithm: .sha256WithRSAEncryption)
        return (Issued(file: file, certificate: certificate, keyPEM: rsa.pkcs8PEMRepresentation), issuer)
    }

    /// The root already in `directory` (`ca.pem` and `ca.key`), so that regenerating keeps it — and everything that
    /// trusts it — unchanged. Nil when neither file exists; an error when only one does, when the key does not
    /// belong to the certificate, or when the certificate is not a CA.
    static func loadRoot(from directory: URL) throws -> Issuer? {
        let certificateURL = directory.appendingPathComponent("ca.pem")
        let keyURL = directory.appendingPathComponent("ca.key")
        let manager = FileManager.default
        switch (manager.fileExists(atPath: certificateURL.path), manager.fileExists(atPath: keyURL.path)) {
        case (false, false): return nil
        case (true, false):
            throw PKIError("\(certificateURL.path) exists but ca.key does not: the root needs both (delete ca.pem for a new root)")
        case (false, true):
            throw PKIError("\(keyURL.path) exists but ca.pem does not: the root needs both (delete ca.key for a new root)")
        case (true, true): break
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: try CredentialFiles.readText(certificateURL, what: "root certificate"))
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError("\(certificateURL.path) is not a PEM certificate: \(CertificateParser.plainError(error))")
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: try CredentialFiles.readText(keyURL, what: "root private key"))
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError("\(keyURL.path) is not a PEM private key: \(CertificateParser.plainError(error))")
        }
        guard key.publicKey == certificate.publicKey else {
            throw PKIError("\(keyURL.path) does not belong to \(certificateURL.path): their public keys differ")
        }
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw PKIError("\(certificateURL.path) is not a CA certificate (basicConstraints CA:TRUE, RFC 5280 §4.2.1.9)")
        }
        let keyIdentifier =
            (try? certificate.extensions.subjectKeyIdentifier)??.keyIdentifier
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        // A self-signed root's own signature algorithm is one its key makes.
        return Issuer(
            name: certificate.subject, key: key, keyIdentifier: keyIdentifier,
            signatureAlgorithm: certificate.signatureAlgorithm)
    }

    // MARK: - Leaves

    /// A leaf certificate with the demo profile: basicConstraints CA:FALSE and keyUsage (both critical),
    /// extendedKeyUsage, subjectAltName (if any), subjectKeyIdentifier, authorityKeyIdentifier. Self-signed when
    /// `issuer` is nil.
    static func issue(
        file: String, commonName: String, key: Certificate.PrivateKey, keyPEM: String, usage: KeyUsage,
        purpose: ExtendedKeyUsage.Usage, altNames: [GeneralName], validity: Validity, issuer: Issuer?
    ) throws -> Issued {
        let subject = try DistinguishedName {
            OrganizationName(organization)
            CommonName(commonName)
        }
        let ski = SubjectKeyIdentifier(hash: key.publicKey)
        let signer = issuer ?? Issuer(
            name: subject, key: key, keyIdentifier: ski.keyIdentifier, signatureAlgorithm: .sha256WithRSAEncryption)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(usage)
            try ExtendedKeyUsage([purpose])
            if !altNames.isEmpty { SubjectAlternativeNames(altNames) }
            ski
            AuthorityKeyIdentifier(keyIdentifier: signer.keyIdentifier)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
            notValidBefore: validity.notBefore, notValidAfter: validity.notAfter, issuer: signer.name,
            subject: subject, signatureAlgorithm: signer.signatureAlgorithm, extensions: extensions,
            issuerPrivateKey: signer.key)
        return Issued(file: file, certificate: certificate, keyPEM: keyPEM)
    }

    /// The four demo credentials every working scenario uses.
    static func demoCredentials(root: Issuer, validity: Validity) throws -> [Issued] {
        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let ecdsa = P256.Signing.PrivateKey()
        let ed25519 = Curve25519.Signing.PrivateKey()
        let client = P256.Signing.PrivateKey()
        return [
            // keyEncipherment: TLS 1.2 RSA key exchange encrypts the premaster secret to this key (RFC 5246 §7.4.7.1).
            try issue(
                file: "server-rsa", commonName: serverName, key: Certificate.PrivateKey(rsa),
                keyPEM: rsa.pkcs8PEMRepresentation, usage: KeyUsage(digitalSignature: true, keyEncipherment: true),
                purpose: .serverAuth, altNames: serverAltNames, validity: validity, issuer: root),
            try issue(
                file: "server-ecdsa", commonName: serverName, key: Certificate.PrivateKey(ecdsa),
                keyPEM: pkcs8PEM(Array(ecdsa.pkcs8DERRepresentation)), usage: KeyUsage(digitalSignature: true),
                purpose: .serverAuth, altNames: serverAltNames, validity: validity, issuer: root),
            try issue(
                file: "server-ed25519", commonName: serverName, key: Certificate.PrivateKey(ed25519),
                keyPEM: pkcs8PEM(Array(ed25519.pkcs8DERRepresentation)), usage: KeyUsage(digitalSignature: true),
                purpose: .serverAuth, altNames: serverAltNames, validity: validity, issuer: root),
            try issue(
                file: "client", commonName: clientName, key: Certificate.PrivateKey(client),
                keyPEM: pkcs8PEM(Array(client.pkcs8DERRepresentation)), usage: KeyUsage(digitalSignature: true),
                purpose: .clientAuth, altNames: [], validity: validity, issuer: root),
        ]
    }

    /// The failure lab's certificates, each wrong in exactly one way (all RSA-2048, the server-rsa profile).
    static func labCredentials(root: Issuer, validity: Validity) throws -> [Issued] {
        /// A fresh RSA-2048 key, as a certificate key and as PKCS#8 PEM.
        func rsaKey() throws -> (Certificate.PrivateKey, String) {
            let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return (Certificate.PrivateKey(rsa), rsa.pkcs8PEMRepresentation)
        }
        let serverUsage = KeyUsage(digitalSignature: true, keyEncipherment: true)
        func server(
            _ file: String, commonName: String = serverName, altNames: [GeneralName] = serverAltNames,
            validity: Validity, issuer: Issuer?
        ) throws -> Issued {
            let (key, pem) = try rsaKey()
            return try issue(
                file: file, commonName: commonName, key: key, keyPEM: pem, usage: serverUsage, purpose: .serverAuth,
                altNames: altNames, validity: validity, issuer: issuer)
        }

        var lab: [Issued] = []
        // RFC 5280 §4.1.2.5: outside [notBefore, notAfter] a certificate is not valid.
        lab.append(try server(
            "server-expired",
            validity: Validity(notBefore: expiredValidity.notBefore, notAfter: expiredValidity.notAfter), issuer: root))
        lab.append(try server(
            "server-not-yet-valid",
            validity: Validity(notBefore: notYetValidValidity.notBefore, notAfter: notYetValidValidity.notAfter),
            issuer: root))
        // RFC 6125 §6: the name the client asked for must be in the subjectAltName.
        lab.append(try server(
            "server-wrong-host", commonName: wrongHostName, altNames: [.dnsName(wrongHostName)], validity: validity,
            issuer: root))
        // A CA no scenario trusts by default, and what it issues (RFC 5280 §6.1: no path to a trust anchor).
        let (untrustedCA, untrustedIssuer) = try makeRoot(
            commonName: untrustedRootName, validity: validity, file: "untrusted-ca")
        lab.append(untrustedCA)
        lab.append(try server("server-untrusted", validity: validity, issuer: untrustedIssuer))
        // Self-signed and CA:FALSE: it cannot be anyone's trust anchor.
        lab.append(try server("server-self-signed", validity: validity, issuer: nil))
        let (clientKey, clientPEM) = try rsaKey()
        lab.append(try issue(
            file: "client-untrusted", commonName: untrustedClientName, key: clientKey, keyPEM: clientPEM,
            usage: KeyUsage(digitalSignature: true), purpose: .clientAuth, altNames: [], validity: validity,
            issuer: untrustedIssuer))
        return lab
    }

    // MARK: - Files

    /// RFC 5208 / RFC 7468 §10: `-----BEGIN PRIVATE KEY-----`.
    static func pkcs8PEM(_ der: [UInt8]) -> String {
        PEMDocument(type: "PRIVATE KEY", derBytes: der).pemString
    }

    /// Writes atomically (temporary file + rename), then sets the permissions (keys: owner only).
    static func write(_ text: String, to url: URL, permissions: Int) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: url.path)
    }

    /// Midnight UTC of a day.
    static func utcDay(_ year: Int, _ month: Int, _ day: Int) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let components = DateComponents(year: year, month: month, day: day)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: 0)
    }
}
