/// The start screen's sections.
public enum ScenarioGroup: Int, CaseIterable, Comparable, Sendable {
    /// One full handshake: TLS 1.2 and 1.3, the key exchanges, mutual TLS, HelloRetryRequest.
    case core
    /// More than one handshake: resumption, 0-RTT, key update.
    case beyond
    /// Failure-lab scenarios: errors, attacks, eavesdroppers.
    case lab

    public var heading: String {
        switch self {
        case .core: return "Core handshakes"
        case .beyond: return "Beyond one handshake"
        case .lab: return "Failure lab"
        }
    }

    public static func < (a: ScenarioGroup, b: ScenarioGroup) -> Bool { a.rawValue < b.rawValue }
}

/// One scenario on the start screen (built by the CLI from `ScenarioCatalog.entries()`).
public struct ScenarioItem: Equatable, Sendable {
    public var name: String
    public var title: String
    public var description: String
    /// `TLS 1.3`, `TLS 1.2`, `1.3/1.2` (`Scenario.versionBadge`).
    public var versionBadge: String
    /// `RSA`, `ECDHE`, `(EC)DHE` (`Scenario.keyExchangeBadge`).
    public var keyExchangeBadge: String
    /// Why the file does not load; nil for a good scenario.
    public var problem: String?
    /// The section it is listed in.
    public var group: ScenarioGroup

    public init(
        name: String, title: String, description: String, versionBadge: String, keyExchangeBadge: String,
        problem: String? = nil, group: ScenarioGroup = .core
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.versionBadge = versionBadge
        self.keyExchangeBadge = keyExchangeBadge
        self.problem = problem
        self.group = group
    }

    /// A scenario file that does not load: listed, but cannot be run (under the failure lab when its name says
    /// so).
    public static func broken(name: String, problem: String) -> ScenarioItem {
        ScenarioItem(
            name: name, title: "", description: "", versionBadge: "", keyExchangeBadge: "", problem: problem,
            group: name.hasPrefix("lab-") ? .lab : .core)
    }

    /// The description's first sentence, for the list.
    public var summary: String {
        guard let end = description.firstRange(of: ". ") else { return description }
        return String(description[..<end.lowerBound]) + "."
    }

    /// Does the item match every word of a filter (in its name, title, badges or section)?
    public func matches(_ filter: String) -> Bool {
        let haystack = [name, title, versionBadge, keyExchangeBadge, group.heading].joined(separator: " ").lowercased()
        return filter.lowercased().split(separator: " ").allSatisfy { haystack.contains($0) }
    }
}

/// The start screen: the scenarios in sections, an optional filter (`/`), and what Enter would run.
public struct StartState: Equatable, Sendable {
    /// Sorted by section (stable within one).
    public private(set) var items: [ScenarioItem]
    /// Index into `items`.
    public var cursor = 0
    public var status: StatusMessage?
    /// The scenario being run (the screen says so until the stepper opens).
    public var running: String?
    /// Only items matching it are listed.
    public private(set) var filter = ""
    /// Typed characters go to the filter (after `/`).
    public private(set) var filtering = false

    /// Starts on `preferred` (e.g. the default scenario) when it is listed and loads, else on the first scenario
    /// that loads.
    public init(items: [ScenarioItem], preferred: String? = nil) {
        self.items = items.enumerated().sorted { ($0.element.group, $0.offset) < ($1.element.group, $1.offset) }.map(\.element)
        let all = self.items
        cursor =
            all.firstIndex { $0.name == preferred && $0.problem == nil } ?? all.firstIndex { $0.problem == nil } ?? 0
    }

    /// Indices of the items listed (all, or those matching the filter), in order.
    public var visible: [Int] { items.indices.filter { filter.isEmpty || items[$0].matches(filter) } }

    mutating func moveCursor(by delta: Int) {
        let list = visible
        guard !list.isEmpty else { return }
        let position = list.firstIndex(of: cursor) ?? 0
        cursor = list[min(max(0, position + delta), list.count - 1)]
    }

    /// Keeps the cursor on a listed item after the filter changed.
    mutating func refilter() {
        let list = visible
        if !list.contains(cursor), let first = list.first(where: { items[$0].problem == nil }) ?? list.first {
            cursor = first
        }
    }

