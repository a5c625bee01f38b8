import TLSCrypto
import TLSTeaching
import TLSTranscript
import TLSWire

/// Builds a step's field rows and hex buffers from the transcript, placing every field's bytes in the buffer
/// it really came from:
///
/// - an unencrypted record: the wire bytes; a message field at message offset `o` is at
///   `5 + MessageEntry.offsetInRecord + o` (RFC 5246 §6.2.1: the 5-byte record header precedes the fragment);
/// - an encrypted record: the decrypted content (`RecordEntry.plaintextHex`) for the message's fields, at
///   `offsetInRecord + o`, and the wire bytes for the record header and protection fields (RFC 8446 §5.2: the
///   header `17 03 03 length` is the AEAD's additional data; RFC 5246 §6.2.3.2: a CBC record starts with its IV);
/// - a message split over several records: its own bytes, at `o`.
///
/// Every mapping is checked against the bytes (the message's bytes must be found where the offset says); when a
/// check fails the message falls back to its own bytes, so a highlighted range is never wrong.
struct FieldTreeBuilder {
    private(set) var rows: [FieldRow] = []
    private(set) var buffers: [HexBuffer] = []
    private(set) var defaultRow = 0

    static func build(step: WalkthroughStep, transcript t: Transcript) -> FieldTreeBuilder {
        var b = FieldTreeBuilder()
        guard t.records.indices.contains(step.record) else { return b }
        let record = t.records[step.record]
        if let m = step.message, t.messages.indices.contains(m) {
            b.buildMessage(t.messages[m], record: record, transcript: t)
        } else {
            b.buildRecord(record, transcript: t)
        }
        if let note = record.channelNote { b.addChannelRow(note, record: record) }
        return b
    }

    // MARK: Rows TLSTeaching has no entry for

    /// Where the rows this builder makes itself (record protection details, the decoded certificate) are defined,
    /// so the explanation line can name the RFC section for them too.
    static let localSections: [String: String] = [
        "protection": "RFC 8446 §5.2; RFC 5246 §6.2.3",
        "sequence_number": "RFC 8446 §5.3; RFC 5246 §6.1",
        "nonce": "RFC 8446 §5.3; RFC 5246 §6.2.3.3",
        "additional_data": "RFC 8446 §5.2; RFC 5246 §6.2.3.3",
        "explicit_iv": "RFC 5246 §6.2.3.2, §6.2.3.3",
        "tag": "RFC 8446 §5.2; RFC 5246 §6.2.3.3",
        "mac": "RFC 5246 §6.2.3.1; RFC 7366 §3",
        "ciphertext": "RFC 8446 §5.2; RFC 5246 §6.2.3",
        "padding_length": "RFC 8446 §5.4; RFC 5246 §6.2.3.2",
        "subject": "RFC 5280 §4.1.2.6",
        "issuer": "RFC 5280 §4.1.2.4",
        "validity": "RFC 5280 §4.1.2.5",
        "subject_alt_names": "RFC 5280 §4.2.1.6",
        "public_key": "RFC 5280 §4.1.2.7",
        "signature_algorithm": "RFC 5280 §4.1.1.2",
    ]

    /// An explanation made here (the field's meaning and its RFC section) for a row TLSTeaching does not cover.
    static func local(_ name: String, _ meaning: String) -> Explanation? {
        guard let rfc = localSections[name] else { return nil }
        return Explanation(kind: .field, key: "tlslab.\(name)", title: name, summary: meaning, detail: meaning, rfc: rfc)
    }

    // MARK: What the channel did

    /// The first and last positions where two byte strings differ (common prefix and suffix removed): the bytes a
    /// tamper (one flipped bit) or rewrite (a changed extension) touched, in each of them.
    static func difference(_ a: [UInt8], _ b: [UInt8]) -> (Range<Int>, Range<Int>)? {
        guard a != b else { return nil }
        var prefix = 0
        while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix, suffix < b.count - prefix, a[a.count - 1 - suffix] == b[b.count - 1 - suffix] {
            suffix += 1
        }
        return (prefix..<(a.count - suffix), prefix..<(b.count - suffix))
    }

