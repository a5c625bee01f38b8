@testable import TLSWire

/// Messages built in code to cover every `HandshakeBody` and `ExtensionBody` case (the real captures do not
/// have them all). Each decodes back to the same body: the extensions are placed only where the RFCs put them.
enum Constructed {
    struct Item {
        let name: String
        let body: HandshakeBody
        let context: DecodeContext
    }

    static func filled(_ count: Int, _ seed: UInt8) -> [UInt8] { (0..<count).map { UInt8(truncatingIfNeeded: Int(seed) &+ $0 &* 7) } }

    static let random = filled(32, 0x11)
    static let x25519Share = filled(32, 0x21)
    static let p256Share = [0x04] + filled(64, 0x31)
    static let dn = [UInt8]([0x30, 0x0e, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x04, 0x03, 0x13, 0x03, 0x72, 0x73, 0x61])

    static let clientHello13 = ClientHello(
        random: random, sessionID: filled(32, 0x41),
        cipherSuites: [CipherSuite(rawValue: 0x2a2a), .TLS_AES_128_GCM_SHA256, .TLS_CHACHA20_POLY1305_SHA256],
        extensions: [
            Extension(type: ExtensionType(rawValue: 0x1a1a), body: .opaque([])),
            Extension(type: .serverName, body: .serverName(["www.example.com"])),
            Extension(type: .statusRequest, body: .opaque([0x01, 0x00, 0x00, 0x00, 0x00])),
            Extension(type: .supportedGroups, body: .supportedGroups([NamedGroup(rawValue: 0x3a3a), .x25519, .secp256r1])),
            Extension(type: .signatureAlgorithms, body: .signatureAlgorithms([.ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .ed25519])),
            Extension(type: .signatureAlgorithmsCert, body: .signatureAlgorithmsCert([.rsa_pkcs1_sha256, .ecdsa_secp384r1_sha384])),
            Extension(type: .alpn, body: .alpn(["h2", "http/1.1"])),
            Extension(type: .supportedVersions, body: .supportedVersions([ProtocolVersion(rawValue: 0x4a4a), .tls13, .tls12])),
            Extension(
                type: .keyShare,
                body: .keyShares([
                    KeyShareEntry(group: NamedGroup(rawValue: 0x3a3a), keyExchange: [0]),
                    KeyShareEntry(group: .x25519, keyExchange: x25519Share),
                    KeyShareEntry(group: .secp256r1, keyExchange: p256Share),
                ])),
            Extension(type: .pskKeyExchangeModes, body: .pskKeyExchangeModes([.pskDHEKE, .pskKE])),
            Extension(type: .earlyData, body: .earlyData),
            Extension(type: .cookie, body: .cookie(filled(40, 0x51))),
            Extension(type: .recordSizeLimit, body: .recordSizeLimit(16385)),
            Extension(type: .certificateAuthorities, body: .certificateAuthorities([dn, dn])),
            Extension(type: .postHandshakeAuth, body: .opaque([])),
            Extension(type: .padding, body: .padding(17)),
            Extension(
                type: .preSharedKey,
                body: .offeredPSKs(
                    OfferedPSKs(
                        identities: [
                            PSKIdentity(identity: filled(48, 0x61), obfuscatedTicketAge: 0xdead_beef),
                            PSKIdentity(identity: [7], obfuscatedTicketAge: 0),
                        ],
                        binders: [filled(32, 0x71), filled(48, 0x81)]))),
        ])

    static let clientHello12 = ClientHello(
        legacyVersion: .tls12, random: random,
        cipherSuites: [.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_RSA_WITH_AES_128_CBC_SHA256, .TLS_EMPTY_RENEGOTIATION_INFO_SCSV],
        extensions: [
            Extension(type: .serverName, body: .serverName(["tlslab.test", "alt.tlslab.test"])),
            Extension(type: .ecPointFormats, body: .ecPointFormats([.uncompressed])),
            Extension(type: .supportedGroups, body: .supportedGroups([.x25519, .secp256r1, .secp384r1])),
            Extension(type: .sessionTicket, body: .sessionTicket(filled(100, 0x91))),
            Extension(type: .encryptThenMAC, body: .encryptThenMAC),
            Extension(type: .extendedMasterSecret, body: .extendedMasterSecret),
            Extension(type: .renegotiationInfo, body: .renegotiationInfo([])),
            Extension(type: .signatureAlgorithms, body: .signatureAlgorithms([.rsa_pkcs1_sha256, .rsa_pss_rsae_sha256])),
            Extension(type: .padding, body: .opaque([0, 1, 0])),
        ])

