import Foundation
import TLSScenario
import TLSSimulator
import TLSTranscript
import XCTest

/// Every shipped scenario's transcript, and the committed reference fixtures, pass the independent verifier
/// (`Tests/Verifier/verify_transcript.py`). The verifier was written from the RFCs and the transcript's JSON
/// contract alone, without reading TLSLab's sources: when both agree, two separate readings of the RFCs agree.
///
/// Needs `python3` with the `cryptography` package; the tests are skipped (not failed) without them.
final class IndependentVerifierTests: XCTestCase {
    static let verifierDirectory = repositoryRoot.appendingPathComponent("Tests/Verifier")
    static let verifier = verifierDirectory.appendingPathComponent("verify_transcript.py")

    /// Writes every scenario's transcript to a temporary folder and verifies them with the server certificate's
    /// private key (`--server-key`, which also decrypts RSA key exchanges). One python process per server
    /// certificate: the verifier takes several files at once, and prints one block per file.
    func testEveryScenarioPassesTheIndependentVerifier() async throws {
        let python = try Python.require()
        let directory = try Python.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var byKey: [String: [(name: String, file: URL)]] = [:]
        let names = catalog.names()
        XCTAssertFalse(names.isEmpty)
        for name in names {
            let scenario = try catalog.resolve(name)
            let certificate: String? = scenario.server.certificate
            let key = scenario.pkiDirectory.appendingPathComponent("\(certificate ?? "server-rsa").key")
            XCTAssertTrue(FileManager.default.fileExists(atPath: key.path), "\(name): no key file \(key.path)")
            let transcript = try await TranscriptCache.shared.transcript(name)
            let file = directory.appendingPathComponent("\(name).json")
            try transcript.jsonData().write(to: file)
            byKey[key.path, default: []].append((name, file))
        }
        for (key, files) in byKey.sorted(by: { $0.key < $1.key }) {
            let result = try python.run(
                [Self.verifier.path, "--server-key", key] + files.map(\.file.path), in: directory)
            let blocks = Python.blocks(of: result.stdout, files: files.map(\.file.path))
            for (name, file) in files {
                let block = blocks[file.path] ?? "(no output for this file)"
                XCTAssertTrue(
                    block.contains("=> PASS"),
                    "\(name): the independent verifier does not pass it (exit \(result.status)):\n\(block)\n\(result.stderr)")
            }
            XCTAssertEqual(result.status, 0, "verifier exit status with --server-key \(key):\n\(result.stderr)")
        }
    }

    /// The committed fixtures (published RFC 8448 traces and real OpenSSL sessions) still pass, so the verifier
    /// itself has not drifted while TLSLab changed.
    func testCommittedFixturesPassTheIndependentVerifier() throws {
        let python = try Python.require()
        let directory = try Python.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fixtures = try FileManager.default.contentsOfDirectory(atPath: Self.verifierDirectory.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertGreaterThanOrEqual(fixtures.count, 3, "fixtures: \(fixtures)")
        for fixture in fixtures {
            let file = Self.verifierDirectory.appendingPathComponent(fixture)
            var arguments = [Self.verifier.path]
            // The OpenSSL RSA fixture carries its throwaway server key: with it the verifier decrypts the
            // ClientKeyExchange itself.
            if let key = try Self.throwawayKey(of: file, into: directory) {
                arguments += ["--server-key", key.path]
            }
            let result = try python.run(arguments + [file.path], in: directory)
            XCTAssertEqual(result.status, 0, "\(fixture):\n\(result.stdout)\n\(result.stderr)")
            XCTAssertTrue(result.stdout.contains("=> PASS"), "\(fixture):\n\(result.stdout)")
        }
    }

    static func throwawayKey(of fixture: URL, into directory: URL) throws -> URL? {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: fixture)) as? [String: Any]
        guard let info = object?["fixture"] as? [String: Any], let pem = info["server_key_pem_throwaway"] as? String
        else { return nil }
        let url = directory.appendingPathComponent(fixture.deletingPathExtension().lastPathComponent + ".key.pem")
        try Data(pem.utf8).write(to: url)
        return url
    }
}

/// `python3` with the `cryptography` package, run through `/usr/bin/env`.
private struct Python {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Skips the test when python3 or its `cryptography` package is missing.
    static func require() throws -> Python {
        let python = Python()
        let probe: Result
        do {
            probe = try python.run(["-c", "import cryptography"], in: FileManager.default.temporaryDirectory)
        } catch {
            throw XCTSkip("python3 cannot be started: \(error)")
        }
        if probe.status == 127 { throw XCTSkip("python3 is not installed") }
        if probe.status != 0 { throw XCTSkip("python3 has no 'cryptography' package: \(probe.stderr)") }
        return python
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("tlslab-independent-verifier-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `python3 arguments`; output goes to files, so a large report cannot block the pipe.
    func run(_ arguments: [String], in directory: URL) throws -> Result {
        let id = UUID().uuidString
        let out = directory.appendingPathComponent("stdout-\(id).txt")
        let err = directory.appendingPathComponent("stderr-\(id).txt")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }

    /// The verifier prints one block per file, starting with the file's path on a line of its own.
    static func blocks(of output: String, files: [String]) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            if files.contains(text) {
                current = text
                blocks[text] = text
            } else if let file = current {
                blocks[file, default: ""] += "\n" + text
            }
        }
        return blocks
    }
}
