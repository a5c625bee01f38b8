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

/// What the host must do after a key: the view model never performs I/O itself.
public enum AppCommand: Equatable, Sendable {
    case quit
    /// Run this scenario and call `AppModel.open(_:)` with its transcript.
    case run(String)
    /// Run the export action with this index (see `AppModel.exports`) and report with `setStatus`.
    case export(Int)
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
/// open overlays. A value type: `handle(_:data:)` is the reducer, rendering reads it.
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

    // MARK: Reducer

    /// Applies a key. Returns a command for the host (quit, export), or nil.
    public mutating func handle(_ key: Key, data: StepperData, exports: [ExportKey] = []) -> AppCommand? {
        status = nil
        if let overlay = overlays.last {
            return handleOverlay(overlay, key: key, data: data)
        }
        switch key {
        case .right, .character("n"), .character(" "): go(to: step + 1, data)
        case .left, .character("p"), .backspace: go(to: step - 1, data)
        case .home: go(to: 0, data)
        case .end: go(to: data.steps.count - 1, data)
        case .tab: cycleFocus(by: 1)
        case .backTab: cycleFocus(by: -1)
        case .up: move(-1, data)
        case .down: move(1, data)
        case .pageUp: move(-8, data)
        case .pageDown: move(8, data)
        case .enter: activate(data)
        case .character("d"):
            if let next = data.nextStep(after: step, where: { !$0.derivations.isEmpty }) {
                go(to: next, data)
            } else {
                status = StatusMessage("No step derives anything.")
            }
        case .character("a"):
            if let next = data.nextStep(after: step, where: \.isAlert) {
                go(to: next, data)
            } else {
                status = StatusMessage("No alerts in this run.")
            }
        case .character("?"): overlays.append(.help)
        case .character("q"), .escape, .interrupt: return .quit
        case .character(let c):
            if let i = exports.firstIndex(where: { $0.key == c }) { return .export(i) }
        }
        return nil
    }

    mutating func go(to target: Int, _ data: StepperData) {
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
            if key == .character("?") || key == .enter { overlays.removeLast() }
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
            case .backspace, .left:
                overlays.removeLast()
                return nil
            default: return nil
            }
            overlays[overlays.count - 1] = .derivation(d)
        }
        return nil
    }
}
