import TLSCrypto
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
    }

    public var kind: Kind
    /// Pane title, e.g. `record 3 on the wire (32 bytes)`.
    public var title: String
    /// One line that says how offsets map, e.g. `offset 0 = first decrypted byte; Finished is bytes 0–15`.
    public var note: String
    public var bytes: [UInt8]
    /// Ranges shown dimmed (record headers, other messages of the same record).
    public var dimmed: [Range<Int>]

    public init(kind: Kind, title: String, note: String, bytes: [UInt8], dimmed: [Range<Int>] = []) {
        self.kind = kind
        self.title = title
        self.note = note
        self.bytes = bytes
        self.dimmed = dimmed
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

/// Everything the stepper shows for one step, computed once when the transcript is opened.
public struct StepInfo: Sendable {
    public var index: Int
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
}
