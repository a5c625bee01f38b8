import TLSCrypto
import TLSTranscript
import TLSWire

/// Plain-language explanations of everything TLSLab shows, each with its RFC section. The UI calls these for the
/// selected item; exporters call them to annotate handouts; `tlslab explain NAME` prints them.
///
/// Every lookup is total over what TLSLab emits: every FieldNode key of `FieldCatalog`, every `HandshakeType`,
/// `ExtensionType` and `AlertDescription` TLSWire names, every record content type, and every derivation name a
/// scenario produces (the tests check all of these).
public enum Explanations {
    // MARK: By kind

    /// A decoded field (`FieldNode.key`), with `FieldCatalog.meaning` as its summary. The root of a message,
    /// extension, alert or change_cipher_spec is explained by its message / extension / content-type entry.
    public static func field(_ key: String) -> Explanation? {
        if let entry = FieldContent.fields[key] ?? ExtensionContent.special[key] {
            return Explanation(
                kind: .field, key: key, title: fieldTitle(key),
                summary: FieldCatalog.meaning(for: key) ?? entry.summary ?? entry.detail, detail: entry.detail,
                rfc: entry.rfc, inPractice: entry.inPractice, scenario: entry.scenario, topic: entry.topic)
        }
        if var message = MessageContent.messages[key].flatMap({ message(key: key, entry: $0) }) {
            message.kind = .field
            message.summary = FieldCatalog.meaning(for: key) ?? message.summary
            return message
        }
        if key.hasPrefix("ext."), let name = extensionName(forFieldKey: key), var ext = extensionNamed(name) {
            ext.kind = .field
            ext.key = key
            ext.summary = FieldCatalog.meaning(for: key) ?? ext.summary
            return ext
        }
        if key == "alert" || key == "change_cipher_spec", var type = contentType(named: key) {
            type.kind = .field
            type.summary = FieldCatalog.meaning(for: key) ?? type.summary
            return type
        }
        return nil
    }

    /// The explanation for a node of a decoded tree.
    public static func field(_ node: FieldNode) -> Explanation? { field(node.key) }

    /// A handshake message by type (RFC 8446 §4, RFC 5246 §7.4).
    public static func message(_ type: HandshakeType) -> Explanation? {
        guard let name = type.name, let entry = MessageContent.messages[name] else { return nil }
        return message(key: name, entry: entry)
    }

    /// A message by any of its names: `ClientHello`, `client_hello`, `HelloRetryRequest`, or a record title such
    /// as `ChangeCipherSpec`, `Alert: bad_record_mac`, `Application data (60 bytes)`.
    public static func message(named name: String) -> Explanation? {
        if name.hasPrefix("Alert: ") { return alert(named: String(name.dropFirst(7))) }
        if name.hasPrefix("Application data") || name.hasPrefix("ApplicationData") {
            return contentType(named: "application_data")
        }
        let snake = Lookup.snakeCase(name)
        if snake == "change_cipher_spec" || snake == "alert" { return contentType(named: snake) }
        guard let entry = MessageContent.messages[snake] else { return nil }
        return message(key: snake, entry: entry)
    }

    /// An extension by type (RFC 8446 §4.2 and its own RFC).
    public static func extensionType(_ type: ExtensionType) -> Explanation? {
        if type.isGREASE, let entry = ExtensionContent.special["ext.grease"] {
            return Explanation(
                kind: .extension, key: "grease", title: "GREASE (\(type.hexValue))",
                summary: FieldCatalog.meaning(for: "ext.grease") ?? "", detail: entry.detail, rfc: entry.rfc)
        }
        guard let name = type.name else { return nil }
        return extensionNamed(name)
    }

    /// An alert (RFC 8446 §6, RFC 5246 §7.2): what it means and what causes it in practice.
    public static func alert(_ description: AlertDescription) -> Explanation? {
        guard let name = description.name ?? AlertContent.extraNames[description.rawValue] else { return nil }
        return alert(named: name)
    }

