import TLSCrypto
import TLSTeaching
import TLSTranscript
import TLSWire

/// One connection of a run, as the ladder's divider and the titles name it.
public struct ConnectionSummary: Equatable, Sendable {
    /// 0-based.
    public var index: Int
    /// `first visit (full handshake)`, `second visit (resumed with the ticket)`.
    public var label: String
    public var resumed: Bool
    public var helloRetry: Bool
    /// `completed`, `failed: bad_record_mac`, `incomplete`.
    public var outcome: String
    public var failed: Bool
    /// The first step of the connection (nil when it has no records).
    public var firstStep: Int?
}

/// The transcript prepared for the stepper: the walkthrough's steps with everything each pane shows — field rows
/// and hex buffers, who knows what, the narration — and every derivation with the origin of its inputs. Built
/// once when a transcript is opened, so drawing a step only lays out text.
public struct StepperData: Sendable {
    public let transcript: Transcript
    public let walkthrough: Walkthrough
    public let steps: [StepInfo]
    /// Every derivation, by event index.
    public let derivations: [Int: DerivationInfo]
    /// The step each event belongs to.
    public let stepOfEvent: [Int: Int]
    /// `TLS 1.3`, `TLS 1.2` (what was negotiated, else what the client offered first).
    public let versionLabel: String
    /// `RSA`, `ECDHE`, `(EC)DHE` (empty when nothing was negotiated).
    public let keyExchangeLabel: String
    /// The connections of the run (one for most scenarios).
    public let connections: [ConnectionSummary]
    /// Steps that are walkthrough steps (the epilogue, if any, comes after them).
    public let exchangeStepCount: Int
    /// The step where the failure-lab note belongs: the failure, else the eavesdropper epilogue, else the last
    /// step (nil without a lab note).
    public let labStep: Int?

    public init(_ transcript: Transcript) {
        self.transcript = transcript
        let w = Walkthrough(transcript)
        walkthrough = w
        var stepOfEvent: [Int: Int] = [:]
        for step in w.steps { for e in step.events { stepOfEvent[e] = step.index } }
        self.stepOfEvent = stepOfEvent
        versionLabel = transcript.negotiated?.version ?? transcript.configuration.clientVersions.first ?? "TLS"
        keyExchangeLabel = transcript.negotiated?.keyExchange ?? ""
        derivations = Provenance.resolve(transcript: transcript, stepOfEvent: stepOfEvent, stepTitles: w.steps.map(\.title))
        connections = Self.connections(transcript, w)

        var steps: [StepInfo] = []
        steps.reserveCapacity(w.steps.count)
        for step in w.steps {
            let record = transcript.records.indices.contains(step.record) ? transcript.records[step.record] : nil
            let tree = FieldTreeBuilder.build(step: step, transcript: transcript)
            let events = step.events.compactMap { transcript.events.indices.contains($0) ? ($0, transcript.events[$0]) : nil }
            let isAlert =
                record?.innerContentType == "alert"
                || events.contains { $0.1.kind == .alertSent && $0.1.side == step.from }
            // Who knows what in this step's connection (a resumed connection starts from its own randoms).
            func known(_ side: Side) -> [KnownValue] {
                w.knowledge(of: side, through: step.index).filter { transcript.events[$0.event].connection == step.connection }
                    .map { KnownValue(event: $0.event, name: $0.step.name, value: $0.step.output, new: $0.new) }
            }
            var info = StepInfo(
                index: step.index, from: step.from, title: step.title, shortTitle: Self.shortTitle(step.title),
                encrypted: step.encrypted, outerType: record?.contentType ?? "",
                innerType: record?.innerContentType ?? "", flight: step.flight, record: step.record,
                recordLength: record.map { $0.bytes.count } ?? 0, message: step.message, isAlert: isAlert,
                derivations: events.filter { $0.1.kind == .derivation }.map(\.0),
                narration: Narrator.narrate(step: step, in: w), fields: tree.rows, buffers: tree.buffers,
                defaultField: tree.defaultRow, client: known(.client), server: known(.server))
            info.connection = step.connection
            info.explanations = Explanations.forStep(step.index, in: w)
            info.channelNote = record?.channelNote
            steps.append(info)
        }
        exchangeStepCount = steps.count
        if let epilogue = Self.epilogue(transcript, steps: steps) { steps.append(epilogue) }
        self.steps = steps
        if transcript.lab == nil {
            labStep = nil
        } else {
            labStep = w.failureStep ?? (steps.isEmpty ? nil : steps.count - 1)
        }
    }

    /// The run's connections, from `Transcript.connections` (or from the records of a transcript without them).
    static func connections(_ t: Transcript, _ w: Walkthrough) -> [ConnectionSummary] {
        let count = max(t.connections.count, (w.steps.map(\.connection).max() ?? 0) + 1)
        return (0..<count).map { c in
            let info = t.connections.first { $0.index == c }
            let outcome: String
            var failed = false
            switch info?.outcome.status {
            case .completed?: outcome = "completed"
            case .failed?:
                outcome = "failed: \(info?.outcome.alert?.description ?? "error")"
                failed = true
            case .incomplete?:
                outcome = "incomplete"
                failed = true
            case nil: outcome = ""
            }
            return ConnectionSummary(
                index: c, label: info?.label ?? "connection \(c + 1)", resumed: info?.resumed ?? false,
                helloRetry: info?.helloRetry ?? false, outcome: outcome, failed: failed,
                firstStep: w.steps.first { $0.connection == c }?.index)
        }
    }

