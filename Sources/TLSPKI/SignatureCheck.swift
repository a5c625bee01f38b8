import TLSWire
import X509

/// The one public-key operation a certificate check costs: verifying the issuer's signature on a certificate
/// (both already parsed). Used by `tlslab bench` to measure the cryptographic floor of a handshake.
public struct CertificateSignatureCheck: Sendable {
    private let certificate: Certificate
    private let issuer: Certificate

    public init(certificate der: [UInt8], issuer issuerDER: [UInt8]) throws {
        do {
            certificate = try Certificate(derEncoded: der)
            issuer = try Certificate(derEncoded: issuerDER)
        } catch {
            throw PKIError("cannot parse the certificates to check: \(error)", alert: .badCertificate)
        }
    }

    /// Whether the issuer's key verifies the certificate's signature.
    public func verify() -> Bool { issuer.publicKey.isValidSignature(certificate.signature, for: certificate) }
}