    /// An alert by name (`bad_record_mac`).
    public static func alert(named name: String) -> Explanation? {
        guard let entry = AlertContent.alerts[name] else { return nil }
        let code =
            AlertDescription(name: name)?.rawValue ?? AlertContent.extraNames.first(where: { $0.value == name })?.key
        return Explanation(
            kind: .alert, key: name, title: code.map { "\(name) (alert \($0))" } ?? name,
            summary: entry.summary ?? entry.detail, detail: entry.detail, rfc: entry.rfc,
            inPractice: entry.inPractice, scenario: entry.scenario, topic: entry.topic)
    }

    /// A derived value (`DerivationStep.name`). `version` (`TLS 1.3`, `TLS 1.2`) picks the right meaning of a
    /// name both versions use (`master_secret`, `client_verify_data`); without it the TLS 1.2 meaning is given
    /// for those.
    public static func derivation(_ name: String, version: String? = nil) -> Explanation? {
        let canonical = DerivationNames.canonical(name)
        let tls13 = version.map { $0.contains("1.3") } ?? false
        let key = tls13 && DerivationContent.derivations[canonical + "@1.3"] != nil ? canonical + "@1.3" : canonical
        guard let entry = DerivationContent.derivations[key] else { return nil }
        var title = name
        if DerivationContent.derivations[canonical + "@1.3"] != nil { title += key.hasSuffix("@1.3") ? " (TLS 1.3)" : " (TLS 1.2)" }
        return Explanation(
            kind: .derivation, key: key, title: title, summary: entry.summary ?? entry.detail, detail: entry.detail,
            rfc: entry.rfc, inPractice: entry.inPractice, scenario: entry.scenario, topic: entry.topic)
    }

    /// The explanation of a recorded derivation, taking the version from the transcript (per connection).
    public static func derivation(_ step: DerivationStep, in transcript: Transcript, connection: Int = 0) -> Explanation? {
        derivation(step.name, version: Lookup.version(of: transcript, connection: connection))
    }

    /// A record content type (RFC 8446 §5.1, RFC 5246 §6.2.1).
    public static func contentType(_ type: ContentType) -> Explanation? {
        type.name.flatMap(contentType(named:))
    }

    /// A content type by name (`change_cipher_spec`, `alert`, `handshake`, `application_data`, …).
    public static func contentType(named name: String) -> Explanation? {
        guard let entry = MessageContent.contentTypes[name] else { return nil }
        let code = ContentType(name: name)?.rawValue
        return Explanation(
            kind: .contentType, key: name, title: code.map { "\(name) (content type \($0))" } ?? name,
            summary: entry.summary ?? entry.detail, detail: entry.detail, rfc: entry.rfc, scenario: entry.scenario,
            topic: entry.topic)
    }

    /// A cipher suite, explained part by part (see `CipherSuiteAnatomy`).
    public static func cipherSuite(_ suite: CipherSuite) -> Explanation? {
        suite.name.flatMap(AlgorithmContent.cipherSuite)
    }

    /// A key-exchange group (RFC 8446 §4.2.7).
    public static func group(_ group: NamedGroup) -> Explanation? {
        guard let name = group.name, let entry = AlgorithmContent.groups[name] else { return nil }
        return Explanation(
            kind: .group, key: name, title: "\(name) (\(group.hexValue))", summary: entry.summary ?? entry.detail,
            detail: entry.detail, rfc: entry.rfc, scenario: entry.scenario, topic: "cipher-suite")
    }

    /// A signature scheme (RFC 8446 §4.2.3).
    public static func signatureScheme(_ scheme: SignatureScheme) -> Explanation? {
        guard let name = scheme.name, let entry = AlgorithmContent.signatureScheme(name) else { return nil }
        return Explanation(
            kind: .signatureScheme, key: name, title: "\(name) (\(scheme.hexValue))",
            summary: entry.summary ?? entry.detail, detail: entry.detail, rfc: entry.rfc, scenario: entry.scenario,
            topic: "trust")
    }

