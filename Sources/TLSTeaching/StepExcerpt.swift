import TLSCrypto
import TLSTranscript
import TLSWire

/// A compact text view of one walkthrough step — the part of the walkthrough a lesson script, a quiz or a handout
/// shows at a pause: the step's heading, its top fields, and what each side did at it (derivations with their
/// formulas, certificate checks, alerts, key changes). Hex values are shortened; `tlslab run` has the full view.
public enum StepExcerpt {
    public struct Options: Sendable {
        /// Field lines shown at most (the rest are counted).
        public var maxFieldLines = 10
        /// Field tree depth shown below the message (0 = top-level fields only).
        public var fieldDepth = 1
        /// Show derivations, checks, alerts and key changes.
        public var events = true
        /// Characters of a value shown before `…`.
        public var maxValueLength = 64
        public var width = 100
        public init() {}
    }

    /// `client → server`, `server → client`.
    public static func arrow(_ from: Side) -> String { from == .client ? "client → server" : "server → client" }

    /// The step's title without byte counts: `Application data (60 bytes)` → `Application data`.
    public static func plainTitle(_ title: String) -> String {
        if title.hasPrefix("Application data") { return "Application data" }
        return title
    }

    /// One line: `step 4 · server → client · Certificate · encrypted (server_handshake_traffic keys)`.
    public static func heading(_ walkthrough: Walkthrough, step index: Int) -> String {
        guard walkthrough.steps.indices.contains(index) else { return "" }
        let step = walkthrough.steps[index]
        let record = walkthrough.transcript.records.first { $0.index == step.record }
        var head = "step \(index + 1) · \(arrow(step.from)) · \(step.title)"
        if step.encrypted {
            head += " · encrypted" + (record?.keys.map { " (\($0))" } ?? "")
        } else {
            head += " · in the clear"
        }
        let connections = Set(walkthrough.transcript.records.map(\.connection)).count
        if connections > 1, let record { head += " · connection \(record.connection + 1)" }
        return head
    }

    /// The excerpt, one string per line, indented by `indent`.
    public static func lines(_ walkthrough: Walkthrough, step index: Int, indent: String = "  ", options: Options = Options())
        -> [String]
    {
        guard walkthrough.steps.indices.contains(index) else { return [] }
        let t = walkthrough.transcript
        let step = walkthrough.steps[index]
        var out = [indent + heading(walkthrough, step: index)]
        let inner = indent + "  "
        var fieldLines: [String] = []
        if let m = step.message, t.messages.indices.contains(m) {
            for child in t.messages[m].fields.children where child.key != "handshake.msg_type" && child.key != "handshake.length" {
                child.walk { node, depth in
                    guard depth <= options.fieldDepth else { return }
                    fieldLines.append(inner + String(repeating: "  ", count: depth) + "\(node.name): \(short(node.value, options.maxValueLength))")
                }
            }
        } else if let record = t.records.first(where: { $0.index == step.record }) {
            if let plain = record.plaintext, record.innerContentType == "application_data" {
                fieldLines.append(inner + "decrypted: " + short(printable(plain), options.maxValueLength * 2))
            } else if record.innerContentType == "change_cipher_spec" {
                fieldLines.append(inner + "one byte (01): the sender's next records are encrypted")
            }
        }
        if fieldLines.count > options.maxFieldLines {
            let rest = fieldLines.count - options.maxFieldLines
            fieldLines = Array(fieldLines.prefix(options.maxFieldLines)) + [inner + "… \(rest) more field\(rest == 1 ? "" : "s")"]
        }
        out += fieldLines
        if let note = t.records.first(where: { $0.index == step.record })?.channelNote {
            out.append(inner + "! channel: \(note)")
        }
        guard options.events else { return out }
        for e in step.events {
            let event = t.events[e]
            let who = event.side.map { "[\($0)]" } ?? "[channel]"
            var line: String?
            switch event.kind {
            case .derivation:
                if let d = event.derivation { line = "\(who) derives \(d.name) = \(d.formula)" }
            case .validation: line = "\(who) certificate check: \(event.text ?? "")"
            case .alertSent:
                if let a = event.alert { line = "\(who) sends \(a.level) alert \(a.description)\(event.text.map { ": \($0)" } ?? "")" }
            case .alertReceived:
                if let a = event.alert { line = "\(who) receives \(a.level) alert \(a.description)" }
            case .keysInstalled:
                let verb = event.direction == "write" ? "encrypts what it sends" : "decrypts what it receives"
                line = "\(who) now \(verb) with \(event.text ?? "new keys")"
            case .handshakeCompleted: line = "\(who) handshake complete: \(event.text ?? "")"
            case .applicationData: line = "\(who) receives application data: " + short(event.text ?? "", options.maxValueLength)
            case .note: line = "\(who) note: \(event.text ?? "")"
            case .eavesdropper: line = "[eavesdropper] \(event.text ?? "")"
            case .channel: if event.record == nil { line = "[channel] \(event.text ?? "")" }
            case .connectionStarted: line = "═══ \(event.text ?? "next connection") ═══"
            case .record, .recordReceived, .stateChange: line = nil
            }
            if let line {
                out += TextWrap.wrap(line, width: options.width, indent: inner, continuation: inner + "    ")
            }
        }
        return out
    }

    static func short(_ value: String, _ max: Int) -> String {
        value.count > max ? String(value.prefix(max)) + "…" : value
    }

    static func printable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return "\"" + text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}
