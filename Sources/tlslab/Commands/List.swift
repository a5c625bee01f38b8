import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the scenarios with a one-line description each.")

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let entries = try scenarioOptions.catalog().entries()
        let width = min(28, entries.map(\.name.count).max() ?? 10)
        func pad(_ text: String, _ n: Int) -> String { text.padding(toLength: max(n, text.count), withPad: " ", startingAt: 0) }
        for entry in entries {
            switch entry.result {
            case .success(let s):
                print("\(pad(entry.name, width))  \(pad(s.versionBadge, 7))  \(pad(s.keyExchangeBadge, 7))  \(s.title)")
            case .failure(let error):
                print("\(pad(entry.name, width))  BROKEN   \(error)")
            }
        }
    }
}
