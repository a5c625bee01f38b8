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

/// Narration: a rule naming the step and direction, then one or two sentences.
enum NarrationPane: PaneComponent {
    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext) {
        let info = context.info
        let g = context.glyphs
        let direction = info.from == .client ? "client \(g.rightArrow) server" : "server \(g.rightArrow) client"
        grid.rule(
            x: rect.x, y: rect.y, width: rect.width,
            label: "Step \(info.index + 1)/\(context.data.steps.count)\(g.dot)\(info.title)\(g.dot)\(direction)")
        let lines = TextLayout.wrap(info.narration, width: rect.width - 2, maxLines: rect.height - 1, glyphs: g)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: rect.x + 1, y: rect.y + 1 + i, style: context.data.failureStep == info.index ? .alert : .normal)
        }
    }
}
