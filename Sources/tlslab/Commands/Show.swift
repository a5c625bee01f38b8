import ArgumentParser
import Foundation
import TLSExport
import TLSSimulator
import TLSTeaching
import TLSTerminal
import TLSTranscript
import TLSViewModel

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step through one scenario's handshake interactively (or a lesson, or a quiz).",
        discussion: """
            SCENARIO is a name from `tlslab list`, a scenario .yaml file, or a saved transcript (.json), which is \
            shown exactly as recorded (nothing is recomputed). Keys: → next, ← back, Tab pane, Enter open, \
            x explain, g glossary, P presenter mode, Q quiz, d next derivation, a next alert, e export JSON, \
            m export a Markdown handout, ? all keys, q quit.

            --lesson NAME drives the stepper with a lesson (n/Space forward, p back); --quiz starts the quiz at once.

            When standard output is not a terminal, or TERM is unset or unknown, it prints the text walkthrough \
            instead (with --lesson: the lesson's script, as `tlslab lesson NAME` prints it).
            """)

    @Argument(help: "Scenario name, scenario .yaml file, or transcript .json file.")
    var scenario: String?

    @Option(name: .long, parsing: .unconditional, help: "Override the scenario's random seed (scenarios only).")
    var seed: UInt64?

    @Option(name: .long, help: "Run a lesson (a name from `tlslab lesson`, or a lesson .yaml file) in the stepper.")
    var lesson: String?

    @Option(name: .long, help: "Folder of lesson files (default: the scenarios folder's lessons/).")
    var lessons: String?

    @Flag(name: .long, help: "Start the quiz at once: a question before each step.")
    var quiz = false

    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        if lesson != nil, scenario != nil { throw ValidationError("give a SCENARIO or --lesson NAME, not both") }
        if lesson == nil, scenario == nil { throw ValidationError("missing SCENARIO (or --lesson NAME)") }
        if lesson != nil, quiz { throw ValidationError("--quiz applies to a scenario, not to a lesson") }
        if lesson != nil, seed != nil { throw ValidationError("--seed applies to a scenario; a lesson uses each scenario's own seed") }
    }

    func run() async throws {
        if let lesson {
            try await runLesson(lesson)
            return
        }
        let transcript = try await TranscriptSource.load(scenario ?? "tls13", seed: seed, options: scenarioOptions)
        guard TerminalCapabilities.interactive() else {
            print(TextWalkthrough.render(transcript), terminator: "")
            return
        }
        let exports = InteractiveUI.exports()
        var model = AppModel(transcript: transcript, exports: InteractiveUI.keys(exports))
        if quiz { model.startQuiz() }
        let exit = try await TerminalApp.run(model: model, exports: exports, saver: InteractiveUI.saver)
        try InteractiveUI.finish(exit)
    }

    /// `--lesson NAME`: every scenario of the lesson is run once, then the stepper follows the lesson. Without a
    /// terminal the lesson's text script is printed instead.
    func runLesson(_ name: String) async throws {
        let scenarios = try scenarioOptions.catalog()
        let catalog =
            lessons.map { LessonCatalog(directory: URL(fileURLWithPath: $0), scenarios: scenarios.names()) }
            ?? LessonCatalog(scenariosDirectory: scenarios.directory, scenarios: scenarios.names())
        let lesson: Lesson
        do {
            lesson = try catalog.resolve(name)
        } catch {
            throw CLIError("\(error)")
        }
        var transcripts: [String: Transcript] = [:]
        for scenario in lesson.scenarios {
            do {
                transcripts[scenario] = try await Simulator.run(try scenarioOptions.resolve(scenario))
            } catch {
                throw CLIError("\(lesson.sourcePath): scenario \(scenario): \(error)")
            }
        }
        guard TerminalCapabilities.interactive() else {
            let walkthroughs = transcripts.mapValues { Walkthrough($0) }
            var comparisons: [String: String] = [:]
            for segment in lesson.segments {
                guard let other = segment.compare, let a = transcripts[segment.scenario], let b = transcripts[other] else {
                    continue
                }
                comparisons["\(segment.scenario)|\(other)"] = Comparison(a, b).text()
            }
            do {
                print(try LessonScript.text(lesson, walkthroughs: walkthroughs, comparisons: comparisons), terminator: "")
            } catch {
                throw CLIError("\(error)")
            }
            return
        }
        let session: LessonSession
        do {
            session = try LessonSession(lesson: lesson, transcripts: transcripts)
        } catch {
            throw CLIError("\(error)")
        }
        let exports = InteractiveUI.exports()
        let model = AppModel(lesson: session, exports: InteractiveUI.keys(exports))
        let exit = try await TerminalApp.run(model: model, exports: exports, saver: InteractiveUI.saver)
        try InteractiveUI.finish(exit)
    }
}

/// What the CLI gives the interactive UI, and how it ends.
enum InteractiveUI {
    static var currentDirectory: URL {
        URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
    }

    /// `e`: the transcript as JSON; `m`: the Markdown handout (`MarkdownExporter`). Both go into the current
    /// directory, written atomically; the status line says where.
    static func exports() -> [ExportAction] {
        [
            ExportAction(key: "e", label: "export JSON") { transcript in
                let url = currentDirectory.appendingPathComponent(ExportNaming.jsonFileName(for: transcript))
                try AtomicFile.write(try transcript.jsonData() + Data("\n".utf8), to: url)
                return "wrote \(url.path)"
            },
            ExportAction(key: "m", label: "export Markdown handout") { transcript in
                let url = currentDirectory.appendingPathComponent(ExportNaming.markdownFileName(for: transcript))
                try AtomicFile.write(Data(try MarkdownExporter.render(transcript).utf8), to: url)
                return "wrote \(url.path)"
            },
        ]
    }

    static func keys(_ exports: [ExportAction]) -> [ExportKey] {
        exports.map { ExportKey(key: $0.key, label: $0.label) }
    }

    /// Files the UI prepares (the quiz score, `w`): into the current directory, atomically.
    static let saver: FileSaver = { request in
        let url = currentDirectory.appendingPathComponent(request.fileName)
        try AtomicFile.write(Data(request.contents), to: url)
        return "wrote \(request.label) to \(url.path)"
    }

    /// Quit and end of input exit with status 0; a signal exits with 128 + its number, after the terminal was
    /// restored.
    static func finish(_ exit: TerminalExit) throws {
        switch exit {
        case .quit, .endOfInput: return
        case .signal(let number): throw ExitCode(128 + number)
        }
    }
}
