import Foundation
import TLSTeaching
import TLSTranscript
@testable import TLSViewModel
import TLSWire
import XCTest

/// The teaching layer in the stepper: explanations, glossary, presenter mode, quiz, lessons, failure-lab notes,
/// channel changes, the eavesdropper epilogue, several connections, and the start screen's sections and filter.
final class TeachingUITests: XCTestCase {
    static let lessonsDirectory = repositoryRoot.appendingPathComponent("Scenarios/lessons")

    func data(_ name: String) throws -> StepperData { StepperData(try golden(name)) }

    /// Moves the message cursor to the row named `name`.
    func select(_ name: String, _ s: inout StepperState, _ data: StepperData) throws {
        for _ in 0..<200 {
            if data.steps[s.step].fields[s.selectedField(data)].name == name { return }
            s.press([.down], data)
        }
        throw XCTSkip("no row \(name)")
    }

    // MARK: Explanations

    func testExplanationLineFollowsTheSelection() throws {
        let data = try data("tls12-rsa")
        var s = StepperState(data: data)
        // Ladder: the step's message.
        var item = try XCTUnwrap(s.explainItem(data))
        XCTAssertEqual(item.explanation?.key, "client_hello")
        // Message pane: the selected field, with its RFC section on the explanation line.
        s.press([.tab], data)
        try select("random", &s, data)
        item = try XCTUnwrap(s.explainItem(data))
        let random = try XCTUnwrap(Explanations.field("client_hello.random"))
        XCTAssertEqual(item.title, random.title)
        XCTAssertEqual(item.rfc, random.rfc)
        let grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        let row = try XCTUnwrap(grid.row(containing: "x ClientHello.random"))
        XCTAssertTrue(grid.text(row: row).contains(random.rfc), grid.text(row: row))
        XCTAssertEqual(row, 38, "the line above the key hint")
        // Secrets pane: the selected value's derivation.
        s.press([.right, .right, .right], data)  // ServerHelloDone: the client's key schedule
        s.press([.tab, .tab], data)
        XCTAssertEqual(s.focus, .secrets)
        while data.steps[s.step].client[s.secret?.index ?? 0].name != "master_secret" { s.press([.down], data) }
        item = try XCTUnwrap(s.explainItem(data))
        XCTAssertEqual(item.explanation?.kind, .derivation)
        XCTAssertTrue(item.title.hasPrefix("master_secret"), item.title)
        XCTAssertEqual(item.explanation, Explanations.derivation("master_secret", version: "TLS 1.2"))
    }

    /// Every row of every step has an explanation with an RFC section — from TLSTeaching, or for the rows the view
    /// model makes itself (record protection, the decoded certificate) from its own table — except application data
    /// lines, the channel's note and the eavesdropper's findings.
    func testEveryRowIsExplainedWithItsRFCSection() throws {
        for name in ByteMappingTests.goldens + ["tls13-resumption", "lab-expired-certificate", "tls12-resumption-ticket"] {
            let data = try data(name)
            for step in data.steps where !step.isEpilogue {
                XCTAssertFalse(step.explanations.isEmpty, "\(name) \(step.title)")
                for row in step.fields where !row.name.hasPrefix("line ") && row.name != "channel" {
                    let e = try XCTUnwrap(row.explanation, "\(name) \(step.title): \(row.name)")
                    XCTAssertTrue(e.rfc.hasPrefix("RFC "), "\(name) \(row.name): \(e.rfc)")
                }
            }
            for (_, d) in data.derivations { XCTAssertNotNil(d.explanation, "\(name) \(d.derivation.name)") }
        }
    }

