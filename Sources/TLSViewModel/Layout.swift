/// Where the stepper's panes go for a window size. Two arrangements:
///
/// - compact (below 120×34): the ladder on the left, the message over the hex dump on the right; when the
///   secrets pane has the keyboard it takes the whole body, so both columns have room for secret names;
/// - wide: the ladder on the left; message, hex and secrets stacked on the right — or, from 150 columns to the
///   right of the ladder, the secrets pane beside the message and hex panes.
///
/// Every pane grows with the window; the narration gets a fourth line from 40 rows. Under the narration one line
/// explains the selected item; a lesson adds lines for its text.
public struct StepperLayout: Equatable, Sendable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var header: Rect
    public var ladder: Rect?
    public var message: Rect?
    public var hex: Rect?
    public var secrets: Rect?
    public var narration: Rect
    public var hint: Rect
    public var compact: Bool

    public static func fits(width: Int, height: Int) -> Bool {
        width >= minimumWidth && height >= minimumHeight
    }

    /// Lines of narration text (without the rule above and the explanation line below).
    public static func narrationLines(height: Int) -> Int { height >= 40 ? 4 : 3 }

    /// The most lines a lesson's text may take: half the window, less the rule and the explanation line.
    public static func maximumLessonLines(height: Int) -> Int { max(narrationLines(height: height), height / 2 - 2) }

    /// - Parameter textLines: lines of narration text wanted (a lesson's text); clamped between the usual
    ///   narration and `maximumLessonLines`.
    public init(width: Int, height: Int, focus: Pane, textLines: Int? = nil) {
        let screen = Rect(x: 0, y: 0, width: width, height: height)
        let (header, rest) = screen.top(1)
        self.header = header
        hint = Rect(x: 0, y: height - 1, width: width, height: 1)
        let usual = Self.narrationLines(height: height)
        let narrationLines = min(max(usual, textLines ?? usual), Self.maximumLessonLines(height: height))
        let bodyHeight = max(0, rest.height - 1 - (narrationLines + 2))
        let (body, below) = rest.top(bodyHeight)
        narration = Rect(x: 0, y: below.y, width: width, height: narrationLines + 2)
        compact = width < 120 || height < 34

        if compact {
            if focus == .secrets {
                secrets = body
                return
            }
            let ladderWidth = min(max(34, width * 2 / 5), 44)
            let (l, right) = body.left(ladderWidth)
            ladder = l
            let (m, h) = right.top(max(8, right.height * 11 / 20))
            message = m
            hex = h
            return
        }
        let ladderWidth = min(max(34, width / 4), 46)
        let (l, right) = body.left(ladderWidth)
        ladder = l
        if right.width >= 150 {
            let (detail, s) = right.left(right.width * 3 / 5)
            secrets = s
            let (m, h) = detail.top(detail.height * 3 / 5)
            message = m
            hex = h
        } else {
            let (m, restRight) = right.top(right.height * 2 / 5)
            let (h, s) = restRight.top(max(7, right.height * 27 / 100))
            message = m
            hex = h
            secrets = s
        }
    }

    /// The panes shown, in Tab order.
    public var visiblePanes: [Pane] {
        var out: [Pane] = []
        if ladder != nil { out.append(.ladder) }
        if message != nil { out.append(.message) }
        if hex != nil { out.append(.hex) }
        if secrets != nil { out.append(.secrets) }
        return out
    }
}
