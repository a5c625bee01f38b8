/// Word wrapping and truncation in columns (one column per sanitized character; see `Glyphs.sanitize`).
public enum TextLayout {
    /// Wraps `text` into lines of at most `width` columns, breaking at spaces; words longer than a line are cut.
    /// Explicit line breaks are kept.
    public static func wrap(_ text: String, width: Int, glyphs: Glyphs) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line: [Character] = []
            for word in glyphs.sanitize(String(paragraph)).split(separator: " ", omittingEmptySubsequences: false) {
                var word = Array(word)
                if line.isEmpty {
                    // fallthrough to placement below
                } else if line.count + 1 + word.count <= width {
                    line.append(" ")
                    line.append(contentsOf: word)
                    continue
                } else {
                    lines.append(String(line))
                    line = []
                }
                while word.count > width {
                    lines.append(String(word.prefix(width)))
                    word.removeFirst(width)
                }
                line = word
            }
            lines.append(String(line))
        }
        return lines
    }

    /// The text cut to `width` columns, ending in an ellipsis when cut.
    public static func truncate(_ text: String, width: Int, glyphs: Glyphs) -> String {
        let chars = glyphs.sanitize(text)
        guard chars.count > width else { return String(chars) }
        guard width > 0 else { return "" }
        let ellipsis = glyphs.sanitize(glyphs.ellipsis)
        if width <= ellipsis.count { return String(chars.prefix(width)) }
        return String(chars.prefix(width - ellipsis.count)) + String(ellipsis)
    }

    /// Pads with spaces (or cuts) to exactly `width` columns.
    public static func pad(_ text: String, _ width: Int, glyphs: Glyphs) -> String {
        let chars = glyphs.sanitize(text)
        if chars.count >= width { return String(chars.prefix(width)) }
        return String(chars) + String(repeating: " ", count: width - chars.count)
    }

    /// Wraps, then keeps at most `maxLines` lines, ending the last kept one in an ellipsis if text was dropped.
    public static func wrap(_ text: String, width: Int, maxLines: Int, glyphs: Glyphs) -> [String] {
        let lines = wrap(text, width: width, glyphs: glyphs)
        guard lines.count > maxLines, maxLines > 0 else { return lines }
        var kept = Array(lines.prefix(maxLines))
        let ellipsis = glyphs.sanitize(glyphs.ellipsis)
        let last = glyphs.sanitize(kept[maxLines - 1])
        kept[maxLines - 1] = String(last.prefix(max(0, width - ellipsis.count))) + String(ellipsis)
        return kept
    }
}

/// Small formatting helpers shared by the panes.
enum Format {
    static let hexDigits: [Character] = Array("0123456789abcdef")

    static func hex(_ byte: UInt8) -> String {
        String([hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0x0f)]])
    }

    static func hex(_ bytes: [UInt8]) -> String {
        var s = ""
        s.reserveCapacity(bytes.count * 2)
        for b in bytes { s.append(hexDigits[Int(b >> 4)]); s.append(hexDigits[Int(b & 0x0f)]) }
        return s
    }

    /// `n byte` / `n bytes`.
    static func bytes(_ n: Int) -> String { n == 1 ? "1 byte" : "\(n) bytes" }

    /// `bytes 5-8`, or `byte 20` for a single byte.
    static func span(_ range: Range<Int>) -> String {
        range.count == 1 ? "byte \(range.lowerBound)" : "bytes \(range.lowerBound)-\(range.upperBound - 1)"
    }

    /// Right-aligns a number in `width` columns.
    static func rightAligned(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return ""
        case 1: return items[0]
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }

    /// A printable one-line rendering of bytes that are mostly text: CR, LF and tab as `\r`, `\n`, `\t`.
    static func printable(_ bytes: [UInt8]) -> String {
        var out = ""
        for b in bytes {
            switch b {
            case 0x0d: out += "\\r"
            case 0x0a: out += "\\n"
            case 0x09: out += "\\t"
            case 0x20...0x7e: out.append(Character(Unicode.Scalar(b)))
            default: out += "."
            }
        }
        return out
    }

    /// Capitalizes the first letter.
    static func capitalized(_ s: String) -> String {
        guard let first = s.first else { return s }
        return first.uppercased() + s.dropFirst()
    }
}
