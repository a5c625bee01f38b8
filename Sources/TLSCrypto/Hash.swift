import Crypto
import TLSWire

/// Hash functions TLS uses (TLS 1.2 PRF / HMAC, TLS 1.3 HKDF and transcript hash).
///
/// RFC 5246 §5 (P_hash over HMAC), RFC 2104 (HMAC), RFC 8446 §4.4.1 (transcript hash), RFC 8446 §7.1 (HKDF).
/// Every primitive comes from swift-crypto.
public enum HashAlgorithm: String, Sendable, Codable, Equatable {
    case sha1, sha256, sha384

    /// Output size in bytes (`Hash.length` in RFC 8446).
    public var outputLength: Int {
        switch self {
        case .sha1: 20
        case .sha256: 32
        case .sha384: 48
        }
    }

    /// Hash(data).
    public func hash(_ data: [UInt8]) -> [UInt8] {
        switch self {
        case .sha1: Array(Insecure.SHA1.hash(data: data))
        case .sha256: Array(SHA256.hash(data: data))
        case .sha384: Array(SHA384.hash(data: data))
        }
    }

    /// HMAC(key, data) (RFC 2104).
    public func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        let key = SymmetricKey(data: key)
        switch self {
        case .sha1: return Array(HMAC<Insecure.SHA1>.authenticationCode(for: data, using: key))
        case .sha256: return Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
        case .sha384: return Array(HMAC<SHA384>.authenticationCode(for: data, using: key))
        }
    }

    /// `SHA-256`, `SHA-384`, `SHA-1`.
    public var displayName: String {
        switch self {
        case .sha1: "SHA-1"
        case .sha256: "SHA-256"
        case .sha384: "SHA-384"
        }
    }

    /// `HMAC-SHA256`-style name, as cipher suite names and RFC 5246 write it.
    public var hmacName: String {
        switch self {
        case .sha1: "HMAC-SHA1"
        case .sha256: "HMAC-SHA256"
        case .sha384: "HMAC-SHA384"
        }
    }

    /// Hash of a sequence of byte strings, fed to the hash one by one (no concatenated copy).
    func hash(parts: [[UInt8]]) -> [UInt8] {
        func run<H: HashFunction>(_ hasher: inout H) -> [UInt8] {
            for part in parts { hasher.update(data: part) }
            return Array(hasher.finalize())
        }
        switch self {
        case .sha1:
            var h = Insecure.SHA1()
            return run(&h)
        case .sha256:
            var h = SHA256()
            return run(&h)
        case .sha384:
            var h = SHA384()
            return run(&h)
        }
    }
}

/// Running transcript hash (RFC 8446 §4.4.1; RFC 5246 §7.4.9 handshake_messages). Keeps the messages so the hash
/// can be switched once the suite (and so the hash) is known, and so `message_hash` can replace ClientHello1.
public struct TranscriptHash: Sendable {
    public private(set) var messages: [[UInt8]] = []
    public var hashAlgorithm: HashAlgorithm
    public init(hashAlgorithm: HashAlgorithm) { self.hashAlgorithm = hashAlgorithm }
    public mutating func append(_ message: [UInt8]) { messages.append(message) }

    /// Hash of everything appended so far: Transcript-Hash(M1 ‖ M2 ‖ … ‖ Mn).
    public func current() -> [UInt8] { hashAlgorithm.hash(parts: messages) }

    /// RFC 8446 §4.4.1: replace the messages so far (ClientHello1) by
    /// `message_hash(254) ‖ 00 00 Hash.length ‖ Hash(ClientHello1)` after a HelloRetryRequest.
    public mutating func replaceWithMessageHash() {
        let digest = current()
        let synthetic: [UInt8] =
            [HandshakeType.messageHash.rawValue, 0, 0, UInt8(truncatingIfNeeded: digest.count)] + digest
        messages = [synthetic]
    }

    /// Concatenation of all messages (TLS 1.2 handshake_messages).
    public var concatenated: [UInt8] { messages.flatMap { $0 } }
}
