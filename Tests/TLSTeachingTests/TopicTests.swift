import Foundation
import TLSScenario
import TLSSimulator
import TLSTeaching
import TLSTranscript
import TLSWire
import XCTest

/// `tlslab explain` topics: they answer the questions the issue lists, every reference resolves, and every fact
/// they state about a scenario holds in that scenario's transcript.
final class TopicTests: XCTestCase {
    func testTheLearnersQuestionsHaveTopics() {
        let required = [
            "handshake", "where", "tls12-steps", "cipher-suite", "session-keys", "encrypted-handshake",
            "asymmetric-symmetric", "tls13", "zero-rtt", "ssl-vs-tls", "https", "mutual-tls", "trust", "server-files",
            "round-trips", "handshake-failed",
        ]
        for id in required { XCTAssertNotNil(Topics.topic(id), id) }
        XCTAssertEqual(Set(Topics.all.map(\.id)).count, Topics.all.count, "ids are unique")
        XCTAssertEqual(Topics.topic("troubleshooting")?.id, "handshake-failed")
        XCTAssertEqual(Topics.topic("Cipher Suite")?.id, "cipher-suite")
    }

    func testEveryReferenceResolves() {
        let scenarios = Set(catalog.names())
        let lessons = Set(LessonCatalog(directory: lessonsDirectory).names())
        for t in Topics.all {
            XCTAssertFalse(t.scenarios.isEmpty, "\(t.id) links to a scenario")
            for s in t.scenarios { XCTAssertTrue(scenarios.contains(s), "\(t.id) → \(s)") }
            for r in t.related { XCTAssertNotNil(Topics.topic(r), "\(t.id) → topic \(r)") }
            for c in t.claims { XCTAssertTrue(scenarios.contains(c.scenario), "\(t.id) claim → \(c.scenario)") }
            for suite in t.cipherSuites { XCTAssertNotNil(CipherSuiteAnatomy(suite), suite) }
            for command in t.commands {
                let words = command.split(separator: " ").map(String.init)
                XCTAssertEqual(words.first, "tlslab", command)
                switch words.dropFirst().first {
                case "compare":
                    for s in words.dropFirst(2) { XCTAssertTrue(scenarios.contains(s), "\(t.id): \(command)") }
                case "lesson":
                    XCTAssertTrue(lessons.contains(words[2]), "\(t.id): \(command)")
                case "explain":
                    XCTAssertTrue(
                        Topics.topic(words[2]) != nil || !Explanations.lookup(words[2]).isEmpty, "\(t.id): \(command)")
                case "pki": break
                default: XCTFail("\(t.id): unknown command \(command)")
                }
            }
            // Scenario names quoted in the text exist too.
            for p in t.paragraphs {
                for word in p.split(whereSeparator: { " (),;:".contains($0) }) where word.hasPrefix("lab-") || word.hasPrefix("tls1") {
                    let name = word.trimmingCharacters(in: CharacterSet(charactersIn: ".'"))
                    XCTAssertTrue(scenarios.contains(name), "\(t.id) mentions \(name)")
                }
            }
        }
    }

    func testAQueryFindsEveryTopicAndEveryExplanation() {
        // `tlslab explain NAME` shows a topic and the items of that name: a topic never hides a message or secret.
        for e in Explanations.all {
            XCTAssertTrue(ExplainQuery.answer(e.key).explanations.contains(e), "explain \(e.key)")
        }
        for t in Topics.all {
            for name in [t.id] + t.aliases { XCTAssertEqual(ExplainQuery.answer(name).topic?.id, t.id, "explain \(name)") }
        }
        let both = ExplainQuery.answer("key-update")
        XCTAssertEqual(both.topic?.id, "key-update")
        XCTAssertEqual(both.explanations.first?.key, "key_update")
        XCTAssertEqual(ExplainQuery.answer("CSR").glossary?.term, "CSR")
        XCTAssertTrue(ExplainQuery.answer("nonsense words").isEmpty)
    }

    func testEveryClaimHoldsInItsTranscript() async throws {
        var checked = 0
        for topic in Topics.all {
            for claim in topic.claims {
                let t = try await TranscriptCache.shared.transcript(claim.scenario)
                checked += 1
                switch claim {
                case .messages(_, let connection, let names):
                    let actual = t.messages.filter { $0.connection == connection }.map(\.name)
                    XCTAssertEqual(Array(actual.prefix(names.count)), names, "\(topic.id): \(claim.scenario)")
                case .roundTrips(_, let connection, let count):
                    XCTAssertEqual(ConnectionProfile.roundTrips(t, connection: connection), count, "\(topic.id): \(claim)")
                    XCTAssertEqual(
                        independentRoundTrips(t, connection: connection), count, "\(topic.id): \(claim) (recounted)")
                case .firstEncrypted(_, let message):
                    XCTAssertEqual(t.messages.first(where: { $0.connection == 0 && $0.encrypted })?.name, message, "\(topic.id)")
                case .derivationLength(_, let name, let bytes):
                    let value = t.events.first { $0.connection == 0 && $0.derivation?.name == name }?.derivation?.output
                    XCTAssertEqual(value?.count, bytes, "\(topic.id): \(name) in \(claim.scenario)")
                }
            }
        }
        XCTAssertGreaterThanOrEqual(checked, 25)
    }

