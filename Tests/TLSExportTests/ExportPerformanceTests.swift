import Foundation
import TLSExport
import TLSTranscript
import XCTest

/// The renderer is linear in the size of the transcript: a transcript with ten times as many steps takes about
/// ten times as long, not a hundred (quadratic string building would). The absolute figure (well under 20 ms per
/// handshake in a release build) is measured with the command in docs/export.md.
final class ExportPerformanceTests: XCTestCase {
    /// The tls12-rsa golden transcript with `extra` more application-data exchanges appended (each a copy of the
    /// client's and the server's application-data record with its events).
    static func stretched(_ extra: Int) throws -> Transcript {
        var t = try goldenTranscript("tls12-rsa")
        let appData = t.records.indices.filter { t.records[$0].innerContentType == "application_data" }
        let templates = appData.map { r in
            (t.records[r], t.events.filter { $0.record == r && $0.kind != .record })
        }
        for _ in 0..<extra {
            for (record, events) in templates {
                var copy = record
                copy.index = t.records.count
                t.records.append(copy)
                t.events.append(TranscriptEvent(kind: .record, side: copy.from, record: copy.index))
                for var e in events {
                    e.record = copy.index
                    t.events.append(e)
                }
            }
        }
        t.outcome.event = nil
        try t.validate()
        return t
    }

    func seconds(_ t: Transcript) throws -> Double {
        var best = Double.infinity
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try MarkdownExporter.render(t)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return best
    }

    /// The time to load each golden transcript from JSON and render its handout (best of 20), printed; in a
    /// release build (see docs/export.md) both together must stay well under 20 ms.
    func testExportTimeOfEachGoldenTranscript() throws {
        for name in deterministicScenarios {
            let data = try Data(contentsOf: goldenTranscriptDirectory.appendingPathComponent("\(name).json"))
            var load = Double.infinity
            var render = Double.infinity
            var bytes = 0
            for _ in 0..<20 {
                let start = DispatchTime.now().uptimeNanoseconds
                let t = try Transcript.load(json: data)
                let loaded = DispatchTime.now().uptimeNanoseconds
                bytes = try MarkdownExporter.render(t).utf8.count
                let done = DispatchTime.now().uptimeNanoseconds
                load = min(load, Double(loaded - start) / 1e6)
                render = min(render, Double(done - loaded) / 1e6)
            }
            print(String(format: "export timing: %@: load %.2f ms, render %.2f ms (%d bytes of Markdown)", name, load, render, bytes))
            #if !DEBUG
                XCTAssertLessThan(load + render, 10, "\(name): exporting one handshake should take well under 20 ms")
            #endif
        }
    }

    func testRenderingTimeGrowsLinearly() throws {
        let small = try Self.stretched(20)
        let large = try Self.stretched(200)
        XCTAssertEqual(Walkthrough(large).steps.count - Walkthrough(small).steps.count, 360)
        let ratio = try seconds(large) / seconds(small)
        // Linear: about 7 (the fixed part of the handshake is the same). Quadratic would be far above 30.
        XCTAssertLessThan(ratio, 20, "rendering 10× the steps took \(ratio)× as long")
    }
}
