import Foundation
import TLSHandshake
import TLSScenario
@testable import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// The repository, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let scenariosDirectory = repositoryRoot.appendingPathComponent("Scenarios")
let catalog = ScenarioCatalog(directory: scenariosDirectory)

/// The golden JSON transcripts (owned by TLSSimulatorTests) the Markdown goldens are generated from.
let goldenTranscriptDirectory = repositoryRoot.appendingPathComponent("Tests/TLSSimulatorTests/Golden")
/// The same list as GoldenTranscriptTests.deterministic: scenarios whose bytes the seed fully determines.
let deterministicScenarios = [
    "tls12-rsa", "tls12-rsa-gcm", "tls12-ecdhe-rsa", "tls12-ecdhe-rsa-cbc", "tls12-chacha", "tls13-ed25519-chacha",
]

func goldenTranscript(_ name: String) throws -> Transcript {
    let url = goldenTranscriptDirectory.appendingPathComponent("\(name).json")
    return try Transcript.load(json: try Data(contentsOf: url))
}

/// A channel rule for tests: flips one byte of the record with the given index (an active attacker).
struct FlipByte: ChannelRule {
    var record: Int
    var offset: Int
    private var seen = 0
    init(record: Int, offset: Int) {
        self.record = record
        self.offset = offset
    }
    mutating func apply(connection: Int, from: Side, record event: RecordEvent) -> ChannelDelivery? {
        defer { seen += 1 }
        let bytes = event.record.bytes
        guard seen == record, offset < bytes.count else { return nil }
        var changed = bytes
        changed[offset] ^= 0x01
        return ChannelDelivery(delivered: changed, note: "flipped one bit of byte \(offset) (an active attacker)")
    }
}

/// Runs every transcript a test needs once per process: the shipped scenarios, and a few extra set-ups written
/// to a temporary folder (a failed certificate check, mutual TLS with middlebox compatibility, a tampered record).
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

    /// Extra transcripts that exercise failure and unusual paths, by a short name.
    static let extraNames = ["untrusted", "mtls-middlebox", "tampered-finished", "no-common-signature"]

    func extra(_ name: String) async throws -> Transcript {
        if cache["extra:\(name)"] == nil {
            // Run them all at once, so the scenario folder can be removed right after.
            let directory = try extraScenarios()
            defer { try? FileManager.default.removeItem(at: directory) }
            for extra in Self.extraNames {
                switch extra {
                case "tampered-finished":
                    // tls12-ecdhe-rsa: record 7 is the client's encrypted Finished; the server must reject it.
                    cache["extra:\(extra)"] = try await Simulator.run(
                        try catalog.resolve("tls12-ecdhe-rsa"), rules: [FlipByte(record: 7, offset: 20)])
                default:
                    cache["extra:\(extra)"] = try await Simulator.run(
                        try catalog.resolve(directory.appendingPathComponent("\(extra).yaml").path))
                }
            }
        }
        guard let t = cache["extra:\(name)"] else { throw XCTSkip("no extra scenario \(name)") }
        return t
    }

    private func extraScenarios() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tlslab-export-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: scenariosDirectory.appendingPathComponent("pki"), to: directory.appendingPathComponent("pki"))
        let tls13 = try String(contentsOf: scenariosDirectory.appendingPathComponent("tls13.yaml"), encoding: .utf8)
        try tls13.replacingOccurrences(of: "  trust: [ca]", with: "  trust: []").write(
            to: directory.appendingPathComponent("untrusted.yaml"), atomically: true, encoding: .utf8)
        try """
        title: TLS 1.3 with a client certificate and middlebox compatibility
        description: The server requires a client certificate; both sides send dummy ChangeCipherSpec records.
        seed: 3
        client:
          versions: [TLS1.3]
          cipher_suites: [TLS_AES_128_GCM_SHA256]
          groups: [secp256r1]
          certificate: client
          middlebox_compatibility: true
        server:
          versions: [TLS1.3]
          cipher_suites: [TLS_AES_128_GCM_SHA256]
          groups: [secp256r1]
          client_auth: require
        """.write(to: directory.appendingPathComponent("mtls-middlebox.yaml"), atomically: true, encoding: .utf8)
        try """
        title: TLS 1.2 client authentication without a common signature scheme
        description: The server requires a client certificate, but the client cannot sign with any scheme it accepts.
        seed: 4
        client:
          versions: [TLS1.2]
          cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256]
          certificate: client
          signature_algorithms: [rsa_pkcs1_sha256]
        server:
          versions: [TLS1.2]
          cipher_suites: [TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256]
          signature_algorithms: [rsa_pkcs1_sha256]
          client_auth: require
        """.write(to: directory.appendingPathComponent("no-common-signature.yaml"), atomically: true, encoding: .utf8)
        return directory
    }

    /// Every transcript the structural tests cover: the shipped scenarios and the extras, by label.
    func all() async throws -> [(String, Transcript)] {
        var out: [(String, Transcript)] = []
        for name in catalog.names() { out.append((name, try await transcript(name))) }
        for name in Self.extraNames { out.append((name, try await extra(name))) }
        return out
    }
}

