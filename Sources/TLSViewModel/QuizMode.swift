import Foundation
import TLSTeaching
import TLSTranscript

/// The quiz inside the stepper (`Q`): before each step a question about it (`QuizSession`), the answer explained,
/// then the step revealed; the score at the end, which `w` saves as JSON (`QuizScore`). Steps not answered yet
/// stay hidden on the ladder and in the panes, so the screen never gives an answer away.
public struct QuizState: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        /// The question window is open: 1–4 (or a–d) answers, s skips, Esc ends the quiz.
        case asking
        /// The answer is explained; Enter reveals the step.
        case feedback(chosen: Int?, right: Bool)
        /// No window: the revealed steps can be explored with every key; → past them asks the next question.
        case exploring
        /// The score window; `w` saves it, Enter or Esc closes the quiz.
        case finished
    }

    public var session: QuizSession
    public var phase: Phase = .exploring
    /// Steps `0..<revealed` are shown.
    public var revealed = 0
    /// The question on screen (index into `session.quiz.questions`).
    public var shown = 0

    public init(session: QuizSession) { self.session = session }

    /// A window is open and has the keys.
    public var isModal: Bool { phase != .exploring }

    public var question: QuizQuestion? {
        session.quiz.questions.indices.contains(shown) ? session.quiz.questions[shown] : nil
    }

    public static func == (a: QuizState, b: QuizState) -> Bool {
        a.phase == b.phase && a.revealed == b.revealed && a.shown == b.shown
            && a.session.answers == b.session.answers && a.session.current == b.session.current
            && a.session.quiz.seed == b.session.quiz.seed && a.session.quiz.questions == b.session.quiz.questions
    }
}

extension StepperState {
    /// Starts a quiz on the transcript (questions seeded with the transcript's seed, as `tlslab quiz` does) from
    /// the first step.
    mutating func startQuiz(_ data: StepperData) {
        let quiz = Quiz(walkthrough: data.walkthrough, seed: data.transcript.seed ?? 0)
        guard !quiz.questions.isEmpty else {
            status = StatusMessage("This run has no quiz questions.")
            return
        }
        overlays.removeAll()
        self.quiz = QuizState(session: QuizSession(quiz: quiz))
        step = 0
        hexScroll = 0
        hexAlternate = false
        go(to: 0, data)
    }

    /// Ends the quiz (unanswered questions stay unanswered) and shows the score.
    mutating func stopQuiz(_ quiz: QuizState) {
        var q = quiz
        q.session.stop()
        q.phase = .finished
        self.quiz = q
    }

    mutating func handleQuiz(_ key: Key, _ quiz: QuizState, data: StepperData) -> AppCommand? {
        var q = quiz
        switch key {
        case .character("q"), .interrupt: return .quit
        default: break
        }
        switch q.phase {
        case .asking:
            guard let question = q.question else {
                stopQuiz(q)
                return nil
            }
            switch key {
            case .character(let c) where question.option(from: String(c)) != nil:
                guard let choice = question.option(from: String(c)), let feedback = q.session.answer(choice) else {
                    return nil
                }
                q.phase = .feedback(chosen: choice, right: feedback.right)
            case .character("s"):
                q.session.skip()
                q.phase = .feedback(chosen: nil, right: false)
            case .escape, .character("Q"):
                stopQuiz(q)
                return nil
            default:
                return nil
            }
            self.quiz = q
        case .feedback:
            switch key {
            case .enter, .right, .character(" "), .character("n"):
                guard let question = q.question else { return nil }
                q.revealed = max(q.revealed, min(data.steps.count, question.step + 1))
                q.phase = .exploring
                self.quiz = q
                show(question.step, data)
                if q.session.current == nil {
                    // The last question: everything is revealed and the score shown.
                    q.revealed = data.steps.count
                    q.phase = .finished
                    self.quiz = q
                }
            case .escape, .character("Q"):
                stopQuiz(q)
            default:
                return nil
            }
        case .exploring:
            return nil
        case .finished:
            switch key {
            case .character("w"):
                let record = q.session.record(transcriptSeed: data.transcript.seed)
                do {
                    let json = try record.jsonData()
                    return .save(
                        SaveRequest(
                            fileName: ExportNaming.quizScoreFileName(for: data.transcript),
                            contents: [UInt8](json) + [0x0a], label: "quiz score"))
                } catch {
                    status = StatusMessage("cannot encode the score: \(error)", isError: true)
                }
            case .enter, .escape, .character("Q"):
                self.quiz = nil
            default:
                return nil
            }
        }
        return nil
    }
}
