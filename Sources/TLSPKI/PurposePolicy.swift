import SwiftASN1
import X509

/// The TLS-specific checks on top of RFC 5280 path validation: the extended key usage for the purpose
/// (RFC 5280 §4.2.1.12: id-kp-serverAuth / id-kp-clientAuth) and, when a hostname is given, the server identity
/// (RFC 6125 §6, RFC 9110 §4.3.4) — delegated to swift-certificates' `ServerIdentityPolicy`.
///
/// Failure reasons start with a tag (`purposeTag` / `identityTag`) so `PKI.validate` can tell them apart from
/// RFC5280Policy failures without guessing from free text.
struct TLSPurposePolicy: VerifierPolicy {
    static let purposeTag = "TLSLab purpose check: "
    static let identityTag = "TLSLab identity check: "

    let purpose: CertificatePurpose
    var identity: ServerIdentityPolicy?

    /// EKU and SAN are understood here even when no hostname is checked: a critical SAN (RFC 5280 §4.2.1.6 requires
    /// it when the subject is empty) is parsed, and a client certificate needs no hostname.
    var verifyingCriticalExtensions: [ASN1ObjectIdentifier] {
        [.X509ExtensionID.extendedKeyUsage, .X509ExtensionID.subjectAlternativeName]
    }

    var usage: ExtendedKeyUsage.Usage {
        switch purpose {
        case .serverAuth: return .serverAuth
        case .clientAuth: return .clientAuth
        }
    }

    mutating func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        // RFC 5280 §4.2.1.12: without the extension the key may be used for any purpose. With it, the purpose (or
        // anyExtendedKeyUsage) must be listed. Like OpenSSL, we apply it to the leaf and to every intermediate that
        // carries the extension ("EKU chaining"); the trust anchor is trusted as configured.
        let checked = Array(chain.dropLast(chain.count > 1 ? 1 : 0))
        for (index, certificate) in checked.enumerated() {
            let eku: ExtendedKeyUsage?
            do {
                eku = try certificate.extensions.extendedKeyUsage
            } catch {
                let reason = Self.purposeTag + "the extendedKeyUsage extension of \(CertificateText.name(certificate.subject)) cannot be parsed"
                return .failsToMeetPolicy(reason: reason)
            }
            guard let eku else { continue }
            if eku.contains(usage) || eku.contains(.any) { continue }
            let listed = (CertificateText.extendedKeyUsages(certificate) ?? []).joined(separator: ", ")
            let role = index == 0 ? "certificate" : "intermediate CA"
            let subject = CertificateText.name(certificate.subject)
            let purposeName = purpose.rawValue
            let reason = Self.purposeTag
                + "the \(role) \(subject) allows only [\(listed)] in its extendedKeyUsage, not \(purposeName)"
            return .failsToMeetPolicy(reason: reason)
        }
        guard var identity else { return .meetsPolicy }
        defer { self.identity = identity }
        switch identity.chainMeetsPolicyRequirements(chain: chain) {
        case .meetsPolicy:
            return .meetsPolicy
        case .failsToMeetPolicy(let reason):
            let text = Self.identityTag + reason.description
            return .failsToMeetPolicy(reason: text)
        }
    }
}
