import TLSCrypto
import TLSWire

/// A line of an overlay, optionally belonging to a selectable item.
struct OverlayLine {
    var segments: [Segment]
    var item: Int?
    var heading = false

    init(_ segments: [Segment], item: Int? = nil, heading: Bool = false) {
        self.segments = segments
        self.item = item
        self.heading = heading
    }

    init(_ text: String, _ style: Style = .normal, item: Int? = nil) {
        self.init([Segment(text, style)], item: item)
    }
}

/// A derivation: formula, inputs with where each came from (Enter follows one to its own derivation), label text
/// and bytes, output, the recorded note, and whether the other side computed the same value.
enum DerivationOverlay {
    static func rect(in screen: Rect) -> Rect {
        let width = min(screen.width - 4, max(76, screen.width * 3 / 4))
        let height = screen.height - 2
        return screen.centered(width: width, height: height)
    }

    static func lines(_ info: DerivationInfo, width: Int, _ context: PaneContext) -> [OverlayLine] {
        let g = context.glyphs
        let data = context.data
        let d = info.derivation
        let steps = data.steps
        func stepName(_ i: Int) -> String { steps.indices.contains(i) ? "step \(i + 1) (\(steps[i].title))" : "step ?" }
        func wrapped(_ text: String, indent: Int, style: Style = .normal, item: Int? = nil) -> [OverlayLine] {
            TextLayout.wrap(text, width: max(10, width - indent), glyphs: g).map {
                OverlayLine(String(repeating: " ", count: indent) + $0, style, item: item)
            }
        }
        func hexLines(_ bytes: [UInt8], indent: Int, item: Int? = nil) -> [OverlayLine] {
            if bytes.isEmpty { return [OverlayLine(String(repeating: " ", count: indent) + "(empty)", .dim, item: item)] }
            let perLine = max(4, (width - indent) / 2)
            var out: [OverlayLine] = []
            var start = 0
            while start < bytes.count {
                let chunk = Array(bytes[start..<min(bytes.count, start + perLine)])
                out.append(OverlayLine(String(repeating: " ", count: indent) + Format.hex(chunk), .normal, item: item))
                start += perLine
            }
            return out
        }
        func heading(_ text: String) -> OverlayLine { OverlayLine([Segment(text, .title)], heading: true) }

        var out: [OverlayLine] = []
        out.append(
            OverlayLine([
                Segment(d.name, .new),
                Segment("  derived by the \(info.side) at \(stepName(info.step))", info.side == .client ? .client : .server),
            ]))
        out.append(OverlayLine(""))
        out.append(heading("Formula"))
        out += wrapped(d.formula, indent: 2)
        out.append(OverlayLine(""))
        if info.inputs.isEmpty {
            out.append(heading("Inputs"))
            out.append(OverlayLine("  none: this value is drawn from the scenario's seeded random generator", .dim))
        } else {
            out.append(
                OverlayLine([Segment("Inputs", .title), Segment("   \(g.enterKey) on an input opens its own derivation", .dim)], heading: true))
            for (i, input) in info.inputs.enumerated() {
                let selected = context.state.overlays.last.flatMap { overlay -> Int? in
                    if case .derivation(let s) = overlay { return s.input }
                    return nil
                } == i
                let pointer = selected ? String(g.pointer) + " " : "  "
                out.append(
                    OverlayLine(
                        [
                            Segment(pointer, selected ? .selected : .normal),
                            Segment(input.input.name, selected ? .selected : .title),
                            Segment("\(g.dot)\(Format.bytes(input.input.value.count))", selected ? .selected : .dim),
                            Segment(input.derivedBy != nil ? "  \(g.enterKey)" : "", selected ? .selected : .dim),
                        ], item: i))
                out += wrapped("from: " + input.explanation, indent: 4, style: .dim, item: i)
                out += hexLines(input.input.value, indent: 4, item: i)
            }
        }
        if d.label != nil || d.labelBytes != nil {
            out.append(OverlayLine(""))
            out.append(heading("Label"))
            if let label = d.label { out.append(OverlayLine("  \"\(label)\"")) }
            if let bytes = d.labelBytes {
                let explain =
                    d.label.map { bytes.count == $0.utf8.count ? "the ASCII label" : "HkdfLabel: length, \"\($0)\", context" }
                    ?? "label bytes"
                out.append(OverlayLine("  \(explain), \(Format.bytes(bytes.count)):", .dim))
                out += hexLines(bytes, indent: 2)
            }
        }
        out.append(OverlayLine(""))
        out.append(heading("Output\(g.dot)\(Format.bytes(d.output.count))"))
        out += hexLines(d.output, indent: 2)
        if let note = d.note {
            out.append(OverlayLine(""))
            out.append(heading("Note"))
            out += wrapped(note, indent: 2, style: .dim)
        }
        out.append(OverlayLine(""))
        let other = info.side == .client ? "server" : "client"
        if let peer = info.peer, let agrees = info.peerAgrees {
            let at = stepName(data.stepOfEvent[peer] ?? 0)
            out += wrapped(
                agrees
                    ? "The \(other) computes the same bytes at \(at)."
                    : "The \(other)'s \(d.name) at \(at) is DIFFERENT: the two sides disagree.",
                indent: 0, style: agrees ? .new : .alert)
        } else {
            out += wrapped("Only the \(info.side) has this value.", indent: 0, style: .dim)
        }
        return out
    }