    /// The pseudo-step after the last record: what a passive eavesdropper recomputes and reads later (the
    /// transcript's `.eavesdropper` events), each recomputed value with its bytes; nil when there are none.
    static func epilogue(_ t: Transcript, steps: [StepInfo]) -> StepInfo? {
        let events = t.events.enumerated().filter { $0.element.kind == .eavesdropper }
        guard !events.isEmpty, let last = steps.last else { return nil }
        var rows: [FieldRow] = []
        var buffers: [HexBuffer] = []
        var explanations: [Explanation] = []
        var texts: [String] = []
        func add(_ name: String, _ value: String, meaning: String?, range: ByteRange? = nil, depth: Int = 0,
            parent: Int? = nil, explanation: Explanation? = nil, expanded: Bool = false) -> Int {
            let id = rows.count
            rows.append(
                FieldRow(
                    id: id, depth: depth, parent: parent, name: name, value: value, meaning: meaning, range: range,
                    key: nil, explanation: explanation, subtreeEnd: id + 1, expandedByDefault: expanded))
            return id
        }
        let clientValues = Dictionary(last.client.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a })
        var recomputed = 0
        for (_, event) in events {
            if let d = event.derivation {
                recomputed += 1
                let b = buffers.count
                buffers.append(
                    HexBuffer(
                        kind: .value, title: "\(d.name) recomputed by the eavesdropper (\(Format.bytes(d.output.count)))",
                        note: "offset 0 = the value's first byte", bytes: d.output))
                var meaning = d.formula
                if let mine = clientValues[d.name] {
                    meaning += mine == d.output ? ". The very bytes the client derived." : ". (Differs from the client's value.)"
                }
                let explanation = Explanations.derivation(d, in: t, connection: event.connection)
                if let explanation { explanations.append(explanation) }
                _ = add(
                    d.name, Format.hex(d.output), meaning: meaning,
                    range: ByteRange(buffer: b, start: 0, length: d.output.count), explanation: explanation)
                continue
            }
            let text = event.text ?? ""
            texts.append(text)
            // `\r\n` is one Character: split on every kind of line break.
            let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
            if lines.count > 1 {
                let head = lines[0]
                let id = add("reads", head, meaning: "What the recorded traffic decrypts to.", expanded: true)
                for (k, line) in lines.dropFirst().enumerated() where !(k == lines.count - 2 && line.isEmpty) {
                    _ = add("line \(k + 2)", "\"\(line)\"", meaning: nil, depth: 1, parent: id)
                }
                rows[id].subtreeEnd = rows.count
            } else {
                _ = add(rows.isEmpty ? "after the run" : "finding", text, meaning: text)
            }
        }
        let intro = texts.first ?? "After the run: what a passive eavesdropper can do with the recording."
        let conclusion = texts.count > 1 ? texts[texts.count - 1] : ""
        // The question and its answer when both fit the narration's three lines at 80 columns, else the answer
        // (the question is the first row of the message pane).
        var narration = intro
        if !conclusion.isEmpty {
            let both = intro + " " + conclusion
            narration = TextLayout.wrap(both, width: 78, glyphs: .utf8).count <= 3 ? both : conclusion
        } else if recomputed > 0 {
            narration += " It recomputes \(recomputed) value\(recomputed == 1 ? "" : "s") from the recording."
        }
        var info = StepInfo(
            index: steps.count, from: .client, title: "What an eavesdropper can read later",
            shortTitle: "Eavesdropper, later", encrypted: false, outerType: "", innerType: "",
            flight: last.flight + 1, record: -1, recordLength: 0, message: nil, isAlert: false, derivations: [],
            narration: narration, fields: rows, buffers: buffers, defaultField: 0,
            client: last.client.map { KnownValue(event: $0.event, name: $0.name, value: $0.value, new: false) },
            server: last.server.map { KnownValue(event: $0.event, name: $0.name, value: $0.value, new: false) })
        info.kind = .epilogue
        info.connection = last.connection
        // First the page itself: what a recording is worth once a long-term key leaks — forward secrecy, which
        // TLS 1.3 made mandatory (RFC 8446 §1.2).
        let page = Explanation(
            kind: .field, key: "eavesdropper", title: "What an eavesdropper can read later", summary: intro,
            detail: conclusion.isEmpty ? intro : intro + " " + conclusion, rfc: "RFC 8446 §1.2",
            topic: "forward-secrecy")
        info.explanations = [page] + explanations
        return info
    }

    /// `Application data (60 bytes)` → `App data (60 B)`; other titles unchanged.
    static func shortTitle(_ title: String) -> String {
        guard title.hasPrefix("Application data (") else { return title }
        let inside = title.dropFirst("Application data (".count).prefix { $0 != " " && $0 != ")" }
        return "App data (\(inside) B)"
    }

    /// The first step after `index` (wrapping around to the start) that satisfies `predicate`.
    public func nextStep(after index: Int, where predicate: (StepInfo) -> Bool) -> Int? {
        guard !steps.isEmpty else { return nil }
        for offset in 1...steps.count {
            let i = (index + offset) % steps.count
            if predicate(steps[i]) { return i }
        }
        return nil
    }

    /// The step where the handshake failed, if it did.
    public var failureStep: Int? { walkthrough.failureStep }

    /// A one-line outcome: `completed: TLS 1.2 with …` or `failed: client sent fatal alert …`.
    public var outcomeLine: String {
        let t = transcript
        switch t.outcome.status {
        case .completed:
            let n = t.negotiated
            return "completed: \(n?.version ?? "?") with \(n?.cipherSuite ?? "?")\(n?.group.map { ", \($0)" } ?? "")"
        case .failed:
            let a = t.outcome.alert
            return "failed: the \(a?.sentBy.description ?? "?") sent a \(a?.level ?? "") \(a?.description ?? "?") alert"
        case .incomplete:
            return "incomplete: the connection stopped before the handshake finished"
        }
    }
}
