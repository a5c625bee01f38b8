import ArgumentParser
import Foundation
import TLSExport
import TLSTerminal
import TLSTranscript
import TLSViewModel

struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Step through one scenario's handshake interactively.",
        discussion: """
            SCENARIO is a name from `tlslab list`, a scenario .yaml file, or a saved transcript (.json), which is
            shown exactly as recorded (nothing is recomputed). Keys: → next, ← back, Tab pane, Enter open,
            d next derivation, a next alert, e export JSON, ? all keys, q quit. When standard output is not a
            terminal, or TERM is unset or unknown, it prints the text walkthrough instead.
            """)

    @Argument(help: "Scenario name, scenario .yaml file, or transcript .json file.")
    var scenario: String

    @Option(name: .long, help: "Override the scenario's random seed (scenarios only).")
    var seed: UInt64?

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let transcript = try await TranscriptSource.load(scenario, seed: seed, options: scenarioOptions)
        guard TerminalCapabilities.interactive() else {
            print(TextWalkthrough.render(transcript), terminator: "")
            return
        }
        let exit = try await TerminalApp.run(transcript: transcript, exports: InteractiveUI.exports())
        try InteractiveUI.finish(exit)
    }
}

/// What the CLI gives the interactive UI, and how it ends.
enum InteractiveUI {
    /// `e`: the transcript as JSON in the current directory, written atomically. More exporters (Markdown) can be
    /// added here with their own keys.
    static func exports() -> [ExportAction] {
        [
            ExportAction(key: "e", label: "export JSON") { transcript in
                let directory = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
                let url = directory.appendingPathComponent(ExportNaming.jsonFileName(for: transcript))
                try AtomicFile.write(try transcript.jsonData() + Data("\n".utf8), to: url)
                return "wrote \(url.path)"
            }
        ]
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
