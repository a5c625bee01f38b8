import TLSWire

/// The message sequence: client and server lifelines, one arrow per step in order, flights bracketed in the
/// gutter, `[enc]` on encrypted records, alerts in the alert style, steps not reached yet dimmed, and under the
/// current step a line with its record, size and (TLS 1.3) the inner content type.
enum LadderPane: PaneComponent {
    enum Line: Equatable {
        case step(Int)
        case detail(Int)
        case gap
        case outcome
        /// The start of a connection of a multi-connection run.
        case divider(Int)
    }

    static func lines(_ context: PaneContext, available: Int) -> [Line] {
        let data = context.data
        let visible = context.visibleSteps
        let steps = data.steps.prefix(visible)
        let exchange = steps.filter { !$0.isEpilogue }
        let flights = Set(exchange.map(\.flight)).count
        let multi = data.connections.count > 1
        let dividers = multi ? Set(exchange.map(\.connection)).count : 0
        let epilogue = steps.last?.isEpilogue == true ? 2 : 0
        // Blank lines between flights when everything fits with them.
        let gaps = exchange.count + 1 + max(0, flights - 1) + dividers + epilogue + 1 <= available
        var out: [Line] = []
        for (i, step) in exchange.enumerated() {
            if multi, i == 0 || exchange[i - 1].connection != step.connection {
                out.append(.divider(step.connection))
            } else if gaps, i > 0, exchange[i - 1].flight != step.flight {
                out.append(.gap)
            }
            out.append(.step(i))
            if i == context.state.step { out.append(.detail(i)) }
        }
        // The outcome once every step is shown (a quiz hides the ones not answered yet).
        if visible >= data.exchangeStepCount { out.append(.outcome) }
        if let last = steps.last, last.isEpilogue {
            out.append(.gap)
            out.append(.step(last.index))
        }
        return out
    }

    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext) {
        let data = context.data
        let current = context.state.step
        var note = context.info.isEpilogue ? "after the run" : "step \(current + 1)/\(data.exchangeStepCount)"
        if data.connections.count > 1, !context.info.isEpilogue {
            note += "\(context.glyphs.dot)conn. \(context.info.connection + 1)/\(data.connections.count)"
        }
        if context.state.quiz != nil { note = "quiz\(context.glyphs.dot)" + note }
        grid.box(rect, title: "Ladder", note: note, style: context.borderStyle(.ladder))
        let inner = rect.inner
        guard inner.width >= 12, inner.height >= 2 else { return }
        let g = context.glyphs
        let x0 = inner.x + 2
        let lane = inner.width - 2
        grid.put("Client", x: x0, y: inner.y, style: .client)
        grid.put("Server", x: x0 + lane - 6, y: inner.y, style: .server)

        let visible = inner.height - 1
        let all = lines(context, available: visible)
        let cursor = all.firstIndex(of: .step(current)) ?? max(0, all.count - 1)
        // Keep the current step and its detail line in view.
        let top = centeredTop(cursor: cursor + 1, count: all.count, visible: visible)
        for row in 0..<visible {
            let y = inner.y + 1 + row
            let index = top + row
            grid[x0, y] = Cell(g.vertical, .dim)
            grid[x0 + lane - 1, y] = Cell(g.vertical, .dim)
            guard all.indices.contains(index) else { continue }
            switch all[index] {
            case .step(let i):
                if context.data.steps[i].isEpilogue {
                    drawEpilogue(i, x: inner.x, width: inner.width, y: y, on: &grid, context)
                } else {
                    drawStep(i, x0: x0, lane: lane, y: y, gutter: inner.x, on: &grid, context)
                }
            case .detail(let i): drawDetail(i, x: x0 + 2, width: lane - 3, y: y, on: &grid, context)
            case .gap: break
            case .outcome: drawOutcome(x: x0 + 1, width: lane - 2, y: y, on: &grid, context)
            case .divider(let c): drawDivider(c, x: inner.x, width: inner.width, y: y, on: &grid, context)
            }
        }
        if context.hidden, visible > 1 {
            grid.put(
                TextLayout.truncate("? answer to see step \(current + 1)", width: lane - 2, glyphs: g), x: x0 + 2,
                y: inner.y + 1 + min(visible - 1, all.count - top), style: .key)
        }
    }

    /// `═ 2 second visit (resumed with the ticket) · resumed · completed ═` across the lane.
    static func drawDivider(_ c: Int, x: Int, width: Int, y: Int, on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        guard context.data.connections.indices.contains(c) else { return }
        let conn = context.data.connections[c]
        var parts = ["\(c + 1) \(conn.label)"]
        if conn.resumed { parts.append("resumed") }
        if conn.helloRetry { parts.append("HelloRetryRequest") }
        if !conn.outcome.isEmpty { parts.append(conn.outcome) }
        let text = TextLayout.truncate(parts.joined(separator: g.dot), width: max(1, width - 4), glyphs: g)
        let n = g.sanitize(text).count
        let style: Style = conn.failed ? .alert : .title
        let current = context.info.connection == c && !context.info.isEpilogue
        grid.put(String(g.horizontal), x: x, y: y, style: .border)
        grid.put(" " + text + " ", x: x + 1, y: y, style: current ? style : .dim)
        let rest = width - n - 3
        if rest > 0 { grid.put(String(repeating: g.horizontal, count: rest), x: x + n + 3, y: y, style: .border) }
    }

    /// The epilogue's row: centred, in the alert style, the current step's highlight when selected.
    static func drawEpilogue(_ i: Int, x: Int, width: Int, y: Int, on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        let step = context.data.steps[i]
        let title = g.sanitize(step.title).count + 4 <= width ? step.title : step.shortTitle
        let text = TextLayout.truncate(title, width: width - 2, glyphs: g)
        let selected = context.state.step == i
        let style: Style = selected ? context.cursorStyle(.ladder) : .alert
        if selected { grid.fill(Rect(x: x + 1, y: y, width: width - 1, height: 1), style: style) }
        let n = g.sanitize(text).count
        grid.put(text, x: x + max(1, (width - n) / 2), y: y, style: style)
    }

    static func drawStep(_ i: Int, x0: Int, lane: Int, y: Int, gutter: Int, on grid: inout Grid, _ context: PaneContext) {
        let g = context.glyphs
        let steps = context.data.steps
        let step = steps[i]
        let current = context.state.step
        let sideStyle: Style = step.from == .client ? .client : .server

        // Flight bracket.
        let first = i == 0 || steps[i - 1].flight != step.flight
        let last = i == steps.count - 1 || steps[i + 1].flight != step.flight
        let bracket = first && last ? g.flightSingle : first ? g.flightTop : last ? g.flightBottom : g.flightMiddle
        grid[gutter, y] = Cell(bracket, i > current ? .dim : sideStyle)

        // Arrow between the lifelines: " [enc] Title ───▶" or "◀─── [enc] Title "; the outer spaces go first
        // when room is short, then the title is shortened.
        let width = lane - 2
        // `!` marks a record the channel changed, dropped or replayed.
        let marker = (step.channelNote != nil ? "! " : "") + (step.encrypted ? "[enc] " : "")
        let fullLength = marker.count + g.sanitize(step.title).count
        // Short of room, an alert keeps its description (the alert colour says it is one): "certificate_expired",
        // not "Alert: certificate_expi…".
        let short = step.isAlert && step.title.hasPrefix("Alert: ") ? String(step.title.dropFirst(7)) : step.shortTitle
        let title = fullLength + 3 <= width ? step.title : short
        let padded = marker.count + g.sanitize(title).count + 4 <= width
        let text = TextLayout.truncate(title, width: max(1, width - 3 - marker.count), glyphs: g)
        let labelLength = marker.count + g.sanitize(text).count
        let shaft = String(repeating: g.horizontal, count: max(1, width - labelLength - (padded ? 3 : 2)))
        let pad = padded ? " " : ""
        let future = i > current
        let textStyle: Style = future ? .dim : step.isAlert ? .alert : .normal
        let arrowStyle: Style = future ? .dim : step.isAlert ? .alert : sideStyle
        let markerStyle: Style = future ? .dim : step.channelNote != nil ? .alert : .encrypted
        var segments: [Segment]
        if step.from == .client {
            segments = [
                Segment(pad), Segment(marker, markerStyle), Segment(text, textStyle), Segment(" "),
                Segment(shaft + String(g.arrowRight), arrowStyle),
            ]
        } else {
            segments = [
                Segment(String(g.arrowLeft) + shaft, arrowStyle), Segment(" "), Segment(marker, markerStyle),
                Segment(text, textStyle), Segment(pad),
            ]
        }
        if i == current {
            segments = segments.map { Segment($0.text, context.cursorStyle(.ladder)) }
        }
        let used = grid.put(segments, x: x0 + 1, y: y, limit: width)
        if i == current, used < width {
            grid.fill(Rect(x: x0 + 1 + used, y: y, width: width - used, height: 1), style: context.cursorStyle(.ladder))
        }
    }

    static func drawDetail(_ i: Int, x: Int, width: Int, y: Int, on grid: inout Grid, _ context: PaneContext) {
        let step = context.data.steps[i]
        // TLS 1.3 (RFC 8446 §5.2): the wire says application_data; the real type is inside the encryption.
        let inner = step.encrypted && step.outerType != step.innerType ? step.innerType : nil
        let r = "record \(step.record + 1)"
        let variants: [String]
        if let inner {
            variants = [
                "\(r), \(Format.bytes(step.recordLength)), inner type \(inner)", "\(r), inner type \(inner)",
                "\(r), inner \(inner)", "inner type \(inner)",
            ]
        } else if step.encrypted {
            variants = ["\(r), \(Format.bytes(step.recordLength)), encrypted", "\(r), \(step.recordLength) B, encrypted"]
        } else {
            variants = ["\(r), \(Format.bytes(step.recordLength))"]
        }
        if step.channelNote != nil {
            let changed = variants.map { $0 + ", channel!" } + ["changed by the channel"]
            let text = changed.first { context.glyphs.sanitize($0).count <= width } ?? changed[changed.count - 1]
            grid.put(TextLayout.truncate(text, width: width, glyphs: context.glyphs), x: x, y: y, style: .alert)
            return
        }
        let text = variants.first { context.glyphs.sanitize($0).count <= width } ?? variants[variants.count - 1]
        grid.put(TextLayout.truncate(text, width: width, glyphs: context.glyphs), x: x, y: y, style: .dim)
    }

    static func drawOutcome(x: Int, width: Int, y: Int, on grid: inout Grid, _ context: PaneContext) {
        let t = context.data.transcript
        let text: String
        let style: Style
        switch t.outcome.status {
        case .completed:
            text = "handshake completed"
            style = .dim
        case .failed:
            text = "failed: \(t.outcome.alert?.description ?? "error")"
            style = .alert
        case .incomplete:
            text = "incomplete"
            style = .alert
        }
        // "failed: bad_record_mac", or just the alert when that does not fit.
        var fitted = text
        if context.glyphs.sanitize(text).count > width - 4, t.outcome.status == .failed, let alert = t.outcome.alert {
            fitted = alert.description
        }
        let label = TextLayout.truncate(fitted, width: max(1, width - 4), glyphs: context.glyphs)
        let n = context.glyphs.sanitize(label).count
        let left = max(0, (width - n - 2) / 2)
        let rule = String(repeating: context.glyphs.horizontal, count: left)
        grid.put(rule + " " + label + " " + rule, x: x, y: y, style: style, limit: width)
    }
}
