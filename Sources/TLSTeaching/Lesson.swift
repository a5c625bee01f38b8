import TLSTranscript
import TLSWire

/// Where something was written in a lesson file (lines and columns from 1).
public struct SourcePosition: Sendable, Equatable {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// The first problem in a lesson file, as `file:line:column: message` (like scenario errors).
public struct LessonError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public init(at position: SourcePosition, _ message: String) {
        self.init(file: position.file, line: position.line, column: position.column, message: message)
    }

    public var description: String { line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)" }
}

/// A scripted class: scenarios in order, with narration and the steps to dwell on (format: docs/teaching-guide.md).
public struct Lesson: Sendable, Equatable {
    /// File name without `.yaml`.
    public var name: String
    public var title: String
    /// One or two sentences: what the class learns.
    public var summary: String
    /// Planned length of the class.
    public var minutes: Int
    /// Who it is for and what they should know already.
    public var audience: String?
    /// What students can do afterwards.
    public var goals: [String]
    public var segments: [LessonSegment]
    public var sourcePath: String

    public init(
        name: String, title: String, summary: String, minutes: Int, audience: String?, goals: [String],
        segments: [LessonSegment], sourcePath: String
    ) {
        self.name = name
        self.title = title
        self.summary = summary
        self.minutes = minutes
        self.audience = audience
        self.goals = goals
        self.segments = segments
        self.sourcePath = sourcePath
    }

    /// Scenario names in order of first use.
    public var scenarios: [String] {
        var seen = Set<String>()
        return segments.flatMap { [$0.scenario] + ($0.compare.map { [$0] } ?? []) }.filter { seen.insert($0).inserted }
    }
}

/// One part of a lesson: a scenario, what the teacher says about it, and the steps to stop at.
public struct LessonSegment: Sendable, Equatable {
    public var title: String
    public var scenario: String
    public var minutes: Int
    public var narration: String
    public var stops: [LessonStop]
    /// Another scenario to put side by side with this one (`tlslab compare`).
    public var compare: String?
    /// `tlslab explain` topics to point students to.
    public var topics: [String]
    /// Where `scenario:` was written.
    public var position: SourcePosition

    public init(
        title: String, scenario: String, minutes: Int, narration: String, stops: [LessonStop], compare: String? = nil,
        topics: [String] = [], position: SourcePosition
    ) {
        self.title = title
        self.scenario = scenario
        self.minutes = minutes
        self.narration = narration
        self.stops = stops
        self.compare = compare
        self.topics = topics
        self.position = position
    }
}

/// A step of the walkthrough to dwell on, with a teacher's note and/or a question for the class.
public struct LessonStop: Sendable, Equatable {
    /// The step's title as the walkthrough shows it: `ClientHello`, `ChangeCipherSpec`, `Alert: unknown_ca`,
    /// `Application data` (matches `Application data (60 bytes)`).
    public var at: String
    public var from: Side?
    /// The n-th matching step (from 1).
    public var occurrence: Int
    /// The connection (from 1); nil = any.
    public var connection: Int?
    /// What to point at.
    public var note: String?
    /// A question for the class: the script pauses here.
    public var ask: String?
    /// The expected answer (for the teacher).
    public var answer: String?
    /// Where `at:` was written.
    public var position: SourcePosition

    public init(
        at: String, from: Side? = nil, occurrence: Int = 1, connection: Int? = nil, note: String? = nil,
        ask: String? = nil, answer: String? = nil, position: SourcePosition
    ) {
        self.at = at
        self.from = from
        self.occurrence = occurrence
        self.connection = connection
        self.note = note
        self.ask = ask
        self.answer = answer
        self.position = position
    }

    /// Whether walkthrough step `step` is one this stop could mean (ignoring `occurrence`).
    public func matches(_ step: WalkthroughStep, in transcript: Transcript) -> Bool {
        let title = step.title
        guard title == at || StepExcerpt.plainTitle(title) == at || title.hasPrefix(at + " (") else { return false }
        if let from, step.from != from { return false }
        if let connection {
            let c = transcript.records.first { $0.index == step.record }?.connection ?? 0
            if c != connection - 1 { return false }
        }
        return true
    }

    /// The walkthrough step this stop refers to. Throws `LessonError` at the stop's position, listing the steps
    /// the scenario has, when there is no such step.
    public func resolve(in walkthrough: Walkthrough) throws -> Int {
        let found = walkthrough.steps.filter { self.matches($0, in: walkthrough.transcript) }
        if found.count >= occurrence { return found[occurrence - 1].index }
        var what = "'\(at)'"
        if let from { what += " from the \(from)" }
        if let connection { what += " in connection \(connection)" }
        if occurrence > 1 { what = "occurrence \(occurrence) of \(what) (there \(found.count == 1 ? "is" : "are") \(found.count))" }
        var titles: [String] = []
        for step in walkthrough.steps {
            let t = StepExcerpt.plainTitle(step.title)
            if !titles.contains(t) { titles.append(t) }
        }
        throw LessonError(
            at: position,
            "scenario \(walkthrough.transcript.scenario) has no step \(what); its steps: \(titles.joined(separator: ", "))")
    }
}
