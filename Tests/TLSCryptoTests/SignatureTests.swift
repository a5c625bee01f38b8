import Crypto
import CryptoExtras
import Foundation
import TLSCrypto
import TLSWire
import TLSTestVectors
import XCTest

/// Signatures and RSA encryption: fresh keys from swift-crypto (generated once for the class), OpenSSL as the
/// independent signer/verifier/decrypter, and RFC 8448's CertificateVerify.
final class SignatureTests: XCTestCase {
    /// Keys generated once per class (RSA-2048 generation is slow in debug builds).
    struct Keys: Sendable {
        let rsa: _RSA.Signing.PrivateKey
        let p256: P256.Signing.PrivateKey
        let ed25519: Curve25519.Signing.PrivateKey
    }
    static let keys: Keys = {
        do {
            return Keys(rsa: try _RSA.Signing.PrivateKey(keySize: .bits2048), p256: P256.Signing.PrivateKey(), ed25519: Curve25519.Signing.PrivateKey())
        } catch {
            preconditionFailure("RSA key generation failed: \(error)")
        }
    }()

    /// PEM forms: PKCS#1 and PKCS#8 RSA, SEC1 and PKCS#8 P-256, PKCS#8 Ed25519.
    static var pems: [(String, String, SigningKey.Kind)] {
        let k = keys
        let sec1 = P256DER.sec1(privateKey: Array(k.p256.rawRepresentation), publicKey: Array(k.p256.publicKey.x963Representation))
        return [
            ("RSA PKCS#1", k.rsa.pemRepresentation, .rsa),
            ("RSA PKCS#8", k.rsa.pkcs8PEMRepresentation, .rsa),
            ("P-256 SEC1", pem("EC PRIVATE KEY", sec1), .ecdsaP256),
            ("P-256 PKCS#8", k.p256.pemRepresentation, .ecdsaP256),
            ("Ed25519 PKCS#8", k.ed25519.pemRepresentation, .ed25519),
        ]
    }

    func testLoadsEveryPEMForm() throws {
        XCTAssertTrue(Self.pems[0].1.contains("BEGIN RSA PRIVATE KEY"))
        XCTAssertTrue(Self.pems[1].1.contains("BEGIN PRIVATE KEY"))
        for (name, text, kind) in Self.pems {
            let key = try SigningKey(pem: text)
            XCTAssertEqual(key.kind, kind, name)
            XCTAssertEqual(key.publicKey.kind, kind, name)
            // The PKCS#8 export loads back to the same key.
            XCTAssertEqual(try SigningKey(pem: key.pemRepresentation).publicKey.spki, key.publicKey.spki, name)
        }
        XCTAssertEqual(try SigningKey(pem: Self.pems[0].1).publicKey.spki, Array(Self.keys.rsa.publicKey.derRepresentation))
        XCTAssertEqual(try SigningKey(pem: Self.pems[0].1).publicKey.rsaModulusLength, 256)
        XCTAssertNil(try SigningKey(pem: Self.pems[2].1).publicKey.rsaModulusLength)
        for bad in ["", "not a key", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                    "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"] {
            XCTAssertThrowsError(try SigningKey(pem: bad), bad)
        }
    }

