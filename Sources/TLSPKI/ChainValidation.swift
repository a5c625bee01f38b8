// Certificate path validation for TLS: RFC 5280 §6 (path validation), RFC 5280 §4.2.1.12 (extended key usage),
// RFC 6125 §6 (server identity), and the alerts of RFC 8446 §6.2 / RFC 5246 §7.2.2.
import Foundation
import SwiftASN1
import TLSWire
@_spi(FixedExpiryValidationTime) import X509

/// Which alert for which failure. RFC 8446 §6.2 defines the certificate alerts loosely; OpenSSL 3.0's choices
/// (`x509table` in ssl/statem/statem_lib.c) are noted where they differ, so learners comparing with a real peer
/// know what to expect.
///
/// | failure | TLSLab | OpenSSL 3.0 |
/// |---|---|---|
/// | a certificate has expired | certificate_expired | certificate_expired |
/// | a certificate is not yet valid | certificate_expired (RFC 8446 has nothing closer) | bad_certificate |
/// | no path to a trust anchor / self-signed, untrusted | unknown_ca | unknown_ca |
/// | an issuer is not a CA (basicConstraints) or a path length is exceeded | unknown_ca | unknown_ca |
/// | hostname / IP not in the certificate | bad_certificate (some stacks send certificate_unknown) | bad_certificate |
/// | extendedKeyUsage lacks serverAuth / clientAuth | unsupported_certificate | unsupported_certificate |
/// | a signature in the chain does not verify | bad_certificate (RFC 8446 §6.2 wording) | decrypt_error |
/// | bytes are not X.509 DER | bad_certificate | decode_error |
/// | unsupported key or signature algorithm | unsupported_certificate | (varies) |
/// | anything else (e.g. unknown critical extension) | certificate_unknown | certificate_unknown |
enum ChainValidator {
    /// Key types the TLSLab handshake can use for CertificateVerify / ServerKeyExchange (RFC 8446 §4.2.3):
    /// RSA of any size, ECDSA P-256, Ed25519 (the kinds of TLSCrypto's `SigningKey` / `VerifyingKey`).
    static func handshakeCanUse(_ keyType: String) -> Bool {
        keyType.hasPrefix("RSA ") || keyType == "ECDSA P-256" || keyType == "Ed25519"
    }

    static func validate(
        chain: [[UInt8]], trustAnchors: [[UInt8]], hostname: String?, at date: Date, purpose: CertificatePurpose
    ) async -> ValidationVerdict {
        let validator = purpose == .serverAuth ? "the client" : "the server"

        // RFC 8446 §4.4.2.4: an empty server Certificate message → decode_error. An empty client Certificate is
        // the handshake's business (certificate_required in TLS 1.3, handshake_failure in TLS 1.2 §7.4.6).
        guard !chain.isEmpty else {
            return ValidationVerdict(
                trusted: false, alert: purpose == .serverAuth ? .decodeError : .certificateRequired,
                reason: "the peer sent no certificate, so there is nothing to validate (RFC 8446 §4.4.2.4)")
        }

        // 1. Parse the peer's certificates (RFC 5280 §4.1).
        var certificates: [Certificate] = []
        for (index, der) in chain.enumerated() {
            let label = index == 0
                ? "the peer's certificate (the leaf)"
                : "certificate \(index + 1) of \(chain.count) in the peer's chain"
            do {
                certificates.append(try CertificateParser.parse(der, label: label))
            } catch {
                return ValidationVerdict(trusted: false, alert: error.alert, reason: error.reason)
            }
        }
        var anchors: [Certificate] = []
        for (index, der) in trustAnchors.enumerated() {
            do {
                anchors.append(try CertificateParser.parse(der, label: "trust anchor \(index + 1)"))
            } catch {
                // Our own configuration is broken, not the peer's certificate.
                return ValidationVerdict(trusted: false, alert: .internalError, reason: error.reason)
            }
        }
        let leaf = certificates[0]
        let leafName = CertificateText.name(leaf.subject)

        // 2. The key must be one the handshake can use (RSA of any size, ECDSA P-256, Ed25519).
        let keyType = CertificateText.keyAlgorithm(leaf.publicKey)
        guard handshakeCanUse(keyType) else {
            return ValidationVerdict(
                trusted: false, alert: .unsupportedCertificate,
                reason: "the certificate \(leafName) has a \(keyType) key; TLSLab's handshake can use only RSA, "
                    + "ECDSA P-256 and Ed25519 keys (RFC 8446 §4.2.3)")
        }

        // 3. Path building and policy: swift-certificates' Verifier with RFC 5280 checks at the scenario's clock,
        //    plus extended key usage and (when asked) the hostname or IP address.
        let target = hostname.map { name in
            // (Foundation's trimming is slow; most names have nothing to trim.)
            name.first?.isWhitespace == true || name.last?.isWhitespace == true
                ? name.trimmingCharacters(in: .whitespaces) : name
        }.flatMap { $0.isEmpty ? nil : $0 }
        var identity: ServerIdentityPolicy?
        if let target {
            if let ip = IPAddressText.literal(target) {
                identity = ServerIdentityPolicy(serverHostname: nil, serverIP: ip)
            } else {
                identity = ServerIdentityPolicy(serverHostname: target, serverIP: nil)
            }
        }
        var verifier = Verifier(rootCertificates: CertificateStore(anchors)) {
            RFC5280Policy(fixedExpiryValidationTime: date)
            TLSPurposePolicy(purpose: purpose, identity: identity)
        }
        let handledCritical = verifier.policy.verifyingCriticalExtensions

        let result = await verifier.validate(
            leaf: leaf, intermediates: CertificateStore(certificates.dropFirst()))
        switch result {
        case .validCertificate(let path):
            let pathCertificates = Array(path)
            var reason = "trusted: " + describePath(pathCertificates)
            reason += "; every certificate is valid at \(DateText.format(date))"
            if let target { reason += "; the leaf is valid for \(target)" }
            reason += "; its extendedKeyUsage permits \(purpose.rawValue)"
            return ValidationVerdict(trusted: true, alert: nil, reason: reason)

        case .couldNotValidate(let failures):
            let clock = "\(validator)'s clock says \(DateText.format(date))"
            var checked = "Checked: the chain of \(plural(certificates.count, "certificate")) from \(leafName), against "
                + "\(plural(anchors.count, "trust anchor")), at \(DateText.format(date)), for \(purpose.rawValue)"
            checked += target.map { ", name \($0)." } ?? ", no name."
            let (alert, why): (AlertDescription, String)
            if let first = failures.first {
                (alert, why) = explain(
                    first.policyFailureReason.description, chain: Array(first.chain), date: date, clock: clock,
                    target: target, purpose: purpose, validator: validator)
            } else {
                (alert, why) = explainMissingPath(
                    leaf: leaf, intermediates: Array(certificates.dropFirst()), anchors: anchors,
                    handledCritical: handledCritical)
            }
            return ValidationVerdict(trusted: false, alert: alert, reason: "\(why). \(checked)")
        }
    }

