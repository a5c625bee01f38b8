import TLSTeaching
import TLSTranscript
import TLSWire

/// Options for the Markdown handout.
public struct MarkdownOptions: Sendable, Equatable {
    /// Include the hex of every message (16-byte lines with offsets).
    public var includeHex = true
    /// Include secret values; when false every secret value is replaced by a blank for students to fill in
    /// (see `SecretPolicy` for what counts as secret).
    public var includeSecrets = true
    public init(includeHex: Bool = true, includeSecrets: Bool = true) {
        self.includeHex = includeHex
        self.includeSecrets = includeSecrets
    }
}

/// The Markdown handout: a title, a summary table, a Mermaid ladder, one section per walkthrough step (the same
/// steps as the UI: `Walkthrough`), every derivation at the step where it happens, a "who knows what" table, the
/// key log and a table of contents. GitHub Flavored Markdown; see docs/export.md.
public enum MarkdownExporter {
    public static func render(_ transcript: Transcript, options: MarkdownOptions = MarkdownOptions()) throws -> String {
        var document = MarkdownDocument(transcript, options: options)
        return document.render()
    }
}

/// Builds the handout into one string (appends only: linear in the size of the output).
struct MarkdownDocument {
    let t: Transcript
    let walkthrough: Walkthrough
    let options: MarkdownOptions
    let policy: SecretPolicy
    var redact: Bool { !options.includeSecrets }
    var out = ""

    // Headings and their anchors, assigned in document order before writing (the TOC comes first).
    enum Section: CaseIterable {
        case contents, summary, lab, ladder, walkthrough, eavesdropper, knowledge, keylog, notes
        var title: String {
            switch self {
            case .contents: return "Contents"
            case .summary: return "Summary"
            case .lab: return "What goes wrong here"
            case .eavesdropper: return "What an eavesdropper can read later"
            case .ladder: return "Message ladder"
            case .walkthrough: return "Walkthrough"
            case .knowledge: return "Who knows what"
            case .keylog: return "Key log"
            case .notes: return "Notes"
            }
        }
    }
    var sectionAnchors: [Section: String] = [:]
    var stepHeadings: [String] = []
    var stepAnchors: [String] = []
    /// Step of each event index.
    var stepOfEvent: [Int: Int] = [:]

    init(_ transcript: Transcript, options: MarkdownOptions) {
        t = transcript
        walkthrough = Walkthrough(transcript)
        self.options = options
        policy = SecretPolicy(transcript)
        out.reserveCapacity(64 * 1024 + transcript.records.reduce(0) { $0 + $1.bytes.count } * 16)

        var anchors = MD.Anchors()
        _ = anchors.anchor(for: MD.line(titleText))
        for section in Section.allCases where Self.present(section, in: transcript) {
            sectionAnchors[section] = anchors.anchor(for: section.title)
            if section == .walkthrough {
                for step in walkthrough.steps {
                    let heading = MD.line(
                        "Step \(step.index + 1) · \(step.from) → \(step.from.peer) · \(step.title)")
                    stepHeadings.append(heading)
                    stepAnchors.append(anchors.anchor(for: heading))
                }
            }
        }
        for step in walkthrough.steps { for e in step.events { stepOfEvent[e] = step.index } }
    }

    var titleText: String { t.title.isEmpty ? "TLS handshake: \(t.scenario)" : t.title }

    /// Sections that depend on the transcript (a lab note, an eavesdropper, notes) appear only when it has them.
    static func present(_ section: Section, in t: Transcript) -> Bool {
        switch section {
        case .notes: return !t.notes.isEmpty
        case .lab: return t.lab != nil
        case .eavesdropper: return t.events.contains { $0.kind == .eavesdropper }
        default: return true
        }
    }

    mutating func render() -> String {
        writeTitle()
        writeContents()
        writeSummary()
        writeLab()
        writeLadder()
        writeWalkthrough()
        writeEavesdropper()
        writeKnowledge()
        writeKeylog()
        writeNotes()
        writeFooter()
        // Free text (an alert's reason, a note) may quote a secret in hex: a worksheet must not.
        return redact ? policy.redact(out) : out
    }

    // MARK: - Writing primitives

    mutating func line(_ s: String = "") {
        out.append(s)
        out.append("\n")
    }

    mutating func heading(_ level: Int, _ text: String) {
        line(String(repeating: "#", count: level) + " " + MD.text(text))
        line()
    }

    mutating func paragraph(_ s: String, indent: String = "") {
        line(indent + s)
        line()
    }

