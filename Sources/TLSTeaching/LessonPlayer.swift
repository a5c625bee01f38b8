import TLSTranscript
import TLSWire

/// Steps through a lesson: the introduction, then for each segment its narration and its stops, then the end.
/// Pure state; the UI runs each segment's scenario, shows `scenario` and selects `step`, and calls `next()` /
/// `previous()` on key presses.
public struct LessonPlayer: Sendable, Equatable {
    public enum Cue: Sendable, Equatable {
        /// Title, summary, goals.
        case introduction
        /// The narration of segment `index`.
        case segment(Int)
        /// A stop of a segment, at walkthrough step `step` of its scenario.
        case stop(segment: Int, stop: Int, step: Int)
        /// The end of the lesson.
        case end
    }

    public let lesson: Lesson
    public let cues: [Cue]
    public private(set) var position = 0

    /// `steps[s][k]` is the walkthrough step of stop `k` of segment `s` (from `resolve`).
    public init(lesson: Lesson, steps: [[Int]]) {
        self.lesson = lesson
        var cues: [Cue] = [.introduction]
        for (s, segment) in lesson.segments.enumerated() {
            cues.append(.segment(s))
            for k in segment.stops.indices {
                let step = s < steps.count && k < steps[s].count ? steps[s][k] : 0
                cues.append(.stop(segment: s, stop: k, step: step))
            }
        }
        cues.append(.end)
        self.cues = cues
    }

    /// Resolves every stop against the walkthroughs of the lesson's scenarios (by scenario name). Throws the first
    /// `LessonError` (with the stop's file position), or one at the segment for a scenario not given.
    public static func resolve(_ lesson: Lesson, walkthroughs: [String: Walkthrough]) throws -> [[Int]] {
        try lesson.segments.map { segment in
            guard let walkthrough = walkthroughs[segment.scenario] else {
                throw LessonError(at: segment.position, "no transcript for scenario '\(segment.scenario)'")
            }
            return try segment.stops.map { try $0.resolve(in: walkthrough) }
        }
    }

    public init(lesson: Lesson, walkthroughs: [String: Walkthrough]) throws {
        self.init(lesson: lesson, steps: try LessonPlayer.resolve(lesson, walkthroughs: walkthroughs))
    }

    public var cue: Cue { cues[position] }

    /// Moves to the next cue; false at the end.
    @discardableResult
    public mutating func next() -> Bool {
        guard position + 1 < cues.count else { return false }
        position += 1
        return true
    }

    /// Moves to the previous cue; false at the start.
    @discardableResult
    public mutating func previous() -> Bool {
        guard position > 0 else { return false }
        position -= 1
        return true
    }

    /// Jumps to the narration of segment `index`.
    public mutating func jump(toSegment index: Int) {
        if let i = cues.firstIndex(of: .segment(index)) { position = i }
    }

    /// The segment being played (nil on the introduction and the end).
    public var segmentIndex: Int? {
        switch cue {
        case .segment(let s), .stop(let s, _, _): s
        case .introduction, .end: nil
        }
    }

    public var segment: LessonSegment? { segmentIndex.map { lesson.segments[$0] } }

    public var stop: LessonStop? {
        if case .stop(let s, let k, _) = cue { return lesson.segments[s].stops[k] }
        return nil
    }

    /// The scenario the screen should show.
    public var scenario: String? { segment?.scenario }

    /// The walkthrough step to select (nil when no stop is active).
    public var step: Int? {
        if case .stop(_, _, let step) = cue { return step }
        return nil
    }

    /// A stop with a question: the presenter pauses for the class.
    public var isPause: Bool { stop?.ask != nil }

    /// 1-based position and the number of cues.
    public var progress: (current: Int, total: Int) { (position + 1, cues.count) }
}

/// The lesson as a script for the teacher (`tlslab lesson NAME`): blocks of text, and pauses where the class is
/// asked a question.
public enum LessonScript {
    public enum Block: Sendable, Equatable {
        case text(String)
        /// `— pause: ask the class … —`, with the expected answer if the lesson gives one.
        case pause(question: String, answer: String?)
    }

