/// RFC 8446 §5.1 / RFC 5246 §6.2.1: one record as it crosses the wire.
///
///     struct { ContentType type; ProtocolVersion legacy_record_version; uint16 length; opaque fragment[length]; }
public struct TLSRecord: Sendable, Equatable {
    public static let headerLength = 5
    /// RFC 8446 §5.1: 2^14 bytes of plaintext.
    public static let maxPlaintext = 1 << 14
    /// RFC 8446 §5.2: a TLSCiphertext fragment may exceed the plaintext limit by at most 256 bytes
    /// (RFC 5246 §6.2.3 allows 2048 in TLS 1.2).
    public static let maxCiphertext13 = (1 << 14) + 256
    public static let maxCiphertext12 = (1 << 14) + 2048

    public var contentType: ContentType
    public var legacyVersion: ProtocolVersion
    public var fragment: [UInt8]

    public init(contentType: ContentType, legacyVersion: ProtocolVersion = .tls12, fragment: [UInt8]) {
        self.contentType = contentType
        self.legacyVersion = legacyVersion
        self.fragment = fragment
    }

    /// The whole record: 5-byte header + fragment.
    public var bytes: [UInt8] {
        var w = ByteWriter()
        w.u8(contentType.rawValue)
        w.u16(legacyVersion.rawValue)
        w.opaque(fragment, lengthSize: 2)
        return w.bytes
    }

    /// Header fields for the hex view: content type, version, length, fragment.
    public func headerFields(fragmentValue: String? = nil) -> [FieldNode] {
        [
            FieldNode(
                key: "record.content_type", name: "content_type", value: contentType.labelled, offset: 0, length: 1),
            FieldNode(
                key: "record.legacy_version", name: "legacy_record_version", value: legacyVersion.labelled,
                offset: 1, length: 2),
            FieldNode(key: "record.length", name: "length", value: "\(fragment.count)", offset: 3, length: 2),
            FieldNode(
                key: "record.fragment", name: "fragment", value: fragmentValue ?? fragment.hexPreview(),
                offset: 5, length: fragment.count),
        ]
    }

    /// Decodes one record from the front of `reader`. A length over `maxFragment` is a `record_overflow` before any
    /// byte of the fragment is read (so a hostile length costs nothing).
    public static func decode(from reader: inout ByteReader, maxFragment: Int = maxCiphertext12) throws -> TLSRecord {
        let start = reader.position
        let type = ContentType(rawValue: try reader.u8())
        let version = ProtocolVersion(rawValue: try reader.u16())
        let lengthOffset = reader.position
        let length = Int(try reader.u16())
        if length > maxFragment {
            throw DecodeError(
                offset: lengthOffset,
                reason: "record length \(length) exceeds the limit of \(maxFragment) bytes",
                alert: .recordOverflow)
        }
        guard length <= reader.remaining else {
            throw DecodeError(
                offset: start,
                reason: "truncated record: header says \(length) bytes of fragment, only \(reader.remaining) remain")
        }
        let fragment = try reader.bytes(length, "record fragment")
        return TLSRecord(contentType: type, legacyVersion: version, fragment: fragment)
    }

    /// Splits a byte stream into whole records. Returns the records and the number of bytes consumed; a trailing
    /// partial record is left for the caller to complete.
    public static func split(_ stream: [UInt8], maxFragment: Int = maxCiphertext12) throws -> (records: [TLSRecord], consumed: Int) {
        var reader = ByteReader(stream)
        var out: [TLSRecord] = []
        while reader.remaining >= headerLength {
            guard let header = reader.peek(headerLength) else { break }
            let length = Int(header[3]) << 8 | Int(header[4])
            if length > maxFragment {
                throw DecodeError(
                    offset: reader.position + 3,
                    reason: "record length \(length) exceeds the limit of \(maxFragment) bytes",
                    alert: .recordOverflow)
            }
            if reader.remaining < headerLength + length { break }
            out.append(try decode(from: &reader, maxFragment: maxFragment))
        }
        return (out, reader.position)
    }
}

/// RFC 8446 §6 / RFC 5246 §7.2: `struct { AlertLevel level; AlertDescription description; }`.
public struct Alert: Sendable, Equatable, Codable, CustomStringConvertible {
    public var level: AlertLevel
    public var description_: AlertDescription

    public init(level: AlertLevel, description: AlertDescription) {
        self.level = level
        self.description_ = description
    }

    public static func fatal(_ d: AlertDescription) -> Alert { Alert(level: .fatal, description: d) }
    public static let closeNotify = Alert(level: .warning, description: .closeNotify)

    public var bytes: [UInt8] { [level.rawValue, description_.rawValue] }

    public var description: String { "\(level) \(description_) (\(description_.rawValue))" }

    public static func decode(_ bytes: [UInt8]) throws -> (Alert, FieldNode) {
        let (alert, nodes) = try decode(bytes, fields: true)
        return (alert, nodes.first ?? FieldNode(key: "alert", name: "alert", value: alert.description, offset: 0, length: 2))
    }

    /// The alert alone, without its field tree (what an endpoint needs); the same checks and errors as `decode`.
    public static func parse(_ bytes: [UInt8]) throws -> Alert {
        try decode(bytes, fields: false).alert
    }

    private static func decode(_ bytes: [UInt8], fields: Bool) throws -> (alert: Alert, nodes: [FieldNode]) {
        var r = ByteReader(bytes, recordsFields: fields)
        let alert = try r.field("alert", value: { (a: Alert) in a.description }) { r in
            let level = try r.field("alert.level", "level", value: { (l: AlertLevel) in l.labelled }) {
                AlertLevel(rawValue: try $0.u8())
            }
            let d = try r.field("alert.description", "description", value: { (d: AlertDescription) in d.labelled }) {
                AlertDescription(rawValue: try $0.u8())
            }
            return Alert(level: level, description: d)
        }
        try r.expectEnd("the alert (an alert is exactly 2 bytes)")
        return (alert, r.recorded)
    }
}
