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

    /// Hash("") — Transcript-Hash of no messages, the context of every "derived" step (a constant).
    public var emptyHash: [UInt8] {
        switch self {
        case .sha1: Self.emptySHA1
        case .sha256: Self.emptySHA256
        case .sha384: Self.emptySHA384
        }
    }
    private static let emptySHA1 = HashAlgorithm.sha1.hash([])
    private static let emptySHA256 = HashAlgorithm.sha256.hash([])
    private static let emptySHA384 = HashAlgorithm.sha384.hash([])

    /// HMAC(key, data) (RFC 2104).
    public func hmac(key: [UInt8], data: [UInt8]) -> [UInt8] { KeyedHMAC(hash: self, key: key).mac([data]) }

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
}

/// HKDF (RFC 5869) over swift-crypto's HMAC, with the PRK's HMAC keyed once: every HKDF-Expand from the same PRK
/// (a TLS 1.3 secret gives a key, an IV and a Finished key, or several traffic secrets) copies the keyed state
/// instead of padding and hashing the key again. swift-crypto's `HKDF<H>` computes the same bytes (a test
/// checks it) but allocates a key object and re-keys HMAC on every call, which made it a tenth of a handshake.
///
///     HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM)                                  (RFC 5869 §2.2)
///     HKDF-Expand(PRK, info, L): T(0) = "", T(i) = HMAC-Hash(PRK, T(i-1) ‖ info ‖ i),
///                                OKM = first L bytes of T(1) ‖ T(2) ‖ …                (RFC 5869 §2.3)
public struct HKDFKey: Sendable {
    private let keyed: KeyedHMAC
    public var hash: HashAlgorithm { keyed.hash }

    /// `prk`: the pseudorandom key (a TLS 1.3 secret, or an HKDF-Extract output).
    public init(hash: HashAlgorithm, prk: [UInt8]) {
        keyed = KeyedHMAC(hash: hash, key: prk)
    }

    /// HKDF-Expand(PRK, info, length). `length` must be at most 255 × Hash.length (RFC 5869 §2.3).
    public func expand(info: [UInt8], length: Int) -> [UInt8] {
        precondition(length >= 0 && length <= 255 * hash.outputLength, "HKDF-Expand: at most 255 × Hash.length bytes")
        func run<H: HashFunction>(_ keyed: HMAC<H>) -> [UInt8] {
            var out: [UInt8] = []
            out.reserveCapacity(length + H.Digest.byteCount)
            // T(i-1) ‖ info ‖ i, in one buffer reused from block to block.
            var input: [UInt8] = []
            input.reserveCapacity(H.Digest.byteCount + info.count + 1)
            input.append(contentsOf: info)
            input.append(1)
            while out.count < length {
                var mac = keyed
                mac.update(data: input)
                let block = mac.finalize()
                input.removeAll(keepingCapacity: true)
                block.withUnsafeBytes { input.append(contentsOf: $0) }
                out.append(contentsOf: input)
                input.append(contentsOf: info)
                input.append(UInt8(truncatingIfNeeded: out.count / H.Digest.byteCount + 1))
            }
            if out.count > length { out.removeLast(out.count - length) }
            return out
        }
        return keyed.with(run, run, run)
    }

    /// HKDF-Extract(salt, IKM) = HMAC-Hash(salt, IKM). An empty salt is the same as Hash.length zeros (HMAC
    /// zero-pads keys).
    public static func extract(hash: HashAlgorithm, salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        hash.hmac(key: salt, data: ikm)
    }
}

/// HMAC (RFC 2104, swift-crypto's) keyed once: every MAC copies the keyed state instead of padding and hashing
/// the key again (the record MAC key of a TLS 1.2 CBC connection, a PRK that HKDF expands several times).
public struct KeyedHMAC: Sendable {
    // Optionals rather than an enum with three payloads: an enum would keep its case in the spare bits of the
    // hashers' object pointers, and LeakSanitizer cannot follow such a pointer (the no-PSK Early Secret's keyed
    // HMAC lives in a static and was reported as a leak).
    private let sha1: HMAC<Insecure.SHA1>?
    private let sha256: HMAC<SHA256>?
    private let sha384: HMAC<SHA384>?
    public let hash: HashAlgorithm

