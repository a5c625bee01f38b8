import ArgumentParser
import Foundation
import TLSScenario

struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check scenario files without running them.",
        discussion: """
            Prints `FILE: ok — TITLE` for each file that loads, or its first problem as \
            `FILE:LINE:COLUMN: message` (the format editors jump to). With no FILE, checks every scenario in the \
            scenarios folder. Exit status 1 if any file is broken.
            """)

    @Argument(help: "Scenario YAML files or scenario names (default: every scenario in the scenarios folder).")
    var files: [String] = []

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let results: [(file: String, result: Result<Scenario, ScenarioError>)]
        if files.isEmpty {
            let catalog = try scenarioOptions.catalog()
            let entries = catalog.entries()
            guard !entries.isEmpty else {
                throw CLIError("no scenario files (*.yaml) in \(catalog.directory.relativePath)")
            }
            results = entries.map { ($0.path.relativePath, $0.result) }
        } else {
            results = files.map { file in
                let url = locate(file)
                let loaded = Result { try ScenarioLoader.load(contentsOf: url) }
                    .mapError { $0 as? ScenarioError ?? ScenarioError(file: file, line: 0, column: 0, message: "\($0)") }
                return (url.relativePath, loaded)
            }
        }
        var broken = 0
        for (file, result) in results {
            switch result {
            case .success(let scenario):
                print("\(file): ok — \(scenario.title)")
            case .failure(let error):
                broken += 1
                print(error)
            }
        }
        if broken > 0 { throw ExitCode(1) }
    }

    /// A path as given; a bare scenario name (`tls13`: no `/`, no `.yaml`) that is not a file in the current folder
    /// is looked up in the scenarios folder, as `tlslab run` does.
    private func locate(_ file: String) -> URL {
        let url = URL(fileURLWithPath: file)
        let looksLikePath = file.contains("/") || file.hasSuffix(".yaml") || file.hasSuffix(".yml")
        if looksLikePath || FileManager.default.fileExists(atPath: url.path) { return url }
        guard let catalog = try? scenarioOptions.catalog(), catalog.names().contains(file) else { return url }
        return catalog.directory.appendingPathComponent(file + ".yaml")
    }
}
