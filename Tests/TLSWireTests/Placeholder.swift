import XCTest
final class PlaceholderTLSWireTests: XCTestCase { func testNothing() {} }