    /// A GFM table; cells are already-escaped Markdown (pipes escaped).
    mutating func table(_ header: [String], _ rows: [[String]], indent: String = "") {
        line(indent + "| " + header.joined(separator: " | ") + " |")
        line(indent + "|" + header.map { _ in "---|" }.joined())
        for row in rows {
            var cells = row
            while cells.count < header.count { cells.append("") }
            line(indent + "| " + cells.prefix(header.count).joined(separator: " | ") + " |")
        }
        line()
    }

    /// A fenced code block whose fence is longer than any backtick run inside it.
    mutating func codeBlock(_ lines: [String], info: String = "text", indent: String = "") {
        var longest = 2
        for l in lines {
            var run = 0
            for c in l.utf8 {
                if c == UInt8(ascii: "`") {
                    run += 1
                    longest = max(longest, run)
                } else {
                    run = 0
                }
            }
        }
        let fence = String(repeating: "`", count: longest + 1)
        line(indent + fence + info)
        for l in lines { line(indent + l) }
        line(indent + fence)
        line()
    }

    mutating func hexDump(_ bytes: [UInt8], masked: [Bool]?, indent: String = "") {
        line(indent + "```text")
        if bytes.isEmpty {
            line(indent + "(no bytes)")
        } else {
            MD.appendHexDump(bytes, masked: masked, indent: indent, to: &out)
        }
        line(indent + "```")
        line()
    }

    // MARK: - Values

    static let blank = "________________"

    /// A byte value for a table cell or a sentence: code spans of 32 bytes each (so browsers can wrap between
    /// them), or a blank when the value is secret and secrets are hidden.
    /// `constant`: the bytes are public by construction (a label); only secret values inside them are masked.
    func value(_ bytes: [UInt8], inTable: Bool = true, constant: Bool = false) -> String {
        if bytes.isEmpty { return "(empty)" }
        if redact && !constant && policy.isSecret(bytes) { return blankInline(bytes.count, inTable: inTable) }
        let masked = redact ? policy.mask(bytes) : nil
        var parts: [String] = []
        var i = 0
        while i < bytes.count {
            let end = min(i + 32, bytes.count)
            parts.append(MD.code(MD.hex(bytes[i..<end], masked: masked, startingAt: i), inTable: inTable))
            i = end
        }
        return parts.joined(separator: " ")
    }

    func blankInline(_ count: Int, inTable: Bool = true) -> String {
        MD.code(Self.blank, inTable: inTable) + " (\(count) byte\(count == 1 ? "" : "s"))"
    }

    /// Lines of 64 hex digits (32 bytes), or lines of blanks of the same shape.
    func valueLines(_ bytes: [UInt8]) -> [String] {
        if bytes.isEmpty { return ["(empty)"] }
        let hidden = redact && policy.isSecret(bytes)
        let masked = redact && !hidden ? policy.mask(bytes) : nil
        var lines: [String] = []
        var i = 0
        while i < bytes.count {
            let end = min(i + 32, bytes.count)
            lines.append(
                hidden
                    ? String(repeating: "_", count: (end - i) * 2) : MD.hex(bytes[i..<end], masked: masked, startingAt: i))
            i = end
        }
        if hidden { lines[lines.count - 1] += "  (\(bytes.count) bytes: fill in)" }
        return lines
    }

    func stepLink(_ step: Int?) -> String {
        guard let step, stepAnchors.indices.contains(step) else { return "—" }
        return "[step \(step + 1)](#\(stepAnchors[step]))"
    }

    func sectionLink(_ section: Section, _ text: String? = nil) -> String {
        "[\(MD.text(text ?? section.title))](#\(sectionAnchors[section] ?? ""))"
    }

    func record(_ index: Int) -> RecordEntry? { t.records.indices.contains(index) ? t.records[index] : nil }

    // MARK: - Title and contents

    mutating func writeTitle() {
        heading(1, titleText)
        if !t.description.isEmpty { paragraph(MD.text(t.description)) }
        var meta = "A TLSLab handout: scenario \(MD.code(t.scenario))"
        if let seed = t.seed { meta += ", seed \(seed)" }
        if let clock = t.clock { meta += ", simulated clock \(MD.text(clock))" }
        meta +=
            ". Every byte and every value below was produced by a real TLS client and server talking to each other, and recorded as it happened. To step through these very bytes, save the transcript as JSON (`tlslab export … --format json -o FILE.json`, or `e` in the stepper) and open it with `tlslab show FILE.json`."
        paragraph(meta)
        if redact {
            paragraph(
                "> **Worksheet.** Every secret value (everything a passive observer of the connection cannot read on the wire) is replaced by a blank `\(Self.blank)` for you to fill in; inside hex dumps secret bytes show as `__`. Public values (the randoms, public keys, the encrypted premaster secret, everything in the records as sent) are shown.")
        }
    }

