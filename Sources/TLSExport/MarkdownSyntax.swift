/// GitHub Flavored Markdown building blocks for the handout: escaping, code spans, table cells, heading anchors,
/// hex dumps. Everything that goes into the document passes through here, so the rules live in one place:
///
/// - No control characters: C0/C1 controls, DEL, line/paragraph separators and bidi overrides become visible
///   escapes (`\x0d`, `\u{202e}`), so a hostile or odd value cannot break the layout or hide text.
/// - Text is escaped so that it renders literally (no accidental emphasis, links, HTML, autolinks or math).
/// - In table cells every `|` is escaped (`\|`), also inside code spans, as the GFM table extension requires.
enum MD {
    // MARK: Sanitizing

    /// One line of text with every control character made visible; line breaks become spaces.
    static func line(_ text: String) -> String {
        // Almost every string is clean: check without copying.
        if !text.unicodeScalars.contains(where: { isUnsafe($0) }) { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x0a, 0x0d: out.append(" ")
            case 0x09: out.append(" ")
            default:
                if isUnsafe(scalar) { appendEscape(scalar, to: &out) } else { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    /// Lines of text (split at LF, CR LF or CR) with every other control character made visible.
    static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = ""
        var previousCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                if !previousCR { lines.append(current) }
                current = ""
                previousCR = false
                continue
            }
            if scalar == "\r" {
                lines.append(current)
                current = ""
                previousCR = true
                continue
            }
            previousCR = false
            if scalar == "\t" {
                current.append("    ")
            } else if isUnsafe(scalar) {
                appendEscape(scalar, to: &current)
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// C0 and C1 controls, DEL, the Unicode line and paragraph separators, and bidirectional formatting
    /// characters (which can make text display in a different order than it is stored).
    static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1f, 0x7f...0x9f: return true
        case 0x2028, 0x2029: return true
        case 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069, 0x061c: return true
        case 0xfeff: return true
        default: return false
        }
    }

    private static func appendEscape(_ scalar: Unicode.Scalar, to out: inout String) {
        let digits = Array("0123456789abcdef")
        if scalar.value <= 0xff {
            out.append("\\x")
            out.append(digits[Int(scalar.value >> 4)])
            out.append(digits[Int(scalar.value & 0xf)])
        } else {
            out.append("\\u{")
            out.append(String(scalar.value, radix: 16))
            out.append("}")
        }
    }

    // MARK: Inline text

    /// Text that renders literally: Markdown punctuation is backslash-escaped, and so are the starts of GitHub's
    /// autolinks (`www.`, `http:`, `@`) and math (`$`). Safe at the start of a line and inside table cells.
    static func text(_ raw: String) -> String {
        // Everything escaped is ASCII, so work on UTF-8 bytes (multi-byte characters pass through unchanged).
        let bytes = Array(line(raw).utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        let backslash = UInt8(ascii: "\\")
        for i in bytes.indices {
            let c = bytes[i]
            switch c {
            case UInt8(ascii: "_"):
                // Between ASCII letters or digits an underscore cannot start or end emphasis (client_random).
                let inWord = i > 0 && i + 1 < bytes.count && isASCIIAlphanumeric(bytes[i - 1])
                    && isASCIIAlphanumeric(bytes[i + 1])
                if !inWord { out.append(backslash) }
            case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "["), UInt8(ascii: "]"),
                UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "#"), UInt8(ascii: "~"), UInt8(ascii: "&"),
                UInt8(ascii: "|"), UInt8(ascii: "$"), UInt8(ascii: "@"), UInt8(ascii: "!"), UInt8(ascii: "{"),
                UInt8(ascii: "}"):
                out.append(backslash)
            case UInt8(ascii: "."):
                // "www." would become a link.
                if i >= 3, bytes[(i - 3)..<i].allSatisfy({ $0 | 0x20 == UInt8(ascii: "w") }) { out.append(backslash) }
            case UInt8(ascii: ":"):
                // "http://…" would become a link.
                if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "/"), bytes[i + 2] == UInt8(ascii: "/") {
                    out.append(backslash)
                }
            default:
                break
            }
            out.append(c)
        }
        // Constructs that only matter at the start of a line: lists, headings, block quotes, thematic breaks.
        if let first = out.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: "=") {
            out.insert(backslash, at: 0)
        } else {
            let digits = out.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            if digits > 0, digits <= 9, digits < out.count,
                out[digits] == UInt8(ascii: ".") || out[digits] == UInt8(ascii: ")")
            {
                out.insert(backslash, at: digits)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func isASCIIAlphanumeric(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
            || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9"))
    }

    /// An inline code span showing `raw` literally. In a table cell, pipes are escaped (GFM requires it even
    /// inside code spans and removes the backslash).
    static func code(_ raw: String, inTable: Bool = false) -> String {
        var content = line(raw)
        if content.isEmpty { content = " " }
        var longest = 0
        var run = 0
        for c in content.utf8 {
            if c == UInt8(ascii: "`") {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = content.hasPrefix("`") || content.hasSuffix("`") || (content.hasPrefix(" ") && content.hasSuffix(" ") && content != " ")
        if inTable && content.contains("|") {
            var escaped = ""
            for c in content {
                if c == "|" { escaped.append("\\") }
                escaped.append(c)
            }
            content = escaped
        }
        return pad ? "\(fence) \(content) \(fence)" : "\(fence)\(content)\(fence)"
    }

    // MARK: Headings

    /// The anchor GitHub gives a heading with this (rendered) text: lower-cased; every character that is not a
    /// letter, mark, decimal digit, connector punctuation (`_`), hyphen or space removed; spaces turned into
    /// hyphens. (GitHub's html-pipeline: `downcase.gsub(/[^\p{Word}\- ]/u, '').tr(' ', '-')`.)
    static func slug(_ heading: String) -> String {
        var out = ""
        for scalar in heading.lowercased().unicodeScalars {
            if scalar == " " {
                out.append("-")
                continue
            }
            if scalar == "-" {
                out.append("-")
                continue
            }
            switch scalar.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
                .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
                out.unicodeScalars.append(scalar)
            default:
                continue
            }
        }
        return out
    }

    /// Assigns anchors in document order the way GitHub does: the second heading with the same slug gets `-1`,
    /// the third `-2`, and so on.
    struct Anchors {
        private var used: [String: Int] = [:]
        private var taken: Set<String> = []

        mutating func anchor(for heading: String) -> String {
            let base = MD.slug(heading)
            var candidate = base
            if taken.contains(base) {
                var n = used[base, default: 0]
                repeat {
                    n += 1
                    candidate = "\(base)-\(n)"
                } while taken.contains(candidate)
                used[base] = n
            }
            taken.insert(candidate)
            return candidate
        }
    }

    // MARK: Hex

    private static let hexDigits: [Character] = Array("0123456789abcdef")

    /// Lower-case hex of `bytes` with masked bytes shown as `__`.
    static func hex<C: Collection>(_ bytes: C, masked: [Bool]? = nil, startingAt base: Int = 0) -> String
    where C.Element == UInt8 {
        var out = ""
        out.reserveCapacity(bytes.count * 2)
        for (i, b) in bytes.enumerated() {
            if let masked, base + i < masked.count, masked[base + i] {
                out.append("__")
            } else {
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0x0f)])
            }
        }
        return out
    }

    /// Appends an xxd-style dump, 16 bytes a line: offset, two groups of 8 bytes, and the bytes as ASCII.
    /// Masked bytes appear as `__` (and `_` in the ASCII column).
    static func appendHexDump(_ bytes: [UInt8], masked: [Bool]?, indent: String, to out: inout String) {
        let width = max(4, String(max(bytes.count - 1, 0), radix: 16).count)
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + 16, bytes.count)
            out.append(indent)
            let label = String(offset, radix: 16)
            out.append(String(repeating: "0", count: max(0, width - label.count)))
            out.append(label)
            out.append("  ")
            var ascii = ""
            for i in offset..<(offset + 16) {
                if i == offset + 8 { out.append(" ") }
                if i < end {
                    let hidden = masked.map { i < $0.count && $0[i] } ?? false
                    if hidden {
                        out.append("__ ")
                        ascii.append("_")
                    } else {
                        let b = bytes[i]
                        out.append(hexDigits[Int(b >> 4)])
                        out.append(hexDigits[Int(b & 0x0f)])
                        out.append(" ")
                        ascii.append(b >= 0x20 && b < 0x7f ? Character(Unicode.Scalar(b)) : ".")
                    }
                } else {
                    out.append("   ")
                }
            }
            out.append(" |")
            out.append(ascii)
            out.append("|\n")
            offset = end
        }
    }
}