    func testSignAndVerifyEveryScheme() throws {
        let message = Array("TLS 1.3, server CertificateVerify".utf8) + [0] + HashAlgorithm.sha256.hash([1, 2, 3])
        var tampered = message
        tampered[tampered.count - 1] ^= 1
        let allSchemes = Set(Self.pems.flatMap { (try? SigningKey(pem: $0.1))?.supportedSchemes ?? [] })
        XCTAssertEqual(allSchemes.count, 8)
        for (name, text, _) in Self.pems {
            let key = try SigningKey(pem: text)
            let verifier = try VerifyingKey(spki: key.publicKey.spki)
            XCTAssertEqual(verifier.supportedSchemes, key.supportedSchemes)
            for scheme in key.supportedSchemes {
                let label = "\(name) \(scheme)"
                let signature = try key.sign(message, scheme: scheme)
                XCTAssertTrue(verifier.isValidSignature(signature, for: message, scheme: scheme), label)
                XCTAssertFalse(verifier.isValidSignature(signature, for: tampered, scheme: scheme), label)
                var badSignature = signature
                badSignature[badSignature.count / 2] ^= 0x40
                XCTAssertFalse(verifier.isValidSignature(badSignature, for: message, scheme: scheme), label)
                for other in allSchemes where other != scheme {
                    XCTAssertFalse(verifier.isValidSignature(signature, for: message, scheme: other), "\(label) as \(other)")
                }
            }
            for scheme in allSchemes.subtracting(key.supportedSchemes) {
                XCTAssertThrowsError(try key.sign(message, scheme: scheme), "\(name) cannot sign \(scheme)") {
                    XCTAssertEqual(($0 as? TLSCryptoError)?.alert, .handshakeFailure)
                }
            }
            XCTAssertThrowsError(try key.sign(message, scheme: .rsa_pss_pss_sha256))
        }
    }

    func testDeterminism() throws {
        let message = Array("same message".utf8)
        let rsa = try SigningKey(pem: Self.pems[0].1)
        XCTAssertEqual(try rsa.sign(message, scheme: .rsa_pkcs1_sha256), try rsa.sign(message, scheme: .rsa_pkcs1_sha256))
        XCTAssertNotEqual(try rsa.sign(message, scheme: .rsa_pss_rsae_sha256), try rsa.sign(message, scheme: .rsa_pss_rsae_sha256))
        let ed = try SigningKey(pem: Self.pems[4].1)
        XCTAssertEqual(try ed.sign(message, scheme: .ed25519), try ed.sign(message, scheme: .ed25519))
        XCTAssertEqual(try ed.sign(message, scheme: .ed25519).count, 64)
        let ec = try SigningKey(pem: Self.pems[3].1)
        XCTAssertNotEqual(try ec.sign(message, scheme: .ecdsa_secp256r1_sha256), try ec.sign(message, scheme: .ecdsa_secp256r1_sha256))
        XCTAssertEqual(try ec.sign(message, scheme: .ecdsa_secp256r1_sha256).first, 0x30, "DER ECDSA-Sig-Value")
    }

    /// OpenSSL verifies TLSLab's signatures and TLSLab verifies OpenSSL's (PSS with salt = digest length, PKCS#1,
    /// ECDSA, Ed25519). OpenSSL's SPKI of each key equals `publicKey.spki`.
    func testSignaturesInteroperateWithOpenSSL() throws {
        let openssl = try Tool.openssl()
        let dir = try Tool.tempDirectory(for: self)
        let messageFile = dir.appendingPathComponent("msg").path
        let message = Array("CertificateVerify content for openssl".utf8)
        try Data(message).write(to: URL(fileURLWithPath: messageFile))
        let sigFile = dir.appendingPathComponent("sig").path

        for (name, text, kind) in Self.pems where name.hasSuffix("PKCS#8") {
            let key = try SigningKey(pem: text)
            let keyFile = dir.appendingPathComponent("\(kind.rawValue).pem").path
            try text.write(toFile: keyFile, atomically: true, encoding: .utf8)
            let spki = try Tool.run(openssl, ["pkey", "-in", keyFile, "-pubout", "-outform", "DER"])
            XCTAssertEqual(spki, key.publicKey.spki, name)
            let pubFile = dir.appendingPathComponent("\(kind.rawValue).pub.pem").path
            try pem("PUBLIC KEY", spki).write(toFile: pubFile, atomically: true, encoding: .utf8)
            let verifier = try VerifyingKey(spki: spki)

            for scheme in key.supportedSchemes {
                let label = "\(name) \(scheme)"
                let ours = try key.sign(message, scheme: scheme)
                try Data(ours).write(to: URL(fileURLWithPath: sigFile))
                let theirs: [UInt8]
                if scheme == .ed25519 {
                    // Ed25519 signs the message itself (RFC 8032, no pre-hash): pkeyutl -rawin.
                    let verified = try Tool.run(
                        openssl, ["pkeyutl", "-verify", "-pubin", "-inkey", pubFile, "-rawin", "-in", messageFile, "-sigfile", sigFile])
                    XCTAssertTrue(String(decoding: verified, as: UTF8.self).contains("Verified Successfully"), label)
                    theirs = try Tool.run(openssl, ["pkeyutl", "-sign", "-inkey", keyFile, "-rawin", "-in", messageFile])
                } else {
                    let args = Self.opensslDgstArgs(scheme)
                    let verified = try Tool.run(openssl, args + ["-verify", pubFile, "-signature", sigFile, messageFile])
                    XCTAssertTrue(String(decoding: verified, as: UTF8.self).contains("Verified OK"), label)
                    theirs = try Tool.run(openssl, args + ["-sign", keyFile, messageFile])
                }
                XCTAssertTrue(verifier.isValidSignature(theirs, for: message, scheme: scheme), label)
            }
        }
    }