    static let clientHelloNoExtensions = ClientHello(
        legacyVersion: .tls12, random: random, cipherSuites: [.TLS_RSA_WITH_AES_128_CBC_SHA], extensions: [])

    static let serverHello13 = ServerHello(
        random: filled(32, 0xa1), sessionID: filled(32, 0x41), cipherSuite: .TLS_AES_128_GCM_SHA256,
        extensions: [
            Extension(type: .keyShare, body: .keyShare(KeyShareEntry(group: .x25519, keyExchange: x25519Share))),
            Extension(type: .supportedVersions, body: .selectedVersion(.tls13)),
            Extension(type: .preSharedKey, body: .selectedPSK(1)),
        ])

    static let serverHello12 = ServerHello(
        random: filled(24, 0xb1) + ServerHello.downgradeTLS12, sessionID: filled(32, 0xc1),
        cipherSuite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        extensions: [
            Extension(type: .serverName, body: .serverNameAck),
            Extension(type: .renegotiationInfo, body: .renegotiationInfo(filled(24, 0xd1))),
            Extension(type: .extendedMasterSecret, body: .extendedMasterSecret),
            Extension(type: .encryptThenMAC, body: .encryptThenMAC),
            Extension(type: .ecPointFormats, body: .ecPointFormats([.uncompressed, ECPointFormat(rawValue: 1)])),
            Extension(type: .sessionTicket, body: .sessionTicket([])),
            Extension(type: .alpn, body: .alpn(["http/1.1"])),
            Extension(type: .recordSizeLimit, body: .recordSizeLimit(4096)),
        ])

    static let helloRetryRequest = ServerHello(
        random: ServerHello.helloRetryRequestRandom, sessionID: filled(32, 0x41), cipherSuite: .TLS_AES_256_GCM_SHA384,
        extensions: [
            Extension(type: .keyShare, body: .keyShareRequest(.secp256r1)),
            Extension(type: .supportedVersions, body: .selectedVersion(.tls13)),
            Extension(type: .cookie, body: .cookie(filled(64, 0xe1))),
        ])

