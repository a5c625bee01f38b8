import Foundation

/// A plain-language explanation of one thing TLSLab shows: a field, a handshake message, an extension, an alert,
/// a derived secret, a record content type, a cipher suite, a group or a signature scheme.
///
/// `summary` is one short line (for fields it is `FieldCatalog.meaning`, so the field tree and the explanation
/// panel agree); `detail` is one or two sentences a first-year student understands; `rfc` names the section that
/// defines it (`RFC 8446 §4.1.2`, several separated by `; `).
public struct Explanation: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case field
        case message
        case `extension`
        case alert
        case derivation
        case contentType = "content_type"
        case cipherSuite = "cipher_suite"
        case group
        case signatureScheme = "signature_scheme"
    }

    public var kind: Kind
    /// The lookup key: a FieldNode key (`client_hello.random`), a message name (`client_hello`, `hello_retry_request`),
    /// an extension name, an alert name, a derivation name, a content type name, a cipher suite name, …
    public var key: String
    /// What to show as a heading: `ClientHello.random`, `bad_record_mac (20)`, `master_secret (TLS 1.2)`.
    public var title: String
    /// One short line.
    public var summary: String
    /// One or two sentences in plain language.
    public var detail: String
    /// Where it is defined, e.g. `RFC 8446 §4.1.2; RFC 5246 §7.4.1.2`.
    public var rfc: String
    /// Alerts: what causes it in practice. Others: a practical remark, if any.
    public var inPractice: String?
    /// A shipped scenario that shows it (`tlslab run NAME`).
    public var scenario: String?
    /// An `tlslab explain` topic that tells the bigger story.
    public var topic: String?

    public init(
        kind: Kind, key: String, title: String, summary: String, detail: String, rfc: String,
        inPractice: String? = nil, scenario: String? = nil, topic: String? = nil
    ) {
        self.kind = kind
        self.key = key
        self.title = title
        self.summary = summary
        self.detail = detail
        self.rfc = rfc
        self.inPractice = inPractice
        self.scenario = scenario
        self.topic = topic
    }

    /// The RFC references one by one: `["RFC 8446 §4.1.2", "RFC 5246 §7.4.1.2"]`.
    public var references: [String] {
        rfc.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Plain text for a terminal or a handout: heading with the RFC, the summary, the detail, and where to see it.
    public func text(width: Int = 100) -> String {
        var lines = ["\(title) — \(rfc)"]
        lines += TextWrap.wrap(summary, width: width)
        if detail != summary { lines += TextWrap.wrap(detail, width: width) }
        if let inPractice { lines += TextWrap.wrap("In practice: " + inPractice, width: width, continuation: "  ") }
        var see: [String] = []
        if let scenario { see.append("tlslab run \(scenario)") }
        if let topic { see.append("tlslab explain \(topic)") }
        if !see.isEmpty { lines.append("See: " + see.joined(separator: " · ")) }
        return lines.joined(separator: "\n")
    }
}

/// The short definition every table entry carries: one or two sentences, the RFC section, and where to see it.
struct Entry: Sendable {
    var rfc: String
    var detail: String
    var summary: String?
    var inPractice: String?
    var scenario: String?
    var topic: String?

    init(
        _ rfc: String, _ detail: String, summary: String? = nil, inPractice: String? = nil, scenario: String? = nil,
        topic: String? = nil
    ) {
        self.rfc = rfc
        self.detail = detail
        self.summary = summary
        self.inPractice = inPractice
        self.scenario = scenario
        self.topic = topic
    }
}