    /// A first row `channel` with what the channel did; when it changed the bytes, the record as the sender wrote
    /// it becomes a buffer of its own, and the changed bytes are marked in both.
    private mutating func addChannelRow(_ note: String, record: RecordEntry) {
        var range: ByteRange?
        var value = "the record was not delivered as sent"
        if let original = record.originalBytes {
            let delivered = record.bytes
            let diff = Self.difference(delivered, original)
            if let (changedDelivered, changedOriginal) = diff {
                for i in buffers.indices where buffers[i].kind == .wire && buffers[i].bytes == delivered {
                    buffers[i].changed = [changedDelivered]
                }
                let what =
                    changedOriginal.isEmpty
                    ? "" : ", \(Format.span(changedOriginal)) changed on the way"
                let b = addBuffer(
                    HexBuffer(
                        kind: .original,
                        title: "record \(record.index + 1) as the \(record.from) sent it (\(Format.bytes(original.count)))",
                        note: "before the channel changed it\(what); the wire view shows what arrived", bytes: original,
                        dimmed: [0..<min(5, original.count)], changed: [changedOriginal]))
                range = ByteRange(buffer: b, start: changedOriginal.lowerBound, length: changedOriginal.count)
                value =
                    original.count == delivered.count
                    ? "\(Format.bytes(changedDelivered.count)) changed" : "\(original.count) bytes sent, \(delivered.count) delivered"
            }
        } else if note.contains("replay") {
            value = "sent again by someone else"
        }
        // Prepend: shift every id, parent and subtree end by one.
        rows = rows.map { row in
            var r = row
            r.id += 1
            r.parent = r.parent.map { $0 + 1 }
            r.subtreeEnd += 1
            return r
        }
        rows.insert(
            FieldRow(
                id: 0, depth: 0, parent: nil, name: "channel", value: value, meaning: "On the way: \(note)", range: range,
                key: nil, explanation: nil, isAlert: true, subtreeEnd: 1, expandedByDefault: false), at: 0)
        defaultRow += 1
    }

    // MARK: Rows

    @discardableResult
    private mutating func add(
        name: String, value: String, meaning: String?, range: ByteRange?, depth: Int, parent: Int?,
        expanded: Bool = false, key: String? = nil, explanation: Explanation? = nil, alert: Bool = false
    ) -> Int {
        let id = rows.count
        rows.append(
            FieldRow(
                id: id, depth: depth, parent: parent, name: name, value: value, meaning: meaning, range: range,
                key: key, explanation: explanation ?? key.flatMap(Explanations.field), isAlert: alert,
                subtreeEnd: id + 1, expandedByDefault: expanded))
        return id
    }

    private mutating func close(_ id: Int) { rows[id].subtreeEnd = rows.count }

    /// Adds a decoded field tree whose offsets are relative to `buffer` after adding `shift`.
    private mutating func addTree(
        _ node: FieldNode, depth: Int, parent: Int?, buffer: Int, shift: Int, expanded: Bool,
        certificates: [CertificateEntrySummary] = [], certificateIndex: inout Int
    ) {
        let range = ByteRange(buffer: buffer, start: node.offset + shift, length: node.length)
        let id = add(
            name: node.name, value: node.value, meaning: node.meaning, range: range, depth: depth, parent: parent,
            expanded: expanded, key: node.key)
        for child in node.children {
            addTree(
                child, depth: depth + 1, parent: id, buffer: buffer, shift: shift, expanded: false,
                certificates: certificates, certificateIndex: &certificateIndex)
        }
        if node.key == "certificate.cert_data", certificates.indices.contains(certificateIndex) {
            addCertificateSummary(certificates[certificateIndex], depth: depth + 1, parent: id, range: range)
            certificateIndex += 1
        }
        close(id)
    }

    /// The decoded certificate (subject, issuer, validity, names, key) under its DER bytes.
    private mutating func addCertificateSummary(_ c: CertificateEntrySummary, depth: Int, parent: Int, range: ByteRange) {
        let items: [(String, String, String)] = [
            ("subject", c.subject, "Whom the certificate names: the owner of the public key."),
            ("issuer", c.issuer, "The certificate authority that signed it."),
            ("validity", "\(c.notBefore) to \(c.notAfter)", "The certificate is only accepted between these dates."),
            (
                "subject_alt_names", c.subjectAlternativeNames.isEmpty ? "(none)" : c.subjectAlternativeNames.joined(separator: ", "),
                "The host names the certificate is valid for; the client checks the server name against them."
            ),
            ("public_key", c.publicKey, "The key the peer proves it owns (CertificateVerify, or RSA key exchange)."),
            ("signature_algorithm", c.signatureAlgorithm, "How the issuer signed this certificate."),
        ]
        for (name, value, meaning) in items {
            let id = add(
                name: name, value: value, meaning: meaning, range: range, depth: depth, parent: parent,
                explanation: Self.local(name, meaning))
            close(id)
        }
    }

