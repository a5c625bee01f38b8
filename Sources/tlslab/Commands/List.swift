import ArgumentParser
import Foundation
import TLSScenario

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the scenarios with a one-line description each.")

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let catalog = try scenarioOptions.catalog()
        let names = catalog.names()
        let width = min(36, names.map(\.count).max() ?? 10)
        func pad(_ text: String, _ n: Int) -> String { text.padding(toLength: max(n, text.count), withPad: " ", startingAt: 0) }
        // One line as soon as each file is read: the first line appears at once, even with many scenarios.
        for name in names {
            let line: String
            do {
                let s = try catalog.resolve(name)
                line = "\(pad(name, width))  \(pad(s.versionBadge, 10))  \(pad(s.keyExchangeBadge, 9))  \(s.title)"
            } catch {
                line = "\(pad(name, width))  BROKEN   \(error)"
            }
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }
}
