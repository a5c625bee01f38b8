import Foundation
import TLSExport
import TLSTranscript
import TLSWire
import XCTest

/// The handout checked with a real renderer (cmark-gfm, GitHub's fork of cmark): for every shipped scenario, the
/// extra failure scenarios and a transcript full of hostile strings, in every option combination.
final class MarkdownStructureTests: XCTestCase {
    static let variants: [(String, MarkdownOptions)] = [
        ("default", MarkdownOptions()),
        ("no-hex", MarkdownOptions(includeHex: false)),
        ("no-secrets", MarkdownOptions(includeSecrets: false)),
        ("no-hex no-secrets", MarkdownOptions(includeHex: false, includeSecrets: false)),
    ]

    func testEveryHandoutRendersCleanly() async throws {
        _ = try cmarkGFM()
        var transcripts = try await TranscriptCache.shared.all()
        transcripts.append(("hostile", try Self.hostileTranscript()))
        for (name, transcript) in transcripts {
            for (variant, options) in Self.variants {
                let markdown = try MarkdownExporter.render(transcript, options: options)
                try check(markdown, transcript: transcript, label: "\(name) [\(variant)]")
            }
        }
    }

    func check(_ markdown: String, transcript: Transcript, label: String) throws {
        let html = try renderHTML(markdown)
        let walkthrough = Walkthrough(transcript)

        // No control characters anywhere (also none that reorder text).
        XCTAssertEqual(MarkdownChecks.controlCharacters(markdown), [], "\(label): control characters in the Markdown")
        XCTAssertEqual(MarkdownChecks.controlCharacters(html), [], "\(label): control characters in the HTML")
        XCTAssertFalse(html.contains("raw HTML omitted"), "\(label): the Markdown contains raw HTML")

        // Tables: every row has the header's number of cells (so every pipe inside a value is escaped), and the
        // renderer sees the same tables with the same number of rows.
        let (tables, fences) = MarkdownChecks.scan(markdown)
        for table in tables {
            XCTAssertGreaterThan(table.rows.count, 0, "\(label): empty table at line \(table.line)")
            for (i, row) in table.rows.enumerated() where row.count != table.header.count {
                XCTFail("\(label): table at line \(table.line), row \(i + 1) has \(row.count) cells, header \(table.header.count): \(row)")
            }
        }
        let htmlTables = MarkdownChecks.matches("<table>(.*?)</table>", in: html, options: [.dotMatchesLineSeparators])
        XCTAssertEqual(htmlTables.count, tables.count, "\(label): tables in the source vs rendered")
        for (source, rendered) in zip(tables, htmlTables) {
            let rows = MarkdownChecks.matches("<tr>", in: rendered[1]).count
            XCTAssertEqual(rows, source.rows.count + 1, "\(label): rows of the table at line \(source.line)")
            let headerCells = MarkdownChecks.matches("<th[ >]", in: rendered[1]).count
            XCTAssertEqual(headerCells, source.header.count, "\(label): header of the table at line \(source.line)")
        }

        // Code blocks: all closed (scan fails otherwise) and all rendered as code.
        XCTAssertEqual(MarkdownChecks.matches("<pre>", in: html).count, fences.count, "\(label): code blocks")

        // Mermaid: one well-formed sequence diagram with an arrow per step.
        let mermaid = fences.filter { $0.info == "mermaid" }
        XCTAssertEqual(mermaid.count, 1, "\(label): Mermaid blocks")
        if let diagram = mermaid.first {
            XCTAssertEqual(MarkdownChecks.mermaidProblems(diagram.content), [], "\(label): Mermaid")
            let arrows = diagram.content.filter { $0.contains("->>") || $0.contains("-x") }.count
            XCTAssertEqual(arrows, walkthrough.steps.count, "\(label): one arrow per step")
        }

        // Headings and links: every in-document link resolves to a heading (GitHub's anchors); the contents list
        // every section and every step; steps are the walkthrough's, in order.
        let headings = MarkdownChecks.headingAnchors(html)
        let anchors = Set(headings.map(\.anchor))
        XCTAssertEqual(anchors.count, headings.count, "\(label): anchors are unique")
        let links = MarkdownChecks.matches("href=\"#([^\"]*)\"", in: html).map { $0[1] }
        for link in links where !anchors.contains(link) {
            XCTFail("\(label): link #\(link) has no heading")
        }
        let stepHeadings = MarkdownChecks.matches("<h3>(.*?)</h3>", in: html).map {
            MarkdownChecks.decodeEntities(MarkdownChecks.stripTags($0[1]))
        }
        XCTAssertEqual(
            stepHeadings,
            walkthrough.steps.map { "Step \($0.index + 1) · \($0.from) → \($0.from.peer) · \(Self.visible($0.title))" },
            label)
        let contents = html.components(separatedBy: "<h2>").dropFirst().first ?? ""
        let contentsLinks = Set(MarkdownChecks.matches("href=\"#([^\"]*)\"", in: contents).map { $0[1] })
        for heading in headings.dropFirst() where heading.text != "Contents" {
            XCTAssertTrue(contentsLinks.contains(heading.anchor), "\(label): contents has no link to \(heading.text)")
        }
        XCTAssertEqual(headings.first?.text, Self.visible(transcript.title), "\(label): title")
    }

