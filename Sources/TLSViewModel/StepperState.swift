import TLSTeaching
import TLSTranscript
import TLSWire

/// The stepper's panes, in Tab order.
public enum Pane: Int, CaseIterable, Sendable {
    case ladder, message, hex, secrets

    public var title: String {
        switch self {
        case .ladder: return "Ladder"
        case .message: return "Message"
        case .hex: return "Hex"
        case .secrets: return "Secrets"
        }
    }
}

/// A window over the panes.
public enum Overlay: Equatable, Sendable {
    /// Every key.
    case help
    /// One derivation: formula, inputs and where they came from, label, output.
    case derivation(DerivationOverlayState)
    /// Plain-language explanations with their RFC sections (`x`): the selected item first, then the others of
    /// the step.
    case explanation(ExplanationOverlayState)
    /// An explain topic's full text (`tlslab explain TOPIC`).
    case topic(TopicOverlayState)
    /// The glossary (`g`).
    case glossary(GlossaryOverlayState)
    /// The failure-lab note: what the user sees, why, how to fix it (`L`; opens by itself at the failure).
    case lab
}

/// The explanation window: sections, one selected (Enter opens its topic), and a scroll offset.
public struct ExplanationOverlayState: Equatable, Sendable {
    public var items: [Explanation]
    public var selected = 0
    public var scroll = 0

    public init(items: [Explanation], selected: Int = 0, scroll: Int = 0) {
        self.items = items
        self.selected = selected
        self.scroll = scroll
    }
}

/// An explain topic (`Topics.topic(id)`), scrolled.
public struct TopicOverlayState: Equatable, Sendable {
    public var id: String
    public var scroll = 0

    public init(id: String, scroll: Int = 0) {
        self.id = id
        self.scroll = scroll
    }
}

/// The glossary window: the selected term (index into `Glossary.terms`).
public struct GlossaryOverlayState: Equatable, Sendable {
    public var cursor = 0

    public init(cursor: Int = 0) { self.cursor = cursor }
}

public struct DerivationOverlayState: Equatable, Sendable {
    /// Index into `Transcript.events`.
    public var event: Int
    /// The selected input (index into `DerivationInfo.inputs`).
    public var input: Int?
    /// Lines scrolled with PageUp/PageDown (or ↑/↓ when there are no inputs).
    public var scroll: Int = 0

    public init(event: Int, input: Int?, scroll: Int = 0) {
        self.event = event
        self.input = input
        self.scroll = scroll
    }
}

/// The selected value in the secrets pane.
public struct SecretCursor: Equatable, Sendable {
    public var side: Side
    /// Index into `StepInfo.knowledge(side)`.
    public var index: Int

    public init(side: Side, index: Int) {
        self.side = side
        self.index = index
    }
}

/// A line in the status bar (replaces the key hint until the next key).
public struct StatusMessage: Equatable, Sendable {
    public var text: String
    public var isError: Bool

    public init(_ text: String, isError: Bool = false) {
        self.text = text
        self.isError = isError
    }
}

/// A file the host should write (atomically, into the current directory) and report with `setStatus`.
public struct SaveRequest: Equatable, Sendable {
    /// A plain file name, e.g. `tlslab-quiz-tls12-rsa-seed1.json`.
    public var fileName: String
    public var contents: [UInt8]
    /// What it is, for the status line: `quiz score`.
    public var label: String

    public init(fileName: String, contents: [UInt8], label: String) {
        self.fileName = fileName
        self.contents = contents
        self.label = label
    }
}

/// What the host must do after a key: the view model never performs I/O itself.
public enum AppCommand: Equatable, Sendable {
    case quit
    /// Run this scenario and call `AppModel.open(_:)` with its transcript.
    case run(String)
    /// Run the export action with this index (see `AppModel.exports`) and report with `setStatus`.
    case export(Int)
    /// Write a file the view model prepared (the quiz score) and report with `setStatus`.
    case save(SaveRequest)
}

/// A key that exports the current transcript, e.g. `e` → JSON. The host owns the action itself.
public struct ExportKey: Equatable, Sendable {
    public var key: Character
    public var label: String

    public init(key: Character, label: String) {
        self.key = key
        self.label = label
    }
}

