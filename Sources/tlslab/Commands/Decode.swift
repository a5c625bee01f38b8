import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

struct Decode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain TLS bytes: records or a bare handshake message, field by field.",
        discussion: """
            Paste hex as Wireshark shows it ("Copy as Hex Stream", or "Copy as Hex Dump": the offset and ASCII columns are \
            skipped), with spaces, colons or 0x prefixes, or as hexdump -C or xxd print it; `-` reads stdin. \
            Every field is printed with its offset, length, value and meaning.
            """)

    @Argument(help: "Hex bytes, or - to read them from standard input.")
    var hex: [String]

    func run() async throws {
        var text = hex.joined(separator: " ")
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let bytes = [UInt8](pastedHex: text) else {
            throw CLIError(
                "not hex: expected pairs of hex digits (spaces, colons, 0x prefixes and a hex dump's offset and ASCII columns are fine), e.g. 16 03 01 00 2f 01 …")
        }
        guard !bytes.isEmpty else { throw CLIError("no bytes to decode") }
        let result = Dissector.dissect(bytes)
        print(Dissector.render(result), terminator: "")
        if result.error != nil { throw ExitCode(2) }
    }
}