    // MARK: - Explaining a policy failure

    /// Maps one `PolicyFailure` reason of a candidate chain to an alert and a plain explanation.
    ///
    /// swift-certificates 1.21.1 reasons recognised (ExpiryPolicy, BasicConstraintsPolicy, VersionPolicy,
    /// ServerIdentityPolicy): "... has expired", "... is not yet valid", "... has invalid expiry",
    /// "... is not marked as a CA", "... has maximum path length ...", "version 1 certificate contains extensions",
    /// and — tagged by `TLSPurposePolicy` — "None of the names in SAN extension matched", "No SAN extension and no
    /// common name", "Common name ... does not match". Anything else → certificate_unknown with the library's text.
    static func explain(
        _ libraryReason: String, chain: [Certificate], date: Date, clock: String, target: String?,
        purpose: CertificatePurpose, validator: String
    ) -> (AlertDescription, String) {
        if libraryReason.hasPrefix(TLSPurposePolicy.purposeTag) {
            let detail = libraryReason.dropFirst(TLSPurposePolicy.purposeTag.count)
            return (.unsupportedCertificate, "\(detail) (RFC 5280 §4.2.1.12); \(validator) needs \(purpose.rawValue)")
        }
        if libraryReason.hasPrefix(TLSPurposePolicy.identityTag), let leaf = chain.first {
            let names = (try? CertificateText.subjectAlternativeNames(leaf)) ?? []
            let wanted = target.map { IPAddressText.literal($0) != nil ? "the IP address \($0)" : $0 } ?? "(no name)"
            let listed = names.isEmpty
                ? "it has no DNS or IP subjectAltName (and its CN does not match)"
                : "its subjectAltName lists \(names.joined(separator: ", "))"
            return (
                .badCertificate,
                "the certificate \(CertificateText.name(leaf.subject)) is not valid for \(wanted): \(listed) "
                    + "(RFC 6125 §6)"
            )
        }
        if libraryReason.contains("has expired"),
            let (index, certificate) = chain.enumerated().first(where: { $0.element.notValidAfter < date })
        {
            return (
                .certificateExpired,
                "the \(role(index, of: chain.count)) \(CertificateText.name(certificate.subject)) expired on "
                    + "\(DateText.format(certificate.notValidAfter)); \(clock)"
            )
        }
        if libraryReason.contains("is not yet valid"),
            let (index, certificate) = chain.enumerated().first(where: { $0.element.notValidBefore > date })
        {
            // RFC 8446 §6.2 has no "not yet valid" alert; certificate_expired is the closest ("expired or not
            // currently valid" in RFC 5246 §7.2.2). OpenSSL sends bad_certificate instead.
            return (
                .certificateExpired,
                "the \(role(index, of: chain.count)) \(CertificateText.name(certificate.subject)) is not yet valid "
                    + "until \(DateText.format(certificate.notValidBefore)); \(clock)"
            )
        }
        if libraryReason.contains("has invalid expiry") {
            return (.badCertificate, "a certificate's notAfter date is earlier than its notBefore date (RFC 5280 §4.1.2.5)")
        }
        if libraryReason.contains("is not marked as a CA") {
            if chain.count == 1, let only = chain.first {
                // The leaf itself is a trust anchor: swift-certificates then requires it to be a CA.
                return (
                    .unknownCA,
                    "the certificate \(CertificateText.name(only.subject)) is itself a trust anchor, but a trust "
                        + "anchor must be a CA certificate (basicConstraints CA:TRUE, RFC 5280 §4.2.1.9)"
                )
            }
            let culprit = chain.enumerated().dropFirst().first(where: { !isCA($0.element) })
                ?? chain.enumerated().first(where: { !isCA($0.element) })
            let who = culprit.map { "the \(role($0.offset, of: chain.count)) \(CertificateText.name($0.element.subject))" }
                ?? "a certificate"
            return (
                .unknownCA,
                "\(who) is used as an issuer but its basicConstraints does not say CA:TRUE (RFC 5280 §4.2.1.9)"
            )
        }
        if libraryReason.contains("maximum path length") {
            return (.unknownCA, "a CA's pathLenConstraint allows fewer intermediate CAs than this chain has (RFC 5280 §4.2.1.9)")
        }
        if libraryReason.contains("version 1 certificate contains extensions") {
            return (.badCertificate, "a version 1 certificate carries extensions, which only version 3 allows (RFC 5280 §4.1.2.1)")
        }
        return (.certificateUnknown, "swift-certificates rejected the chain: \(libraryReason)")
    }

