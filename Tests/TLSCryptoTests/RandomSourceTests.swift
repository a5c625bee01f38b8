import TLSCrypto
import XCTest

/// Seeded randomness: determinism, named draws, and the documented HKDF construction recomputed by OpenSSL (so the
/// stream is the same on every machine, not just stable on this one).
final class RandomSourceTests: XCTestCase {
    func testSameSeedAndStreamGiveSameBytes() {
        var a = RandomSource(seed: 2024, stream: "client")
        var b = RandomSource(seed: 2024, stream: "client")
        XCTAssertTrue(a.isSeeded)
        for (count, label) in [(32, "client_random"), (32, "client_random"), (48, "premaster"), (1, "x"), (0, "empty")] {
            XCTAssertEqual(a.bytes(count, label: label), b.bytes(count, label: label), label)
        }
        XCTAssertEqual(a.bytes(0, label: "empty"), [])
    }

    func testRepeatedDrawsOfOneLabelDiffer() {
        var source = RandomSource(seed: 1, stream: "s")
        let first = source.bytes(32, label: "nonce")
        let second = source.bytes(32, label: "nonce")
        XCTAssertNotEqual(first, second)
    }

    /// Adding a draw with another label does not shift the draws of a label.
    func testLabelsAreIndependent() {
        var plain = RandomSource(seed: 77, stream: "server")
        let expectedFirst = plain.bytes(32, label: "server_random")
        let expectedSecond = plain.bytes(16, label: "server_random")

        var interleaved = RandomSource(seed: 77, stream: "server")
        _ = interleaved.bytes(100, label: "session_id")
        XCTAssertEqual(interleaved.bytes(32, label: "server_random"), expectedFirst)
        _ = interleaved.bytes(7, label: "ticket")
        _ = interleaved.bytes(7, label: "session_id")
        XCTAssertEqual(interleaved.bytes(16, label: "server_random"), expectedSecond)
    }

    func testDifferentSeedsStreamsAndLabelsDiffer() {
        var base = RandomSource(seed: 5, stream: "client")
        var otherSeed = RandomSource(seed: 6, stream: "client")
        var otherStream = RandomSource(seed: 5, stream: "server")
        let reference = base.bytes(32, label: "r")
        XCTAssertNotEqual(otherSeed.bytes(32, label: "r"), reference)
        XCTAssertNotEqual(otherStream.bytes(32, label: "r"), reference)
        var again = RandomSource(seed: 5, stream: "client")
        XCTAssertNotEqual(again.bytes(32, label: "s"), reference)
        // A shorter draw of the same (label, index) is a prefix (HKDF-Expand is a stream).
        var prefix = RandomSource(seed: 5, stream: "client")
        XCTAssertEqual(prefix.bytes(10, label: "r"), Array(reference.prefix(10)))
    }

    /// The documented construction, computed independently by OpenSSL:
    /// PRK = HKDF-Extract(salt "tlslab", seed (8 bytes BE) ‖ stream), OKM = HKDF-Expand(PRK, label ‖ index (8 bytes BE), n).
    func testMatchesDocumentedHKDFConstructionViaOpenSSL() throws {
        let seed: UInt64 = 0x0102_0304_0506_0708
        var source = RandomSource(seed: seed, stream: "client")
        let first = source.bytes(40, label: "client_random")
        let second = source.bytes(40, label: "client_random")
        let prk = try Tool.opensslHKDFExtract(
            digest: "SHA256", salt: Array("tlslab".utf8), ikm: h("0102030405060708") + Array("client".utf8), length: 32)
        XCTAssertEqual(
            first,
            try Tool.opensslHKDFExpand(
                digest: "SHA256", prk: prk, info: Array("client_random".utf8) + h("0000000000000000"), length: 40))
        XCTAssertEqual(
            second,
            try Tool.opensslHKDFExpand(
                digest: "SHA256", prk: prk, info: Array("client_random".utf8) + h("0000000000000001"), length: 40))
    }

    func testLargeDrawsUseChunks() {
        var a = RandomSource(seed: 3, stream: "big")
        var b = RandomSource(seed: 3, stream: "big")
        let big = a.bytes(20_000, label: "payload")
        XCTAssertEqual(big.count, 20_000)
        XCTAssertEqual(big, b.bytes(20_000, label: "payload"))
        // The first chunk is not the plain expansion (chunks carry their own info), but is deterministic.
        var c = RandomSource(seed: 3, stream: "big")
        XCTAssertNotEqual(Array(big.prefix(32)), c.bytes(32, label: "payload"))
        XCTAssertNotEqual(Array(big[8160..<8192]), Array(big[0..<32]))
    }

    func testSystemSourceIsNotSeeded() {
        var system = RandomSource.system()
        XCTAssertFalse(system.isSeeded)
        let a = system.bytes(32, label: "x")
        let b = system.bytes(32, label: "x")
        XCTAssertEqual(a.count, 32)
        XCTAssertNotEqual(a, b)
    }
}
