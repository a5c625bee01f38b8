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

    public init(offset: Int, reason: String, alert: AlertDescription = .decodeError, path: [String] = []) {
        self.offset = offset
        self.reason = reason
        self.alert = alert
        self.path = path
    }

    public var description: String {
        let place = path.isEmpty ? "" : " in " + path.joined(separator: " › ")
        return "at offset \(offset)\(place): \(reason)"
    }
}
