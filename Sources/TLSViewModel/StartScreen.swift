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

    public init(
        name: String, title: String, description: String, versionBadge: String, keyExchangeBadge: String,
        problem: String? = nil
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.versionBadge = versionBadge
        self.keyExchangeBadge = keyExchangeBadge
        self.problem = problem
    }

    /// A scenario file that does not load: listed, but cannot be run.
    public static func broken(name: String, problem: String) -> ScenarioItem {
        ScenarioItem(name: name, title: "", description: "", versionBadge: "", keyExchangeBadge: "", problem: problem)
    }

    /// The description's first sentence, for the list.
    public var summary: String {
        guard let end = description.firstRange(of: ". ") else { return description }
        return String(description[..<end.lowerBound]) + "."
    }
}

/// The start screen: the scenario list and what Enter would run.
public struct StartState: Equatable, Sendable {
    public var items: [ScenarioItem]
    public var cursor = 0
    public var status: StatusMessage?
    /// The scenario being run (the screen says so until the stepper opens).
    public var running: String?

    /// Starts on `preferred` (e.g. the default scenario) when it is listed and loads, else on the first scenario
    /// that loads.
    public init(items: [ScenarioItem], preferred: String? = nil) {
        self.items = items
        cursor =
            items.firstIndex { $0.name == preferred && $0.problem == nil } ?? items.firstIndex { $0.problem == nil }
            ?? 0
    }

    public mutating func handle(_ key: Key) -> AppCommand? {
        status = nil
        switch key {
        case .up, .character("k"): cursor = max(0, cursor - 1)
        case .down, .character("j"): cursor = min(max(0, items.count - 1), cursor + 1)
        case .pageUp: cursor = max(0, cursor - 5)
        case .pageDown: cursor = min(max(0, items.count - 1), cursor + 5)
        case .home: cursor = 0
        case .end: cursor = max(0, items.count - 1)
        case .enter, .right, .character(" "):
            guard items.indices.contains(cursor) else { return nil }
            let item = items[cursor]
            if let problem = item.problem {
                status = StatusMessage("\(item.name) cannot run: \(problem)", isError: true)
                return nil
            }
            running = item.name
            return .run(item.name)
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
        HintBar.draw(
            in: Rect(x: 0, y: screen.maxY - 1, width: width, height: 1), on: &grid,
            items: [(g.upDown, "choose"), (g.enterKey, "run and step through it"), ("q", "quit")], status: status)
        return grid
    }

    static func drawList(_ state: StartState, in rect: Rect, on grid: inout Grid) {
        let g = grid.glyphs
        grid.box(rect, title: "Scenarios", note: state.items.isEmpty ? nil : "\(state.cursor + 1)/\(state.items.count)", style: .focus)
        let inner = rect.inner
        guard inner.height >= 2, inner.width > 20 else { return }
        if state.items.isEmpty {
            grid.put(" No scenario files (*.yaml) found.", x: inner.x, y: inner.y, style: .alert)
            return
        }
        let nameWidth = min(26, state.items.map { g.sanitize($0.name).count }.max() ?? 10)
        // Badges in aligned columns, so the titles line up.
        let versionWidth = state.items.map { g.sanitize($0.versionBadge).count + 2 }.max() ?? 0
        let kxWidth = state.items.map { g.sanitize($0.keyExchangeBadge).count + 2 }.max() ?? 0
        let perItem = 2
        let visibleItems = max(1, inner.height / perItem)
        let top = centeredTop(cursor: state.cursor, count: state.items.count, visible: visibleItems)
        for slot in 0..<visibleItems {
            let index = top + slot
            guard state.items.indices.contains(index) else { break }
            let item = state.items[index]
            let y = inner.y + slot * perItem
            let selected = index == state.cursor
            var first: [Segment] = [
                Segment(selected ? " " + String(g.pointer) + " " : "   "),
                Segment(TextLayout.pad(item.name, nameWidth, glyphs: g) + "  ", .title),
            ]
            let indent = String(repeating: " ", count: 5 + nameWidth)
            let second: Segment
            if let problem = item.problem {
                first.append(Segment("[broken]", .alert))
                first.append(Segment("  this file does not load", .dim))
                second = Segment(indent + problem, .alert)
            } else {
                first.append(Segment(TextLayout.pad("[\(item.versionBadge)]", versionWidth + 1, glyphs: g), .encrypted))
                first.append(Segment(TextLayout.pad("[\(item.keyExchangeBadge)]", kxWidth + 1, glyphs: g), .server))
                first.append(Segment(" " + item.title))
                second = Segment(indent + item.summary, .dim)
            }
            // Cut the title with an ellipsis when the line is too long.
            let used = first.dropLast().reduce(0) { $0 + g.sanitize($1.text).count }
            if let last = first.last {
                first[first.count - 1] = Segment(
                    TextLayout.truncate(last.text, width: max(0, inner.width - used), glyphs: g), last.style)
            }
            if selected {
                first = first.map { Segment($0.text, .selected) }
                grid.fill(Rect(x: inner.x, y: y, width: inner.width, height: 1), style: .selected)
            }
            grid.put(first, x: inner.x, y: y, limit: inner.width)
            if y + 1 < inner.maxY {
                grid.put(TextLayout.truncate(second.text, width: inner.width, glyphs: g), x: inner.x, y: y + 1, style: second.style)
            }
        }
    }

    static func drawDetail(_ state: StartState, in rect: Rect, on grid: inout Grid) {
        guard state.items.indices.contains(state.cursor) else { return }
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
