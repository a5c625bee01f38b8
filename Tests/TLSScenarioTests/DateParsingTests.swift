import Foundation
import XCTest

@testable import TLSScenario

/// The hand-written RFC 3339 parser agrees with Foundation's ISO8601DateFormatter.
final class DateParsingTests: XCTestCase {
    func testAgreesWithFoundation() {
        let foundation = ISO8601DateFormatter()
        foundation.formatOptions = [.withInternetDateTime]
        let withFraction = ISO8601DateFormatter()
        withFraction.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let samples = [
            "2026-06-01T12:00:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "2100-12-31T00:00:01Z",
            "2019-06-01T09:00:00+02:00", "2030-01-01T00:00:00-05:30", "1999-12-31T23:59:59z",
        ]
        for text in samples {
            XCTAssertEqual(ScenarioReader.parseISO8601(text), foundation.date(from: text), text)
        }
        XCTAssertEqual(
            ScenarioReader.parseISO8601("2026-06-01T12:00:00.250Z")?.timeIntervalSince1970,
            withFraction.date(from: "2026-06-01T12:00:00.250Z")?.timeIntervalSince1970)
        // A pseudo-random sweep over four centuries.
        var x: UInt64 = 42
        for _ in 0..<2000 {
            x = x &* 6_364_136_223_846_793_005 &+ 1
            let seconds = Double(x % 12_622_780_800) - 2_208_988_800
            let text = foundation.string(from: Date(timeIntervalSince1970: seconds))
            XCTAssertEqual(ScenarioReader.parseISO8601(text), foundation.date(from: text), text)
        }
    }

    func testRejectsWhatIsNotADateTime() {
        for text in [
            "2026-06-01", "2026-06-01T12:00:00", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z",
            "2026-06-01T24:00:00Z", "2026-06-01T12:00:00+2:00", "2026-06-01T12:00:00Zx", "June 1st", "",
            "2026-06-01T12:00:00.Z",
        ] {
            XCTAssertNil(ScenarioReader.parseISO8601(text), text)
        }
    }
}
