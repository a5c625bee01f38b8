import TLSTeaching
import TLSTranscript

/// A lesson driving the stepper (`tlslab show --lesson NAME`): `LessonPlayer` cues — the introduction, each part's
/// narration, its stops (the step selected, the teacher's note, the question for the class), the end — with the
/// scenario of each part prepared once. `n`/Space go forward (at a question: first its answer), `p`/Backspace
/// back; the stepper's other keys keep working on the scenario shown.
public struct LessonSession: Sendable {
    public private(set) var player: LessonPlayer
    /// Every scenario of the lesson, prepared once.
    public let data: [String: StepperData]
    /// The answer of the current question is shown.
    public private(set) var answerShown = false

    /// Resolves every stop of the lesson against the transcripts (one per scenario of the lesson, by name).
    /// Throws the lesson's first `LessonError` (a stop naming a step the scenario does not have, a missing
    /// transcript).
    public init(lesson: Lesson, transcripts: [String: Transcript]) throws {
        var data: [String: StepperData] = [:]
        for name in lesson.scenarios {
            if let t = transcripts[name] { data[name] = StepperData(t) }
        }
        self.data = data
        player = try LessonPlayer(lesson: lesson, walkthroughs: data.mapValues(\.walkthrough))
    }

    /// The scenario on screen: the part's, the first part's during the introduction, the last one's at the end.
    public var scenario: String? {
        if let s = player.scenario { return s }
        let segments = player.lesson.segments
        return player.cue == .end ? segments.last?.scenario : segments.first?.scenario
    }

    public var currentData: StepperData? { scenario.flatMap { data[$0] } }

    /// Forward: the answer of an open question first, then the next cue. False at the end.
    mutating func next() -> Bool {
        if player.isPause, !answerShown, player.stop?.answer != nil {
            answerShown = true
            return true
        }
        answerShown = false
        return player.next()
    }

    mutating func previous() -> Bool {
        answerShown = false
        return player.previous()
    }

    /// The text for the narration area (and presenter mode) at the current cue.
    public var card: LessonCard {
        let lesson = player.lesson
        let (current, total) = player.progress
        let parts = lesson.segments.count
        var blocks: [LessonCard.Block] = []
        var heading: String
        switch player.cue {
        case .introduction:
            heading = "Lesson: \(lesson.title) · \(lesson.minutes) min"
            blocks.append(.init(lesson.summary))
            if let audience = lesson.audience { blocks.append(.init("For: " + audience, .dim)) }
            for goal in lesson.goals { blocks.append(.init("• " + goal)) }
            blocks.append(
                .init(
                    "Plan: " + lesson.segments.map { "\($0.title) (\($0.minutes) min)" }.joined(separator: " · "), .dim))
        case .segment(let s):
            let segment = lesson.segments[s]
            heading = "Part \(s + 1) of \(parts) · \(segment.title) · \(segment.minutes) min · \(segment.scenario)"
            blocks.append(.init(segment.narration))
            if let other = segment.compare {
                blocks.append(.init("Side by side: tlslab compare \(segment.scenario) \(other)", .dim))
            }
            if !segment.topics.isEmpty {
                blocks.append(.init("Background: " + segment.topics.map { "tlslab explain \($0)" }.joined(separator: " · "), .dim))
            }
        case .stop(let s, let k, _):
            let segment = lesson.segments[s]
            heading = "Part \(s + 1) of \(parts) · \(segment.title) · stop \(k + 1) of \(segment.stops.count)"
            let stop = segment.stops[k]
            if let note = stop.note { blocks.append(.init("Teacher: " + note, .teacher)) }
            if let ask = stop.ask {
                blocks.append(.init("— pause: ask the class: \(ask) —", .pause))
                if let answer = stop.answer {
                    blocks.append(answerShown ? .init("(answer: \(answer))", .answer) : .init("n shows the answer", .dim))
                }
            }
        case .end:
            heading = "End of the lesson: \(lesson.title)"
            blocks.append(.init("Students can now:"))
            for goal in lesson.goals { blocks.append(.init("• " + goal)) }
        }
        return LessonCard(heading: heading, progress: "\(current)/\(total)", blocks: blocks, isPause: player.isPause)
    }
}

/// What a lesson cue shows: a heading and blocks of text, each with how it is drawn.
public struct LessonCard: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// The lesson's narration.
        case text
        /// Secondary: audience, plan, background topics, hints.
        case dim
        /// The teacher's note at a stop.
        case teacher
        /// A question for the class: the presenter pauses here.
        case pause
        /// The expected answer (after `n`).
        case answer
    }

    public struct Block: Equatable, Sendable {
        public var text: String
        public var kind: Kind

        public init(_ text: String, _ kind: Kind = .text) {
            self.text = text
            self.kind = kind
        }
    }

    /// `Part 2 of 6 · Hello, certificate, done · stop 1 of 3`.
    public var heading: String
    /// `7/23`: the cue among all cues of the lesson.
    public var progress: String
    public var blocks: [Block]
    public var isPause: Bool

    public init(heading: String, progress: String, blocks: [Block], isPause: Bool) {
        self.heading = heading
        self.progress = progress
        self.blocks = blocks
        self.isPause = isPause
    }

    static func style(_ kind: Kind) -> Style {
        switch kind {
        case .text: return .normal
        case .dim: return .dim
        case .teacher: return .title
        case .pause: return .key
        case .answer: return .new
        }
    }

    /// The card as wrapped lines: the heading, then each block.
    func lines(width: Int, glyphs: Glyphs) -> [Segment] {
        var out = TextLayout.wrap(heading, width: width, glyphs: glyphs).map { Segment($0, .title) }
        for block in blocks {
            out += TextLayout.wrap(block.text, width: width, glyphs: glyphs).map { Segment($0, Self.style(block.kind)) }
        }
        return out
    }
}
