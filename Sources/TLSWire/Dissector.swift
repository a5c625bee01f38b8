// The dissector behind `tlslab decode`: bytes in, a readable list of records and handshake messages out.
//
// Input is either a stream of TLS records (RFC 8446 §5.1 / RFC 5246 §6.2), recognised by a plausible first record
// header, or bare handshake messages (RFC 8446 §4) back to back. The dissector walks the input in order,
// reassembles handshake messages split across records, follows the negotiation far enough to know which records
// are encrypted, and never traps: malformed input ends the walk with a DecodeError at an absolute offset, after
// everything that could be decoded before it.

/// One entry of a dissection: a record, or a message/alert/change_cipher_spec carried by records.
public struct DissectedItem: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// A record header and its fragment (RFC 8446 §5.1).
        case record
        /// A whole handshake message (RFC 8446 §4).
        case handshake
        /// An alert (RFC 8446 §6).
        case alert
        /// A change_cipher_spec message (RFC 5246 §7.1; a compatibility no-op in TLS 1.3, RFC 8446 §5).
        case changeCipherSpec
    }

    public var kind: Kind
    /// e.g. `Record 1: handshake, TLS 1.0, 196 bytes` or `ClientHello`.
    public var title: String
    /// The decoded fields, offsets absolute into the dissected input.
    public var fields: FieldNode
    /// A remark for the learner, e.g. that a record is encrypted and needs the traffic keys.
    public var note: String?
    /// 0 for records (and bare messages), 1 for what a record carries.
    public var depth: Int
    /// True for a record whose fragment is ciphertext.
    public var isEncrypted: Bool
    /// The decoded message, for `.handshake` items.
    public var message: HandshakeMessage?
    /// The decoded alert, for `.alert` items.
    public var alert: Alert?

    public init(
        kind: Kind, title: String, fields: FieldNode, note: String? = nil, depth: Int = 0, isEncrypted: Bool = false,
        message: HandshakeMessage? = nil, alert: Alert? = nil
    ) {
        self.kind = kind
        self.title = title
        self.fields = fields
        self.note = note
        self.depth = depth
        self.isEncrypted = isEncrypted
        self.message = message
        self.alert = alert
    }
}

/// The result of dissecting some bytes.
public struct Dissection: Sendable, Equatable {
    public enum Layout: String, Sendable, Equatable {
        /// A sequence of TLS records.
        case records
        /// Handshake messages without record headers.
        case handshakeMessages
    }

    public var layout: Layout
    /// Everything decoded, in input order.
    public var items: [DissectedItem]
    /// The first problem found (offset absolute into the input); nil when the whole input decoded. Its
    /// `partialFields` hold what was decoded of the structure that failed (absolute offsets too).
    public var error: DecodeError?
    /// The negotiation state reached at the end (version, key exchange).
    public var context: DecodeContext
    /// The number of input bytes.
    public var inputLength: Int

    public init(
        layout: Layout, items: [DissectedItem], error: DecodeError?, context: DecodeContext, inputLength: Int
    ) {
        self.layout = layout
        self.items = items
        self.error = error
        self.context = context
        self.inputLength = inputLength
    }

    /// The handshake messages, in order.
    public var messages: [DissectedItem] { items.filter { $0.kind == .handshake } }
}

/// Dissects TLS bytes for display (`tlslab decode`).
public enum Dissector {
    /// True if `bytes` starts with a plausible record header: a known content type (20–23), a version 0x0300–
    /// 0x0304 and a length no larger than a TLS 1.2 ciphertext may be (RFC 5246 §6.2.3).
    public static func looksLikeRecords(_ bytes: [UInt8]) -> Bool {
        guard bytes.count >= TLSRecord.headerLength else {
            // The start of a record header (content type, then 03 xx): a record cut short, not a message.
            return bytes.count >= 2 && (20...23).contains(bytes[0]) && bytes[1] == 3 && (bytes.count < 3 || bytes[2] <= 4)
        }
        let type = bytes[0]
        let length = Int(bytes[3]) << 8 | Int(bytes[4])
        return (20...23).contains(type) && bytes[1] == 3 && bytes[2] <= 4 && length <= TLSRecord.maxCiphertext12
    }