    // MARK: What the UI selects

    /// Everything worth explaining about one walkthrough step, most specific first: the message (or the record's
    /// content type / alert), then each alert sent or received at the step, then each value derived at it.
    public static func forStep(_ index: Int, in walkthrough: Walkthrough) -> [Explanation] {
        guard walkthrough.steps.indices.contains(index) else { return [] }
        let step = walkthrough.steps[index]
        let t = walkthrough.transcript
        var out: [Explanation] = []
        var seen = Set<String>()
        func add(_ e: Explanation?) {
            guard let e, seen.insert("\(e.kind.rawValue):\(e.key)").inserted else { return }
            out.append(e)
        }
        if let m = step.message, t.messages.indices.contains(m) {
            add(message(named: t.messages[m].name))
        } else if let record = t.records.first(where: { $0.index == step.record }) {
            add(forRecord(record).first)
        }
        for e in step.events {
            let event = t.events[e]
            switch event.kind {
            case .alertSent, .alertReceived: add(event.alert.flatMap { alert(named: $0.description) })
            case .derivation:
                if let d = event.derivation { add(derivation(d, in: t, connection: event.connection)) }
            default: break
            }
        }
        return out
    }

    /// A record: its content type (inner type for encrypted TLS 1.3 records) and, for an alert record, the alert.
    public static func forRecord(_ record: RecordEntry) -> [Explanation] {
        var out: [Explanation] = []
        if record.innerContentType == "alert", record.summary.hasPrefix("Alert: "),
            let a = alert(named: String(record.summary.dropFirst(7)))
        {
            out.append(a)
        }
        if let type = contentType(named: record.innerContentType) { out.append(type) }
        if record.innerContentType != record.contentType, let outer = contentType(named: record.contentType) {
            out.append(outer)
        }
        return out
    }

    /// The explanation of one event: a derivation or an alert (nil for other kinds).
    public static func forEvent(_ event: TranscriptEvent, in transcript: Transcript) -> Explanation? {
        switch event.kind {
        case .derivation, .eavesdropper:
            return event.derivation.flatMap { derivation($0, in: transcript, connection: event.connection) }
        case .alertSent, .alertReceived:
            return event.alert.flatMap { alert(named: $0.description) }
        default:
            return nil
        }
    }

    // MARK: Search

    /// Every explanation whose key or name matches `query` (case, `-`/`_` and spaces ignored): a field key
    /// (`client_hello.random`), a message (`ClientHello`), an extension (`key_share`), an alert (`bad_record_mac`),
    /// a derivation (`master_secret`: both versions), a content type, a cipher suite, a group or a signature scheme.
    public static func lookup(_ query: String) -> [Explanation] {
        let q = Lookup.normalize(query)
        guard !q.isEmpty else { return [] }
        return all.filter { Lookup.normalize($0.key) == q || Lookup.normalize(Lookup.stripVariant($0.key)) == q
            || Lookup.normalize(displayName($0)) == q }
    }

    /// Every explanation TLSLab has, in a stable order (kind, then key).
    public static let all: [Explanation] = buildAll()

    static func buildAll() -> [Explanation] {
        var out: [Explanation] = []
        out += MessageContent.messages.keys.sorted().compactMap { key in
            MessageContent.messages[key].flatMap { message(key: key, entry: $0) }
        }
        out += MessageContent.contentTypes.keys.sorted().compactMap(contentType(named:))
        out += ExtensionContent.extensions.keys.sorted().compactMap(extensionNamed)
        out += AlertContent.alerts.keys.sorted().compactMap(alert(named:))
        out += DerivationContent.derivations.keys.sorted().compactMap { key -> Explanation? in
            key.hasSuffix("@1.3") ? derivation(Lookup.stripVariant(key), version: "TLS 1.3") : derivation(key)
        }
        out += (Set(FieldContent.fields.keys).union(ExtensionContent.special.keys)).sorted().compactMap(field)
        out += CipherSuite.names.values.sorted().compactMap(AlgorithmContent.cipherSuite)
        out += NamedGroup.names.values.sorted().compactMap { NamedGroup(name: $0).flatMap(group) }
        out += SignatureScheme.names.values.sorted().compactMap { SignatureScheme(name: $0).flatMap(signatureScheme) }
        return out
    }

