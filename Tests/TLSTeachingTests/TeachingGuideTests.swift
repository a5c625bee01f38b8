import Foundation
import TLSScenario
import TLSSimulator
import TLSTeaching
import TLSTranscript
import TLSWire
import XCTest
import Yams

/// docs/teaching-guide.md against the code: every lesson key is documented, the example lesson loads and resolves,
/// and every exercise answer, applied to its failure-lab scenario, gives the outcome the guide states.
final class TeachingGuideTests: XCTestCase {
    var guide: String {
        (try? String(contentsOf: repositoryRoot.appendingPathComponent("docs/teaching-guide.md"), encoding: .utf8)) ?? ""
    }

    /// The ```yaml blocks, with the fence's indentation removed from every line.
    func yamlBlocks() -> [String] {
        var blocks: [String] = []
        var current: [String]?
        var indent = 0
        for line in guide.components(separatedBy: "\n") {
            let trimmed = line.drop { $0 == " " }
            if current == nil, trimmed == "```yaml" {
                current = []
                indent = line.count - trimmed.count
            } else if current != nil, trimmed == "```" {
                blocks.append(current?.joined(separator: "\n") ?? "")
                current = nil
            } else if current != nil {
                current?.append(String(line.dropFirst(min(indent, line.prefix { $0 == " " }.count))))
            }
        }
        return blocks
    }

    func testEveryLessonKeyAndLessonIsDocumented() {
        XCTAssertFalse(guide.isEmpty)
        for key in LessonLoader.topLevelKeys + LessonLoader.segmentKeys + LessonLoader.stopKeys {
            XCTAssertTrue(guide.contains("| `\(key)` |"), "\(key) has no row in docs/teaching-guide.md")
        }
        for name in LessonCatalog(directory: lessonsDirectory).names() {
            XCTAssertTrue(guide.contains("| `\(name)` |"), "lesson \(name) is not in the guide")
        }
        XCTAssertTrue(guide.contains("`P` switches to presenter mode"))
        XCTAssertTrue(guide.contains("--no-secrets"))
        XCTAssertTrue(guide.contains("<details>"), "exercise answers are collapsible")
        // Every scenario the guide names exists.
        let names = Set(catalog.names())
        let pattern = try? NSRegularExpression(pattern: "\\b(lab|tls1[23])-[a-z0-9-]*[a-z0-9]\\b")
        let text = guide as NSString
        for match in pattern?.matches(in: guide, range: NSRange(location: 0, length: text.length)) ?? [] {
            let name = text.substring(with: match.range)
            XCTAssertTrue(names.contains(name) || name == "tls12-rsa" || name == "tls13", "the guide names \(name)")
        }
    }

    func testTheExampleLessonLoadsAndResolves() async throws {
        let lessons = yamlBlocks().filter { $0.contains("segments:") }
        XCTAssertEqual(lessons.count, 1)
        for yaml in lessons {
            let lesson = try LessonLoader.parse(yaml: yaml, name: "example", sourcePath: "example.yaml", scenarios: catalog.names())
            var walkthroughs: [String: Walkthrough] = [:]
            for s in lesson.scenarios { walkthroughs[s] = Walkthrough(try await TranscriptCache.shared.transcript(s)) }
            let steps = try LessonPlayer.resolve(lesson, walkthroughs: walkthroughs)
            XCTAssertEqual(steps.flatMap { $0 }.count, lesson.segments.flatMap(\.stops).count)
        }
    }

    /// `# exercise: SCENARIO → completed` or `→ failed: ALERT by SIDE`, then the keys to change.
    func testEveryExerciseAnswerHasTheStatedOutcome() async throws {
        var checked = 0
        for block in yamlBlocks() where block.hasPrefix("# exercise: ") {
            let header = block.prefix { $0 != "\n" }.dropFirst("# exercise: ".count)
            let parts = header.components(separatedBy: " → ")
            XCTAssertEqual(parts.count, 2, String(header))
            let name = parts[0]
            let base = try XCTUnwrap(try Yams.compose(yaml: String(contentsOf: scenariosDirectory.appendingPathComponent(name + ".yaml"), encoding: .utf8)))
            let fix = try XCTUnwrap(try Yams.compose(yaml: block))
            let yaml = try Yams.serialize(node: merged(base, fix))
            let scenario = try ScenarioLoader.parse(
                yaml: yaml, name: name, sourcePath: "\(name) (exercise)",
                pkiDirectory: scenariosDirectory.appendingPathComponent("pki"))
            let t = try await Simulator.run(scenario)
            if parts[1] == "completed" {
                XCTAssertEqual(t.outcome.status, .completed, "\(header): \(t.outcome.reason ?? "")")
            } else {
                // failed: ALERT by SIDE
                let words = parts[1].split(separator: " ").map(String.init)
                XCTAssertEqual(words.count, 4, String(header))
                XCTAssertEqual(t.outcome.status, .failed, String(header))
                XCTAssertEqual(t.outcome.alert?.description, words[1], String(header))
                XCTAssertEqual(t.outcome.alert?.sentBy.description, words[3], String(header))
            }
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 11)
    }

    /// `fix` laid over `base`: mappings merge key by key, anything else is replaced.
    func merged(_ base: Node, _ fix: Node) -> Node {
        guard case .mapping(let b) = base, case .mapping(let f) = fix else { return fix }
        var pairs: [(Node, Node)] = b.map { ($0.key, $0.value) }
        for (key, value) in f {
            if let i = pairs.firstIndex(where: { $0.0.string == key.string }) {
                pairs[i].1 = merged(pairs[i].1, value)
            } else {
                pairs.append((key, value))
            }
        }
        return .mapping(Node.Mapping(pairs, b.tag, b.style))
    }
}
