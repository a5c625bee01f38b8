/// A key press, as the terminal reports it (TLSTerminal maps ncurses key codes to these).
public enum Key: Equatable, Sendable, CustomStringConvertible {
    case up, down, left, right
    case home, end, pageUp, pageDown
    case enter, tab, backTab, escape, backspace
    case character(Character)
    /// Ctrl-C read as a character (when the terminal does not turn it into SIGINT).
    case interrupt

    public var description: String {
        switch self {
        case .up: return "Up"
        case .down: return "Down"
        case .left: return "Left"
        case .right: return "Right"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PageUp"
        case .pageDown: return "PageDown"
        case .enter: return "Enter"
        case .tab: return "Tab"
        case .backTab: return "BackTab"
        case .escape: return "Escape"
        case .backspace: return "Backspace"
        case .character(let c): return String(c)
        case .interrupt: return "Ctrl-C"
        }
    }
}
