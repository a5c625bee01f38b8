/// One question learners ask, answered for `tlslab explain TOPIC` and the UI's help: plain text, the RFC sections,
/// and the scenarios that show it. `claims` are the facts the answer states about those scenarios (message order,
/// round trips, …); the tests check each one against the scenario's transcript, so the text cannot drift from what
/// TLSLab really does.
public struct Topic: Sendable, Equatable, Identifiable {
    /// `handshake`, `cipher-suite`, `handshake-failed`, …
    public var id: String
    /// Heading: `What a TLS handshake is and what it settles`.
    public var title: String
    /// The learner's question.
    public var question: String
    /// One line for the topic list.
    public var summary: String
    /// The answer. A paragraph starting with `• ` or `1. ` is a list item.
    public var paragraphs: [String]
    /// Scenarios that show it (`tlslab run NAME`), most relevant first.
    public var scenarios: [String]
    /// Other commands worth running (`tlslab compare tls12-ecdhe-rsa tls13`).
    public var commands: [String]
    /// RFC sections, `; `-separated.
    public var rfc: String
    /// Related topic ids.
    public var related: [String]
    /// Other names accepted by `tlslab explain` (`troubleshooting` for `handshake-failed`).
    public var aliases: [String]
    /// Cipher suites to take apart with `CipherSuiteAnatomy` under the answer.
    public var cipherSuites: [String]
    /// Facts about the scenarios, checked by the tests.
    public var claims: [TopicClaim]

    public init(
        id: String, title: String, question: String, summary: String, paragraphs: [String], scenarios: [String],
        commands: [String] = [], rfc: String, related: [String] = [], aliases: [String] = [],
        cipherSuites: [String] = [], claims: [TopicClaim] = []
    ) {
        self.id = id
        self.title = title
        self.question = question
        self.summary = summary
        self.paragraphs = paragraphs
        self.scenarios = scenarios
        self.commands = commands
        self.rfc = rfc
        self.related = related
        self.aliases = aliases
        self.cipherSuites = cipherSuites
        self.claims = claims
    }

    /// Plain text for a terminal, wrapped to `width`.
    public func text(width: Int = 100) -> String {
        var lines = [title, String(repeating: "═", count: min(width, title.count)), ""]
        lines += TextWrap.wrap(question, width: width)
        lines.append("")
        for p in paragraphs {
            if p.hasPrefix("• ") {
                lines += TextWrap.wrap(p, width: width, indent: "  ", continuation: "    ")
            } else if let first = p.first, first.isNumber, p.dropFirst().hasPrefix(". ") {
                lines += TextWrap.wrap(p, width: width, indent: "  ", continuation: "     ")
            } else {
                if lines.last != "" { lines.append("") }
                lines += TextWrap.wrap(p, width: width)
                lines.append("")
            }
        }
        if lines.last != "" { lines.append("") }
        for name in cipherSuites {
            guard let a = CipherSuiteAnatomy(name) else { continue }
            lines.append("  \(name) (\(a.version))")
            for part in a.parts {
                let head = "    \(TextWrap.pad(part.role, 15))\(TextWrap.pad(part.value, 19))"
                lines += TextWrap.wrap(
                    part.meaning, width: width, indent: head, continuation: String(repeating: " ", count: head.count))
            }
            lines.append("")
        }
        let pad = "        "
        if !scenarios.isEmpty {
            lines += TextWrap.items(scenarios.map { "tlslab run \($0)" }, width: width, indent: "See it: ", continuation: pad)
        }
        for command in commands { lines.append("Try:    \(command)") }
        lines += TextWrap.wrap(rfc, width: width, indent: "RFC:    ", continuation: pad)
        if !related.isEmpty {
            lines += TextWrap.items(related.map { "tlslab explain \($0)" }, width: width, indent: "More:   ", continuation: pad)
        }
        return lines.joined(separator: "\n")
    }
}

/// A checkable statement a topic makes about a scenario (connections count from 0).
public enum TopicClaim: Sendable, Equatable {
    /// The connection's handshake messages, in order, begin with these names.
    case messages(scenario: String, connection: Int, names: [String])
    /// Server flights before the client sends application data the server accepts (`Comparison.roundTrips`).
    case roundTrips(scenario: String, connection: Int, count: Int)
    /// The first encrypted handshake message of the first connection.
    case firstEncrypted(scenario: String, message: String)
    /// A value derived in the first connection has this many bytes.
    case derivationLength(scenario: String, name: String, bytes: Int)

    public var scenario: String {
        switch self {
        case .messages(let s, _, _), .roundTrips(let s, _, _), .firstEncrypted(let s, _), .derivationLength(let s, _, _): s
        }
    }
}

/// What `tlslab explain QUERY` (and the UI's help search) finds for a query: a topic, the explanations of items
/// with that name, and a glossary term — all of them, so a topic never hides a message or a secret of the same
/// name (`handshake`, `key-update`).
public struct ExplainAnswer: Sendable, Equatable {
    public var topic: Topic?
    public var explanations: [Explanation]
    public var glossary: GlossaryTerm?

    public var isEmpty: Bool { topic == nil && explanations.isEmpty && glossary == nil }
}

public enum ExplainQuery {
    /// Topic by id or alias, explanations by any name (`Explanations.lookup`), glossary term by name.
    public static func answer(_ query: String) -> ExplainAnswer {
        ExplainAnswer(topic: Topics.topic(query), explanations: Explanations.lookup(query), glossary: Glossary.term(query))
    }

    /// Every name a query may use, for "did you mean" suggestions.
    public static var names: [String] {
        Topics.all.flatMap { [$0.id] + $0.aliases } + Explanations.all.map(\.key) + Glossary.terms.map(\.term)
    }
}
