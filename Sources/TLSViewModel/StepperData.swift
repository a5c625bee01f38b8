import TLSCrypto
import TLSTranscript
import TLSWire

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

        var steps: [StepInfo] = []
        steps.reserveCapacity(w.steps.count)
        for step in w.steps {
            let record = transcript.records.indices.contains(step.record) ? transcript.records[step.record] : nil
            let tree = FieldTreeBuilder.build(step: step, transcript: transcript)
            let events = step.events.compactMap { transcript.events.indices.contains($0) ? ($0, transcript.events[$0]) : nil }
            let isAlert =
                record?.innerContentType == "alert"
                || events.contains { $0.1.kind == .alertSent && $0.1.side == step.from }
            func known(_ side: Side) -> [KnownValue] {
                w.knowledge(of: side, through: step.index).map {
                    KnownValue(event: $0.event, name: $0.step.name, value: $0.step.output, new: $0.new)
                }
            }
            steps.append(
                StepInfo(
                    index: step.index, from: step.from, title: step.title, shortTitle: Self.shortTitle(step.title),
                    encrypted: step.encrypted, outerType: record?.contentType ?? "",
                    innerType: record?.innerContentType ?? "", flight: step.flight, record: step.record,
                    recordLength: record.map { $0.hex.count / 2 } ?? 0, message: step.message, isAlert: isAlert,
                    derivations: events.filter { $0.1.kind == .derivation }.map(\.0),
                    narration: Narrator.narrate(step: step, in: w), fields: tree.rows, buffers: tree.buffers,
                    defaultField: tree.defaultRow, client: known(.client), server: known(.server)))
        }
        self.steps = steps
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