    func testXOpensTheExplanationAndEnterItsTopic() throws {
        let data = try data("tls12-rsa")
        var s = StepperState(data: data)
        s.press([.right, .right, .right, .character("x")], data)  // ServerHelloDone
        guard case .explanation(let e) = s.overlays.last else { return XCTFail("no explanation window") }
        XCTAssertEqual(e.items.first?.key, "server_hello_done")
        // Then the values derived at this step, each once.
        XCTAssertTrue(e.items.contains { $0.kind == .derivation && $0.key == "master_secret" })
        XCTAssertEqual(Set(e.items.map { "\($0.kind)\($0.key)" }).count, e.items.count, "no duplicates")
        let grid = StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8)
        XCTAssertTrue(grid.contains("RFC 5246 §7.4.5"), grid.text)
        s.press([.enter], data)
        guard case .topic(let t) = s.overlays.last else { return XCTFail("no topic window") }
        XCTAssertEqual(t.id, e.items[0].topic)
        let topic = try XCTUnwrap(Topics.topic(t.id))
        XCTAssertTrue(StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8).contains(topic.title))
        s.press([.escape, .escape], data)
        XCTAssertTrue(s.overlays.isEmpty)
        // In the derivation window, x explains the derived value.
        s.press([.backTab, .enter, .character("x")], data)
        XCTAssertEqual(s.overlays.count, 2)
        guard case .explanation(let d) = s.overlays.last else { return XCTFail("no explanation of the derivation") }
        XCTAssertEqual(d.items.first?.kind, .derivation)
    }

    // MARK: Glossary

    func testGlossaryScrollsOpensTopicsAndExplanations() throws {
        let data = try data("tls12-rsa")
        var s = StepperState(data: data)
        s.press([.character("g")], data)
        guard case .glossary(let g0) = s.overlays.last else { return XCTFail("no glossary") }
        XCTAssertEqual(g0.cursor, 0)
        // A letter jumps to the next term starting with it; End to the last term.
        s.press([.character("m")], data)
        guard case .glossary(let g1) = s.overlays.last else { return XCTFail() }
        XCTAssertEqual(Glossary.terms[g1.cursor].term, "MAC")
        var grid = StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8)
        XCTAssertTrue(grid.contains("─ MAC ─"), grid.text)
        s.press([.end], data)
        guard case .glossary(let g2) = s.overlays.last else { return XCTFail() }
        XCTAssertEqual(g2.cursor, Glossary.terms.count - 1)
        grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(grid.contains(Glossary.terms[g2.cursor].term))
        // Enter opens the term's topic; Esc comes back to the glossary; x opens its explanation.
        s.press([.home, .character("m"), .character("m")], data)  // MAC, then Master secret
        guard case .glossary(let g3) = s.overlays.last else { return XCTFail() }
        let term = Glossary.terms[g3.cursor]
        XCTAssertEqual(term.term, "Master secret")
        s.press([.enter], data)
        guard case .topic(let t) = s.overlays.last else { return XCTFail("no topic") }
        XCTAssertEqual(t.id, term.topic)
        s.press([.escape, .character("x")], data)
        guard case .explanation(let e) = s.overlays.last else { return XCTFail("no explanation") }
        XCTAssertEqual(e.items, Explanations.lookup("master_secret"))
        XCTAssertEqual(e.items.count, 2, "both versions' master secret")
    }

    // MARK: Presenter mode

    func testPresenterModeKeepsStepKeysAndHidesThePanes() throws {
        let data = try data("tls12-rsa")
        var s = StepperState(data: data)
        s.press([.character("P")], data)
        XCTAssertTrue(s.presenter)
        s.press([.right, .right, .down], data)
        XCTAssertEqual(s.step, 3)
        s.press([.up], data)
        XCTAssertEqual(s.step, 2)
        for (w, h) in [(80, 24), (120, 40), (200, 60)] {
            let grid = StepperView.render(s, data, width: w, height: h, glyphs: .utf8)
            XCTAssertFalse(grid.contains("┌ Ladder"), "no pane frames")
            XCTAssertFalse(grid.contains("Secrets"))
            XCTAssertTrue(grid.contains("ServerHello ─") || grid.contains("─ ServerHello"))
            XCTAssertTrue(grid.contains("step 3 of 13"), "\(w)x\(h)")
            // High contrast: nothing but the presenter styles, the header and the key hint.
            let allowed: Set<Character> = ["B", "@", "b", "H", "h", "k", "A"]
            for y in 0..<h { for c in grid.styles(row: y) { XCTAssertTrue(allowed.contains(c), "\(w)x\(h) row \(y): \(c)") } }
        }
        // From 100×34 the title is drawn in large letters.
        let big = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(big.cells.contains { $0.character == "█" })
        XCTAssertFalse(StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8).cells.contains { $0.character == "█" })
        // ASCII: no block letters.
        XCTAssertTrue(StepperView.render(s, data, width: 120, height: 40, glyphs: .ascii).cells.allSatisfy { $0.character.isASCII })
        s.press([.character("P")], data)
        XCTAssertFalse(s.presenter)
        s.press([.character("P"), .escape], data)
        XCTAssertFalse(s.presenter, "Esc leaves presenter mode before it quits")
    }

    func testBigTextGlyphs() {
        let rows = BigText.render("Hi", maxWidth: 80)
        XCTAssertEqual(rows?.count, 3)
        // H is 3 columns, the gap 1, i 1: 5 columns.
        XCTAssertEqual(rows?.first?.count, 5)
        XCTAssertNil(BigText.render("漢", maxWidth: 80), "no glyph: the caller falls back to plain text")
    }

    // MARK: Quiz

    func testQuizAsksBeforeEachStepAndSavesTheScore() throws {
        let data = try data("tls12-rsa")
        var s = StepperState(data: data)
        s.press([.character("Q")], data)
        let quiz = try XCTUnwrap(s.quiz)
        XCTAssertEqual(quiz.phase, .asking)
        XCTAssertEqual(quiz.revealed, 0, "nothing shown before the first answer")
        let expected = Quiz(walkthrough: data.walkthrough, seed: 1)
        XCTAssertEqual(quiz.session.quiz.questions, expected.questions, "seeded with the transcript's seed, as `tlslab quiz`")
        let first = try XCTUnwrap(quiz.question)
        XCTAssertEqual(first.step, 0)
        // The screen does not give the answer away: no step title on the ladder or in the narration rule.
        var grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertFalse(grid.contains("ClientHello ─"))
        XCTAssertFalse(grid.contains("Step 1/13 · ClientHello"))
        XCTAssertTrue(grid.contains(first.prompt), grid.text)
        // Answer right (1-based key).
        s.press([.character(Character(String(first.correct + 1)))], data)
        XCTAssertEqual(s.quiz?.phase, .feedback(chosen: first.correct, right: true))
        grid = StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8)
        XCTAssertTrue(grid.contains("Right."))
        s.press([.enter], data)
        XCTAssertEqual(s.quiz?.phase, .exploring)
        XCTAssertEqual(s.quiz?.revealed, 1)
        XCTAssertEqual(s.step, 0)
        grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(grid.contains("ClientHello ─"))
        XCTAssertFalse(grid.contains("─ ServerHello"), "the next step stays hidden")
        // → asks the next question; answer wrong with a letter.
        s.press([.right], data)
        XCTAssertEqual(s.quiz?.phase, .asking)
        let second = try XCTUnwrap(s.quiz?.question)
        let wrong = (second.correct + 1) % second.options.count
        s.press([.character(Character(QuizQuestion.letter(wrong)))], data)
        XCTAssertEqual(s.quiz?.phase, .feedback(chosen: wrong, right: false))
        XCTAssertTrue(StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8).contains("Not quite"))
        s.press([.enter, .right, .character("s"), .enter], data)  // third question skipped
        XCTAssertEqual(s.step, 2)
        // End moves only within what is revealed.
        s.press([.home, .end], data)
        XCTAssertEqual(s.step, 2)
        // Esc ends the quiz: the score.
        s.press([.right, .escape], data)
        XCTAssertEqual(s.quiz?.phase, .finished)
        grid = StepperView.render(s, data, width: 80, height: 24, glyphs: .utf8)
        XCTAssertTrue(grid.contains("Score: 1 / \(expected.questions.count)"), grid.text)
        let command = s.handle(.character("w"), data: data)
        guard case .save(let request) = command else { return XCTFail("w should save, got \(String(describing: command))") }
        XCTAssertEqual(request.fileName, "tlslab-quiz-tls12-rsa-seed1.json")
        let score = try QuizScore.load(json: Data(request.contents))
        XCTAssertEqual(score.format, "tlslab-quiz-score")
        XCTAssertEqual(score.score, 1)
        XCTAssertEqual(score.total, expected.questions.count)
        XCTAssertEqual(score.answers.prefix(3).map(\.right), [true, false, false])
        XCTAssertNil(score.answers[2].chosen, "skipped")
        XCTAssertEqual(score.seed, 1)
        s.press([.enter], data)
        XCTAssertNil(s.quiz)
        s.press([.end], data)
        XCTAssertEqual(s.step, data.steps.count - 1, "everything is shown again")
    }

    func testQuizToTheEndShowsTheScore() throws {
        let data = try data("tls13-ed25519-chacha")
        var s = StepperState(data: data)
        s.press([.character("Q")], data)
        let total = try XCTUnwrap(s.quiz?.session.total)
        var answered = 0
        for _ in 0..<(data.steps.count * 3) {
            guard let quiz = s.quiz, quiz.phase != .finished else { break }
            switch quiz.phase {
            case .asking:
                s.press([.character(Character(String((quiz.question?.correct ?? 0) + 1)))], data)
                answered += 1
            case .feedback: s.press([.enter], data)
            default: s.press([.right], data)
            }
        }
        XCTAssertEqual(answered, total)
        XCTAssertEqual(s.quiz?.phase, .finished)
        XCTAssertEqual(s.quiz?.session.score, total)
        XCTAssertEqual(s.quiz?.revealed, data.steps.count)
        XCTAssertTrue(StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8).contains("Score: \(total) / \(total) (100%)"))
    }

    // MARK: Lessons

    func lessonModel() throws -> AppModel {
        let lesson = try LessonCatalog(directory: Self.lessonsDirectory).resolve("tls12-rsa")
        var transcripts: [String: Transcript] = [:]
        for name in lesson.scenarios { transcripts[name] = try golden(name) }
        return AppModel(lesson: try LessonSession(lesson: lesson, transcripts: transcripts))
    }

    func testLessonDrivesTheStepper() throws {
        var m = try lessonModel()
        let session = try XCTUnwrap(m.lesson)
        let player = session.player
        XCTAssertEqual(player.cue, .introduction)
        var grid = m.render(width: 80, height: 24, glyphs: .utf8)
        XCTAssertTrue(grid.contains("Lesson: \(player.lesson.title)"), grid.text)
        // n walks the cues; at each stop the stepper shows the stop's step.
        var stops = 0
        var pauses = 0
        var scenarios: [String] = []
        for _ in 0..<200 {
            guard let lesson = m.lesson else { break }
            if case .stop(_, _, let step) = lesson.player.cue {
                XCTAssertEqual(m.stepper.step, step)
                XCTAssertEqual(m.data?.transcript.scenario, lesson.player.scenario)
                if !lesson.answerShown { stops += 1 }
                if lesson.player.isPause {
                    grid = m.render(width: 120, height: 40, glyphs: .utf8)
                    XCTAssertTrue(grid.contains("pause: ask the class"), grid.text)
                    if lesson.player.stop?.answer != nil, !lesson.answerShown {
                        pauses += 1
                        m.press([.character("n")])
                        XCTAssertTrue(m.lesson?.answerShown ?? false, "n shows the answer first")
                        XCTAssertTrue(m.render(width: 120, height: 40, glyphs: .utf8).contains("(answer: "))
                        continue
                    }
                }
            }
            if let name = m.data?.transcript.scenario, scenarios.last != name { scenarios.append(name) }
            if lesson.player.cue == .end { break }
            m.press([.character(" ")])
        }
        let lesson = player.lesson
        XCTAssertEqual(stops, lesson.segments.flatMap(\.stops).count)
        XCTAssertEqual(pauses, lesson.segments.flatMap(\.stops).filter { $0.ask != nil && $0.answer != nil }.count)
        XCTAssertEqual(scenarios, ["tls12-rsa", "lab-forward-secrecy-rsa"], "the scenarios switch as the lesson does")
        XCTAssertTrue(m.render(width: 80, height: 24, glyphs: .utf8).contains("End of the lesson"))
        // p goes back (across the scenario switch), ←/→ still step.
        m.press(Array(repeating: .character("p"), count: 40))
        XCTAssertEqual(m.lesson?.player.cue, .introduction)
        XCTAssertEqual(m.data?.transcript.scenario, "tls12-rsa")
        m.press([.right])
        XCTAssertEqual(m.stepper.step, 1)
        // Presenter mode stays on across cues.
        m.press([.character("P"), .character("n"), .character("n")])
        XCTAssertTrue(m.stepper.presenter)
        XCTAssertTrue(m.render(width: 120, height: 40, glyphs: .utf8).contains("lesson 3/"))
    }

    // MARK: Failure lab, channel, eavesdropper

    func testLabNoteOpensAtTheFailureAndLReopensIt() throws {
        let t = try golden("lab-expired-certificate")
        let lab = try XCTUnwrap(t.lab)
        let data = StepperData(t)
        let failure = try XCTUnwrap(data.failureStep)
        XCTAssertEqual(data.labStep, failure)
        var s = StepperState(data: data)
        s.press(Array(repeating: .right, count: failure), data)
        XCTAssertEqual(s.step, failure)
        XCTAssertEqual(s.overlays, [.lab], "opens by itself at the failure")
        let grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        for heading in ["What the user sees", "Why", "How to fix it"] { XCTAssertTrue(grid.contains(heading)) }
        XCTAssertTrue(grid.contains(String(lab.symptom.prefix(40))), grid.text)
        // A step key closes it and steps; it does not open again by itself.
        s.press([.left], data)
        XCTAssertTrue(s.overlays.isEmpty)
        XCTAssertEqual(s.step, failure - 1)
        s.press([.right], data)
        XCTAssertTrue(s.overlays.isEmpty)
        s.press([.character("L")], data)
        XCTAssertEqual(s.overlays, [.lab])
        // Scenarios without a note say so.
        var plain = StepperState(data: try self.data("tls12-rsa"))
        plain.press([.character("L")], try self.data("tls12-rsa"))
        XCTAssertTrue(plain.overlays.isEmpty)
        XCTAssertNotNil(plain.status)
    }

    func testChannelChangesAreShownWithTheBytesAsSent() throws {
        let t = try golden("lab-tampered-record")
        let data = StepperData(t)
        let step = try XCTUnwrap(data.steps.first { $0.channelNote != nil })
        let record = t.records[step.record]
        let note = try XCTUnwrap(record.channelNote)
        // The simulator's note names the byte and both values, e.g. "… byte 20 … (ciphertext): 39 → 38".
        let values = note.split(separator: " ").suffix(3)
        XCTAssertEqual(values.count, 3, note)
        let sent = try XCTUnwrap(UInt8(values.first ?? "", radix: 16))
        let delivered = try XCTUnwrap(UInt8(values.last?.trimmingCharacters(in: .punctuationCharacters) ?? "", radix: 16))
        // The first row says what the channel did; its range is the changed byte in the record as sent.
        let row = step.fields[0]
        XCTAssertEqual(row.name, "channel")
        XCTAssertTrue(row.isAlert)
        let range = try XCTUnwrap(row.range)
        XCTAssertEqual(range.length, 1)
        let original = step.buffers[range.buffer]
        XCTAssertEqual(original.kind, .original)
        XCTAssertEqual(original.bytes, [UInt8](hex: try XCTUnwrap(record.originalHex)))
        XCTAssertEqual(original.bytes[range.start], sent)
        // The wire view marks the same byte, delivered changed.
        let wire = try XCTUnwrap(step.buffers.first { $0.kind == .wire })
        XCTAssertEqual(wire.changed, [range.start..<(range.start + 1)])
        XCTAssertEqual(wire.bytes[range.start], delivered)
        // The ladder marks the step, the narration says what happened.
        var s = StepperState(data: data)
        s.press(Array(repeating: .right, count: step.index), data)
        let grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(grid.contains("! [enc] App"), grid.text)
        XCTAssertTrue(step.narration.contains("the channel interfered"))
    }

    func testEavesdropperEpilogue() throws {
        let t = try golden("lab-forward-secrecy-rsa")
        let data = StepperData(t)
        XCTAssertEqual(data.exchangeStepCount, data.walkthrough.steps.count)
        let epilogue = try XCTUnwrap(data.steps.last)
        XCTAssertTrue(epilogue.isEpilogue)
        XCTAssertEqual(data.steps.count, data.exchangeStepCount + 1)
        XCTAssertEqual(data.labStep, epilogue.index, "no failure: the lab note goes with the epilogue")
        // Every value the eavesdropper recomputes is the client's own value: compare with the recorded secrets.
        let recomputed = epilogue.fields.filter { $0.range != nil }
        XCTAssertEqual(recomputed.count, t.events.filter { $0.kind == .eavesdropper && $0.derivation != nil }.count)
        for row in recomputed {
            let bytes = epilogue.buffers[row.range?.buffer ?? 0].bytes
            let recorded = t.secrets.first { $0.side == .client && $0.name == row.name }
            if let recorded { XCTAssertEqual(bytes, [UInt8](hex: recorded.hex), row.name) }
            XCTAssertEqual(bytes, data.steps[data.exchangeStepCount - 1].client.first { $0.name == row.name }?.value, row.name)
        }
        XCTAssertTrue(epilogue.fields.contains { $0.name == "reads" && $0.value.contains("POST /login") })
        var s = StepperState(data: data)
        s.press([.end], data)
        XCTAssertEqual(s.step, epilogue.index)
        s.press([.escape], data)  // the lab note
        let grid = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(grid.contains("After the run · What an eavesdropper can read later"), grid.text)
        XCTAssertTrue(grid.contains("Eavesdropper · What an eavesdropper"))
    }

    // MARK: Connections

    func testConnectionsAreSeparatedAndSecretsArePerConnection() throws {
        let t = try golden("tls13-resumption")
        let data = StepperData(t)
        XCTAssertEqual(data.connections.count, 2)
        XCTAssertEqual(data.connections.map(\.label), t.connections.map(\.label))
        XCTAssertEqual(data.connections.map(\.resumed), [false, true])
        let second = try XCTUnwrap(data.connections[1].firstStep)
        XCTAssertEqual(data.steps[second].title, "ClientHello")
        // The secrets pane shows the current connection's values only.
        let info = data.steps[second]
        XCTAssertFalse(info.client.isEmpty)
        for value in info.client + info.server { XCTAssertEqual(t.events[value.event].connection, 1) }
        XCTAssertTrue(data.steps[second - 1].client.allSatisfy { t.events[$0.event].connection == 0 })
        // A derivation's peer is the other side's value in the same connection.
        for (_, d) in data.derivations {
            if let peer = d.peer { XCTAssertEqual(t.events[peer].connection, t.events[d.event].connection) }
        }
        var s = StepperState(data: data)
        s.press(Array(repeating: .right, count: second), data)
        for (w, h) in [(80, 24), (120, 40)] {
            let grid = StepperView.render(s, data, width: w, height: h, glyphs: .utf8)
            XCTAssertTrue(grid.contains("connection 2 of 2"), "\(w)x\(h)")
            XCTAssertTrue(grid.contains("2 second visit"), "\(w)x\(h): the divider\n\(grid.text)")
        }
        let wide = StepperView.render(s, data, width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(wide.contains("1 first visit"))
        XCTAssertTrue(wide.contains("who knows what after step \(second + 1) · connection 2 of 2"))
    }

    // MARK: Start screen

    func testStartScreenSectionsAndFilter() {
        var m = AppModel(
            scenarios: [
                ScenarioItem(name: "lab-x", title: "Lab X", description: "D.", versionBadge: "TLS 1.3", keyExchangeBadge: "(EC)DHE", group: .lab),
                ScenarioItem(name: "tls13", title: "TLS 1.3", description: "D.", versionBadge: "TLS 1.3", keyExchangeBadge: "(EC)DHE"),
                ScenarioItem(name: "tls13-resumption", title: "Resumption", description: "D.", versionBadge: "TLS 1.3", keyExchangeBadge: "(EC)DHE", group: .beyond),
                ScenarioItem(name: "tls12-rsa", title: "TLS 1.2 RSA", description: "D.", versionBadge: "TLS 1.2", keyExchangeBadge: "RSA"),
            ], preferred: "tls13")
        XCTAssertEqual(m.start?.items.map(\.name), ["tls13", "tls12-rsa", "tls13-resumption", "lab-x"], "sorted by section")
        let grid = m.render(width: 80, height: 24, glyphs: .utf8)
        let rows = ["Core handshakes (2)", "Beyond one handshake (1)", "Failure lab (1)"].map { grid.row(containing: $0) ?? -1 }
        XCTAssertEqual(rows, rows.sorted())
        XCTAssertFalse(rows.contains(-1), grid.text)
        m.press([.character("/"), .character("r"), .character("e"), .character("s")])
        XCTAssertEqual(m.start?.visible.map { m.start?.items[$0].name }, ["tls13-resumption"])
        XCTAssertTrue(m.render(width: 80, height: 24, glyphs: .utf8).contains("filter: res_"))
        XCTAssertEqual(m.handle(.enter), .run("tls13-resumption"))
        m.runFailed("no")
        m.press([.character("/"), .escape])
        XCTAssertEqual(m.start?.visible.count, 4, "Esc clears the filter")
        XCTAssertEqual(m.handle(.character("q")), .quit)
    }

    // MARK: Help

    func testHelpListsEveryKey() throws {
        var m = AppModel(transcript: try golden("lab-expired-certificate"), exports: [
            ExportKey(key: "e", label: "export JSON"), ExportKey(key: "m", label: "export Markdown handout"),
        ])
        m.press([.character("?")])
        var text = ""
        for _ in 0..<10 {
            text += m.render(width: 80, height: 24, glyphs: .utf8).text
            m.press([.pageDown])
        }
        for key in ["→ n Space", "Home End", "Tab Shift-Tab", "x ", "g ", "P ", "Q ", "L ", "e ", "m ", "? ", "q ", "Esc"] {
            XCTAssertTrue(text.contains("  " + key), "help lacks \(key)")
        }
        XCTAssertTrue(text.contains("export Markdown handout"))
    }
}