    // MARK: - Explaining why no chain reached a trust anchor

    /// The Verifier reports no policy failure when no candidate chain reached a trust anchor at all. Walk the
    /// issuer links ourselves to say where the chain stops.
    static func explainMissingPath(
        leaf: Certificate, intermediates: [Certificate], anchors: [Certificate],
        handledCritical: [ASN1ObjectIdentifier]
    ) -> (AlertDescription, String) {
        if let unknown = leaf.extensions.first(where: { $0.critical && !handledCritical.contains($0.oid) }) {
            return (
                .certificateUnknown,
                "the certificate \(CertificateText.name(leaf.subject)) has a critical extension \(unknown.oid) that "
                    + "TLSLab does not understand, so it must be rejected (RFC 5280 §4.2)"
            )
        }
        var tip = leaf
        var path = [leaf]
        while path.count <= 10 {
            let tipName = CertificateText.name(tip.subject)
            let issuerName = CertificateText.name(tip.issuer)
            let anchorIssuers = anchors.filter { $0.subject == tip.issuer }
            if !anchorIssuers.isEmpty {
                if anchorIssuers.contains(where: { $0.publicKey.isValidSignature(tip.signature, for: tip) }) {
                    return (
                        .certificateUnknown,
                        "the trust anchor \(issuerName) has a critical extension TLSLab does not understand (RFC 5280 §4.2)"
                    )
                }
                // OpenSSL sends decrypt_error (X509_V_ERR_CERT_SIGNATURE_FAILURE) here.
                return (
                    .badCertificate,
                    "the signature on \(tipName) does not verify with the public key of the trust anchor "
                        + "\(issuerName): the certificate was altered, or signed by another key under the same name"
                )
            }
            let candidates = intermediates.filter { $0.subject == tip.issuer && !path.contains($0) }
            if let next = candidates.first(where: { $0.publicKey.isValidSignature(tip.signature, for: tip) }) {
                path.append(next)
                tip = next
                continue
            }
            if !candidates.isEmpty {
                return (
                    .badCertificate,
                    "the signature on \(tipName) does not verify with the public key of the intermediate \(issuerName)"
                )
            }
            let anchorList = anchors.isEmpty
                ? "there are no trust anchors"
                : "the trust anchors are " + anchors.map { CertificateText.name($0.subject) }.joined(separator: "; ")
            if tip.issuer == tip.subject {
                let what = path.count == 1 ? "the certificate \(tipName) is self-signed" : "the chain ends at the self-signed \(tipName)"
                return (.unknownCA, "\(what), which is not one of the trust anchors (\(anchorList))")
            }
            return (
                .unknownCA,
                "no trust anchor issued \(tipName): its issuer is \(issuerName), which is neither a trust anchor nor "
                    + "in the peer's chain (\(anchorList))"
            )
        }
        return (.unknownCA, "the chain is longer than 10 certificates without reaching a trust anchor")
    }

    // MARK: - Helpers

    static func describePath(_ path: [Certificate]) -> String {
        path.enumerated().map { index, certificate in
            let name = CertificateText.name(certificate.subject)
            let span = "valid \(DateText.format(certificate.notValidBefore)) to \(DateText.format(certificate.notValidAfter))"
            let label = index == path.count - 1 ? "trust anchor " : ""
            return "\(label)\(name) [\(span)]"
        }.joined(separator: " ← issued by ")
    }

    static func role(_ index: Int, of count: Int) -> String {
        if index == 0 { return "certificate" }
        return index == count - 1 ? "trust anchor" : "intermediate CA"
    }

    static func isCA(_ certificate: Certificate) -> Bool {
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints { return true }
        return false
    }

    static func plural(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
