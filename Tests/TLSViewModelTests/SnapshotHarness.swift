import Foundation
import TLSViewModel
import XCTest

/// Text snapshots of rendered grids, stored in `__Snapshots__/<name>.txt`: the characters, then one letter per cell
/// for its style (`Style.code`; a space is the normal style). `TLSLAB_UPDATE_SNAPSHOTS=1 swift test` records them;
/// a mismatch prints the differing lines and writes the actual rendering next to the snapshot as `.actual.txt`
/// (ignored by git).
enum Snapshot {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("__Snapshots__")

    static var recording: Bool { ProcessInfo.processInfo.environment["TLSLAB_UPDATE_SNAPSHOTS"] == "1" }

    /// The text form of a grid.
    static func serialize(_ grid: Grid) -> String {
        var out = ["size \(grid.width)x\(grid.height)", "--- text"]
        for y in 0..<grid.height { out.append(grid.text(row: y).trimmingTrailingSpaces()) }
        out.append("--- styles")
        for y in 0..<grid.height { out.append(grid.styles(row: y).trimmingTrailingSpaces()) }
        out.append("--- legend")
        out.append(Style.allCases.map { "\($0.code == " " ? "_" : String($0.code))=\($0)" }.joined(separator: " "))
        return out.joined(separator: "\n") + "\n"
    }

    /// Lines that differ, as `-expected` / `+actual` pairs with line numbers (at most `limit` pairs).
    static func diff(expected: String, actual: String, limit: Int = 12) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        var out: [String] = []
        var shown = 0
        for i in 0..<max(e.count, a.count) {
            let el = i < e.count ? String(e[i]) : "<missing>"
            let al = i < a.count ? String(a[i]) : "<missing>"
            if el != al {
                if shown == limit {
                    out.append("… more differences")
                    break
                }
                let number = String(i + 1)
                let pad = String(repeating: " ", count: max(0, 4 - number.count)) + number
                out.append("\(pad) - \(el)")
                out.append("\(pad) + \(al)")
                shown += 1
            }
        }
        return out.joined(separator: "\n")
    }

    static func assert(_ grid: Grid, named name: String, file: StaticString = #filePath, line: UInt = #line) {
        let url = directory.appendingPathComponent("\(name).txt")
        let actualURL = directory.appendingPathComponent("\(name).actual.txt")
        let actual = serialize(grid)
        if recording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: url, atomically: true, encoding: .utf8)
                try? FileManager.default.removeItem(at: actualURL)
            } catch {
                XCTFail("cannot record \(url.path): \(error)", file: file, line: line)
            }
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
            XCTFail(
                "no snapshot \(name).txt; run with TLSLAB_UPDATE_SNAPSHOTS=1 to record it (rendering written to \(actualURL.path))",
                file: file, line: line)
            return
        }
        if expected == actual {
            try? FileManager.default.removeItem(at: actualURL)
            return
        }
        try? actual.write(to: actualURL, atomically: true, encoding: .utf8)
        XCTFail(
            "snapshot \(name) differs (actual written to \(actualURL.lastPathComponent); TLSLAB_UPDATE_SNAPSHOTS=1 re-records):\n"
                + diff(expected: expected, actual: actual),
            file: file, line: line)
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
