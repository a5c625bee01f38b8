/// The current message's field tree: name, value and (when there is room) meaning per row; `▸` rows expand with
/// Enter. Under the tree, the selected field's byte range and its meaning.
enum MessagePane: PaneComponent {
    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext) {
        let info = context.info
        let g = context.glyphs
        let rows = context.state.visibleRows(info)
        let selected = context.state.selectedField(context.data)
        let cursor = rows.firstIndex { $0.id == selected } ?? 0
        let title = info.message == nil ? "Record" : "Message"
        grid.box(
            rect, title: "\(title)\(g.dot)\(info.title)", note: rows.isEmpty ? nil : "\(cursor + 1)/\(rows.count)",
            style: context.borderStyle(.message))
        let inner = rect.inner
        guard inner.width > 4, inner.height > 0 else { return }
        let footerLines = inner.height >= 6 ? 2 : 0
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
                Segment(row.name, .title), Segment(": ", .dim), Segment(row.value),
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
            let place = info.buffers[range.buffer].kind == .wire ? "on the wire" : info.buffers[range.buffer].kind == .plaintext ? "decrypted" : "of the message"
            footer =
                range.length == 0
                ? "[empty at byte \(range.start) \(place)] "
                : "[bytes \(range.start)-\(range.start + range.length - 1) \(place), \(Format.bytes(range.length))] "
        }
        footer += row.meaning ?? ""
        let lines = TextLayout.wrap(footer, width: inner.width, maxLines: footerLines, glyphs: g)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: inner.x, y: inner.maxY - footerLines + i, style: .dim)
        }
    }
}
