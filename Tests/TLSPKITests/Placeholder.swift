import XCTest
final class PlaceholderTLSPKITests: XCTestCase { func testNothing() {} }
