/// The bytes of the current record — the wire bytes, or for an encrypted record the decrypted content — with the
/// selected field's bytes highlighted. Offsets (decimal, first column) are positions in the buffer named in the
/// title; the line under the title says what offset 0 is, so the field tree's byte ranges can be checked by eye.
enum HexPane: PaneComponent {
    /// Bytes per line that fit `width` columns (offset, hex in groups of 8, ASCII).
    static func bytesPerLine(width: Int, offsetWidth: Int) -> Int {
        for n in [32, 24, 16, 8] where lineWidth(n, offsetWidth: offsetWidth) <= width { return n }
        return 4
    }

    static func lineWidth(_ n: Int, offsetWidth: Int) -> Int {
        offsetWidth + 2 + (3 * n - 1) + max(0, n / 8 - 1) + 2 + n
    }

    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext) {
        let info = context.info
        guard !context.hidden, let (bufferIndex, highlight) = context.state.hexSelection(context.data),
            info.buffers.indices.contains(bufferIndex)
        else {
            grid.box(rect, title: "Hex", style: context.borderStyle(.hex))
            return
        }
        let buffer = info.buffers[bufferIndex]
        let bytes = buffer.bytes
        let inner = rect.inner
        let offsetWidth = max(4, String(max(0, bytes.count - 1)).count)
        let n = bytesPerLine(width: inner.width, offsetWidth: offsetWidth)
        let totalLines = (bytes.count + n - 1) / n
        let visible = max(0, inner.height - 1)
        let autoTop = highlight.map { max(0, $0.lowerBound / n - visible / 3) } ?? 0
        let top = min(max(0, autoTop + context.state.hexScroll), max(0, totalLines - visible))
        var note: String?
        if let highlight, !highlight.isEmpty {
            note = Format.span(highlight)
        } else if totalLines > visible {
            note = "lines \(top + 1)-\(min(totalLines, top + visible))/\(totalLines)"
        }
        grid.box(
            rect, title: "Hex\(context.glyphs.dot)\(buffer.title)", note: note, style: context.borderStyle(.hex))
        guard inner.width > 10, inner.height > 0 else { return }
        var label = buffer.note
        if context.state.hexAlternate { label = "(other view; Enter switches back) " + label }
        grid.put(
            TextLayout.truncate(label, width: inner.width, glyphs: context.glyphs), x: inner.x, y: inner.y,
            style: .dim)

        func style(_ i: Int) -> Style {
            if let highlight, highlight.contains(i) { return .highlight }
            if buffer.changed.contains(where: { $0.contains(i) }) { return .alert }
            if buffer.dimmed.contains(where: { $0.contains(i) }) { return .dim }
            return .normal
        }
        for line in 0..<visible {
            let index = top + line
            guard index < totalLines else { break }
            let y = inner.y + 1 + line
            let start = index * n
            var x = inner.x
            x += grid.put(Format.rightAligned(start, offsetWidth), x: x, y: y, style: .dim)
            x += 2
            let asciiX = inner.x + offsetWidth + 2 + (3 * n - 1) + max(0, n / 8 - 1) + 2
            for k in 0..<n {
                let i = start + k
                guard i < bytes.count else { break }
                let s = style(i)
                grid.put(Format.hex(bytes[i]), x: x, y: y, style: s)
                let byte = bytes[i]
                grid[asciiX + k, y] = Cell(byte >= 0x20 && byte < 0x7f ? Character(Unicode.Scalar(byte)) : ".", s)
                x += 2
                if k < n - 1 {
                    // The gap takes the highlight when both neighbours have it, so a range reads as one block.
                    let gap = (k + 1) % 8 == 0 ? 2 : 1
                    let joined = i + 1 < bytes.count && s == .highlight && style(i + 1) == .highlight
                    for j in 0..<gap { grid[x + j, y] = Cell(" ", joined ? .highlight : .normal) }
                    x += gap
                }
            }
        }
    }
}
