import TLSHandshake
import TLSScenario
import TLSWire

/// A scenario's `channel:` rule: finds its record (the n-th record from one side carrying a given message or
/// content type, in a given connection) and tampers with it, drops, duplicates, replaces or rewrites it.
struct ScenarioChannelRule: ChannelRule {
    let spec: ChannelRuleSpec
    private var seen = 0

    init(_ spec: ChannelRuleSpec) { self.spec = spec }

    func matches(_ record: RecordEvent) -> Bool {
        switch spec.target {
        case "change_cipher_spec": return record.contentType == .changeCipherSpec
        case "alert": return record.contentType == .alert
        case "application_data": return record.contentType == .applicationData
        default:
            return record.messages.contains { TranscriptRecorder.messageName($0) == spec.target }
        }
    }

    mutating func apply(connection: Int, from side: Side, record: RecordEvent) -> ChannelDelivery? {
        guard connection == spec.connection - 1, side == spec.from, matches(record) else { return nil }
        seen += 1
        guard seen == spec.occurrence else { return nil }
        let bytes = record.record.bytes
        let what = "the \(ordinal(spec.occurrence)) \(spec.target) record from the \(side)"
        switch spec.action {
        case .drop:
            return ChannelDelivery(delivered: nil, note: "The channel drops \(what): it never arrives.")
        case .duplicate:
            return ChannelDelivery(
                delivered: bytes, note: "The channel delivers \(what) twice (a replayed record).", twice: true)
        case .replace:
            return ChannelDelivery(delivered: spec.hex, note: "The channel replaces \(what) with other bytes.")
        case .tamper:
            var tampered = bytes
            let offset = spec.byte < 0 ? tampered.count + spec.byte : spec.byte
            guard tampered.indices.contains(offset) else { return nil }
            tampered[offset] ^= spec.xor
            let field = offset < TLSRecord.headerLength ? "record header" : record.protection != nil ? "ciphertext" : "plaintext"
            return ChannelDelivery(
                delivered: tampered,
                note: String(
                    format: "The channel flips bits in byte %d of %@ (%@): %02x → %02x.", offset, what, field,
                    bytes[offset], tampered[offset]))
        case .rewrite:
            return rewrite(record, what: what)
        }
    }

    /// A man in the middle edits a plaintext ClientHello (e.g. strips TLS 1.3 from supported_versions).
    private func rewrite(_ record: RecordEvent, what: String) -> ChannelDelivery? {
        guard record.protection == nil, let message = record.messages.first, case .clientHello(var hello) = message.body
        else { return nil }
        var changes: [String] = []
        if let versions = spec.rewriteVersions {
            hello.extensions = hello.extensions.map { ext in
                guard ext.type == .supportedVersions else { return ext }
                return Extension(type: .supportedVersions, body: .supportedVersions(versions))
            }
            changes.append("supported_versions → \(versions.map(\.description).joined(separator: ", "))")
        }
        if let suites = spec.rewriteCipherSuites {
            hello.cipherSuites = suites
            changes.append("cipher_suites → \(suites.map(\.description).joined(separator: ", "))")
        }
        let rewritten = HandshakeMessage(.clientHello(hello))
        let newRecord = TLSRecord(
            contentType: record.record.contentType, legacyVersion: record.record.legacyVersion, fragment: rewritten.bytes)
        return ChannelDelivery(
            delivered: newRecord.bytes,
            note: "A man in the middle rewrites \(what): \(changes.joined(separator: "; ")).",
            messages: [rewritten])
    }

    private func ordinal(_ n: Int) -> String {
        switch n {
        case 1: "first"
        case 2: "second"
        case 3: "third"
        default: "\(n)th"
        }
    }
}
