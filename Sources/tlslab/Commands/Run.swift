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
        discussion: "SCENARIO is a name from `tlslab list` or a path to a scenario YAML file.")

    @Argument(help: "Scenario name or path to a .yaml file.")
    var scenario: String

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Override the scenario's random seed.")
    var seed: UInt64?

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let scenario = try scenarioOptions.resolve(self.scenario)
        let transcript = try await Simulator.run(scenario, seed: seed)
        switch format {
        case .text:
            print(TextWalkthrough.render(transcript), terminator: "")
        case .json:
            FileHandle.standardOutput.write(try transcript.jsonData())
            print()
        }
    }
}
