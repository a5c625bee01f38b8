/// One decoded field of a TLS structure: its name, rendered value, a short meaning, and the exact bytes it came
/// from. The UI highlights `offset..<offset+length` in the hex pane; exporters print the tree as a table.
///
/// Offsets are relative to the buffer the structure was decoded from (a whole record for record headers, the
/// message's own bytes — 4-byte header included — for handshake messages).
public struct FieldNode: Codable, Sendable, Equatable {
    /// Stable identifier used to look up explanations, e.g. `client_hello.random` or `ext.key_share.group`.
    public var key: String
    /// Display name, e.g. `random` or `key_share`.
    public var name: String
    /// Rendered value, e.g. `0x0303 (TLS 1.2)`.
    public var value: String
    /// One short sentence: what this field is for. Filled from `FieldCatalog` when decoding.
    public var meaning: String?
    public var offset: Int
    public var length: Int
    public var children: [FieldNode]

    public init(
        key: String, name: String, value: String, meaning: String? = nil, offset: Int, length: Int,
        children: [FieldNode] = []
    ) {
        self.key = key
        self.name = name
        self.value = value
        self.meaning = meaning ?? FieldCatalog.meaning(for: key)
        self.offset = offset
        self.length = length
        self.children = children
    }

    public var range: Range<Int> { offset..<(offset + length) }

    /// Depth-first walk, parents before children.
    public func walk(_ visit: (FieldNode, Int) -> Void, depth: Int = 0) {
        visit(self, depth)
        for child in children { child.walk(visit, depth: depth + 1) }
    }

    /// Every node in the tree, depth-first.
    public var flattened: [FieldNode] {
        var out: [FieldNode] = []
        walk { node, _ in out.append(node) }
        return out
    }

    /// Returns a copy with every offset shifted by `delta` (to place a message's tree inside its record).
    public func shifted(by delta: Int) -> FieldNode {
        var copy = self
        copy.offset += delta
        copy.children = children.map { $0.shifted(by: delta) }
        return copy
    }

    /// First node (depth-first) whose key equals `key`.
    public func first(key: String) -> FieldNode? {
        if self.key == key { return self }
        for child in children { if let found = child.first(key: key) { return found } }
        return nil
    }
}
