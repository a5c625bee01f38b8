import Foundation

/// A scenario name that is not in the catalog (or a path that does not exist), with the names that are.
public struct ScenarioLookupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the user asked for.
    public var query: String
    /// The scenario names in the catalog directory, sorted.
    public var available: [String]
    public var message: String

    public init(query: String, available: [String], message: String) {
        self.query = query
        self.available = available
        self.message = message
    }

    public var description: String { message }
}

/// The scenario files of one directory (by default the project's `Scenarios/`).
public struct ScenarioCatalog: Sendable {
    /// One `*.yaml` file of the directory: the scenario, or the first problem in it.
    public struct Entry: Sendable {
        public var name: String
        public var path: URL
        public var result: Result<Scenario, ScenarioError>

        public init(name: String, path: URL, result: Result<Scenario, ScenarioError>) {
            self.name = name
            self.path = path
            self.result = result
        }
    }

    public let directory: URL

    public init(directory: URL) {
        self.directory = directory
    }

    /// `$TLSLAB_SCENARIOS` if it names an existing directory, else `./Scenarios` if it exists, else the Scenarios
    /// folder of the source checkout found from `#filePath` (Sources/TLSScenario/… → ../../Scenarios).
    /// Nil if none exists.
    public static func defaultDirectory() -> URL? {
        defaultDirectory(environment: ProcessInfo.processInfo.environment)
    }

    static func defaultDirectory(environment: [String: String], sourceFile: String = #filePath) -> URL? {
        var candidates: [URL] = []
        if let configured = environment["TLSLAB_SCENARIOS"], !configured.isEmpty {
            candidates.append(URL(fileURLWithPath: configured, isDirectory: true))
        }
        candidates.append(URL(fileURLWithPath: "Scenarios", isDirectory: true))
        candidates.append(
            URL(fileURLWithPath: sourceFile).deletingLastPathComponent()  // Sources/TLSScenario
                .deletingLastPathComponent()  // Sources
                .deletingLastPathComponent()  // the checkout
                .appendingPathComponent("Scenarios", isDirectory: true))
        return candidates.first(where: isDirectory)
    }

    /// The names of the `*.yaml` files in the directory, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Every `*.yaml` file, sorted by name; a file that does not load is an entry whose result is its error.
    public func entries() -> [Entry] {
        names().map { name in
            let url = fileURL(for: name)
            return Entry(name: name, path: url, result: Result { try ScenarioLoader.load(contentsOf: url) }
                .mapError { $0 as? ScenarioError ?? ScenarioError(file: url.relativePath, line: 0, column: 0, message: "\($0)") })
        }
    }

    /// A scenario by name (`tls12-rsa` → `<directory>/tls12-rsa.yaml`) or by path to a YAML file (anything with a
    /// `/` or ending in `.yaml`/`.yml`, relative to the current directory). Throws `ScenarioLookupError` for an
    /// unknown name or a missing file, `ScenarioError` for a file that does not load.
    public func resolve(_ nameOrPath: String) throws -> Scenario {
        let looksLikePath =
            nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml")
        if looksLikePath {
            let url = URL(fileURLWithPath: nameOrPath)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw ScenarioLookupError(
                    query: nameOrPath, available: names(), message: "\(nameOrPath): no such scenario file")
            }
            return try ScenarioLoader.load(contentsOf: url)
        }
        let available = names()
        guard available.contains(nameOrPath) else {
            let list = available.isEmpty ? "(none)" : available.joined(separator: ", ")
            throw ScenarioLookupError(
                query: nameOrPath, available: available,
                message:
                    "unknown scenario '\(nameOrPath)'\(Suggestion.phrase(for: nameOrPath, in: available)) in \(directory.relativePath); available: \(list)"
            )
        }
        return try ScenarioLoader.load(contentsOf: fileURL(for: nameOrPath))
    }

    private func fileURL(for name: String) -> URL {
        directory.appendingPathComponent(name + ".yaml", isDirectory: false)
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