/// The stepper's UI state: which step, which pane has the keyboard, what is selected and expanded in each step,
/// open overlays, presenter mode and the quiz. A value type: `handle(_:data:)` is the reducer, rendering reads it.
public struct StepperState: Equatable, Sendable {
    public var step = 0
    public var focus: Pane = .ladder
    /// Selected field row per step (default: `StepInfo.defaultField`).
    public var fieldCursor: [Int: Int] = [:]
    /// Rows whose expansion the user toggled, per step (relative to `FieldRow.expandedByDefault`).
    public var toggled: [Int: Set<Int>] = [:]
    /// Hex lines scrolled away from the automatic position (which keeps the selected field in view).
    public var hexScroll = 0
    /// Show the step's other buffer (wire bytes ↔ decrypted content) instead of the selected field's.
    public var hexAlternate = false
    public var secret: SecretCursor?
    public var overlays: [Overlay] = []
    public var status: StatusMessage?
    /// Presenter mode (`P`): only the ladder and the narration, large, for a projector.
    public var presenter = false
    /// The quiz (`Q`), while it runs.
    public var quiz: QuizState?
    /// The lab note opened by itself once; afterwards `L` reopens it.
    public var labSeen = false
    /// Lines the help window is scrolled.
    public var helpScroll = 0

    public init() {}

    /// The state a freshly opened transcript starts in: the first step, the ladder focused.
    public init(data: StepperData) {
        if let first = data.steps.first { secret = Self.defaultSecret(first) }
    }

    // MARK: Queries

    public func selectedField(_ data: StepperData) -> Int {
        guard data.steps.indices.contains(step) else { return 0 }
        let info = data.steps[step]
        let row = fieldCursor[step] ?? info.defaultField
        return info.fields.indices.contains(row) ? row : 0
    }

    public func isExpanded(_ row: FieldRow) -> Bool {
        row.expandedByDefault != (toggled[step]?.contains(row.id) ?? false)
    }

    /// The rows currently visible in the message pane (collapsed subtrees skipped), in order.
    public func visibleRows(_ info: StepInfo) -> [FieldRow] {
        var out: [FieldRow] = []
        var i = 0
        let rows = info.fields
        while i < rows.count {
            let row = rows[i]
            out.append(row)
            i = row.hasChildren && !isExpanded(row) ? row.subtreeEnd : i + 1
        }
        return out
    }

    /// The buffer the hex pane shows and the range to highlight in it.
    public func hexSelection(_ data: StepperData) -> (buffer: Int, range: Range<Int>?)? {
        guard data.steps.indices.contains(step) else { return nil }
        let info = data.steps[step]
        guard !info.buffers.isEmpty else { return nil }
        let row = selectedField(data)
        let range = info.fields.indices.contains(row) ? info.fields[row].range : nil
        let selected = range?.buffer ?? 0
        if hexAlternate, info.buffers.count > 1 {
            return ((selected + 1) % info.buffers.count, nil)
        }
        return (selected, range?.range)
    }

    /// The derivation event under the secrets cursor.
    public func selectedSecretEvent(_ data: StepperData) -> Int? {
        guard let secret, data.steps.indices.contains(step) else { return nil }
        let list = data.steps[step].knowledge(secret.side)
        return list.indices.contains(secret.index) ? list[secret.index].event : nil
    }

    /// Steps `0..<visibleSteps` are shown; during a quiz the steps not answered yet are hidden.
    public func visibleSteps(_ data: StepperData) -> Int {
        min(data.steps.count, quiz?.revealed ?? data.steps.count)
    }

    /// What is selected, explained: in the ladder (and in presenter mode) the step's message, record or alert;
    /// in the message and hex panes the selected field; in the secrets pane the selected value.
    public func explainItem(_ data: StepperData) -> ExplainItem? {
        guard data.steps.indices.contains(step) else { return nil }
        let info = data.steps[step]
        let stepItem = info.explanations.first.map { ExplainItem($0) }
        if presenter { return stepItem }
        switch focus {
        case .ladder:
            return stepItem
        case .message, .hex:
            let row = selectedField(data)
            guard info.fields.indices.contains(row) else { return stepItem }
            let field = info.fields[row]
            if let e = field.explanation { return ExplainItem(e, summary: field.meaning) }
            if let meaning = field.meaning { return ExplainItem(title: field.name, rfc: nil, summary: meaning, explanation: nil) }
            return stepItem
        case .secrets:
            guard let e = selectedSecretEvent(data), let info = data.derivations[e] else { return stepItem }
            if let x = info.explanation { return ExplainItem(x) }
            return ExplainItem(
                title: info.derivation.name, rfc: nil, summary: info.derivation.note ?? info.derivation.formula,
                explanation: nil)
        }
    }

