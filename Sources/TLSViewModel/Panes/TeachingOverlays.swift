import TLSTeaching
import TLSTranscript

/// Draws `lines` into the inside of `rect` (one column of margin), from `top`, with scroll marks; returns the top
/// actually used (clamped).
@discardableResult
func drawLines(_ lines: [OverlayLine], in rect: Rect, top: Int, on grid: inout Grid) -> Int {
    let inner = rect.inner
    let content = Rect(x: inner.x + 1, y: inner.y, width: inner.width - 2, height: inner.height)
    let clamped = min(max(0, top), max(0, lines.count - content.height))
    for row in 0..<content.height {
        let index = clamped + row
        guard lines.indices.contains(index) else { break }
        grid.put(lines[index].segments, x: content.x, y: content.y + row, limit: content.width)
    }
    ScrollMarks.draw(on: &grid, rect: rect, top: clamped, visible: content.height, count: lines.count)
    return clamped
}

/// Wrapped text as overlay lines with an indent.
func wrappedLines(_ text: String, width: Int, indent: Int = 0, style: Style = .normal, item: Int? = nil, glyphs: Glyphs)
    -> [OverlayLine]
{
    TextLayout.wrap(text, width: max(10, width - indent), glyphs: glyphs).map {
        OverlayLine(String(repeating: " ", count: indent) + $0, style, item: item)
    }
}

/// The explanation window (`x`): for each explanation its title, RFC section, summary, detail, what happens in
/// practice, and where to see more; the selected one's topic opens with Enter.
enum ExplanationOverlay {
    static func rect(in screen: Rect) -> Rect {
        screen.centered(width: min(screen.width - 4, max(76, screen.width * 3 / 4)), height: screen.height - 2)
    }

    static func lines(_ state: ExplanationOverlayState, width: Int, glyphs g: Glyphs) -> [OverlayLine] {
        var out: [OverlayLine] = []
        for (i, e) in state.items.enumerated() {
            let selected = i == state.selected
            if i == 1 { out.append(OverlayLine([Segment("Also at this step", .dim)], heading: true)) }
            out.append(
                OverlayLine(
                    [
                        Segment(selected ? String(g.pointer) + " " : "  ", selected ? .selected : .normal),
                        Segment(e.title, selected ? .selected : .title),
                    ], item: i))
            if !e.rfc.isEmpty { out += wrappedLines(e.rfc, width: width, indent: 2, style: .key, item: i, glyphs: g) }
            // The detail often starts with the summary: then the detail alone says it all.
            if !e.detail.hasPrefix(e.summary) { out += wrappedLines(e.summary, width: width, indent: 2, item: i, glyphs: g) }
            out += wrappedLines(e.detail, width: width, indent: 2, item: i, glyphs: g)
            if let p = e.inPractice {
                out += wrappedLines("In practice: " + p, width: width, indent: 2, style: .dim, item: i, glyphs: g)
            }
            var see: [String] = []
            if let topic = e.topic, let t = Topics.topic(topic) {
                see.append("topic: \(t.title)\(selected ? " (\(g.enterKey))" : "")")
            }
            if let scenario = e.scenario { see.append("scenario: \(scenario)") }
            if !see.isEmpty {
                out += wrappedLines(see.joined(separator: g.dot), width: width, indent: 2, style: .dim, item: i, glyphs: g)
            }
            out.append(OverlayLine("", item: i))
        }
        if out.last?.segments.allSatisfy({ $0.text.isEmpty }) == true { out.removeLast() }
        return out
    }

    static func draw(_ state: ExplanationOverlayState, on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        let full = rect(in: grid.bounds)
        let all = lines(state, width: full.width - 4, glyphs: g)
        let rect = grid.bounds.centered(width: full.width, height: min(full.height, all.count + 2))
        let title = state.items.indices.contains(state.selected) ? state.items[state.selected].title : ""
        let note = state.items.count > 1 ? "\(g.upDown) section  \(g.enterKey) topic  Esc back" : "\(g.enterKey) topic  Esc back"
        grid.box(rect, title: "Explanation\(g.dot)\(title)", note: note, style: .focus)
        let first = all.firstIndex { $0.item == state.selected } ?? 0
        let start = state.selected == 0 ? 0 : max(0, first - 1)
        drawLines(all, in: rect, top: start + state.scroll, on: &grid)
    }
}

