import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Turns signals into bytes on a pipe, so the UI loop — blocked in `poll` on standard input and this pipe — wakes
/// up and reacts on its own task: SIGINT, SIGTERM, SIGHUP end the session (`endwin`, then exit); SIGWINCH resizes
/// ncurses to the terminal (`resizeterm`); SIGTSTP suspends (`endwin`, SIGSTOP, redraw on return); SIGCONT redraws
/// the whole screen once more (see `TerminalApp`).
///
/// Nothing runs in a signal handler: the signals are ignored at the process level and observed through
/// `DispatchSource.makeSignalSource`, whose handler (on a Dispatch queue) only writes one byte. This also matters
/// because the process has several threads: a plain handler (such as ncurses' own SIGWINCH handler) may run on
/// any of them and would not wake the UI thread's `poll`. Because the signals are no longer at their default
/// disposition when ncurses starts, ncurses does not install its own handlers for them.
final class SignalPipe {
    let readFD: Int32
    private let writeFD: Int32
    private let signals: [Int32]
    private var sources: [any DispatchSourceSignal] = []
    private var stopped = false

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGWINCH, SIGTSTP, SIGCONT]) throws {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { throw Failure(description: "cannot create a pipe: \(String(cString: strerror(errno)))") }
        readFD = fds[0]
        writeFD = fds[1]
        self.signals = signals
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        let queue = DispatchQueue(label: "tlslab.signals")
        let writeFD = self.writeFD
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler {
                var byte = UInt8(truncatingIfNeeded: number)
                _ = write(writeFD, &byte, 1)
            }
            source.resume()
            sources.append(source)
        }
    }

    /// The signals that arrived since the last call, in order (without blocking).
    func take() -> [Int32] {
        var out: [Int32] = []
        var byte: UInt8 = 0
        while read(readFD, &byte, 1) == 1 { out.append(Int32(byte)) }
        return out
    }

    /// Stops watching and restores the default dispositions (idempotent).
    func stop() {
        guard !stopped else { return }
        stopped = true
        for source in sources { source.cancel() }
        for number in signals { signal(number, SIG_DFL) }
        close(readFD)
        close(writeFD)
    }

    deinit { stop() }
}
