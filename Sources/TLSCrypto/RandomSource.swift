import Crypto

/// Reproducible randomness: a scenario + seed gives the same bytes on every machine. Each draw is named, so adding
/// a draw elsewhere does not shift the others: output = HKDF-Expand(SHA-256, PRK = HKDF-Extract("tlslab", seed ‖
/// stream), info = label ‖ draw index, n). `system` uses the OS generator (for real peers).
///
/// Exact encoding (so another implementation can reproduce a run):
/// - salt = the 6 ASCII bytes `tlslab`; IKM = `seed` as 8 bytes big-endian ‖ UTF-8 of `stream`.
/// - info = UTF-8 of `label` ‖ draw index as 8 bytes big-endian, where the index counts earlier draws with the
///   same label on this source (0 for the first).
/// - Draws over 255 × 32 = 8160 bytes (HKDF-Expand's limit) are built from 8160-byte chunks, chunk j using
///   info ‖ j as 4 bytes big-endian.
public struct RandomSource: Sendable {
    /// HKDF keyed with the PRK once (nil: the system generator).
    private let prk: HKDFKey?
    private var drawCounts: [String: UInt64] = [:]

    public init(seed: UInt64, stream: String) {
        let seedBytes = (0..<8).map { UInt8(truncatingIfNeeded: seed >> (56 - 8 * $0)) }
        prk = HKDFKey(
            hash: .sha256,
            prk: HKDFKey.extract(hash: .sha256, salt: Array("tlslab".utf8), ikm: seedBytes + Array(stream.utf8)))
    }

    private init(system: Void) { prk = nil }

    /// Bytes from the operating system's generator (`SystemRandomNumberGenerator`): not reproducible.
    public static func system() -> RandomSource { RandomSource(system: ()) }

    public var isSeeded: Bool { prk != nil }

    /// `count` bytes for the draw named `label` (e.g. `client_random`, `x25519_private_key`).
    public mutating func bytes(_ count: Int, label: String) -> [UInt8] {
        guard count > 0 else { return [] }
        guard let prk else {
            var generator = SystemRandomNumberGenerator()
            return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        // One dictionary access: read the count and bump it.
        let index: UInt64 = { (count: inout UInt64) in
            defer { count += 1 }
            return count
        }(&drawCounts[label, default: 0])
        var info: [UInt8] = []
        info.reserveCapacity(label.utf8.count + 8)
        info.append(contentsOf: label.utf8)
        for shift in stride(from: 56, through: 0, by: -8) { info.append(UInt8(truncatingIfNeeded: index >> UInt64(shift))) }
        let maxChunk = 255 * SHA256.byteCount
        if count <= maxChunk {
            return prk.expand(info: info, length: count)
        }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var chunk: UInt32 = 0
        while out.count < count {
            let chunkInfo = info + (0..<4).map { UInt8(truncatingIfNeeded: chunk >> (24 - 8 * $0)) }
            out += prk.expand(info: chunkInfo, length: min(maxChunk, count - out.count))
            chunk += 1
        }
        return out
    }
}
