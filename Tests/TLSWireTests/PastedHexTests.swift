import XCTest

@testable import TLSWire

/// `tlslab decode` reads hex the way tools print it.
final class PastedHexTests: XCTestCase {
    /// Three records `16 03 03 00 04 0e 00 00 00` (a ServerHelloDone each), 27 bytes.
    let bytes: [UInt8] = Array(repeating: [0x16, 0x03, 0x03, 0x00, 0x04, 0x0e, 0x00, 0x00, 0x00], count: 3).flatMap { $0 }

    func testStreamsSpacesColonsAndPrefixes() {
        XCTAssertEqual([UInt8](pastedHex: "160303000401"), [0x16, 0x03, 0x03, 0x00, 0x04, 0x01])
        XCTAssertEqual([UInt8](pastedHex: "16:03:03"), [0x16, 0x03, 0x03])
        XCTAssertEqual([UInt8](pastedHex: "0x160303"), [0x16, 0x03, 0x03])
        XCTAssertEqual([UInt8](pastedHex: "0x16 0x03 0x03, 0X00"), [0x16, 0x03, 0x03, 0x00])
        XCTAssertNil([UInt8](pastedHex: "16 03 0"), "an odd number of digits")
        XCTAssertNil([UInt8](pastedHex: "16 03 zz"))
    }

    func testWiresharkHexDump() {
        // Wireshark's "Copy as Hex Dump": offset, three spaces, bytes, three spaces, ASCII.
        let dump = """
            0000   16 03 03 00 04 0e 00 00 00 16 03 03 00 04 0e 00   ................
            0010   00 00 16 03 03 00 04 0e 00 00 00                  ...........
            """
        XCTAssertEqual([UInt8](pastedHex: dump), bytes)
        // An ASCII column that looks like hex is not read as bytes.
        XCTAssertEqual([UInt8](pastedHex: "0000   16 03 03   cafe\n"), [0x16, 0x03, 0x03])
    }

    func testHexdumpAndXxd() {
        let hexdump = """
            00000000  16 03 03 00 04 0e 00 00  00 16 03 03 00 04 0e 00  |................|
            00000010  00 00 16 03 03 00 04 0e  00 00 00                 |...........|
            0000001b
            """
        XCTAssertEqual([UInt8](pastedHex: hexdump), bytes)
        let xxd = """
            00000000: 1603 0300 040e 0000 0016 0303 0004 0e00  ................
            00000010: 0000 1603 0300 040e 0000 00              ...........
            """
        XCTAssertEqual([UInt8](pastedHex: xxd), bytes)
    }

    func testAShortRecordHeaderIsReadAsARecord() {
        XCTAssertTrue(Dissector.looksLikeRecords([0x16, 0x03, 0x03]))
        XCTAssertTrue(Dissector.looksLikeRecords([0x17, 0x03]))
        XCTAssertFalse(Dissector.looksLikeRecords([0x14, 0x00, 0x00]), "a Finished message header")
        let result = Dissector.dissect([0x16, 0x03, 0x03])
        XCTAssertEqual(result.layout, .records)
        XCTAssertEqual(result.error?.alert, .decodeError)
    }
}
