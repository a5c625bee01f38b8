import CNCurses
import Foundation
import TLSViewModel

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What the terminal can do, decided before ncurses starts.
public struct TerminalCapabilities: Equatable, Sendable {
    /// Draw with colours (else attributes only: reverse video, bold, underline).
    public var colour: Bool
    /// Unicode box drawing and arrows (else ASCII).
    public var unicode: Bool

    public init(colour: Bool, unicode: Bool) {
        self.colour = colour
        self.unicode = unicode
    }

    /// Can the interactive UI run here? Both standard input and output must be terminals, and `TERM` must name a
    /// terminal with a terminfo description (`initscr` would print "Error opening terminal" and exit otherwise).
    public static func interactive(environment: [String: String] = ProcessInfo.processInfo.environment) -> Bool {
        guard isatty(STDIN_FILENO) != 0, isatty(STDOUT_FILENO) != 0 else { return false }
        guard let term = environment["TERM"], !term.isEmpty, term != "dumb", term != "unknown" else { return false }
        return tlslab_terminal_known(term, STDOUT_FILENO) != 0
    }

    /// Sets the locale from the environment (ncursesw needs it for UTF-8 output) and decides: Unicode when the
    /// locale's character set is UTF-8 (and `TLSLAB_ASCII` is not `1`); colour unless `NO_COLOR` is set to a
    /// non-empty value (https://no-color.org). Whether the terminal has colours at all is checked once ncurses runs.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        -> TerminalCapabilities
    {
        tlslab_setlocale_from_environment()
        let codeset = String(cString: tlslab_codeset()).uppercased().filter { $0 != "-" && $0 != "_" }
        let unicode = codeset == "UTF8" && environment["TLSLAB_ASCII"] != "1"
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        return TerminalCapabilities(colour: !noColor, unicode: unicode)
    }
}

/// An input event from the terminal.
enum InputEvent: Equatable {
    case key(Key)
    case resize
    /// Standard input is closed: nothing more will come.
    case endOfInput
}

/// The ncurses screen: the only object that touches ncurses. Not Sendable (it owns `WINDOW*`/`SCREEN*`): one
/// instance lives in the task that runs the UI and is ended there.
final class Curses {
    private let screen: OpaquePointer
    private let window: UnsafeMutablePointer<WINDOW>
    let glyphs: Glyphs
    private let colour: Bool
    private var ended = false
    /// Consecutive wake-ups with input pending but no key (a closed terminal that does not report hang-up).
    private var idleWakeups = 0

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(capabilities: TerminalCapabilities, term: String) throws {
        guard let screen = tlslab_newterm(term) else {
            throw Failure(description: "cannot open the terminal '\(term)'")
        }
        self.screen = screen
        set_term(screen)
        guard let window = tlslab_stdscr() else {
            endwin()
            delscreen(screen)
            throw Failure(description: "ncurses has no screen")
        }
        self.window = window
        glyphs = capabilities.unicode ? .utf8 : .ascii
        cbreak()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        leaveok(window, true)
        set_escdelay(25)
        curs_set(0)
        colour = capabilities.colour && has_colors()
        if colour {
            start_color()
            use_default_colors()
            for style in Style.allCases {
                let (fg, bg) = Self.colours(style)
                init_pair(Int16(style.rawValue) + 1, fg, bg)
            }
        }
    }

    /// Restores the terminal (idempotent).
    func end() {
        guard !ended else { return }
        ended = true
        curs_set(1)
        endwin()
        delscreen(screen)
    }

    deinit { end() }

    /// Follows the terminal's new size (after SIGWINCH): ncurses learns it from the terminal itself.
    func resizeToTerminal() {
        var rows: Int32 = 0
        var cols: Int32 = 0
        guard tlslab_terminal_size(STDOUT_FILENO, &rows, &cols) == 0 else { return }
        resizeterm(rows, cols)
    }

    /// Suspends the process (Ctrl-Z): restores the terminal, stops, and on return takes the screen back.
    func suspend() {
        endwin()
        kill(getpid(), SIGSTOP)
        // Continued (fg): endwin switched the keypad back to cursor mode (arrows would arrive as ESC [ C) and
        // ncurses only switches it again in keypad(); the window may also have changed size meanwhile.
        takeScreenBack()
    }

    /// After a stop: keypad mode on again, the terminal's size, and a full repaint at the next draw. For two
    /// seconds `ensureProgramMode` then watches the terminal modes.
    func takeScreenBack() {
        keypad(window, true)
        resizeToTerminal()
        clearok(window, true)
        resumedAt = Date()
    }

    /// When the process was continued (fg), the time; nil once the terminal has been watched long enough.
    private(set) var resumedAt: Date?

    /// Right after `fg`, the shell may still set the terminal's modes (its own, cooked) after TLSLab has set its
    /// own: then keys would echo and arrows arrive as ESC [ C, read as Escape. For two seconds after a continue,
    /// every wake-up checks the modes and takes the terminal back if it is in canonical mode again. Returns whether
    /// it did (the screen needs a full redraw).
    func ensureProgramMode() -> Bool {
        guard let resumedAt else { return false }
        if Date().timeIntervalSince(resumedAt) > 2 {
            self.resumedAt = nil
            return false
        }
        var modes = termios()
        guard tcgetattr(STDIN_FILENO, &modes) == 0, modes.c_lflag & tcflag_t(ICANON) != 0 else { return false }
        reset_prog_mode()
        // endwin switched the keypad to cursor mode; ncurses sends the capability only when its flag changes.
        keypad(window, false)
        keypad(window, true)
        clearok(window, true)
        return true
    }

