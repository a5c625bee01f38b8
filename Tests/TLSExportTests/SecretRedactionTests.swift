import Foundation
import TLSExport
import TLSTranscript
import TLSWire
import XCTest

/// `--no-secrets`: no value a passive observer cannot read on the wire may appear anywhere in the worksheet —
/// not in derivation inputs or outputs, not in the "who knows what" table, not in the key log, not inside
/// decrypted messages or hex dumps — while public values stay.
///
/// The secret values are computed here from the transcript, independently of the exporter: every byte string the
/// transcript records (derivation outputs and inputs, the secrets list, the key log, record protection details)
/// that does not occur in either direction's bytes on the wire and is not a constant of the RFCs (all zeros, the
/// hash of the empty string, computed with openssl).
final class SecretRedactionTests: XCTestCase {
    static func emptyHashes() throws -> [[UInt8]] {
        try ["-sha256", "-sha384"].map { algorithm in
            let result = try runProcess(
                URL(fileURLWithPath: "/usr/bin/env"), ["openssl", "dgst", algorithm, "-binary"], stdin: Data())
            XCTAssertEqual(result.status, 0, result.stderr)
            return [UInt8](result.stdout)
        }
    }

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= haystack.count else { return false }
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    /// (name, value) of every secret value of the transcript.
    static func secrets(of t: Transcript, constants: [[UInt8]]) -> [(String, [UInt8])] {
        var client: [UInt8] = []
        var server: [UInt8] = []
        var streams: [[UInt8]] = []
        for r in t.records {
            let bytes = [UInt8](hex: r.hex) ?? []
            if r.from == .client { client += bytes } else { server += bytes }
            if let o = r.originalHex { streams.append([UInt8](hex: o) ?? []) }
        }
        streams += [client, server]
        var candidates: [(String, [UInt8])] = []
        for e in t.events {
            guard let d = e.derivation else { continue }
            candidates.append((d.name, d.output))
            candidates += d.inputs.map { ("\(d.name) input \($0.name)", $0.value) }
        }
        candidates += t.secrets.map { ($0.name, [UInt8](hex: $0.hex) ?? []) }
        for line in t.keylog.split(separator: "\n") {
            let parts = line.split(separator: " ")
            candidates += parts.dropFirst().map { ("keylog \(parts[0])", [UInt8](hex: String($0)) ?? []) }
        }
        for r in t.records {
            guard let p = r.protection else { continue }
            let named: [(String, [UInt8]?)] = [
                ("nonce", p.nonce), ("additional data", p.additionalData), ("explicit IV", p.explicitIV),
                ("mac", p.mac), ("tag", p.tag),
            ]
            for (n, v) in named { if let v { candidates.append(("record \(r.index) \(n)", v)) } }
        }
        var seen: Set<[UInt8]> = []
        return candidates.filter { _, value in
            guard !value.isEmpty, seen.insert(value).inserted else { return false }
            if value.allSatisfy({ $0 == 0 }) || constants.contains(value) { return false }
            return !streams.contains { contains($0, value) }
        }
    }

    /// Every place a value's hex could hide: the document without whitespace and backticks (inline values split
    /// into code spans, output blocks wrapped over lines), in any case, and the bytes of every hex dump read back
    /// from its columns (values spanning dump lines).
    struct Haystack {
        var flat: String
        var dumps: [String]

        init(_ markdown: String) {
            flat = String(markdown.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace && $0 != "`" })
            dumps = []
            var current = ""
            for line in markdown.components(separatedBy: "\n") {
                let m = MarkdownChecks.matches(
                    "^\\s*[0-9a-f]{4,8}  ((?:(?:[0-9a-f_]{2}) {1,2}| {3,4})+)\\|", in: line)
                if let columns = m.first?[1] {
                    current += columns.replacingOccurrences(of: " ", with: "")
                } else if !current.isEmpty {
                    dumps.append(current)
                    current = ""
                }
            }
            if !current.isEmpty { dumps.append(current) }
        }

        func contains(_ value: [UInt8]) -> Bool {
            let hex = value.hex
            return flat.contains(hex) || dumps.contains { $0.contains(hex) }
        }
    }

    func testNoSecretValueAppearsInAWorksheet() async throws {
        let constants = try Self.emptyHashes()
        XCTAssertEqual(constants, SecretPolicy.emptyHashes, "the exporter's empty-string hashes")
        var transcripts = try await TranscriptCache.shared.all()
        transcripts.append(("hostile", try MarkdownStructureTests.hostileTranscript()))
        for (name, t) in transcripts {
            let secrets = Self.secrets(of: t, constants: constants)
            let names = Set(secrets.map(\.0))
            if t.outcome.status == .completed {
                XCTAssertTrue(names.contains("master_secret"), "\(name): \(names.sorted())")
            }
            XCTAssertTrue(secrets.allSatisfy { $0.1.count >= 4 }, "\(name): a secret too short to search for")

            for hex in [true, false] {
                let full = Haystack(try MarkdownExporter.render(t, options: MarkdownOptions(includeHex: hex)))
                let worksheet = Haystack(
                    try MarkdownExporter.render(t, options: MarkdownOptions(includeHex: hex, includeSecrets: false)))
                for (secretName, value) in secrets {
                    // The search works: the full handout shows the value.
                    XCTAssertTrue(full.contains(value), "\(name): \(secretName) missing from the full handout")
                    XCTAssertFalse(
                        worksheet.contains(value), "\(name) (hex: \(hex)): secret \(secretName) \(value.hex) in the worksheet")
                }
                // Public values stay: the randoms are on the wire.
                for random in ["client_random", "server_random"] {
                    if let value = t.events.compactMap(\.derivation).first(where: { $0.name == random })?.output {
                        XCTAssertTrue(worksheet.contains(value), "\(name): public \(random) blanked")
                    }
                }
            }
        }
    }

    func testWorksheetShowsBlanksWhereTheValuesWere() async throws {
        let t = try goldenTranscript("tls13-ed25519-chacha")
        let worksheet = try MarkdownExporter.render(t, options: MarkdownOptions(includeSecrets: false))
        XCTAssertTrue(worksheet.contains("**Worksheet.**"))
        // The master secret's output block: 32 bytes of blanks, labelled.
        XCTAssertTrue(worksheet.contains(String(repeating: "_", count: 64) + "  (32 bytes: fill in)"))
        // The server's Finished travels encrypted: its verify_data is masked in the decrypted message dump.
        XCTAssertTrue(worksheet.contains("0000  14 00 00 20 __ __ __ __  __ __ __ __ __ __ __ __  |... ____________|"))
        // The key log keeps the client random (public) and blanks the secrets.
        let random = t.events.compactMap(\.derivation).first { $0.name == "client_random" }?.output.hex ?? "?"
        XCTAssertTrue(worksheet.contains("SERVER_HANDSHAKE_TRAFFIC_SECRET \(random) \(String(repeating: "_", count: 64))"))
        // Labels stay (they are constants of the RFC), with the transcript hash inside HkdfLabel masked.
        XCTAssertTrue(worksheet.contains("Label `tls13 c hs traffic`"))
        XCTAssertTrue(worksheet.contains("`002012746c733133"))
    }

    /// The exporter's rule agrees with this test's: exactly the same values are secret.
    func testPolicyMatchesTheRule() async throws {
        let constants = try Self.emptyHashes()
        for (name, t) in try await TranscriptCache.shared.all() {
            let expected = Set(Self.secrets(of: t, constants: constants).map(\.1))
            XCTAssertEqual(Set(SecretPolicy(t).secretValues), expected, name)
        }
    }
}
