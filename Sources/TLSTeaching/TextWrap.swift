/// Word wrapping and column layout for the text renderers (terminal output, lesson scripts, quiz, compare).
public enum TextWrap {
    /// Wraps `text` at spaces so that no line is longer than `width` characters (a single longer word stays whole).
    /// `indent` starts the first line, `continuation` the following ones. Existing line breaks are kept.
    /// With `hard`, a word longer than a whole line is cut across lines (after a `_`, `/` or `-` where there is one).
    public static func wrap(
        _ text: String, width: Int, indent: String = "", continuation: String? = nil, hard: Bool = false
    ) -> [String] {
        let next = continuation ?? indent
        var out: [String] = []
        var first = true
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = first ? indent : next
            var lineHasWord = false
            var words = paragraph.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if hard {
                let room = max(1, width - next.count)
                words = words.flatMap { word -> [String] in
                    guard word.count > room else { return [word] }
                    var pieces: [String] = []
                    var rest = Substring(word)
                    while !rest.isEmpty {
                        // Cut after the last `_`, `/` or `-` that leaves at least half a line, so that names
                        // break between their parts (client_application_traffic_ | secret_0).
                        var cut = room
                        let head = rest.prefix(room)
                        if rest.count > room, let k = head.lastIndex(where: { "_/-".contains($0) }) {
                            let position = head.distance(from: head.startIndex, to: k) + 1
                            if position >= room / 2 { cut = position }
                        }
                        pieces.append(String(rest.prefix(cut)))
                        rest = rest.dropFirst(cut)
                    }
                    return pieces
                }
            }
            for word in words {
                if lineHasWord && line.count + 1 + word.count > width {
                    out.append(line)
                    line = next
                    lineHasWord = false
                }
                line += (lineHasWord ? " " : "") + word
                lineHasWord = true
            }
            out.append(line)
            first = false
        }
        return out
    }

    /// Joins `items` with ` · ` and wraps between items (never inside one), the first line starting with `indent`.
    public static func items(_ items: [String], width: Int, indent: String, continuation: String) -> [String] {
        var out: [String] = []
        var line = indent
        var lineHasItem = false
        for item in items {
            if lineHasItem && line.count + 3 + item.count + 2 > width {
                out.append(line + " ·")
                line = continuation
                lineHasItem = false
            }
            line += (lineHasItem ? " · " : "") + item
            lineHasItem = true
        }
        out.append(line)
        return out
    }

    /// Pads (or cuts, with `…`) `text` to exactly `width` characters.
    public static func pad(_ text: String, _ width: Int) -> String {
        if text.count == width { return text }
        if text.count < width { return text + String(repeating: " ", count: width - text.count) }
        guard width > 1 else { return String(text.prefix(width)) }
        return String(text.prefix(width - 1)) + "…"
    }

    /// A rule of `─` ending a heading, filling up to `width`.
    public static func rule(_ heading: String, width: Int) -> String {
        heading + " " + String(repeating: "─", count: max(3, width - heading.count - 1))
    }
}