    /// Dissects `bytes`: records if `looksLikeRecords`, else bare handshake messages. `context` is what is known
    /// before the first byte (normally nothing); the dissector updates it from ServerHello and
    /// ServerKeyExchange as it goes.
    public static func dissect(_ bytes: [UInt8], context: DecodeContext = DecodeContext()) -> Dissection {
        var walker = Walker(input: bytes, context: context)
        if looksLikeRecords(bytes) {
            walker.walkRecords()
            return Dissection(
                layout: .records, items: walker.items, error: walker.error, context: walker.context,
                inputLength: bytes.count)
        }
        walker.walkBareMessages()
        return Dissection(
            layout: .handshakeMessages, items: walker.items, error: walker.error, context: walker.context,
            inputLength: bytes.count)
    }
}

// MARK: - Walking

/// Maps offsets inside a reassembled handshake message to absolute input offsets (a message split across records
/// is not contiguous in the input: record headers sit between its pieces).
struct OffsetMap {
    /// (start in the message, start in the input, length)
    var segments: [(message: Int, input: Int, length: Int)] = []

    mutating func append(inputOffset: Int, length: Int) {
        let start = segments.last.map { $0.message + $0.length } ?? 0
        segments.append((start, inputOffset, length))
    }

    var totalLength: Int { segments.last.map { $0.message + $0.length } ?? 0 }

    /// The input offset of message offset `o` (offsets past the end map just after the last byte).
    func input(_ o: Int) -> Int {
        for s in segments where o < s.message + s.length { return s.input + Swift.max(0, o - s.message) }
        guard let last = segments.last else { return o }
        return last.input + last.length + (o - last.message - last.length)
    }

    /// Consumes the first `count` message bytes, returning the map of the consumed part.
    mutating func take(_ count: Int) -> OffsetMap {
        var taken = OffsetMap()
        var remaining = count
        var rest: [(message: Int, input: Int, length: Int)] = []
        for s in segments {
            if remaining > 0 {
                let n = Swift.min(remaining, s.length)
                taken.append(inputOffset: s.input, length: n)
                remaining -= n
                if n < s.length { rest.append((0, s.input + n, s.length - n)) }
            } else {
                rest.append((0, s.input, s.length))
            }
        }
        var renumbered = OffsetMap()
        for s in rest { renumbered.append(inputOffset: s.input, length: s.length) }
        self = renumbered
        return taken
    }

    var isContiguous: Bool {
        zip(segments, segments.dropFirst()).allSatisfy { $0.input + $0.length == $1.input }
    }

    /// A node with its offsets mapped; a field that spans a record boundary covers the header between.
    func map(_ node: FieldNode) -> FieldNode {
        if isContiguous, let first = segments.first { return node.shifted(by: first.input - first.message) }
        var copy = node
        let start = input(node.offset)
        let end = node.length > 0 ? input(node.offset + node.length - 1) + 1 : start
        copy.offset = start
        copy.length = end - start
        copy.children = node.children.map(map)
        return copy
    }

    func map(_ error: DecodeError) -> DecodeError {
        var copy = error
        copy.offset = input(error.offset)
        copy.partialFields = error.partialFields.map(map)
        return copy
    }
}

private struct Walker {
    let input: [UInt8]
    var context: DecodeContext
    var items: [DissectedItem] = []
    var error: DecodeError?

    // Handshake reassembly.
    var reassembler = HandshakeReassembler()
    var pending = OffsetMap()

    // Encryption tracking.
    /// TLS 1.3 was selected by a ServerHello (or asked for by a HelloRetryRequest): records of type
    /// application_data carry everything from now on, and change_cipher_spec is a no-op.
    var tls13 = false
    var sawHelloRetryRequest = false
    /// TLS 1.2: change_cipher_spec records seen. After the first, the next handshake record (that side's
    /// Finished) is encrypted; after the second, both directions are encrypted.
    var changeCipherSpecs = 0
    var nextHandshakeEncrypted = false

    init(input: [UInt8], context: DecodeContext) {
        self.input = input
        self.context = context
        if let v = context.version, v >= .tls13 { tls13 = true }
    }

    // MARK: Records