    // MARK: Reducer

    /// Applies a key. Returns a command for the host (quit, export, save), or nil.
    public mutating func handle(_ key: Key, data: StepperData, exports: [ExportKey] = []) -> AppCommand? {
        status = nil
        if let quiz, quiz.isModal {
            return handleQuiz(key, quiz, data: data)
        }
        if let overlay = overlays.last {
            return handleOverlay(overlay, key: key, data: data)
        }
        if presenter {
            switch key {
            case .character("P"):
                presenter = false
                return nil
            case .escape:
                presenter = false
                return nil
            case .up, .pageUp:
                go(to: step - 1, data)
                return nil
            case .down, .pageDown:
                go(to: step + 1, data)
                return nil
            case .tab, .backTab, .enter:
                return nil
            default: break
            }
        }
        switch key {
        case .right, .character("n"), .character(" "): go(to: step + 1, data)
        case .left, .character("p"), .backspace: go(to: step - 1, data)
        case .home: go(to: 0, data)
        case .end: go(to: visibleSteps(data) - 1, data)
        case .tab: cycleFocus(by: 1)
        case .backTab: cycleFocus(by: -1)
        case .up: move(-1, data)
        case .down: move(1, data)
        case .pageUp: move(-8, data)
        case .pageDown: move(8, data)
        case .enter: activate(data)
        case .character("d"):
            if let next = nextVisibleStep(data, where: { !$0.derivations.isEmpty }) {
                go(to: next, data)
            } else {
                status = StatusMessage("No step derives anything.")
            }
        case .character("a"):
            if let next = nextVisibleStep(data, where: \.isAlert) {
                go(to: next, data)
            } else {
                status = StatusMessage("No alerts in this run.")
            }
        case .character("x"): openExplanation(data)
        case .character("g"): overlays.append(.glossary(GlossaryOverlayState()))
        case .character("P"): presenter = true
        case .character("Q"):
            if let quiz {
                stopQuiz(quiz)
            } else {
                startQuiz(data)
            }
        case .character("L"):
            if data.transcript.lab != nil {
                overlays.append(.lab)
                labSeen = true
            } else {
                status = StatusMessage("This scenario has no failure-lab note.")
            }
        case .character("?"):
            helpScroll = 0
            overlays.append(.help)
        case .character("q"), .escape, .interrupt: return .quit
        case .character(let c):
            if let i = exports.firstIndex(where: { $0.key == c }) { return .export(i) }
        }
        return nil
    }

    /// The next step after the current one (wrapping) that satisfies `predicate`, among the visible steps.
    func nextVisibleStep(_ data: StepperData, where predicate: (StepInfo) -> Bool) -> Int? {
        let limit = visibleSteps(data)
        guard limit > 0 else { return nil }
        for offset in 1...limit {
            let i = (step + offset) % limit
            if predicate(data.steps[i]) { return i }
        }
        return nil
    }

    /// Moves to a step. During a quiz a step not shown yet is first asked about (or revealed when it has no
    /// question); arriving at the failure of a failure-lab scenario opens its note once.
    mutating func go(to target: Int, _ data: StepperData) {
        guard !data.steps.isEmpty else { return }
        if var quiz {
            if target >= quiz.revealed {
                guard quiz.revealed < data.steps.count else {
                    // Past the last step: the quiz is over.
                    stopQuiz(quiz)
                    return
                }
                if let q = quiz.session.question, q.step <= quiz.revealed {
                    quiz.phase = .asking
                    quiz.shown = quiz.session.current ?? 0
                    self.quiz = quiz
                    return
                }
                quiz.revealed += 1
                self.quiz = quiz
                show(quiz.revealed - 1, data)
                return
            }
        }
        show(target, data)
        if data.labStep == step, !labSeen, !presenter, quiz == nil {
            overlays.append(.lab)
            labSeen = true
        }
    }

    /// Selects a step (clamped) and resets what belongs to the previous one.
    mutating func show(_ target: Int, _ data: StepperData) {
        guard !data.steps.isEmpty else { return }
        let clamped = min(max(0, target), data.steps.count - 1)
        if clamped == step && secret != nil { return }
        step = clamped
        hexScroll = 0
        hexAlternate = false
        secret = Self.defaultSecret(data.steps[clamped])
    }

