import TLSTranscript
import TLSWire

/// The plain-text walkthrough `tlslab run` prints: every record in order with direction, type and decoded fields,
/// and every value at the moment a side derives it, with the formula that produced it. Reads only the transcript.
public enum TextWalkthrough {
    public struct Options: Sendable {
        /// Show state-machine transitions.
        public var states = true
        /// Width for wrapping hex.
        public var hexWidth = 64
        public init() {}
    }

    public static func render(_ t: Transcript, options: Options = Options()) -> String {
        var out: [String] = []
        out.append("TLSLab — \(t.title)")
        var meta = "scenario \(t.scenario)"
        if let seed = t.seed { meta += ", seed \(seed)" }
        if let clock = t.clock { meta += ", clock \(clock)" }
        out.append(meta)
        if !t.description.isEmpty { out.append(t.description) }
        out.append("")
        for event in t.events {
            let who = event.side.map { "[\($0)]" } ?? "[channel]"
            switch event.kind {
            case .record:
                guard let i = event.record, i < t.records.count else { continue }
                out.append(contentsOf: record(t.records[i], in: t, options: options))
            case .recordReceived:
                continue
            case .derivation:
                guard let d = event.derivation else { continue }
                out.append("\(who) derives \(d.name) = \(d.formula)")
                out.append(contentsOf: wrapHex(d.output.hex, indent: "      ", width: options.hexWidth))
                if let note = d.note { out.append("      (\(note))") }
            case .stateChange:
                if options.states { out.append("\(who) state \(event.from ?? "?") → \(event.to ?? "?")") }
            case .keysInstalled:
                out.append(
                    "\(who) now \(event.direction == "write" ? "encrypts what it sends" : "decrypts what it receives") with \(event.text ?? "new keys")")
            case .note:
                out.append("\(who) note: \(event.text ?? "")")
            case .validation:
                out.append("\(who) certificate check: \(event.text ?? "")")
            case .alertSent:
                if let a = event.alert {
                    out.append("\(who) sends \(a.level) alert \(a.description) (\(a.code))\(event.text.map { ": \($0)" } ?? "")")
                }
            case .alertReceived:
                if let a = event.alert { out.append("\(who) receives \(a.level) alert \(a.description) (\(a.code))") }
            case .applicationData:
                out.append("\(who) receives application data:")
                for line in lines(event.text ?? "") { out.append("      | " + line) }
            case .handshakeCompleted:
                out.append("\(who) handshake complete: \(event.text ?? "")")
            case .channel:
                // A note about one record is printed with that record.
                if event.record == nil { out.append("[channel] \(event.text ?? "")") }
            case .connectionStarted:
                out.append("")
                out.append("═══ \(event.text ?? "next connection") ═══")
            case .eavesdropper:
                out.append("[eavesdropper] \(event.text ?? "")")
                if let d = event.derivation {
                    out.append("      \(d.name) = \(d.formula)")
                    out.append(contentsOf: wrapHex(d.output.hex, indent: "      ", width: options.hexWidth))
                }
            }
        }
        out.append("")
        switch t.outcome.status {
        case .completed:
            let n = t.negotiated
            out.append(
                "Outcome: completed — \(n?.version ?? "?") with \(n?.cipherSuite ?? "?")\(n?.group.map { ", \($0)" } ?? "")")
        case .failed:
            let a = t.outcome.alert
            out.append(
                "Outcome: failed — \(a?.sentBy.description ?? "?") sent \(a?.level ?? "") alert \(a?.description ?? "?") (\(a?.code ?? 0)): \(t.outcome.reason ?? "")")
        case .incomplete:
            out.append("Outcome: incomplete — the connection stopped before the handshake finished")
        }
        if t.connections.count > 1 {
            for c in t.connections {
                out.append("  \(c.label): \(c.outcome.status.rawValue)\(c.negotiated.map { " — \($0.version), \($0.keyExchange)" } ?? "")")
            }
        }
        if let lab = t.lab {
            out.append("What the user sees: \(lab.symptom)")
            out.append("Why: \(lab.cause)")
            out.append("How to fix it: \(lab.fix)")
            if let p = lab.inPractice { out.append("In practice: \(p)") }
        }
        for note in t.notes { out.append("Note: \(note)") }
        return out.joined(separator: "\n") + "\n"
    }

    static func record(_ r: RecordEntry, in t: Transcript, options: Options) -> [String] {
        var out: [String] = []
        let arrow = r.from == .client ? "client → server" : "server → client"
        let bytes = r.bytes.count
        var head = "── record \(r.index + 1) · \(arrow) · \(r.contentType)"
        if r.encrypted { head += " (encrypted \(r.innerContentType), \(r.keys ?? "keys"))" }
        head += " · \(bytes) bytes · \(r.summary) "
        out.append(head + String(repeating: "─", count: max(3, 100 - head.count)))
        if let note = r.channelNote { out.append("   ! channel: \(note)") }
        if r.messages.isEmpty {
            for field in r.fields {
                out.append("   \(field.name): \(field.value)")
            }
            if let plain = r.plaintext, r.innerContentType == "application_data" {
                out.append("   decrypted: \(printable(plain))")
            } else if let plain = r.plaintext, r.innerContentType == "alert", let (alert, _) = try? Alert.decode(plain) {
                out.append("   decrypted alert: \(alert)")
            }
        }
        for m in r.messages where m < t.messages.count {
            let message = t.messages[m]
            out.append("   \(message.name) (\(message.bytes.count) bytes)")
            for child in message.fields.children {
                child.walk { node, depth in
                    let pad = String(repeating: "  ", count: depth + 2)
                    out.append("\(pad)\(node.name): \(node.value)")
                }
            }
        }
        return out
    }

    /// Splits text into lines at LF or CR LF (Swift treats CR LF as one character, so split on scalars).
    static func lines(_ text: String) -> [String] {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                lines.append(String(current))
                current = String.UnicodeScalarView()
            } else if scalar != "\r" {
                current.append(scalar)
            }
        }
        if !current.isEmpty { lines.append(String(current)) }
        return lines
    }

    static func printable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return "\"" + text.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }

    static func wrapHex(_ hex: String, indent: String, width: Int) -> [String] {
        if hex.isEmpty { return [indent + "(empty)"] }
        var lines: [String] = []
        var rest = Substring(hex)
        while !rest.isEmpty {
            lines.append(indent + rest.prefix(width))
            rest = rest.dropFirst(width)
        }
        return lines
    }
}
