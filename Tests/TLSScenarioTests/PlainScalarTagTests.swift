import Foundation
import XCTest
import Yams

@testable import TLSScenario

/// The scenario reader tags plain words without Yams' regular expressions (`ScenarioReader.plainWordTag`); it must
/// give exactly the tag Yams' default resolver gives.
final class PlainScalarTagTests: XCTestCase {
    func yamsTag(_ text: String) -> String {
        Node.scalar(Node.Scalar(text, .implicit, .plain)).tag.rawValue
    }

    func testWordsAgreeWithYamsResolver() {
        let words =
            Array(ScenarioReader.booleanWords) + Array(ScenarioReader.nullWords) + [
                "tls13", "x25519", "TLS1.3", "yes_please", "Yesterday", "on-off", "NULL_CIPHER", "y", "n", "Y", "N",
                "yES", "tRUE", "nULL", "off1", "onion", "nan", "NaN", "inf", "Inf", "e5", "E10", "x0", "b1",
                "rsa_pss_rsae_sha256", "www.example.com", "ca", "none", "Null0", "True!", "o", "No.", "a b",
            ]
        for word in words {
            guard let quick = ScenarioReader.plainWordTag(word) else {
                XCTFail("\(word) starts with a letter, so the quick path should answer")
                continue
            }
            XCTAssertEqual(quick.rawValue, yamsTag(word), word)
        }
        // Anything not starting with an ASCII letter is left to the resolver.
        for other in ["1", "-1", "+1", "0x1f", ".5", ".inf", "~", "", "<<", "=", "2026-06-01", "_x", "é", "\"x\""] {
            XCTAssertNil(ScenarioReader.plainWordTag(other), other)
        }
    }

    func testEveryPlainScalarOfTheShippedScenariosAgrees() throws {
        let files = try FileManager.default.contentsOfDirectory(at: shippedScenariosDirectory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
        XCTAssertGreaterThan(files.count, 30)
        var checked = 0
        func walk(_ node: Node) {
            switch node {
            case .scalar(let scalar):
                if scalar.style == .plain, let quick = ScenarioReader.plainWordTag(scalar.string) {
                    XCTAssertEqual(quick.rawValue, yamsTag(scalar.string), scalar.string)
                    checked += 1
                }
            case .mapping(let mapping):
                for (key, value) in mapping {
                    walk(key)
                    walk(value)
                }
            case .sequence(let sequence):
                sequence.forEach(walk)
            case .alias:
                break
            }
        }
        for file in files {
            if let root = try Yams.compose(yaml: String(contentsOf: file, encoding: .utf8)) { walk(root) }
        }
        XCTAssertGreaterThan(checked, 500)
    }
}

/// The loader's resolver (a fast rule for plain words in front of Yams' default rules) resolves every scalar of the
/// shipped scenarios, and a set of awkward words, exactly as the default resolver does.
final class ScenarioResolverTests: XCTestCase {
    func testResolvesLikeTheDefaultResolver() throws {
        XCTAssertEqual(ScenarioLoader.resolver.rules.count, Resolver.default.rules.count + 1)
        var texts = Array(ScenarioReader.booleanWords) + Array(ScenarioReader.nullWords) + [
            "tls13", "x25519", "TLS1.3", "www.example.com", "yes_please", "Yesterday", "NULL_CIPHER", "y", "n", "a b",
            "1", "-1", "0x1f", "0o17", "1_000", "1:30", ".5", "1.5e3", ".inf", "-.INF", ".NaN", "~", "", "<<", "=",
            "2026-06-01", "2026-06-01T12:00:00Z", "2026-6-1 1:00:00", "_x", "é", "a\n", "on1", "Off-line",
        ]
        let files = try FileManager.default.contentsOfDirectory(
            at: shippedScenariosDirectory, includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "yaml" }
        for file in files {
            for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n") {
                texts += line.split(whereSeparator: { " :,[]#".contains($0) }).map(String.init)
            }
        }
        XCTAssertGreaterThan(texts.count, 1000)
        for text in texts {
            let scalar = Node.Scalar(text, .implicit, .plain)
            XCTAssertEqual(
                ScenarioLoader.resolver.resolveTag(of: .scalar(scalar)), Resolver.default.resolveTag(of: .scalar(scalar)),
                text)
        }
    }
}