    mutating func walkRecords() {
        var position = 0
        var index = 0
        while position < input.count, error == nil {
            let remaining = input.count - position
            if remaining < TLSRecord.headerLength {
                fail(
                    DecodeError(
                        offset: position,
                        reason: "\(remaining) trailing byte\(remaining == 1 ? "" : "s") cannot hold a record header "
                            + "(5 bytes)"))
                break
            }
            index += 1
            let type = ContentType(rawValue: input[position])
            let version = ProtocolVersion(rawValue: UInt16(input[position + 1]) << 8 | UInt16(input[position + 2]))
            let length = Int(input[position + 3]) << 8 | Int(input[position + 4])
            let available = Swift.min(length, remaining - TLSRecord.headerLength)
            let fragment = Array(input[(position + 5)..<(position + 5 + available)])
            let record = TLSRecord(contentType: type, legacyVersion: version, fragment: fragment)

            if length > TLSRecord.maxCiphertext12 {
                addRecordItem(record, index: index, at: position, declaredLength: length, encrypted: false)
                fail(
                    DecodeError(
                        offset: position + 3,
                        reason: "record length \(length) exceeds the limit of \(TLSRecord.maxCiphertext12) bytes "
                            + "(RFC 5246 §6.2.3)", alert: .recordOverflow))
                break
            }
            if available < length {
                addRecordItem(record, index: index, at: position, declaredLength: length, encrypted: false)
                fail(
                    DecodeError(
                        offset: position + 3,
                        reason: "truncated record: the header announces \(length) bytes of fragment but only "
                            + "\(available) follow"))
                break
            }
            if !reassembler.isEmpty && type != .handshake {
                addRecordItem(record, index: index, at: position, declaredLength: length, encrypted: false)
                fail(
                    DecodeError(
                        offset: position,
                        reason: "a \(type) record arrived while a handshake message was still incomplete; handshake "
                            + "messages must not be interleaved with other record types (RFC 8446 §5.1)",
                        alert: .unexpectedMessage))
                break
            }
            let encrypted = isEncrypted(type: type, length: length)
            if type == .handshake && encrypted { nextHandshakeEncrypted = false }
            addRecordItem(record, index: index, at: position, declaredLength: length, encrypted: encrypted)
            if !encrypted {
                handlePlaintext(record, fragmentOffset: position + TLSRecord.headerLength)
            }
            position += TLSRecord.headerLength + length
        }
        failOnLeftover()
    }

    /// Bytes left in the reassembler at the end of the input are a message cut short: report what decoding them
    /// says (which field is missing, with the fields before it).
    mutating func failOnLeftover() {
        guard error == nil, !reassembler.isEmpty else { return }
        let leftover = reassembler.buffered
        if let e = failureOf(leftover) {
            fail(pending.map(e))
        } else {
            fail(
                DecodeError(
                    offset: input.count,
                    reason: "the input ends inside a handshake message (\(Render.count(leftover.count, "byte")) seen)"))
        }
    }

    func isEncrypted(type: ContentType, length: Int) -> Bool {
        switch type {
        case .applicationData:
            // TLS 1.2 application data is always protected; TLS 1.3 protected records all look like this.
            return true
        case .alert:
            // A plaintext alert is exactly 2 bytes; a protected one is longer (MAC or AEAD tag).
            return length != 2 && (tls13 || changeCipherSpecs > 0)
        case .handshake:
            return !tls13 && (changeCipherSpecs >= 2 || nextHandshakeEncrypted)
        default:
            return false
        }
    }

    mutating func addRecordItem(
        _ record: TLSRecord, index: Int, at position: Int, declaredLength: Int, encrypted: Bool
    ) {
        let typeName = record.contentType.description
        var title = "Record \(index): \(typeName), \(record.legacyVersion), \(Render.count(declaredLength, "byte"))"
        var note: String?
        let fragmentValue: String?
        if encrypted {
            title += " (encrypted)"
            fragmentValue = "ciphertext, \(Render.count(record.fragment.count, "byte"))"
            note =
                tls13
                ? "Encrypted TLS 1.3 record: the real content type and the message are inside the ciphertext; "
                    + "the traffic keys are needed to read them."
                : "Encrypted record: the traffic keys are needed to read it."
        } else {
            fragmentValue = nil
        }
        var children = record.headerFields(fragmentValue: fragmentValue)
        // Show the length the header declares, even when fewer bytes follow.
        if let i = children.firstIndex(where: { $0.key == "record.length" }) {
            children[i].value = "\(declaredLength)"
        }
        let root = FieldNode(
            key: "record", name: encrypted ? "TLSCiphertext" : "TLSPlaintext",
            value: "\(typeName), \(Render.count(declaredLength, "byte"))", offset: 0,
            length: TLSRecord.headerLength + record.fragment.count, children: children)
        items.append(
            DissectedItem(
                kind: .record, title: title, fields: root.shifted(by: position), note: note, depth: 0,
                isEncrypted: encrypted))
    }

