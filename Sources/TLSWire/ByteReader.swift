/// Reads TLS presentation-language structures (RFC 8446 §3) from a byte buffer and, as it goes, records a
/// `FieldNode` for every field a decoder names. Never traps on bad input: every read is bounds-checked and a
/// short read throws a `DecodeError` with the offset and a learner-readable reason.
public struct ByteReader: Sendable {
    public let buffer: [UInt8]
    /// Next byte to read (an index into `buffer`).
    public private(set) var position: Int
    /// One past the last byte this reader may consume (a length-prefixed vector narrows it).
    public private(set) var limit: Int
    /// Fields recorded at the current nesting level.
    public private(set) var recorded: [FieldNode] = []
    /// Whether `field` builds `FieldNode`s. A protocol endpoint only needs the values; the transcript needs the
    /// tree (rendering every value as text is most of a decoder's cost).
    public let recordsFields: Bool

    public init(_ buffer: [UInt8], recordsFields: Bool = true) {
        self.buffer = buffer
        self.position = 0
        self.limit = buffer.count
        self.recordsFields = recordsFields
    }

    public var remaining: Int { limit - position }
    public var isAtEnd: Bool { position >= limit }

    // MARK: - Primitives

    public mutating func u8() throws -> UInt8 {
        try need(1, "a 1-byte value")
        defer { position += 1 }
        return buffer[position]
    }

    public mutating func u16() throws -> UInt16 {
        try need(2, "a 2-byte value")
        defer { position += 2 }
        return UInt16(buffer[position]) << 8 | UInt16(buffer[position + 1])
    }

    public mutating func u24() throws -> Int {
        try need(3, "a 3-byte length")
        defer { position += 3 }
        return Int(buffer[position]) << 16 | Int(buffer[position + 1]) << 8 | Int(buffer[position + 2])
    }

    public mutating func u32() throws -> UInt32 {
        try need(4, "a 4-byte value")
        defer { position += 4 }
        var v: UInt32 = 0
        for i in 0..<4 { v = v << 8 | UInt32(buffer[position + i]) }
        return v
    }

    /// Reads an unsigned integer of `size` (1, 2, 3 or 4) bytes.
    public mutating func uint(size: Int) throws -> Int {
        switch size {
        case 1: return Int(try u8())
        case 2: return Int(try u16())
        case 3: return try u24()
        default: return Int(try u32())
        }
    }

    public mutating func bytes(_ count: Int, _ what: String = "bytes") throws -> [UInt8] {
        try need(count, "\(count) bytes of \(what)")
        defer { position += count }
        return Array(buffer[position..<(position + count)])
    }

    /// The rest of the current vector (or buffer).
    public mutating func rest() -> [UInt8] {
        defer { position = limit }
        return Array(buffer[position..<limit])
    }

    /// Peeks without consuming.
    public func peek(_ count: Int) -> [UInt8]? {
        guard count <= remaining else { return nil }
        return Array(buffer[position..<(position + count)])
    }

    // MARK: - Vectors

    /// Reads a length-prefixed vector `<min..max>` whose length occupies `lengthSize` bytes and lets `body` decode
    /// its content with a reader narrowed to exactly that content. Content left unread is a `decode_error`.
    public mutating func vector<T>(
        lengthSize: Int, min: Int = 0, max: Int = Int.max, _ what: String = "vector",
        _ body: (inout ByteReader) throws -> T
    ) throws -> T {
        let lengthOffset = position
        let length = try uint(size: lengthSize)
        if length < min {
            throw DecodeError(
                offset: lengthOffset, reason: "\(what) has length \(length), the minimum is \(min)")
        }
        if length > max {
            throw DecodeError(
                offset: lengthOffset, reason: "\(what) has length \(length), the maximum is \(max)")
        }
        guard length <= remaining else {
            throw DecodeError(
                offset: lengthOffset,
                reason: "\(what) claims \(length) bytes but only \(remaining) remain")
        }
        var inner = self
        inner.limit = position + length
        inner.recorded = []
        let value: T
        do {
            value = try body(&inner)
        } catch var error as DecodeError {
            // Keep the items decoded before the failure (siblings of the one that failed).
            error.partialFields = inner.recorded + error.partialFields
            throw error
        }
        if inner.position != inner.limit {
            throw DecodeError(
                offset: inner.position,
                reason: "\(inner.limit - inner.position) unexpected bytes at the end of \(what)")
        }
        recorded.append(contentsOf: inner.recorded)
        position = inner.limit
        return value
    }

    /// Reads a length-prefixed opaque vector.
    public mutating func opaque(lengthSize: Int, min: Int = 0, max: Int = Int.max, _ what: String = "vector")
        throws -> [UInt8]
    {
        try vector(lengthSize: lengthSize, min: min, max: max, what) { $0.rest() }
    }

    /// Decodes items until the current vector is exhausted.
    public mutating func list<T>(_ item: (inout ByteReader) throws -> T) throws -> [T] {
        var out: [T] = []
        while !isAtEnd { out.append(try item(&self)) }
        return out
    }

    // MARK: - Field recording

    /// Decodes one named field and records it, with the bytes it covered, as a `FieldNode`. Fields recorded inside
    /// `body` become the node's children. Errors thrown inside get `name` prepended to their path.
    public mutating func field<T>(
        _ key: String, _ name: String? = nil, value render: (T) -> String,
        _ body: (inout ByteReader) throws -> T
    ) throws -> T {
        guard recordsFields else {
            do {
                return try body(&self)
            } catch var error as DecodeError {
                error.path.insert(name ?? Self.lastComponent(key), at: 0)
                throw error
            }
        }
        let start = position
        let outer = recorded
        recorded = []
        let value: T
        do {
            value = try body(&self)
        } catch var error as DecodeError {
            error.path.insert(name ?? Self.lastComponent(key), at: 0)
            // Wrap what was decoded inside this field before the failure into an "incomplete" node.
            let end = Swift.max(start, Swift.min(Swift.max(error.offset, position), buffer.count))
            let partial = FieldNode(
                key: key, name: name ?? Self.lastComponent(key), value: "(incomplete: decoding stopped here)",
                offset: start, length: end - start, children: recorded + error.partialFields)
            error.partialFields = [partial]
            recorded = outer
            throw error
        }
        let node = FieldNode(
            key: key, name: name ?? Self.lastComponent(key), value: render(value), offset: start,
            length: position - start, children: recorded)
        recorded = outer
        recorded.append(node)
        return value
    }

    /// Records a node for bytes already consumed (for example, a value whose rendering needs later context).
    public mutating func record(_ node: @autoclosure () -> FieldNode) {
        guard recordsFields else { return }
        recorded.append(node())
    }

    /// Removes and returns the recorded fields (to wrap them into a parent node built by hand).
    public mutating func takeRecorded() -> [FieldNode] {
        defer { recorded = [] }
        return recorded
    }

    /// Throws unless every byte was consumed.
    public func expectEnd(_ what: String) throws {
        if position != limit {
            throw DecodeError(offset: position, reason: "\(limit - position) unexpected bytes after \(what)")
        }
    }

    private func need(_ count: Int, _ what: String) throws {
        if count < 0 || count > remaining {
            throw DecodeError(
                offset: position,
                reason: "truncated: expected \(what) but only \(Swift.max(remaining, 0)) \(remaining == 1 ? "byte remains" : "bytes remain")")
        }
    }

    static func lastComponent(_ key: String) -> String {
        if let dot = key.lastIndex(of: ".") { return String(key[key.index(after: dot)...]) }
        return key
    }
}
