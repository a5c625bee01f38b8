import Foundation
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSViewModel
import XCTest

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A golden transcript from Tests/TLSSimulatorTests/Golden (deterministic bytes: safe for snapshots).
func golden(_ name: String) throws -> Transcript {
    let url = repositoryRoot.appendingPathComponent("Tests/TLSSimulatorTests/Golden/\(name).json")
    return try Transcript.load(json: try Data(contentsOf: url))
}

/// Runs a shipped scenario once per test process (for scenarios without golden transcripts).
actor ScenarioRuns {
    static let shared = ScenarioRuns()
    private var cache: [String: Transcript] = [:]

    func transcript(_ name: String) async throws -> Transcript {
        if let t = cache[name] { return t }
        let catalog = ScenarioCatalog(directory: repositoryRoot.appendingPathComponent("Scenarios"))
        let t = try await Simulator.run(try catalog.resolve(name), seed: nil)
        cache[name] = t
        return t
    }

    /// Runs a scenario YAML text written to a temporary folder next to a link to the shipped PKI.
    func transcript(yaml: String, name: String) async throws -> Transcript {
        let key = "yaml:" + name + ":" + String(yaml.hashValue)
        if let t = cache[key] { return t }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tlslab-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createSymbolicLink(
            at: dir.appendingPathComponent("pki"), withDestinationURL: repositoryRoot.appendingPathComponent("Scenarios/pki"))
        let file = dir.appendingPathComponent("\(name).yaml")
        try yaml.write(to: file, atomically: true, encoding: .utf8)
        let t = try await Simulator.run(try ScenarioLoader.load(contentsOf: file), seed: nil)
        cache[key] = t
        return t
    }
}

/// A shipped scenario's YAML with some lines changed.
func shippedScenario(_ name: String, replacing pairs: [(String, String)]) throws -> String {
    var text = try String(contentsOf: repositoryRoot.appendingPathComponent("Scenarios/\(name).yaml"), encoding: .utf8)
    for (old, new) in pairs {
        guard let range = text.range(of: old) else { throw XCTSkip("\(name).yaml no longer contains \(old)") }
        text.replaceSubrange(range, with: new)
    }
    return text
}

extension AppModel {
    /// Feeds keys, failing on any command other than nil.
    mutating func press(_ keys: [Key], file: StaticString = #filePath, line: UInt = #line) {
        for key in keys {
            if let command = handle(key) { XCTFail("\(key) returned \(command)", file: file, line: line) }
        }
    }
}

extension StepperState {
    mutating func press(_ keys: [Key], _ data: StepperData, file: StaticString = #filePath, line: UInt = #line) {
        for key in keys {
            if let command = handle(key, data: data, exports: []) {
                XCTFail("\(key) returned \(command)", file: file, line: line)
            }
        }
    }
}
