/// Renders the stepper — header, panes, narration, key hint, overlays — into a grid. Pure: the same state, data
/// and size always give the same cells.
public enum StepperView {
    public static func render(
        _ state: StepperState, _ data: StepperData, width: Int, height: Int, glyphs: Glyphs,
        exports: [ExportKey] = [], canGoBack: Bool = false
    ) -> Grid {
        var grid = Grid(width: width, height: height, glyphs: glyphs)
        guard StepperLayout.fits(width: width, height: height) else {
            TooSmallScreen.draw(
                on: &grid, minimumWidth: StepperLayout.minimumWidth, minimumHeight: StepperLayout.minimumHeight)
            return grid
        }
        guard data.steps.indices.contains(state.step) else {
            grid.put("This transcript has no records to step through.", x: 1, y: 1, style: .alert)
            return grid
        }
        let layout = StepperLayout(width: width, height: height, focus: state.focus)
        let context = PaneContext(data: data, state: state, glyphs: glyphs)
        let t = data.transcript
        var right = [data.versionLabel]
        if !data.keyExchangeLabel.isEmpty { right.append(data.keyExchangeLabel) }
        if let seed = t.seed { right.append("seed \(seed)") }
        // The scenario name only when there is room for it next to the title.
        let withName = (right + [t.scenario]).joined(separator: glyphs.dot)
        let rightText = glyphs.sanitize(withName).count <= width / 2 ? withName : right.joined(separator: glyphs.dot)
        HeaderBar.draw(in: layout.header, on: &grid, title: t.title, right: rightText + " ")
        if let r = layout.ladder { LadderPane.draw(in: r, on: &grid, context) }
        if let r = layout.message { MessagePane.draw(in: r, on: &grid, context) }
        if let r = layout.hex { HexPane.draw(in: r, on: &grid, context) }
        if let r = layout.secrets { SecretsPane.draw(in: r, on: &grid, context) }
        NarrationPane.draw(in: layout.narration, on: &grid, context)
        HintBar.draw(in: layout.hint, on: &grid, items: hints(state, glyphs: glyphs, exports: exports), status: state.status)

        // Dim what is behind a window, so the window stands out (also without colour).
        if !state.overlays.isEmpty { grid.restyle(grid.bounds, .dim) }
        for (i, overlay) in state.overlays.enumerated() {
            switch overlay {
            case .help:
                HelpOverlay.draw(on: &grid, glyphs: glyphs, exports: exports, canGoBack: canGoBack)
            case .derivation(let d):
                let depth = state.overlays[...i].filter { if case .derivation = $0 { return true } else { return false } }.count
                DerivationOverlay.draw(d, depth: depth, on: &grid, context)
            }
        }
        return grid
    }

    static func hints(_ state: StepperState, glyphs g: Glyphs, exports: [ExportKey]) -> [(key: String, label: String)] {
        if let overlay = state.overlays.last {
            switch overlay {
            case .help: return [("Esc", "close"), ("q", "quit")]
            case .derivation:
                return [
                    (g.upDown, "input"), ("Enter", "open its derivation"), ("PgUp/PgDn", "scroll"), ("Esc", "back"),
                    ("q", "quit"),
                ]
            }
        }
        var items: [(key: String, label: String)] = [
            (g.unicode ? "←→" : "<- ->", "step"), ("Tab", "pane"), (g.upDown, "select"), (g.enterKey, "open"),
            ("d", "derivation"), ("a", "alert"),
        ]
        for e in exports { items.append((String(e.key), e.label.split(separator: " ").first.map(String.init) ?? e.label)) }
        items.append(("?", "help"))
        items.append(("q", "quit"))
        return items
    }
}
