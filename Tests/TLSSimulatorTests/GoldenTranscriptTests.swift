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
    static let deterministic = [
        "tls12-rsa", "tls12-rsa-gcm", "tls12-ecdhe-rsa", "tls12-ecdhe-rsa-cbc", "tls12-chacha",
        "tls13-ed25519-chacha",
    ]
    static var updating: Bool { ProcessInfo.processInfo.environment["TLSLAB_UPDATE_GOLDEN"] == "1" }

    func testDeterministicScenariosMatchTheirGoldenTranscripts() async throws {
        for name in Self.deterministic {
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
    func testRandomizedScenariosSayWhy() async throws {
        for name in catalog.names() where !Self.deterministic.contains(name) {
            let transcript = try await TranscriptCache.shared.transcript(name)
            XCTAssertFalse(transcript.notes.isEmpty, "\(name) is not golden-tested but gives no reason")
        }
    }

    /// A golden file loads back and re-encodes to the same bytes (the JSON is complete enough to reopen).
    func testGoldenFilesRoundTrip() throws {
        for name in Self.deterministic {
            let url = Self.goldenDirectory.appendingPathComponent("\(name).json")
            guard let data = try? Data(contentsOf: url) else { continue }
            let transcript = try Transcript.load(json: data)
            XCTAssertEqual(try transcript.jsonData() + Data("\n".utf8), data, name)
        }
    }
}
