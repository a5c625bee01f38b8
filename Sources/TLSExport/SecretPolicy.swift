import TLSTranscript
import TLSWire

/// Which byte values of a transcript are secret, for `--no-secrets` worksheets.
///
/// The rule (docs/export.md, "What --no-secrets hides"): a value is **public** when a passive observer of the
/// connection can read it — its bytes occur in the byte stream of either direction exactly as it crossed the wire
/// (every record's bytes in order; also a record's bytes as its sender wrote them when the channel changed them) —
/// or when it is a constant fixed by the RFCs: an all-zero string (RFC 8446 §7.1's "0" inputs) or the hash of the
/// empty string (`Transcript-Hash("")` in `Derive-Secret(., "derived", "")`). Every other value is **secret**:
/// private keys, premaster and shared secrets, master, handshake and traffic secrets, key blocks, write keys,
/// MAC keys and IVs, finished keys, transcript hashes, `verify_data` of encrypted Finished messages, PKCS#1
/// blocks, AEAD nonces (they reveal the write IV), and additional data that is not itself on the wire.
///
/// Decrypted message contents are shown (they are what the handout teaches: anyone who talks to the server sees
/// the same certificate), but any bytes inside them that equal a secret value are masked — the `verify_data` of a
/// TLS 1.3 Finished message, and the transcript hash inside an encoded HkdfLabel.
public struct SecretPolicy: Sendable {
    /// SHA-256("") and SHA-384("") (FIPS 180-4), the hashes of the empty transcript.
    public static let emptyHashes: [[UInt8]] = [
        [UInt8](hex: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") ?? [],
        [UInt8](hex: "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b")
            ?? [],
    ]

    /// Masking inside other byte strings only considers values of at least this many bytes: shorter ones would
    /// match by chance. (Every secret TLS value is longer: the shortest is a 4-byte GCM salt.)
    public static let minimumMaskedLength = 4

    /// The observer's view: each direction's bytes in order, plus original bytes of records the channel changed.
    private let streams: [[UInt8]]
    /// Every secret value of the transcript (derivation inputs and outputs, the secrets list, protection details),
    /// longest first, without duplicates.
    public let secretValues: [[UInt8]]
    /// The verdict for every value the transcript records (a renderer asks about the same values many times).
    private let verdicts: [[UInt8]: Bool]

    public init(_ transcript: Transcript) {
        var client: [UInt8] = []
        var server: [UInt8] = []
        var originals: [[UInt8]] = []
        for record in transcript.records {
            let bytes = record.bytes
            if record.from == .client { client.append(contentsOf: bytes) } else { server.append(contentsOf: bytes) }
            if let original = record.originalBytes { originals.append(original) }
        }
        let wire = [client, server] + originals

        var seen: [[UInt8]: Bool] = [:]
        var secrets: [[UInt8]] = []
        func consider(_ value: [UInt8]?) {
            guard let value, !value.isEmpty, seen[value] == nil else { return }
            let secret = Self.isSecret(value, streams: wire)
            seen[value] = secret
            if secret { secrets.append(value) }
        }
        for event in transcript.events {
            guard let d = event.derivation else { continue }
            consider(d.output)
            for input in d.inputs { consider(input.value) }
        }
        for secret in transcript.secrets { consider(secret.bytes) }
        for record in transcript.records {
            guard let p = record.protection else { continue }
            for value in [p.nonce, p.additionalData, p.explicitIV, p.mac, p.tag] { consider(value) }
        }
        for line in transcript.keylog.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            for token in line.split(separator: " ").dropFirst() { consider([UInt8](hex: String(token))) }
        }
        streams = wire
        verdicts = seen
        secretValues = secrets.sorted { $0.count > $1.count }
    }

    /// Whether `value` is secret under the rule above.
    public func isSecret(_ value: [UInt8]) -> Bool {
        if value.isEmpty { return false }
        return verdicts[value] ?? Self.isSecret(value, streams: streams)
    }

    /// Whether `value` is public because it is a constant fixed by the RFCs.
    public static func isConstant(_ value: [UInt8]) -> Bool {
        value.allSatisfy { $0 == 0 } || emptyHashes.contains(value)
    }

    private static func isSecret(_ value: [UInt8], streams: [[UInt8]]) -> Bool {
        if isConstant(value) { return false }
        return !streams.contains { contains($0, value) }
    }

    /// Positions of `bytes` covered by an occurrence of a secret value, or nil when none is.
    public func mask(_ bytes: [UInt8]) -> [Bool]? {
        var masked: [Bool]?
        for value in secretValues where value.count >= Self.minimumMaskedLength && value.count <= bytes.count {
            Self.forEachOccurrence(of: value, in: bytes) { start in
                if masked == nil { masked = [Bool](repeating: false, count: bytes.count) }
                for i in start..<(start + value.count) { masked?[i] = true }
            }
        }
        return masked
    }

    /// Text with every secret value written as hex (e.g. in an alert's reason: "expected verify_data 9b1e…")
    /// replaced by underscores of the same length.
    public func redact(_ text: String) -> String {
        var out = text
        for value in secretValues where value.count >= Self.minimumMaskedLength {
            let hex = value.hex
            if out.contains(hex) { out = out.replacingOccurrences(of: hex, with: String(repeating: "_", count: hex.count)) }
        }
        return out
    }

    // MARK: Byte search

    static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        var found = false
        forEachOccurrence(of: needle, in: haystack) { _ in found = true }
        return found
    }

    /// Calls `body` with the start of every occurrence of `needle` in `haystack` (first byte located with a scan,
    /// then compared in place: linear in practice for the short values TLS derives).
    static func forEachOccurrence(of needle: [UInt8], in haystack: [UInt8], _ body: (Int) -> Void) {
        guard let first = needle.first, needle.count <= haystack.count else { return }
        haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let last = h.count - n.count
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { body(i) }
                    }
                    i += 1
                }
            }
        }
    }
}
