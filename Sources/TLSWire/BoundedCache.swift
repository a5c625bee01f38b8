import Foundation

/// A small thread-safe memo for values that are expensive to rebuild from the same bytes (parsed certificates,
/// public keys): a server sees the same demo certificates in every handshake. Bounded: when it is full it
/// starts over, so a stream of distinct inputs (real peers' certificates) cannot grow it without limit.
public final class BoundedCache<Key: Hashable & Sendable, Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private let capacity: Int

    public init(capacity: Int = 128) { self.capacity = capacity }

    /// The cached value for `key`, or `make()`'s result (cached when it does not throw).
    public func value(for key: Key, make: () throws -> Value) rethrows -> Value {
        lock.lock()
        if let hit = entries[key] {
            lock.unlock()
            return hit
        }
        lock.unlock()
        let value = try make()
        lock.lock()
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
        lock.unlock()
        return value
    }
}

/// Bytes as a dictionary key, hashed in one pass over the buffer (`[UInt8]`'s own `Hashable` feeds the hasher one
/// byte at a time, which made looking up a cached certificate cost as much as parsing a small one).
public struct ByteKey: Hashable, Sendable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(bytes.count)
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }
    public static func == (a: ByteKey, b: ByteKey) -> Bool { a.bytes == b.bytes }
}

/// Dates as UTC text without Foundation's formatters (creating a `DateFormatter` or `Calendar` costs more than a
/// whole handshake's bookkeeping). Proleptic Gregorian calendar, days from civil (H. Hinnant's algorithm).
public enum UTCDate {
    /// (year, month, day, hour, minute, second) of `secondsSince1970`.
    public static func components(_ secondsSince1970: Double) -> (Int, Int, Int, Int, Int, Int) {
        let total = Int(secondsSince1970.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day, rest / 3600, rest % 3600 / 60, rest % 60)
    }

    /// `2026-06-01T12:00:00Z`.
    public static func iso8601(_ secondsSince1970: Double) -> String {
        let (y, mo, d, h, mi, s) = components(secondsSince1970)
        return "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))Z"
    }

    /// `2025-01-01` at midnight UTC, else `2025-01-01 13:45:00 UTC`.
    public static func readable(_ secondsSince1970: Double) -> String {
        let (y, mo, d, h, mi, s) = components(secondsSince1970)
        let day = "\(pad(y, 4))-\(pad(mo, 2))-\(pad(d, 2))"
        if h == 0 && mi == 0 && s == 0 { return day }
        return day + " \(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2)) UTC"
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let digits = String(v)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
