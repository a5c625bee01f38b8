import Foundation
import XCTest

/// Checks of a Markdown document written for these tests, independently of the exporter: GFM tables read from the
/// source, fenced code blocks, Mermaid sequence diagrams, control characters, and GitHub's heading anchors
/// computed from the HTML that cmark-gfm renders.
enum MarkdownChecks {
    struct SourceTable {
        var line: Int
        var header: [String]
        var rows: [[String]]
    }

    struct Fence {
        var line: Int
        var info: String
        var content: [String]
    }

    /// Splits a table row at unescaped pipes, as cmark-gfm's table extension does: `\|` is a pipe inside a cell
    /// (also inside code spans); any other backslash is an ordinary character here. The outer pipes are
    /// delimiters, not empty cells.
    static func cells(_ row: String) -> [String] {
        var cells: [String] = []
        var current = ""
        let chars = Array(row)
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            if c == "\\", i < chars.count, chars[i] == "|" {
                current.append("\\|")
                i += 1
            } else if c == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        cells.append(current)
        // "| a | b |" → ["", " a ", " b ", ""]: the pieces outside the outer pipes are not cells.
        let trimmed = row.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("|"), !cells.isEmpty { cells.removeFirst() }
        if trimmed.hasSuffix("|"), !trimmed.hasSuffix("\\|"), !cells.isEmpty { cells.removeLast() }
        return cells
    }

    static func isDelimiterRow(_ line: String) -> Bool {
        let t = line.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("|"), t.contains("-") else { return false }
        return t.allSatisfy { "|-: ".contains($0) }
    }

