import Foundation
import TLSTranscript
import TLSViewModel
import TLSWire
import XCTest

/// Structural checks of rendered screens (no snapshot): layouts, the ladder, the simulated tls13 scenario (its
/// RSA-PSS signature differs on every run, so no byte-exact snapshot), glyph sanitizing, speed.
final class RenderTests: XCTestCase {
    func testLayouts() {
        let compact = StepperLayout(width: 80, height: 24, focus: .ladder)
        XCTAssertTrue(compact.compact)
        XCTAssertEqual(compact.visiblePanes, [.ladder, .message, .hex])
        XCTAssertEqual(StepperLayout(width: 80, height: 24, focus: .secrets).visiblePanes, [.secrets])
        let wide = StepperLayout(width: 120, height: 40, focus: .ladder)
        XCTAssertFalse(wide.compact)
        XCTAssertEqual(wide.visiblePanes, [.ladder, .message, .hex, .secrets])
        // Bigger windows get bigger panes.
        let huge = StepperLayout(width: 220, height: 60, focus: .ladder)
        XCTAssertGreaterThan(huge.hex?.height ?? 0, wide.hex?.height ?? 0)
        func area(_ r: Rect?) -> Int { (r?.width ?? 0) * (r?.height ?? 0) }
        XCTAssertGreaterThan(area(huge.secrets), area(wide.secrets))
        XCTAssertGreaterThan(area(huge.message), area(wide.message))
        for (w, h) in [(80, 24), (100, 30), (120, 40), (220, 60)] {
            let layout = StepperLayout(width: w, height: h, focus: .ladder)
            let rects = [layout.header, layout.narration, layout.hint] + [layout.ladder, layout.message, layout.hex, layout.secrets].compactMap { $0 }
            for r in rects { XCTAssertTrue(r.maxX <= w && r.maxY <= h && !r.isEmpty, "\(w)x\(h): \(r)") }
        }
    }

    func testSimulatedTLS13Structure() async throws {
        let t = try await ScenarioRuns.shared.transcript("tls13")
        var model = AppModel(transcript: t)
        let data = try XCTUnwrap(model.data)
        let titles = data.steps.map(\.title)
        var grid = model.render(width: 120, height: 40, glyphs: .utf8)
        // One arrow per step, in order, on the ladder.
        var lastRow = 0
        for title in titles.prefix(7) {
            let row = try XCTUnwrap(grid.row(containing: title), title)
            XCTAssertGreaterThanOrEqual(row, lastRow)
            lastRow = row
        }
        XCTAssertTrue(grid.contains("[enc] EncryptedExtensions"))
        XCTAssertTrue(grid.contains("ClientHello ─"))
        XCTAssertTrue(grid.contains("◀"))
        // Step to the server's Finished: the secrets pane shows the application secrets as new on both sides.
        let finished = try XCTUnwrap(titles.firstIndex(of: "Finished"))
        model.press(Array(repeating: .right, count: finished))
        grid = model.render(width: 120, height: 40, glyphs: .utf8)
        XCTAssertTrue(grid.contains("Step \(finished + 1)/\(titles.count)"))
        let info = data.steps[finished]
        XCTAssertTrue(info.client.contains { $0.name == "client_application_traffic_secret_0" && $0.new })
        XCTAssertTrue(grid.contains("(\(info.client.filter(\.new).count) new)"), grid.text)
        // The inner type of the encrypted records is named under the current step.
        XCTAssertTrue(grid.contains("inner handshake") || grid.contains("inner type handshake"), grid.text)
    }

    func testCurrentStepIsHighlightedAndFutureStepsDimmed() throws {
        var model = AppModel(transcript: try golden("tls12-rsa"))
        model.press([.right])
        let grid = model.render(width: 80, height: 24, glyphs: .utf8)
        let current = try XCTUnwrap(grid.row(containing: "─ ServerHello "))  // the arrow, not the pane title
        XCTAssertTrue(grid.styles(row: current).contains("#"), "current step, ladder focused")
        model.press([.tab])
        let unfocused = model.render(width: 80, height: 24, glyphs: .utf8)
        XCTAssertTrue(unfocused.styles(row: current).contains("="), "current step, ladder not focused")
        let future = try XCTUnwrap(grid.row(containing: "ClientKeyExchange"))
        let text = Array(grid.text(row: future))
        let styles = Array(grid.styles(row: future))
        let at = try XCTUnwrap((0..<text.count).first { String(text[$0..<min(text.count, $0 + 17)]) == "ClientKeyExchange" })
        XCTAssertEqual(styles[at], ".", "a step not reached yet is dim")
        // Encrypted marker and alert style.
        let alertRow = try XCTUnwrap(grid.row(containing: "close_no"))
        XCTAssertTrue(grid.text(row: alertRow).contains("[enc]"))
    }

