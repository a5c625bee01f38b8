/// The current message's field tree: name, value and (when there is room) meaning per row; `▸` rows expand with
/// Enter. Under the tree, the selected field's byte range and its meaning.
enum MessagePane: PaneComponent {
    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext) {
        let info = context.info
        let g = context.glyphs
        let rows = context.state.visibleRows(info)
        let selected = context.state.selectedField(context.data)
        let cursor = rows.firstIndex { $0.id == selected } ?? 0
        if context.hidden {
            grid.box(rect, title: "Message", style: context.borderStyle(.message))
            return
        }
        let title = info.isEpilogue ? "Eavesdropper" : info.message == nil ? "Record" : "Message"
        grid.box(
            rect, title: "\(title)\(g.dot)\(info.title)", note: rows.isEmpty ? nil : "\(cursor + 1)/\(rows.count)",
            style: context.borderStyle(.message))
        let inner = rect.inner
        guard inner.width > 4, inner.height > 0 else { return }
        // The selected field's meaning is on the explanation line under the narration; the footer says where its
        // bytes are (and, with room to spare, the meaning again in full).
        let footerLines = inner.height >= 16 ? 2 : inner.height >= 5 ? 1 : 0
        let visible = inner.height - footerLines
        let top = centeredTop(cursor: cursor, count: rows.count, visible: visible)
        let inlineMeaning = inner.width >= 70
        for line in 0..<visible {
            let index = top + line
            guard rows.indices.contains(index) else { break }
            let row = rows[index]
            let y = inner.y + line
            let marker: Character =
                row.hasChildren ? (context.state.isExpanded(row) ? g.expanded : g.collapsed) : " "
            var segments = [
                Segment(String(repeating: " ", count: row.depth * 2) + String(marker) + " "),
                Segment(row.name, row.isAlert ? .alert : .title), Segment(": ", .dim),
                Segment(row.value, row.isAlert ? .alert : .normal),
            ]
            if inlineMeaning, let meaning = row.meaning {
                segments.append(Segment("  — \(meaning)", .dim))
            }
            if row.id == selected {
                segments = segments.map { Segment($0.text, context.cursorStyle(.message)) }
                grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: context.cursorStyle(.message))
            }
            grid.put(segments, x: inner.x, y: y, limit: inner.width)
            if g.sanitize(segments.map(\.text).joined()).count > inner.width {
                grid[inner.maxX - 1, y] = Cell(g.unicode ? "…" : ">", row.id == selected ? context.cursorStyle(.message) : .dim)
            }
        }
        guard footerLines > 0, info.fields.indices.contains(selected) else { return }
        let row = info.fields[selected]
        var footer = ""
        if let range = row.range, info.buffers.indices.contains(range.buffer) {
            let place: String
            switch info.buffers[range.buffer].kind {
            case .wire: place = "on the wire"
            case .plaintext: place = "decrypted"
            case .message: place = "of the message"
            case .original: place = "as sent"
            case .value: place = "of the value"
            }
            footer =
                range.length == 0
                ? "[empty at byte \(range.start) \(place)] "
                : "[\(Format.span(range.range)) \(place), \(Format.bytes(range.length))] "
        }
        if footerLines > 1 { footer += row.meaning ?? "" }
        let lines = TextLayout.wrap(footer, width: inner.width, maxLines: footerLines, glyphs: g)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: inner.x, y: inner.maxY - footerLines + i, style: .dim)
        }
    }
}
