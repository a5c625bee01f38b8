// API CONTRACT for the wire codec (bodies to be implemented). Signatures here are relied on by the layers above.

extension HandshakeBody {
    /// The whole encoded message, 4-byte header included.
    public func encoded() -> [UInt8] { fatalError("unimplemented") }
    public var handshakeType: HandshakeType { fatalError("unimplemented") }
}

extension HandshakeMessage {
    /// Decodes one whole handshake message (header included; trailing bytes are a decode_error) and returns it
    /// with its field tree (root key = the message name, e.g. `client_hello`; offsets relative to `bytes`).
    public static func decode(_ bytes: [UInt8], context: DecodeContext) throws -> (HandshakeMessage, FieldNode) {
        fatalError("unimplemented")
    }
}

extension Array where Element == Extension {
    /// The body of the first extension of `type`, if present.
    public func body(of type: ExtensionType) -> ExtensionBody? { first { $0.type == type }?.body }
    public func contains(_ type: ExtensionType) -> Bool { contains { $0.type == type } }
}

extension ClientHello {
    /// RFC 8446 §4.2.11.2: the ClientHello message bytes up to but not including the binders list
    /// (`bytes` is the whole encoded ClientHello with its handshake header).
    public static func truncatedForBinders(_ bytes: [UInt8]) throws -> [UInt8] { fatalError("unimplemented") }
}

/// Collects handshake-record fragments and yields whole handshake messages (RFC 8446 §5.1: messages may be split
/// across records and several may share one record). A declared length over `maxMessageLength` is an error
/// before anything is buffered.
public struct HandshakeReassembler: Sendable {
    public static let defaultMaxMessageLength = 1 << 16
    public let maxMessageLength: Int
    public private(set) var buffered: [UInt8] = []
    public init(maxMessageLength: Int = defaultMaxMessageLength) { self.maxMessageLength = maxMessageLength }
    public mutating func append(_ fragment: [UInt8]) { buffered.append(contentsOf: fragment) }
    /// The next whole message (header included), or nil if more bytes are needed.
    public mutating func next() throws -> [UInt8]? { fatalError("unimplemented") }
    public var isEmpty: Bool { buffered.isEmpty }
}
