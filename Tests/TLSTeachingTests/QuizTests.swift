import Foundation
import TLSCrypto
import TLSTeaching
import TLSTranscript
import TLSWire
import XCTest

/// Quiz questions are answerable (the right option is what the transcript shows), well-formed and deterministic.
final class QuizTests: XCTestCase {
    func testQuestionsAreAnswerableFromEveryTranscript() async throws {
        var kinds = Set<QuizQuestion.Kind>()
        for (name, t) in try await TranscriptCache.shared.all() {
            let w = Walkthrough(t)
            let quiz = Quiz(walkthrough: w, seed: 1)
            XCTAssertFalse(quiz.questions.isEmpty, name)
            for q in quiz.questions {
                kinds.insert(q.kind)
                check(q, in: w, scenario: name)
            }
            // One question per step, close_notify alerts aside.
            let steps = w.steps.filter { $0.title != "Alert: close_notify" }.map(\.index)
            XCTAssertEqual(quiz.questions.map(\.step), steps, name)
            XCTAssertEqual(quiz.questions.map(\.number), Array(1...quiz.questions.count), name)
        }
        XCTAssertEqual(kinds, Set(QuizQuestion.Kind.allCases), "every kind of question is asked somewhere")
    }

    /// Checks one question against the transcript, independently of how it was built.
    func check(_ q: QuizQuestion, in w: Walkthrough, scenario: String) {
        let t = w.transcript
        let label = "\(scenario) Q\(q.number) (\(q.kind.rawValue))"
        XCTAssertTrue((3...4).contains(q.options.count), label)
        XCTAssertEqual(Set(q.options).count, q.options.count, "\(label): options are unique")
        XCTAssertTrue(q.options.indices.contains(q.correct), label)
        XCTAssertFalse(q.explanation.isEmpty, label)
        let step = w.steps[q.step]
        let record = t.records.first { $0.index == step.record }
        let connection = record?.connection ?? 0
        let title = step.title.hasPrefix("Application data") ? "Application data" : step.title
        switch q.kind {
        case .nextMessage:
            XCTAssertEqual(q.correctOption, title, label)
            XCTAssertTrue(q.prompt.contains("the \(step.from) send"), label)
        case .senderAndProtection:
            XCTAssertEqual(q.correctOption, "the \(step.from), \(step.encrypted ? "encrypted" : "in the clear")", label)
            XCTAssertTrue(q.prompt.contains(title), label)
        case .protectingKeys:
            XCTAssertEqual(q.correctOption, record?.keys ?? "none: sent in the clear", label)
            XCTAssertEqual(record?.encrypted, record?.keys != nil, label)
            if record?.keys != nil {
                XCTAssertTrue(q.explanation.contains("HKDF") || q.explanation.contains("Derive-Secret") || q.explanation.contains("key"), label)
                XCTAssertGreaterThan(q.explanation.count, 100, "\(label): the explanation says what the keys are")
            }
        case .heldSecret:
            let side: Side = q.prompt.contains("the client") ? .client : .server
            func held(_ name: String) -> Bool {
                w.steps[..<q.step].contains { s in
                    s.events.contains { e in
                        let event = t.events[e]
                        return event.kind == .derivation && event.side == side && event.connection == connection
                            && event.derivation?.name == name
                    }
                }
            }
            XCTAssertTrue(held(q.correctOption), "\(label): the \(side) holds \(q.correctOption) before the step")
            for (i, option) in q.options.enumerated() where i != q.correct {
                XCTAssertFalse(held(option), "\(label): the \(side) must not already hold \(option)")
            }
        case .alert:
            XCTAssertEqual("Alert: " + q.correctOption, step.title, label)
            XCTAssertNotNil(AlertDescription(name: q.correctOption), label)
            for option in q.options { XCTAssertNotNil(AlertDescription(name: option), "\(label): \(option) is a real alert") }
            if t.outcome.status == .failed, t.outcome.alert?.sentBy == step.from,
                w.steps[(q.step + 1)...].allSatisfy({ !$0.title.hasPrefix("Alert: ") || $0.title == "Alert: close_notify" })
            {
                XCTAssertEqual(q.correctOption, t.outcome.alert?.description, label)
            }
        }
    }

