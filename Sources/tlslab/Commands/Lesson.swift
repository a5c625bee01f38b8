import ArgumentParser
import Foundation
import TLSScenario
import TLSSimulator
import TLSTeaching
import TLSTranscript

struct LessonCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lesson",
        abstract: "Print a lesson as a script for the teacher (with no NAME: list the lessons).",
        discussion: """
            Lessons live in the lessons/ folder of the scenarios folder (Scenarios/lessons). The script has the \
            narration, the steps to dwell on with their walkthrough excerpt and teacher's note, and pause markers \
            "— pause: ask the class … —". With --step, on a terminal, it waits for Enter at each pause and then shows \
            the answer.
            """)

    @Argument(help: "A lesson name (from `tlslab lesson`) or a lesson .yaml file.")
    var name: String?

    @Flag(name: .long, help: "Wait for Enter at each pause (only on a terminal).")
    var step = false

    @Option(name: .long, help: "Folder of lesson files (default: the scenarios folder's lessons/).")
    var lessons: String?

    @Option(name: .long, help: "Wrap text at this many columns.")
    var width = 100

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let scenarios = try scenarioOptions.catalog()
        let catalog =
            lessons.map { LessonCatalog(directory: URL(fileURLWithPath: $0), scenarios: scenarios.names()) }
            ?? LessonCatalog(scenariosDirectory: scenarios.directory, scenarios: scenarios.names())
        guard let name else {
            let entries = catalog.entries()
            if entries.isEmpty { print("no lessons in \(catalog.directory.relativePath)") }
            let nameWidth = (entries.map(\.name.count).max() ?? 10) + 2
            for entry in entries {
                switch entry.result {
                case .success(let lesson):
                    print("\(TextWrap.pad(entry.name, nameWidth))\(TextWrap.pad("\(lesson.minutes) min", 8))\(lesson.title)")
                case .failure(let error):
                    print("\(TextWrap.pad(entry.name, nameWidth))BROKEN  \(error)")
                }
            }
            return
        }
        let lesson: Lesson
        do {
            lesson = try catalog.resolve(name)
        } catch {
            throw CLIError("\(error)")
        }
        var walkthroughs: [String: Walkthrough] = [:]
        for scenario in lesson.scenarios {
            do {
                walkthroughs[scenario] = Walkthrough(try await Simulator.run(try scenarioOptions.resolve(scenario)))
            } catch {
                throw CLIError("\(lesson.sourcePath): scenario \(scenario): \(error)")
            }
        }
        var comparisons: [String: String] = [:]
        for segment in lesson.segments {
            guard let other = segment.compare, let a = walkthroughs[segment.scenario], let b = walkthroughs[other] else {
                continue
            }
            comparisons["\(segment.scenario)|\(other)"] = Comparison(a.transcript, b.transcript).text(width: width)
        }
        let blocks: [LessonScript.Block]
        do {
            blocks = try LessonScript.blocks(lesson, walkthroughs: walkthroughs, comparisons: comparisons, width: width)
        } catch {
            throw CLIError("\(error)")
        }
        let interactive = step && isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        for block in blocks {
            // On a terminal with --step: ask, wait, then reveal the answer.
            guard interactive, case .pause(let question, let answer) = block else {
                print(LessonScript.render(block, width: width))
                continue
            }
            print(LessonScript.question(question, width: width))
            print("    [Enter: \(answer == nil ? "continue" : "show the answer")]", terminator: "")
            fflush(nil)
            if readLine() == nil { return }
            if let answer { print(LessonScript.answer(answer, width: width)) }
        }
    }
}