    /// The first value derived at the step (client first), else the client's latest value.
    static func defaultSecret(_ info: StepInfo) -> SecretCursor? {
        for side in [Side.client, .server] {
            if let i = info.knowledge(side).firstIndex(where: \.new) { return SecretCursor(side: side, index: i) }
        }
        if !info.client.isEmpty { return SecretCursor(side: .client, index: info.client.count - 1) }
        if !info.server.isEmpty { return SecretCursor(side: .server, index: info.server.count - 1) }
        return nil
    }

    mutating func cycleFocus(by delta: Int) {
        let all = Pane.allCases
        let i = (focus.rawValue + delta + all.count) % all.count
        focus = all[i]
    }

    mutating func move(_ delta: Int, _ data: StepperData) {
        guard data.steps.indices.contains(step) else { return }
        let info = data.steps[step]
        switch focus {
        case .ladder:
            go(to: step + delta, data)
        case .message:
            let rows = visibleRows(info)
            guard !rows.isEmpty else { return }
            let current = rows.firstIndex { $0.id == selectedField(data) } ?? 0
            let next = min(max(0, current + delta), rows.count - 1)
            fieldCursor[step] = rows[next].id
            hexScroll = 0
            hexAlternate = false
        case .hex:
            hexScroll += delta
        case .secrets:
            moveSecret(delta, info)
        }
    }

    /// Moves through the client's values, then the server's, as one list.
    mutating func moveSecret(_ delta: Int, _ info: StepInfo) {
        let total = info.client.count + info.server.count
        guard total > 0 else { return }
        let current: Int
        if let s = secret { current = s.side == .client ? s.index : info.client.count + s.index } else { current = -1 }
        let next = min(max(0, current + delta), total - 1)
        secret =
            next < info.client.count
            ? SecretCursor(side: .client, index: next) : SecretCursor(side: .server, index: next - info.client.count)
    }

    mutating func activate(_ data: StepperData) {
        guard data.steps.indices.contains(step) else { return }
        let info = data.steps[step]
        switch focus {
        case .ladder:
            focus = .message
        case .message:
            let row = selectedField(data)
            guard info.fields.indices.contains(row), info.fields[row].hasChildren else { return }
            toggled[step, default: []].formSymmetricDifference([row])
        case .hex:
            if info.buffers.count > 1 { hexAlternate.toggle() }
            hexScroll = 0
        case .secrets:
            if let e = selectedSecretEvent(data) { openDerivation(e, data) }
        }
    }

    mutating func openDerivation(_ event: Int, _ data: StepperData) {
        guard let info = data.derivations[event] else { return }
        let first = info.inputs.firstIndex { $0.derivedBy != nil } ?? (info.inputs.isEmpty ? nil : 0)
        overlays.append(.derivation(DerivationOverlayState(event: event, input: first)))
    }

    /// `x`: the selected item's explanation first, then the step's other explanations.
    mutating func openExplanation(_ data: StepperData) {
        guard data.steps.indices.contains(step) else { return }
        var items: [Explanation] = []
        if let item = explainItem(data) {
            items.append(
                item.explanation
                    ?? Explanation(
                        kind: .field, key: item.title, title: item.title, summary: item.summary, detail: item.summary,
                        rfc: item.rfc ?? ""))
        }
        // A message is explained both as the root field and as the step's message: once is enough.
        for e in data.steps[step].explanations where !items.contains(where: { $0.key == e.key || $0.title == e.title }) {
            items.append(e)
        }
        guard !items.isEmpty else {
            status = StatusMessage("Nothing to explain here.")
            return
        }
        overlays.append(.explanation(ExplanationOverlayState(items: items)))
    }

