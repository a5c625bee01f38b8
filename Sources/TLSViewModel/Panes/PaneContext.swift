/// What every pane reads while drawing.
struct PaneContext {
    let data: StepperData
    let state: StepperState
    let glyphs: Glyphs

    var info: StepInfo { data.steps[state.step] }
    /// Steps `0..<visibleSteps` may be shown (a quiz hides the ones not answered yet).
    var visibleSteps: Int { state.visibleSteps(data) }
    /// The current step is not revealed yet (a quiz asks about the first step before showing it).
    var hidden: Bool { state.step >= visibleSteps }
    func focused(_ pane: Pane) -> Bool { state.focus == pane && state.overlays.isEmpty }
    func borderStyle(_ pane: Pane) -> Style { focused(pane) ? .focus : .border }
    func cursorStyle(_ pane: Pane) -> Style { focused(pane) ? .selected : .current }
}

/// A pane: draws itself into a rectangle of the grid (like gitui's components).
protocol PaneComponent {
    static func draw(in rect: Rect, on grid: inout Grid, _ context: PaneContext)
}

/// Scroll position that keeps `cursor` near the middle of a list of `count` lines shown in `visible` lines.
func centeredTop(cursor: Int, count: Int, visible: Int) -> Int {
    guard count > visible, visible > 0 else { return 0 }
    return min(max(0, cursor - visible / 2), count - visible)
}
