import XCTest
final class PlaceholderTLSCryptoTests: XCTestCase { func testNothing() {} }
