import Foundation
import TLSScenario
import TLSSimulator
import TLSTranscript
import XCTest

/// The repository's Scenarios folder, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let scenariosDirectory = repositoryRoot.appendingPathComponent("Scenarios")
let lessonsDirectory = scenariosDirectory.appendingPathComponent("lessons")
let catalog = ScenarioCatalog(directory: scenariosDirectory)

/// Runs each shipped scenario once per test process (runs are deterministic; sharing saves time).
actor TranscriptCache {
    static let shared = TranscriptCache()
    private var cache: [String: Transcript] = [:]

    func transcript(_ name: String, seed: UInt64? = nil) async throws -> Transcript {
        let key = "\(name)#\(seed.map(String.init) ?? "-")"
        if let t = cache[key] { return t }
        let t = try await Simulator.run(try catalog.resolve(name), seed: seed)
        cache[key] = t
        return t
    }

    /// Every shipped scenario's transcript, by name.
    func all() async throws -> [(name: String, transcript: Transcript)] {
        var out: [(String, Transcript)] = []
        for name in catalog.names() { out.append((name, try await transcript(name))) }
        return out
    }
}
