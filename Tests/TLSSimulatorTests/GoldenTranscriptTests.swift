import Foundation
import TLSSimulator
import TLSTranscript
import XCTest

/// Golden transcripts: for every scenario whose bytes are fully determined by its seed (no RSA-PSS or ECDSA
/// signature, whose randomness comes from the crypto library), the JSON transcript must equal the file in
/// Tests/TLSSimulatorTests/Golden/ byte for byte.
///
/// Regenerate after an intended change with:
///
///     TLSLAB_UPDATE_GOLDEN=1 swift test --filter GoldenTranscriptTests
///
/// and review the diff (`git diff Tests/TLSSimulatorTests/Golden`) before committing.
final class GoldenTranscriptTests: XCTestCase {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")
    /// Scenarios whose bytes depend on the seed alone: those whose transcript notes no library randomness.
    static func deterministic() async throws -> [String] {
        var names: [String] = []
        for name in catalog.names() where try await TranscriptCache.shared.transcript(name).notes.isEmpty {
            names.append(name)
        }
        return names
    }
    static var updating: Bool { ProcessInfo.processInfo.environment["TLSLAB_UPDATE_GOLDEN"] == "1" }

    func testDeterministicScenariosMatchTheirGoldenTranscripts() async throws {
        let deterministic = try await Self.deterministic()
        XCTAssertTrue(deterministic.contains("tls12-rsa"), "the classic RSA scenario must be reproducible")
        XCTAssertTrue(deterministic.contains("tls13-ed25519-chacha"), "Ed25519 signatures are deterministic")
        if Self.updating {
            // Drop golden files of scenarios that no longer exist or are no longer deterministic.
            let files = (try? FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory.path)) ?? []
            for file in files where file.hasSuffix(".json") && !deterministic.contains(String(file.dropLast(5))) {
                try FileManager.default.removeItem(at: Self.goldenDirectory.appendingPathComponent(file))
            }
        }
        for name in deterministic {
            let transcript = try await TranscriptCache.shared.transcript(name)
            XCTAssertTrue(transcript.notes.isEmpty, "\(name) is listed as deterministic but notes randomness")
            let json = try transcript.jsonData() + Data("\n".utf8)
            let url = Self.goldenDirectory.appendingPathComponent("\(name).json")
            if Self.updating {
                try json.write(to: url, options: .atomic)
                continue
            }
            guard let golden = try? Data(contentsOf: url) else {
                XCTFail("\(name): no golden file at \(url.path); run TLSLAB_UPDATE_GOLDEN=1 swift test --filter GoldenTranscriptTests")
                continue
            }
            if golden != json {
                let a = String(decoding: golden, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let b = String(decoding: json, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                let line = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
                XCTFail(
                    """
                    \(name): transcript differs from its golden file at line \(line + 1):
                      golden: \(line < a.count ? String(a[line]) : "<end>")
                      now:    \(line < b.count ? String(b[line]) : "<end>")
                    If the change is intended: TLSLAB_UPDATE_GOLDEN=1 swift test --filter GoldenTranscriptTests
                    """)
            }
        }
    }

    /// The scenarios left out above really are the randomized ones: running them twice gives different signatures
    /// (and they say so in their notes).
    func testRandomizedScenariosReallyDiffer() async throws {
        let deterministic = try await Self.deterministic()
        for name in ["tls13", "tls12-ecdhe-ecdsa"] {
            XCTAssertFalse(deterministic.contains(name))
            let a = try await TranscriptCache.shared.transcript(name)
            let b = try await Simulator.run(try catalog.resolve(name))
            XCTAssertNotEqual(a.records.map(\.hex), b.records.map(\.hex), "\(name) claims library randomness")
            XCTAssertEqual(a.records.first?.hex, b.records.first?.hex, "\(name): the ClientHello is seeded")
        }
    }

    /// A golden file loads back and re-encodes to the same bytes (the JSON is complete enough to reopen).
    func testGoldenFilesRoundTrip() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory.path)
        XCTAssertFalse(files.isEmpty)
        for name in files where name.hasSuffix(".json") {
            let data = try Data(contentsOf: Self.goldenDirectory.appendingPathComponent(name))
            let transcript = try Transcript.load(json: data)
            XCTAssertEqual(try transcript.jsonData() + Data("\n".utf8), data, name)
        }
    }
}
