/// Hex as learners paste it (the input of `tlslab decode`).
extension Array where Element == UInt8 {
    /// Parses hex the way it comes out of tools: a hex stream (`160301…`), bytes separated by spaces, colons or
    /// dashes, `0x` before the whole text or before each byte (`0x16 0x03`), or a hex dump with an offset column
    /// and an ASCII column — Wireshark's "Copy as Hex Dump" (`0000   16 03 01 …   ....`), `hexdump -C`
    /// (`00000000  16 03 … |....|`) and `xxd` (`00000000: 1603 0100  ....`); the offsets and the ASCII are skipped.
    /// Returns nil when something else is in the way or a byte is missing a digit.
    public init?(pastedHex text: String) {
        let lines = text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map(String.init)
            .filter { !$0.allSatisfy(\.isWhitespace) }
        // `hexdump -C` and `hexdump` end with a line holding only the total length.
        let isLength = { (line: String) -> Bool in
            let t = line.trimmingSpaces
            return (4...8).contains(t.count) && t.allSatisfy(\.isHexDigit)
        }
        if let first = lines.first, Self.dumpOffset(first) == 0,
            lines.enumerated().allSatisfy({ Self.dumpOffset($1) != nil || ($0 == lines.count - 1 && $0 > 0 && isLength($1)) })
        {
            var out: [UInt8] = []
            for line in lines where Self.dumpOffset(line) != nil {
                guard let bytes = Self.dumpBytes(line) else { return nil }
                out += bytes
            }
            self = out
            return
        }
        // Not a dump: drop a `0x` in front of any byte or group, then the usual hex.
        let tokens = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "," })
        let cleaned = tokens.map { $0.hasPrefix("0x") || $0.hasPrefix("0X") ? $0.dropFirst(2) : $0 }
        guard let bytes = [UInt8](hex: cleaned.joined(separator: " ")) else { return nil }
        self = bytes
    }

    /// The offset at the start of a dump line (4 to 8 hex digits, an optional colon, then a space), if it has one.
    static func dumpOffset(_ line: String) -> Int? {
        let trimmed = line.drop { $0 == " " }
        let digits = trimmed.prefix { $0.isHexDigit }
        guard (4...8).contains(digits.count) else { return nil }
        var rest = trimmed.dropFirst(digits.count)
        if rest.first == ":" { rest = rest.dropFirst() }
        guard rest.first == " " else { return nil }
        return Int(digits, radix: 16)
    }

    /// The bytes of one dump line: after the offset, groups of hex digits up to the ASCII column, which starts
    /// after three spaces (Wireshark), at a `|` (`hexdump -C`), or after two spaces anywhere but in the middle of
    /// a 16-byte row (`xxd`; `hexdump -C` puts two spaces after the eighth byte); at most 16 bytes a line.
    static func dumpBytes(_ line: String) -> [UInt8]? {
        var rest = Substring(line).drop { $0 == " " }.drop { $0.isHexDigit }
        if rest.first == ":" { rest = rest.dropFirst() }
        var out: [UInt8] = []
        var spaces = 0
        var group = ""
        func flush() -> Bool {
            guard !group.isEmpty else { return true }
            guard group.count % 2 == 0, let bytes = [UInt8](hex: group) else { return false }
            out += bytes
            group = ""
            return true
        }
        for c in rest {
            if c == " " {
                if !group.isEmpty {
                    guard flush() else { return nil }
                }
                spaces += 1
                continue
            }
            if !out.isEmpty, spaces >= 3 || (spaces == 2 && out.count != 8) { break }
            if c == "|" || out.count >= 16 { break }
            spaces = 0
            guard c.isHexDigit else {
                // Not hex before any byte was read: not a dump line after all.
                if out.isEmpty && group.isEmpty { return nil }
                break
            }
            group.append(c)
        }
        guard flush() else { return nil }
        return out
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        let start = drop { $0 == " " || $0 == "\t" }
        return start.dropLast(start.reversed().prefix { $0 == " " || $0 == "\t" }.count)
    }
}
