import TLSCrypto
import TLSTranscript
import TLSViewModel
import TLSWire
import XCTest

/// Who knows what, where inputs came from, and what the narration says.
final class ContentTests: XCTestCase {
    func testKnowledgeMarksNewValues() throws {
        let data = StepperData(try golden("tls12-rsa"))
        let done = try XCTUnwrap(data.steps.firstIndex { $0.title == "ServerHelloDone" })
        let client = data.steps[done].client
        XCTAssertEqual(client.filter(\.new).first?.name, "premaster_secret")
        XCTAssertTrue(client.contains { $0.name == "master_secret" && $0.new })
        XCTAssertFalse(client.contains { $0.name == "client_random" && $0.new }, "known since the first step")
        XCTAssertFalse(data.steps[done].server.contains { $0.name == "master_secret" })
        XCTAssertTrue(data.steps[done + 1].server.contains { $0.name == "master_secret" && $0.new })
        // The values are the transcript's secrets.
        let master = try XCTUnwrap(client.first { $0.name == "master_secret" })
        XCTAssertEqual(
            hexString(master.value), data.transcript.secrets.first { $0.side == .client && $0.name == "master_secret" }?.hex)
    }

    func testInputsAreTracedToTheStepThatDerivedThem() throws {
        let data = StepperData(try golden("tls12-rsa"))
        let master = try XCTUnwrap(
            data.derivations.values.first { $0.side == .client && $0.derivation.name == "master_secret" })
        XCTAssertEqual(data.steps[master.step].title, "ServerHelloDone")
        let byName = Dictionary(uniqueKeysWithValues: master.inputs.map { ($0.input.name, $0) })
        let premaster = try XCTUnwrap(byName["premaster_secret"])
        let origin = try XCTUnwrap(premaster.derivedBy.flatMap { data.derivations[$0] })
        XCTAssertEqual(origin.derivation.name, "premaster_secret")
        XCTAssertEqual(origin.derivation.output, premaster.input.value)
        XCTAssertTrue(premaster.explanation.contains("step 4 (ServerHelloDone)"), premaster.explanation)
        let random = try XCTUnwrap(byName["client_random"])
        XCTAssertTrue(random.explanation.contains("ClientHello.random"), random.explanation)
        XCTAssertTrue(random.explanation.contains("step 1 (ClientHello)"), random.explanation)
        // The server computes the same master secret when ClientKeyExchange arrives.
        XCTAssertEqual(master.peerAgrees, true)
        XCTAssertEqual(master.peer.flatMap { data.stepOfEvent[$0] }.map { data.steps[$0].title }, "ClientKeyExchange")
    }

    func testGenericInputNamesResolveByValue() throws {
        let data = StepperData(try golden("tls13-ed25519-chacha"))
        let verify = try XCTUnwrap(
            data.derivations.values.first { $0.side == .client && $0.derivation.name == "server_verify_data" })
        let finishedKey = try XCTUnwrap(verify.inputs.first { $0.input.name == "finished_key" })
        let origin = try XCTUnwrap(finishedKey.derivedBy.flatMap { data.derivations[$0] })
        XCTAssertEqual(origin.derivation.name, "server_finished_key")
        XCTAssertTrue(finishedKey.explanation.contains("as server_finished_key"), finishedKey.explanation)
        // `…_traffic_secret` inputs are the `…_traffic_secret_0` values.
        let appKey = try XCTUnwrap(
            data.derivations.values.first { $0.side == .client && $0.derivation.name == "client_application_key" })
        let secret = try XCTUnwrap(appKey.inputs.first)
        XCTAssertEqual(secret.derivedBy.flatMap { data.derivations[$0] }?.derivation.name, "client_application_traffic_secret_0")
    }