/// An explain topic's text (`tlslab explain TOPIC`), scrolled.
enum TopicOverlay {
    static func draw(_ state: TopicOverlayState, on grid: inout Grid, glyphs g: Glyphs) {
        let rect = ExplanationOverlay.rect(in: grid.bounds)
        guard let topic = Topics.topic(state.id) else {
            grid.box(rect, title: "Topic\(g.dot)\(state.id)", style: .focus)
            grid.put("No such topic.", x: rect.x + 2, y: rect.y + 1, style: .alert)
            return
        }
        grid.box(rect, title: "Topic\(g.dot)\(topic.id)", note: "\(g.upDown) scroll  Esc back", style: .focus)
        let text = topic.text(width: max(20, rect.width - 4))
        var lines: [OverlayLine] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let style: Style = i == 0 ? .title : i == 1 ? .border : line.hasPrefix("See it:") || line.hasPrefix("RFC:") || line.hasPrefix("More:") || line.hasPrefix("Try:") ? .dim : .normal
            lines.append(OverlayLine(String(line), style))
        }
        drawLines(lines, in: rect, top: state.scroll, on: &grid)
    }
}

/// The glossary (`g`): every term, the selected one's definition, and where Enter (its topic) and `x` (the
/// explanation of the protocol item) lead.
enum GlossaryOverlay {
    /// Each term's explanation (looked up once: `Explanations.lookup` scans every explanation).
    static let explanations: [String: Explanation] = {
        var out: [String: Explanation] = [:]
        for term in Glossary.terms {
            if let name = term.explanation, let found = Explanations.lookup(name).first { out[term.term] = found }
        }
        return out
    }()

    static let nameWidth = min(28, (Glossary.terms.map { $0.term.count }.max() ?? 10) + 2)

    static func draw(_ state: GlossaryOverlayState, on grid: inout Grid, glyphs g: Glyphs) {
        let terms = Glossary.terms
        let rect = grid.bounds.centered(width: min(grid.width - 2, 110), height: grid.height - 2)
        grid.box(
            rect, title: "Glossary\(g.dot)\(terms.count) terms", note: "\(state.cursor + 1)/\(terms.count)", style: .focus)
        let inner = rect.inner
        guard inner.height >= 8, terms.indices.contains(state.cursor) else { return }
        let term = terms[state.cursor]
        // The detail at the bottom: definition, topic, explanation.
        var detail: [OverlayLine] = []
        detail += wrappedLines(term.definition, width: inner.width - 2, glyphs: g)
        if let topic = Topics.topic(term.topic) {
            detail.append(OverlayLine([Segment(g.enterKey, .key), Segment(" topic: \(topic.title)", .dim)]))
        }
        if let name = term.explanation {
            let found = explanations[term.term]
            detail.append(
                OverlayLine([Segment("x", .key), Segment(" explanation: \(found?.title ?? name)\(found.map { g.dot + $0.rfc } ?? "")", .dim)]))
        }
        let detailHeight = min(detail.count + 1, inner.height / 2)
        let listHeight = inner.height - detailHeight
        let top = centeredTop(cursor: state.cursor, count: terms.count, visible: listHeight)
        for row in 0..<listHeight {
            let index = top + row
            guard terms.indices.contains(index) else { break }
            let y = inner.y + row
            let selected = index == state.cursor
            // The definition in the room left, ending in an ellipsis when cut (the whole one is shown below).
            let room = max(0, inner.width - 1 - 3 - nameWidth)
            var segments = [
                Segment(selected ? " " + String(g.pointer) + " " : "   "),
                Segment(TextLayout.pad(terms[index].term, nameWidth, glyphs: g), .title),
                Segment(TextLayout.truncate(terms[index].definition, width: room, glyphs: g), .dim),
            ]
            if selected {
                segments = segments.map { Segment($0.text, .selected) }
                grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selected)
            }
            grid.put(segments, x: inner.x, y: y, limit: inner.width - 1)
        }
        ScrollMarks.draw(on: &grid, rect: Rect(x: rect.x, y: rect.y, width: rect.width, height: listHeight + 2), top: top, visible: listHeight, count: terms.count)
        let ruleY = inner.y + listHeight
        grid.rule(x: inner.x, y: ruleY, width: inner.width, label: term.term)
        for (i, line) in detail.prefix(detailHeight - 1).enumerated() {
            grid.put(line.segments, x: inner.x + 1, y: ruleY + 1 + i, limit: inner.width - 2)
        }
    }
}

