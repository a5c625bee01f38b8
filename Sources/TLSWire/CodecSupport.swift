// Shared helpers for the message and extension codecs: how values are rendered in field trees, and small
// ByteReader conveniences that read one named field and record it.

extension Array where Element == UInt8 {
    /// How a byte string is shown as a field value: full hex up to 64 bytes, a preview with the length beyond
    /// that, `(empty)` for no bytes.
    public var fieldValue: String {
        if isEmpty { return "(empty)" }
        if count <= 64 { return hex }
        return hexPreview()
    }
}

/// Value renderers used by the codecs (kept in one place so every tree reads the same way).
enum Render {
    static func bytes(_ b: [UInt8]) -> String { b.fieldValue }

    static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
        "\(n) \(n == 1 ? singular : (plural ?? singular + "s"))"
    }

    static func list<T: TLSCodePoint>(_ items: [T]) -> String {
        items.isEmpty ? "(none)" : items.map(\.description).joined(separator: ", ")
    }

    /// Text that came from the wire (host names, ALPN ids): shown quoted only when it holds unusual characters.
    static func text(_ bytes: [UInt8]) -> String {
        let printable = bytes.allSatisfy { $0 >= 0x20 && $0 < 0x7f }
        return printable ? String(decoding: bytes, as: UTF8.self) : "0x" + bytes.hex
    }
}

extension ByteReader {
    /// Reads a code point (1 or 2 bytes, by the type's width) as one recorded field, shown as `name (0x....)`.
    mutating func codePoint<T: TLSCodePoint>(_ key: String, _ name: String? = nil, as type: T.Type = T.self)
        throws -> T
    {
        try field(key, name, value: { (v: T) in v.labelled }) { r in
            let raw = try r.uint(size: MemoryLayout<T.RawValue>.size)
            return T(rawValue: T.RawValue(truncatingIfNeeded: raw))
        }
    }

    /// Reads an unsigned integer of `size` bytes as one recorded field, shown in decimal (with a unit).
    mutating func integer(_ key: String, _ name: String? = nil, size: Int, unit: String = "") throws -> Int {
        try field(key, name, value: { (v: Int) in unit.isEmpty ? "\(v)" : "\(v) \(unit)" }) { r in
            try r.uint(size: size)
        }
    }

    /// Reads exactly `count` bytes as one recorded field.
    mutating func fixedBytes(_ key: String, _ name: String? = nil, count: Int, _ what: String) throws -> [UInt8] {
        try field(key, name, value: Render.bytes) { r in try r.bytes(count, what) }
    }

    /// Reads a length-prefixed opaque vector `<min..max>` as one recorded field (the node covers the length
    /// prefix and the content).
    mutating func opaqueField(
        _ key: String, _ name: String? = nil, lengthSize: Int, min: Int = 0, max: Int = Int.max, _ what: String,
        render: ([UInt8]) -> String = Render.bytes
    ) throws -> [UInt8] {
        try field(key, name, value: render) { r in
            try r.opaque(lengthSize: lengthSize, min: min, max: max, what)
        }
    }

    /// Reads a length-prefixed list `<min..max>` as one recorded field whose children are the items.
    /// `itemSize` (for fixed-size items) turns a length that is not a multiple of it into a clear decode_error.
    mutating func listField<T>(
        _ key: String, _ name: String? = nil, lengthSize: Int, min: Int = 0, max: Int = Int.max,
        itemSize: Int? = nil, _ what: String, summary: ([T]) -> String,
        item: (inout ByteReader) throws -> T
    ) throws -> [T] {
        try field(key, name, value: summary) { r in
            if let itemSize, let prefix = r.peek(lengthSize) {
                let length = prefix.reduce(0) { $0 << 8 | Int($1) }
                if length % itemSize != 0 {
                    throw DecodeError(
                        offset: r.position,
                        reason: "\(what) has length \(length), which is not a multiple of \(itemSize) "
                            + "(each entry is \(itemSize) byte\(itemSize == 1 ? "" : "s"))")
                }
            }
            return try r.vector(lengthSize: lengthSize, min: min, max: max, what) { inner in
                try inner.list(item)
            }
        }
    }

    /// Reads the rest of the current vector as one recorded field.
    mutating func restField(_ key: String, _ name: String? = nil, render: ([UInt8]) -> String = Render.bytes)
        -> [UInt8]
    {
        // `rest()` cannot fail, so neither can this field.
        (try? field(key, name, value: render) { r in r.rest() }) ?? []
    }
}