    static let messages: [Item] = [
        Item(name: "ClientHello 1.3 (every ClientHello extension)", body: .clientHello(clientHello13), context: DecodeContext()),
        Item(name: "ClientHello 1.2", body: .clientHello(clientHello12), context: DecodeContext()),
        Item(name: "ClientHello without extensions", body: .clientHello(clientHelloNoExtensions), context: DecodeContext()),
        Item(name: "ServerHello 1.3", body: .serverHello(serverHello13), context: DecodeContext()),
        Item(name: "ServerHello 1.2", body: .serverHello(serverHello12), context: DecodeContext()),
        Item(name: "HelloRetryRequest", body: .serverHello(helloRetryRequest), context: DecodeContext()),
        Item(
            name: "ServerHello without extensions",
            body: .serverHello(ServerHello(random: filled(32, 3), cipherSuite: .TLS_RSA_WITH_AES_128_CBC_SHA, extensions: [])),
            context: DecodeContext()),
        Item(
            name: "EncryptedExtensions",
            body: .encryptedExtensions(
                EncryptedExtensions(extensions: [
                    Extension(type: .serverName, body: .serverNameAck),
                    Extension(type: .alpn, body: .alpn(["h2"])),
                    Extension(type: .supportedGroups, body: .supportedGroups([.secp256r1, .x25519])),
                    Extension(type: .earlyData, body: .earlyData),
                    Extension(type: .recordSizeLimit, body: .recordSizeLimit(16385)),
                ])), context: Corpus.tls13),
        Item(name: "EncryptedExtensions (empty)", body: .encryptedExtensions(EncryptedExtensions(extensions: [])), context: Corpus.tls13),
        Item(
            name: "Certificate 1.3",
            body: .certificate13(
                Certificate13(entries: [
                    CertificateEntry(
                        data: filled(300, 0x12),
                        extensions: [Extension(type: .statusRequest, body: .opaque([1, 0, 0, 3, 0xaa, 0xbb, 0xcc]))]),
                    CertificateEntry(data: filled(200, 0x13)),
                ])), context: Corpus.tls13),
        Item(
            name: "Certificate 1.3 (client, empty)", body: .certificate13(Certificate13(context: [9, 9, 9], entries: [])),
            context: Corpus.tls13),
        Item(
            name: "Certificate 1.2", body: .certificate12(Certificate12(certificates: [filled(400, 0x14), filled(350, 0x15)])),
            context: Corpus.tls12ECDHE),
        Item(
            name: "ServerKeyExchange",
            body: .serverKeyExchange(
                ServerKeyExchangeECDHE(group: .secp256r1, publicKey: p256Share, scheme: .rsa_pss_rsae_sha256, signature: filled(256, 0x16))),
            context: Corpus.tls12ECDHE),
        Item(
            name: "CertificateRequest 1.2",
            body: .certificateRequest12(
                CertificateRequest12(
                    certificateTypes: [.rsaSign, .ecdsaSign], signatureSchemes: [.rsa_pkcs1_sha256, .ecdsa_secp256r1_sha256],
                    authorities: [dn])), context: Corpus.tls12ECDHE),
        Item(
            name: "CertificateRequest 1.3",
            body: .certificateRequest13(
                CertificateRequest13(
                    context: [], extensions: [
                        Extension(type: .signatureAlgorithms, body: .signatureAlgorithms([.rsa_pss_rsae_sha256, .ecdsa_secp256r1_sha256])),
                        Extension(type: .signatureAlgorithmsCert, body: .signatureAlgorithmsCert([.rsa_pkcs1_sha256])),
                        Extension(type: .certificateAuthorities, body: .certificateAuthorities([dn])),
                    ])), context: Corpus.tls13),
        Item(name: "ServerHelloDone", body: .serverHelloDone, context: Corpus.tls12ECDHE),
        Item(
            name: "CertificateVerify",
            body: .certificateVerify(CertificateVerify(scheme: .ecdsa_secp256r1_sha256, signature: filled(71, 0x17))),
            context: Corpus.tls13),
        Item(
            name: "ClientKeyExchange RSA", body: .clientKeyExchange(.rsa(encryptedPreMasterSecret: filled(256, 0x18))),
            context: Corpus.tls12RSA),
        Item(name: "ClientKeyExchange ECDHE", body: .clientKeyExchange(.ecdhe(publicKey: x25519Share)), context: Corpus.tls12ECDHE),
        Item(name: "Finished 1.2", body: .finished(Finished(verifyData: filled(12, 0x19))), context: Corpus.tls12ECDHE),
        Item(
            name: "NewSessionTicket 1.2", body: .newSessionTicket12(NewSessionTicket12(lifetimeHint: 7200, ticket: filled(160, 0x1a))),
            context: Corpus.tls12ECDHE),
        Item(
            name: "NewSessionTicket 1.3",
            body: .newSessionTicket13(
                NewSessionTicket13(
                    lifetime: 604800, ageAdd: 0x0102_0304, nonce: [0, 1], ticket: filled(120, 0x1b),
                    extensions: [
                        Extension(type: .earlyData, body: .maxEarlyData(16384)),
                        Extension(type: ExtensionType(rawValue: 0x5a5a), body: .opaque([1, 2, 3])),
                    ])), context: Corpus.tls13),
        Item(name: "KeyUpdate requested", body: .keyUpdate(KeyUpdate(request: .updateRequested)), context: Corpus.tls13),
        Item(name: "KeyUpdate not requested", body: .keyUpdate(KeyUpdate(request: .updateNotRequested)), context: Corpus.tls13),
        Item(name: "EndOfEarlyData", body: .endOfEarlyData, context: Corpus.tls13),
        Item(name: "message_hash", body: .messageHash(filled(32, 0x1c)), context: Corpus.tls13),
        Item(name: "unknown type 99", body: .unknown(HandshakeType(rawValue: 99), [1, 2, 3]), context: Corpus.tls13),
        Item(name: "hello_request", body: .unknown(.helloRequest, []), context: Corpus.tls12ECDHE),
    ]
}
