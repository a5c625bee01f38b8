import Foundation
import XCTest

@testable import TLSScenario

/// docs/scenarios.md against the reader: every key is documented, and every YAML example loads.
final class ScenarioDocsTests: XCTestCase {
    private func documentation() throws -> String {
        let url = shippedScenariosDirectory.deletingLastPathComponent().appendingPathComponent("docs/scenarios.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The fenced ```yaml blocks, with the line each starts on.
    private func yamlBlocks(_ text: String) -> [(line: Int, yaml: String)] {
        var blocks: [(Int, String)] = []
        var current: [String]?
        var start = 0
        for (index, line) in text.components(separatedBy: "\n").enumerated() {
            if current == nil, line == "```yaml" {
                current = []
                start = index + 2
            } else if let lines = current, line == "```" {
                blocks.append((start, lines.joined(separator: "\n") + "\n"))
                current = nil
            } else if current != nil {
                current?.append(line)
            }
        }
        return blocks
    }

    func testEveryKeyHasARow() throws {
        let text = try documentation()
        let sections: [(String, [String])] = [
            ("top level", ScenarioSchema.topLevelKeys), ("client", ScenarioSchema.clientKeys),
            ("server", ScenarioSchema.serverKeys), ("application_data", ScenarioSchema.applicationDataKeys),
            ("connections", ScenarioSchema.connectionKeys), ("channel", ScenarioSchema.channelKeys),
            ("lab", ScenarioSchema.labKeys), ("expect", ScenarioSchema.expectKeys),
            ("eavesdropper", ScenarioSchema.eavesdropperKeys),
        ]
        for (section, keys) in sections {
            for key in keys {
                XCTAssertTrue(text.contains("| `\(key)` |"), "\(section).\(key) has no row in docs/scenarios.md")
            }
        }
        for key in ScenarioSchema.rewriteKeys { XCTAssertTrue(text.contains("`\(key)`"), "set.\(key)") }
        for value in ScenarioSchema.channelActions + ScenarioSchema.outcomes + ScenarioSchema.pskModes
            + ScenarioSchema.recordTargets
        {
            XCTAssertTrue(text.contains("`\(value)`"), "\(value) is not mentioned in docs/scenarios.md")
        }
    }

    /// Each example loads with the shipped PKI. A fragment (no title) is read under a title and description.
    func testEveryYAMLExampleLoads() throws {
        let blocks = yamlBlocks(try documentation())
        XCTAssertGreaterThanOrEqual(blocks.count, 9)
        let pki = shippedScenariosDirectory.appendingPathComponent("pki")
        for (line, yaml) in blocks {
            let document = yaml.contains("\ntitle:") || yaml.hasPrefix("title:") ? yaml : "title: T\ndescription: D\n" + yaml
            XCTAssertNoThrow(
                try ScenarioLoader.parse(yaml: document, name: "doc", sourcePath: "docs line \(line)", pkiDirectory: pki),
                "the example at docs/scenarios.md line \(line)")
        }
    }

    /// The examples say what they show; check the values that carry the lesson.
    func testTheExamplesSayWhatTheTextSays() throws {
        let blocks = yamlBlocks(try documentation())
        let pki = shippedScenariosDirectory.appendingPathComponent("pki")
        func load(containing marker: String) throws -> Scenario {
            let block = try XCTUnwrap(blocks.first { $0.yaml.contains(marker) }, marker)
            let document = block.yaml.hasPrefix("title:") || block.yaml.contains("\ntitle:")
                ? block.yaml : "title: T\ndescription: D\n" + block.yaml
            return try ScenarioLoader.parse(yaml: document, name: "doc", sourcePath: "doc", pkiDirectory: pki)
        }
        let replay = try load(containing: "replay_of: 2")
        XCTAssertEqual(replay.connections.map(\.resume), [false, true, false])
        XCTAssertEqual(replay.connections[2].replayOf, 2)
        XCTAssertNotNil(replay.connections[1].earlyData)
        XCTAssertFalse(replay.server.antiReplay)
        XCTAssertEqual(replay.server.maxEarlyData, 16384)

        let replace = try load(containing: "action: replace")
        let record = try XCTUnwrap(replace.channel.first?.hex)
        XCTAssertEqual(Array(record.prefix(3)), [0x17, 0x03, 0x03], "an application_data record header")
        XCTAssertEqual(Int(record[3]) << 8 | Int(record[4]), record.count - 5, "the header's length is right")

        let expired = try load(containing: "certificate: server-expired")
        XCTAssertEqual(expired.expect, Expectation(outcome: "failed", alert: "certificate_expired", sentBy: .client, at: "Certificate"))
        XCTAssertNotNil(expired.lab)

        let rewrite = try load(containing: "action: rewrite")
        XCTAssertEqual(rewrite.channel.first?.rewriteVersions, [.tls12])
    }
}
