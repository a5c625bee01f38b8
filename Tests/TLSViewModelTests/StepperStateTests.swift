import TLSTranscript
import TLSViewModel
import TLSWire
import XCTest

final class StepperStateTests: XCTestCase {
    func testSteppingKeysMoveAndClamp() throws {
        let data = StepperData(try golden("tls12-rsa"))
        var s = StepperState(data: data)
        s.press([.right, .character("n"), .character(" ")], data)
        XCTAssertEqual(s.step, 3)
        s.press([.left, .character("p"), .backspace, .backspace], data)
        XCTAssertEqual(s.step, 0, "clamped at the first step")
        s.press([.end], data)
        XCTAssertEqual(s.step, data.steps.count - 1)
        s.press([.right], data)
        XCTAssertEqual(s.step, data.steps.count - 1, "clamped at the last step")
        s.press([.home], data)
        XCTAssertEqual(s.step, 0)
        // Ladder focused: ↑/↓ step too.
        s.press([.down, .down], data)
        XCTAssertEqual(s.step, 2)
    }

    func testTabCyclesPanesBothWays() throws {
        let data = StepperData(try golden("tls12-rsa"))
        var s = StepperState(data: data)
        var seen: [Pane] = [s.focus]
        for _ in 0..<4 {
            s.press([.tab], data)
            seen.append(s.focus)
        }
        XCTAssertEqual(seen, [.ladder, .message, .hex, .secrets, .ladder])
        s.press([.backTab], data)
        XCTAssertEqual(s.focus, .secrets)
    }

    func testDJumpsToDerivingStepsAndAToAlerts() throws {
        let data = StepperData(try golden("tls12-rsa"))
        var s = StepperState(data: data)
        var visited: [String] = []
        for _ in 0..<4 {
            s.press([.character("d")], data)
            visited.append(data.steps[s.step].title)
        }
        // ClientHello derives client_random; the next steps that derive: ServerHello (server_random at the
        // client), ServerHelloDone (the client's whole key schedule), ClientKeyExchange (the server's).
        XCTAssertEqual(visited, ["ServerHello", "ServerHelloDone", "ClientKeyExchange", "ChangeCipherSpec"])
        s.press([.home, .character("a")], data)
        XCTAssertEqual(data.steps[s.step].title, "Alert: close_notify")
        XCTAssertEqual(data.steps[s.step].from, .client)
        s.press([.character("a")], data)
        XCTAssertEqual(data.steps[s.step].from, .server)
        s.press([.character("a")], data)
        XCTAssertEqual(data.steps[s.step].from, .client, "wraps around to the first alert")
    }

    func testEnterExpandsAndCollapsesFields() throws {
        let data = StepperData(try golden("tls12-rsa"))
        var s = StepperState(data: data)
        s.press([.tab], data)
        XCTAssertEqual(s.focus, .message)
        let info = data.steps[0]
        let before = s.visibleRows(info).count
        // Move to "extensions" (collapsed) and expand it.
        while info.fields[s.selectedField(data)].name != "extensions" { s.press([.down], data) }
        s.press([.enter], data)
        let expanded = s.visibleRows(info).count
        XCTAssertEqual(expanded, before + 3, "three extensions appear")
        s.press([.enter], data)
        XCTAssertEqual(s.visibleRows(info).count, before)
        // The state is per step: stepping away and back keeps the cursor.
        let cursor = s.selectedField(data)
        s.press([.right, .left], data)
        XCTAssertEqual(s.selectedField(data), cursor)
    }

    func testSecretsEnterOpensDerivationEscClosesBeforeQuitting() throws {
        let data = StepperData(try golden("tls12-rsa"))
        var s = StepperState(data: data)
        let done = try XCTUnwrap(data.steps.firstIndex { $0.title == "ServerHelloDone" })
        s.press(Array(repeating: .right, count: done), data)
        s.press([.backTab], data)
        XCTAssertEqual(s.focus, .secrets)
        // The cursor starts on the first value new at this step: the client's premaster secret.
        XCTAssertEqual(s.secret, SecretCursor(side: .client, index: 2))
        while data.steps[s.step].client[s.secret?.index ?? 0].name != "master_secret" { s.press([.down], data) }
        s.press([.enter], data)
        guard case .derivation(let d) = s.overlays.last else { return XCTFail("no derivation overlay") }
        XCTAssertEqual(data.derivations[d.event]?.derivation.name, "master_secret")
        // Stepping keys do nothing while the window is open.
        s.press([.right], data)
        XCTAssertEqual(s.step, done)
        // Enter follows the selected input (premaster_secret) to its own derivation; Esc comes back.
        s.press([.enter], data)
        XCTAssertEqual(s.overlays.count, 2)
        guard case .derivation(let inner) = s.overlays.last else { return XCTFail() }
        XCTAssertEqual(data.derivations[inner.event]?.derivation.name, "premaster_secret")
        XCTAssertNil(s.handle(.escape, data: data))
        XCTAssertNil(s.handle(.escape, data: data))
        XCTAssertTrue(s.overlays.isEmpty)
        XCTAssertEqual(s.handle(.escape, data: data), .quit)
    }