    mutating func handlePlaintext(_ record: TLSRecord, fragmentOffset: Int) {
        switch record.contentType {
        case .handshake:
            reassembler.append(record.fragment)
            pending.append(inputOffset: fragmentOffset, length: record.fragment.count)
            drainMessages(depth: 1)
        case .alert:
            do {
                let (alert, node) = try Alert.decode(record.fragment)
                items.append(
                    DissectedItem(
                        kind: .alert, title: "Alert: \(alert.level) \(alert.description_)",
                        fields: node.shifted(by: fragmentOffset), depth: 1, alert: alert))
            } catch let e as DecodeError {
                fail(e.shifted(by: fragmentOffset))
            } catch {
                fail(DecodeError(offset: fragmentOffset, reason: "\(error)"))
            }
        case .changeCipherSpec:
            // RFC 5246 §7.1: struct { enum { change_cipher_spec(1), (255) } type; }.
            guard record.fragment == [1] else {
                fail(
                    DecodeError(
                        offset: fragmentOffset,
                        reason: "change_cipher_spec must be the single byte 0x01, found "
                            + (record.fragment.isEmpty ? "nothing" : record.fragment.hexPreview()),
                        alert: .unexpectedMessage))
                return
            }
            let node = FieldNode(
                key: "change_cipher_spec", name: "ChangeCipherSpec", value: "", offset: fragmentOffset, length: 1,
                children: [
                    FieldNode(
                        key: "change_cipher_spec.type", name: "type", value: "change_cipher_spec (1)",
                        offset: fragmentOffset, length: 1)
                ])
            let note: String
            if tls13 || sawHelloRetryRequest {
                note = "TLS 1.3 middlebox compatibility (RFC 8446 §D.4): it changes nothing."
            } else {
                changeCipherSpecs += 1
                nextHandshakeEncrypted = true
                note = "From here on this side's records are encrypted."
            }
            items.append(
                DissectedItem(kind: .changeCipherSpec, title: "ChangeCipherSpec", fields: node, note: note, depth: 1))
        default:
            fail(
                DecodeError(
                    offset: fragmentOffset - TLSRecord.headerLength,
                    reason: "unknown record content type \(record.contentType.labelled)",
                    alert: .unexpectedMessage))
        }
    }

    // MARK: Bare handshake messages

    mutating func walkBareMessages() {
        reassembler.append(input)
        pending.append(inputOffset: 0, length: input.count)
        drainMessages(depth: 0)
        failOnLeftover()
    }

    /// The error (with partial fields) that decoding `bytes` as one message produces, if any.
    func failureOf(_ bytes: [UInt8]) -> DecodeError? {
        do {
            _ = try HandshakeMessage.decode(bytes, context: context)
            return nil
        } catch let e as DecodeError {
            return e
        } catch {
            return DecodeError(offset: 0, reason: "\(error)")
        }
    }

    // MARK: Messages

    mutating func drainMessages(depth: Int) {
        while error == nil {
            let bytes: [UInt8]
            do {
                guard let next = try reassembler.next() else { return }
                bytes = next
            } catch let e as DecodeError {
                fail(pending.map(e))
                return
            } catch {
                fail(DecodeError(offset: pending.input(0), reason: "\(error)"))
                return
            }
            let map = pending.take(bytes.count)
            do {
                let (message, tree) = try HandshakeMessage.decode(bytes, context: context)
                var note: String?
                if !map.isContiguous {
                    note = "Reassembled from \(map.segments.count) records; offsets skip the record headers between."
                }
                items.append(
                    DissectedItem(
                        kind: .handshake, title: message.body.displayName, fields: map.map(tree), note: note,
                        depth: depth, message: message))
                update(after: message.body)
            } catch let e as DecodeError {
                fail(map.map(e))
                return
            } catch {
                fail(DecodeError(offset: map.input(0), reason: "\(error)"))
                return
            }
        }
    }

    /// Follows the negotiation: ServerHello fixes the version (RFC 8446 §4.2.1) and, in TLS 1.2, the cipher
    /// suite fixes the key exchange.
    mutating func update(after body: HandshakeBody) {
        switch body {
        case .serverHello(let sh) where sh.isHelloRetryRequest:
            sawHelloRetryRequest = true
        case .serverHello(let sh):
            if case .selectedVersion(let v) = sh.extensions.body(of: .supportedVersions) {
                context.version = v
            } else {
                context.version = sh.legacyVersion
            }
            if let v = context.version, v >= .tls13 {
                tls13 = true
            } else if let name = sh.cipherSuite.name {
                if name.hasPrefix("TLS_ECDHE_") {
                    context.keyExchange = .ecdhe
                } else if name.hasPrefix("TLS_RSA_") {
                    context.keyExchange = .rsa
                }
            }
        case .serverKeyExchange:
            context.keyExchange = .ecdhe
        default:
            break
        }
    }

