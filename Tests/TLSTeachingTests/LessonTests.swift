import Foundation
import TLSSimulator
import TLSTeaching
import TLSTranscript
import TLSWire
import XCTest

/// The shipped lessons load, fit a 50-minute class and point at steps that exist; the reader is strict and says
/// where a problem is; the player walks the cues in order.
final class LessonTests: XCTestCase {
    var lessons: LessonCatalog { LessonCatalog(directory: lessonsDirectory, scenarios: catalog.names()) }

    func walkthroughs(for lesson: Lesson) async throws -> [String: Walkthrough] {
        var out: [String: Walkthrough] = [:]
        for s in lesson.scenarios { out[s] = Walkthrough(try await TranscriptCache.shared.transcript(s)) }
        return out
    }

    func testTheFourLessonsShip() throws {
        XCTAssertEqual(Set(lessons.names()), ["tls12-rsa", "ecdhe-forward-secrecy", "tls13", "failure-lab"])
        let tls13 = try lessons.resolve("tls13")
        for s in ["tls13", "tls13-hrr", "tls13-resumption"] { XCTAssertTrue(tls13.scenarios.contains(s), s) }
        let lab = try lessons.resolve("failure-lab")
        XCTAssertGreaterThanOrEqual(lab.scenarios.filter { $0.hasPrefix("lab-") }.count, 8)
        let fs = try lessons.resolve("ecdhe-forward-secrecy")
        XCTAssertTrue(fs.scenarios.contains("lab-forward-secrecy-rsa") && fs.scenarios.contains("lab-forward-secrecy-ecdhe"))
        XCTAssertTrue(try lessons.resolve("tls12-rsa").scenarios.contains("tls12-rsa"))
    }

    func testEveryLessonFitsFiftyMinutesAndEveryStopResolves() async throws {
        for entry in lessons.entries() {
            let lesson = try entry.result.get()
            XCTAssertEqual(lesson.minutes, 50, entry.name)
            XCTAssertEqual(lesson.segments.map(\.minutes).reduce(0, +), 50, "\(entry.name): the segments fill the class")
            XCTAssertFalse(lesson.goals.isEmpty, entry.name)
            let asks = lesson.segments.flatMap(\.stops).filter { $0.ask != nil }
            XCTAssertGreaterThanOrEqual(asks.count, 6, "\(entry.name): questions for the class")
            XCTAssertTrue(asks.allSatisfy { $0.answer != nil }, "\(entry.name): every question has an answer for the teacher")
            let w = try await walkthroughs(for: lesson)
            let steps = try LessonPlayer.resolve(lesson, walkthroughs: w)
            for (s, segment) in lesson.segments.enumerated() {
                for (k, stop) in segment.stops.enumerated() {
                    let step = try XCTUnwrap(w[segment.scenario]).steps[steps[s][k]]
                    XCTAssertTrue(step.title.hasPrefix(stop.at), "\(entry.name): \(stop.at) → \(step.title)")
                    if let from = stop.from { XCTAssertEqual(step.from, from, "\(entry.name): \(stop.at)") }
                }
                for topic in segment.topics { XCTAssertNotNil(Topics.topic(topic), topic) }
            }
        }
    }

