/// Hex helpers shared by every layer. TLS is bytes; learners read hex.
extension Array where Element == UInt8 {
    /// Lower-case hex without separators: `"0a1b"`.
    public var hex: String {
        // Written straight into the string's storage: transcripts hold every record, message and secret as hex.
        String(unsafeUninitializedCapacity: count * 2) { out in
            var i = 0
            for byte in self {
                out[i] = hexDigit(byte >> 4)
                out[i + 1] = hexDigit(byte & 0x0f)
                i += 2
            }
            return i
        }
    }

    /// Parses hex, tolerating whitespace, colons, dashes and a leading `0x`. Returns nil on any other character
    /// or an odd number of digits.
    public init?(hex text: String) {
        var cleaned = Substring(text)
        if cleaned.hasPrefix("0x") || cleaned.hasPrefix("0X") { cleaned = cleaned.dropFirst(2) }
        var out: [UInt8] = []
        out.reserveCapacity(cleaned.utf8.count / 2)
        var high: UInt8?
        for c in cleaned.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"),
                UInt8(ascii: ":"), UInt8(ascii: "-"):
                continue
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        if high != nil { return nil }
        self = out
    }

    /// Hex grouped in bytes, truncated after `limit` bytes with a length note: `"16 03 01 … (517 bytes)"`.
    public func hexPreview(limit: Int = 16) -> String {
        let shown = self.prefix(limit).map { [$0].hex }.joined(separator: " ")
        if count <= limit { return shown }
        return "\(shown) … (\(count) bytes)"
    }
}

extension ArraySlice where Element == UInt8 {
    public var hex: String { Array(self).hex }
}

/// The ASCII lower-case hex digit of a nibble (0…15).
@inline(__always)
func hexDigit(_ nibble: UInt8) -> UInt8 { nibble < 10 ? 0x30 + nibble : 0x57 + nibble }

/// Byte strings in JSON are lower-case hex (readable, and what every TLS tool prints).
extension KeyedEncodingContainer {
    public mutating func encodeHex(_ bytes: [UInt8], forKey key: Key) throws {
        try encode(bytes.hex, forKey: key)
    }
    public mutating func encodeHexIfPresent(_ bytes: [UInt8]?, forKey key: Key) throws {
        try encodeIfPresent(bytes?.hex, forKey: key)
    }
}

extension KeyedDecodingContainer {
    public func decodeHex(forKey key: Key) throws -> [UInt8] {
        let text = try decode(String.self, forKey: key)
        guard let bytes = [UInt8](hex: text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not a hex string")
        }
        return bytes
    }
    public func decodeHexIfPresent(forKey key: Key) throws -> [UInt8]? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        return try decodeHex(forKey: key)
    }
}
