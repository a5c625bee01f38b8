import Foundation
import XCTest

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `tlslab` binary: `$TLSLAB_BINARY`, else next to this test executable (`swift test` builds every
/// target of the package, the executable included).
func tlslabBinary() throws -> URL {
    if let configured = ProcessInfo.processInfo.environment["TLSLAB_BINARY"], !configured.isEmpty {
        return URL(fileURLWithPath: configured)
    }
    var directory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).deletingLastPathComponent()
    for _ in 0..<5 {
        let candidate = directory.appendingPathComponent("tlslab")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    throw MissingBinary()
}

struct MissingBinary: Error, CustomStringConvertible {
    var description: String { "no built tlslab binary next to the test executable; run `swift build` or set TLSLAB_BINARY" }
}

/// Runs a program and returns its exit status and standard output.
@discardableResult
func runProgram(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> (
    status: Int32, output: String
) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    if let environment { process.environment = environment }
    process.standardInput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

struct SpawnFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program with standard input, output and error on /dev/null and waits for it, without Foundation's
/// `Process`: that one detects the child's exit through a descriptor the child inherits, and a daemon the child
/// leaves behind (the tmux server started by `new-session`) keeps it open, so `waitUntilExit` would never return.
func spawnAndWait(_ arguments: [String]) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    for fd: Int32 in [0, 1, 2] {
        posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0)
    }
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { for p in argv { free(p) } }
    var pid: pid_t = 0
    let rc = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
    guard rc == 0 else { throw SpawnFailure(description: "cannot start \(arguments[0]): \(String(cString: strerror(rc)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED / WEXITSTATUS, spelled out (the macros are not imported).
    return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
}

/// One tmux server on its own socket (`tmux -L <unique name>`) with one session running a command. The server
/// is killed by `kill()` (call it in a `defer`). Every wait polls with a deadline; nothing sleeps a fixed time.
final class TmuxSession {
    let socket: String
    let session = "tlslab"

    static var isInstalled: Bool { (try? runProgram("tmux", ["-V"]).status) == 0 }

    /// Starts `command` (run by /bin/sh) in a detached session of the given size.
    init(command: String, width: Int, height: Int) throws {
        socket = "tlslab-e2e-\(getpid())-\(UUID().uuidString.prefix(8))"
        let status = try spawnAndWait([
            "tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", session, "-x", String(width), "-y",
            String(height), command,
        ])
        guard status == 0 else {
            kill()
            throw SpawnFailure(description: "tmux new-session exited with status \(status)")
        }
        // Keep the pane (and its last screen) when the command ends, so its exit line stays readable.
        _ = try? tmux(["set-option", "-t", session, "remain-on-exit", "on"])
    }

    @discardableResult
    func tmux(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProgram("tmux", ["-L", socket] + arguments)
    }

    /// The visible screen, one line per row.
    func capture() -> String {
        (try? tmux(["capture-pane", "-p", "-t", session]).output) ?? ""
    }

    func send(_ keys: String...) {
        _ = try? tmux(["send-keys", "-t", session] + keys)
    }

    func resize(width: Int, height: Int) {
        _ = try? tmux(["resize-window", "-t", session, "-x", String(width), "-y", String(height)])
    }

    /// The process id of the shell running in the pane.
    var panePID: Int32? {
        (try? tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).output)
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// Polls the screen until `predicate` holds and the screen has stopped changing (two captures 30 ms apart are
    /// the same, so a frame caught half drawn is not returned); fails with the last screen after `timeout` seconds.
    @discardableResult
    func wait(
        for description: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
        _ predicate: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = capture()
        while true {
            if predicate(screen) {
                usleep(30_000)
                let again = capture()
                if again == screen || Date() > deadline { return screen }
                screen = again
                continue
            }
            if Date() > deadline {
                XCTFail("timed out waiting for \(description); screen:\n\(screen)", file: file, line: line)
                throw WaitTimeout()
            }
            usleep(20_000)
            screen = capture()
        }
    }

    @discardableResult
    func wait(for text: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) throws
        -> String
    {
        try wait(for: "\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    func kill() {
        _ = try? tmux(["kill-server"])
    }

    struct WaitTimeout: Error {}
}

/// Quotes a string for /bin/sh.
func shellQuote(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