// MARK: - External programs

struct ProcessResult {
    var status: Int32
    var stdout: Data
    var stderr: String
}

/// Runs a program with its output in temporary files (no pipe can fill up and block).
func runProcess(_ executable: URL, _ arguments: [String], stdin: Data? = nil) throws -> ProcessResult {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tlslab-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let outURL = directory.appendingPathComponent("out")
    let errURL = directory.appendingPathComponent("err")
    let inURL = directory.appendingPathComponent("in")
    try (stdin ?? Data()).write(to: inURL)
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    process.currentDirectoryURL = repositoryRoot
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)
    let inHandle = try FileHandle(forReadingFrom: inURL)
    process.standardOutput = outHandle
    process.standardError = errHandle
    process.standardInput = inHandle
    try process.run()
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    try inHandle.close()
    return ProcessResult(
        status: process.terminationStatus, stdout: try Data(contentsOf: outURL),
        stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
}

/// The `cmark-gfm` binary (Debian package cmark-gfm), or a skip — a failure on CI, which installs it.
func cmarkGFM() throws -> URL {
    for path in ["/usr/bin/cmark-gfm", "/usr/local/bin/cmark-gfm"] where FileManager.default.isExecutableFile(atPath: path) {
        return URL(fileURLWithPath: path)
    }
    if ProcessInfo.processInfo.environment["CI"] != nil {
        XCTFail("cmark-gfm is not installed; .ci/run installs it with apt-get install -y cmark-gfm")
    }
    throw XCTSkip("cmark-gfm is not installed (apt-get install -y cmark-gfm)")
}

/// Renders GitHub Flavored Markdown to HTML with the real renderer: tables, autolinks, strikethrough; raw HTML
/// is not passed through (it shows up as an "omitted" comment, which the tests reject).
func renderHTML(_ markdown: String) throws -> String {
    let result = try runProcess(
        try cmarkGFM(), ["-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tasklist"],
        stdin: Data(markdown.utf8))
    XCTAssertEqual(result.status, 0, result.stderr)
    return String(decoding: result.stdout, as: UTF8.self)
}

/// The `tlslab` executable built next to the tests (`swift build` builds it; so does `swift test`).
func tlslabBinary() throws -> URL {
    var candidates: [URL] = []
    let bundle = Bundle.main.bundleURL
    candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("tlslab"))
    candidates.append(bundle.appendingPathComponent("tlslab"))
    for product in Bundle.allBundles.map(\.bundleURL) {
        candidates.append(product.deletingLastPathComponent().appendingPathComponent("tlslab"))
    }
    candidates.append(repositoryRoot.appendingPathComponent(".build/debug/tlslab"))
    for url in candidates where FileManager.default.isExecutableFile(atPath: url.path) { return url }
    XCTFail("tlslab is not built; run swift build first (looked in \(candidates.map(\.path)))")
    throw XCTSkip("tlslab binary missing")
}

/// A fresh empty folder, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("tlslab-export-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock {
        _ = try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        try? FileManager.default.removeItem(at: url)
    }
    return url
}
