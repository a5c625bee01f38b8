import TLSTeaching
import TLSTranscript
import TLSViewModel
import TLSWire
import XCTest

/// Key screens rendered as text at 80×24 and 120×40 (see `Snapshot` for the format and how to re-record).
final class SnapshotTests: XCTestCase {
    static let exports = [ExportKey(key: "e", label: "export JSON")]

    func render(_ model: AppModel, _ width: Int, _ height: Int, glyphs: Glyphs = .utf8) -> Grid {
        model.render(width: width, height: height, glyphs: glyphs)
    }

    func model(_ name: String) throws -> AppModel {
        AppModel(transcript: try golden(name), exports: Self.exports)
    }

    /// From the first step: `d` until the client's master secret is new, then to the secrets pane, onto the
    /// master secret, and Enter.
    func openMasterSecret(_ model: inout AppModel) throws {
        let data = try XCTUnwrap(model.data)
        for _ in 0..<data.steps.count {
            if data.steps[model.stepper.step].client.contains(where: { $0.name == "master_secret" && $0.new }) { break }
            model.press([.character("d")])
        }
        model.press([.backTab])
        XCTAssertEqual(model.stepper.focus, .secrets)
        for _ in 0..<40 {
            guard let e = model.stepper.selectedSecretEvent(data), data.derivations[e]?.derivation.name != "master_secret"
            else { break }
            model.press([.down])
        }
        model.press([.enter])
    }

    // MARK: TLS 1.2 RSA

    func testTLS12RSAFirstStep() throws {
        let m = try model("tls12-rsa")
        Snapshot.assert(render(m, 80, 24), named: "tls12-rsa-80x24-step1")
        Snapshot.assert(render(m, 120, 40), named: "tls12-rsa-120x40-step1")
    }

    func testTLS12RSAMasterSecretDerivationAndStepBack() throws {
        var m = try model("tls12-rsa")
        try openMasterSecret(&m)
        Snapshot.assert(render(m, 80, 24), named: "tls12-rsa-80x24-master-secret")
        Snapshot.assert(render(m, 120, 40), named: "tls12-rsa-120x40-master-secret")
        // Esc closes the window, ← steps back: the client no longer knows the master secret.
        m.press([.escape, .left])
        let grid = render(m, 80, 24)
        Snapshot.assert(grid, named: "tls12-rsa-80x24-stepped-back")
        XCTAssertFalse(grid.contains("master_secret"))
        XCTAssertTrue(grid.contains("Step 3/13"))
    }

    func testTLS12RSASecretsAtClientKeyExchange() throws {
        var m = try model("tls12-rsa")
        m.press([.right, .right, .right, .right, .tab, .tab])
        Snapshot.assert(render(m, 80, 24), named: "tls12-rsa-80x24-cke-hex")
        m.press([.tab])
        Snapshot.assert(render(m, 80, 24), named: "tls12-rsa-80x24-cke-secrets")
        Snapshot.assert(render(m, 120, 40), named: "tls12-rsa-120x40-cke-secrets")
    }

    // MARK: TLS 1.3 (Ed25519: deterministic)

    func testTLS13EncryptedStepShowsDecryptedContent() throws {
        var m = try model("tls13-ed25519-chacha")
        m.press([.right, .right])
        Snapshot.assert(render(m, 80, 24), named: "tls13-ed25519-80x24-encrypted-extensions")
        Snapshot.assert(render(m, 120, 40), named: "tls13-ed25519-120x40-encrypted-extensions")
        // The server's Finished: the record row, then its protection details; the tag is on the wire.
        m.press([.right, .right, .right, .tab])
        try select("record 6", in: &m)
        m.press([.enter])
        try select("protection", in: &m)
        m.press([.enter])
        try select("tag", in: &m)
        Snapshot.assert(render(m, 120, 40), named: "tls13-ed25519-120x40-finished-wire-tag")
    }

    /// Moves the message cursor down to the row named `name`.
    func select(_ name: String, in m: inout AppModel) throws {
        let data = try XCTUnwrap(m.data)
        for _ in 0..<100 {
            if data.steps[m.stepper.step].fields[m.stepper.selectedField(data)].name == name { return }
            m.press([.down])
        }
        XCTFail("no row \(name)")
    }

    func testTLS13CertificateExpanded() throws {
        var m = try model("tls13-ed25519-chacha")
        m.press([.right, .right, .right, .tab])
        for row in ["certificate_list", "CertificateEntry", "cert_data"] {
            try select(row, in: &m)
            m.press([.enter])
        }
        try select("subject", in: &m)
        Snapshot.assert(render(m, 120, 40), named: "tls13-ed25519-120x40-certificate")
    }

    func testTLS13MasterSecret() throws {
        var m = try model("tls13-ed25519-chacha")
        try openMasterSecret(&m)
        Snapshot.assert(render(m, 80, 24), named: "tls13-ed25519-80x24-master-secret")
    }

    // MARK: Other screens

    func testHelpAndTooSmall() throws {
        var m = try model("tls12-rsa")
        m.press([.character("?")])
        Snapshot.assert(render(m, 80, 24), named: "help-80x24")
        Snapshot.assert(render(m, 79, 24), named: "too-small-79x24")
    }

    func testASCIIFallback() throws {
        var m = try model("tls12-rsa")
        m.press([.right, .right, .right])
        let grid = render(m, 80, 24, glyphs: .ascii)
        Snapshot.assert(grid, named: "tls12-rsa-80x24-ascii")
        for cell in grid.cells { XCTAssertTrue(cell.character.isASCII, "\(cell.character) is not ASCII") }
    }

