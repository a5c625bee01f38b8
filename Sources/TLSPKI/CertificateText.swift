// Parsing X.509 certificates (RFC 5280 §4.1) with swift-certificates and describing them in plain text.
import Crypto
import CryptoExtras
import Foundation
import SwiftASN1
import TLSWire
import X509

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

enum CertificateParser {
    /// Parses one DER certificate (RFC 5280 §4.1). `label` names it in errors ("certificate 1 of the chain").
    ///
    /// Failures carry the alert TLSLab sends when the bytes came from the peer:
    /// - bytes that are not DER X.509 → `bad_certificate` (RFC 8446 §6.2: "a certificate was corrupt"). OpenSSL 3.0
    ///   sends `decode_error` here instead (its `tls_process_server_certificate` fails in `d2i_X509`); we follow the
    ///   RFC's definition because the TLS message itself decoded fine, only the certificate inside did not.
    /// - a public key or signature algorithm swift-certificates does not implement → `unsupported_certificate`.
    /// Certificates seen before are not parsed again (the demo chain is in every handshake).
    static let cache = BoundedCache<ByteKey, Certificate>(capacity: 256)

    static func parse(_ der: [UInt8], label: String) throws(PKIError) -> Certificate {
        do {
            return try cache.value(for: ByteKey(der)) { try Certificate(derEncoded: der) }
        } catch let error as CertificateError where error.code == .unsupportedPublicKeyAlgorithm {
            throw PKIError(
                "\(label) uses a public key algorithm TLSLab does not support (only RSA, ECDSA P-256/P-384/P-521 and "
                    + "Ed25519 keys can be read)",
                alert: .unsupportedCertificate)
        } catch let error as CertificateError where error.code == .unsupportedSignatureAlgorithm {
            throw PKIError(
                "\(label) is signed with an algorithm TLSLab does not support (only RSA PKCS#1 v1.5, ECDSA and "
                    + "Ed25519 signatures can be checked)",
                alert: .unsupportedCertificate)
        } catch {
            throw PKIError(
                "\(label) is not a valid DER-encoded X.509 certificate (RFC 5280 §4.1): \(plainError(error))",
                alert: .badCertificate)
        }
    }

    /// An ASN.1 / certificate error without the source-file location swift-asn1 and swift-certificates append.
    static func plainError(_ error: any Error) -> String {
        var text = String(describing: error)
        // "ASN1Error.invalidASN1Object: reason /path/File.swift:123" → drop the trailing "file:line".
        if let lastSpace = text.lastIndex(of: " "), text[lastSpace...].contains(".swift:") {
            text = String(text[..<lastSpace])
        }
        return text.trimmingCharacters(in: CharacterSet(charactersIn: ": "))
    }
}

enum CertificateText {
    /// RFC 4514 §2: the RDNs in reverse order (most specific first), each `TYPE=value` with RFC 4514 escaping,
    /// joined by ", " for readability (RFC 4514 itself uses "," without a space), e.g.
    /// `CN=www.example.com, O=TLSLab Demo`.
    static func name(_ dn: DistinguishedName) -> String {
        if dn.isEmpty { return "(empty name)" }
        return names.value(for: dn) { dn.reversed().map { String(describing: $0) }.joined(separator: ", ") }
    }
    /// Names already written out (every validation describes the same demo chain).
    private static let names = BoundedCache<DistinguishedName, String>(capacity: 256)

