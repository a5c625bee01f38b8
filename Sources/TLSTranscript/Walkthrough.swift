import TLSCrypto
import TLSWire

/// One step of a walkthrough: one handshake message (or one record that carries no handshake message: a
/// ChangeCipherSpec, an alert, application data) crossing the channel, together with everything that happens
/// around it — the sender's work right after sending it and the receiver's reaction to it.
public struct WalkthroughStep: Sendable, Equatable {
    public var index: Int
    public var from: Side
    /// Index into `Transcript.records`.
    public var record: Int
    /// Index into `Transcript.messages` (nil for a record without a handshake message).
    public var message: Int?
    /// Ladder label: `ClientHello`, `ChangeCipherSpec`, `Alert: bad_record_mac`, `Application data (60 bytes)`.
    public var title: String
    public var encrypted: Bool
    /// Consecutive steps from the same side form a flight (numbered from 0).
    public var flight: Int
    /// Indices into `Transcript.events` that belong to this step, in order (the record event itself included).
    public var events: [Int]
    /// Which connection of the run (0-based).
    public var connection: Int = 0

    public init(
        index: Int, from: Side, record: Int, message: Int?, title: String, encrypted: Bool, flight: Int, events: [Int]
    ) {
        self.index = index
        self.from = from
        self.record = record
        self.message = message
        self.title = title
        self.encrypted = encrypted
        self.flight = flight
        self.events = events
    }
}

/// The transcript cut into steps — the shared model behind the UI's stepper and the Markdown handout, so both
/// tell the same story in the same order.
///
/// Attribution rule: each side's events attach to the step of its most recent *anchor*: the record it last sent
/// (its aftermath: e.g. the TLS 1.3 server derives its handshake keys right after sending ServerHello) or the
/// record it last started processing (its reaction: e.g. the server derives the master secret on receiving
/// ClientKeyExchange). Events before a side's first anchor (the client's randoms) attach to the first step.
public struct Walkthrough: Sendable {
    public let transcript: Transcript
    public let steps: [WalkthroughStep]

    public init(_ transcript: Transcript) {
        self.transcript = transcript
        var steps: [WalkthroughStep] = []
        var stepsOfRecord: [Int: [Int]] = [:]
        var anchor: [Side: Int] = [:]
        var leading: [Int] = []
        var flight = -1
        var lastSender: Side?

        for (e, event) in transcript.events.enumerated() {
            switch event.kind {
            case .record:
                guard let r = event.record, let entry = transcript.records.first(where: { $0.index == r }) else {
                    continue
                }
                if entry.from != lastSender {
                    flight += 1
                    lastSender = entry.from
                }
                let messages = entry.messages.filter { $0 < transcript.messages.count }
                let parts: [(Int?, String)] =
                    messages.isEmpty
                    ? [(nil, entry.summary)] : messages.map { ($0, transcript.messages[$0].name) }
                var created: [Int] = []
                for (m, title) in parts {
                    var step = WalkthroughStep(
                        index: steps.count, from: entry.from, record: r, message: m, title: title,
                        encrypted: entry.encrypted, flight: flight, events: [])
                    step.connection = entry.connection
                    created.append(step.index)
                    steps.append(step)
                }
                stepsOfRecord[r] = created
                if let first = created.first {
                    if steps.count == created.count { steps[first].events.append(contentsOf: leading) }
                    steps[first].events.append(e)
                }
                if let last = created.last { anchor[entry.from] = last }
            case .recordReceived:
                if let r = event.record, let side = event.side, let last = stepsOfRecord[r]?.last {
                    anchor[side] = last
                    steps[last].events.append(e)
                } else if let step = steps.last {
                    steps[step.index].events.append(e)
                }
            default:
                if let side = event.side, let step = anchor[side] {
                    steps[step].events.append(e)
                } else if let step = steps.last {
                    steps[step.index].events.append(e)
                } else {
                    leading.append(e)
                }
            }
        }
        self.steps = steps
    }

    /// Values `side` holds once step `index` is done, in the order it derived them, each marked new if it was
    /// derived at that step.
    public func knowledge(of side: Side, through index: Int) -> [(step: DerivationStep, new: Bool, event: Int)] {
        guard !steps.isEmpty else { return [] }
        let last = min(index, steps.count - 1)
        var out: [(step: DerivationStep, new: Bool, event: Int)] = []
        for s in 0...last {
            for e in steps[s].events {
                let event = transcript.events[e]
                if event.kind == .derivation, event.side == side, let d = event.derivation {
                    out.append((d, s == last, e))
                }
            }
        }
        return out
    }

    /// Events of a step by kind, e.g. the derivations that happen at it.
    public func events(of step: Int, kind: TranscriptEvent.Kind) -> [TranscriptEvent] {
        guard steps.indices.contains(step) else { return [] }
        return steps[step].events.map { transcript.events[$0] }.filter { $0.kind == kind }
    }

    /// Index of the step where the handshake failed (the first fatal alert), if it did.
    public var failureStep: Int? {
        guard let e = transcript.outcome.event else { return nil }
        return steps.firstIndex { $0.events.contains(e) }
    }
}
