import XCTest

@testable import TLSWire

final class FieldCatalogTests: XCTestCase {
    /// Every key emitted while decoding the corpus (messages, records, alerts, change_cipher_spec, encrypted
    /// records, partial trees of malformed input) has a meaning.
    func testEveryEmittedKeyHasAMeaning() throws {
        var keys: Set<String> = []
        for m in Corpus.all {
            let (_, tree) = try decodeOK(m.bytes, m.context)
            keys.formUnion(tree.flattened.map(\.key))
        }
        for (_, stream) in Corpus.streams {
            let d = Dissector.dissect(stream)
            for item in d.items { keys.formUnion(item.fields.flattened.map(\.key)) }
        }
        let extra =
            TLSRecord(contentType: .changeCipherSpec, fragment: [1]).bytes
            + TLSRecord(contentType: .alert, fragment: [1, 0]).bytes
        for item in Dissector.dissect(extra).items { keys.formUnion(item.fields.flattened.map(\.key)) }
        // Malformed inputs: the partial trees use the same keys.
        var rng = SplitMix64(state: 42)
        for m in Corpus.all {
            var bytes = m.bytes
            bytes[rng.below(bytes.count)] ^= 0x40
            if let e = decodeErrorQuietly(bytes, m.context) {
                for node in e.partialFields { keys.formUnion(node.flattened.map(\.key)) }
            }
        }
        // Every extension type's node key, even those the corpus lacks.
        for raw in ExtensionType.names.keys { keys.insert("ext." + ExtensionType(rawValue: raw).fieldSlug) }
        keys.insert("ext." + ExtensionType(rawValue: 0x0a0a).fieldSlug)
        keys.insert("ext." + ExtensionType(rawValue: 0x7777).fieldSlug)
        for raw in HandshakeType.names.keys { keys.insert(HandshakeType(rawValue: raw).name ?? "") }

        let missing = keys.filter { FieldCatalog.meaning(for: $0) == nil }.sorted()
        XCTAssertEqual(missing, [], "keys without a meaning")
        XCTAssertGreaterThan(keys.count, 150)
    }

    func testMeaningsAreShortSentences() {
        for (key, meaning) in FieldCatalog.meanings {
            XCTAssertTrue(meaning.hasSuffix("."), key)
            XCTAssertLessThanOrEqual(meaning.count, 160, key)
            XCTAssertEqual(meaning.first.map { String($0) }, meaning.first.map { String($0).uppercased() }, key)
        }
    }

    func testNodesCarryTheirMeaning() throws {
        let (_, tree) = try decodeOK(RFC8448.clientHello, Corpus.tls13)
        XCTAssertEqual(tree.first(key: "client_hello.random")?.meaning, FieldCatalog.meanings["client_hello.random"])
        XCTAssertTrue(tree.flattened.allSatisfy { $0.meaning != nil })
    }

    func decodeErrorQuietly(_ bytes: [UInt8], _ context: DecodeContext) -> DecodeError? {
        do {
            _ = try HandshakeMessage.decode(bytes, context: context)
            return nil
        } catch {
            return error as? DecodeError
        }
    }
}