    func testNarrationFitsAt80Columns() async throws {
        var transcripts = try ByteMappingTests.goldens.map(golden)
        transcripts.append(try await ScenarioRuns.shared.transcript("tls13"))
        for t in transcripts {
            for step in StepperData(t).steps {
                let lines = TextLayout.wrap(step.narration, width: 78, glyphs: .utf8)
                XCTAssertLessThanOrEqual(lines.count, 3, "\(t.scenario) \(step.title): \(step.narration)")
            }
        }
    }

    func testGlyphsSanitize() {
        XCTAssertEqual(String(Glyphs.ascii.sanitize("a…b → c ‖ d — é")), "a...b -> c || d - e")
        XCTAssertEqual(String(Glyphs.utf8.sanitize("tab\there\u{0301}")), "tab.here")
        XCTAssertEqual(String(Glyphs.utf8.sanitize("漢字🔒")), "???")
        XCTAssertEqual(TextLayout.truncate("abcdefgh", width: 5, glyphs: .utf8), "abcd…")
        XCTAssertEqual(TextLayout.truncate("abcdefgh", width: 5, glyphs: .ascii), "ab...")
        XCTAssertEqual(TextLayout.wrap("one two three four", width: 9, glyphs: .utf8), ["one two", "three", "four"])
        XCTAssertEqual(TextLayout.wrap("one two three four", width: 9, maxLines: 2, glyphs: .utf8), ["one two", "three…"])
    }

    func testHexPaneHighlightsTheSelectedFieldBytes() throws {
        var model = AppModel(transcript: try golden("tls12-rsa"))
        model.press([.tab])
        let data = try XCTUnwrap(model.data)
        while data.steps[0].fields[model.stepper.selectedField(data)].name != "random" { model.press([.down]) }
        let grid = model.render(width: 80, height: 24, glyphs: .utf8)
        // The client random d34d85c6… starts at wire offset 11 (5 record + 4 handshake + 2 version).
        XCTAssertTrue(grid.contains("bytes 11-42"))
        var highlighted = ""
        for y in 0..<grid.height {
            let text = Array(grid.text(row: y))
            let styles = Array(grid.styles(row: y))
            for x in 0..<text.count where styles[x] == "X" && text[x].isHexDigit { highlighted.append(text[x]) }
        }
        // Hex digits and the same bytes as ASCII are both highlighted; the hex digits come first on each line.
        XCTAssertTrue(highlighted.hasPrefix("d34d85c6"), highlighted)
    }

    func testRenderingIsCheap() throws {
        let t = try golden("tls13-ed25519-chacha")
        let start = Date()
        let data = StepperData(t)
        let prepared = Date().timeIntervalSince(start)
        var state = StepperState(data: data)
        let renderStart = Date()
        for i in 0..<100 {
            if i % 10 == 0 { state.press([.right], data) }
            _ = StepperView.render(state, data, width: 200, height: 60, glyphs: .utf8)
        }
        let perFrame = Date().timeIntervalSince(renderStart) / 100
        // Presenter mode (large letters) and the teaching windows.
        state.presenter = true
        let presenterStart = Date()
        for i in 0..<50 {
            if i % 10 == 0 { state.press([.right], data) }
            _ = StepperView.render(state, data, width: 200, height: 60, glyphs: .utf8)
        }
        let perPresenterFrame = Date().timeIntervalSince(presenterStart) / 50
        state.presenter = false
        state.press([.character("x")], data)
        let windowStart = Date()
        for _ in 0..<20 { _ = StepperView.render(state, data, width: 200, height: 60, glyphs: .utf8) }
        state.press([.escape, .character("g")], data)
        for _ in 0..<20 { _ = StepperView.render(state, data, width: 200, height: 60, glyphs: .utf8) }
        let perWindowFrame = Date().timeIntervalSince(windowStart) / 40
        print(
            "StepperData: \(Int(prepared * 1000)) ms; one 200x60 frame: \(String(format: "%.2f", perFrame * 1000)) ms; presenter: \(String(format: "%.2f", perPresenterFrame * 1000)) ms; explanation/glossary: \(String(format: "%.2f", perWindowFrame * 1000)) ms"
        )
        // Debug builds are slow; these bounds still mean "instant" for a key press.
        XCTAssertLessThan(prepared, 0.5)
        XCTAssertLessThan(perFrame, 0.05)
        XCTAssertLessThan(perPresenterFrame, 0.05)
        XCTAssertLessThan(perWindowFrame, 0.05)
    }
}
