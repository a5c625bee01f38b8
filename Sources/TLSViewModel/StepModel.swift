import TLSCrypto
import TLSTeaching
import TLSTranscript
import TLSWire

/// Bytes a field came from: a buffer of the step's hex pane (`StepInfo.buffers`) and a range in it.
public struct ByteRange: Equatable, Sendable {
    public var buffer: Int
    public var start: Int
    public var length: Int

    public init(buffer: Int, start: Int, length: Int) {
        self.buffer = buffer
        self.start = start
        self.length = length
    }

    public var range: Range<Int> { start..<(start + length) }
}

/// A byte string the hex pane can show, with a label that says what offset 0 is.
public struct HexBuffer: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        /// A record exactly as it crossed the wire (5-byte header + fragment).
        case wire
        /// The decrypted content of an encrypted record (TLS 1.3: without the inner content-type byte and
        /// padding; TLS 1.2: without the explicit IV, MAC and padding).
        case plaintext
        /// The bytes of one handshake message that was split over several records.
        case message
        /// A record as its sender wrote it, before the channel changed it (tamper and rewrite scenarios).
        case original
        /// A value recomputed after the run (what an eavesdropper derives).
        case value
    }

    public var kind: Kind
    /// Pane title, e.g. `record 3 on the wire (32 bytes)`.
    public var title: String
    /// One line that says how offsets map, e.g. `offset 0 = first decrypted byte; Finished is bytes 0–15`.
    public var note: String
    public var bytes: [UInt8]
    /// Ranges shown dimmed (record headers, other messages of the same record).
    public var dimmed: [Range<Int>]
    /// Bytes the channel changed (drawn in the alert style): where the record as delivered and the record as sent
    /// differ.
    public var changed: [Range<Int>]

    public init(
        kind: Kind, title: String, note: String, bytes: [UInt8], dimmed: [Range<Int>] = [], changed: [Range<Int>] = []
    ) {
        self.kind = kind
        self.title = title
        self.note = note
        self.bytes = bytes
        self.dimmed = dimmed
        self.changed = changed
    }
}

/// One row of the message pane's field tree, flattened depth-first (parents before children).
public struct FieldRow: Equatable, Sendable {
    /// Position in `StepInfo.fields`.
    public var id: Int
    public var depth: Int
    public var parent: Int?
    public var name: String
    public var value: String
    public var meaning: String?
    public var range: ByteRange?
    /// The decoded field's key (`client_hello.random`), when the row is a decoded field.
    public var key: String?
    /// The plain-language explanation with its RFC section (`Explanations`), looked up once when the transcript is
    /// opened.
    public var explanation: Explanation?
    /// Drawn in the alert style (what the channel did to a record).
    public var isAlert = false
    /// Index after this row's last descendant (== id + 1 for a leaf).
    public var subtreeEnd: Int
    /// Shown expanded until the user collapses it.
    public var expandedByDefault: Bool

    public var hasChildren: Bool { subtreeEnd > id + 1 }
}

/// A value one side holds at a step.
public struct KnownValue: Equatable, Sendable {
    /// Index into `Transcript.events` of the derivation.
    public var event: Int
    public var name: String
    public var value: [UInt8]
    /// Derived at this very step.
    public var new: Bool
}

/// What a step of the stepper is.
public enum StepKind: Equatable, Sendable {
    /// A handshake message or a record crossing the channel (a `WalkthroughStep`).
    case exchange
    /// After the last record: what an eavesdropper who recorded the traffic can read later (the transcript's
    /// `.eavesdropper` events).
    case epilogue
}

/// Everything the stepper shows for one step, computed once when the transcript is opened.
public struct StepInfo: Sendable {
    public var index: Int
    public var kind: StepKind = .exchange
    /// Which connection of the run (0-based).
    public var connection: Int = 0
    public var from: Side
    public var title: String
    /// A shorter title for narrow ladders (`App data (60 B)`).
    public var shortTitle: String
    public var encrypted: Bool
    /// TLS 1.3: the record's type on the wire (`application_data`) hides the real one (`innerType`).
    public var outerType: String
    public var innerType: String
    public var flight: Int
    /// Index into `Transcript.records`.
    public var record: Int
    public var recordLength: Int
    /// Index into `Transcript.messages`.
    public var message: Int?
    /// The record carries an alert (or an alert event happens here).
    public var isAlert: Bool
    /// Derivations at this step (event indices, both sides, in order).
    public var derivations: [Int]
    public var narration: String
    public var fields: [FieldRow]
    public var buffers: [HexBuffer]
    /// The row selected when the step is first shown.
    public var defaultField: Int
    public var client: [KnownValue]
    public var server: [KnownValue]
    /// Explanations of the step: the message (or the record's content type / alert), alerts, derived values
    /// (`Explanations.forStep`).
    public var explanations: [Explanation] = []
    /// What the channel did to this step's record (tamper, rewrite, drop, replay).
    public var channelNote: String?

    public var isEpilogue: Bool { kind == .epilogue }

    public func knowledge(_ side: Side) -> [KnownValue] { side == .client ? client : server }
}

/// Where one input of a derivation came from.
public struct InputOrigin: Equatable, Sendable {
    public var input: DerivationInput
    /// The derivation event (same side, earlier) that produced this value, if there is one.
    public var derivedBy: Int?
    /// The sentence shown under the input: the recorded source and, when found, the step that derived it.
    public var explanation: String
}

/// One derivation with the context the overlay shows.
public struct DerivationInfo: Equatable, Sendable {
    public var event: Int
    public var side: Side
    public var step: Int
    public var derivation: DerivationStep
    public var inputs: [InputOrigin]
    /// The other side's derivation of a value with the same name, if any.
    public var peer: Int?
    /// Whether the peer's value has the same bytes.
    public var peerAgrees: Bool?
    /// What the value is, in plain language, with its RFC section.
    public var explanation: Explanation?
}
