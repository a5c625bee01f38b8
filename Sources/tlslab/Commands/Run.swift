import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and print its walkthrough (or its transcript as JSON).",
        discussion: """
            SCENARIO is a name from `tlslab list`, a path to a scenario YAML file, or a saved transcript (.json), \
            which is replayed exactly as recorded.
            """)

    @Argument(help: "Scenario name, scenario .yaml file, or transcript .json file.")
    var scenario: String

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, parsing: .unconditional, help: "Override the scenario's random seed.")
    var seed: UInt64?

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let transcript = try await TranscriptSource.load(scenario, seed: seed, options: scenarioOptions)
        switch format {
        case .text:
            print(TextWalkthrough.render(transcript), terminator: "")
        case .json:
            FileHandle.standardOutput.write(try transcript.jsonData())
            print()
        }
    }
}