    var width: Int { Int(tlslab_cols()) }
    var height: Int { Int(tlslab_lines()) }

    // MARK: Drawing

    /// Foreground and background per style (-1 = the terminal's default).
    static func colours(_ style: Style) -> (Int16, Int16) {
        let d: Int16 = -1
        switch style {
        case .normal, .dim, .title, .border, .hint, .current: return (d, d)
        case .focus: return (Int16(COLOR_BLUE), d)
        case .header: return (Int16(COLOR_WHITE), Int16(COLOR_BLUE))
        case .key: return (Int16(COLOR_YELLOW), d)
        case .status: return (Int16(COLOR_GREEN), d)
        case .selected: return (Int16(COLOR_BLACK), Int16(COLOR_CYAN))
        case .highlight: return (Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        case .new: return (Int16(COLOR_GREEN), d)
        case .alert: return (Int16(COLOR_RED), d)
        case .encrypted: return (Int16(COLOR_MAGENTA), d)
        case .client: return (Int16(COLOR_CYAN), d)
        case .server: return (Int16(COLOR_YELLOW), d)
        // Presenter mode: bright white on black, the current step black on yellow (bold makes both brighter).
        case .strong: return (Int16(COLOR_WHITE), Int16(COLOR_BLACK))
        case .strongCurrent: return (Int16(COLOR_BLACK), Int16(COLOR_YELLOW))
        case .strongDim: return (Int16(COLOR_WHITE), Int16(COLOR_BLACK))
        }
    }

    /// Attributes per style; without colour they alone must keep every style readable and distinct where it
    /// matters (selection and highlight in reverse video, new values bold, alerts bold and underlined).
    func attributes(_ style: Style) -> attr_t {
        let bold = tlslab_a_bold()
        let dim = tlslab_a_dim()
        let reverse = tlslab_a_reverse()
        let underline = tlslab_a_underline()
        switch style {
        case .normal, .hint, .client, .server: return tlslab_a_normal()
        case .dim, .border: return dim
        case .title, .key: return bold
        case .focus, .status: return bold
        case .header: return colour ? bold : reverse
        case .selected: return colour ? bold : reverse | bold
        case .current: return reverse
        case .highlight: return colour ? tlslab_a_normal() : reverse
        case .new: return colour ? bold : bold | underline
        case .alert: return colour ? bold : bold | underline
        case .encrypted: return colour ? tlslab_a_normal() : underline
        case .strong: return bold
        case .strongCurrent: return colour ? bold : reverse | bold
        case .strongDim: return colour ? tlslab_a_normal() : dim
        }
    }

    func draw(_ grid: Grid) {
        werase(window)
        for y in 0..<min(grid.height, height) {
            var x = 0
            let rowWidth = min(grid.width, width)
            while x < rowWidth {
                let style = grid[x, y].style
                var run = String(grid[x, y].character)
                var end = x + 1
                while end < rowWidth, grid[end, y].style == style {
                    run.append(grid[end, y].character)
                    end += 1
                }
                _ = tlslab_set_attributes(window, attributes(style), colour ? Int16(style.rawValue) + 1 : 0)
                _ = mvwaddstr(window, Int32(y), Int32(x), run)
                x = end
            }
        }
        _ = tlslab_set_attributes(window, tlslab_a_normal(), 0)
        wrefresh(window)
    }

    // MARK: Input

    /// Waits until a key arrives, the window is resized, standard input closes, or `wakeFD` becomes readable (a
    /// signal arrived), and returns what came. Never spins: poll blocks.
    func waitForInput(wakeFD: Int32) -> [InputEvent] {
        var fds = [
            pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
            pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
        ]
        // Right after a continue, wake up often to watch the terminal modes (`ensureProgramMode`).
        let ready = poll(&fds, nfds_t(fds.count), resumedAt == nil ? -1 : 50)
        if ready == 0 { return [] }
        if ready < 0, errno != EINTR { return [.endOfInput] }
        if fds[1].revents != 0 { return [] }
        var events: [InputEvent] = []
        while true {
            let c = wgetch(window)
            if c == ERR { break }
            if let event = Self.event(for: c) { events.append(event) }
        }
        let hangUp = Int16(POLLHUP) | Int16(POLLERR) | Int16(POLLNVAL)
        if events.isEmpty, ready > 0 {
            if fds[0].revents & hangUp != 0 { return [.endOfInput] }
            // Readable but no key, again and again: the input is at end of file.
            idleWakeups += 1
            if idleWakeups > 20 { return [.endOfInput] }
        } else {
            idleWakeups = 0
        }
        return events
    }

    static func event(for c: Int32) -> InputEvent? {
        switch c {
        case KEY_RESIZE: return .resize
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME, KEY_BEG: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BTAB: return .key(.backTab)
        case KEY_BACKSPACE, 127, 8: return .key(.backspace)
        case KEY_ENTER, 10, 13: return .key(.enter)
        case 9: return .key(.tab)
        case 27: return .key(.escape)
        case 3: return .key(.interrupt)
        case 32...126:
            guard let scalar = Unicode.Scalar(UInt32(c)) else { return nil }
            return .key(.character(Character(scalar)))
        default: return nil
        }
    }
}
