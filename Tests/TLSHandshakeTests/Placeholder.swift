import XCTest
final class PlaceholderTLSHandshakeTests: XCTestCase { func testNothing() {} }