    func testStartScreen() {
        let m = AppModel(
            scenarios: [
                ScenarioItem(
                    name: "tls12-rsa", title: "TLS 1.2 with RSA key exchange",
                    description:
                        "The client picks the premaster secret and sends it encrypted with the server's RSA public key. Records use AES-CBC.",
                    versionBadge: "TLS 1.2", keyExchangeBadge: "RSA"),
                .broken(name: "typo", problem: "typo.yaml:4:3: unknown key 'ciphers' (did you mean 'cipher_suites'?)"),
                ScenarioItem(
                    name: "tls13", title: "TLS 1.3 with X25519 and an RSA certificate",
                    description: "One round trip; everything after ServerHello is encrypted.",
                    versionBadge: "TLS 1.3", keyExchangeBadge: "(EC)DHE"),
                ScenarioItem(
                    name: "tls13-resumption", title: "TLS 1.3 session resumption with a ticket (psk_dhe_ke)",
                    description: "Two connections; the second resumes the first with its ticket.",
                    versionBadge: "TLS 1.3", keyExchangeBadge: "(EC)DHE", group: .beyond),
                ScenarioItem(
                    name: "lab-expired-certificate", title: "Lab: the server's certificate has expired",
                    description: "The client rejects the certificate.", versionBadge: "TLS 1.2",
                    keyExchangeBadge: "ECDHE", group: .lab),
            ])
        Snapshot.assert(render(m, 80, 24), named: "start-80x24")
        var filtered = m
        filtered.press([.character("/"), .character("l"), .character("a"), .character("b")])
        Snapshot.assert(render(filtered, 80, 24), named: "start-80x24-filter")
    }

    // MARK: The teaching layer

    func testPresenterMode() throws {
        var m = try model("tls12-rsa")
        m.press([.right, .right, .right, .character("P")])
        Snapshot.assert(render(m, 80, 24), named: "presenter-80x24")
        Snapshot.assert(render(m, 120, 40), named: "presenter-120x40")
    }

    func testQuizWindows() throws {
        var m = try model("tls12-rsa")
        m.press([.character("Q")])
        Snapshot.assert(render(m, 80, 24), named: "quiz-question-80x24")
        Snapshot.assert(render(m, 120, 40), named: "quiz-question-120x40")
        let q = try XCTUnwrap(m.stepper.quiz?.question)
        m.press([.character(Character(String((q.correct + 1) % q.options.count + 1)))])
        Snapshot.assert(render(m, 80, 24), named: "quiz-feedback-80x24")
        m.press([.enter, .right, .escape])
        Snapshot.assert(render(m, 80, 24), named: "quiz-score-80x24")
    }

    func testLabNoteAtTheFailure() throws {
        var m = try model("lab-expired-certificate")
        m.press([.character("a")])
        XCTAssertEqual(m.stepper.overlays, [.lab])
        Snapshot.assert(render(m, 80, 24), named: "lab-note-80x24")
        Snapshot.assert(render(m, 120, 40), named: "lab-note-120x40")
    }

    func testChannelChange() throws {
        var m = try model("lab-tampered-handshake")
        m.press([.tab, .home])
        while m.stepper.selectedField(try XCTUnwrap(m.data)) != 0 { m.press([.up]) }
        Snapshot.assert(render(m, 120, 40), named: "channel-120x40")
    }

    func testEavesdropperEpilogue() throws {
        var m = try model("lab-forward-secrecy-rsa")
        m.press([.end, .escape])
        Snapshot.assert(render(m, 120, 40), named: "eavesdropper-120x40")
    }

    func testMultiConnectionLadder() throws {
        var m = try model("tls13-resumption")
        let data = try XCTUnwrap(m.data)
        let second = try XCTUnwrap(data.connections[1].firstStep)
        m.press(Array(repeating: .right, count: second + 1))
        Snapshot.assert(render(m, 80, 24), named: "connections-80x24")
        Snapshot.assert(render(m, 120, 40), named: "connections-120x40")
    }

    func testGlossaryAndExplanation() throws {
        var m = try model("tls12-rsa")
        m.press([.character("g"), .character("f")])
        Snapshot.assert(render(m, 80, 24), named: "glossary-80x24")
        Snapshot.assert(render(m, 120, 40), named: "glossary-120x40")
        var x = try model("tls12-rsa")
        x.press([.tab, .down, .down, .down, .down, .character("x")])
        Snapshot.assert(render(x, 80, 24), named: "explanation-80x24")
    }

    func testLesson() throws {
        let lesson = try LessonCatalog(directory: repositoryRoot.appendingPathComponent("Scenarios/lessons")).resolve("tls12-rsa")
        var transcripts: [String: Transcript] = [:]
        for name in lesson.scenarios { transcripts[name] = try golden(name) }
        var m = AppModel(lesson: try LessonSession(lesson: lesson, transcripts: transcripts), exports: Self.exports)
        Snapshot.assert(render(m, 80, 24), named: "lesson-intro-80x24")
        m.press([.character("n"), .character("n"), .character("n"), .character("n"), .character("n")])
        Snapshot.assert(render(m, 80, 24), named: "lesson-stop-80x24")
        m.press([.character("n")])
        Snapshot.assert(render(m, 120, 40), named: "lesson-answer-120x40")
        m.press([.character("P")])
        Snapshot.assert(render(m, 120, 40), named: "lesson-presenter-120x40")
    }
}