    func testNarration() throws {
        let rsa = StepperData(try golden("tls12-rsa"))
        func say(_ data: StepperData, _ title: String, from side: Side? = nil) throws -> String {
            try XCTUnwrap(data.steps.first { $0.title == title && (side == nil || $0.from == side) }).narration
        }
        XCTAssertTrue(try say(rsa, "ServerHelloDone").contains("now the client picks the premaster secret"))
        XCTAssertTrue(try say(rsa, "ClientKeyExchange").contains("no forward secrecy"))
        XCTAssertTrue(try say(rsa, "ClientKeyExchange").contains("derive the same master secret"))
        XCTAssertTrue(try say(rsa, "ChangeCipherSpec", from: .client).contains("switches on encryption"))
        XCTAssertTrue(try say(rsa, "Finished", from: .client).contains("verify_data"))
        XCTAssertTrue(try say(rsa, "Alert: close_notify", from: .client).contains("close_notify"))
        XCTAssertTrue(try say(rsa, "Application data (60 bytes)").contains("\"GET / HTTP/1.1\""))

        let ecdhe = StepperData(try golden("tls12-ecdhe-rsa"))
        XCTAssertTrue(try say(ecdhe, "ServerKeyExchange").contains("forward secrecy"))
        XCTAssertTrue(try say(ecdhe, "ServerHelloDone").contains("makes its own key pair"))

        let tls13 = StepperData(try golden("tls13-ed25519-chacha"))
        XCTAssertTrue(try say(tls13, "ClientHello").contains("x25519 key share"))
        XCTAssertTrue(try say(tls13, "ServerHello").contains("everything after this message is encrypted"))
        XCTAssertTrue(try say(tls13, "Certificate").contains("Encrypted in TLS 1.3"))
        XCTAssertTrue(try say(rsa, "Certificate").contains("trusts it"))
        XCTAssertTrue(try say(tls13, "CertificateVerify").contains("ed25519"))
        // Every step has one or two sentences.
        for step in rsa.steps + ecdhe.steps + tls13.steps {
            let chars = Array(step.narration)
            let breaks = chars.indices.dropLast(2).filter { chars[$0] == "." && chars[$0 + 1] == " " && chars[$0 + 2].isUppercase }
            XCTAssertTrue((1...2).contains(breaks.count + 1), "\(step.title): \(step.narration)")
            XCTAssertTrue(step.narration.hasSuffix("."), step.narration)
        }
    }

    func testFailedHandshakeNarratesTheAlert() async throws {
        let yaml = try shippedScenario("tls12-ecdhe-rsa", replacing: [("clock: 2026-06-01T12:00:00Z", "clock: 2071-06-01T12:00:00Z")])
        let t = try await ScenarioRuns.shared.transcript(yaml: yaml, name: "expired")
        let data = StepperData(t)
        let failure = try XCTUnwrap(data.failureStep)
        let step = data.steps[failure]
        XCTAssertTrue(step.isAlert)
        XCTAssertTrue(step.narration.contains("fatal certificate_expired alert"), step.narration)
        XCTAssertTrue(step.narration.contains("aborts the handshake"), step.narration)
        var s = StepperState(data: data)
        s.press([.character("a")], data)
        XCTAssertEqual(s.step, failure, "a jumps to the alert")
        let grid = StepperView.render(s, data, width: 100, height: 30, glyphs: .utf8)
        let row = try XCTUnwrap(grid.row(containing: "Alert: certificate_expired"))
        XCTAssertTrue(grid.contains("failed: certificate_expired"))
        // The alert arrow is the current step here; the outcome line uses the alert style.
        let outcomeRow = try XCTUnwrap(grid.row(containing: "failed: certificate_expired"))
        XCTAssertTrue(grid.styles(row: outcomeRow).contains("A"))
        XCTAssertGreaterThan(outcomeRow, row)
    }

    func testTamperedRecordAfterTheHandshake() throws {
        // The channel flips a byte of the client's first application-data record; the server cannot open it.
        let data = StepperData(try golden("lab-tampered-record"))
        let tampered = try XCTUnwrap(data.steps.first { $0.title.hasPrefix("Application data") && $0.from == .client })
        XCTAssertTrue(tampered.narration.contains("the channel changed the record"), tampered.narration)
        XCTAssertFalse(tampered.narration.contains("Only the two peers can read it"), tampered.narration)
        let alert = data.steps[try XCTUnwrap(data.failureStep)]
        XCTAssertTrue(alert.narration.contains("closes the connection with a fatal bad_record_mac alert"), alert.narration)
        XCTAssertFalse(alert.narration.contains("handshake"), "the handshake was over: \(alert.narration)")
    }
}

/// Hex of bytes (test helper, independent of the module's formatter).
private func hexString(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