    func testScriptHasNarrationExcerptsAndPauses() async throws {
        let lesson = try lessons.resolve("tls12-rsa")
        let text = try LessonScript.text(lesson, walkthroughs: try await walkthroughs(for: lesson))
        let asks = lesson.segments.flatMap(\.stops).compactMap(\.ask)
        XCTAssertEqual(text.components(separatedBy: "— pause: ask the class:").count - 1, asks.count)
        XCTAssertTrue(text.contains("══ Lesson: TLS 1.2 with RSA key exchange (50 minutes) ══"))
        XCTAssertTrue(text.contains("Part 1 of \(lesson.segments.count)"))
        XCTAssertTrue(text.contains("step 5 · client → server · ClientKeyExchange · in the clear"), "excerpt heading")
        XCTAssertTrue(text.contains("derives key_block = PRF(master_secret"), "derivations at the step")
        XCTAssertTrue(text.contains("Teacher: "))
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 100, String(line)) }
        // Comparisons are placed where a segment asks for them.
        let fs = try lessons.resolve("ecdhe-forward-secrecy")
        let blocks = try LessonScript.blocks(
            fs, walkthroughs: try await walkthroughs(for: fs),
            comparisons: ["lab-forward-secrecy-ecdhe|lab-forward-secrecy-rsa": "SIDE BY SIDE"])
        XCTAssertTrue(blocks.contains(.text("\nSide by side: tlslab compare lab-forward-secrecy-ecdhe lab-forward-secrecy-rsa\nSIDE BY SIDE")))
    }

    func testPlayerWalksTheCues() async throws {
        let lesson = try lessons.resolve("tls13")
        var player = try LessonPlayer(lesson: lesson, walkthroughs: try await walkthroughs(for: lesson))
        XCTAssertEqual(player.cue, .introduction)
        XCTAssertNil(player.scenario)
        XCTAssertFalse(player.previous())
        let stops = lesson.segments.map(\.stops.count).reduce(0, +)
        XCTAssertEqual(player.cues.count, 2 + lesson.segments.count + stops)
        XCTAssertTrue(player.next())
        XCTAssertEqual(player.cue, .segment(0))
        XCTAssertEqual(player.scenario, "tls13")
        XCTAssertNil(player.step)
        XCTAssertTrue(player.next())
        XCTAssertEqual(player.stop?.at, "ClientHello")
        XCTAssertEqual(player.step, 0)
        XCTAssertTrue(player.isPause)
        player.jump(toSegment: 2)
        XCTAssertEqual(player.scenario, "tls13-hrr")
        XCTAssertTrue(player.next())
        XCTAssertTrue(player.next())
        XCTAssertEqual(player.stop?.at, "HelloRetryRequest")
        XCTAssertEqual(player.step, 1)
        while player.next() {}
        XCTAssertEqual(player.cue, .end)
        XCTAssertEqual(player.progress.current, player.progress.total)
        XCTAssertTrue(player.previous())
    }

    // MARK: Strict reading

    func parse(_ yaml: String) throws -> Lesson {
        try LessonLoader.parse(yaml: yaml, name: "my", sourcePath: "my.yaml", scenarios: catalog.names())
    }

    func assertError(_ yaml: String, _ expected: String, line: UInt = #line) {
        XCTAssertThrowsError(try parse(yaml), line: line) { error in
            XCTAssertEqual("\(error)", expected, line: line)
        }
    }

    static let valid = """
        title: A lesson
        summary: Something.
        minutes: 10
        segments:
          - title: One
            scenario: tls13
            minutes: 10
            narration: Hello.
            steps:
              - at: ClientHello
                ask: What is this?
                answer: The first message.
        """

    func testAValidLesson() throws {
        let lesson = try parse(Self.valid)
        XCTAssertEqual(lesson.segments[0].stops[0].position, SourcePosition(file: "my.yaml", line: 10, column: 13))
        XCTAssertEqual(lesson.segments[0].position.line, 6)
    }

    func testErrorsSayWhereAndWhat() {
        assertError(
            Self.valid.replacingOccurrences(of: "narration:", with: "narative:"),
            "my.yaml:8:5: unknown key 'narative' in a segment (did you mean 'narration'?); allowed keys: title, scenario, minutes, narration, steps, compare, topics")
        assertError(
            Self.valid.replacingOccurrences(of: "scenario: tls13", with: "scenario: tls31"),
            "my.yaml:6:15: unknown scenario 'tls31' (did you mean 'tls13'?); available: \(catalog.names().joined(separator: ", "))")
        assertError(
            Self.valid.replacingOccurrences(of: "minutes: 10\nsegments", with: "minutes: 5\nsegments"),
            "my.yaml:3:10: the segments take 10 minutes, more than the lesson's 5; shorten a segment or raise minutes")
        assertError(
            Self.valid.replacingOccurrences(of: "minutes: 10\nsegments", with: "minutes: ten\nsegments"),
            "my.yaml:3:10: expected a whole number for minutes, found a text ('ten'); allowed: 1 … 600")
        assertError(
            Self.valid.replacingOccurrences(of: "summary: Something.\n", with: ""),
            "my.yaml:1:1: missing required key 'summary' in a lesson")
        assertError(
            Self.valid.replacingOccurrences(of: "        ask: What is this?\n", with: ""),
            "my.yaml:11:17: answer needs an ask: the answer is to the question asked")
        assertError(
            Self.valid.replacingOccurrences(of: "ask: What is this?\n        answer: The first message.", with: "from: both"),
            "my.yaml:11:15: unknown side 'both'; allowed: client, server")
        assertError(
            Self.valid.replacingOccurrences(of: "        ask: What is this?\n        answer: The first message.", with: "        from: client"),
            "my.yaml:10:9: a step needs a note (what to point at) or an ask (a question for the class), or both")
        assertError(
            Self.valid.replacingOccurrences(of: "      - at: ClientHello", with: "      - at: ClientHello\n        scenario: tls13"),
            "my.yaml:11:9: unknown key 'scenario' in a step ('scenario' belongs in a segment); allowed keys: at, from, occurrence, connection, note, ask, answer")
        assertError(
            Self.valid.replacingOccurrences(of: "segments:\n", with: "segments: []\nx:\n"),
            "my.yaml:4:11: segments must list at least one segment")
        assertError("title: [unclosed\n", "my.yaml:2:1: YAML syntax error: did not find expected ',' or ']'")
        assertError("", "my.yaml:1:1: the file is empty; a lesson needs title, summary, minutes and segments")
        assertError(
            Self.valid + "\n    topics: [no-such-topic]",
            "my.yaml:13:14: unknown topic 'no-such-topic'; allowed: \(Topics.all.map(\.id).joined(separator: ", "))")
    }

    func testAStepThatDoesNotExistIsReportedAtItsPosition() async throws {
        let lesson = try parse(Self.valid.replacingOccurrences(of: "at: ClientHello", with: "at: ServerKeyExchange"))
        let w = try await walkthroughs(for: lesson)
        XCTAssertThrowsError(try LessonPlayer.resolve(lesson, walkthroughs: w)) { error in
            XCTAssertEqual(
                "\(error)",
                "my.yaml:10:13: scenario tls13 has no step 'ServerKeyExchange'; its steps: ClientHello, ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished, Application data, Alert: close_notify")
        }
        let second = try parse(Self.valid.replacingOccurrences(of: "at: ClientHello", with: "at: ClientHello\n        occurrence: 2"))
        XCTAssertThrowsError(try LessonPlayer.resolve(second, walkthroughs: w)) { error in
            XCTAssertTrue("\(error)".hasPrefix("my.yaml:10:13: scenario tls13 has no step occurrence 2 of 'ClientHello' (there is 1)"), "\(error)")
        }
    }

    func testUnknownLessonSuggestsAName() {
        XCTAssertThrowsError(try lessons.resolve("tls12-rs")) { error in
            XCTAssertTrue("\(error)".contains("unknown lesson (did you mean 'tls12-rsa'?)"), "\(error)")
        }
    }
}
