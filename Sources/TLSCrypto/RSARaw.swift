// Raw RSA (RFC 8017 §5.1.1 RSAEP / §5.1.2 RSADP, no padding) through swift-crypto's bundled BoringSSL.
//
// TLSLab builds and checks the EME-PKCS1-v1_5 block of the RSA key exchange itself (so its padding comes from the
// seeded generator and the block is visible to learners; RFC 5246 §7.4.7.1), and needs the bare RSA operation for
// that. swift-crypto's public API only offers padded RSA, so this file is the single place with C pointers in
// TLSCrypto. Everything else in the module goes through swift-crypto's Swift API.
import CCryptoBoringSSL

/// An owned BoringSSL `RSA*`, parsed once and freed on deinit.
///
/// `@unchecked Sendable` is sound: the pointer is never exposed or mutated after init, and BoringSSL documents
/// `RSA_encrypt` / `RSA_decrypt` as "non-mutating for thread-safety purposes and may be used concurrently"
/// (rsa.h, "Encryption / Decryption"); the lazily built Montgomery and blinding caches are locked inside BoringSSL.
final class RawRSAKey: @unchecked Sendable {
    private let rsa: OpaquePointer
    /// Modulus length in bytes (`k` in RFC 8017).
    let modulusLength: Int
    let isPrivate: Bool

    /// Parses a DER RSAPublicKey (PKCS#1, RFC 8017 §A.1.1).
    init(pkcs1PublicKey der: [UInt8]) throws {
        guard let rsa = der.withUnsafeBufferPointer({ CCryptoBoringSSL_RSA_public_key_from_bytes($0.baseAddress, $0.count) })
        else {
            throw TLSCryptoError(alert: .internalError, reason: "BoringSSL could not parse the RSA public key")
        }
        self.rsa = rsa
        self.modulusLength = Int(CCryptoBoringSSL_RSA_size(rsa))
        self.isPrivate = false
    }

    /// Parses a DER RSAPrivateKey (PKCS#1, RFC 8017 §A.1.2).
    init(pkcs1PrivateKey der: [UInt8]) throws {
        guard let rsa = der.withUnsafeBufferPointer({ CCryptoBoringSSL_RSA_private_key_from_bytes($0.baseAddress, $0.count) })
        else {
            throw TLSCryptoError(alert: .internalError, reason: "BoringSSL could not parse the RSA private key")
        }
        self.rsa = rsa
        self.modulusLength = Int(CCryptoBoringSSL_RSA_size(rsa))
        self.isPrivate = true
    }

    deinit { CCryptoBoringSSL_RSA_free(rsa) }

    /// RSAEP: c = m^e mod n. `block` must be exactly `modulusLength` bytes and, as a number, below n.
    func publicOperation(_ block: [UInt8]) throws -> [UInt8] {
        try run(block, what: "raw RSA encryption") { out, outLen, input in
            CCryptoBoringSSL_RSA_encrypt(
                rsa, &outLen, out.baseAddress, out.count, input.baseAddress, input.count, RSA_NO_PADDING)
        }
    }

    /// RSADP: m = c^d mod n (BoringSSL blinds it). `ciphertext` must be exactly `modulusLength` bytes, below n.
    func privateOperation(_ ciphertext: [UInt8]) throws -> [UInt8] {
        guard isPrivate else { throw TLSCryptoError(alert: .internalError, reason: "not an RSA private key") }
        return try run(ciphertext, what: "raw RSA decryption") { out, outLen, input in
            CCryptoBoringSSL_RSA_decrypt(
                rsa, &outLen, out.baseAddress, out.count, input.baseAddress, input.count, RSA_NO_PADDING)
        }
    }

    private func run(
        _ input: [UInt8], what: String,
        _ body: (UnsafeMutableBufferPointer<UInt8>, inout Int, UnsafeBufferPointer<UInt8>) -> Int32
    ) throws -> [UInt8] {
        guard input.count == modulusLength else {
            throw TLSCryptoError(
                alert: .decodeError,
                reason: "\(what): input is \(input.count) bytes, the modulus is \(modulusLength) (RFC 5246 §7.4.7.1)")
        }
        var output = [UInt8](repeating: 0, count: modulusLength)
        var written = 0
        let ok = output.withUnsafeMutableBufferPointer { out in
            input.withUnsafeBufferPointer { body(out, &written, $0) }
        }
        CCryptoBoringSSL_ERR_clear_error()
        guard ok == 1, written == modulusLength else {
            throw TLSCryptoError(alert: .decryptError, reason: "\(what) failed (is the input below the modulus?)")
        }
        return output
    }
}
