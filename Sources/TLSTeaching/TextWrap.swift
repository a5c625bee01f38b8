/// Word wrapping and column layout for the text renderers (terminal output, lesson scripts, quiz, compare).
public enum TextWrap {
    /// Wraps `text` at spaces so that no line is longer than `width` characters (a single longer word stays whole).
    /// `indent` starts the first line, `continuation` the following ones. Existing line breaks are kept.
    public static func wrap(_ text: String, width: Int, indent: String = "", continuation: String? = nil) -> [String] {
        let next = continuation ?? indent
        var out: [String] = []
        var first = true
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = first ? indent : next
            var lineHasWord = false
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: true) {
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