    mutating func writeContents() {
        heading(2, Section.contents.title)
        for section in Section.allCases where section != .contents {
            guard sectionAnchors[section] != nil else { continue }
            line("- " + sectionLink(section))
            if section == .walkthrough {
                for (i, heading) in stepHeadings.enumerated() {
                    line("  - [\(MD.text(heading))](#\(stepAnchors[i]))")
                }
            }
        }
        line()
    }

    // MARK: - Summary

    mutating func writeSummary() {
        heading(2, Section.summary.title)
        let c = t.configuration
        let n = t.negotiated
        let serverHello = t.messages.first { $0.from == .server && ($0.name == "ServerHello") }?.fields
        let chosenVersion =
            n?.version
            ?? (serverHello?.first(key: "ext.supported_versions.selected_version")?.value
                ?? serverHello?.first(key: "server_hello.legacy_version")?.value).map(StepNarration.plain)
        let chosenSuite = n?.cipherSuite ?? (serverHello?.first(key: "server_hello.cipher_suite")?.value).map(StepNarration.plain)
        let chosenGroup =
            n?.group
            ?? (serverHello?.first(key: "ext.key_share.group")?.value
                ?? t.messages.first { $0.name == "ServerKeyExchange" }?.fields.first(key: "server_key_exchange.named_curve")?
                .value).map(StepNarration.plain)

        func names(_ list: [String]) -> String { list.isEmpty ? "—" : list.map { MD.code($0, inTable: true) }.joined(separator: ", ") }
        func chosen(_ s: String?) -> String { s.map { "**\(MD.code($0, inTable: true))**" } ?? "— (not reached)" }
        func flag(_ b: Bool?) -> String { b.map { $0 ? "yes" : "no" } ?? "—" }

        var rows: [[String]] = [
            ["Scenario", MD.code(t.scenario, inTable: true)],
            ["Seed", t.seed.map(String.init) ?? "— (not reproducible: a real peer)"],
            ["Simulated clock", t.clock.map { MD.text($0) } ?? "—"],
            ["Versions offered by the client", names(c.clientVersions)],
            ["Versions accepted by the server", names(c.serverVersions)],
            ["Version chosen", chosen(chosenVersion)],
            ["Cipher suites offered by the client", names(c.clientCipherSuites)],
            ["Cipher suites accepted by the server", names(c.serverCipherSuites)],
            ["Cipher suite chosen", chosen(chosenSuite)],
            ["Key exchange", n.map { MD.text($0.keyExchange) } ?? "—"],
            ["Groups offered by the client", names(c.clientGroups)],
            [
                "Group chosen",
                chosenGroup.map { "**\(MD.code($0, inTable: true))**" }
                    ?? (n?.keyExchange == "RSA" ? "— (RSA key exchange uses no group)" : "—"),
            ],
            ["Signature scheme", n?.signatureScheme.map { MD.code($0, inTable: true) } ?? "—"],
            ["Extended master secret (RFC 7627)", flag(n?.extendedMasterSecret ?? c.extendedMasterSecret)],
            ["Encrypt-then-MAC (RFC 7366)", flag(n?.encryptThenMAC ?? c.encryptThenMAC)],
            ["Client authenticated with a certificate", flag(n?.clientAuthenticated)],
        ]
        if let name = c.serverName { rows.append(["Server name the client asked for", MD.code(name, inTable: true)]) }
        let certificates = t.certificates.isEmpty
            ? "none" : "\(t.certificates.count) (listed below)"
        rows.append(["Certificates presented", certificates])
        rows.append(["Outcome", outcomeText()])
        rows.append([
            "Size",
            "\(walkthrough.steps.count) steps, \(t.records.count) records, \(t.messages.count) handshake messages, \(t.events.filter { $0.kind == .derivation }.count) derivations",
        ])
        table(["Item", "Value"], rows)

        if !t.certificates.isEmpty {
            paragraph("**Certificates**")
            table(
                ["Sent by", "Position", "Subject", "Issuer", "Valid from", "Valid until", "Names (SAN)", "Public key", "Signed with"],
                t.certificates.map { cert in
                    [
                        cert.from.description, cert.position == 0 ? "0 (leaf)" : "\(cert.position)", MD.text(cert.subject),
                        MD.text(cert.issuer), MD.text(cert.notBefore), MD.text(cert.notAfter),
                        cert.subjectAlternativeNames.isEmpty
                            ? "—" : cert.subjectAlternativeNames.map { MD.code($0, inTable: true) }.joined(separator: ", "),
                        MD.text(cert.publicKey), MD.text(cert.signatureAlgorithm),
                    ]
                })
        }
    }