    public init(hash: HashAlgorithm, key: [UInt8]) {
        self.hash = hash
        let key = SymmetricKey(data: key)
        sha1 = hash == .sha1 ? HMAC(key: key) : nil
        sha256 = hash == .sha256 ? HMAC(key: key) : nil
        sha384 = hash == .sha384 ? HMAC(key: key) : nil
    }

    /// Runs the body for the hash in use with its keyed state.
    func with<T>(_ body: (HMAC<Insecure.SHA1>) -> T, _ body256: (HMAC<SHA256>) -> T, _ body384: (HMAC<SHA384>) -> T) -> T {
        if let sha256 { return body256(sha256) }
        if let sha384 { return body384(sha384) }
        if let sha1 { return body(sha1) }
        preconditionFailure("KeyedHMAC holds one keyed state")
    }

    /// HMAC(key, part1 ‖ part2 ‖ …).
    public func mac(_ parts: [[UInt8]]) -> [UInt8] {
        func run<H: HashFunction>(_ keyed: HMAC<H>) -> [UInt8] {
            var mac = keyed
            for part in parts { mac.update(data: part) }
            return mac.finalize().withUnsafeBytes { Array($0) }
        }
        return with(run, run, run)
    }

    /// Whether `mac` is HMAC(key, part1 ‖ part2 ‖ …), compared in constant time (swift-crypto's comparison).
    public func isValid(_ mac: [UInt8], for parts: [[UInt8]]) -> Bool {
        func run<H: HashFunction>(_ keyed: HMAC<H>) -> Bool {
            var code = keyed
            for part in parts { code.update(data: part) }
            return code.finalize() == mac
        }
        return with(run, run, run)
    }
}

/// Running transcript hash (RFC 8446 §4.4.1; RFC 5246 §7.4.9 handshake_messages). Keeps the messages so the hash
/// can be switched once the suite (and so the hash) is known, and so `message_hash` can replace ClientHello1.
public struct TranscriptHash: Sendable {
    public private(set) var messages: [[UInt8]] = []
    public var hashAlgorithm: HashAlgorithm {
        didSet { if hashAlgorithm != oldValue { running = RunningHash(hashAlgorithm, messages) } }
    }
    /// The hash state after `messages`, so `current()` finalizes a copy instead of hashing everything again.
    private var running: RunningHash

    public init(hashAlgorithm: HashAlgorithm) {
        self.hashAlgorithm = hashAlgorithm
        running = RunningHash(hashAlgorithm, [])
    }

    public mutating func append(_ message: [UInt8]) {
        messages.append(message)
        running.update(message)
    }

    /// Hash of everything appended so far: Transcript-Hash(M1 ‖ M2 ‖ … ‖ Mn).
    public func current() -> [UInt8] { running.finalized() }

    /// RFC 8446 §4.4.1: replace the messages so far (ClientHello1) by
    /// `message_hash(254) ‖ 00 00 Hash.length ‖ Hash(ClientHello1)` after a HelloRetryRequest.
    public mutating func replaceWithMessageHash() {
        let digest = current()
        let synthetic: [UInt8] =
            [HandshakeType.messageHash.rawValue, 0, 0, UInt8(truncatingIfNeeded: digest.count)] + digest
        messages = [synthetic]
        running = RunningHash(hashAlgorithm, messages)
    }

    /// Concatenation of all messages (TLS 1.2 handshake_messages).
    public var concatenated: [UInt8] { messages.flatMap { $0 } }
}

/// A hash in progress, for whichever algorithm the transcript uses (optionals rather than an enum with payloads,
/// so an update mutates the hasher in place instead of copying its state).
private struct RunningHash: Sendable {
    private var sha1: Insecure.SHA1?
    private var sha256: SHA256?
    private var sha384: SHA384?

    init(_ algorithm: HashAlgorithm, _ messages: [[UInt8]]) {
        switch algorithm {
        case .sha1: sha1 = Insecure.SHA1()
        case .sha256: sha256 = SHA256()
        case .sha384: sha384 = SHA384()
        }
        for message in messages { update(message) }
    }

    mutating func update(_ bytes: [UInt8]) {
        sha1?.update(data: bytes)
        sha256?.update(data: bytes)
        sha384?.update(data: bytes)
    }

    /// The digest so far; the running state is left as it is.
    func finalized() -> [UInt8] {
        if let sha256 { return Array(sha256.finalize()) }
        if let sha384 { return Array(sha384.finalize()) }
        if let sha1 { return Array(sha1.finalize()) }
        return []
    }
}