    /// `openssl dgst` options for an RSA or ECDSA scheme (PSS: MGF1 with the same hash, salt = digest length).
    private static func opensslDgstArgs(_ scheme: SignatureScheme) -> [String] {
        let digest: String
        switch scheme {
        case .rsa_pkcs1_sha384, .rsa_pss_rsae_sha384: digest = "sha384"
        case .rsa_pkcs1_sha512, .rsa_pss_rsae_sha512: digest = "sha512"
        default: digest = "sha256"
        }
        var args = ["dgst", "-\(digest)"]
        if [.rsa_pss_rsae_sha256, .rsa_pss_rsae_sha384, .rsa_pss_rsae_sha512].contains(scheme) {
            args += ["-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:digest", "-sigopt", "rsa_mgf1_md:\(digest)"]
        }
        return args
    }

    /// RFC 8448 §3: the server's CertificateVerify (rsa_pss_rsae_sha256 by a 1024-bit RSA key) verifies against the
    /// public key of the trace's certificate, over the RFC 8446 §4.4.3 content.
    func testRFC8448CertificateVerify() throws {
        let openssl = try Tool.openssl()
        let certificateMessage = h(RFC8448.certificate)
        // Certificate: type(1) len(3) context_len(1)=0 list_len(3) cert_len(3) cert...
        let certLength = Int(certificateMessage[8]) << 16 | Int(certificateMessage[9]) << 8 | Int(certificateMessage[10])
        let certDER = Array(certificateMessage[11..<(11 + certLength)])
        let pubPEM = try Tool.run(openssl, ["x509", "-inform", "DER", "-pubkey", "-noout"], stdin: certDER)
        let spki = try Tool.run(openssl, ["pkey", "-pubin", "-outform", "DER"], stdin: pubPEM)
        let verifier = try VerifyingKey(spki: spki)
        XCTAssertEqual(verifier.kind, .rsa)
        XCTAssertEqual(verifier.rsaModulusLength, 128)

        let certificateVerify = h(RFC8448.certificateVerify)
        XCTAssertEqual(Array(certificateVerify[4..<6]), [0x08, 0x04], "rsa_pss_rsae_sha256")
        let signature = Array(certificateVerify[8...])
        XCTAssertEqual(signature.count, 128)
        var transcript = TranscriptHash(hashAlgorithm: .sha256)
        for message in [RFC8448.clientHello, RFC8448.serverHello, RFC8448.encryptedExtensions, RFC8448.certificate] {
            transcript.append(h(message))
        }
        let content = TLS13Signing.certificateVerifyContent(server: true, transcriptHash: transcript.current())
        XCTAssertEqual(content.count, 64 + 33 + 1 + 32)
        XCTAssertTrue(verifier.isValidSignature(signature, for: content, scheme: .rsa_pss_rsae_sha256))
        XCTAssertFalse(verifier.isValidSignature(signature, for: content, scheme: .rsa_pkcs1_sha256))
        let clientContent = TLS13Signing.certificateVerifyContent(server: false, transcriptHash: transcript.current())
        XCTAssertFalse(verifier.isValidSignature(signature, for: clientContent, scheme: .rsa_pss_rsae_sha256))
        XCTAssertEqual(Array(clientContent[64..<97]), Array("TLS 1.3, client CertificateVerify".utf8))
    }