    func outcomeText() -> String {
        switch t.outcome.status {
        case .completed:
            return "**completed**: both sides finished the handshake"
                + (t.negotiated.map { " (\(MD.text($0.version)) with \(MD.code($0.cipherSuite, inTable: true)))" } ?? "")
        case .failed:
            var s = "**failed**"
            if let step = walkthrough.failureStep { s += " at \(stepLink(step))" }
            if let a = t.outcome.alert {
                s += ": the \(a.sentBy) sent a \(MD.text(a.level)) \(MD.code(a.description, inTable: true)) alert (\(a.code))"
            }
            if let reason = t.outcome.reason { s += ": " + MD.text(reason) }
            return s
        case .incomplete:
            return "**incomplete**: the connection stopped before the handshake finished"
        }
    }

    // MARK: - Ladder

    mutating func writeLadder() {
        heading(2, Section.ladder.title)
        paragraph(
            "Each arrow is one step: one handshake message, or one record that carries no handshake message. Steps marked *(encrypted)* travel under keys the two sides agreed on; an arrow ending in a cross is a fatal alert.")
        var lines = ["sequenceDiagram", "    autonumber", "    participant C as Client", "    participant S as Server"]
        for step in walkthrough.steps {
            let (a, b) = step.from == .client ? ("C", "S") : ("S", "C")
            let fatal = step.events.contains { e in
                t.events.indices.contains(e) && t.events[e].kind == .alertSent && t.events[e].side == step.from
                    && t.events[e].alert?.level == "fatal"
            }
            let arrow = fatal ? "-x" : "->>"
            lines.append("    \(a)\(arrow)\(b): \(Self.mermaid(step.title + (step.encrypted ? " (encrypted)" : "")))")
            if let note = record(step.record)?.channelNote, step.message == nil || step.message == record(step.record)?.messages.first {
                lines.append("    Note over C,S: \(Self.mermaid("channel: " + note, limit: 80))")
            }
        }
        let end: String
        switch t.outcome.status {
        case .completed:
            end = "Handshake complete" + (t.negotiated.map { ": \($0.version), \($0.cipherSuite)" } ?? "")
        case .failed:
            end = "Handshake failed" + (t.outcome.alert.map { ": \($0.sentBy) sent \($0.description)" } ?? "")
        case .incomplete:
            end = "Connection stopped before the handshake finished"
        }
        lines.append("    Note over C,S: \(Self.mermaid(end, limit: 80))")
        codeBlock(lines, info: "mermaid")

        var rows: [[String]] = []
        for step in walkthrough.steps {
            let r = record(step.record)
            rows.append([
                stepLink(step.index), "\(step.from) → \(step.from.peer)", MD.text(step.title),
                r.map { "\($0.index + 1) (\(MD.text($0.contentType)), \($0.bytes.count) bytes)" } ?? "—",
                step.encrypted ? "encrypted" + (r?.keys.map { " (\(MD.text($0)))" } ?? "") : "in the clear",
            ])
        }
        table(["Step", "Direction", "Message", "Record", "Protection"], rows)
    }