    mutating func fail(_ e: DecodeError) {
        if error == nil { error = e }
    }
}

// MARK: - Text rendering

extension Dissector {
    /// Renders a dissection as plain text, one line per field:
    ///
    ///     offset  length  name  value  — meaning
    ///
    /// indented by depth and wrapped to `width` columns (values and meanings that do not fit continue on the
    /// next lines). `meanings: false` leaves the meanings out.
    public static func render(_ dissection: Dissection, width: Int = 100, meanings: Bool = true) -> String {
        var out: [String] = []
        let layout = dissection.layout == .records ? "TLS records" : "handshake messages without record headers"
        out.append("\(Render.count(dissection.inputLength, "byte")), read as \(layout)")
        out.append("offset  length  field")
        for item in dissection.items {
            out.append("")
            out.append(String(repeating: "  ", count: item.depth) + item.title)
            if let note = item.note {
                out.append(
                    contentsOf: wrap(
                        "note: " + note, width: width, indent: String(repeating: " ", count: 2 * item.depth + 2)))
            }
            renderFields(item.fields, depth: item.depth, width: width, meanings: meanings, into: &out)
        }
        if let error = dissection.error {
            out.append("")
            out.append(
                contentsOf: wrap(
                    "ERROR at offset \(error.offset) (alert \(error.alert.description)): \(error.reason)", width: width,
                    indent: "", continuation: "  "))
            if !error.path.isEmpty {
                out.append(contentsOf: wrap("in " + error.path.joined(separator: " › "), width: width, indent: "  "))
            }
            if !error.partialFields.isEmpty {
                out.append("  decoded before the error:")
                for node in error.partialFields {
                    renderFields(node, depth: 1, width: width, meanings: meanings, into: &out)
                }
            }
        } else {
            out.append("")
            out.append("All \(Render.count(dissection.inputLength, "byte")) decoded.")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// Renders one field tree (the same line format as `render`).
    public static func renderFields(_ root: FieldNode, width: Int = 100, meanings: Bool = true) -> String {
        var out: [String] = []
        renderFields(root, depth: 0, width: width, meanings: meanings, into: &out)
        return out.joined(separator: "\n") + "\n"
    }

    static func renderFields(_ root: FieldNode, depth: Int, width: Int, meanings: Bool, into out: inout [String]) {
        root.walk { node, level in
            let columns = pad(String(node.offset), 6) + "  " + pad(String(node.length), 6) + "  "
            let indent = String(repeating: "  ", count: depth + level)
            let head = columns + indent + node.name
            let meaning = meanings ? node.meaning.map { "— " + $0 } : nil
            let value = node.value
            let oneLine = head + (value.isEmpty ? "" : "  " + value) + (meaning.map { "  " + $0 } ?? "")
            if oneLine.count <= width {
                out.append(oneLine)
                return
            }
            let blank = String(repeating: " ", count: columns.count) + indent + "  "
            if value.isEmpty || (head + "  " + value).count <= width {
                out.append(head + (value.isEmpty ? "" : "  " + value))
            } else {
                out.append(head)
                out.append(contentsOf: wrap(value, width: width, indent: blank, hard: true))
            }
            if let meaning { out.append(contentsOf: wrap(meaning, width: width, indent: blank, continuation: "  ")) }
        }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        String(repeating: " ", count: Swift.max(0, n - s.count)) + s
    }

    /// Word-wraps `text` to `width` columns, each line starting with `indent` (plus `continuation` after the
    /// first). `hard` also breaks words longer than a line (hex).
    static func wrap(_ text: String, width: Int, indent: String, continuation: String = "", hard: Bool = false)
        -> [String]
    {
        var lines: [String] = []
        var line = ""
        let room = { (first: Bool) in Swift.max(16, width - indent.count - (first ? 0 : continuation.count)) }
        func flush() {
            lines.append(indent + (lines.isEmpty ? "" : continuation) + line)
            line = ""
        }
        for word in text.split(separator: " ", omittingEmptySubsequences: false).map(String.init) {
            var word = word
            while hard, word.count > room(lines.isEmpty) {
                if !line.isEmpty { flush() }
                let n = room(lines.isEmpty)
                line = String(word.prefix(n))
                word = String(word.dropFirst(n))
                flush()
            }
            let candidate = line.isEmpty ? word : line + " " + word
            if candidate.count > room(lines.isEmpty), !line.isEmpty {
                flush()
                line = word
            } else {
                line = candidate
            }
        }
        if !line.isEmpty || lines.isEmpty { flush() }
        return lines
    }
}