    static func draw(_ overlay: DerivationOverlayState, depth: Int, on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        guard let info = context.data.derivations[overlay.event] else { return }
        let rect = rect(in: grid.bounds)
        let crumbs = depth > 1 ? " (\(depth) deep, Esc goes back)" : ""
        grid.box(
            rect, title: "Derivation\(g.dot)\(info.derivation.name)\(crumbs)",
            note: "\(g.upDown) input  \(g.enterKey) follow  Esc back", style: .focus)
        let inner = rect.inner.insetBy(0)
        let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
        let all = lines(info, width: content.width, context)
        var top = 0
        if let input = overlay.input, let first = all.firstIndex(where: { $0.item == input }) {
            let last = all.lastIndex(where: { $0.item == input }) ?? first
            // Show the selected input's block, starting two lines above it when it fits.
            top = max(0, min(first - 2, last - content.height + 1))
            if last - first + 1 > content.height { top = first }
        }
        top = min(max(0, top + overlay.scroll), max(0, all.count - content.height))
        for row in 0..<content.height {
            let index = top + row
            guard all.indices.contains(index) else { break }
            grid.put(all[index].segments, x: content.x, y: content.y + row, limit: content.width)
        }
        if top > 0 { grid.put(g.unicode ? "↑" : "^", x: rect.maxX - 2, y: rect.y + 1, style: .dim) }
        if top + content.height < all.count {
            grid.put(g.unicode ? "↓" : "v", x: rect.maxX - 2, y: rect.maxY - 2, style: .dim)
        }
    }
}

/// Every key, grouped; scrolls when the window is short.
enum HelpOverlay {
    static func lines(glyphs g: Glyphs, exports: [ExportKey], canGoBack: Bool, lesson: Bool) -> [OverlayLine] {
        func key(_ k: String, _ what: String) -> OverlayLine {
            OverlayLine([Segment("  " + TextLayout.pad(k, 16, glyphs: g), .key), Segment(what)])
        }
        func heading(_ text: String) -> OverlayLine { OverlayLine([Segment(text, .title)], heading: true) }
        var out: [OverlayLine] = [heading("Stepping")]
        if lesson {
            out += [
                key("n Space", "lesson: next (at a question: its answer first)"),
                key("p Backspace", "lesson: back"),
                key("\(g.rightArrow) \(g.leftArrow)", "next / previous step of the scenario shown"),
            ]
        } else {
            out += [key("\(g.rightArrow) n Space", "next step"), key("\(g.leftArrow) p Backspace", "previous step")]
        }
        out += [
            key("Home End", "first / last step"),
            key("d   a", "next step where a value is derived / next alert"),
            OverlayLine(""),
            heading("Panes"),
            key("Tab Shift-Tab", "next / previous pane (the bright frame has the keys)"),
            key("\(g.upDown) PgUp PgDn", "move in the pane (step, field, hex line, value)"),
            key("Enter", "message: expand/collapse \(g.clean("·")) secrets: derivation"),
            key("", "hex: wire \(g.clean("↔")) decrypted \(g.clean("·")) ladder: go to the message"),
            OverlayLine(""),
            heading("Learning"),
            key("x", "explain the selected item: RFC section, details, topic"),
            key("g", "glossary: \(g.upDown) term, Enter its topic, x explanation"),
            key("P", "presenter mode: ladder and narration, large (P back)"),
            key("Q", "quiz: a question before each step; 1-4 answer, s skip,"),
            key("", "Esc ends it, w saves the score (JSON)"),
            key("L", "failure-lab note: what users see, why, how to fix it"),
            OverlayLine(""),
            heading("Windows"),
            key("\(g.upDown) Enter", "derivation: choose an input / open its derivation"),
            key("Enter t", "explanation: open the selected section's topic"),
            key("Esc \(g.leftArrow)", "back to the previous window, or close"),
            OverlayLine(""),
            heading("Other"),
        ]
        for e in exports { out.append(key(String(e.key), e.label + " (into the current folder)")) }
        if canGoBack { out.append(key("s", "back to the scenario list")) }
        out.append(key("?", "this help (? or Esc closes it)"))
        out.append(key("q", "quit"))
        out.append(key("Esc", "close a window; quit when none is open"))
        return out
    }

    static func draw(
        on grid: inout Grid, glyphs: Glyphs, exports: [ExportKey], canGoBack: Bool, lesson: Bool, scroll: Int
    ) {
        var all = lines(glyphs: glyphs, exports: exports, canGoBack: canGoBack, lesson: lesson)
        // Drop the blank separators when the window is too short for them.
        if all.count + 2 > grid.height - 2 { all.removeAll { $0.segments.allSatisfy { $0.text.isEmpty } } }
        let rect = grid.bounds.centered(width: min(grid.width - 2, 84), height: min(grid.height - 2, all.count + 2))
        let inner = rect.inner
        let top = min(max(0, scroll), max(0, all.count - inner.height))
        let more = all.count > inner.height
        grid.box(rect, title: "Keys", note: more ? "\(glyphs.upDown) scroll  Esc closes" : "Esc closes", style: .focus)
        for (i, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            grid.put(line.segments, x: inner.x + 1, y: inner.y + i, limit: inner.width - 2)
        }
        ScrollMarks.draw(on: &grid, rect: rect, top: top, visible: inner.height, count: all.count)
    }
}

/// `↑` / `↓` in a window's right border when there is more above or below.
enum ScrollMarks {
    static func draw(on grid: inout Grid, rect: Rect, top: Int, visible: Int, count: Int) {
        let g = grid.glyphs
        if top > 0 { grid.put(g.unicode ? "↑" : "^", x: rect.maxX - 2, y: rect.y + 1, style: .dim) }
        if top + visible < count { grid.put(g.unicode ? "↓" : "v", x: rect.maxX - 2, y: rect.maxY - 2, style: .dim) }
    }
}
