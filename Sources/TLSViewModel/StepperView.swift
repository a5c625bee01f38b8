/// Renders the stepper — header, panes, narration, explanation line, key hint, overlays — or presenter mode, into a
/// grid. Pure: the same state, data and size always give the same cells.
public enum StepperView {
    public static func render(
        _ state: StepperState, _ data: StepperData, width: Int, height: Int, glyphs: Glyphs,
        exports: [ExportKey] = [], canGoBack: Bool = false, lesson: LessonCard? = nil
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
        let context = PaneContext(data: data, state: state, glyphs: glyphs)
        if state.presenter {
            PresenterView.draw(on: &grid, context, lesson: lesson)
        } else {
            // A lesson's text, with two lines of the step's own narration under it when there is room.
            let cardLines = lesson.map { $0.lines(width: width - 2, glyphs: glyphs).count + 2 }
            let layout = StepperLayout(width: width, height: height, focus: state.focus, textLines: cardLines)
            HeaderBar.draw(in: layout.header, on: &grid, title: data.transcript.title, right: headerRight(data, glyphs, width: width))
            if let r = layout.ladder { LadderPane.draw(in: r, on: &grid, context) }
            if let r = layout.message { MessagePane.draw(in: r, on: &grid, context) }
            if let r = layout.hex { HexPane.draw(in: r, on: &grid, context) }
            if let r = layout.secrets { SecretsPane.draw(in: r, on: &grid, context) }
            NarrationPane.draw(in: layout.narration, on: &grid, context, lesson: lesson)
            HintBar.draw(
                in: layout.hint, on: &grid, items: hints(state, data, glyphs: glyphs, exports: exports, lesson: lesson != nil),
                status: state.status)
        }
        drawOverlays(state, context, on: &grid, exports: exports, canGoBack: canGoBack, lesson: lesson != nil)
        return grid
    }

    /// `TLS 1.2 · RSA · seed 1 · tls12-rsa` (the scenario name only when there is room).
    static func headerRight(_ data: StepperData, _ glyphs: Glyphs, width: Int) -> String {
        let t = data.transcript
        var right = [data.versionLabel]
        if !data.keyExchangeLabel.isEmpty { right.append(data.keyExchangeLabel) }
        if let seed = t.seed { right.append("seed \(seed)") }
        let withName = (right + [t.scenario]).joined(separator: glyphs.dot)
        return (glyphs.sanitize(withName).count <= width / 2 ? withName : right.joined(separator: glyphs.dot)) + " "
    }

    static func drawOverlays(
        _ state: StepperState, _ context: PaneContext, on grid: inout Grid, exports: [ExportKey], canGoBack: Bool,
        lesson: Bool
    ) {
        let quizWindow = state.quiz?.isModal ?? false
        // Dim what is behind a window, so the window stands out (also without colour).
        if !state.overlays.isEmpty || quizWindow { grid.restyle(grid.bounds, .dim) }
        for (i, overlay) in state.overlays.enumerated() {
            switch overlay {
            case .help:
                HelpOverlay.draw(
                    on: &grid, glyphs: context.glyphs, exports: exports, canGoBack: canGoBack, lesson: lesson,
                    scroll: state.helpScroll)
            case .derivation(let d):
                let depth = state.overlays[...i].filter { if case .derivation = $0 { return true } else { return false } }.count
                DerivationOverlay.draw(d, depth: depth, on: &grid, context)
            case .explanation(let e): ExplanationOverlay.draw(e, on: &grid, context)
            case .topic(let t): TopicOverlay.draw(t, on: &grid, glyphs: context.glyphs)
            case .glossary(let g): GlossaryOverlay.draw(g, on: &grid, glyphs: context.glyphs)
            case .lab: LabOverlay.draw(on: &grid, context)
            }
        }
        if let quiz = state.quiz, quiz.isModal { QuizOverlay.draw(quiz, on: &grid, context) }
    }

    static func hints(
        _ state: StepperState, _ data: StepperData, glyphs g: Glyphs, exports: [ExportKey], lesson: Bool
    ) -> [(key: String, label: String)] {
        if let quiz = state.quiz, quiz.isModal {
            switch quiz.phase {
            case .asking:
                return [("1-\(quiz.question?.options.count ?? 4)", "answer"), ("s", "skip"), ("Esc", "end the quiz"), ("q", "quit")]
            case .feedback: return [(g.enterKey, "see the step"), ("Esc", "end the quiz"), ("q", "quit")]
            case .finished, .exploring: return [("w", "save the score"), (g.enterKey, "close"), ("q", "quit")]
            }
        }
        if let overlay = state.overlays.last {
            switch overlay {
            case .help: return [(g.upDown, "scroll"), ("Esc", "close"), ("q", "quit")]
            case .derivation:
                return [
                    (g.upDown, "input"), ("Enter", "open its derivation"), ("x", "explain"), ("PgUp/PgDn", "scroll"),
                    ("Esc", "back"), ("q", "quit"),
                ]
            case .explanation:
                return [(g.upDown, "section"), ("Enter", "topic"), ("PgUp/PgDn", "scroll"), ("Esc", "back"), ("q", "quit")]
            case .topic: return [(g.upDown, "scroll"), ("Esc", "back"), ("q", "quit")]
            case .glossary:
                return [(g.upDown, "term"), ("Enter", "topic"), ("x", "explanation"), ("a-z", "jump"), ("Esc", "close"), ("q", "quit")]
            case .lab: return [("Esc", "close"), (g.unicode ? "←→" : "<- ->", "step"), ("q", "quit")]
            }
        }
        var items: [(key: String, label: String)] = [(g.unicode ? "←→" : "<- ->", "step")]
        if lesson { items.append(("n p", "lesson")) }
        items += [("Tab", "pane"), ("x", "explain"), (g.enterKey, "open"), ("P", "present"), ("Q", "quiz"), ("g", "glossary")]
        if data.transcript.lab != nil { items.append(("L", "lab note")) }
        items += [("d", "derivation"), ("a", "alert")]
        for e in exports { items.append((String(e.key), e.label.split(separator: " ").last.map(String.init) ?? e.label)) }
        items.append(("?", "help"))
        items.append(("q", "quit"))
        return items
    }
}
