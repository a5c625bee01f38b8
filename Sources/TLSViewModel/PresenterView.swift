/// Presenter mode (`P`): only the ladder and the narration, for a projector — bold high-contrast text on a dark
/// background, centred, short lines with room between them, the step title in large letters when the window is
/// big enough (from 100×34). The lesson's text, the failure-lab note and the quiz keep their places; the step keys
/// keep working.
enum PresenterView {
    static func draw(on grid: inout Grid, _ context: PaneContext, lesson: LessonCard?) {
        let g = context.glyphs
        let data = context.data
        let info = context.info
        let width = grid.width
        let height = grid.height
        grid.fill(grid.bounds, style: .strong)

        // Header: the scenario, where we are, how to leave.
        let position =
            info.isEpilogue
            ? "after the run" : "step \(info.index + 1) of \(data.exchangeStepCount)"
                + (data.connections.count > 1 ? "\(g.dot)connection \(info.connection + 1) of \(data.connections.count)" : "")
        let right = position + (lesson.map { "\(g.dot)lesson \($0.progress)" } ?? "") + " "
        HeaderBar.draw(in: Rect(x: 0, y: 0, width: width, height: 1), on: &grid, title: data.transcript.title, right: right)

        let big = BigText.available(glyphs: g) && width >= 100 && height >= 34
        let body = Rect(x: 0, y: 1, width: width, height: height - 2)
        let textWidth = min(width - 8, big ? 86 : 72)
        let x = (width - textWidth) / 2

        // The text under the ladder: the lesson's text, the narration, the lab note at its step.
        var lines: [Segment] = []
        if context.hidden {
            lines.append(Segment("Answer the question to see this step.", .strong))
        } else {
            if let lesson {
                lines += lesson.lines(width: textWidth, glyphs: g).map { Segment($0.text, presenterStyle($0.style)) }
                lines.append(Segment(""))
            }
            let failure = data.failureStep == info.index
            lines += TextLayout.wrap(info.narration, width: textWidth, glyphs: g).map { Segment($0, failure ? .alert : .strong) }
            if data.labStep == info.index, let lab = data.transcript.lab {
                lines.append(Segment(""))
                for (label, text) in [("What the user sees: ", lab.symptom), ("Why: ", lab.cause), ("How to fix it: ", lab.fix)] {
                    let wrapped = TextLayout.wrap(label + text, width: textWidth, glyphs: g)
                    lines += wrapped.enumerated().map { Segment($0.element, $0.offset == 0 ? .strongCurrent : .strong) }
                }
            }
        }
        let title = info.isEpilogue ? info.shortTitle : info.title
        let bigTitle =
            big && !context.hidden
            ? BigText.render(title, maxWidth: textWidth) ?? BigText.render(info.shortTitle, maxWidth: textWidth) : nil
        let titleBlock = context.hidden ? 0 : (bigTitle?.count ?? 1) + 2

        // Room: double spacing (ladder and text) when it fits, else single, else a window of the ladder.
        let available = body.height - 1
        let ladderLines = { (spaced: Bool) in ladderEntries(context, spaced: spaced).count + 1 }
        let textLines = { (spaced: Bool) in titleBlock + (spaced ? lines.count * 2 - 1 : lines.count) }
        var choice: (ladder: Int, spacedLadder: Bool, spacedText: Bool)?
        for (spacedLadder, spacedText) in [(true, true), (false, true), (false, false)] {
            if ladderLines(spacedLadder) + 1 + textLines(spacedText) <= available {
                choice = (ladderLines(spacedLadder), spacedLadder, spacedText)
                break
            }
        }
        let plan =
            choice
            ?? (max(5, min(ladderLines(false), available - 1 - textLines(false))), false, false)
        let used = plan.ladder + 1 + textLines(plan.spacedText)
        let top = body.y + 1 + max(0, (available - used) / 3)
        let ladder = Rect(x: body.x, y: top, width: body.width, height: plan.ladder)
        drawLadder(in: ladder, on: &grid, context, spaced: plan.spacedLadder)

        var y = ladder.maxY + 1
        let bottom = body.maxY
        if !context.hidden {
            if let rows = bigTitle {
                for (i, row) in rows.enumerated() {
                    let w = g.sanitize(row).count
                    grid.put(row, x: (width - w) / 2, y: y + i, style: .strong)
                }
                y += rows.count
            } else {
                let text = TextLayout.truncate(title, width: textWidth, glyphs: g)
                grid.put(text, x: (width - g.sanitize(text).count) / 2, y: y, style: .strongCurrent)
                y += 1
            }
            let direction = info.from == .client ? "client \(g.rightArrow) server" : "server \(g.rightArrow) client"
            let sub = info.isEpilogue ? "after the run" : direction + (info.encrypted ? "\(g.dot)encrypted" : "\(g.dot)in the clear")
            grid.put(sub, x: (width - g.sanitize(sub).count) / 2, y: y, style: .strongDim)
            y += 2
        }
        for (i, line) in lines.enumerated() {
            guard y < bottom else { break }
            if y == bottom - 1, i < lines.count - 1 {
                grid.put(TextLayout.truncate(line.text + " " + g.ellipsis, width: textWidth, glyphs: g), x: x, y: y, style: line.style)
                break
            }
            // The current-step style marks a label only: the rest of the line is ordinary strong text.
            if line.style == .strongCurrent, let colon = line.text.firstIndex(of: ":") {
                let head = String(line.text[...colon])
                grid.put(head, x: x, y: y, style: .strongCurrent)
                grid.put(String(line.text[line.text.index(after: colon)...]), x: x + g.sanitize(head).count, y: y, style: .strong)
            } else {
                grid.put(line.text, x: x, y: y, style: line.style)
            }
            y += plan.spacedText && !line.text.isEmpty ? 2 : 1
        }

        let hint = Rect(x: 0, y: height - 1, width: width, height: 1)
        var items: [(key: String, label: String)] = [(g.unicode ? "←→" : "<- ->", "step")]
        if lesson != nil { items.append(("n p", "lesson")) }
        items += [("P", "leave presenter mode"), ("x", "explain"), ("Q", "quiz"), ("g", "glossary"), ("?", "help"), ("q", "quit")]
        HintBar.draw(in: hint, on: &grid, items: items, status: context.state.status)
    }

