// The demo PKI: one RSA root CA, three server certificates and one client certificate (RFC 5280 profiles).
import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import X509

enum DemoPKIGenerator {
    static let organization = "TLSLab Demo"
    static let rootName = "TLSLab Demo Root CA"
    static let serverName = "www.example.com"
    static let clientName = "TLSLab Demo Client"
    /// SAN of every server certificate (RFC 5280 §4.2.1.6): two DNS names and an IPv4 address (4 octets).
    static let serverAltNames: [GeneralName] = [
        .dnsName("www.example.com"), .dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
    ]

    struct Issued {
        var file: String
        var certificate: Certificate
        var keyPEM: String
    }

    static func generate(into directory: URL, notBefore: Date, years: Int) throws -> [String] {
        guard years > 0 else { throw PKIError("the demo PKI needs a validity of at least one year, not \(years)") }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        guard let notAfter = calendar.date(byAdding: .year, value: years, to: notBefore) else {
            throw PKIError("cannot add \(years) years to \(DateText.format(notBefore))")
        }

        // Root CA: RSA-2048, so every certificate it issues is signed sha256WithRSAEncryption, which every TLS peer
        // accepts in signature_algorithms_cert (RFC 8446 §4.2.3: rsa_pkcs1_sha256 is allowed in certificates).
        let caRSA = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let caKey = Certificate.PrivateKey(caRSA)
        let caName = try DistinguishedName {
            OrganizationName(organization)
            CommonName(rootName)
        }
        let caSKI = SubjectKeyIdentifier(hash: caKey.publicKey)
        let caExtensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            caSKI
        }
        let ca = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: caKey.publicKey,
            notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: caName,
            signatureAlgorithm: .sha256WithRSAEncryption, extensions: caExtensions, issuerPrivateKey: caKey)

        func issue(
            file: String, commonName: String, key: Certificate.PrivateKey, keyPEM: String, usage: KeyUsage,
            purpose: ExtendedKeyUsage.Usage, altNames: [GeneralName]
        ) throws -> Issued {
            let subject = try DistinguishedName {
                OrganizationName(organization)
                CommonName(commonName)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(usage)
                try ExtendedKeyUsage([purpose])
                if !altNames.isEmpty { SubjectAlternativeNames(altNames) }
                SubjectKeyIdentifier(hash: key.publicKey)
                AuthorityKeyIdentifier(keyIdentifier: caSKI.keyIdentifier)
            }
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: key.publicKey,
                notValidBefore: notBefore, notValidAfter: notAfter, issuer: caName, subject: subject,
                signatureAlgorithm: .sha256WithRSAEncryption, extensions: extensions, issuerPrivateKey: caKey)
            return Issued(file: file, certificate: certificate, keyPEM: keyPEM)
        }

        let rsa = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let ecdsa = P256.Signing.PrivateKey()
        let ed25519 = Curve25519.Signing.PrivateKey()
        let client = P256.Signing.PrivateKey()
        let issued = [
            Issued(file: "ca", certificate: ca, keyPEM: caRSA.pkcs8PEMRepresentation),
            // keyEncipherment: TLS 1.2 RSA key exchange encrypts the premaster secret to this key (RFC 5246 §7.4.7.1).
            try issue(
                file: "server-rsa", commonName: serverName, key: Certificate.PrivateKey(rsa),
                keyPEM: rsa.pkcs8PEMRepresentation, usage: KeyUsage(digitalSignature: true, keyEncipherment: true),
                purpose: .serverAuth, altNames: serverAltNames),
            try issue(
                file: "server-ecdsa", commonName: serverName, key: Certificate.PrivateKey(ecdsa),
                keyPEM: pkcs8PEM(Array(ecdsa.pkcs8DERRepresentation)), usage: KeyUsage(digitalSignature: true),
                purpose: .serverAuth, altNames: serverAltNames),
            try issue(
                file: "server-ed25519", commonName: serverName, key: Certificate.PrivateKey(ed25519),
                keyPEM: pkcs8PEM(Array(ed25519.pkcs8DERRepresentation)), usage: KeyUsage(digitalSignature: true),
                purpose: .serverAuth, altNames: serverAltNames),
            try issue(
                file: "client", commonName: clientName, key: Certificate.PrivateKey(client),
                keyPEM: pkcs8PEM(Array(client.pkcs8DERRepresentation)), usage: KeyUsage(digitalSignature: true),
                purpose: .clientAuth, altNames: []),
        ]

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

    /// RFC 5208 / RFC 7468 §10: `-----BEGIN PRIVATE KEY-----`.
    static func pkcs8PEM(_ der: [UInt8]) -> String {
        PEMDocument(type: "PRIVATE KEY", derBytes: der).pemString
    }

    /// Writes atomically (temporary file + rename), then sets the permissions (keys: owner only).
    static func write(_ text: String, to url: URL, permissions: Int) throws {
        try Data(text.utf8).write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: url.path)
    }
}
