import TLSTranscript

/// The whole interactive program as a value: the start screen or the stepper, a reducer from keys to state and
/// host commands, and rendering to a grid. The host (TLSTerminal) reads keys, calls `handle`, performs the
/// command (running a scenario, exporting), and draws `render(width:height:glyphs:)`.
public struct AppModel: Sendable {
    public enum Screen: Equatable, Sendable { case start, stepper }

    public private(set) var screen: Screen
    public private(set) var start: StartState?
    public var stepper: StepperState
    public private(set) var data: StepperData?
    public let exports: [ExportKey]
    /// The lesson driving the stepper, if one runs.
    public private(set) var lesson: LessonSession?

    /// Starts on the scenario list, on `preferred` if it is listed.
    public init(scenarios: [ScenarioItem], preferred: String? = nil, exports: [ExportKey] = []) {
        screen = .start
        start = StartState(items: scenarios, preferred: preferred)
        stepper = StepperState()
        self.exports = exports
    }

    /// Starts in the stepper on a transcript.
    public init(transcript: Transcript, exports: [ExportKey] = []) {
        screen = .stepper
        start = nil
        let data = StepperData(transcript)
        self.data = data
        stepper = StepperState(data: data)
        self.exports = exports
    }

    /// Starts in the stepper, driven by a lesson (`LessonSession`): its introduction first.
    public init(lesson: LessonSession, exports: [ExportKey] = []) {
        screen = .stepper
        start = nil
        self.exports = exports
        self.lesson = lesson
        data = lesson.currentData
        stepper = data.map { StepperState(data: $0) } ?? StepperState()
        // In a lesson the failure-lab note is part of the lesson's text; it does not pop up by itself.
        stepper.labSeen = true
    }

    /// The transcript in the stepper.
    public var transcript: Transcript? { data?.transcript }

    /// Starts the quiz on the transcript in the stepper (`Q`).
    public mutating func startQuiz() {
        guard let data, screen == .stepper else { return }
        stepper.startQuiz(data)
    }

    /// The lesson moved to another cue: show its scenario (prepared once), select its step.
    mutating func followLesson() {
        guard let lesson, let next = lesson.currentData else { return }
        // The lesson decides what is shown: a quiz started meanwhile ends.
        stepper.quiz = nil
        let switched = next.transcript.scenario != data?.transcript.scenario || data == nil
        if switched {
            let presenter = stepper.presenter
            data = next
            stepper = StepperState(data: next)
            stepper.presenter = presenter
            stepper.labSeen = true
        }
        let target: Int
        switch lesson.player.cue {
        case .stop(_, _, let step): target = step
        case .introduction: target = 0
        case .segment: target = switched ? 0 : stepper.step
        case .end: target = stepper.step
        }
        stepper.show(target, next)
    }

    /// Opens the stepper on a transcript the host produced after `.run`.
    public mutating func open(_ transcript: Transcript) {
        let data = StepperData(transcript)
        self.data = data
        stepper = StepperState(data: data)
        start?.running = nil
        screen = .stepper
    }

    /// Reports that running a scenario failed; the start screen shows why.
    public mutating func runFailed(_ message: String) {
        start?.running = nil
        start?.status = StatusMessage(message, isError: true)
    }

    /// Shows a status line (e.g. where an export went) until the next key.
    public mutating func setStatus(_ status: StatusMessage) {
        switch screen {
        case .start: start?.status = status
        case .stepper: stepper.status = status
        }
    }

    public mutating func handle(_ key: Key) -> AppCommand? {
        switch screen {
        case .start:
            return start?.handle(key)
        case .stepper:
            guard let data else { return .quit }
            if start != nil, stepper.overlays.isEmpty, stepper.quiz == nil, key == .character("s") {
                screen = .start
                stepper.status = nil
                return nil
            }
            // A lesson takes n / Space (forward) and p / Backspace (back) when no window is open.
            if var lesson, stepper.overlays.isEmpty, !(stepper.quiz?.isModal ?? false) {
                var moved: Bool?
                switch key {
                case .character("n"), .character(" "): moved = lesson.next()
                case .character("p"), .backspace: moved = lesson.previous()
                default: break
                }
                if let moved {
                    stepper.status = moved ? nil : StatusMessage(key == .backspace || key == .character("p") ? "This is the start of the lesson." : "This is the end of the lesson.")
                    self.lesson = lesson
                    followLesson()
                    return nil
                }
            }
            return stepper.handle(key, data: data, exports: exports)
        }
    }

    public func render(width: Int, height: Int, glyphs: Glyphs) -> Grid {
        switch screen {
        case .start:
            return StartView.render(start ?? StartState(items: []), width: width, height: height, glyphs: glyphs)
        case .stepper:
            guard let data else { return Grid(width: width, height: height, glyphs: glyphs) }
            var card = lesson?.card
            // In a lesson the failure-lab note does not pop up: it joins the lesson's text at its step (presenter
            // mode shows it there anyway).
            if card != nil, !stepper.presenter, data.labStep == stepper.step, let lab = data.transcript.lab {
                card?.blocks += [
                    .init("What the user sees: " + lab.symptom, .teacher), .init("Why: " + lab.cause),
                    .init("How to fix it: " + lab.fix, .answer),
                ]
            }
            return StepperView.render(
                stepper, data, width: width, height: height, glyphs: glyphs, exports: exports,
                canGoBack: start != nil, lesson: card)
        }
    }
}

/// The file name the JSON export uses: `tlslab-<scenario>-seed<N>.json` (`tlslab-<scenario>.json` without a seed),
/// with anything but letters, digits, `.`, `_` and `-` in the scenario name replaced by `-`.
public enum ExportNaming {
    public static func jsonFileName(for transcript: Transcript) -> String {
        fileName(for: transcript, extension: "json")
    }

    /// `tlslab-<scenario>-seed<N>.md`: the Markdown handout.
    public static func markdownFileName(for transcript: Transcript) -> String {
        fileName(for: transcript, extension: "md")
    }

    /// `tlslab-quiz-<scenario>-seed<N>.json`: a quiz score (`QuizScore`), next to the exports.
    public static func quizScoreFileName(for transcript: Transcript) -> String {
        "tlslab-quiz-" + fileName(for: transcript, extension: "json").dropFirst("tlslab-".count)
    }

    public static func fileName(for transcript: Transcript, extension ext: String) -> String {
        let safe = String(
            transcript.scenario.map { c -> Character in
                c.isASCII && (c.isLetter || c.isNumber || c == "." || c == "_" || c == "-") ? c : "-"
            })
        let name = safe.isEmpty ? "transcript" : safe
        let seed = transcript.seed.map { "-seed\($0)" } ?? ""
        return "tlslab-\(name)\(seed).\(ext)"
    }
}
