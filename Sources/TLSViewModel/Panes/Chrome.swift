import TLSWire

/// The top bar: program, scenario title; on the right version, key exchange, seed.
enum HeaderBar {
    static func draw(in rect: Rect, on grid: inout Grid, title: String, right: String) {
        grid.fill(rect, style: .header)
        let rightText = grid.glyphs.clean(right)
        let rightWidth = min(rightText.count + 1, rect.width / 2)
        let leftRoom = rect.width - rightWidth - 1
        grid.put(
            TextLayout.truncate(" TLSLab  " + title, width: leftRoom, glyphs: grid.glyphs), x: rect.x, y: rect.y,
            style: .header)
        grid.put(
            TextLayout.truncate(rightText, width: rightWidth - 1, glyphs: grid.glyphs),
            x: rect.maxX - rightWidth, y: rect.y, style: .header)
    }
}

/// The bottom line: the key hint (as many keys as fit, most useful first), or a status message.
enum HintBar {
    static func draw(in rect: Rect, on grid: inout Grid, items: [(key: String, label: String)], status: StatusMessage?) {
        grid.fill(rect, style: .hint)
        if let status {
            grid.put(
                TextLayout.truncate(" " + status.text, width: rect.width, glyphs: grid.glyphs), x: rect.x, y: rect.y,
                style: status.isError ? .alert : .status)
            return
        }
        // Two spaces between items when they all fit, else one; then drop items from the end of the middle
        // (the last two, help and quit, always stay).
        let g = grid.glyphs
        func width(_ list: [(key: String, label: String)], gap: Int) -> Int {
            list.reduce(0) { $0 + g.sanitize($1.key).count + 1 + g.sanitize($1.label).count } + gap * max(0, list.count - 1) + 1
        }
        var list = items
        var gap = 2
        if width(list, gap: 2) > rect.width { gap = 1 }
        while width(list, gap: gap) > rect.width, list.count > 2 { list.remove(at: list.count - 3) }
        var x = rect.x + 1
        for item in list {
            x += grid.put(item.key, x: x, y: rect.y, style: .key)
            x += grid.put(" " + item.label, x: x, y: rect.y, style: .hint)
            x += gap
        }
    }
}

/// Shown instead of everything else when the window is smaller than the minimum.
enum TooSmallScreen {
    static func draw(on grid: inout Grid, minimumWidth: Int, minimumHeight: Int) {
        let g = grid.glyphs
        let times = g.unicode ? "×" : "x"
        let lines = [
            "Enlarge the window to at least \(minimumWidth)\(times)\(minimumHeight)",
            "(it is \(grid.width)\(times)\(grid.height) now)",
        ]
        let top = max(0, grid.height / 2 - 1)
        for (i, line) in lines.enumerated() {
            let text = TextLayout.truncate(line, width: grid.width, glyphs: g)
            let x = max(0, (grid.width - g.sanitize(text).count) / 2)
            grid.put(text, x: x, y: top + i, style: i == 0 ? .alert : .dim)
        }
    }
}

/// Narration: a rule naming the step and direction, one or two sentences (or the lesson's text above them), and
/// on the last line the selected item explained: its title, RFC section and summary (`x` opens the whole
/// explanation).
enum NarrationPane {
    /// `Step 4/13 · ServerHelloDone · server → client · connection 2 of 3`.
    static func stepLabel(_ context: PaneContext) -> String {
        let info = context.info
        let g = context.glyphs
        let data = context.data
        if info.isEpilogue { return "After the run\(g.dot)\(info.title)" }
        if context.hidden { return "Step \(info.index + 1)/\(data.exchangeStepCount)\(g.dot)? (answer the question to see it)" }
        let direction = info.from == .client ? "client \(g.rightArrow) server" : "server \(g.rightArrow) client"
        var label = "Step \(info.index + 1)/\(data.exchangeStepCount)\(g.dot)\(info.title)\(g.dot)\(direction)"
        if data.connections.count > 1 { label += "\(g.dot)connection \(info.connection + 1) of \(data.connections.count)" }
        return label
    }

    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext, lesson: LessonCard?) {
        let info = context.info
        let g = context.glyphs
        var label = stepLabel(context)
        if let lesson { label += "\(g.dot)lesson \(lesson.progress)" }
        grid.rule(x: rect.x, y: rect.y, width: rect.width, label: label)
        let textRows = rect.height - 2
        guard textRows > 0 else { return }
        var y = rect.y + 1
        var used = 0
        if let lesson {
            let lines = lesson.lines(width: rect.width - 2, glyphs: g)
            for (i, line) in lines.prefix(textRows).enumerated() {
                var text = line.text
                if i == textRows - 1, lines.count > textRows {
                    // More follows than fits: say so (presenter mode has room for all of it).
                    text = TextLayout.truncate(text + " " + g.ellipsis, width: rect.width - 2, glyphs: g)
                }
                grid.put(text, x: rect.x + 1, y: y, style: line.style)
                y += 1
            }
            used = min(lines.count, textRows)
        }
        if context.hidden {
            if used < textRows {
                grid.put("Answer the question to see this step.", x: rect.x + 1, y: y, style: .dim)
            }
        } else if used < textRows {
            let narration = TextLayout.wrap(info.narration, width: rect.width - 2, maxLines: textRows - used, glyphs: g)
            let failure = context.data.failureStep == info.index
            for line in narration {
                grid.put(line, x: rect.x + 1, y: y, style: lesson != nil ? .dim : failure ? .alert : .normal)
                y += 1
            }
        }
        if !context.hidden { drawExplainLine(context, x: rect.x + 1, y: rect.maxY - 1, width: rect.width - 2, on: &grid) }
    }

    /// `x ClientHello.random · RFC 8446 §4.1.2 — 32 bytes from the client's random generator …`
    static func drawExplainLine(_ context: PaneContext, x: Int, y: Int, width: Int, on grid: inout Grid) {
        guard let item = context.state.explainItem(context.data) else { return }
        let g = context.glyphs
        var segments = [Segment("x", .key), Segment(" "), Segment(item.title, .title)]
        if let rfc = item.rfc { segments.append(Segment(g.dot + rfc, .dim)) }
        segments.append(Segment(" \(g.unicode ? "—" : "-") " + item.summary))
        let total = segments.reduce(0) { $0 + g.sanitize($1.text).count }
        grid.put(segments, x: x, y: y, limit: width)
        if total > width { grid.put(g.ellipsis, x: x + width - g.sanitize(g.ellipsis).count, y: y, style: .dim) }
    }
}
