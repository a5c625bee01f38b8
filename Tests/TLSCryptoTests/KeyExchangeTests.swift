import Foundation
import TLSCrypto
import TLSWire
import XCTest

/// PEM armour for DER bytes (RFC 7468).
func pem(_ type: String, _ der: [UInt8]) -> String {
    let base64 = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
    return "-----BEGIN \(type)-----\n\(base64)\n-----END \(type)-----\n"
}

/// Hand-built DER for P-256 keys, so OpenSSL can be given keys TLSLab chose (RFC 5915 §3, RFC 5480 §2).
enum P256DER {
    static let curveOID = h("06082a8648ce3d030107")  // prime256v1
    /// ECPrivateKey { version 1, privateKey, [0] parameters, [1] publicKey } ("EC PRIVATE KEY").
    static func sec1(privateKey: [UInt8], publicKey: [UInt8]) -> [UInt8] {
        h("307702010104 20") + privateKey + h("a00a") + curveOID + h("a144 034200") + publicKey
    }
    /// SubjectPublicKeyInfo { id-ecPublicKey, prime256v1, point }.
    static func spki(publicKey: [UInt8]) -> [UInt8] {
        h("3059 3013 06072a8648ce3d0201") + curveOID + h("034200") + publicKey
    }
}

/// X25519 and P-256 key exchange: RFC 7748 §6.1, OpenSSL, and invalid peer keys.
final class KeyExchangeTests: XCTestCase {
    func testX25519RFC7748Section6_1() throws {
        let alice = try EphemeralKeyPair(
            group: .x25519, privateKey: h("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"))
        let bob = try EphemeralKeyPair(
            group: .x25519, privateKey: h("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))
        XCTAssertEqual(alice.publicKey.hex, "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a")
        XCTAssertEqual(bob.publicKey.hex, "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f")
        let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"
        XCTAssertEqual(try alice.sharedSecret(peerPublicKey: bob.publicKey).hex, shared)
        XCTAssertEqual(try bob.sharedSecret(peerPublicKey: alice.publicKey).hex, shared)
        XCTAssertEqual(alice.group, .x25519)
        XCTAssertEqual(alice.privateKey.hex, "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")
    }

    func testX25519LowOrderPointsAreIllegalParameter() throws {
        let key = try EphemeralKeyPair(group: .x25519, privateKey: [UInt8](repeating: 0x55, count: 32))
        // u = 0 and u = 1 are low-order points: the result is all zeros (RFC 7748 §6.1, RFC 8446 §7.4.2).
        for point in [[UInt8](repeating: 0, count: 32), [1] + [UInt8](repeating: 0, count: 31)] {
            XCTAssertThrowsError(try key.sharedSecret(peerPublicKey: point)) { error in
                XCTAssertEqual((error as? TLSCryptoError)?.alert, .illegalParameter, "\(error)")
            }
        }
        XCTAssertThrowsError(try key.sharedSecret(peerPublicKey: [UInt8](repeating: 9, count: 31))) { error in
            XCTAssertEqual((error as? TLSCryptoError)?.alert, .illegalParameter)
        }
    }

    func testP256SharedSecretMatchesOpenSSL() throws {
        let openssl = try Tool.openssl()
        let dir = try Tool.tempDirectory(for: self)
        var random = RandomSource(seed: 256, stream: "p256")
        let ours = try EphemeralKeyPair(group: .secp256r1, privateKey: random.bytes(32, label: "p256 private"))
        XCTAssertEqual(ours.publicKey.count, 65)
        XCTAssertEqual(ours.publicKey.first, 0x04)

        // Our key, handed to OpenSSL as SEC1 PEM: OpenSSL derives the same public point from the scalar.
        let ourKeyFile = dir.appendingPathComponent("ours.pem").path
        try pem("EC PRIVATE KEY", P256DER.sec1(privateKey: ours.privateKey, publicKey: ours.publicKey))
            .write(toFile: ourKeyFile, atomically: true, encoding: .utf8)
        let ourSPKI = try Tool.run(openssl, ["pkey", "-in", ourKeyFile, "-pubout", "-outform", "DER"])
        XCTAssertEqual(ourSPKI, P256DER.spki(publicKey: ours.publicKey))

        // OpenSSL's own key.
        let theirKeyFile = dir.appendingPathComponent("theirs.pem").path
        try Tool.run(openssl, ["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", theirKeyFile])
        let theirSPKI = try Tool.run(openssl, ["pkey", "-in", theirKeyFile, "-pubout", "-outform", "DER"])
        XCTAssertEqual(Array(theirSPKI.prefix(26)), Array(P256DER.spki(publicKey: []).prefix(26)))
        let theirPoint = Array(theirSPKI.suffix(65))
        let theirPubFile = dir.appendingPathComponent("theirs.pub.pem").path
        try pem("PUBLIC KEY", theirSPKI).write(toFile: theirPubFile, atomically: true, encoding: .utf8)
        let ourPubFile = dir.appendingPathComponent("ours.pub.pem").path
        try pem("PUBLIC KEY", ourSPKI).write(toFile: ourPubFile, atomically: true, encoding: .utf8)

        let shared = try ours.sharedSecret(peerPublicKey: theirPoint)
        XCTAssertEqual(shared.count, 32, "the x-coordinate (RFC 8446 §7.4.2)")
        XCTAssertEqual(shared, try Tool.run(openssl, ["pkeyutl", "-derive", "-inkey", ourKeyFile, "-peerkey", theirPubFile]))
        XCTAssertEqual(shared, try Tool.run(openssl, ["pkeyutl", "-derive", "-inkey", theirKeyFile, "-peerkey", ourPubFile]))
    }

    func testInvalidP256PointsAreIllegalParameter() throws {
        var random = RandomSource(seed: 1, stream: "p256-invalid")
        let ours = try EphemeralKeyPair(group: .secp256r1, privateKey: random.bytes(32, label: "a"))
        let peer = try EphemeralKeyPair(group: .secp256r1, privateKey: random.bytes(32, label: "b"))
        XCTAssertEqual(try ours.sharedSecret(peerPublicKey: peer.publicKey), try peer.sharedSecret(peerPublicKey: ours.publicKey))

        var offCurve = peer.publicKey
        offCurve[64] ^= 0x01
        let compressed = [0x02 | (peer.publicKey[64] & 1)] + Array(peer.publicKey[1...32])
        let invalid: [(String, [UInt8])] = [
            ("point not on the curve", offCurve),
            ("compressed point", compressed),
            ("all zeros", [0x04] + [UInt8](repeating: 0, count: 64)),
            ("hybrid/unknown prefix", [0x06] + Array(peer.publicKey[1...])),
            ("truncated", Array(peer.publicKey.prefix(64))),
            ("empty", []),
            ("x25519-sized", [UInt8](repeating: 9, count: 32)),
            ("coordinates ≥ p", [0x04] + [UInt8](repeating: 0xff, count: 64)),
        ]
        for (name, point) in invalid {
            XCTAssertThrowsError(try ours.sharedSecret(peerPublicKey: point), name) { error in
                XCTAssertEqual((error as? TLSCryptoError)?.alert, .illegalParameter, "\(name): \(error)")
            }
        }
    }

    func testKeyConstructionErrors() {
        XCTAssertThrowsError(try EphemeralKeyPair(group: .secp384r1, privateKey: [UInt8](repeating: 1, count: 32))) {
            XCTAssertEqual(($0 as? TLSCryptoError)?.alert, .illegalParameter)
        }
        XCTAssertThrowsError(try EphemeralKeyPair(group: .x25519, privateKey: [1, 2, 3]))
        XCTAssertThrowsError(try EphemeralKeyPair(group: .secp256r1, privateKey: [UInt8](repeating: 0, count: 32)), "zero scalar")
        XCTAssertThrowsError(try EphemeralKeyPair(group: .secp256r1, privateKey: [UInt8](repeating: 0xff, count: 32)), "scalar ≥ n")
        XCTAssertEqual(EphemeralKeyPair.supportedGroups, [.x25519, .secp256r1])
    }
}