    // MARK: Buffers

    private mutating func addBuffer(_ buffer: HexBuffer) -> Int {
        buffers.append(buffer)
        return buffers.count - 1
    }

    private static func inner(_ type: String) -> String {
        switch type {
        case "handshake": return "handshake"
        case "application_data": return "application data"
        case "change_cipher_spec": return "change_cipher_spec"
        default: return type
        }
    }

    /// The wire buffer of a record.
    private mutating func wireBuffer(_ record: RecordEntry, messageRange: Range<Int>? = nil, messageName: String? = nil)
        -> Int
    {
        let bytes = record.bytes
        var note = "0-4 record header"
        if let messageRange, let messageName {
            note += ", \(messageRange.lowerBound)-\(messageRange.upperBound - 1) \(messageName)"
        } else if record.encrypted {
            note += ", 5-\(max(5, bytes.count - 1)) encrypted fragment"
        } else if bytes.count > 5 {
            note += ", 5-\(bytes.count - 1) fragment"
        }
        note += " (offsets from the first byte on the wire)"
        var dimmed: [Range<Int>] = [0..<min(5, bytes.count)]
        if let messageRange {
            if messageRange.lowerBound > 5 { dimmed.append(5..<messageRange.lowerBound) }
            if messageRange.upperBound < bytes.count { dimmed.append(messageRange.upperBound..<bytes.count) }
        }
        let title = "record \(record.index + 1) on the wire (\(Format.bytes(bytes.count)))"
        return addBuffer(HexBuffer(kind: .wire, title: title, note: note, bytes: bytes, dimmed: dimmed))
    }

    // MARK: Record rows

    /// The record row: header fields, then (encrypted records) the protection details, each with its wire bytes
    /// when they can be found there.
    private mutating func addRecordRow(_ record: RecordEntry, wire: Int, expanded: Bool) {
        let bytes = record.bytes
        var value = "\(record.contentType), \(Format.bytes(bytes.count))"
        if record.encrypted { value += ", encrypted \(Self.inner(record.innerContentType)) inside" }
        let meaning =
            record.encrypted
            ? "The record layer: a 5-byte header in the clear, then the encrypted fragment (\(record.keys ?? "keys"))."
            : "The record layer: a 5-byte header (type, version, length), then the fragment."
        let id = add(
            name: "record \(record.index + 1)", value: value, meaning: meaning,
            range: ByteRange(buffer: wire, start: 0, length: bytes.count), depth: 0, parent: nil, expanded: expanded,
            key: "record")
        var index = 0
        for field in record.fields {
            addTree(field, depth: 1, parent: id, buffer: wire, shift: 0, expanded: false, certificateIndex: &index)
        }
        if let p = record.protection { addProtection(p, record: record, wire: wire, parent: id) }
        close(id)
    }