/// The failure-lab note (`L`): what the user sees, why, how to fix it, in practice — and where in the run it
/// happens.
enum LabOverlay {
    static func lines(_ context: PaneContext, width: Int) -> [OverlayLine] {
        let g = context.glyphs
        guard let lab = context.data.transcript.lab else { return [] }
        var out: [OverlayLine] = []
        func section(_ title: String, _ text: String, _ style: Style = .normal) {
            out.append(OverlayLine([Segment(title, .title)], heading: true))
            out += wrappedLines(text, width: width, indent: 2, style: style, glyphs: g)
            out.append(OverlayLine(""))
        }
        section("What the user sees", lab.symptom, .alert)
        section("Why", lab.cause)
        section("How to fix it", lab.fix, .new)
        if let p = lab.inPractice { section("In practice", p, .dim) }
        if let step = context.data.labStep, context.data.steps.indices.contains(step) {
            let info = context.data.steps[step]
            let place = info.isEpilogue ? "after the run (\(info.title))" : "step \(step + 1) (\(info.title))"
            out += wrappedLines("In this run: \(place). L reopens this note.", width: width, style: .dim, glyphs: g)
        }
        return out
    }

    static func draw(on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        let rect0 = grid.bounds.centered(width: min(grid.width - 4, 92), height: grid.height - 2)
        var all = lines(context, width: rect0.width - 4)
        if all.count + 2 > rect0.height { all.removeAll { !$0.heading && $0.segments.allSatisfy { $0.text.isEmpty } } }
        let rect = grid.bounds.centered(width: rect0.width, height: min(rect0.height, all.count + 2))
        grid.box(rect, title: "Failure lab\(g.dot)\(context.data.transcript.title)", note: "Esc closes", style: .focus)
        drawLines(all, in: rect, top: 0, on: &grid)
    }
}

