import TLSTranscript
import TLSViewModel
import TLSWire
import XCTest

/// The hex pane's ranges must point at the bytes the field tree says: checked for every field of every step of
/// every golden transcript, against the message bytes and the record framing of RFC 5246 §6.2.1 / RFC 8446 §5.1.
final class ByteMappingTests: XCTestCase {
    static let goldens = [
        "tls12-rsa", "tls12-rsa-gcm", "tls12-ecdhe-rsa", "tls12-ecdhe-rsa-cbc", "tls12-chacha", "tls13-ed25519-chacha",
    ]

    func testEveryMessageFieldHighlightsItsOwnBytes() throws {
        var checkedFields = 0
        var expectedFields = 0
        for name in Self.goldens {
            let t = try golden(name)
            let data = StepperData(t)
            for step in data.steps {
                guard let m = step.message else { continue }
                let message = t.messages[m]
                let bytes = message.bytes
                // The message root: the first row whose name is the message's and whose range covers it.
                let root = try XCTUnwrap(
                    step.fields.first { $0.name == message.fields.name && $0.range?.length == bytes.count },
                    "\(name) step \(step.index + 1): no root row")
                let rootRange = try XCTUnwrap(root.range)
                let buffer = step.buffers[rootRange.buffer].bytes
                XCTAssertEqual(Array(buffer[rootRange.range]), bytes, "\(name) \(message.name): root bytes")
                // Every node of the decoded tree appears, in order, with its bytes at its message offset.
                let nodes = message.fields.flattened
                expectedFields += nodes.count
                let rows = Array(step.fields[root.id..<root.subtreeEnd])
                var rowIndex = rows.startIndex
                for node in nodes {
                    while rowIndex < rows.endIndex, rows[rowIndex].name != node.name || rows[rowIndex].value != node.value {
                        rowIndex += 1
                    }
                    let row = try XCTUnwrap(rowIndex < rows.endIndex ? rows[rowIndex] : nil, "\(name): \(node.key) missing")
                    let range = try XCTUnwrap(row.range)
                    XCTAssertEqual(range.buffer, rootRange.buffer)
                    XCTAssertEqual(range.start - rootRange.start, node.offset, "\(name) \(node.key) offset")
                    XCTAssertEqual(range.length, node.length, "\(name) \(node.key) length")
                    XCTAssertEqual(
                        Array(buffer[range.range]), Array(bytes[node.offset..<(node.offset + node.length)]),
                        "\(name) \(message.name).\(node.key)")
                    checkedFields += 1
                    rowIndex += 1
                }
                let record = t.records[step.record]
                let kind = step.buffers[rootRange.buffer].kind
                if record.encrypted {
                    // Decrypted content: offsets inside the plaintext, not the wire.
                    XCTAssertEqual(kind, .plaintext, "\(name) \(message.name)")
                    XCTAssertEqual(rootRange.start, message.offsetInRecord)
                } else {
                    // Plaintext record: 5-byte header, then the fragment (RFC 5246 §6.2.1).
                    XCTAssertEqual(kind, .wire)
                    XCTAssertEqual(rootRange.start, 5 + message.offsetInRecord)
                    XCTAssertEqual(buffer[0], 0x16, "handshake content type")
                    XCTAssertEqual(Int(buffer[3]) << 8 | Int(buffer[4]), buffer.count - 5, "record length field")
                }
            }
        }
        XCTAssertEqual(checkedFields, expectedFields)
        XCTAssertGreaterThan(checkedFields, 400)
    }

    func testRecordHeaderAndProtectionFieldsPointAtTheWireBytes() throws {
        for name in Self.goldens {
            let t = try golden(name)
            let data = StepperData(t)
            for step in data.steps {
                let record = t.records[step.record]
                let wire = record.bytes
                let recordRow = try XCTUnwrap(step.fields.first { $0.name == "record \(record.index + 1)" })
                let range = try XCTUnwrap(recordRow.range)
                XCTAssertEqual(step.buffers[range.buffer].kind, .wire)
                XCTAssertEqual(step.buffers[range.buffer].bytes, wire)
                let children = step.fields[(recordRow.id + 1)..<recordRow.subtreeEnd]
                func row(_ name: String) -> FieldRow? { children.first { $0.name == name } }
                XCTAssertEqual(row("content_type")?.range?.range, 0..<1)
                XCTAssertEqual(row("length")?.range?.range, 3..<5)
                guard let p = record.protection else { continue }
                if let tag = p.tag {
                    let tagRow = try XCTUnwrap(row("tag"), "\(name) record \(record.index)")
                    let r = try XCTUnwrap(tagRow.range)
                    XCTAssertEqual(r.range.upperBound, wire.count, "the tag ends the record")
                    XCTAssertEqual(Array(wire[r.range]), tag)
                }
                if let aad = p.additionalData, aad.count == 5 {
                    // TLS 1.3: the additional data is the record header (RFC 8446 §5.2).
                    XCTAssertEqual(row("additional_data")?.range?.range, 0..<5, name)
                    XCTAssertEqual(Array(wire[0..<5]), aad)
                }
                if let cipher = row("ciphertext")?.range, let plain = record.plaintext {
                    if p.additionalData?.count == 5 {
                        // TLSInnerPlaintext = content ‖ type ‖ zeros: one byte more than the content (no padding here).
                        XCTAssertEqual(cipher.length, plain.count + 1 + (p.paddingLength ?? 0), name)
                    } else if p.mac == nil {
                        XCTAssertEqual(cipher.length, plain.count, "AEAD ciphertext is as long as the plaintext")
                    }
                }
            }
        }
    }

    func testEncryptedStepsShowDecryptedContentWithItsOwnLabel() throws {
        let t = try golden("tls13-ed25519-chacha")
        let data = StepperData(t)
        let ee = try XCTUnwrap(data.steps.first { $0.title == "EncryptedExtensions" })
        XCTAssertEqual(ee.outerType, "application_data")
        XCTAssertEqual(ee.innerType, "handshake")
        let plain = try XCTUnwrap(ee.buffers.first { $0.kind == .plaintext })
        XCTAssertTrue(plain.title.contains("decrypted"), plain.title)
        XCTAssertTrue(plain.note.contains("not on the wire"), plain.note)
        XCTAssertEqual(plain.bytes, t.records[ee.record].plaintext)
        // Application data: one row per line of the HTTP request, each with its bytes.
        let request = try XCTUnwrap(data.steps.first { $0.title.hasPrefix("Application data (60") })
        let lines = request.fields.filter { $0.name.hasPrefix("line ") }
        XCTAssertEqual(lines.first?.value, "\"GET / HTTP/1.1\\r\\n\"")
        XCTAssertEqual(lines.map { $0.range?.length ?? 0 }.reduce(0, +), 60)
    }
}