    /// Message text that cannot break a Mermaid sequence diagram: no control characters, and `#`, `;`, quotes,
    /// `%`, `<`, `>`, `&` and backticks written as Mermaid entity codes (`#59;`).
    static func mermaid(_ raw: String, limit: Int = 120) -> String {
        var text = MD.line(raw)
        if text.count > limit { text = String(text.prefix(limit - 1)) + "…" }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "#": out.append("#35;")
            case ";": out.append("#59;")
            case "\"": out.append("#quot;")
            case "'": out.append("#39;")
            case "%": out.append("#37;")
            case "<": out.append("#lt;")
            case ">": out.append("#gt;")
            case "&": out.append("#38;")
            case "`": out.append("#96;")
            case "\\": out.append("#92;")
            default: out.unicodeScalars.append(c)
            }
        }
        return out.allSatisfy({ $0 == " " }) ? "(untitled)" : out
    }

    // MARK: - Walkthrough

    mutating func writeWalkthrough() {
        heading(2, Section.walkthrough.title)
        paragraph(
            "One section per step, in the order things happened. Each shows the message with its fields and bytes, then what each side does about it: what the sender does right after sending it, and how the receiver reacts — every value derived, with its formula, inputs and output, at the moment it is computed.")
        if walkthrough.steps.isEmpty { paragraph("No record crossed the channel.") }
        for step in walkthrough.steps { writeStep(step) }
    }

    mutating func writeLab() {
        guard let lab = t.lab else { return }
        heading(2, Section.lab.title)
        table(
            ["", ""],
            [
                ["What the user sees", MD.text(lab.symptom)],
                ["Why", MD.text(lab.cause)],
                ["How to fix it", MD.text(lab.fix)],
            ] + (lab.inPractice.map { [["In practice", MD.text($0)]] } ?? []))
    }

    mutating func writeEavesdropper() {
        let findings = t.events.filter { $0.kind == .eavesdropper }
        guard !findings.isEmpty else { return }
        heading(2, Section.eavesdropper.title)
        for event in findings {
            paragraph("- " + MD.text(event.text ?? ""))
            if let d = event.derivation {
                codeBlock(MD.lines(d.formula).isEmpty ? [" "] : MD.lines(d.formula), indent: "  ")
                paragraph("Recovered:", indent: "  ")
                codeBlock(valueLines(d.output), indent: "  ")
            }
        }
    }

    mutating func writeStep(_ step: WalkthroughStep) {
        if t.connections.count > 1, step.index == 0 || walkthrough.steps[step.index - 1].connection != step.connection,
            t.connections.indices.contains(step.connection)
        {
            let c = t.connections[step.connection]
            paragraph("**Connection \(c.index + 1): \(MD.text(c.label))** — \(MD.text(c.outcome.status.rawValue))\(c.resumed ? ", resumed" : "")")
        }
        line("### " + MD.text(stepHeadings[step.index]))
        line()
        let r = record(step.record)
        let message = step.message.flatMap { t.messages.indices.contains($0) ? t.messages[$0] : nil }

        // Where it sits.
        var where_ = "*Flight \(step.flight + 1) · record \(step.record + 1) of \(t.records.count)"
        if let r { where_ += " · \(MD.text(r.contentType)) record, \(r.bytes.count) bytes on the wire" }
        where_ += step.encrypted ? " · encrypted*" : " · in the clear*"
        paragraph(where_)

        paragraph(StepNarration.sentences(for: step, in: t).map(MD.text).joined(separator: " "))
        if let note = r?.channelNote, message == nil || step.message == r?.messages.first {
            paragraph("> **The channel changed this record:** \(MD.text(note))")
            if let original = r?.originalBytes, options.includeHex {
                paragraph("The record as its sender wrote it:")
                hexDump(original, masked: nil)
            }
        }
        if walkthrough.failureStep == step.index {
            var s = "> **The handshake fails here.**"
            if let a = t.outcome.alert {
                s += " The \(a.sentBy) sends a \(MD.text(a.level)) \(MD.code(a.description)) alert (\(a.code))"
                s += t.outcome.reason.map { ": " + MD.text($0) } ?? "."
            } else if let reason = t.outcome.reason {
                s += " " + MD.text(reason)
            }
            paragraph(s)
        }

        if let message, let r {
            writeMessage(message, record: r, step: step)
        } else if let r {
            writeBareRecord(r, step: step)
        }
        writeEvents(step)
    }

    mutating func writeMessage(_ m: MessageEntry, record r: RecordEntry, step: WalkthroughStep) {
        let bytes = m.bytes
        let masked = redact ? policy.mask(bytes) : nil
        paragraph(
            "**\(MD.text(m.name))** — \(bytes.count) bytes: a 4-byte header (type and length)\(bytes.count > 4 ? " and a body of \(bytes.count - 4) bytes" : " and no body").")
        if let about = Explanations.message(named: m.name) {
            paragraph("> " + MD.text(about.detail) + " *(\(MD.text(about.rfc)))*")
        }
        writeFields(m.fields.children, masked: masked)
        if options.includeHex {
            paragraph(m.encrypted ? "The message bytes, decrypted (offsets count from its first byte):" : "The message bytes (offsets count from its first byte):")
            hexDump(bytes, masked: masked)
        }
        let firstOfRecord = r.messages.first == m.index
        if m.records.count > 1 {
            paragraph("It was split across records \(StepNarration.list(m.records.map { String($0 + 1) })).")
        }
        if !firstOfRecord {
            paragraph("It travels in the same record as the message before it.")
            return
        }
        if r.encrypted {
            writeProtection(r)
        } else {
            let header = Array(r.bytes.prefix(5))
            let fields = r.fields
            let type = fields.first { $0.key == "record.content_type" }?.value ?? r.contentType
            let version = fields.first { $0.key == "record.legacy_version" }?.value
            let length = fields.first { $0.key == "record.length" }?.value
            var s = "On the wire it travels in record \(r.index + 1) behind the 5-byte record header \(MD.code(header.map { MD.hex([$0]) }.joined(separator: " ")))"
            s += ": content type \(MD.text(type))"
            if let version { s += ", version \(MD.text(version))" }
            if let length { s += ", length \(MD.text(length))" }
            s += "."
            if r.messages.count > 1 {
                s += " The same record also carries \(StepNarration.list(r.messages.dropFirst().compactMap { t.messages.indices.contains($0) ? t.messages[$0].name : nil }))."
            }
            paragraph(s)
        }
    }

    mutating func writeBareRecord(_ r: RecordEntry, step: WalkthroughStep) {
        let bytes = r.bytes
        paragraph("**Record \(r.index + 1)** — \(bytes.count) bytes: a 5-byte header and a fragment of \(max(0, bytes.count - 5)) bytes.")
        writeFields(r.fields, masked: nil)
        if options.includeHex {
            paragraph(r.encrypted ? "The record as it crossed the wire (ciphertext):" : "The record as it crossed the wire:")
            hexDump(bytes, masked: nil)
        }
        if r.encrypted { writeProtection(r) }
        guard let plain = r.plaintext else { return }
        let masked = redact ? policy.mask(plain) : nil
        switch r.innerContentType {
        case "application_data":
            paragraph("Decrypted content (\(plain.count) bytes), as text:")
            let text = masked == nil ? String(decoding: plain, as: UTF8.self) : MD.hex(plain, masked: masked)
            codeBlock(MD.lines(text).isEmpty ? ["(empty)"] : MD.lines(text))
        case "alert":
            if let (alert, _) = try? Alert.decode(plain) {
                paragraph(
                    "Decrypted content: an alert, level \(MD.text(alert.level.description)) (\(alert.level.rawValue)), description \(MD.code(alert.description_.description)) (\(alert.description_.rawValue)).")
            }
        default:
            break
        }
        if options.includeHex {
            paragraph("The decrypted bytes:")
            hexDump(plain, masked: masked)
        }
    }

    mutating func writeFields(_ nodes: [FieldNode], masked: [Bool]?) {
        var rows: [[String]] = []
        func visit(_ node: FieldNode, depth: Int) {
            let prefix = depth == 0 ? "" : String(repeating: "&emsp;", count: depth - 1) + "↳ "
            let hidden = masked.map { mask in
                node.length > 0 && node.offset >= 0 && node.offset < mask.count
                    && mask[node.offset..<min(mask.count, node.offset + node.length)].contains(true)
            } ?? false
            let value = hidden ? blankInline(node.length) : (node.value.isEmpty ? "" : MD.code(node.value, inTable: true))
            let range: String
            switch node.length {
            case ..<1: range = "—"
            case 1: range = "\(node.offset)"
            default: range = "\(node.offset)–\(node.offset + node.length - 1)"
            }
            var meaning = MD.text(node.meaning ?? "")
            if let rfc = Explanations.field(node.key)?.rfc, !rfc.isEmpty { meaning += " *(\(MD.text(rfc)))*" }
            rows.append([prefix + MD.code(node.name, inTable: true), value, range, meaning])
            for child in node.children { visit(child, depth: depth + 1) }
        }
        for node in nodes { visit(node, depth: 0) }
        if rows.isEmpty { return }
        table(["Field", "Value", "Bytes", "Meaning"], rows)
    }

    mutating func writeProtection(_ r: RecordEntry) {
        var rows: [[String]] = []
        if let keys = r.keys { rows.append(["Keys", MD.text(keys)]) }
        if let p = r.protection {
            rows.append(["Cipher", MD.text(p.cipher)])
            rows.append(["Sequence number", "\(p.sequenceNumber)"])
            if let v = p.explicitIV { rows.append(["Explicit IV / nonce (sent in the record)", value(v)]) }
            if let v = p.nonce { rows.append(["Nonce", value(v)]) }
            if let v = p.additionalData { rows.append(["Additional data", value(v)]) }
            if let v = p.mac { rows.append(["MAC", value(v)]) }
            if let v = p.tag { rows.append(["Authentication tag", value(v)]) }
            if let v = p.paddingLength { rows.append(["Padding length", "\(v)"]) }
        }
        paragraph("**Record protection** — record \(r.index + 1), \(r.bytes.count) bytes on the wire:")
        table(["Property", "Value"], rows)
        if options.includeHex && !r.messages.isEmpty {
            paragraph("The record as it crossed the wire (ciphertext):")
            hexDump(r.bytes, masked: nil)
        }
    }

    // MARK: - Events

    enum Phase: Equatable {
        case before(Side), after(Side), receiving(Side), meanwhile(Side), channel

        var label: String {
            switch self {
            case .before(let s): return "Before sending it, the \(s):"
            case .after(let s): return "Right after sending it, the \(s):"
            case .receiving(let s): return "On receiving it, the \(s):"
            case .meanwhile(let s): return "Meanwhile, the \(s):"
            case .channel: return "On the wire:"
            }
        }
    }

    mutating func writeEvents(_ step: WalkthroughStep) {
        var sawRecord = false
        var received: Set<Side> = []
        var current: Phase?
        for e in step.events {
            guard t.events.indices.contains(e) else { continue }
            let event = t.events[e]
            switch event.kind {
            case .record:
                sawRecord = true
                continue
            case .recordReceived:
                if let s = event.side { received.insert(s) }
                continue
            default:
                break
            }
            let phase: Phase
            if event.kind == .channel {
                phase = .channel
            } else if let s = event.side {
                if s == step.from {
                    phase = sawRecord ? .after(s) : .before(s)
                } else {
                    phase = received.contains(s) ? .receiving(s) : .meanwhile(s)
                }
            } else {
                phase = .channel
            }
            if phase != current {
                paragraph("**\(phase.label)**")
                current = phase
            }
            writeEvent(event, endsHandshake: e == t.outcome.event)
        }
    }

    /// `endsHandshake`: the event is the outcome's (its reason is already in the "fails here" callout).
    mutating func writeEvent(_ event: TranscriptEvent, endsHandshake: Bool = false) {
        switch event.kind {
        case .derivation:
            writeDerivation(event)
        case .stateChange:
            paragraph("- moves from state \(MD.code(event.from ?? "?")) to \(MD.code(event.to ?? "?"))")
        case .keysInstalled:
            let keys = MD.text(StepNarration.keysName(event.text ?? "new keys"))
            paragraph(
                event.direction == "write"
                    ? "- from now on encrypts what it sends with the \(keys)"
                    : "- from now on decrypts what it receives with the \(keys)")
        case .note:
            paragraph("- " + MD.text(event.text ?? ""))
        case .validation:
            paragraph("- checks the peer's certificate chain: " + MD.text(event.text ?? ""))
        case .alertSent:
            guard let a = event.alert else { return }
            let reason = endsHandshake ? " (why: see above)" : event.text.map { ": " + MD.text($0) } ?? ""
            paragraph("- sends a \(MD.text(a.level)) \(MD.code(a.description)) alert (\(a.code))" + reason)
            if let about = Explanations.alert(named: a.description) {
                paragraph(MD.text(about.detail) + " *(\(MD.text(about.rfc)))*", indent: "  ")
            }
        case .alertReceived:
            guard let a = event.alert else { return }
            paragraph("- receives a \(MD.text(a.level)) \(MD.code(a.description)) alert (\(a.code))")
        case .applicationData:
            let size = event.text?.utf8.count ?? 0
            paragraph("- receives \(size) byte\(size == 1 ? "" : "s") of application data (the decrypted content above)")
        case .handshakeCompleted:
            paragraph("- completes the handshake" + (event.text.map { ": " + MD.text($0) } ?? ""))
        case .channel:
            paragraph("- the channel: " + MD.text(event.text ?? ""))
        case .record, .recordReceived, .connectionStarted, .eavesdropper:
            break
        }
    }

    /// One derivation as a list item: name and size, the formula in code, the inputs table, the label bytes,
    /// the output, and the note.
    mutating func writeDerivation(_ event: TranscriptEvent) {
        guard let d = event.derivation else { return }
        let indent = "  "
        paragraph("- derives **\(MD.code(d.name))** (\(d.output.count) bytes)")
        if let about = Explanations.derivation(d, in: t, connection: event.connection) {
            paragraph(MD.text(about.detail) + " *(\(MD.text(about.rfc)))*", indent: indent)
        }
        codeBlock(MD.lines(d.formula).isEmpty ? [" "] : MD.lines(d.formula), indent: indent)
        if !d.inputs.isEmpty {
            table(
                ["Input", "Value", "Where it comes from"],
                d.inputs.map { input in
                    [
                        "\(MD.code(input.name, inTable: true)) (\(input.value.count) bytes)", value(input.value),
                        input.source.map(MD.text) ?? "—",
                    ]
                }, indent: indent)
        }
        if d.label != nil || d.labelBytes != nil {
            var s = "Label"
            if let label = d.label { s += " \(MD.code(label))" }
            if let bytes = d.labelBytes {
                s += d.label == nil ? ", as bytes: " : " — the bytes fed to the function: "
                s += value(bytes, inTable: false, constant: true)
            }
            paragraph(s, indent: indent)
        }
        paragraph("Output:", indent: indent)
        codeBlock(valueLines(d.output), indent: indent)
        if let note = d.note { paragraph("Note: " + MD.text(note), indent: indent) }
    }

    // MARK: - Who knows what

    mutating func writeKnowledge() {
        heading(2, Section.knowledge.title)
        paragraph(
            "Every value each side computed, in the order they first appear, with the step at which each side learned it. *Public* values can be read on the wire (or are constants fixed by the RFCs); everything else is known only to the endpoints — a passive observer never sees it.")
        guard let last = walkthrough.steps.indices.last else {
            paragraph("No values were derived.")
            return
        }
        struct Row {
            var name: String
            var value: [UInt8]
            var first: Int
            var step: [Side: Int] = [:]
        }
        var rows: [Row] = []
        var position: [String: Int] = [:]
        for side in [Side.client, .server] {
            for (d, _, event) in walkthrough.knowledge(of: side, through: last) {
                let key = d.name + "=" + d.output.hex
                let index: Int
                if let i = position[key] {
                    index = i
                } else {
                    index = rows.count
                    position[key] = index
                    rows.append(Row(name: d.name, value: d.output, first: event))
                }
                rows[index].first = min(rows[index].first, event)
                if rows[index].step[side] == nil { rows[index].step[side] = stepOfEvent[event] }
            }
        }
        rows.sort { $0.first < $1.first }
        table(
            ["Value", "Bytes", "Client learned it at", "Server learned it at", "Visibility", "Value (hex)"],
            rows.map { row in
                let visibility: String
                if policy.isSecret(row.value) {
                    visibility = "secret"
                } else if SecretPolicy.isConstant(row.value) {
                    visibility = "public (a constant)"
                } else {
                    visibility = "public (on the wire)"
                }
                return [
                    MD.code(row.name, inTable: true), "\(row.value.count)",
                    row.step[.client].map { stepLink($0) } ?? "—", row.step[.server].map { stepLink($0) } ?? "—",
                    visibility, value(row.value),
                ]
            })
    }

    // MARK: - Key log

    mutating func writeKeylog() {
        heading(2, Section.keylog.title)
        let lines = MD.lines(t.keylog).filter { !$0.isEmpty }
        if lines.isEmpty {
            paragraph("No traffic secrets were logged (the handshake did not get far enough).")
            return
        }
        paragraph(
            "The secrets in the NSS key log format (`SSLKEYLOGFILE`), which Wireshark reads to decrypt a capture of this connection: `tlslab export \(String(MD.line(t.scenario).map { $0 == "`" ? "'" : $0 })) --format keylog`. Each line is a label, the client random (which identifies the connection) and the secret.")
        codeBlock(redact ? lines.map(redactKeylogLine) : lines)
    }

    func redactKeylogLine(_ line: String) -> String {
        if line.hasPrefix("#") { return line }
        return line.split(separator: " ", omittingEmptySubsequences: false).enumerated().map { i, token in
            guard i > 0, let bytes = [UInt8](hex: String(token)), !bytes.isEmpty, policy.isSecret(bytes) else {
                return String(token)
            }
            return String(repeating: "_", count: token.count)
        }.joined(separator: " ")
    }

    // MARK: - Notes and footer

    mutating func writeNotes() {
        guard !t.notes.isEmpty else { return }
        heading(2, Section.notes.title)
        for note in t.notes { line("- " + MD.text(note)) }
        line()
    }

    mutating func writeFooter() {
        var command = "tlslab export \(String(MD.line(t.scenario).map { $0 == "`" ? "'" : $0 })) --format markdown"
        if !options.includeHex { command += " --no-hex" }
        if !options.includeSecrets { command += " --no-secrets" }
        line("---")
        line()
        line("Generated by TLSLab (transcript format \(MD.text(t.format)) version \(t.version)) with \(MD.code(command)).")
    }
}
