import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Walk through the default scenario (tls13) — the main way to use TLSLab.")

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let scenario = try scenarioOptions.resolve("tls13")
        let transcript = try await Simulator.run(scenario)
        print(TextWalkthrough.render(transcript), terminator: "")
    }
}