/// The quiz windows: the question, the answer explained, the score.
enum QuizOverlay {
    static func draw(_ quiz: QuizState, on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        let rect0 = grid.bounds.centered(width: min(grid.width - 4, 90), height: grid.height - 2)
        let width = rect0.width - 4
        let session = quiz.session
        var lines: [OverlayLine] = []
        let title: String
        switch quiz.phase {
        case .asking, .feedback:
            guard let q = quiz.question else { return }
            // The score so far: while asking, the questions before this one; once answered, this one too.
            var counted = quiz.shown
            if case .feedback = quiz.phase { counted += 1 }
            let answeredSoFar = session.answers.prefix(counted).compactMap { $0 }.count
            let rightSoFar = zip(session.answers.prefix(counted), session.quiz.questions).filter { $0.0 == $0.1.correct }.count
            title = "Quiz\(g.dot)question \(q.number) of \(session.total)\(g.dot)score \(rightSoFar)/\(answeredSoFar)"
            lines += wrappedLines(q.prompt, width: width, style: .title, glyphs: g)
            lines.append(OverlayLine(""))
            var chosen: Int?
            var right = false
            var answered = false
            if case .feedback(let c, let r) = quiz.phase {
                chosen = c
                right = r
                answered = true
            }
            for (k, option) in q.options.enumerated() {
                var mark = "   "
                var style: Style = .normal
                if answered {
                    if k == q.correct {
                        mark = g.unicode ? " ✓ " : " + "
                        style = .new
                    } else if k == chosen {
                        mark = g.unicode ? " ✗ " : " x "
                        style = .alert
                    } else {
                        style = .dim
                    }
                }
                let head = "\(mark)\(k + 1)) "
                let wrapped = TextLayout.wrap(option, width: max(10, width - head.count), glyphs: g)
                for (j, line) in wrapped.enumerated() {
                    lines.append(
                        OverlayLine([
                            Segment(j == 0 ? head : String(repeating: " ", count: head.count), j == 0 && !answered ? .key : style),
                            Segment(line, style),
                        ]))
                }
            }
            lines.append(OverlayLine(""))
            if answered {
                let verdict: String
                if chosen == nil {
                    verdict = "Skipped: the answer is \(q.correct + 1)) \(q.correctOption)."
                } else if right {
                    verdict = "Right."
                } else {
                    verdict = "Not quite: the answer is \(q.correct + 1)) \(q.correctOption)."
                }
                lines += wrappedLines(verdict, width: width, style: right ? .new : .alert, glyphs: g)
                lines += wrappedLines(q.explanation, width: width, glyphs: g)
                lines.append(OverlayLine(""))
                let next = session.current == nil ? "see the step and your score" : "see step \(q.step + 1)"
                lines.append(OverlayLine([Segment(g.enterKey, .key), Segment(" \(next)   "), Segment("Esc", .key), Segment(" end the quiz")]))
            } else {
                lines.append(
                    OverlayLine([
                        Segment("1-\(q.options.count)", .key), Segment(" answer   "), Segment("s", .key), Segment(" skip   "),
                        Segment("Esc", .key), Segment(" end the quiz"),
                    ]))
            }
        case .finished, .exploring:
            let percent = session.total == 0 ? 0 : session.score * 100 / session.total
            title = "Quiz\(g.dot)\(context.data.transcript.scenario)\(g.dot)your score"
            lines.append(
                OverlayLine(
                    "Score: \(session.score) / \(session.total) (\(percent)%), \(session.answered) answered", .title))
            lines.append(OverlayLine(""))
            for (q, a) in zip(session.quiz.questions, session.answers) {
                let mark: Segment
                if a == nil {
                    mark = Segment(" - ", .dim)
                } else if a == q.correct {
                    mark = Segment(g.unicode ? " ✓ " : " + ", .new)
                } else {
                    mark = Segment(g.unicode ? " ✗ " : " x ", .alert)
                }
                lines.append(
                    OverlayLine([
                        mark, Segment("\(q.number). step \(q.step + 1): ", .dim), Segment(q.correctOption),
                    ]))
            }
            lines.append(OverlayLine(""))
            lines.append(
                OverlayLine([
                    Segment("w", .key),
                    Segment(" save the score as \(ExportNaming.quizScoreFileName(for: context.data.transcript))   "),
                    Segment(g.enterKey, .key), Segment(" close"),
                ]))
        }
        var height = min(rect0.height, lines.count + 2)
        if lines.count + 2 > rect0.height, quiz.phase == .finished {
            // Keep the score and the keys; drop answers from the middle.
            let keep = rect0.height - 2
            let tail = Array(lines.suffix(2))
            var head = Array(lines.prefix(keep - 3))
            head.append(OverlayLine("   \(g.ellipsis) \(lines.count - 2 - head.count) more", .dim))
            lines = head + tail
            height = rect0.height
        }
        let rect = grid.bounds.centered(width: rect0.width, height: height)
        grid.box(rect, title: title, style: .focus)
        drawLines(lines, in: rect, top: 0, on: &grid)
    }
}
