/// The drawing characters: Unicode box drawing and arrows under a UTF-8 locale, plain ASCII otherwise. Text from
/// the transcript goes through `sanitize`, which keeps one narrow printable character per cell (in ASCII mode it
/// transliterates what it can: `…` → `...`, `→` → `->`, `‖` → `||`).
public struct Glyphs: Sendable, Equatable {
    public let unicode: Bool

    public init(unicode: Bool) { self.unicode = unicode }

    public static let utf8 = Glyphs(unicode: true)
    public static let ascii = Glyphs(unicode: false)

    public var horizontal: Character { unicode ? "─" : "-" }
    public var vertical: Character { unicode ? "│" : "|" }
    public var topLeft: Character { unicode ? "┌" : "+" }
    public var topRight: Character { unicode ? "┐" : "+" }
    public var bottomLeft: Character { unicode ? "└" : "+" }
    public var bottomRight: Character { unicode ? "┘" : "+" }
    public var arrowRight: Character { unicode ? "▶" : ">" }
    public var arrowLeft: Character { unicode ? "◀" : "<" }
    public var expanded: Character { unicode ? "▾" : "-" }
    public var collapsed: Character { unicode ? "▸" : "+" }
    public var pointer: Character { unicode ? "▸" : ">" }
    public var newMark: Character { unicode ? "●" : "*" }
    public var flightTop: Character { unicode ? "┌" : "/" }
    public var flightMiddle: Character { unicode ? "│" : "|" }
    public var flightBottom: Character { unicode ? "└" : "\\" }
    public var flightSingle: Character { unicode ? "╶" : "-" }
    public var ellipsis: String { unicode ? "…" : "..." }
    public var dot: String { unicode ? " · " : " | " }
    public var rightArrow: String { unicode ? "→" : "->" }
    public var leftArrow: String { unicode ? "←" : "<-" }
    public var upDown: String { unicode ? "↑↓" : "Up/Dn" }
    public var enterKey: String { unicode ? "⏎" : "Enter" }

    /// The text as cells: control characters become `.`, combining marks are dropped, wide (East Asian, emoji)
    /// characters become `?`; in ASCII mode other non-ASCII characters are transliterated or become `?`.
    public func sanitize(_ text: String) -> [Character] {
        var out: [Character] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x80 {
                out.append(v < 0x20 || v == 0x7f ? "." : Character(scalar))
                continue
            }
            if v < 0xa0 { out.append("."); continue }
            if Glyphs.isCombining(v) { continue }
            if Glyphs.isWide(v) { out.append("?"); continue }
            if unicode {
                out.append(Character(scalar))
            } else {
                out.append(contentsOf: Glyphs.transliterate(scalar))
            }
        }
        return out
    }

    /// The text as it will appear on screen (same as `sanitize`, as a string).
    public func clean(_ text: String) -> String { String(sanitize(text)) }

    static func transliterate(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "…": return "..."
        case "—", "–", "─", "━", "‐", "−": return "-"
        case "‖": return "||"
        case "→", "⟶", "▶", "►": return "->"
        case "←", "⟵", "◀", "◄": return "<-"
        case "↔": return "<->"
        case "·", "•", "●": return "*"
        case "×": return "x"
        case "§": return "S"
        case "‘", "’", "′": return "'"
        case "“", "”", "″": return "\""
        case "≥": return ">="
        case "≤": return "<="
        case "≠": return "!="
        case "⊕": return "(+)"
        case "│", "┃", "║": return "|"
        case "┌", "┐", "└", "┘", "├", "┤", "┬", "┴", "┼": return "+"
        case "▸", "▾": return ">"
        case "\u{a0}": return " "
        case "é", "è", "ê": return "e"
        default: return "?"
        }
    }

    static func isCombining(_ v: UInt32) -> Bool {
        (0x0300...0x036f).contains(v) || (0x1ab0...0x1aff).contains(v) || (0x1dc0...0x1dff).contains(v)
            || (0x20d0...0x20ff).contains(v) || (0xfe20...0xfe2f).contains(v) || v == 0x200b || v == 0x200c
            || v == 0x200d || v == 0xfeff || (0xfe00...0xfe0f).contains(v)
    }

    /// East Asian wide and emoji ranges (the common ones; the rest of Unicode is treated as narrow).
    static func isWide(_ v: UInt32) -> Bool {
        (0x1100...0x115f).contains(v) || (0x2e80...0x303e).contains(v) || (0x3041...0x33ff).contains(v)
            || (0x3400...0x4dbf).contains(v) || (0x4e00...0x9fff).contains(v) || (0xa000...0xa4cf).contains(v)
            || (0xac00...0xd7a3).contains(v) || (0xf900...0xfaff).contains(v) || (0xfe30...0xfe4f).contains(v)
            || (0xff00...0xff60).contains(v) || (0xffe0...0xffe6).contains(v) || (0x1f300...0x1f64f).contains(v)
            || (0x1f900...0x1f9ff).contains(v) || (0x1f680...0x1f6ff).contains(v) || (0x20000...0x3fffd).contains(v)
            || (0x2600...0x26ff).contains(v) && Glyphs.emojiPresentation.contains(v)
    }

    /// Symbols in U+2600–26FF that terminals draw two cells wide.
    static let emojiPresentation: Set<UInt32> = [
        0x2614, 0x2615, 0x2648, 0x2649, 0x264a, 0x264b, 0x264c, 0x264d, 0x264e, 0x264f, 0x2650, 0x2651, 0x2652,
        0x2653, 0x267f, 0x2693, 0x26a1, 0x26aa, 0x26ab, 0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26d4, 0x26ea,
        0x26f2, 0x26f3, 0x26f5, 0x26fa, 0x26fd,
    ]
}
