/// Why a run of bytes is not a valid TLS structure, where, and which alert a TLS peer sends for it.
///
/// The `reason` is written for a learner: it says what was expected and what was found.
public struct DecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Offset (in the buffer being decoded) where the problem was found.
    public var offset: Int
    /// What is wrong, in plain words.
    public var reason: String
    /// The alert RFC 8446 §6.2 / RFC 5246 §7.2.2 prescribes: `decode_error` for bad lengths and truncations,
    /// `illegal_parameter` for well-formed but forbidden values.
    public var alert: AlertDescription
    /// Field names from the outermost structure to the innermost, e.g. `["client_hello", "extensions", "key_share"]`.
    public var path: [String]
    /// The fields decoded before the problem, up to and including the structures that were cut short (their
    /// values say so). Lets a dissector show a learner everything that *was* readable. Offsets are in the same
    /// buffer as `offset`. Diagnostic only: not part of `==`.
    public var partialFields: [FieldNode]

    public init(
        offset: Int, reason: String, alert: AlertDescription = .decodeError, path: [String] = [],
        partialFields: [FieldNode] = []
    ) {
        self.offset = offset
        self.reason = reason
        self.alert = alert
        self.path = path
        self.partialFields = partialFields
    }

    /// Two errors are equal when they report the same problem at the same place (partial fields are ignored).
    public static func == (a: DecodeError, b: DecodeError) -> Bool {
        a.offset == b.offset && a.reason == b.reason && a.alert == b.alert && a.path == b.path
    }

    /// The same error with its offset (and the offsets of its partial fields) moved by `delta`, for placing an
    /// error found inside a message at its position in a larger buffer.
    public func shifted(by delta: Int) -> DecodeError {
        var copy = self
        copy.offset += delta
        copy.partialFields = partialFields.map { $0.shifted(by: delta) }
        return copy
    }

    public var description: String {
        let place = path.isEmpty ? "" : " in " + path.joined(separator: " › ")
        return "at offset \(offset)\(place): \(reason)"
    }
}