    mutating func handleOverlay(_ overlay: Overlay, key: Key, data: StepperData) -> AppCommand? {
        switch key {
        case .character("q"), .interrupt: return .quit
        case .escape:
            overlays.removeLast()
            return nil
        default: break
        }
        switch overlay {
        case .help:
            switch key {
            case .character("?"), .enter: overlays.removeLast()
            case .up: helpScroll = max(0, helpScroll - 1)
            case .down: helpScroll += 1
            case .pageUp: helpScroll = max(0, helpScroll - 8)
            case .pageDown: helpScroll += 8
            case .home: helpScroll = 0
            default: break
            }
        case .derivation(var d):
            let inputs = data.derivations[d.event]?.inputs ?? []
            switch key {
            case .up, .down:
                let delta = key == .up ? -1 : 1
                if let i = d.input, !inputs.isEmpty {
                    d.input = min(max(0, i + delta), inputs.count - 1)
                } else {
                    d.scroll = max(0, d.scroll + delta)
                }
            case .pageUp: d.scroll = max(0, d.scroll - 8)
            case .pageDown: d.scroll += 8
            case .home: d.scroll = 0
            case .enter:
                if let i = d.input, inputs.indices.contains(i), let e = inputs[i].derivedBy {
                    openDerivation(e, data)
                    return nil
                }
            case .character("x"):
                if let x = data.derivations[d.event]?.explanation {
                    overlays.append(.explanation(ExplanationOverlayState(items: [x])))
                }
                return nil
            case .backspace, .left:
                overlays.removeLast()
                return nil
            default: return nil
            }
            overlays[overlays.count - 1] = .derivation(d)
        case .explanation(var e):
            switch key {
            case .up: e.selected = max(0, e.selected - 1)
            case .down: e.selected = min(max(0, e.items.count - 1), e.selected + 1)
            case .pageUp: e.scroll -= 8
            case .pageDown: e.scroll += 8
            case .home: e = ExplanationOverlayState(items: e.items)
            case .enter, .character("t"):
                if e.items.indices.contains(e.selected), let topic = e.items[e.selected].topic,
                    Topics.topic(topic) != nil
                {
                    overlays.append(.topic(TopicOverlayState(id: topic)))
                } else {
                    status = StatusMessage("No explain topic for this item.")
                }
                return nil
            case .character("x"), .backspace, .left:
                overlays.removeLast()
                return nil
            default: return nil
            }
            // Selecting another section scrolls it into view again.
            if key == .up || key == .down { e.scroll = 0 }
            overlays[overlays.count - 1] = .explanation(e)
        case .topic(var t):
            switch key {
            case .up: t.scroll = max(0, t.scroll - 1)
            case .down: t.scroll += 1
            case .pageUp: t.scroll = max(0, t.scroll - 8)
            case .pageDown, .character(" "): t.scroll += 8
            case .home: t.scroll = 0
            case .enter, .backspace, .left:
                overlays.removeLast()
                return nil
            default: return nil
            }
            overlays[overlays.count - 1] = .topic(t)
        case .glossary(var g):
            let count = Glossary.terms.count
            switch key {
            case .up: g.cursor = max(0, g.cursor - 1)
            case .down: g.cursor = min(count - 1, g.cursor + 1)
            case .pageUp: g.cursor = max(0, g.cursor - 8)
            case .pageDown: g.cursor = min(count - 1, g.cursor + 8)
            case .home: g.cursor = 0
            case .end: g.cursor = count - 1
            case .enter:
                let term = Glossary.terms[g.cursor]
                if Topics.topic(term.topic) != nil { overlays.append(.topic(TopicOverlayState(id: term.topic))) }
                return nil
            case .character("x"):
                let term = Glossary.terms[g.cursor]
                let found = term.explanation.map(Explanations.lookup) ?? []
                if found.isEmpty {
                    status = StatusMessage("\(term.term) has no protocol item to explain; Enter opens its topic.")
                } else {
                    overlays.append(.explanation(ExplanationOverlayState(items: found)))
                }
                return nil
            case .character("g"), .backspace, .left:
                overlays.removeLast()
                return nil
            case .character(let c) where c.isLetter:
                // A letter jumps to the next term starting with it.
                let lower = Character(c.lowercased())
                let order = Array(g.cursor + 1..<count) + Array(0...g.cursor)
                if let i = order.first(where: { Glossary.terms[$0].term.lowercased().first == lower }) { g.cursor = i }
            default: return nil
            }
            overlays[overlays.count - 1] = .glossary(g)
        case .lab:
            switch key {
            case .enter, .character("L"):
                overlays.removeLast()
            case .right, .left, .character("n"), .character("p"), .character(" "), .backspace, .home, .end:
                // Stepping keys close the note and step.
                overlays.removeLast()
                return handle(key, data: data)
            default: break
            }
        }
        return nil
    }
}

/// The selected item, explained in one line: its title, RFC section and summary (the narration area shows it;
/// `x` opens the whole explanation).
public struct ExplainItem: Equatable, Sendable {
    public var title: String
    public var rfc: String?
    public var summary: String
    public var explanation: Explanation?

    public init(title: String, rfc: String?, summary: String, explanation: Explanation?) {
        self.title = title
        self.rfc = rfc
        self.summary = summary
        self.explanation = explanation
    }

    init(_ e: Explanation, summary: String? = nil) {
        self.init(title: e.title, rfc: e.rfc.isEmpty ? nil : e.rfc, summary: summary ?? e.summary, explanation: e)
    }
}
