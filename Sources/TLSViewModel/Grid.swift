/// What a cell means, not how it looks: the terminal maps each style to a colour pair and attributes (or to
/// reverse video / bold / underline when there is no colour), and snapshot tests print each as one letter.
public enum Style: UInt8, CaseIterable, Sendable {
    /// Ordinary text.
    case normal
    /// Secondary text: explanations, future steps, record headers in a hex dump.
    case dim
    /// Pane and section titles, field names.
    case title
    /// Box lines of an unfocused pane.
    case border
    /// Box lines and title of the pane that has the keyboard.
    case focus
    /// The top bar.
    case header
    /// The key hint line at the bottom.
    case hint
    /// A key name inside the hint line or the help screen.
    case key
    /// A status message (e.g. where an export went).
    case status
    /// The row under the cursor in the focused pane.
    case selected
    /// The row under the cursor in an unfocused pane, and the current step on the ladder.
    case current
    /// Bytes of the selected field in the hex dump.
    case highlight
    /// A value a side learned at this step.
    case new
    /// Alerts and errors.
    case alert
    /// Encryption markers.
    case encrypted
    /// Things the client sends or knows.
    case client
    /// Things the server sends or knows.
    case server
    /// Presenter mode: large, bold, high-contrast text for a projector.
    case strong
    /// Presenter mode: the current step.
    case strongCurrent
    /// Presenter mode: secondary text on the same dark background (steps not reached yet).
    case strongDim

    /// One letter per style for text snapshots (the normal style is a space).
    public var code: Character {
        switch self {
        case .normal: return " "
        case .dim: return "."
        case .title: return "T"
        case .border: return "-"
        case .focus: return "F"
        case .header: return "H"
        case .hint: return "h"
        case .key: return "k"
        case .status: return "S"
        case .selected: return "#"
        case .current: return "="
        case .highlight: return "X"
        case .new: return "N"
        case .alert: return "A"
        case .encrypted: return "E"
        case .client: return "c"
        case .server: return "s"
        case .strong: return "B"
        case .strongCurrent: return "@"
        case .strongDim: return "b"
        }
    }
}

/// One character cell of the screen.
public struct Cell: Equatable, Sendable {
    public var character: Character
    public var style: Style

    public init(_ character: Character, _ style: Style = .normal) {
        self.character = character
        self.style = style
    }

    public static let blank = Cell(" ")
}

