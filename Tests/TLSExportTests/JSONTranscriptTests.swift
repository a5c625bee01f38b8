import Foundation
import TLSExport
import TLSTranscript
import TLSWire
import XCTest

/// The JSON transcript contract: complete enough to reopen byte for byte, and every broken file rejected with a
/// `TranscriptLoadError` that says what is wrong — never a crash, also not later in a renderer.
final class JSONTranscriptTests: XCTestCase {
    // MARK: Round trip

    func testExportLoadExportIsByteIdenticalForEveryShippedScenario() async throws {
        let names = catalog.names()
        XCTAssertGreaterThanOrEqual(names.count, 9)
        for name in names {
            let t = try await TranscriptCache.shared.transcript(name)
            let json = try t.jsonData()
            let reopened = try Transcript.load(json: json)
            XCTAssertEqual(reopened, t, name)
            XCTAssertEqual(try reopened.jsonData(), json, name)
            // The reopened transcript renders exactly the same handout and walkthrough.
            XCTAssertEqual(try MarkdownExporter.render(reopened), try MarkdownExporter.render(t), name)
            XCTAssertEqual(TextWalkthrough.render(reopened), TextWalkthrough.render(t), name)
        }
        for name in TranscriptCache.extraNames {
            let t = try await TranscriptCache.shared.extra(name)
            XCTAssertEqual(try Transcript.load(json: try t.jsonData()).jsonData(), try t.jsonData(), name)
        }
    }