    // MARK: Helpers

    static func message(key: String, entry: Entry) -> Explanation {
        let type = HandshakeType(name: key)
        let display = key == "hello_retry_request" ? "HelloRetryRequest" : (type?.displayName ?? key)
        let title = type.map { "\(display) (handshake type \($0.rawValue))" } ?? "\(display) (a ServerHello, type 2)"
        return Explanation(
            kind: .message, key: key, title: title,
            summary: entry.summary ?? FieldCatalog.meaning(for: key) ?? entry.detail, detail: entry.detail,
            rfc: entry.rfc, scenario: entry.scenario, topic: entry.topic)
    }

    static func extensionNamed(_ name: String) -> Explanation? {
        guard let entry = ExtensionContent.extensions[name] else { return nil }
        let code = ExtensionType(name: name)
        return Explanation(
            kind: .extension, key: name, title: code.map { "\(name) (extension \($0.rawValue))" } ?? name,
            summary: FieldCatalog.meaning(for: ExtensionContent.fieldKey(forExtension: name)) ?? entry.summary
                ?? entry.detail,
            detail: entry.detail, rfc: entry.rfc, scenario: entry.scenario, topic: entry.topic)
    }

    /// `ext.key_share` → `key_share`, `ext.alpn` → `application_layer_protocol_negotiation`; nil for deeper keys.
    static func extensionName(forFieldKey key: String) -> String? {
        let rest = key.dropFirst(4)
        guard !rest.contains(".") else { return nil }
        return rest == "alpn" ? "application_layer_protocol_negotiation" : String(rest)
    }

    /// `client_hello.random` → `ClientHello.random`, `ext.key_share.group` → `key_share.group`.
    static func fieldTitle(_ key: String) -> String {
        var parts = key.split(separator: ".").map(String.init)
        if parts.first == "ext" { parts.removeFirst() } else if let first = parts.first,
            let type = HandshakeType(name: first)
        {
            parts[0] = type.displayName
        } else if parts.first == "hello_retry_request" {
            parts[0] = "HelloRetryRequest"
        }
        return parts.joined(separator: ".")
    }

    /// What a learner would type for this explanation besides its key (`ClientHello` for `client_hello`).
    static func displayName(_ e: Explanation) -> String {
        switch e.kind {
        case .message: e.key == "hello_retry_request" ? "HelloRetryRequest" : (HandshakeType(name: e.key)?.displayName ?? e.key)
        case .field: fieldTitle(e.key)
        default: e.key
        }
    }
}

/// Name normalisation shared by the lookups.
enum Lookup {
    /// Lower-case, without `_`, `-`, spaces.
    static func normalize(_ s: String) -> String {
        String(s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }

    /// `master_secret@1.3` → `master_secret`.
    static func stripVariant(_ key: String) -> String {
        key.split(separator: "@").first.map(String.init) ?? key
    }

    /// `ClientHello` → `client_hello`; snake_case stays.
    static func snakeCase(_ name: String) -> String {
        if name.contains("_") || name == name.lowercased() { return name.lowercased() }
        var out = ""
        for (i, c) in name.enumerated() {
            if c.isUppercase && i > 0 { out += "_" }
            out += c.lowercased()
        }
        return out
    }

    /// The negotiated version of a connection (`TLS 1.3`), falling back to the run's.
    static func version(of t: Transcript, connection: Int) -> String? {
        if t.connections.indices.contains(connection), let n = t.connections[connection].negotiated { return n.version }
        return t.negotiated?.version
    }
}