    public mutating func handle(_ key: Key) -> AppCommand? {
        status = nil
        if filtering {
            switch key {
            case .escape:
                filter = ""
                filtering = false
                refilter()
                return nil
            case .backspace:
                if filter.isEmpty { filtering = false } else { filter.removeLast() }
                refilter()
                return nil
            case .character(let c):
                filter.append(c)
                refilter()
                return nil
            case .interrupt: return .quit
            default: break
            }
        }
        switch key {
        case .up, .character("k"): moveCursor(by: -1)
        case .down, .character("j"): moveCursor(by: 1)
        case .pageUp: moveCursor(by: -5)
        case .pageDown: moveCursor(by: 5)
        case .home: moveCursor(by: -items.count)
        case .end: moveCursor(by: items.count)
        case .character("/"):
            filtering = true
        case .enter, .right, .character(" "):
            guard items.indices.contains(cursor), visible.contains(cursor) else { return nil }
            let item = items[cursor]
            if let problem = item.problem {
                status = StatusMessage("\(item.name) cannot run: \(problem)", isError: true)
                return nil
            }
            filtering = false
            running = item.name
            return .run(item.name)
        case .escape where !filter.isEmpty:
            filter = ""
            refilter()
        case .character("q"), .escape, .interrupt: return .quit
        default: break
        }
        return nil
    }
}

/// Draws the start screen.
public enum StartView {
    public static func render(_ state: StartState, width: Int, height: Int, glyphs g: Glyphs) -> Grid {
        var grid = Grid(width: width, height: height, glyphs: g)
        guard StepperLayout.fits(width: width, height: height) else {
            TooSmallScreen.draw(
                on: &grid, minimumWidth: StepperLayout.minimumWidth, minimumHeight: StepperLayout.minimumHeight)
            return grid
        }
        let screen = grid.bounds
        HeaderBar.draw(
            in: Rect(x: 0, y: 0, width: width, height: 1), on: &grid, title: "choose a scenario",
            right: "\(state.items.count) scenarios ")
        let intro =
            "A real TLS client and server talk in one process; step through their handshake and see every byte and every secret, with the formula that made it."
        let introLines = TextLayout.wrap(intro, width: width - 2, maxLines: 2, glyphs: g)
        for (i, line) in introLines.enumerated() { grid.put(line, x: 1, y: 1 + i, style: .dim) }

        let detailHeight = height >= 34 ? 8 : 6
        let listTop = 1 + introLines.count
        let list = Rect(x: 0, y: listTop, width: width, height: height - 1 - listTop - detailHeight)
        let detail = Rect(x: 0, y: list.maxY, width: width, height: detailHeight)
        drawList(state, in: list, on: &grid)
        drawDetail(state, in: detail, on: &grid)

        var status = state.status
        if let running = state.running { status = StatusMessage("Running \(running)\(g.ellipsis)") }
        let items: [(key: String, label: String)] =
            state.filtering
            ? [("type", "to filter"), (g.upDown, "choose"), (g.enterKey, "run"), ("Esc", "clear the filter")]
            : [(g.upDown, "choose"), (g.enterKey, "run and step through it"), ("/", "filter"), ("q", "quit")]
        HintBar.draw(in: Rect(x: 0, y: screen.maxY - 1, width: width, height: 1), on: &grid, items: items, status: status)
        return grid
    }

    /// `name` in at most `width` characters: the start, an ellipsis and the last few characters.
    static func shortened(_ name: String, _ width: Int, _ g: Glyphs) -> String {
        let chars = g.sanitize(name)
        guard chars.count > width, width >= 8 else { return String(chars) }
        let tail = min(7, width / 3)
        return String(chars.prefix(width - tail - g.ellipsis.count)) + g.ellipsis + String(chars.suffix(tail))
    }

    enum Row: Equatable {
        case heading(ScenarioGroup, Int)
        case item(Int)
    }

