import TLSWire

/// Who knows what: the client's values and the server's values once the current step is done
/// (`Walkthrough.knowledge`), each with the start of its bytes. Values derived at this step are marked and drawn
/// in the `new` style; Enter on one opens its derivation.
enum SecretsPane: PaneComponent {
    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext) {
        let info = context.info
        let g = context.glyphs
        let focused = context.focused(.secrets)
        if context.hidden {
            grid.box(rect, title: "Secrets", style: context.borderStyle(.secrets))
            return
        }
        var title = "Secrets\(g.dot)who knows what "
        title += info.isEpilogue ? "at the end" : "after step \(info.index + 1)"
        if context.data.connections.count > 1 {
            title += "\(g.dot)connection \(info.connection + 1) of \(context.data.connections.count)"
        }
        grid.box(
            rect, title: title, note: focused ? "\(g.enterKey) how it was derived" : nil,
            style: context.borderStyle(.secrets))
        let inner = rect.inner
        guard inner.width >= 20, inner.height >= 2 else { return }
        let leftWidth = (inner.width - 1) / 2
        let divider = inner.x + leftWidth
        for y in inner.y..<inner.maxY { grid[divider, y] = Cell(g.vertical, .border) }
        column(
            .client, values: info.client, x: inner.x, width: leftWidth, y: inner.y, height: inner.height,
            on: &grid, context)
        column(
            .server, values: info.server, x: divider + 1, width: inner.maxX - divider - 1, y: inner.y,
            height: inner.height, on: &grid, context)
    }

    static func column(
        _ side: Side, values: [KnownValue], x: Int, width: Int, y: Int, height: Int, on grid: inout Grid,
        _ context: PaneContext
    ) {
        let g = context.glyphs
        let newCount = values.filter(\.new).count
        let who = side == .client ? "Client" : "Server"
        var header = [Segment(" \(who) knows \(values.count)", side == .client ? .client : .server)]
        if newCount > 0 { header.append(Segment(" (\(newCount) new)", .new)) }
        grid.put(header, x: x, y: y, limit: width)
        let visible = height - 1
        guard visible > 0 else { return }
        if values.isEmpty {
            grid.put(" (nothing yet)", x: x, y: y + 1, style: .dim, limit: width)
            return
        }
        let cursor = context.state.secret.flatMap { $0.side == side ? $0.index : nil }
        let focused = context.focused(.secrets)
        let top: Int
        if focused, let cursor {
            top = centeredTop(cursor: cursor, count: values.count, visible: visible)
        } else if let firstNew = values.firstIndex(where: \.new) {
            // Show the new values (the oldest of them first), with one older value above for context.
            top = min(max(0, firstNew - 1), max(0, values.count - visible))
        } else {
            top = max(0, values.count - visible)
        }
        for line in 0..<visible {
            let index = top + line
            guard values.indices.contains(index) else { break }
            let value = values[index]
            let rowY = y + 1 + line
            let selected = focused && cursor == index
            let mark = value.new ? String(g.newMark) : " "
            let name = value.name
            let nameWidth = min(g.sanitize(name).count, max(1, width - 3))
            let hexRoom = width - 3 - nameWidth - 2
            var segments = [
                Segment(" " + mark + " ", value.new ? .new : .normal),
                Segment(TextLayout.truncate(name, width: nameWidth, glyphs: g), value.new ? .new : .normal),
            ]
            if hexRoom >= 6 {
                let hex = Format.hex(Array(value.value.prefix(hexRoom / 2 + 1)))
                segments.append(Segment("  " + TextLayout.truncate(hex, width: hexRoom, glyphs: g), .dim))
            }
            if selected {
                segments = segments.map { Segment($0.text, .selected) }
                grid.fill(Rect(x: x, y: rowY, width: width, height: 1), style: .selected)
            }
            grid.put(segments, x: x, y: rowY, limit: width)
        }
        if top > 0 { grid.put(g.unicode ? "↑" : "^", x: x + width - 1, y: y + 1, style: .dim) }
        if top + visible < values.count {
            grid.put(g.unicode ? "↓" : "v", x: x + width - 1, y: y + visible, style: .dim)
        }
    }
}