    /// The script. `walkthroughs` holds a walkthrough for every scenario of the lesson (`Lesson.scenarios`);
    /// `comparisons` the side-by-side text of each segment's `compare:` pair, keyed `A|B`.
    public static func blocks(
        _ lesson: Lesson, walkthroughs: [String: Walkthrough], comparisons: [String: String] = [:], width: Int = 100
    ) throws -> [Block] {
        let steps = try LessonPlayer.resolve(lesson, walkthroughs: walkthroughs)
        var out: [Block] = []
        var head = ["══ Lesson: \(lesson.title) (\(lesson.minutes) minutes) ══"]
        head += TextWrap.wrap(lesson.summary, width: width)
        if let audience = lesson.audience { head += TextWrap.wrap("For: " + audience, width: width, continuation: "     ") }
        if !lesson.goals.isEmpty {
            head.append("Students will be able to:")
            for goal in lesson.goals { head += TextWrap.wrap(goal, width: width, indent: "  • ", continuation: "    ") }
        }
        head += TextWrap.items(
            lesson.segments.map { "\($0.title) (\($0.minutes) min)" }, width: width, indent: "Plan: ", continuation: "      ")
        out.append(.text(head.joined(separator: "\n")))
        for (s, segment) in lesson.segments.enumerated() {
            var lines = [
                "",
                TextWrap.rule(
                    "── Part \(s + 1) of \(lesson.segments.count) · \(segment.title) · \(segment.minutes) min · tlslab run \(segment.scenario)",
                    width: width),
            ]
            lines += TextWrap.wrap(segment.narration, width: width)
            if !segment.topics.isEmpty {
                lines.append("Background: " + segment.topics.map { "tlslab explain \($0)" }.joined(separator: " · "))
            }
            out.append(.text(lines.joined(separator: "\n")))
            if let other = segment.compare {
                var compare = ["", "Side by side: tlslab compare \(segment.scenario) \(other)"]
                if let text = comparisons["\(segment.scenario)|\(other)"] { compare.append(text) }
                out.append(.text(compare.joined(separator: "\n")))
            }
            guard let walkthrough = walkthroughs[segment.scenario] else { continue }
            for (k, stop) in segment.stops.enumerated() {
                var block = [""]
                block += StepExcerpt.lines(walkthrough, step: steps[s][k], indent: "  ", options: excerptOptions(width))
                if let note = stop.note {
                    block += TextWrap.wrap(note, width: width, indent: "  Teacher: ", continuation: "           ")
                }
                out.append(.text(block.joined(separator: "\n")))
                if let ask = stop.ask { out.append(.pause(question: ask, answer: stop.answer)) }
            }
        }
        out.append(.text("\n══ End of the lesson ══"))
        return out
    }

    /// The whole script as text, pauses written as `— pause: ask the class: … —`.
    public static func text(
        _ lesson: Lesson, walkthroughs: [String: Walkthrough], comparisons: [String: String] = [:], width: Int = 100
    ) throws -> String {
        try blocks(lesson, walkthroughs: walkthroughs, comparisons: comparisons, width: width).map { render($0, width: width) }
            .joined(separator: "\n") + "\n"
    }

    /// One block as text (a pause with its answer).
    public static func render(_ block: Block, width: Int = 100) -> String {
        switch block {
        case .text(let text): return text
        case .pause(let ask, let expected):
            return ([question(ask, width: width)] + (expected.map { [answer($0, width: width)] } ?? []))
                .joined(separator: "\n")
        }
    }

    /// `— pause: ask the class: … —`, wrapped.
    public static func question(_ question: String, width: Int = 100) -> String {
        TextWrap.wrap("— pause: ask the class: \(question) —", width: width, indent: "  ", continuation: "    ")
            .joined(separator: "\n")
    }

    /// `(answer: …)`, wrapped.
    public static func answer(_ answer: String, width: Int = 100) -> String {
        TextWrap.wrap("(answer: \(answer))", width: width, indent: "    ", continuation: "     ").joined(separator: "\n")
    }

    static func excerptOptions(_ width: Int) -> StepExcerpt.Options {
        var o = StepExcerpt.Options()
        o.maxFieldLines = 8
        o.width = width
        return o
    }
}