    func testEveryFailureAsksForItsAlert() async throws {
        for (name, t) in try await TranscriptCache.shared.all() where t.outcome.status == .failed {
            guard let alert = t.outcome.alert else { continue }
            let quiz = Quiz(transcript: t, seed: 3)
            XCTAssertTrue(
                quiz.questions.contains { $0.kind == .alert && $0.correctOption == alert.description },
                "\(name): a question asks which alert ends it")
        }
    }

    func testDeterministicForTranscriptAndSeed() async throws {
        let t = try await TranscriptCache.shared.transcript("tls13")
        XCTAssertEqual(Quiz(transcript: t, seed: 42).questions, Quiz(transcript: t, seed: 42).questions)
        // The transcript as JSON and back gives the same quiz (the UI may load a saved transcript).
        let reloaded = try Transcript.load(json: try t.jsonData())
        XCTAssertEqual(Quiz(transcript: reloaded, seed: 42).questions, Quiz(transcript: t, seed: 42).questions)
        var differ = false
        for seed: UInt64 in 1...5 where Quiz(transcript: t, seed: seed).questions != Quiz(transcript: t, seed: 42).questions {
            differ = true
        }
        XCTAssertTrue(differ, "another seed gives another quiz")
        XCTAssertEqual(Quiz(transcript: t, seed: 42, maxQuestions: 3).questions.count, 3)
    }

    func testScoringAndTheScoreFile() async throws {
        let t = try await TranscriptCache.shared.transcript("tls12-rsa")
        let quiz = Quiz(transcript: t, seed: 7)
        var session = QuizSession(quiz: quiz)
        var answered = 0
        while let q = session.question {
            let wrong = (q.correct + 1) % q.options.count
            let feedback = try XCTUnwrap(session.answer(answered % 2 == 0 ? q.correct : wrong))
            XCTAssertEqual(feedback.right, answered % 2 == 0)
            XCTAssertEqual(feedback.correctOption, q.correctOption)
            answered += 1
        }
        XCTAssertEqual(answered, quiz.questions.count)
        XCTAssertEqual(session.score, (quiz.questions.count + 1) / 2)
        XCTAssertNil(session.answer(0), "nothing left to answer")
        let record = session.record(transcriptSeed: t.seed)
        XCTAssertEqual(record.scenario, "tls12-rsa")
        XCTAssertEqual(record.seed, t.seed)
        XCTAssertEqual(record.quizSeed, 7)
        XCTAssertEqual(record.score, session.score)
        XCTAssertEqual(record.total, quiz.questions.count)
        XCTAssertEqual(record.answers.filter(\.right).count, session.score)
        let data = try record.jsonData()
        let json = try XCTUnwrap(String(data: data, encoding: .utf8))
        XCTAssertTrue(json.contains("\"format\" : \"tlslab-quiz-score\""), json)
        XCTAssertTrue(json.contains("\"quiz_seed\" : 7"), json)
        XCTAssertEqual(try QuizScore.load(json: data), record)

        var skipping = QuizSession(quiz: quiz)
        skipping.skip()
        skipping.stop()
        XCTAssertNil(skipping.question)
        XCTAssertEqual(skipping.score, 0)
        XCTAssertNil(skipping.record(transcriptSeed: nil).answers[0].chosen)
    }

    func testAnswerParsing() async throws {
        let quiz = Quiz(transcript: try await TranscriptCache.shared.transcript("tls13"), seed: 1)
        let q = try XCTUnwrap(quiz.questions.first { $0.options.count == 4 })
        XCTAssertEqual(q.option(from: "a"), 0)
        XCTAssertEqual(q.option(from: " D "), 3)
        XCTAssertEqual(q.option(from: "2"), 1)
        XCTAssertNil(q.option(from: "e"))
        XCTAssertNil(q.option(from: "5"))
        XCTAssertNil(q.option(from: "ab"))
        XCTAssertTrue(q.text().contains("d) "))
    }
}