    private mutating func addProtection(_ p: ProtectionDetails, record: RecordEntry, wire: Int, parent: Int) {
        let bytes = record.bytes
        let protectionMeaning = "How this record was protected; the keys come from the secrets pane."
        let id = add(
            name: "protection", value: p.cipher, meaning: protectionMeaning, range: nil, depth: 1, parent: parent,
            explanation: Self.local("protection", protectionMeaning))
        func located(_ value: [UInt8], at start: Int) -> ByteRange? {
            guard start >= 0, start + value.count <= bytes.count, !value.isEmpty,
                Array(bytes[start..<(start + value.count)]) == value
            else { return nil }
            return ByteRange(buffer: wire, start: start, length: value.count)
        }
        func item(_ name: String, _ value: String, _ meaning: String, _ range: ByteRange? = nil) {
            close(
                add(
                    name: name, value: value, meaning: meaning, range: range, depth: 2, parent: id,
                    explanation: Self.local(name, meaning)))
        }
        item(
            "sequence_number", String(p.sequenceNumber),
            "Counts the records sent with these keys (starting at 0); never sent, but fed into the nonce or MAC.")
        if let nonce = p.nonce {
            item("nonce", Format.hex(nonce), "The AEAD nonce: the write IV XOR the sequence number (never on the wire).")
        }
        if let aad = p.additionalData {
            // TLS 1.3 (RFC 8446 §5.2): the additional data is the record header itself.
            item(
                "additional_data", Format.hex(aad),
                "Authenticated but not encrypted: a change to these bytes makes decryption fail.",
                located(aad, at: 0))
        }
        if let iv = p.explicitIV {
            item("explicit_iv", Format.hex(iv), "Sent in the clear at the start of the fragment.", located(iv, at: 5))
        }
        if let tag = p.tag {
            item(
                "tag", Format.hex(tag), "The authentication tag, the last bytes of the fragment.",
                located(tag, at: bytes.count - tag.count))
        }
        if let mac = p.mac {
            let range = located(mac, at: bytes.count - mac.count)
            item(
                "mac", Format.hex(mac),
                range == nil
                    ? "The record MAC; it is encrypted together with the content (MAC-then-encrypt)."
                    : "The record MAC over the ciphertext, sent after it (encrypt-then-MAC).",
                range)
        }
        // What lies between the explicit IV/nonce (if any) and the trailing tag or encrypt-then-MAC MAC.
        let ivRange = p.explicitIV.flatMap { located($0, at: 5) }
        let tailRange = p.tag.flatMap { located($0, at: bytes.count - $0.count) }
            ?? p.mac.flatMap { located($0, at: bytes.count - $0.count) }
        let start = ivRange.map { $0.start + $0.length } ?? 5
        let end = tailRange?.start ?? bytes.count
        if end > start {
            let tls13 = p.additionalData?.count == 5
            let meaning: String
            if tls13 {
                meaning = "The encrypted TLSInnerPlaintext: the content, then its real content type byte, then zero padding (RFC 8446 §5.2)."
            } else if p.mac != nil, tailRange == nil || p.tag != nil {
                meaning = "The encrypted content followed by its MAC and the CBC padding (RFC 5246 §6.2.3.2)."
            } else if p.mac != nil {
                meaning = "The encrypted content and CBC padding; the MAC follows in the clear (RFC 7366)."
            } else {
                meaning = "The encrypted content, as long as the plaintext (AEAD, RFC 5246 §6.2.3.3)."
            }
            item(
                "ciphertext", Format.bytes(end - start), meaning, ByteRange(buffer: wire, start: start, length: end - start))
        }
        if let padding = p.paddingLength {
            item("padding_length", String(padding), "Padding bytes added inside the encryption.")
        }
        close(id)
    }

    // MARK: Message steps

    private mutating func buildMessage(_ m: MessageEntry, record: RecordEntry, transcript t: Transcript) {
        let mbytes = m.bytes
        let certificates =
            m.name == "Certificate" ? t.certificates.filter { $0.from == m.from }.sorted { $0.position < $1.position } : []
        var certIndex = 0
        let plain = record.plaintext
        let wireBytes = record.bytes
        let fragmented = m.records.count > 1

        func matches(_ buffer: [UInt8], at start: Int) -> Bool {
            start >= 0 && start + mbytes.count <= buffer.count && Array(buffer[start..<(start + mbytes.count)]) == mbytes
        }

        if !fragmented, record.encrypted, let plain, matches(plain, at: m.offsetInRecord) {
            let range = m.offsetInRecord..<(m.offsetInRecord + mbytes.count)
            let note = "\(range.lowerBound)-\(range.upperBound - 1) \(m.name) (offsets in the decrypted content, not on the wire)"
            var dimmed: [Range<Int>] = []
            if range.lowerBound > 0 { dimmed.append(0..<range.lowerBound) }
            if range.upperBound < plain.count { dimmed.append(range.upperBound..<plain.count) }
            let p = addBuffer(
                HexBuffer(
                    kind: .plaintext,
                    title: "record \(record.index + 1) decrypted (\(Format.bytes(plain.count)) of \(wireBytes.count) on the wire)",
                    note: note, bytes: plain, dimmed: dimmed))
            let w = wireBuffer(record)
            defaultRow = rows.count
            addTree(
                m.fields, depth: 0, parent: nil, buffer: p, shift: m.offsetInRecord, expanded: true,
                certificates: certificates, certificateIndex: &certIndex)
            addRecordRow(record, wire: w, expanded: false)
        } else if !fragmented, !record.encrypted, matches(wireBytes, at: 5 + m.offsetInRecord) {
            let start = 5 + m.offsetInRecord
            let w = wireBuffer(record, messageRange: start..<(start + mbytes.count), messageName: m.name)
            addRecordRow(record, wire: w, expanded: false)
            defaultRow = rows.count
            addTree(
                m.fields, depth: 0, parent: nil, buffer: w, shift: start, expanded: true, certificates: certificates,
                certificateIndex: &certIndex)
        } else {
            let list = m.records.map { String($0 + 1) }.joined(separator: ", ")
            let note =
                fragmented
                ? "\(m.name) reassembled from records \(list) (offsets in the message)"
                : "\(m.name) (offsets in the message)"
            let b = addBuffer(
                HexBuffer(kind: .message, title: "\(m.name) (\(Format.bytes(mbytes.count)))", note: note, bytes: mbytes))
            defaultRow = rows.count
            addTree(
                m.fields, depth: 0, parent: nil, buffer: b, shift: 0, expanded: true, certificates: certificates,
                certificateIndex: &certIndex)
            if !fragmented {
                let w = wireBuffer(record)
                addRecordRow(record, wire: w, expanded: false)
            }
        }
    }

