import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

@main
struct TLSLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlslab",
        abstract: "An educational TLS handshake simulator: real TLS 1.2 and 1.3, every byte and secret shown.",
        discussion: """
            With no subcommand, tlslab opens the walkthrough UI on a terminal (the text walkthrough of the default \
            scenario, tls13, otherwise). Scenarios live in the Scenarios/ folder; `tlslab list` shows them. \
            `tlslab --version` prints the version.
            """,
        subcommands: [
            Start.self, Show.self, Run.self, List.self, Validate.self, Decode.self, Export.self, Serve.self,
            Connect.self, Explain.self, LessonCommand.self, QuizCommand.self, Compare.self, PKICommand.self,
            Bench.self,
        ],
        defaultSubcommand: Start.self)
}

/// Options shared by commands that take a scenario.
/// TLSLab's version, printed by `tlslab --version`. (Not ArgumentParser's `version:`: that would add a
/// `--version` flag to every subcommand, and `serve` and `connect` already have a `--version` option.)
let tlslabVersion = "0.1.0"

struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: "Folder of scenario files (default: $TLSLAB_SCENARIOS, ./Scenarios, or the source checkout's).")
    var scenarios: String?

    func catalog() throws -> ScenarioCatalog {
        if let scenarios { return ScenarioCatalog(directory: URL(fileURLWithPath: scenarios)) }
        guard let directory = ScenarioCatalog.defaultDirectory() else {
            throw ValidationError("no Scenarios folder found: run from the TLSLab checkout or pass --scenarios DIR")
        }
        return ScenarioCatalog(directory: directory)
    }

    func resolve(_ nameOrPath: String) throws -> Scenario {
        do {
            return try catalog().resolve(nameOrPath)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// An error printed as is, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
