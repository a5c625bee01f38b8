/// RFC 5246 §6.1 ConnectionEnd: which side of a connection.
public enum Side: String, Sendable, Codable, Equatable, CustomStringConvertible {
    case client, server
    public var peer: Side { self == .client ? .server : .client }
    public var description: String { rawValue }
}