    /// What a title looks like rendered: control characters shown as escapes, line breaks as spaces.
    static func visible(_ text: String) -> String {
        var out = ""
        for s in text.unicodeScalars {
            switch s.value {
            case 0x0a, 0x0d, 0x09: out.append(" ")
            case 0x00...0x1f, 0x7f...0x9f:
                out.append(String(format: "\\x%02x", s.value))
            case 0x2028, 0x2029, 0x200e, 0x200f, 0x202a...0x202e, 0x2066...0x2069, 0x061c, 0xfeff:
                out.append("\\u{\(String(s.value, radix: 16))}")
            default: out.unicodeScalars.append(s)
            }
        }
        return out
    }

    static let nasty =
        "a|b \\| `tick` ``two`` # h ; semi \"dq\" 'sq' <b>tag</b> &amp; *em* _u_ [l](http://x.y) www.x.org @me $m$ %% 1. \u{7}bell\u{202e}rtl\r\nnext\tline"

    /// A real transcript whose every free-text field is replaced by a hostile string.
    static func hostileTranscript() throws -> Transcript {
        var t = try goldenTranscript("tls13-ed25519-chacha")
        t.title = "Evil " + nasty
        t.description = nasty
        t.scenario = "evil`name|x"
        t.notes = [nasty, "- " + nasty]
        t.configuration.clientCipherSuites.append(nasty)
        t.configuration.serverName = nasty
        for i in t.records.indices {
            t.records[i].summary = "Rec|ord \(i) " + nasty
            t.records[i].channelNote = i == 3 ? nasty : nil
            for j in t.records[i].fields.indices {
                t.records[i].fields[j].value = nasty
                t.records[i].fields[j].meaning = nasty
            }
        }
        func poison(_ node: inout FieldNode) {
            node.value = nasty
            node.meaning = nasty
            node.name = "n|" + node.name
            for k in node.children.indices { poison(&node.children[k]) }
        }
        for i in t.messages.indices {
            t.messages[i].name = "Msg|\(i) " + nasty
            poison(&t.messages[i].fields)
        }
        for i in t.events.indices {
            if t.events[i].text != nil { t.events[i].text = nasty }
            if t.events[i].from != nil { t.events[i].from = nasty }
            if var d = t.events[i].derivation {
                d.formula = nasty + "\n" + nasty
                d.note = nasty
                d.label = nasty
                for k in d.inputs.indices { d.inputs[k].source = nasty }
                t.events[i].derivation = d
            }
        }
        for i in t.certificates.indices {
            t.certificates[i].subject = nasty
            t.certificates[i].subjectAlternativeNames.append(nasty)
        }
        t.outcome = Outcome(
            status: .failed, alert: AlertInfo(level: "fatal", description: nasty, code: 20, sentBy: .server),
            reason: nasty, event: t.events.count - 1)
        try t.validate()
        return t
    }
}
