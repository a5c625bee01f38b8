import Foundation
import TLSExport
import TLSTranscript
import XCTest

/// Golden handouts: for every deterministic scenario (the list of GoldenTranscriptTests), the Markdown rendered
/// from its golden JSON transcript must equal the file in Tests/TLSExportTests/Golden/ byte for byte. Rendering
/// from the golden JSON keeps both sets in sync: regenerate the JSON first, then these.
///
/// Regenerate after an intended change with:
///
///     TLSLAB_UPDATE_GOLDEN=1 swift test --filter MarkdownGoldenTests
///
/// and review the diff (`git diff Tests/TLSExportTests/Golden`) before committing.
final class MarkdownGoldenTests: XCTestCase {
    static let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden")
    static var updating: Bool { ProcessInfo.processInfo.environment["TLSLAB_UPDATE_GOLDEN"] == "1" }

    /// (file name, scenario, options): every deterministic scenario as a handout, two of them also as worksheets.
    static var cases: [(String, String, MarkdownOptions)] {
        deterministicScenarios.map { ("\($0).md", $0, MarkdownOptions()) } + [
            ("tls12-rsa.no-secrets.md", "tls12-rsa", MarkdownOptions(includeSecrets: false)),
            ("tls13-ed25519-chacha.no-secrets.md", "tls13-ed25519-chacha", MarkdownOptions(includeSecrets: false)),
        ]
    }

    func testHandoutsMatchTheirGoldenFiles() throws {
        for (file, scenario, options) in Self.cases {
            let markdown = try MarkdownExporter.render(try goldenTranscript(scenario), options: options)
            let url = Self.goldenDirectory.appendingPathComponent(file)
            if Self.updating {
                try Data(markdown.utf8).write(to: url, options: .atomic)
                continue
            }
            guard let golden = try? String(contentsOf: url, encoding: .utf8) else {
                XCTFail("\(file): no golden file; run TLSLAB_UPDATE_GOLDEN=1 swift test --filter MarkdownGoldenTests")
                continue
            }
            if golden != markdown {
                let a = golden.components(separatedBy: "\n")
                let b = markdown.components(separatedBy: "\n")
                let line = Array(zip(a, b)).firstIndex { $0 != $1 } ?? min(a.count, b.count)
                XCTFail(
                    """
                    \(file): handout differs from its golden file at line \(line + 1):
                      golden: \(line < a.count ? a[line] : "<end>")
                      now:    \(line < b.count ? b[line] : "<end>")
                    If the change is intended: TLSLAB_UPDATE_GOLDEN=1 swift test --filter MarkdownGoldenTests
                    """)
            }
        }
    }

    /// No stray golden files: every file in Golden/ belongs to a case.
    func testNoOrphanGoldenFiles() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.goldenDirectory.path).filter { $0.hasSuffix(".md") }
        XCTAssertEqual(Set(files), Set(Self.cases.map(\.0)))
    }

    /// The CLI writes exactly what the library renders, to stdout or atomically to a file, with the options.
    func testCLIExportsTheSameHandout() throws {
        let tlslab = try tlslabBinary()
        let json = goldenTranscriptDirectory.appendingPathComponent("tls12-rsa.json").path
        let stdout = try runProcess(tlslab, ["export", json, "--format", "markdown", "--no-secrets"])
        XCTAssertEqual(stdout.status, 0, stdout.stderr)
        let expected = try MarkdownExporter.render(try goldenTranscript("tls12-rsa"), options: MarkdownOptions(includeSecrets: false))
        XCTAssertEqual(String(decoding: stdout.stdout, as: UTF8.self), expected)

        let directory = try temporaryDirectory(self)
        let out = directory.appendingPathComponent("handout.md")
        let file = try runProcess(tlslab, ["export", json, "--no-hex", "-o", out.path])
        XCTAssertEqual(file.status, 0, file.stderr)
        XCTAssertEqual(file.stderr, "wrote \(out.path)\n")
        XCTAssertEqual(
            try String(contentsOf: out, encoding: .utf8),
            try MarkdownExporter.render(try goldenTranscript("tls12-rsa"), options: MarkdownOptions(includeHex: false)))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory.path), ["handout.md"])

        // Markdown options make no sense for the other formats.
        let wrong = try runProcess(tlslab, ["export", json, "--format", "json", "--no-secrets"])
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("--no-secrets"), wrong.stderr)
    }

    /// The handout follows the walkthrough's steps (the UI's model) and tells each step's story.
    func testHandoutTellsTheStoryStepByStep() throws {
        let t = try goldenTranscript("tls12-rsa")
        let md = try MarkdownExporter.render(t)
        XCTAssertTrue(md.contains("### Step 5 · client → server · ClientKeyExchange\n"))
        let step5 = md.components(separatedBy: "### Step 5 ").dropFirst().first?.components(separatedBy: "### Step 6 ").first ?? ""
        // The narration explains the message, the field table and the hex are there, and the server's reaction
        // (decrypting the premaster secret, deriving the master secret) is attached to this step.
        XCTAssertTrue(step5.contains("encrypted with the RSA public key from the server's certificate"), step5)
        XCTAssertTrue(step5.contains("| `encrypted_pre_master_secret` |"))
        XCTAssertTrue(step5.contains("0000  10 00 01 02 01 00"))
        XCTAssertTrue(step5.contains("**On receiving it, the server:**"))
        XCTAssertTrue(step5.contains("- derives **`master_secret`** (48 bytes)"))
        XCTAssertTrue(step5.contains("PRF(premaster_secret, \"master secret\", client_random + server_random)[0..47]"))
        // The client derived the master secret one step earlier, on ServerHelloDone.
        let step4 = md.components(separatedBy: "### Step 4 ").dropFirst().first?.components(separatedBy: "### Step 5 ").first ?? ""
        XCTAssertTrue(step4.contains("**On receiving it, the client:**"))
        XCTAssertTrue(step4.contains("- derives **`master_secret`** (48 bytes)"))
        // Who knows what: the server learns the premaster secret at step 5, the client at step 4.
        XCTAssertTrue(
            md.contains(
                "| `premaster_secret` | 48 | [step 4](#step-4--server--client--serverhellodone) | [step 5](#step-5--client--server--clientkeyexchange) | secret |"))
        XCTAssertTrue(md.contains("| `client_random` | 32 | [step 1](#step-1--client--server--clienthello) | [step 1](#step-1--client--server--clienthello) | public (on the wire) |"))
    }

    func testNoHexLeavesOutTheDumpsOnly() throws {
        let t = try goldenTranscript("tls13-ed25519-chacha")
        let full = try MarkdownExporter.render(t)
        let noHex = try MarkdownExporter.render(t, options: MarkdownOptions(includeHex: false))
        XCTAssertTrue(full.contains("\n0000  "))
        XCTAssertFalse(noHex.contains("\n0000  "))
        // Everything else is still there: every derivation's output.
        for d in t.events.compactMap(\.derivation) where d.output.count <= 32 {
            XCTAssertTrue(noHex.contains(d.output.hex), d.name)
        }
    }
}
