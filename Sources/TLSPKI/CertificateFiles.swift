// Reading certificates and keys: PEM (RFC 7468), X.509 (RFC 5280 §4.1), PKCS#8 (RFC 5208).
import Foundation
import SwiftASN1
import TLSWire
import X509

extension PKI {
    /// Summaries already made, by the certificate's bytes (every transcript lists the demo chain).
    static let summaries = BoundedCache<ByteKey, CertificateSummary>(capacity: 256)

    static func summarize(der: [UInt8]) throws(PKIError) -> CertificateSummary {
        do {
            return try summaries.value(for: ByteKey(der)) { try makeSummary(der: der) }
        } catch let error as PKIError {
            throw error
        } catch {
            throw PKIError("the certificate cannot be summarized: \(error)", alert: .badCertificate)
        }
    }

    private static func makeSummary(der: [UInt8]) throws(PKIError) -> CertificateSummary {
        let certificate = try CertificateParser.parse(der, label: "the certificate")
        let isCA: Bool
        do {
            if case .isCertificateAuthority = try certificate.extensions.basicConstraints { isCA = true } else { isCA = false }
        } catch {
            throw PKIError(
                "the basicConstraints extension cannot be parsed: \(CertificateParser.plainError(error))",
                alert: .badCertificate)
        }
        return CertificateSummary(
            subject: CertificateText.name(certificate.subject),
            issuer: CertificateText.name(certificate.issuer),
            serialNumber: CertificateText.serial(certificate.serialNumber),
            notBefore: certificate.notValidBefore,
            notAfter: certificate.notValidAfter,
            subjectAlternativeNames: try CertificateText.subjectAlternativeNames(certificate),
            publicKeyAlgorithm: CertificateText.keyAlgorithm(certificate.publicKey),
            signatureAlgorithm: CertificateText.signatureAlgorithm(certificate.signatureAlgorithm),
            isCA: isCA)
    }

    /// RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue };
    /// TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity, subject,
    /// subjectPublicKeyInfo, ... }. Returns the subjectPublicKeyInfo element exactly as the certificate encodes it.
    static func extractSPKI(der: [UInt8]) throws(PKIError) -> [UInt8] {
        // Only the structure is walked here (so even a certificate swift-certificates refuses, such as RFC 8448's
        // 1024-bit RSA test certificate, yields its key); whether the certificate is acceptable is validate's job.
        // When the structure is broken, a full parse gives the learner the library's explanation.
        let malformed = PKIError("the certificate has no subjectPublicKeyInfo where RFC 5280 §4.1 puts it", alert: .badCertificate)
        guard let root = try? DER.parse(der), case .constructed(let certificateFields) = root.content else {
            _ = try CertificateParser.parse(der, label: "the certificate")
            throw malformed
        }
        var outer = certificateFields.makeIterator()
        guard let tbs = outer.next(), case .constructed(let tbsFields) = tbs.content else { throw malformed }
        var fields = Array(tbsFields)
        // The optional explicitly tagged version [0].
        if let first = fields.first, first.identifier == ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific) {
            fields.removeFirst()
        }
        // serialNumber, signature, issuer, validity, subject, subjectPublicKeyInfo.
        guard fields.count >= 6, fields[5].identifier == .sequence else { throw malformed }
        return Array(fields[5].encodedBytes)
    }

    /// Every `CERTIFICATE` block of a PEM text (RFC 7468 §5), in order. Other blocks (keys, parameters) are skipped;
    /// each certificate must parse as X.509.
    static func parsePEMCertificates(_ pem: String) throws(PKIError) -> [[UInt8]] {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: pem)
        } catch {
            throw PKIError("the text is not valid PEM (RFC 7468): \(CertificateParser.plainError(error))", alert: .badCertificate)
        }
        let certificates = documents.filter { $0.discriminator == "CERTIFICATE" }
        guard !certificates.isEmpty else {
            let found = documents.map(\.discriminator)
            throw PKIError(
                "no \"-----BEGIN CERTIFICATE-----\" block found"
                    + (found.isEmpty ? "" : " (the PEM holds: \(found.joined(separator: ", ")))"),
                alert: .badCertificate)
        }
        var result: [[UInt8]] = []
        for (index, document) in certificates.enumerated() {
            _ = try CertificateParser.parse(document.derBytes, label: "PEM certificate \(index + 1)")
            result.append(document.derBytes)
        }
        return result
    }
}

/// The certificate part of a credential and its key's PEM text, read and cross-checked without building a
/// `SigningKey` (which belongs to TLSCrypto).
public struct CredentialFiles: Sendable, Equatable {
    /// DER certificates from `<name>.pem`, leaf first.
    public var chain: [[UInt8]]
    /// The text of `<name>.key` (PKCS#8, PKCS#1 or SEC1 PEM).
    public var keyPEM: String

    public init(chain: [[UInt8]], keyPEM: String) {
        self.chain = chain
        self.keyPEM = keyPEM
    }

    /// Loads only `<name>.pem` from `directory`: DER certificates, leaf first.
    public static func loadChain(name: String, directory: URL) throws -> [[UInt8]] {
        let url = directory.appendingPathComponent("\(name).pem")
        return try PKI.loadPEMCertificates(try readText(url, what: "certificate file"))
    }

    /// Loads `<name>.pem` and `<name>.key` and checks that the private key's public half is the leaf's public key
    /// (otherwise CertificateVerify could never verify — RFC 8446 §4.4.3).
    public static func load(name: String, directory: URL) throws -> CredentialFiles {
        let chain = try loadChain(name: name, directory: directory)
        let keyURL = directory.appendingPathComponent("\(name).key")
        let keyPEM = try readText(keyURL, what: "private key file")
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyPEM)
        } catch {
            throw PKIError("\(keyURL.path) is not a PKCS#8, PKCS#1 or SEC1 private key: \(CertificateParser.plainError(error))")
        }
        let leaf = try CertificateParser.parse(chain[0], label: "the leaf certificate of \(name).pem")
        guard key.publicKey == leaf.publicKey else {
            throw PKIError(
                "\(keyURL.lastPathComponent) does not belong to the leaf certificate \(CertificateText.name(leaf.subject)) "
                    + "in \(name).pem: their public keys differ")
        }
        return CredentialFiles(chain: chain, keyPEM: keyPEM)
    }

    static func readText(_ url: URL, what: String) throws(PKIError) -> String {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PKIError("cannot read the \(what) \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PKIError("the \(what) \(url.path) is not UTF-8 text (PEM expected)")
        }
        return text
    }
}