    func testVerifyingKeyRejectsOtherKeys() {
        XCTAssertThrowsError(try VerifyingKey(spki: [])) { XCTAssertEqual(($0 as? TLSCryptoError)?.alert, .unsupportedCertificate) }
        XCTAssertThrowsError(try VerifyingKey(spki: Array(P384.Signing.PrivateKey().publicKey.derRepresentation)))
        XCTAssertThrowsError(try VerifyingKey(spki: Array(Curve25519.KeyAgreement.PrivateKey().publicKey.derRepresentation)))
    }

    // MARK: RSA key exchange (RFC 5246 §7.4.7.1)

    func testRSAEncryptPKCS1DecryptsWithSwiftCryptoAndOpenSSL() throws {
        let key = try SigningKey(pem: Self.pems[0].1)
        let publicKey = key.publicKey
        var random = RandomSource(seed: 5246, stream: "rsa-kx")
        let premaster = [0x03, 0x03] + random.bytes(46, label: "premaster")
        let psLength = try XCTUnwrap(publicKey.rsaPaddingLength(messageLength: 48))
        XCTAssertEqual(psLength, 256 - 3 - 48)
        var padding = random.bytes(psLength, label: "padding")
        padding[0] = 0
        padding[10] = 0
        let (block, ciphertext) = try publicKey.rsaEncryptPKCS1(premaster, padding: padding)
        XCTAssertEqual(block.count, 256)
        XCTAssertEqual(Array(block.prefix(2)), [0x00, 0x02])
        XCTAssertEqual(block[2], 1, "a zero padding byte at index 0 becomes 1")
        XCTAssertEqual(block[12], 11, "a zero padding byte at index 10 becomes 11")
        XCTAssertFalse(block[2..<(2 + psLength)].contains(0))
        XCTAssertEqual(block[2 + psLength], 0)
        XCTAssertEqual(Array(block.suffix(48)), premaster)
        XCTAssertEqual(ciphertext.count, 256)

        // swift-crypto's own PKCS#1 v1.5 decryption recovers the premaster.
        let decryptor = try _RSA.Encryption.PrivateKey(pemRepresentation: Self.keys.rsa.pemRepresentation)
        XCTAssertEqual(Array(try decryptor.decrypt(ciphertext, padding: ._WEAK_AND_INSECURE_PKCS_V1_5)), premaster)
        // Raw decryption returns the exact block, and the RFC 5246 check accepts it.
        XCTAssertEqual(try key.rsaDecryptRaw(ciphertext), block)
        XCTAssertEqual(RSAPremaster.parse(block: block, expectedVersion: .tls12), premaster)
        // Deterministic for the same padding.
        XCTAssertEqual(try publicKey.rsaEncryptPKCS1(premaster, padding: padding).ciphertext, ciphertext)

        // OpenSSL decrypts it too.
        if let openssl = try? Tool.openssl() {
            let dir = try Tool.tempDirectory(for: self)
            let keyFile = dir.appendingPathComponent("rsa.pem").path
            try Self.pems[0].1.write(toFile: keyFile, atomically: true, encoding: .utf8)
            let decrypted = try Tool.run(openssl, ["pkeyutl", "-decrypt", "-inkey", keyFile, "-pkeyopt", "rsa_padding_mode:pkcs1"], stdin: ciphertext)
            XCTAssertEqual(decrypted, premaster)
        }

        XCTAssertThrowsError(try publicKey.rsaEncryptPKCS1(premaster, padding: Array(padding.prefix(psLength - 1))))
        XCTAssertThrowsError(try publicKey.rsaEncryptPKCS1([UInt8](repeating: 1, count: 246), padding: padding), "PS < 8")
        XCTAssertNil(publicKey.rsaPaddingLength(messageLength: 246))
    }

