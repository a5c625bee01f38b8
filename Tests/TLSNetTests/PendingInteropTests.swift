import XCTest

/// Matrix rows that wait for features being built in parallel (see `InteropMatrix.pending`). Each shows up as
/// a skipped test naming what it needs; once the feature lands, drop the row's `pending` and it runs in both
/// directions with the rest of the matrix (delete its test here).
final class PendingInteropTests: XCTestCase {
    func skip(_ prefix: String) throws {
        guard let row = InteropMatrix.pending.first(where: { $0.name.hasPrefix(prefix) }) else {
            XCTFail("no pending row named \(prefix)")
            return
        }
        throw XCTSkip("\(row.name): needs \(row.pending ?? "nothing")")
    }

    func testHelloRetryRequestBothWays() throws { try skip("1.3 HelloRetryRequest") }
    func testTLS13PSKResumptionBothWays() throws { try skip("1.3 PSK resumption") }
    func testTLS12SessionResumptionBothWays() throws { try skip("1.2 session resumption") }
    func testTLS13MutualTLSWithResumptionBothWays() throws { try skip("1.3 mutual TLS with resumption") }

    func testEveryPendingRowHasATestHere() {
        XCTAssertEqual(InteropMatrix.pending.count, 4, "add a skip test for each new pending row")
        XCTAssertTrue(InteropMatrix.pending.allSatisfy { $0.pending != nil })
    }
}