    func testQuitExportAndHelp() throws {
        let data = StepperData(try golden("tls12-rsa"))
        var s = StepperState(data: data)
        let exports = [ExportKey(key: "e", label: "export JSON")]
        XCTAssertEqual(s.handle(.character("e"), data: data, exports: exports), .export(0))
        XCTAssertNil(s.handle(.character("?"), data: data, exports: exports))
        XCTAssertEqual(s.overlays, [.help])
        XCTAssertNil(s.handle(.character("?"), data: data, exports: exports))
        XCTAssertEqual(s.overlays, [])
        XCTAssertEqual(s.handle(.character("q"), data: data, exports: exports), .quit)
        s.press([.character("?")], data)
        XCTAssertEqual(s.handle(.character("q"), data: data, exports: exports), .quit, "q quits even over a window")
    }

    func testStartScreenListsBrokenScenariosAndRunsGoodOnes() {
        var model = AppModel(
            scenarios: [
                .broken(name: "aaa-broken", problem: "aaa-broken.yaml:2:1: unknown key 'x'"),
                ScenarioItem(
                    name: "tls12-rsa", title: "TLS 1.2 with RSA key exchange", description: "One. Two.",
                    versionBadge: "TLS 1.2", keyExchangeBadge: "RSA"),
            ])
        XCTAssertEqual(model.start?.cursor, 1, "starts on the first scenario that loads")
        XCTAssertEqual(model.handle(.enter), .run("tls12-rsa"))
        XCTAssertEqual(model.start?.running, "tls12-rsa")
        model.runFailed("boom")
        XCTAssertNil(model.start?.running)
        model.press([.up])
        XCTAssertNil(model.handle(.enter))
        XCTAssertEqual(model.start?.status?.isError, true)
        XCTAssertEqual(model.handle(.character("q")), .quit)
    }

    func testStartScreenOpensStepperAndSGoesBack() throws {
        var model = AppModel(
            scenarios: [
                ScenarioItem(
                    name: "tls12-rsa", title: "T", description: "D", versionBadge: "TLS 1.2", keyExchangeBadge: "RSA")
            ])
        XCTAssertEqual(model.handle(.enter), .run("tls12-rsa"))
        model.open(try golden("tls12-rsa"))
        XCTAssertEqual(model.screen, .stepper)
        model.press([.right, .right])
        XCTAssertEqual(model.stepper.step, 2)
        model.press([.character("s")])
        XCTAssertEqual(model.screen, .start)
    }

    func testStartScreenKeepsLongNamesApart() throws {
        let names = ["lab-missing-client-cert-tls12", "lab-missing-client-cert-tls13", "lab-version-mismatch-old-client"]
        let model = AppModel(
            scenarios: names.map {
                ScenarioItem(name: $0, title: "T", description: "D", versionBadge: "TLS 1.3", keyExchangeBadge: "none")
            })
        for glyphs in [Glyphs.utf8, .ascii] {
            // Wide: whole names.
            let wide = model.render(width: 120, height: 40, glyphs: glyphs).text
            for name in names { XCTAssertTrue(wide.contains(name + " "), "\(name) whole at 120 columns:\n\(wide)") }
            // 80 columns: shortened in the middle, the endings that tell them apart kept, in 28 columns.
            let narrow = model.render(width: 80, height: 24, glyphs: glyphs).text
            let rows = narrow.split(separator: "\n").map(String.init)
            for name in names.prefix(2) {
                let row = try XCTUnwrap(rows.first { $0.contains(String(name.suffix(7)) + "  ") }, "\(name):\n\(narrow)")
                let start = try XCTUnwrap(row.range(of: String(name.prefix(12))), row)
                let end = try XCTUnwrap(row.range(of: String(name.suffix(7)) + "  "), row)
                let shown = String(row[start.lowerBound..<end.lowerBound]) + String(name.suffix(7))
                XCTAssertTrue(shown.contains(glyphs.ellipsis), shown)
                XCTAssertEqual(shown.count, 28, "the name column: \(shown)")
            }
        }
    }

    func testExportFileName() throws {
        var t = try golden("tls12-rsa")
        XCTAssertEqual(ExportNaming.jsonFileName(for: t), "tlslab-tls12-rsa-seed1.json")
        t.scenario = "../my scenario/x"
        t.seed = nil
        XCTAssertEqual(ExportNaming.jsonFileName(for: t), "tlslab-..-my-scenario-x.json")
    }
}