    static func presenterStyle(_ style: Style) -> Style {
        switch style {
        case .dim: return .strongDim
        case .title, .key, .new: return .strongCurrent
        default: return .strong
        }
    }

    enum LadderLine: Equatable {
        case step(Int)
        case divider(Int)
        case blank
    }

    /// The ladder's lines: steps (blank lines between them when `spaced`), connection dividers, the epilogue.
    static func ladderEntries(_ context: PaneContext, spaced: Bool) -> [LadderLine] {
        let data = context.data
        var lines: [LadderLine] = []
        for i in 0..<context.visibleSteps {
            let step = data.steps[i]
            if data.connections.count > 1, !step.isEpilogue, i == 0 || data.steps[i - 1].connection != step.connection {
                if !lines.isEmpty { lines.append(.blank) }
                lines.append(.divider(step.connection))
            } else if (spaced && i > 0) || step.isEpilogue {
                lines.append(.blank)
            }
            lines.append(.step(i))
        }
        return lines
    }

    /// The ladder, centred: lifelines, one arrow per step, the current step highlighted, the steps to come
    /// dimmed, connections separated by a labelled rule.
    static func drawLadder(in rect: Rect, on grid: inout Grid, _ context: PaneContext, spaced: Bool) {
        let g = context.glyphs
        let data = context.data
        let laneWidth = min(rect.width - 6, 84)
        let x0 = rect.x + (rect.width - laneWidth) / 2
        grid.put("Client", x: x0, y: rect.y, style: .strong)
        grid.put("Server", x: x0 + laneWidth - 6, y: rect.y, style: .strong)
        let rows = rect.height - 1
        guard rows > 0 else { return }
        let lines = ladderEntries(context, spaced: spaced)
        let cursor = lines.firstIndex(of: .step(context.state.step)) ?? 0
        let top = centeredTop(cursor: cursor, count: lines.count, visible: rows)
        // Lifelines at x0 + 2 and x0 + laneWidth - 3; arrows between them.
        let inner = laneWidth - 6
        for row in 0..<rows {
            let y = rect.y + 1 + row
            grid.put(String(g.vertical), x: x0 + 2, y: y, style: .strongDim)
            grid.put(String(g.vertical), x: x0 + laneWidth - 3, y: y, style: .strongDim)
            let index = top + row
            guard lines.indices.contains(index) else { continue }
            switch lines[index] {
            case .blank: break
            case .divider(let c):
                let conn = data.connections[c]
                var label = "connection \(c + 1): \(conn.label)"
                if !conn.outcome.isEmpty { label += "\(g.dot)\(conn.outcome)" }
                let text = " " + TextLayout.truncate(label, width: laneWidth - 6, glyphs: g) + " "
                let n = g.sanitize(text).count
                let left = max(1, (laneWidth - n) / 2)
                grid.put(String(repeating: g.horizontal, count: left), x: x0, y: y, style: .strongDim)
                grid.put(text, x: x0 + left, y: y, style: conn.failed ? .alert : .strong)
                grid.put(
                    String(repeating: g.horizontal, count: max(0, laneWidth - left - n)), x: x0 + left + n, y: y,
                    style: .strongDim)
            case .step(let i):
                let step = data.steps[i]
                let current = i == context.state.step
                let style: Style =
                    current ? .strongCurrent : i > context.state.step ? .strongDim : step.isAlert ? .alert : .strong
                if step.isEpilogue {
                    let text = " " + TextLayout.truncate(step.title, width: inner - 2, glyphs: g) + " "
                    let n = g.sanitize(text).count
                    grid.put(text, x: x0 + 3 + (inner - n) / 2, y: y, style: current ? .strongCurrent : .alert)
                    continue
                }
                let marker = (step.channelNote != nil ? "! " : "") + (step.encrypted ? "[enc] " : "")
                let title = TextLayout.truncate(marker + step.title, width: max(1, inner - 6), glyphs: g)
                let n = g.sanitize(title).count
                let shaft = String(repeating: g.horizontal, count: max(2, inner - n - 3))
                let text =
                    step.from == .client
                    ? " " + title + " " + shaft + String(g.arrowRight)
                    : String(g.arrowLeft) + shaft + " " + title + " "
                grid.put(text, x: x0 + 3, y: y, style: style, limit: inner)
            }
        }
    }
}