    /// Fenced code blocks (``` or ~~~, any indentation up to the list nesting used here) and the tables outside
    /// them. Fails the test on a fence that never closes.
    static func scan(_ markdown: String, file: StaticString = #filePath, line: UInt = #line)
        -> (tables: [SourceTable], fences: [Fence])
    {
        let lines = markdown.components(separatedBy: "\n")
        var tables: [SourceTable] = []
        var fences: [Fence] = []
        var i = 0
        while i < lines.count {
            let raw = lines[i]
            let trimmed = raw.drop { $0 == " " }
            let indent = raw.count - trimmed.count
            if let marker = trimmed.first, marker == "`" || marker == "~" {
                let run = trimmed.prefix { $0 == marker }.count
                if run >= 3 {
                    let info = String(trimmed.dropFirst(run)).trimmingCharacters(in: .whitespaces)
                    var content: [String] = []
                    var j = i + 1
                    var closed = false
                    while j < lines.count {
                        let l = lines[j].drop { $0 == " " }
                        if l.first == marker, l.prefix(while: { $0 == marker }).count >= run,
                            l.drop(while: { $0 == marker }).allSatisfy({ $0 == " " })
                        {
                            closed = true
                            break
                        }
                        content.append(String(lines[j].dropFirst(min(indent, lines[j].prefix { $0 == " " }.count))))
                        j += 1
                    }
                    XCTAssertTrue(closed, "code block opened at line \(i + 1) never closes", file: file, line: line)
                    fences.append(Fence(line: i + 1, info: info, content: content))
                    i = j + 1
                    continue
                }
            }
            if trimmed.hasPrefix("|"), i + 1 < lines.count, isDelimiterRow(lines[i + 1]) {
                let header = cells(String(trimmed))
                var rows: [[String]] = []
                var j = i + 2
                while j < lines.count {
                    let row = lines[j].drop { $0 == " " }
                    guard row.hasPrefix("|") else { break }
                    rows.append(cells(String(row)))
                    j += 1
                }
                XCTAssertEqual(
                    cells(lines[i + 1].trimmingCharacters(in: .whitespaces)).count, header.count,
                    "delimiter row of the table at line \(i + 1)", file: file, line: line)
                tables.append(SourceTable(line: i + 1, header: header, rows: rows))
                i = j
                continue
            }
            i += 1
        }
        return (tables, fences)
    }

    // MARK: HTML

    static func matches(_ pattern: String, in text: String, options: NSRegularExpression.Options = []) -> [[String]] {
        guard let regex = try? NSRegularExpression(pattern: pattern, options: options) else { return [] }
        let ns = text as NSString
        return regex.matches(in: text, range: NSRange(location: 0, length: ns.length)).map { m in
            (0..<m.numberOfRanges).map { m.range(at: $0).location == NSNotFound ? "" : ns.substring(with: m.range(at: $0)) }
        }
    }

    static func decodeEntities(_ html: String) -> String {
        html.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func stripTags(_ html: String) -> String {
        html.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
    }

    /// GitHub's heading anchor: lower case, drop everything but letters, marks, decimal digits, `_`, `-` and
    /// spaces, spaces to hyphens; repeated anchors get `-1`, `-2`, … (html-pipeline's TableOfContentsFilter).
    static func githubSlug(_ text: String) -> String {
        var out = ""
        for s in text.lowercased().unicodeScalars {
            switch s.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark,
                .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
                out.unicodeScalars.append(s)
            default:
                if s == "-" { out.append("-") } else if s == " " { out.append("-") }
            }
        }
        return out
    }

    /// Anchors of every heading in the rendered HTML, in order.
    static func headingAnchors(_ html: String) -> [(text: String, anchor: String)] {
        var counts: [String: Int] = [:]
        var out: [(String, String)] = []
        for m in matches("<h([1-6])>(.*?)</h\\1>", in: html, options: [.dotMatchesLineSeparators]) {
            let text = decodeEntities(stripTags(m[2]))
            let base = githubSlug(text)
            var anchor = base
            if let n = counts[base] {
                anchor = "\(base)-\(n + 1)"
                counts[base] = n + 1
            } else {
                counts[base] = 0
            }
            out.append((text, anchor))
        }
        return out
    }

    // MARK: Mermaid

    /// Problems of a Mermaid sequence diagram: only `participant` lines with safe names, messages between declared
    /// participants with an arrow of a valid form, notes; message texts without characters that end a statement
    /// or start a comment or entity (`;`, `#`, `%`), quotes, angle brackets or backticks — except Mermaid's own
    /// entity codes such as `#59;`.
    static func mermaidProblems(_ lines: [String]) -> [String] {
        var problems: [String] = []
        guard lines.first == "sequenceDiagram" else { return ["the diagram does not start with sequenceDiagram"] }
        var participants: Set<String> = []
        let arrows = ["-->>", "->>", "--x", "-x", "--)", "-)", "-->", "->"]
        func checkText(_ text: String, _ line: String) {
            let withoutEntities = text.replacingOccurrences(
                of: "#([0-9]+|[a-zA-Z]+);", with: "", options: .regularExpression)
            for bad in [";", "#", "%", "\"", "<", ">", "`", "'"] where withoutEntities.contains(bad) {
                problems.append("unescaped \(bad) in: \(line)")
            }
            if text.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("empty text: \(line)") }
        }
        for raw in lines.dropFirst() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line == "autonumber" { continue }
            if let m = matches("^participant ([A-Za-z][A-Za-z0-9_]*) as ([A-Za-z][A-Za-z0-9 ]*)$", in: line).first {
                participants.insert(m[1])
                continue
            }
            if let m = matches("^Note (over|left of|right of) ([A-Za-z0-9_]+)(,([A-Za-z0-9_]+))?: (.*)$", in: line).first {
                for p in [m[2], m[4]] where !p.isEmpty && !participants.contains(p) {
                    problems.append("note on an undeclared participant: \(line)")
                }
                checkText(m[5], line)
                continue
            }
            guard let colon = line.range(of: ": ") else {
                problems.append("not a statement: \(line)")
                continue
            }
            let head = String(line[..<colon.lowerBound])
            let text = String(line[colon.upperBound...])
            guard let arrow = arrows.first(where: { head.contains($0) }), let r = head.range(of: arrow) else {
                problems.append("no valid arrow: \(line)")
                continue
            }
            let from = String(head[..<r.lowerBound])
            let to = String(head[r.upperBound...])
            for p in [from, to] where !participants.contains(p) {
                problems.append("undeclared participant \(p): \(line)")
            }
            checkText(text, line)
        }
        if participants.isEmpty { problems.append("no participant lines") }
        return problems
    }

    // MARK: Characters

    /// Control characters other than the line feed, and characters that reorder or break lines invisibly.
    static func controlCharacters(_ text: String) -> [String] {
        var found: [String] = []
        for s in text.unicodeScalars {
            switch s.value {
            case 0x0a: continue
            case 0x00...0x1f, 0x7f...0x9f, 0x2028, 0x2029, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069, 0xfeff:
                found.append(String(format: "U+%04X", s.value))
            default: continue
            }
        }
        return found
    }
}
