import XCTest
final class PlaceholderTLSSimulatorTests: XCTestCase { func testNothing() {} }
