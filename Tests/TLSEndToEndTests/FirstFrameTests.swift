import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// How long the built binary takes from launch to its first full frame, on a pseudo-terminal (no tmux in between).
/// `TLSLAB_BINARY=.build/release/tlslab swift test --filter FirstFrameTests` measures a release build; the figure is
/// printed and documented in docs/ui.md. The assertion is loose (debug builds, busy CI machines): it catches a
/// regression to seconds, not milliseconds.
final class FirstFrameTests: XCTestCase {
    func testFirstFrameTime() throws {
        let binary = try tlslabBinary()
        var timings: [String: Double] = [:]
        for (name, arguments, marker) in [
            ("show tls12-rsa", ["show", "tls12-rsa"], "Step 1/13"), ("start screen", [], "choose a scenario"),
        ] {
            var best = Double.infinity
            for _ in 0..<3 { best = min(best, try firstFrame(binary, arguments, until: marker)) }
            timings[name] = best
            print("first frame, \(name): \(Int((best * 1000).rounded())) ms (best of 3)")
            XCTAssertLessThan(best, 2.0, name)
        }
    }

    /// Launches the binary on a new pseudo-terminal (120×40) and returns the seconds until the frame's last line —
    /// the key hint, which ends in "quit" — and `marker` have both been written; then quits with q.
    func firstFrame(_ binary: URL, _ arguments: [String], until marker: String) throws -> Double {
        #if os(Linux)
            // posix_openpt/grantpt/unlockpt/ptsname are not imported; these are their Linux ioctls (<asm/ioctls.h>).
            let unlockRequest: UInt = 0x4004_5431  // TIOCSPTLCK
            let numberRequest: UInt = 0x8004_5430  // TIOCGPTN
        #else
            throw XCTSkip("the pseudo-terminal set-up here is Linux-only")
        #endif
        let master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
        guard master >= 0 else { throw XCTSkip("no pseudo-terminals here") }
        defer { close(master) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, unlockRequest, &unlock) == 0, ioctl(master, numberRequest, &number) == 0 else {
            throw XCTSkip("cannot set up a pseudo-terminal")
        }
        var size = winsize(ws_row: 40, ws_col: 120, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
        let slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
        guard slave >= 0 else { throw XCTSkip("cannot open the pseudo-terminal") }
        let terminal = FileHandle(fileDescriptor: slave, closeOnDealloc: true)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["LANG"] = "C.UTF-8"
        environment["LC_ALL"] = "C.UTF-8"
        environment["TLSLAB_SCENARIOS"] = repositoryRoot.appendingPathComponent("Scenarios").path
        process.environment = environment
        process.standardInput = terminal
        process.standardOutput = terminal
        process.standardError = terminal

        let start = Date()
        try process.run()
        var output = [UInt8]()
        var elapsed = Double.infinity
        let deadline = start.addingTimeInterval(10)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            guard poll(&fds, 1, 100) > 0 else { continue }
            let n = read(master, &buffer, buffer.count)
            if n <= 0 { break }
            output.append(contentsOf: buffer[0..<n])
            let text = String(decoding: output, as: UTF8.self)
            if text.contains(marker), text.contains("quit") {
                elapsed = Date().timeIntervalSince(start)
                break
            }
        }
        _ = "q".utf8CString.withUnsafeBufferPointer { write(master, $0.baseAddress, 1) }
        // Drain while it exits, so it never blocks writing to a full terminal.
        let exitDeadline = Date().addingTimeInterval(5)
        while process.isRunning, Date() < exitDeadline {
            var fds = [pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            if poll(&fds, 1, 20) > 0 { _ = read(master, &buffer, buffer.count) }
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "\(arguments)")
        XCTAssertTrue(elapsed.isFinite, "no first frame within 10 s: \(String(decoding: output.suffix(400), as: UTF8.self))")
        return elapsed
    }
}
