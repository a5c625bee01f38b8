import ArgumentParser
import Foundation
import TLSScenario
import TLSTeaching

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain TLS: answers to common questions, and any message, field, extension, alert or secret.",
        discussion: """
            With no TOPIC: the list of topics, one line each. TOPIC is a topic from that list (handshake, \
            cipher-suite, handshake-failed, …) or the name of something TLSLab shows: a message (ClientHello), \
            a field key (client_hello.random), an extension (key_share), an alert (bad_record_mac), a derived \
            secret (master_secret), a content type, a cipher suite, a group or a signature scheme.
            """)

    @Argument(help: "A topic or a name; several words are joined (bad record mac).")
    var topic: [String] = []

    @Flag(name: .long, help: "Print the glossary.")
    var glossary = false

    @Option(name: .long, help: "Wrap text at this many columns.")
    var width = 100

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        if glossary {
            print(Glossary.text(width: width), terminator: "")
            return
        }
        guard !topic.isEmpty else {
            printTopicList()
            return
        }
        let query = topic.joined(separator: " ")
        let answer = ExplainQuery.answer(query)
        guard !answer.isEmpty else {
            throw CLIError(
                "nothing to explain for '\(query)'\(NameSuggestion.phrase(for: query, in: ExplainQuery.names)); `tlslab explain` lists the topics")
        }
        var parts: [String] = []
        if let found = answer.topic {
            parts.append(
                found.id == "handshake-failed"
                    ? Troubleshooting.text(labNotes: try labNotes(), width: width) : found.text(width: width) + "\n")
        }
        if !answer.explanations.isEmpty {
            let heading = answer.topic == nil ? "" : "── The item named \(query) ──\n"
            parts.append(heading + answer.explanations.map { $0.text(width: width) }.joined(separator: "\n\n") + "\n")
        }
        if parts.isEmpty, let term = answer.glossary {
            let text = TextWrap.wrap("\(term.term) — \(term.definition)", width: width, continuation: "    ")
            parts.append(text.joined(separator: "\n") + "\nMore: tlslab explain \(term.explanation ?? term.topic)\n")
        }
        print(parts.joined(separator: "\n"), terminator: "")
    }

    func printTopicList() {
        print("Topics (tlslab explain TOPIC):")
        let idWidth = (Topics.all.map(\.id.count).max() ?? 10) + 2
        for t in Topics.all {
            let lines = TextWrap.wrap(
                t.summary, width: width, indent: "  " + TextWrap.pad(t.id, idWidth),
                continuation: String(repeating: " ", count: idWidth + 2))
            print(lines.joined(separator: "\n"))
        }
        print("")
        print(
            TextWrap.wrap(
                "Also: tlslab explain NAME for any message (ClientHello), field (client_hello.random), extension (key_share), alert (bad_record_mac), secret (master_secret) or cipher suite; tlslab explain --glossary for the glossary.",
                width: width
            ).joined(separator: "\n"))
    }

    /// The `lab:` notes of the failure-lab scenarios, by name.
    func labNotes() throws -> [String: LabNote] {
        var notes: [String: LabNote] = [:]
        for entry in try scenarioOptions.catalog().entries() {
            if case .success(let scenario) = entry.result, let lab = scenario.lab { notes[entry.name] = lab }
        }
        return notes
    }
}
