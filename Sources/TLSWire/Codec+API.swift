// API CONTRACT for the wire codec. Signatures here are relied on by the layers above; the work is done in
// Messages+Codec.swift and Extensions+Codec.swift.

extension HandshakeBody {
    /// The whole encoded message, 4-byte header included (RFC 8446 §4). Encoding is canonical: decoding a message
    /// and encoding its body gives back the same bytes.
    public func encoded() -> [UInt8] { encodeMessage() }
    /// RFC 8446 §4 / RFC 5246 §7.4: the msg_type of this body.
    public var handshakeType: HandshakeType { typeForEncoding }
}

extension HandshakeMessage {
    /// Decodes one whole handshake message (header included; trailing bytes are a decode_error) and returns it
    /// with its field tree (root key = the message name, e.g. `client_hello`; offsets relative to `bytes`).
    /// `context` picks between the TLS 1.2 and 1.3 forms of Certificate, CertificateRequest and
    /// NewSessionTicket and between the RSA and ECDHE forms of ClientKeyExchange; nil fields are guessed from
    /// the bytes. The returned message keeps `bytes` exactly.
    public static func decode(_ bytes: [UInt8], context: DecodeContext) throws -> (HandshakeMessage, FieldNode) {
        try decodeMessage(bytes, context: context)
    }

    /// Decodes like `decode` — same checks, same errors — without building the field tree (what a protocol
    /// endpoint needs; the transcript builds the tree once, for display).
    public static func parse(_ bytes: [UInt8], context: DecodeContext) throws -> HandshakeMessage {
        try decodeMessage(bytes, context: context, fields: false).0
    }
}

extension Array where Element == Extension {
    /// The body of the first extension of `type`, if present.
    public func body(of type: ExtensionType) -> ExtensionBody? { first { $0.type == type }?.body }
    public func contains(_ type: ExtensionType) -> Bool { contains { $0.type == type } }
}

extension ClientHello {
    /// RFC 8446 §4.2.11.2: the ClientHello message bytes up to but not including the binders list
    /// (`bytes` is the whole encoded ClientHello with its handshake header). The binders list is the last field
    /// of the last extension, so this is `bytes` minus its final `2 + Σ(1 + binder length)` bytes. Throws if
    /// `bytes` is not a valid ClientHello or carries no pre_shared_key extension.
    public static func truncatedForBinders(_ bytes: [UInt8]) throws -> [UInt8] {
        let (message, _) = try HandshakeMessage.decode(bytes, context: DecodeContext())
        guard case .clientHello(let hello) = message.body else {
            throw DecodeError(offset: 0, reason: "not a ClientHello (msg_type \(message.type.labelled))")
        }
        guard let last = hello.extensions.last, last.type == .preSharedKey,
            case .offeredPSKs(let offered) = last.body
        else {
            throw DecodeError(
                offset: 0, reason: "this ClientHello has no pre_shared_key extension, so it has no binders",
                alert: .missingExtension)
        }
        let bindersLength = 2 + offered.binders.reduce(0) { $0 + 1 + $1.count }
        return Array(bytes.prefix(bytes.count - bindersLength))
    }
}

/// Collects handshake-record fragments and yields whole handshake messages (RFC 8446 §5.1: messages may be split
/// across records and several may share one record). A declared length over `maxMessageLength` is an error
/// as soon as the 4-byte header is seen, before waiting for (or keeping) the body.
public struct HandshakeReassembler: Sendable {
    public static let defaultMaxMessageLength = 1 << 16
    public let maxMessageLength: Int
    public private(set) var buffered: [UInt8] = []
    public init(maxMessageLength: Int = defaultMaxMessageLength) { self.maxMessageLength = maxMessageLength }
    public mutating func append(_ fragment: [UInt8]) { buffered.append(contentsOf: fragment) }
    /// The next whole message (header included), or nil if more bytes are needed. Throws a decode_error (offset
    /// relative to `buffered`) when the next message declares more than `maxMessageLength` bytes of body.
    public mutating func next() throws -> [UInt8]? {
        guard buffered.count >= 4 else { return nil }
        let length = Int(buffered[1]) << 16 | Int(buffered[2]) << 8 | Int(buffered[3])
        if length > maxMessageLength {
            let type = HandshakeType(rawValue: buffered[0])
            throw DecodeError(
                offset: 1,
                reason: "\(type.displayName) declares a \(length)-byte body, more than the \(maxMessageLength) "
                    + "bytes this endpoint accepts for one handshake message; refusing to buffer it",
                alert: .decodeError)
        }
        guard buffered.count >= 4 + length else { return nil }
        let message = Array(buffered[0..<(4 + length)])
        buffered.removeFirst(4 + length)
        return message
    }
    public var isEmpty: Bool { buffered.isEmpty }
}