    // MARK: Record-only steps (ChangeCipherSpec, alerts, application data)

    private mutating func buildRecord(_ record: RecordEntry, transcript t: Transcript) {
        let wireBytes = record.bytes
        if record.encrypted, let plain = record.plaintext {
            let p = addBuffer(
                HexBuffer(
                    kind: .plaintext,
                    title: "record \(record.index + 1) decrypted (\(Format.bytes(plain.count)) of \(wireBytes.count) on the wire)",
                    note: "\(record.innerContentType) (offsets in the decrypted content, not on the wire)", bytes: plain))
            let w = wireBuffer(record)
            defaultRow = rows.count
            addContent(plain, type: record.innerContentType, buffer: p, shift: 0, depth: 0, parent: nil, decrypted: true)
            addRecordRow(record, wire: w, expanded: false)
        } else {
            let w = wireBuffer(record)
            addRecordRow(record, wire: w, expanded: true)
            let fragment = wireBytes.count > 5 ? Array(wireBytes[5...]) : []
            if record.contentType == "alert" || record.contentType == "application_data" {
                defaultRow = rows.count
                addContent(fragment, type: record.contentType, buffer: w, shift: 5, depth: 0, parent: nil, decrypted: false)
            } else {
                defaultRow = 0
            }
        }
    }

    /// Rows for record content that is not a handshake message: an alert's level and description, application
    /// data line by line.
    private mutating func addContent(
        _ bytes: [UInt8], type: String, buffer: Int, shift: Int, depth: Int, parent: Int?, decrypted: Bool
    ) {
        if type == "alert", let (_, node) = try? Alert.decode(bytes) {
            var index = 0
            addTree(node, depth: depth, parent: parent, buffer: buffer, shift: shift, expanded: true, certificateIndex: &index)
            return
        }
        if type == "application_data" {
            let id = add(
                name: decrypted ? "application data (decrypted)" : "application data", value: Format.bytes(bytes.count),
                meaning: "What the applications send each other, here HTTP; only the two peers can read it.",
                range: ByteRange(buffer: buffer, start: shift, length: bytes.count), depth: depth, parent: parent,
                expanded: true, explanation: Explanations.contentType(named: "application_data"))
            var start = 0
            var line = 1
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != 0x0a { end += 1 }
                if end < bytes.count { end += 1 }  // include the LF
                let chunk = Array(bytes[start..<end])
                close(
                    add(
                        name: "line \(line)", value: "\"\(Format.printable(chunk))\"", meaning: nil,
                        range: ByteRange(buffer: buffer, start: shift + start, length: chunk.count), depth: depth + 1,
                        parent: id))
                start = end
                line += 1
            }
            close(id)
            return
        }
        close(
            add(
                name: type, value: Format.bytes(bytes.count), meaning: nil,
                range: ByteRange(buffer: buffer, start: shift, length: bytes.count), depth: depth, parent: parent))
    }
}
