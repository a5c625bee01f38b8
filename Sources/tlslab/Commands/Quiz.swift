import ArgumentParser
import Foundation
import TLSExport
import TLSTeaching
import TLSTranscript

struct QuizCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiz",
        abstract: "Quiz yourself on a scenario: before each step, a multiple-choice question about it.",
        discussion: """
            Answers are read from standard input: a, b, c or d (or 1–4); s skips a question, q stops. After each \
            answer the right one is explained, then the step is shown. The same scenario and --quiz-seed always \
            give the same questions. --save-score writes {scenario, seed, quiz_seed, answers, score, total} as JSON.
            """)

    @Argument(help: "Scenario name, .yaml file or transcript .json.")
    var scenario = "tls13"

    @Option(name: .long, parsing: .unconditional, help: "Override the scenario's random seed (scenarios only).")
    var seed: UInt64?

    @Option(name: .long, help: "Seed of the questions (default: the transcript's seed).")
    var quizSeed: UInt64?

    @Option(name: .long, help: "Ask at most this many questions.")
    var max: Int?

    @Option(name: .long, help: "Write the score as JSON to this file.")
    var saveScore: String?

    @Option(name: .long, help: "Wrap text at this many columns.")
    var width = 100

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let transcript = try await TranscriptSource.load(scenario, seed: seed, options: scenarioOptions)
        let walkthrough = Walkthrough(transcript)
        let quiz = Quiz(walkthrough: walkthrough, seed: quizSeed ?? transcript.seed ?? 0, maxQuestions: max)
        var session = QuizSession(quiz: quiz)
        print("Quiz — \(transcript.title) (\(quiz.questions.count) questions; a–d to answer, s to skip, q to stop)")
        print(TextWrap.wrap(transcript.description, width: width).joined(separator: "\n"))
        var shown = 0
        func show(through step: Int) {
            while shown <= step && shown < walkthrough.steps.count {
                print("")
                print(StepExcerpt.lines(walkthrough, step: shown, indent: "", options: excerptOptions).joined(separator: "\n"))
                shown += 1
            }
        }
        ask: while let question = session.question {
            show(through: question.step - 1)
            print("")
            print(question.text(width: width))
            while true {
                print("> ", terminator: "")
                fflush(nil)
                guard let line = readLine() else {
                    print("")
                    session.stop()
                    break ask
                }
                let input = line.trimmingCharacters(in: .whitespaces).lowercased()
                if input == "q" {
                    session.stop()
                    break ask
                }
                if input == "s" {
                    session.skip()
                    print("   skipped — the answer is \(QuizQuestion.letter(question.correct))) \(question.correctOption)")
                    break
                }
                guard let choice = question.option(from: input) else {
                    print("   answer a–\(QuizQuestion.letter(question.options.count - 1)), s to skip or q to stop")
                    continue
                }
                guard let feedback = session.answer(choice) else { break ask }
                let verdict =
                    feedback.right
                    ? "✓ right" : "✗ the answer is \(QuizQuestion.letter(question.correct))) \(feedback.correctOption)"
                print("   " + verdict)
                print(TextWrap.wrap(feedback.explanation, width: width, indent: "   ", continuation: "   ").joined(separator: "\n"))
                break
            }
            show(through: question.step)
        }
        print("")
        let percent = session.total == 0 ? 0 : session.score * 100 / session.total
        print("Score: \(session.score) / \(session.total) (\(percent)%), \(session.answered) answered")
        if let saveScore {
            let data = try session.record(transcriptSeed: transcript.seed).jsonData() + Data("\n".utf8)
            try AtomicFile.write(data, to: URL(fileURLWithPath: saveScore))
            FileHandle.standardError.write(Data("wrote \(saveScore)\n".utf8))
        }
    }

    var excerptOptions: StepExcerpt.Options {
        var o = StepExcerpt.Options()
        o.width = width
        o.maxFieldLines = 6
        return o
    }
}
