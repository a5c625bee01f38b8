import XCTest

@testable import TLSWire

/// Messages built in code (Constructed.swift) cover every body and extension case: each encodes, decodes back to
/// the same value, and re-encodes to the same bytes.
final class RoundTripTests: XCTestCase {
    func testConstructedMessagesRoundTrip() throws {
        for item in Constructed.messages {
            let bytes = item.body.encoded()
            XCTAssertEqual(bytes.first, item.body.handshakeType.rawValue, item.name)
            XCTAssertEqual(Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3]), bytes.count - 4, item.name)
            let (message, tree) = try decodeOK(bytes, item.context)
            XCTAssertEqual(message.body, item.body, item.name)
            XCTAssertEqual(message.bytes, bytes, item.name)
            XCTAssertEqual(message.body.encoded(), bytes, item.name)
            XCTAssertEqual(tree.key, item.body.fieldKey, item.name)
            XCTAssertEqual(tree.name, item.body.displayName, item.name)
        }
    }

    /// An exhaustive switch: adding a case to HandshakeBody or ExtensionBody breaks the build here until the
    /// corpus covers it.
    static func name(_ body: HandshakeBody) -> String {
        switch body {
        case .clientHello: return "clientHello"
        case .serverHello(let sh): return sh.isHelloRetryRequest ? "helloRetryRequest" : "serverHello"
        case .newSessionTicket12: return "newSessionTicket12"
        case .newSessionTicket13: return "newSessionTicket13"
        case .endOfEarlyData: return "endOfEarlyData"
        case .encryptedExtensions: return "encryptedExtensions"
        case .certificate12: return "certificate12"
        case .certificate13: return "certificate13"
        case .serverKeyExchange: return "serverKeyExchange"
        case .certificateRequest12: return "certificateRequest12"
        case .certificateRequest13: return "certificateRequest13"
        case .serverHelloDone: return "serverHelloDone"
        case .certificateVerify: return "certificateVerify"
        case .clientKeyExchange(.rsa): return "clientKeyExchangeRSA"
        case .clientKeyExchange(.ecdhe): return "clientKeyExchangeECDHE"
        case .finished: return "finished"
        case .keyUpdate: return "keyUpdate"
        case .messageHash: return "messageHash"
        case .unknown: return "unknown"
        }
    }

    static func name(_ body: ExtensionBody) -> String {
        switch body {
        case .serverName: return "serverName"
        case .serverNameAck: return "serverNameAck"
        case .supportedGroups: return "supportedGroups"
        case .ecPointFormats: return "ecPointFormats"
        case .signatureAlgorithms: return "signatureAlgorithms"
        case .signatureAlgorithmsCert: return "signatureAlgorithmsCert"
        case .alpn: return "alpn"
        case .encryptThenMAC: return "encryptThenMAC"
        case .extendedMasterSecret: return "extendedMasterSecret"
        case .sessionTicket: return "sessionTicket"
        case .renegotiationInfo: return "renegotiationInfo"
        case .supportedVersions: return "supportedVersions"
        case .selectedVersion: return "selectedVersion"
        case .keyShares: return "keyShares"
        case .keyShare: return "keyShare"
        case .keyShareRequest: return "keyShareRequest"
        case .pskKeyExchangeModes: return "pskKeyExchangeModes"
        case .offeredPSKs: return "offeredPSKs"
        case .selectedPSK: return "selectedPSK"
        case .earlyData: return "earlyData"
        case .maxEarlyData: return "maxEarlyData"
        case .cookie: return "cookie"
        case .recordSizeLimit: return "recordSizeLimit"
        case .padding: return "padding"
        case .certificateAuthorities: return "certificateAuthorities"
        case .opaque: return "opaque"
        }
    }

    static func extensions(of body: HandshakeBody) -> [Extension] {
        switch body {
        case .clientHello(let ch): return ch.extensions
        case .serverHello(let sh): return sh.extensions
        case .encryptedExtensions(let ee): return ee.extensions
        case .certificate13(let c): return c.entries.flatMap(\.extensions)
        case .certificateRequest13(let cr): return cr.extensions
        case .newSessionTicket13(let t): return t.extensions
        default: return []
        }
    }

    func testCorpusCoversEveryCase() throws {
        var bodies: Set<String> = []
        var extensionBodies: Set<String> = []
        for m in Corpus.all {
            let (message, _) = try decodeOK(m.bytes, m.context)
            bodies.insert(Self.name(message.body))
            for e in Self.extensions(of: message.body) { extensionBodies.insert(Self.name(e.body)) }
        }
        XCTAssertEqual(
            bodies,
            ["clientHello", "serverHello", "helloRetryRequest", "newSessionTicket12", "newSessionTicket13",
             "endOfEarlyData", "encryptedExtensions", "certificate12", "certificate13", "serverKeyExchange",
             "certificateRequest12", "certificateRequest13", "serverHelloDone", "certificateVerify",
             "clientKeyExchangeRSA", "clientKeyExchangeECDHE", "finished", "keyUpdate", "messageHash", "unknown"])
        XCTAssertEqual(
            extensionBodies,
            ["serverName", "serverNameAck", "supportedGroups", "ecPointFormats", "signatureAlgorithms",
             "signatureAlgorithmsCert", "alpn", "encryptThenMAC", "extendedMasterSecret", "sessionTicket",
             "renegotiationInfo", "supportedVersions", "selectedVersion", "keyShares", "keyShare", "keyShareRequest",
             "pskKeyExchangeModes", "offeredPSKs", "selectedPSK", "earlyData", "maxEarlyData", "cookie",
             "recordSizeLimit", "padding", "certificateAuthorities", "opaque"])
    }

    /// Known bytes for a few extensions, written out from the RFCs' structure definitions.
    func testExtensionEncodingsMatchTheRFCLayouts() {
        // RFC 6066 §3: list length 0x0009, name_type 0, name length 0x0006, "server".
        XCTAssertEqual(
            Extension(type: .serverName, body: .serverName(["server"])).encoded,
            [0x00, 0x00, 0x00, 0x0b, 0x00, 0x09, 0x00, 0x00, 0x06] + Array("server".utf8))
        // RFC 8446 §4.2.1: ClientHello list with a 1-byte length; ServerHello a bare version.
        XCTAssertEqual(Extension(type: .supportedVersions, body: .supportedVersions([.tls13, .tls12])).encoded,
                       [0x00, 0x2b, 0x00, 0x05, 0x04, 0x03, 0x04, 0x03, 0x03])
        XCTAssertEqual(Extension(type: .supportedVersions, body: .selectedVersion(.tls13)).encoded, [0x00, 0x2b, 0x00, 0x02, 0x03, 0x04])
        // RFC 8446 §4.2.8: HelloRetryRequest carries only the group.
        XCTAssertEqual(Extension(type: .keyShare, body: .keyShareRequest(.secp256r1)).encoded, [0x00, 0x33, 0x00, 0x02, 0x00, 0x17])
        // RFC 8446 §4.2.10: empty in ClientHello, a uint32 in NewSessionTicket.
        XCTAssertEqual(Extension(type: .earlyData, body: .earlyData).encoded, [0x00, 0x2a, 0x00, 0x00])
        XCTAssertEqual(Extension(type: .earlyData, body: .maxEarlyData(1024)).encoded, [0x00, 0x2a, 0x00, 0x04, 0x00, 0x00, 0x04, 0x00])
        // RFC 5746 §3.2: an empty renegotiated_connection still has its 1-byte length.
        XCTAssertEqual(Extension(type: .renegotiationInfo, body: .renegotiationInfo([])).encoded, [0xff, 0x01, 0x00, 0x01, 0x00])
        // RFC 7301 §3.1.
        XCTAssertEqual(Extension(type: .alpn, body: .alpn(["h2"])).encoded, [0x00, 0x10, 0x00, 0x05, 0x00, 0x03, 0x02, 0x68, 0x32])
        // RFC 7685: zero bytes.
        XCTAssertEqual(Extension(type: .padding, body: .padding(3)).encoded, [0x00, 0x15, 0x00, 0x03, 0, 0, 0])
        XCTAssertEqual(ExtensionBody.padding(-5).encodedData, [], "a negative padding count encodes nothing")
    }

    /// Per-context decoding: the same extension type means different things in different messages.
    func testSameTypeDecodesPerContext() throws {
        func ext(_ bytes: [UInt8], _ context: ExtensionContext) throws -> Extension {
            var w = ByteWriter()
            w.opaque(bytes, lengthSize: 2)
            var r = ByteReader(w.bytes)
            let exts = try [Extension].decodeBlock(from: &r, key: "test.extensions", context: context)
            XCTAssertEqual(exts.count, 1)
            return exts[0]
        }
        let keyShareCH: [UInt8] = [0x00, 0x33, 0x00, 0x08, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x02, 0xaa, 0xbb]
        XCTAssertEqual(try ext(keyShareCH, .clientHello).body,
                       .keyShares([KeyShareEntry(group: .x25519, keyExchange: [0xaa, 0xbb])]))
        let keyShareSH: [UInt8] = [0x00, 0x33, 0x00, 0x06, 0x00, 0x1d, 0x00, 0x02, 0xaa, 0xbb]
        XCTAssertEqual(try ext(keyShareSH, .serverHello).body, .keyShare(KeyShareEntry(group: .x25519, keyExchange: [0xaa, 0xbb])))
        XCTAssertEqual(try ext([0x00, 0x33, 0x00, 0x02, 0x00, 0x17], .helloRetryRequest).body, .keyShareRequest(.secp256r1))
        // pre_shared_key: a selected identity in ServerHello.
        XCTAssertEqual(try ext([0x00, 0x29, 0x00, 0x02, 0x00, 0x00], .serverHello).body, .selectedPSK(0))
        // server_name: an empty acknowledgement in EncryptedExtensions.
        XCTAssertEqual(try ext([0x00, 0x00, 0x00, 0x00], .encryptedExtensions).body, .serverNameAck)
        // A type out of its place, and GREASE, stay opaque.
        XCTAssertEqual(try ext(keyShareSH, .certificate).body, .opaque([0x00, 0x1d, 0x00, 0x02, 0xaa, 0xbb]))
        XCTAssertEqual(try ext([0xfa, 0xfa, 0x00, 0x01, 0x00], .clientHello).body, .opaque([0x00]))
        // Non-zero padding stays opaque, so it re-encodes exactly.
        XCTAssertEqual(try ext([0x00, 0x15, 0x00, 0x02, 0x00, 0x01], .clientHello).body, .opaque([0x00, 0x01]))
        // A host name that is not valid UTF-8 (and an unknown name type) cannot re-encode from a String: opaque.
        let badName: [UInt8] = [0x00, 0x00, 0x00, 0x06, 0x00, 0x04, 0x00, 0x00, 0x01, 0xff]
        XCTAssertEqual(try ext(badName, .clientHello).body, .opaque([0x00, 0x04, 0x00, 0x00, 0x01, 0xff]))
        let otherType: [UInt8] = [0x00, 0x00, 0x00, 0x06, 0x00, 0x04, 0x07, 0x00, 0x01, 0x61]
        XCTAssertEqual(try ext(otherType, .clientHello).body, .opaque([0x00, 0x04, 0x07, 0x00, 0x01, 0x61]))
    }

    func testHandshakeMessageInitEncodes() {
        let body = HandshakeBody.finished(Finished(verifyData: [1, 2, 3]))
        let message = HandshakeMessage(body)
        XCTAssertEqual(message.bytes, [0x14, 0x00, 0x00, 0x03, 1, 2, 3])
        XCTAssertEqual(message.type, .finished)
        // RFC 8446 §4.4.1: message_hash = 254, 00 00 Hash.length, Hash(ClientHello1).
        XCTAssertEqual(HandshakeBody.messageHash([9, 9]).encoded(), [0xfe, 0x00, 0x00, 0x02, 9, 9])
    }
}
