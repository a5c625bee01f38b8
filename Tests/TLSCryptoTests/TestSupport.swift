import Foundation
import TLSCrypto
import TLSWire
import XCTest

/// Hex literal for vectors; traps on a typo in the test itself (never on code under test).
func h(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> [UInt8] {
    guard let bytes = [UInt8](hex: text) else {
        XCTFail("bad hex literal in test: \(text.prefix(40))", file: file, line: line)
        return []
    }
    return bytes
}

/// Runs external tools (openssl, python3) that serve as independent oracles.
enum Tool {
    /// Absolute path of an executable on PATH, or nil.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    static func openssl() throws -> String {
        guard let path = find("openssl") else { throw XCTSkip("openssl is not installed") }
        return path
    }

    /// Runs `executable args`, feeding `stdin`, and returns stdout; throws with stderr on a non-zero exit.
    @discardableResult
    static func run(_ executable: String, _ args: [String], stdin: [UInt8] = []) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = args
        let input = Pipe()
        let output = Pipe()
        let error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ToolError(
                message: "\(executable) \(args.joined(separator: " ")) exited \(process.terminationStatus): "
                    + String(decoding: err, as: UTF8.self))
        }
        return Array(out)
    }

    /// `openssl kdf ...` prints colon-separated hex.
    static func opensslKDF(_ args: [String]) throws -> [UInt8] {
        let out = try run(openssl(), ["kdf"] + args)
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = [UInt8](hex: text) else { throw ToolError(message: "unexpected openssl kdf output: \(text)") }
        return bytes
    }

    /// TLS 1.2 PRF computed by OpenSSL (`openssl kdf TLS1-PRF`): seed = label bytes ‖ seed.
    static func opensslPRF(digest: String, secret: [UInt8], labelAndSeed: [UInt8], length: Int) throws -> [UInt8] {
        try opensslKDF([
            "-keylen", "\(length)", "-kdfopt", "digest:\(digest)", "-kdfopt", "hexsecret:\(secret.hex)",
            "-kdfopt", "hexseed:\(labelAndSeed.hex)", "TLS1-PRF",
        ])
    }

    /// HKDF-Expand computed by OpenSSL.
    static func opensslHKDFExpand(digest: String, prk: [UInt8], info: [UInt8], length: Int) throws -> [UInt8] {
        try opensslKDF([
            "-keylen", "\(length)", "-kdfopt", "digest:\(digest)", "-kdfopt", "mode:EXPAND_ONLY",
            "-kdfopt", "hexkey:\(prk.hex)", "-kdfopt", "hexinfo:\(info.hex)", "HKDF",
        ])
    }

    /// HKDF-Extract computed by OpenSSL.
    static func opensslHKDFExtract(digest: String, salt: [UInt8], ikm: [UInt8], length: Int) throws -> [UInt8] {
        // OpenSSL refuses an empty hexsalt; HMAC zero-pads keys, so one zero byte is the same as no salt.
        let salt = salt.isEmpty ? [0] : salt
        return try opensslKDF([
            "-keylen", "\(length)", "-kdfopt", "digest:\(digest)", "-kdfopt", "mode:EXTRACT_ONLY",
            "-kdfopt", "hexkey:\(ikm.hex)", "-kdfopt", "hexsalt:\(salt.hex)", "HKDF",
        ])
    }

    /// HMAC computed by OpenSSL (`openssl mac HMAC`), message on stdin.
    static func opensslHMAC(digest: String, key: [UInt8], message: [UInt8]) throws -> [UInt8] {
        let out = try run(openssl(), ["mac", "-digest", digest, "-macopt", "hexkey:\(key.hex)", "HMAC"], stdin: message)
        let text = String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let bytes = [UInt8](hex: text) else { throw ToolError(message: "unexpected openssl mac output: \(text)") }
        return bytes
    }

    /// A fresh temporary directory, removed when the test ends.
    static func tempDirectory(for testCase: XCTestCase) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tlscrypto-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        testCase.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }
}

struct ToolError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}

extension HashAlgorithm {
    /// The digest name OpenSSL's command line uses.
    var opensslName: String {
        switch self {
        case .sha1: "SHA1"
        case .sha256: "SHA256"
        case .sha384: "SHA384"
        }
    }
}