    /// Round trips counted another way: the number of times the direction changes from client to server and back
    /// before the client's first application data, read from the records' summaries (early data is counted only
    /// when the server accepted it, i.e. the client sends EndOfEarlyData).
    func independentRoundTrips(_ t: Transcript, connection: Int) -> Int? {
        let records = t.records.filter { $0.connection == connection }
        let endOfEarlyData = t.messages.contains { $0.connection == connection && $0.name == "EndOfEarlyData" }
        var roundTrips = 0
        var awaitingServer = true
        for r in records {
            if r.from == .client {
                if r.summary.hasPrefix("Application data") {
                    let early = r.keys == "client_early_traffic keys"
                    if !early || endOfEarlyData { return roundTrips }
                }
                awaitingServer = true
            } else if awaitingServer {
                roundTrips += 1
                awaitingServer = false
            }
        }
        return nil
    }

    func testTopicTextIsWrappedAndNamesItsSources() throws {
        for t in Topics.all {
            let text = t.text(width: 100)
            for line in text.split(separator: "\n") {
                XCTAssertLessThanOrEqual(line.count, 100, "\(t.id): \(line)")
            }
            XCTAssertTrue(text.contains("RFC:"), t.id)
            XCTAssertTrue(text.contains("tlslab run \(t.scenarios[0])"), t.id)
        }
        let cipher = try XCTUnwrap(Topics.topic("cipher-suite")).text()
        XCTAssertTrue(cipher.contains("key exchange   ECDHE"), cipher)
    }

    // MARK: Troubleshooting

    func testTroubleshootingCoversTheCommonCauses() {
        let ids = Set(Troubleshooting.cases.map(\.id))
        for id in [
            "wrong-clock", "version-mismatch", "expired-certificate", "untrusted-certificate", "wrong-host",
            "no-shared-cipher", "missing-client-certificate", "interception",
        ] {
            XCTAssertTrue(ids.contains(id), id)
        }
    }

    /// Every scenario a case names exists, says in its `expect:` what the case says, and really fails that way.
    func testEveryReproductionFailsWithTheStatedAlert() async throws {
        for c in Troubleshooting.cases {
            XCTAssertFalse(c.reproductions.isEmpty, c.id)
            for r in c.reproductions {
                let scenario = try catalog.resolve(r.scenario)
                XCTAssertEqual(scenario.expect?.outcome, "failed", r.scenario)
                XCTAssertEqual(scenario.expect?.alert, r.alert, r.scenario)
                XCTAssertEqual(scenario.expect?.sentBy, r.sentBy, r.scenario)
                XCTAssertEqual(scenario.expect?.at, r.at, r.scenario)
                XCTAssertNotNil(AlertDescription(name: r.alert), r.alert)
                let t = try await TranscriptCache.shared.transcript(r.scenario)
                XCTAssertEqual(t.outcome.status, .failed, r.scenario)
                XCTAssertEqual(t.outcome.alert?.description, r.alert, r.scenario)
                XCTAssertEqual(t.outcome.alert?.sentBy, r.sentBy, r.scenario)
                XCTAssertEqual(t.outcome.alert?.level, "fatal", r.scenario)
            }
        }
    }

    func testEveryCaseSaysWhatYouSeeWhyAndHowToFixIt() throws {
        var notes: [String: LabNote] = [:]
        for name in Troubleshooting.scenarios {
            notes[name] = try catalog.resolve(name).lab
            XCTAssertNotNil(notes[name], "\(name) carries a lab: note")
        }
        for c in Troubleshooting.cases {
            let note = c.reproductions.first.flatMap { notes[$0.scenario] }
            XCTAssertNotNil(c.symptom ?? note?.symptom, c.id)
            XCTAssertNotNil(c.why ?? note?.cause, c.id)
            XCTAssertNotNil(c.fix ?? note?.fix, c.id)
        }
        let text = Troubleshooting.text(labNotes: notes)
        for c in Troubleshooting.cases {
            XCTAssertTrue(text.contains(c.title), c.id)
            for r in c.reproductions {
                XCTAssertTrue(text.contains("tlslab run \(r.scenario)"), r.scenario)
                XCTAssertTrue(text.contains(r.alert), r.alert)
            }
        }
        // The lab notes are reused verbatim.
        if let expired = notes["lab-expired-certificate"] {
            XCTAssertTrue(text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "  ", with: " ")
                .contains("NET::ERR_CERT_DATE_INVALID"), expired.symptom)
        }
        for line in text.split(separator: "\n") { XCTAssertLessThanOrEqual(line.count, 100, String(line)) }
    }

    // MARK: Glossary

    func testGlossaryReferencesResolve() {
        XCTAssertGreaterThanOrEqual(Glossary.terms.count, 40)
        XCTAssertEqual(Set(Glossary.terms.map(\.term)).count, Glossary.terms.count)
        XCTAssertEqual(Glossary.terms.map { $0.term.lowercased() }, Glossary.terms.map { $0.term.lowercased() }.sorted())
        for term in Glossary.terms {
            XCTAssertNotNil(Topics.topic(term.topic), "\(term.term) → topic \(term.topic)")
            if let key = term.explanation {
                XCTAssertFalse(Explanations.lookup(key).isEmpty, "\(term.term) → explanation \(key)")
            }
            XCTAssertLessThanOrEqual(term.definition.count, 200, term.term)
        }
        XCTAssertEqual(Glossary.term("CA")?.term, "Certificate authority (CA)")
        XCTAssertEqual(Glossary.term("0-rtt")?.term, "Early data (0-RTT)")
        XCTAssertEqual(Glossary.term("forward secrecy")?.topic, "forward-secrecy")
    }
}