    /// The serial number in upper-case hex without separators or leading zero bytes — the format of
    /// `openssl x509 -noout -serial`.
    static func serial(_ serial: Certificate.SerialNumber) -> String {
        let bytes = serial.bytes.drop(while: { $0 == 0 })
        if bytes.isEmpty { return "00" }
        return bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// `RSA 2048`, `ECDSA P-256`, `ECDSA P-384`, `ECDSA P-521` or `Ed25519` (RFC 8446 §4.2.3 names these key types).
    static func keyAlgorithm(_ key: Certificate.PublicKey) -> String {
        if let rsa = _RSA.Signing.PublicKey(key) { return "RSA \(rsa.keySizeInBits)" }
        if P256.Signing.PublicKey(key) != nil { return "ECDSA P-256" }
        if P384.Signing.PublicKey(key) != nil { return "ECDSA P-384" }
        if P521.Signing.PublicKey(key) != nil { return "ECDSA P-521" }
        if Curve25519.Signing.PublicKey(key) != nil { return "Ed25519" }
        return String(describing: key)
    }

    /// The signature algorithm under the name `openssl x509 -text` prints (RFC 4055 §5, RFC 5758 §3.2, RFC 8410 §3).
    static func signatureAlgorithm(_ algorithm: Certificate.SignatureAlgorithm) -> String {
        switch algorithm {
        case .sha1WithRSAEncryption: return "sha1WithRSAEncryption"
        case .sha256WithRSAEncryption: return "sha256WithRSAEncryption"
        case .sha384WithRSAEncryption: return "sha384WithRSAEncryption"
        case .sha512WithRSAEncryption: return "sha512WithRSAEncryption"
        case .ecdsaWithSHA256: return "ecdsa-with-SHA256"
        case .ecdsaWithSHA384: return "ecdsa-with-SHA384"
        case .ecdsaWithSHA512: return "ecdsa-with-SHA512"
        case .ed25519: return "ED25519"
        default: return String(describing: algorithm)
        }
    }

    /// The DNS names and IP addresses of the subjectAltName extension (RFC 5280 §4.2.1.6), in certificate order.
    static func subjectAlternativeNames(_ certificate: Certificate) throws(PKIError) -> [String] {
        let names: SubjectAlternativeNames?
        do {
            names = try certificate.extensions.subjectAlternativeNames
        } catch {
            throw PKIError(
                "the subjectAltName extension of \(name(certificate.subject)) cannot be parsed: "
                    + CertificateParser.plainError(error),
                alert: .badCertificate)
        }
        return (names ?? SubjectAlternativeNames()).compactMap { general in
            switch general {
            case .dnsName(let dns): return dns
            case .ipAddress(let octets): return IPAddressText.format(Array(octets.bytes))
            default: return nil
            }
        }
    }

    /// The extended key usages of a certificate, by the names RFC 5280 §4.2.1.12 gives them.
    static func extendedKeyUsages(_ certificate: Certificate) -> [String]? {
        guard let eku = try? certificate.extensions.extendedKeyUsage else { return nil }
        return eku.map { usage in
            switch usage {
            case .serverAuth: return "serverAuth"
            case .clientAuth: return "clientAuth"
            case .codeSigning: return "codeSigning"
            case .emailProtection: return "emailProtection"
            case .timeStamping: return "timeStamping"
            case .ocspSigning: return "OCSPSigning"
            case .any: return "anyExtendedKeyUsage"
            default: return String(describing: usage)
            }
        }
    }
}

/// Dates as learners read them: `2025-01-01` for midnight UTC, else `2025-01-01 13:45:00 UTC`.
enum DateText {
    static func format(_ date: Date) -> String { UTCDate.readable(date.timeIntervalSince1970) }
}

/// IPv4 / IPv6 literals (RFC 5280 §4.2.1.6 stores them as 4 or 16 octets).
enum IPAddressText {
    /// Whether `text` is an IPv4 or IPv6 literal (brackets around IPv6 allowed, as in URLs).
    static func literal(_ text: String) -> String? {
        var candidate = text
        if candidate.hasPrefix("[") && candidate.hasSuffix("]") && candidate.count > 2 {
            candidate = String(candidate.dropFirst().dropLast())
        }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, candidate, &v4) == 1 || inet_pton(AF_INET6, candidate, &v6) == 1 {
            return candidate
        }
        return nil
    }

    /// `127.0.0.1` / `::1`, or hex for an octet string of another length.
    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        if bytes.count == 16 {
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { raw in
                for (i, b) in bytes.enumerated() { raw[i] = b }
            }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil {
                return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return "IP?" + bytes.map { String(format: "%02x", $0) }.joined()
    }
}
