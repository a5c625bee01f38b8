import Foundation
import TLSTranscript
import TLSViewModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Exports the transcript on a key press (`e` → JSON in the current directory). `run` returns the status line,
/// e.g. `wrote ./tlslab-tls13-seed7.json`; a thrown error is shown as an error status.
public struct ExportAction: Sendable {
    public var key: Character
    public var label: String
    public var run: @Sendable (Transcript) throws -> String

    public init(key: Character, label: String, run: @escaping @Sendable (Transcript) throws -> String) {
        self.key = key
        self.label = label
        self.run = run
    }
}

/// Writes a file the view model prepared (the quiz score) and returns the status line, e.g. `wrote ./x.json`.
public typealias FileSaver = @Sendable (SaveRequest) throws -> String

/// How the interactive session ended.
public enum TerminalExit: Equatable, Sendable {
    /// The user quit (q, Esc).
    case quit
    /// SIGINT, SIGTERM or SIGHUP arrived; the terminal was restored. Exit with 128 + the number.
    case signal(Int32)
    /// Standard input closed.
    case endOfInput
}

/// Runs the interactive UI: draws the view model, feeds it keys, performs its commands. The terminal is restored
/// on every way out — quit, error, end of input, SIGINT/SIGTERM/SIGHUP (see `SignalPipe`).
public enum TerminalApp {
    /// The start screen (on `preferred` if listed); Enter runs the chosen scenario with `runner` and opens the
    /// stepper.
    public static func run(
        scenarios: [ScenarioItem], preferred: String? = nil,
        runner: @escaping @Sendable (String) async throws -> Transcript, exports: [ExportAction],
        saver: FileSaver? = nil, capabilities: TerminalCapabilities = .fromEnvironment()
    ) async throws -> TerminalExit {
        let model = AppModel(
            scenarios: scenarios, preferred: preferred, exports: exports.map { ExportKey(key: $0.key, label: $0.label) })
        return try await loop(model, runner: runner, exports: exports, saver: saver, capabilities: capabilities)
    }

    /// The stepper on a transcript.
    public static func run(
        transcript: Transcript, exports: [ExportAction], saver: FileSaver? = nil,
        capabilities: TerminalCapabilities = .fromEnvironment()
    ) async throws -> TerminalExit {
        let model = AppModel(transcript: transcript, exports: exports.map { ExportKey(key: $0.key, label: $0.label) })
        return try await loop(model, runner: nil, exports: exports, saver: saver, capabilities: capabilities)
    }

    /// A model the caller prepared (a lesson, a quiz already started); its export keys must match `exports`.
    public static func run(
        model: AppModel, exports: [ExportAction], saver: FileSaver? = nil,
        capabilities: TerminalCapabilities = .fromEnvironment()
    ) async throws -> TerminalExit {
        try await loop(model, runner: nil, exports: exports, saver: saver, capabilities: capabilities)
    }

    static func loop(
        _ initial: AppModel, runner: (@Sendable (String) async throws -> Transcript)?, exports: [ExportAction],
        saver: FileSaver?, capabilities: TerminalCapabilities
    ) async throws -> TerminalExit {
        var model = initial
        let signals = try SignalPipe()
        defer { signals.stop() }
        let term = ProcessInfo.processInfo.environment["TERM"] ?? "xterm"
        let curses = try Curses(capabilities: capabilities, term: term)
        defer { curses.end() }

        func draw() { curses.draw(model.render(width: curses.width, height: curses.height, glyphs: curses.glyphs)) }

        var dirty = true
        while true {
            for number in signals.take() {
                switch number {
                case SIGWINCH:
                    curses.resizeToTerminal()
                    dirty = true
                case SIGTSTP:
                    curses.suspend()
                    dirty = true
                case SIGCONT:
                    // Continued (fg): repaint everything once more, and watch the terminal modes for a moment
                    // (`Curses.ensureProgramMode`): the shell may still be setting its own.
                    curses.takeScreenBack()
                    dirty = true
                default:
                    return .signal(number)
                }
            }
            if curses.ensureProgramMode() { dirty = true }
            if dirty {
                draw()
                dirty = false
            }
            for event in curses.waitForInput(wakeFD: signals.readFD) {
                switch event {
                case .endOfInput:
                    return .endOfInput
                case .resize:
                    dirty = true
                case .key(let key):
                    dirty = true
                    // While the window is too small nothing is visible: only the quit keys act.
                    let quitKeys: [Key] = [.character("q"), .escape, .interrupt]
                    if !StepperLayout.fits(width: curses.width, height: curses.height), !quitKeys.contains(key) {
                        continue
                    }
                    guard let command = model.handle(key) else { continue }
                    switch command {
                    case .quit:
                        return .quit
                    case .export(let index):
                        guard exports.indices.contains(index), let transcript = model.transcript else { continue }
                        do {
                            model.setStatus(StatusMessage(try exports[index].run(transcript)))
                        } catch {
                            model.setStatus(StatusMessage("export failed: \(error)", isError: true))
                        }
                    case .save(let request):
                        guard let saver else {
                            model.setStatus(StatusMessage("saving is not available here", isError: true))
                            continue
                        }
                        do {
                            model.setStatus(StatusMessage(try saver(request)))
                        } catch {
                            model.setStatus(StatusMessage("saving the \(request.label) failed: \(error)", isError: true))
                        }
                    case .run(let name):
                        guard let runner else { continue }
                        draw()  // "Running …"
                        do {
                            model.open(try await runner(name))
                        } catch {
                            model.runFailed("\(name) failed: \(error)")
                        }
                    }
                }
            }
        }
    }
}