    /// Through the CLI: export a scenario to JSON, export the file again, replay it with `run`.
    func testCLIReopensASavedTranscript() throws {
        let tlslab = try tlslabBinary()
        let directory = try temporaryDirectory(self)
        let file = directory.appendingPathComponent("tls13.json")
        let export = try runProcess(tlslab, ["export", "tls13", "--format", "json", "-o", file.path])
        XCTAssertEqual(export.status, 0, export.stderr)
        let saved = try Data(contentsOf: file)
        let again = try runProcess(tlslab, ["export", file.path, "--format", "json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, saved, "export → load → export")
        // tls13 signs with RSA-PSS (randomized): a new run differs, the saved file replays identically.
        let replay1 = try runProcess(tlslab, ["run", file.path])
        let replay2 = try runProcess(tlslab, ["run", file.path])
        XCTAssertEqual(replay1.status, 0, replay1.stderr)
        XCTAssertEqual(replay1.stdout, replay2.stdout)
        XCTAssertEqual(
            String(decoding: replay1.stdout, as: UTF8.self), TextWalkthrough.render(try Transcript.load(json: saved)))
        let fresh = try runProcess(tlslab, ["run", "tls13", "--format", "json"])
        XCTAssertNotEqual(fresh.stdout, saved, "a new run of a randomized scenario is expected to differ")
    }

    // MARK: Broken files

    static let golden = goldenTranscriptDirectory.appendingPathComponent("tls12-rsa-gcm.json")

    /// Loads and expects a `TranscriptLoadError` whose reason contains every given fragment.
    func assertRejected(
        _ data: Data, _ fragments: [String], _ what: String, file: StaticString = #filePath, line: UInt = #line
    ) {
        do {
            let t = try Transcript.load(json: data)
            XCTFail("\(what): loaded \(t.scenario)", file: file, line: line)
        } catch let error as TranscriptLoadError {
            XCTAssertFalse(error.reason.isEmpty, what, file: file, line: line)
            XCTAssertFalse(error.reason.contains("CodingKeys("), "\(what): unreadable reason \(error.reason)", file: file, line: line)
            for fragment in fragments {
                XCTAssertTrue(
                    error.reason.contains(fragment), "\(what): \"\(error.reason)\" does not mention \(fragment)",
                    file: file, line: line)
            }
        } catch {
            XCTFail("\(what): not a TranscriptLoadError: \(error)", file: file, line: line)
        }
    }

    func object() throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: try Data(contentsOf: Self.golden)) as? [String: Any])
    }

    func data(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    /// Sets a value at a path like ["records", 2, "index"].
    static func set(_ value: Any?, at path: [Any], in object: Any) -> Any {
        guard let first = path.first else { return value as Any }
        let rest = Array(path.dropFirst())
        if let key = first as? String, var dict = object as? [String: Any] {
            if rest.isEmpty, value == nil {
                dict.removeValue(forKey: key)
            } else {
                dict[key] = set(value, at: rest, in: dict[key] as Any)
            }
            return dict
        }
        if let index = first as? Int, var array = object as? [Any], array.indices.contains(index) {
            array[index] = set(value, at: rest, in: array[index])
            return array
        }
        return object
    }

    func testOtherVersionsAndFormatsAreRejectedByName() throws {
        let o = try object()
        for version in [2, 0, -1] as [Any] {
            assertRejected(
                try data(Self.set(version, at: ["version"], in: o)), ["version \(version) is not supported", "version 1"],
                "version \(version)")
        }
        assertRejected(try data(Self.set("1", at: ["version"], in: o)), ["\"version\" must be an integer"], "version as text")
        assertRejected(try data(Self.set(1.5, at: ["version"], in: o)), ["\"version\" must be an integer"], "version 1.5")
        assertRejected(try data(Self.set(nil, at: ["version"], in: o)), ["version missing is not supported"], "no version")
        assertRejected(
            try data(Self.set(NSNull(), at: ["version"], in: o)), ["version missing is not supported"], "null version")
        assertRejected(
            try data(Self.set("pcap", at: ["format"], in: o)), ["not a TLSLab transcript", "\"pcap\"", "tlslab-transcript"],
            "format")
        assertRejected(try data(Self.set(nil, at: ["format"], in: o)), ["\"format\" is missing"], "no format")
        assertRejected(try data(Self.set(7, at: ["format"], in: o)), ["\"format\" must be the string"], "format number")
        // A future version whose shape no longer decodes still reports the version, not a decoding detail.
        var future = Self.set(2, at: ["version"], in: o)
        future = Self.set(nil, at: ["records"], in: future)
        assertRejected(try data(future), ["version 2 is not supported"], "future version")
        assertRejected(Data(), ["empty"], "empty file")
        assertRejected(Data("[1, 2]".utf8), ["not a JSON object"], "array")
        assertRejected(Data("\"tlslab-transcript\"".utf8), ["not a JSON object"], "string")
    }

    func testTruncatedFilesAreRejectedAtEveryOffset() throws {
        let full = try Data(contentsOf: Self.golden)
        let end = try XCTUnwrap(full.lastIndex(of: UInt8(ascii: "}")))
        var offsets = Set(0..<min(64, end))
        offsets.formUnion(stride(from: 0, to: end, by: max(1, end / 200)))
        offsets.formUnion((end - 32)..<end)
        for offset in offsets.sorted() {
            let reason = offset == 0 ? "empty" : "not valid JSON"
            assertRejected(full.prefix(offset), [reason], "truncated at \(offset)")
        }
    }

    func testWrongTypesAndMissingKeysNameTheirPlace() throws {
        let o = try object()
        let wrongTypes: [([Any], Any, [String])] = [
            (["records", 2, "index"], "two", ["records[2].index"]),
            (["records", 1, "from"], "browser", ["records[1].from"]),
            (["messages", 1, "fields", "children", 0, "offset"], true, ["messages[1].fields.children[0].offset"]),
            (["events", 0, "derivation", "inputs"], "none", ["events[0].derivation.inputs"]),
            (["events", 0, "derivation", "hex"], "not hex", ["events[0].derivation.hex", "not a hex string"]),
            (["events", 3, "kind"], "explosion", ["events[3].kind"]),
            (["outcome", "status"], 3, ["outcome.status"]),
            (["certificates", 0, "position"], 1.5, ["certificates[0].position is 1.5, not a whole number"]),
            (["configuration", "client_versions"], "TLS 1.2", ["configuration.client_versions"]),
            (["seed"], -1, ["seed is -1, must not be negative"]),
            (["seed"], 1e30, ["seed", "too large"]),
            (["secrets", 0, "hex"], "xyz", ["secrets[0].hex", "not a hex string"]),
            (["records", 4, "plaintext_hex"], "0g", ["records[4].plaintext_hex", "not a hex string"]),
            (["records", 0, "hex"], 5, ["records[0].hex"]),
            (["records", 1, "hex"], "16 03 01 zz", ["records[1].hex", "not a hex string"]),
            (["records", 1, "original_hex"], "xx", ["records[1].original_hex", "not a hex string"]),
            (["messages", 2, "hex"], "0x1g", ["messages[2].hex", "not a hex string"]),
            (["records", 6, "protection", "nonce"], "nonce", ["records[6].protection.nonce"]),
            (["records", 6, "protection", "sequence_number"], -3, ["records[6].protection.sequence_number", "negative"]),
            (["events", 2, "record"], 2.5, ["events[2].record", "not a whole number"]),
            (["keylog"], ["CLIENT_RANDOM"], ["keylog"]),
        ]
        for (path, value, fragments) in wrongTypes {
            assertRejected(try data(Self.set(value, at: path, in: o)), fragments, "\(path) = \(value)")
        }
        let required = [
            "scenario", "title", "description", "configuration", "certificates", "records", "messages", "events",
            "secrets", "outcome", "keylog", "notes",
        ]
        for key in required {
            assertRejected(try data(Self.set(nil, at: [key], in: o)), ["missing key \"\(key)\""], "no \(key)")
        }
        let nested: [([Any], String, String)] = [
            (["records", 0], "hex", "records[0]"), (["records", 5], "content_type", "records[5]"),
            (["messages", 2], "fields", "messages[2]"), (["events", 0], "kind", "events[0]"),
            (["events", 0, "derivation"], "formula", "events[0].derivation"), (["outcome"], "status", "outcome"),
            (["messages", 0, "fields", "children", 1], "length", "messages[0].fields.children[1]"),
        ]
        for (path, key, place) in nested {
            assertRejected(
                try data(Self.set(nil, at: path + [key], in: o)), ["missing key \"\(key)\" at \(place)"], "no \(path) \(key)")
        }
    }

    /// What JSON types cannot express: indices and byte ranges pointing outside the transcript.
    /// A recorded run keeps bytes and writes hex only when asked; both views agree, and text that is not hex
    /// (set by hand, as a loaded file could have it) is kept as it is and caught by `validate()`.
    func testRecordedBytesAndTheirHexAgree() async throws {
        var t = try await TranscriptCache.shared.transcript("tls13")
        let reopened = try Transcript.load(json: try t.jsonData())
        for (r, again) in zip(t.records, reopened.records) {
            XCTAssertEqual(r.bytes, again.bytes)
            XCTAssertEqual([UInt8](hex: r.hex), r.bytes)
            XCTAssertEqual(r.plaintext, again.plaintext)
        }
        for (m, again) in zip(t.messages, reopened.messages) { XCTAssertEqual(m.hex, again.hex) }
        XCTAssertEqual(t.secrets.map(\.hex), reopened.secrets.map(\.hex))
        XCTAssertFalse(t.keylog.isEmpty)
        XCTAssertEqual(t.keylog, reopened.keylog)

        t.records[1].hex = "16 03 03 00 02 0A 0b"
        XCTAssertEqual(t.records[1].bytes, [0x16, 0x03, 0x03, 0x00, 0x02, 0x0a, 0x0b])
        XCTAssertEqual(t.records[1].hex, "1603030002" + "0a0b")
        t.records[1].hex = "not hex"
        XCTAssertEqual(t.records[1].hex, "not hex")
        XCTAssertEqual(t.records[1].bytes, [])
        XCTAssertThrowsError(try t.validate()) { error in
            XCTAssertTrue("\(error)".contains("records[1].hex is not a hex string"), "\(error)")
        }
        t.keylog = "CLIENT_RANDOM 00 11\n"
        XCTAssertEqual(t.keylog, "CLIENT_RANDOM 00 11\n")
    }

    func testInconsistentIndicesAndRangesAreRejected() throws {
        let o = try object()
        let cases: [([Any], Any, [String])] = [
            (["records", 2, "index"], 7, ["records[2].index is 7"]),
            (["records", 2, "messages", 0], 99, ["records[2].messages[0] is 99"]),
            (["records", 2, "messages", 0], -1, ["records[2].messages[0] is -1"]),
            (["messages", 1, "records", 0], 1000, ["messages[1].records[0] is 1000"]),
            (["messages", 0, "index"], 3, ["messages[0].index is 3"]),
            (["messages", 0, "fields", "children", 3, "length"], 100_000, ["messages[0].fields.children[3]"]),
            (["messages", 0, "fields", "children", 3, "length"], -2, ["messages[0].fields.children[3]"]),
            (["messages", 0, "fields", "children", 3, "offset"], Int.max, ["messages[0].fields.children[3]"]),
            (["records", 0, "fields", 3, "offset"], -5, ["records[0].fields[3]"]),
            (["messages", 0, "offset_in_record"], -1, ["messages[0].offset_in_record"]),
            (["events", 1, "record"], 40, ["events[1].record is 40"]),
            (["outcome", "event"], 100_000, ["outcome.event is 100000"]),
        ]
        for (path, value, fragments) in cases {
            assertRejected(try data(Self.set(value, at: path, in: o)), fragments, "\(path) = \(value)")
        }
    }

    /// A small deterministic generator (xorshift64*), so failures are reproducible.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state >> 12
            state ^= state << 25
            state ^= state >> 27
            return state &* 2_685_821_657_736_338_717
        }
    }

    func testRandomGarbageIsRejected() {
        var g = Generator(state: 0x5eed_1234_abcd_ef01)
        let tokens = [
            "{", "}", "[", "]", ":", ",", "\"format\"", "\"tlslab-transcript\"", "\"version\"", "1", "2", "null", "true",
            "\"records\"", "\"hex\"", "\"16030300\"", "-1", "1e999", "\"\\u0000\"", "\"", "\\", " ", "\n",
        ]
        for i in 0..<300 {
            let data: Data
            if i % 2 == 0 {
                data = Data((0..<Int.random(in: 0...300, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) })
            } else {
                data = Data((0..<Int.random(in: 1...60, using: &g)).map { _ in tokens.randomElement(using: &g) ?? "" }.joined().utf8)
            }
            assertRejected(data, [], "garbage #\(i)")
        }
    }

    /// Mutated numbers and hex strings: whatever loads must also render (a crash here fails the whole run).
    func testMutatedTranscriptsLoadCleanlyOrFailCleanly() throws {
        let text = try String(contentsOf: Self.golden, encoding: .utf8)
        let numbers = MarkdownChecks.matches("(?<=[:\\[,] )-?[0-9]+(?=[,\\n])", in: text)
        let ranges = try NSRegularExpression(pattern: "(?<=[:\\[,] )-?[0-9]+(?=\\s*[,\\n\\]])").matches(
            in: text, range: NSRange(location: 0, length: (text as NSString).length)
        ).map(\.range)
        XCTAssertGreaterThan(numbers.count, 100)
        var g = Generator(state: 42)
        let replacements = ["-1", "0", "1", "3", "99999", "9223372036854775807", "-9223372036854775808", "\"x\"", "null", "1.5"]
        var loaded = 0
        var rejected = 0
        for i in 0..<250 {
            var mutated = text as NSString
            for _ in 0..<(1 + i % 3) {
                guard let range = ranges.randomElement(using: &g), range.location + range.length <= mutated.length else { continue }
                mutated = mutated.replacingCharacters(in: range, with: replacements.randomElement(using: &g) ?? "0") as NSString
            }
            if i % 5 == 0 {
                // Also damage a hex string.
                let hexes = try NSRegularExpression(pattern: "\"[0-9a-f]{8,}\"").matches(
                    in: mutated as String, range: NSRange(location: 0, length: mutated.length))
                if let h = hexes.randomElement(using: &g) {
                    mutated = mutated.replacingCharacters(
                        in: NSRange(location: h.range.location + 1, length: 2), with: ["zz", "0", ""].randomElement(using: &g) ?? "")
                        as NSString
                }
            }
            do {
                let t = try Transcript.load(json: Data((mutated as String).utf8))
                loaded += 1
                _ = try MarkdownExporter.render(t)
                _ = try MarkdownExporter.render(t, options: MarkdownOptions(includeHex: false, includeSecrets: false))
                _ = TextWalkthrough.render(t)
                let w = Walkthrough(t)
                _ = w.knowledge(of: .client, through: w.steps.count)
            } catch is TranscriptLoadError {
                rejected += 1
            } catch {
                XCTFail("mutation \(i): \(error)")
            }
        }
        XCTAssertGreaterThan(loaded, 0)
        XCTAssertGreaterThan(rejected, 0)
    }

    // MARK: CLI

    func testCLIReportsBrokenFilesOnStderrWithExitStatus1() throws {
        let tlslab = try tlslabBinary()
        let directory = try temporaryDirectory(self)
        let full = try Data(contentsOf: Self.golden)
        let cases: [(String, Data, String)] = [
            ("v2.json", try data(Self.set(2, at: ["version"], in: try object())), "transcript version 2 is not supported"),
            ("truncated.json", full.prefix(full.count / 2), "not valid JSON"),
            ("index.json", try data(Self.set(99, at: ["records", 2, "messages", 0], in: try object())), "records[2].messages[0] is 99"),
            ("garbage.json", Data([0xff, 0x00, 0x13, 0x37]), "not valid JSON"),
        ]
        for (name, bytes, reason) in cases {
            let url = directory.appendingPathComponent(name)
            try bytes.write(to: url)
            for command in [["export", url.path, "--format", "markdown"], ["run", url.path], ["export", url.path, "--format", "json"]] {
                let result = try runProcess(tlslab, command)
                XCTAssertEqual(result.status, 1, "\(command)")
                XCTAssertTrue(result.stdout.isEmpty, "\(command): wrote to stdout")
                XCTAssertTrue(result.stderr.hasPrefix("Error: \(url.path): "), "\(command): \(result.stderr)")
                XCTAssertTrue(result.stderr.contains(reason), "\(command): \(result.stderr)")
            }
        }
        let missing = try runProcess(tlslab, ["export", directory.appendingPathComponent("nope.json").path])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot read"), missing.stderr)
    }
}