    static func drawList(_ state: StartState, in rect: Rect, on grid: inout Grid) {
        let g = grid.glyphs
        let visible = state.visible
        let position = visible.firstIndex(of: state.cursor).map { "\($0 + 1)/\(visible.count)" }
        var title = "Scenarios"
        if state.filtering || !state.filter.isEmpty { title += "\(g.dot)filter: \(state.filter)\(state.filtering ? "_" : "")" }
        grid.box(rect, title: title, note: position, style: .focus)
        let inner = rect.inner
        guard inner.height >= 2, inner.width > 20 else { return }
        if state.items.isEmpty {
            grid.put(" No scenario files (*.yaml) found.", x: inner.x, y: inner.y, style: .alert)
            return
        }
        if visible.isEmpty {
            grid.put(" Nothing matches \"\(state.filter)\" (Esc clears the filter).", x: inner.x, y: inner.y, style: .dim)
            return
        }
        let shown = visible.map { state.items[$0] }
        var rows: [Row] = []
        var previous: ScenarioGroup?
        for index in visible {
            let group = state.items[index].group
            if group != previous { rows.append(.heading(group, shown.filter { $0.group == group }.count)) }
            previous = group
            rows.append(.item(index))
        }
        // Whole names when the screen has room (the longest is about 31 characters); otherwise 28 columns, and a
        // longer name loses its middle, so that names differing only at the end (…-tls12, …-tls13) stay apart.
        let nameWidth = min(inner.width >= 110 ? 36 : 28, shown.map { g.sanitize($0.name).count }.max() ?? 10)
        // Badges in aligned columns, so the titles line up.
        let versionWidth = shown.map { g.sanitize($0.versionBadge).count + 2 }.max() ?? 0
        let kxWidth = shown.map { g.sanitize($0.keyExchangeBadge).count + 2 }.max() ?? 0
        let cursorRow = rows.firstIndex(of: .item(state.cursor)) ?? 0
        // Keep the cursor in view, and its heading when it is the first of its section.
        var top = centeredTop(cursor: cursorRow, count: rows.count, visible: inner.height)
        if cursorRow > 0, top == cursorRow, case .heading = rows[cursorRow - 1] { top -= 1 }
        for line in 0..<inner.height {
            let r = top + line
            guard rows.indices.contains(r) else { break }
            let y = inner.y + line
            switch rows[r] {
            case .heading(let group, let count):
                grid.put(" \(group.heading) (\(count))", x: inner.x, y: y, style: .title, limit: inner.width)
            case .item(let index):
                let item = state.items[index]
                let selected = index == state.cursor
                var segments: [Segment] = [
                    Segment(selected ? " " + String(g.pointer) + " " : "   "),
                    Segment(TextLayout.pad(shortened(item.name, nameWidth, g), nameWidth, glyphs: g) + "  ", .title),
                ]
                if let problem = item.problem {
                    segments.append(Segment("[broken]", .alert))
                    segments.append(Segment("  " + problem, .dim))
                } else {
                    segments.append(Segment(TextLayout.pad("[\(item.versionBadge)]", versionWidth + 1, glyphs: g), .encrypted))
                    segments.append(Segment(TextLayout.pad("[\(item.keyExchangeBadge)]", kxWidth + 1, glyphs: g), .server))
                    segments.append(Segment(" " + item.title))
                }
                // Cut the last segment with an ellipsis when the line is too long.
                let used = segments.dropLast().reduce(0) { $0 + g.sanitize($1.text).count }
                if let last = segments.last {
                    segments[segments.count - 1] = Segment(
                        TextLayout.truncate(last.text, width: max(0, inner.width - used), glyphs: g), last.style)
                }
                if selected {
                    segments = segments.map { Segment($0.text, .selected) }
                    grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selected)
                }
                grid.put(segments, x: inner.x, y: y, limit: inner.width)
            }
        }
        if top > 0 { grid.put(g.unicode ? "↑" : "^", x: rect.maxX - 2, y: rect.y + 1, style: .dim) }
        if top + inner.height < rows.count {
            grid.put(g.unicode ? "↓" : "v", x: rect.maxX - 2, y: rect.maxY - 2, style: .dim)
        }
    }

    static func drawDetail(_ state: StartState, in rect: Rect, on grid: inout Grid) {
        guard state.items.indices.contains(state.cursor), state.visible.contains(state.cursor) else {
            grid.box(rect, style: .border)
            return
        }
        let item = state.items[state.cursor]
        grid.box(rect, title: item.problem == nil ? item.title : "\(item.name): cannot be loaded", style: .border)
        let inner = rect.inner
        let text = item.problem ?? item.description
        let lines = TextLayout.wrap(text, width: inner.width - 2, maxLines: inner.height, glyphs: grid.glyphs)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: inner.x + 1, y: inner.y + i, style: item.problem == nil ? .normal : .alert)
        }
    }
}
