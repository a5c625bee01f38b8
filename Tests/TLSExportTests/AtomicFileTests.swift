import Foundation
import TLSExport
import XCTest

/// Exports are written to a temporary file in the target's folder and renamed over the target: a reader sees the
/// old or the new content, never half a file, and a failed write leaves no temporary file behind.
final class AtomicFileTests: XCTestCase {
    func files(in directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    func testWritesAndReplacesWithoutLeftovers() throws {
        let directory = try temporaryDirectory(self)
        let target = directory.appendingPathComponent("handout.md")
        try AtomicFile.write("old\n", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "old\n")
        try AtomicFile.write("new\n", to: target)
        XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "new\n")
        XCTAssertEqual(try files(in: directory), ["handout.md"])
    }

    func testMissingDirectoryFailsWithAReadableError() throws {
        let directory = try temporaryDirectory(self)
        let target = directory.appendingPathComponent("no/such/folder/handout.md")
        XCTAssertThrowsError(try AtomicFile.write("x", to: target)) { error in
            XCTAssertTrue(error is ExportError)
            XCTAssertEqual(
                "\(error)", "cannot write \(target.path): the folder \(target.deletingLastPathComponent().path) does not exist")
        }
        XCTAssertEqual(try files(in: directory), [])
    }

    /// A folder nobody may write to: with permissions for ordinary users; root ignores permissions, so there a
    /// kernel file system that refuses new files (/proc) stands in.
    func testUnwritableDirectoryLeavesNoTemporaryFile() throws {
        if geteuid() != 0 {
            let directory = try temporaryDirectory(self)
            let target = directory.appendingPathComponent("handout.md")
            try AtomicFile.write("old", to: target)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
            XCTAssertThrowsError(try AtomicFile.write("new", to: target)) { XCTAssertTrue($0 is ExportError) }
            XCTAssertEqual(try files(in: directory), ["handout.md"])
            XCTAssertEqual(try String(contentsOf: target, encoding: .utf8), "old")
        }
        let proc = URL(fileURLWithPath: "/proc/self")
        let before = try files(in: proc)
        XCTAssertThrowsError(try AtomicFile.write("new", to: proc.appendingPathComponent("tlslab-handout.md"))) {
            XCTAssertTrue($0 is ExportError)
            XCTAssertTrue("\($0)".contains("/proc/self/tlslab-handout.md"), "\($0)")
        }
        XCTAssertEqual(try files(in: proc).filter { $0.contains("tlslab") }, [])
        XCTAssertEqual(try files(in: proc).count, before.count)
    }

    /// The temporary file is written, then the rename fails (the target is a non-empty folder): the temporary
    /// file is removed and the target is untouched.
    func testFailedRenameRemovesTheTemporaryFile() throws {
        let directory = try temporaryDirectory(self)
        let target = directory.appendingPathComponent("handout.md")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: false)
        try Data("keep".utf8).write(to: target.appendingPathComponent("inside"))
        XCTAssertThrowsError(try AtomicFile.write("new", to: target)) {
            XCTAssertEqual("\($0)", "cannot write \(target.path): it is a folder")
        }
        XCTAssertEqual(try files(in: directory), ["handout.md"])
        XCTAssertEqual(try files(in: target), ["inside"])
    }

    /// While one task keeps replacing a large file, readers only ever see one complete version.
    func testReadersNeverSeeHalfAFile() async throws {
        let directory = try temporaryDirectory(self)
        let target = directory.appendingPathComponent("big.md")
        let a = Data(repeating: UInt8(ascii: "a"), count: 2 << 20)
        let b = Data(repeating: UInt8(ascii: "b"), count: 3 << 20)
        try AtomicFile.write(a, to: target)
        let done = Flag()
        let writer = Task.detached {
            defer { done.set() }
            for i in 0..<40 { try AtomicFile.write(i % 2 == 0 ? b : a, to: target) }
        }
        let reader = Task.detached { () -> (reads: Int, partial: Int) in
            var reads = 0
            var partial = 0
            while !done.isSet || reads == 0 {
                let seen = (try? Data(contentsOf: target)) ?? Data()
                if seen != a && seen != b { partial += 1 }
                reads += 1
            }
            return (reads, partial)
        }
        try await writer.value
        let (reads, partial) = await reader.value
        XCTAssertGreaterThan(reads, 0)
        XCTAssertEqual(partial, 0, "\(partial) of \(reads) reads saw a partial file")
        XCTAssertEqual(try files(in: directory), ["big.md"])
    }
}

/// A flag set by one task and read by another.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