/// A rectangle of cells; `x`/`y` from the top left, 0-based.
public struct Rect: Equatable, Sendable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }

    /// The inside of a box drawn on this rectangle.
    public var inner: Rect { insetBy(1) }

    public func insetBy(_ n: Int) -> Rect { Rect(x: x + n, y: y + n, width: width - 2 * n, height: height - 2 * n) }

    /// Splits off the top `rows` rows (clamped).
    public func top(_ rows: Int) -> (Rect, Rect) {
        let r = min(max(0, rows), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }

    /// Splits off the left `columns` columns (clamped).
    public func left(_ columns: Int) -> (Rect, Rect) {
        let c = min(max(0, columns), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }

    /// A rectangle of the given size centred in this one.
    public func centered(width w: Int, height h: Int) -> Rect {
        let cw = min(w, width)
        let ch = min(h, height)
        return Rect(x: x + (width - cw) / 2, y: y + (height - ch) / 2, width: cw, height: ch)
    }

    public var description: String { "(\(x),\(y) \(width)x\(height))" }
}

/// A screen's worth of styled cells: what the view model renders and the terminal draws. Every write is clipped
/// to the grid (and to an optional width), and every character goes through `Glyphs.sanitize`, so a cell always
/// holds exactly one narrow, printable character.
public struct Grid: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let glyphs: Glyphs
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, glyphs: Glyphs) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.glyphs = glyphs
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x, y) ? cells[y * width + x] : .blank }
        set { if contains(x, y) { cells[y * width + x] = newValue } }
    }

    func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `text` from (x, y) on one line, at most `limit` columns; returns the number of columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .normal, limit: Int? = nil) -> Int {
        guard y >= 0, y < height else { return 0 }
        let maxColumns = min(limit ?? Int.max, width - x)
        guard maxColumns > 0 else { return 0 }
        var column = 0
        for character in glyphs.sanitize(text) {
            if column >= maxColumns { break }
            self[x + column, y] = Cell(character, style)
            column += 1
        }
        return column
    }

    /// Writes styled segments one after another; returns the columns written.
    @discardableResult
    public mutating func put(_ segments: [Segment], x: Int, y: Int, limit: Int) -> Int {
        var column = 0
        for segment in segments {
            let remaining = limit - column
            if remaining <= 0 { break }
            column += put(segment.text, x: x + column, y: y, style: segment.style, limit: remaining)
        }
        return column
    }

    /// Fills a rectangle with one character.
    public mutating func fill(_ rect: Rect, with character: Character = " ", style: Style = .normal) {
        for y in rect.y..<rect.maxY { for x in rect.x..<rect.maxX { self[x, y] = Cell(character, style) } }
    }

    /// Gives every cell of a rectangle a style, keeping its character.
    public mutating func restyle(_ rect: Rect, _ style: Style) {
        for y in rect.y..<rect.maxY { for x in rect.x..<rect.maxX where contains(x, y) { self[x, y].style = style } }
    }

    /// Draws a box on the rectangle's edge with an optional title in the top line and a note in the bottom line,
    /// and clears the inside.
    public mutating func box(_ rect: Rect, title: String? = nil, note: String? = nil, style: Style = .border) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let g = glyphs
        fill(rect.inner)
        for x in rect.x + 1..<rect.maxX - 1 {
            self[x, rect.y] = Cell(g.horizontal, style)
            self[x, rect.maxY - 1] = Cell(g.horizontal, style)
        }
        for y in rect.y + 1..<rect.maxY - 1 {
            self[rect.x, y] = Cell(g.vertical, style)
            self[rect.maxX - 1, y] = Cell(g.vertical, style)
        }
        self[rect.x, rect.y] = Cell(g.topLeft, style)
        self[rect.maxX - 1, rect.y] = Cell(g.topRight, style)
        self[rect.x, rect.maxY - 1] = Cell(g.bottomLeft, style)
        self[rect.maxX - 1, rect.maxY - 1] = Cell(g.bottomRight, style)
        if let title, rect.width > 4 {
            put(" \(title) ", x: rect.x + 1, y: rect.y, style: style == .focus ? .focus : .title, limit: rect.width - 2)
        }
        if let note, rect.width > 6 {
            let text = " \(glyphs.clean(note)) "
            let n = min(text.count, rect.width - 4)
            put(text, x: rect.maxX - 2 - n, y: rect.maxY - 1, style: .dim, limit: n)
        }
    }

    /// A horizontal rule with an optional label.
    public mutating func rule(x: Int, y: Int, width: Int, label: String? = nil, style: Style = .border) {
        for i in 0..<max(0, width) { self[x + i, y] = Cell(glyphs.horizontal, style) }
        if let label, width > 4 { put(" \(label) ", x: x + 1, y: y, style: .title, limit: width - 2) }
    }

    /// The characters of one row.
    public func text(row y: Int) -> String {
        String((0..<width).map { self[$0, y].character })
    }

    /// The style letters of one row (see `Style.code`).
    public func styles(row y: Int) -> String {
        String((0..<width).map { self[$0, y].style.code })
    }

    /// All rows as text, trailing spaces removed, one per line.
    public var text: String {
        (0..<height).map { text(row: $0).trimmingTrailingSpaces() }.joined(separator: "\n")
    }

    /// Does any row contain `needle`?
    public func contains(_ needle: String) -> Bool {
        (0..<height).contains { text(row: $0).contains(needle) }
    }

    /// The row index of the first line containing `needle`.
    public func row(containing needle: String) -> Int? {
        (0..<height).first { text(row: $0).contains(needle) }
    }
}

/// A piece of text with one style.
public struct Segment: Equatable, Sendable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .normal) {
        self.text = text
        self.style = style
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