    func testLibraryCiphertextDecryptsRawToAValidBlock() throws {
        let key = try SigningKey(pem: Self.pems[1].1)
        let encryptor = try _RSA.Encryption.PublicKey(derRepresentation: Self.keys.rsa.publicKey.derRepresentation)
        let premaster = [0x03, 0x03] + [UInt8](repeating: 0xab, count: 46)
        for _ in 0..<3 {
            let ciphertext = Array(try encryptor.encrypt(premaster, padding: ._WEAK_AND_INSECURE_PKCS_V1_5))
            let block = try key.rsaDecryptRaw(ciphertext)
            XCTAssertEqual(block.count, 256)
            XCTAssertEqual(Array(block.prefix(2)), [0x00, 0x02])
            XCTAssertEqual(block[2 + 205], 0)
            XCTAssertFalse(block[2..<207].contains(0))
            XCTAssertEqual(RSAPremaster.parse(block: block, expectedVersion: .tls12), premaster)
            XCTAssertNil(RSAPremaster.parse(block: block, expectedVersion: .tls11), "client_version mismatch")
        }
        XCTAssertThrowsError(try key.rsaDecryptRaw([UInt8](repeating: 1, count: 255))) {
            XCTAssertEqual(($0 as? TLSCryptoError)?.alert, .decodeError)
        }
        XCTAssertThrowsError(try key.rsaDecryptRaw([UInt8](repeating: 0xff, count: 256)), "≥ modulus")
        XCTAssertThrowsError(try SigningKey(pem: Self.pems[4].1).rsaDecryptRaw([UInt8](repeating: 1, count: 256)))
    }

    func testRSAPremasterParseRejectsMalformedBlocks() {
        let premaster = [0x03, 0x03] + [UInt8](repeating: 0x11, count: 46)
        let ps = [UInt8](repeating: 0x5a, count: 205)
        let good = [0x00, 0x02] + ps + [0x00] + premaster
        XCTAssertEqual(RSAPremaster.parse(block: good, expectedVersion: .tls12), premaster)
        var wrongFirst = good
        wrongFirst[0] = 1
        var wrongType = good
        wrongType[1] = 1
        let shortPS = [0x00, 0x02] + [UInt8](repeating: 0x5a, count: 7) + [0x00] + premaster
        let minimalPS = [0x00, 0x02] + [UInt8](repeating: 0x5a, count: 8) + [0x00] + premaster
        let noSeparator = [0x00, 0x02] + [UInt8](repeating: 0x5a, count: 254)
        let longMessage = [0x00, 0x02] + [UInt8](repeating: 0x5a, count: 204) + [0x00] + premaster + [0x00]
        let shortMessage = [0x00, 0x02] + [UInt8](repeating: 0x5a, count: 206) + [0x00] + Array(premaster.dropLast())
        let zeroInPS = [0x00, 0x02] + [UInt8](repeating: 0x5a, count: 3) + [0x00] + [UInt8](repeating: 0x5a, count: 201) + [0x00] + premaster
        XCTAssertNil(RSAPremaster.parse(block: wrongFirst, expectedVersion: .tls12))
        XCTAssertNil(RSAPremaster.parse(block: wrongType, expectedVersion: .tls12))
        XCTAssertNil(RSAPremaster.parse(block: shortPS, expectedVersion: .tls12))
        XCTAssertEqual(RSAPremaster.parse(block: minimalPS, expectedVersion: .tls12), premaster)
        XCTAssertNil(RSAPremaster.parse(block: noSeparator, expectedVersion: .tls12))
        XCTAssertNil(RSAPremaster.parse(block: longMessage, expectedVersion: .tls12))
        XCTAssertNil(RSAPremaster.parse(block: shortMessage, expectedVersion: .tls12))
        XCTAssertNil(RSAPremaster.parse(block: zeroInPS, expectedVersion: .tls12), "PS ends early: 3 bytes")
        XCTAssertNil(RSAPremaster.parse(block: good, expectedVersion: .tls13))
        XCTAssertNil(RSAPremaster.parse(block: [], expectedVersion: .tls12))
    }
}
