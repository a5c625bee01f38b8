import Foundation
import XCTest

/// Paths of the committed demo PKI, found relative to this file.
enum Paths {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let pki = repoRoot.appendingPathComponent("Scenarios/pki")
    static func pki(_ file: String) -> String { pki.appendingPathComponent(file).path }
    static let servers = ["server-rsa", "server-ecdsa", "server-ed25519"]

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tlspki-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Runs `openssl` (the independent reference) and captures its output.
enum OpenSSL {
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        var stdoutBytes: [UInt8]
    }

    static func run(_ arguments: [String], stdin: [UInt8]? = nil) throws -> Output {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self), stdoutBytes: Array(outData))
    }

    /// Runs openssl and fails the test unless it exits with 0.
    static func ok(_ arguments: [String], stdin: [UInt8]? = nil, file: StaticString = #filePath, line: UInt = #line)
        throws -> Output
    {
        let output = try run(arguments, stdin: stdin)
        XCTAssertEqual(
            output.status, 0, "openssl \(arguments.joined(separator: " ")) failed: \(output.stderr)", file: file,
            line: line)
        return output
    }

    /// DER bytes of a certificate PEM file, converted by openssl.
    static func certificateDER(_ path: String) throws -> [UInt8] {
        try ok(["x509", "-in", path, "-outform", "DER"]).stdoutBytes
    }
}

extension Date {
    /// `2026-06-01` → midnight UTC.
    static func utc(_ day: String) -> Date {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: day + "T00:00:00Z") else {
            preconditionFailure("bad test date \(day)")
        }
        return date
    }
}
