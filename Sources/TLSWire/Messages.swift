// Handshake message types. Declarations only here; decoding and encoding live in Messages+Codec.swift.
//
// Every decoder records a FieldNode per field (see ByteReader.field) with keys of the form
// `<message>.<field>` (e.g. `client_hello.random`) and `ext.<extension>.<field>` inside extensions.

/// TLS reuses handshake type numbers with different bodies across versions and key exchanges, so a decoder
/// needs to know what has been negotiated. Unknown (nil) values make the decoder guess from the bytes.
public struct DecodeContext: Sendable, Equatable {
    /// The negotiated version, once ServerHello is known.
    public var version: ProtocolVersion?
    /// TLS 1.2 key exchange (decides the ClientKeyExchange body).
    public var keyExchange: KeyExchangeKind?

    public init(version: ProtocolVersion? = nil, keyExchange: KeyExchangeKind? = nil) {
        self.version = version
        self.keyExchange = keyExchange
    }
}

/// TLS 1.2 key exchange families TLSLab implements.
public enum KeyExchangeKind: String, Sendable, Codable, Equatable {
    /// RFC 5246 §7.4.7.1: the client encrypts a premaster secret to the server's RSA key. No forward secrecy.
    case rsa
    /// RFC 8422: ephemeral elliptic-curve Diffie-Hellman, signed by the server. Forward secret.
    case ecdhe
}

/// RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2.
public struct ClientHello: Sendable, Equatable {
    public var legacyVersion: ProtocolVersion
    /// 32 bytes from the client's random generator.
    public var random: [UInt8]
    /// 0–32 bytes. TLS 1.2: a session to resume; TLS 1.3 middlebox compatibility: 32 random bytes.
    public var sessionID: [UInt8]
    public var cipherSuites: [CipherSuite]
    public var compressionMethods: [CompressionMethod]
    public var extensions: [Extension]

    public init(
        legacyVersion: ProtocolVersion = .tls12, random: [UInt8], sessionID: [UInt8] = [],
        cipherSuites: [CipherSuite], compressionMethods: [CompressionMethod] = [.null], extensions: [Extension]
    ) {
        self.legacyVersion = legacyVersion
        self.random = random
        self.sessionID = sessionID
        self.cipherSuites = cipherSuites
        self.compressionMethods = compressionMethods
        self.extensions = extensions
    }
}

/// RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3. A HelloRetryRequest (RFC 8446 §4.1.4) is a ServerHello whose random is
/// the fixed `helloRetryRequestRandom`.
public struct ServerHello: Sendable, Equatable {
    public var legacyVersion: ProtocolVersion
    public var random: [UInt8]
    public var sessionID: [UInt8]
    public var cipherSuite: CipherSuite
    public var compressionMethod: CompressionMethod
    public var extensions: [Extension]

    public init(
        legacyVersion: ProtocolVersion = .tls12, random: [UInt8], sessionID: [UInt8] = [],
        cipherSuite: CipherSuite, compressionMethod: CompressionMethod = .null, extensions: [Extension]
    ) {
        self.legacyVersion = legacyVersion
        self.random = random
        self.sessionID = sessionID
        self.cipherSuite = cipherSuite
        self.compressionMethod = compressionMethod
        self.extensions = extensions
    }

    /// RFC 8446 §4.1.3: SHA-256("HelloRetryRequest").
    public static let helloRetryRequestRandom: [UInt8] = [
        0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
        0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
    ]
    /// RFC 8446 §4.1.3 downgrade sentinels in the last 8 bytes of ServerHello.random.
    public static let downgradeTLS12: [UInt8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x01]
    public static let downgradeTLS11: [UInt8] = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44, 0x00]

    public var isHelloRetryRequest: Bool { random == Self.helloRetryRequestRandom }
}

/// RFC 8446 §4.3.1.
public struct EncryptedExtensions: Sendable, Equatable {
    public var extensions: [Extension]
    public init(extensions: [Extension]) { self.extensions = extensions }
}

/// RFC 8446 §4.4.2: one certificate and its extensions.
public struct CertificateEntry: Sendable, Equatable {
    /// DER-encoded X.509 certificate.
    public var data: [UInt8]
    public var extensions: [Extension]
    public init(data: [UInt8], extensions: [Extension] = []) {
        self.data = data
        self.extensions = extensions
    }
}

/// RFC 8446 §4.4.2 (TLS 1.3 form: request context + entries with extensions).
public struct Certificate13: Sendable, Equatable {
    public var context: [UInt8]
    public var entries: [CertificateEntry]
    public init(context: [UInt8] = [], entries: [CertificateEntry]) {
        self.context = context
        self.entries = entries
    }
}

/// RFC 5246 §7.4.2 (TLS 1.2 form: a list of DER certificates, leaf first).
public struct Certificate12: Sendable, Equatable {
    public var certificates: [[UInt8]]
    public init(certificates: [[UInt8]]) { self.certificates = certificates }
}

/// RFC 8422 §5.4: ServerKeyExchange for ECDHE: ServerECDHParams + a signature over
/// client_random + server_random + params.
public struct ServerKeyExchangeECDHE: Sendable, Equatable {
    public var curveType: ECCurveType
    public var group: NamedGroup
    /// The server's ephemeral public key (x25519: 32 bytes; P-256: 65-byte uncompressed point).
    public var publicKey: [UInt8]
    public var scheme: SignatureScheme
    public var signature: [UInt8]

    public init(
        curveType: ECCurveType = .namedCurve, group: NamedGroup, publicKey: [UInt8], scheme: SignatureScheme,
        signature: [UInt8]
    ) {
        self.curveType = curveType
        self.group = group
        self.publicKey = publicKey
        self.scheme = scheme
        self.signature = signature
    }

    /// The encoded ServerECDHParams (curve_type, named_curve, public point) — what the signature covers after
    /// the two randoms.
    public var paramsBytes: [UInt8] {
        var w = ByteWriter()
        w.u8(curveType.rawValue)
        w.u16(group.rawValue)
        w.opaque(publicKey, lengthSize: 1)
        return w.bytes
    }
}

/// RFC 5246 §7.4.4.
public struct CertificateRequest12: Sendable, Equatable {
    public var certificateTypes: [ClientCertificateType]
    public var signatureSchemes: [SignatureScheme]
    /// DER-encoded distinguished names of acceptable CAs.
    public var authorities: [[UInt8]]
    public init(certificateTypes: [ClientCertificateType], signatureSchemes: [SignatureScheme], authorities: [[UInt8]] = []) {
        self.certificateTypes = certificateTypes
        self.signatureSchemes = signatureSchemes
        self.authorities = authorities
    }
}

/// RFC 8446 §4.3.2.
public struct CertificateRequest13: Sendable, Equatable {
    public var context: [UInt8]
    public var extensions: [Extension]
    public init(context: [UInt8] = [], extensions: [Extension]) {
        self.context = context
        self.extensions = extensions
    }
}

/// RFC 8446 §4.4.3 / RFC 5246 §7.4.8 (the TLS 1.2 digitally-signed struct has the same layout).
public struct CertificateVerify: Sendable, Equatable {
    public var scheme: SignatureScheme
    public var signature: [UInt8]
    public init(scheme: SignatureScheme, signature: [UInt8]) {
        self.scheme = scheme
        self.signature = signature
    }
}

/// RFC 5246 §7.4.7: ClientKeyExchange.
public enum ClientKeyExchange: Sendable, Equatable {
    /// RFC 5246 §7.4.7.1: EncryptedPreMasterSecret with its 2-byte length.
    case rsa(encryptedPreMasterSecret: [UInt8])
    /// RFC 8422 §5.7: the client's ephemeral public key with its 1-byte length.
    case ecdhe(publicKey: [UInt8])
}

/// RFC 8446 §4.4.4 / RFC 5246 §7.4.9.
public struct Finished: Sendable, Equatable {
    public var verifyData: [UInt8]
    public init(verifyData: [UInt8]) { self.verifyData = verifyData }
}

/// RFC 5077 §3.3 (TLS 1.2).
public struct NewSessionTicket12: Sendable, Equatable {
    public var lifetimeHint: UInt32
    public var ticket: [UInt8]
    public init(lifetimeHint: UInt32, ticket: [UInt8]) {
        self.lifetimeHint = lifetimeHint
        self.ticket = ticket
    }
}

/// RFC 8446 §4.6.1 (TLS 1.3).
public struct NewSessionTicket13: Sendable, Equatable {
    public var lifetime: UInt32
    public var ageAdd: UInt32
    public var nonce: [UInt8]
    public var ticket: [UInt8]
    public var extensions: [Extension]
    public init(lifetime: UInt32, ageAdd: UInt32, nonce: [UInt8], ticket: [UInt8], extensions: [Extension] = []) {
        self.lifetime = lifetime
        self.ageAdd = ageAdd
        self.nonce = nonce
        self.ticket = ticket
        self.extensions = extensions
    }
}

/// RFC 8446 §4.6.3.
public struct KeyUpdate: Sendable, Equatable {
    public var request: KeyUpdateRequest
    public init(request: KeyUpdateRequest) { self.request = request }
}

/// The body of a handshake message, by type. Version-dependent bodies have one case per form.
public enum HandshakeBody: Sendable, Equatable {
    case clientHello(ClientHello)
    /// ServerHello or HelloRetryRequest (see `ServerHello.isHelloRetryRequest`).
    case serverHello(ServerHello)
    case newSessionTicket12(NewSessionTicket12)
    case newSessionTicket13(NewSessionTicket13)
    case endOfEarlyData
    case encryptedExtensions(EncryptedExtensions)
    case certificate12(Certificate12)
    case certificate13(Certificate13)
    case serverKeyExchange(ServerKeyExchangeECDHE)
    case certificateRequest12(CertificateRequest12)
    case certificateRequest13(CertificateRequest13)
    case serverHelloDone
    case certificateVerify(CertificateVerify)
    case clientKeyExchange(ClientKeyExchange)
    case finished(Finished)
    case keyUpdate(KeyUpdate)
    /// RFC 8446 §4.4.1: the synthetic message that replaces ClientHello1 in the transcript after a
    /// HelloRetryRequest. Never sent on the wire.
    case messageHash([UInt8])
    /// A type TLSLab does not decode; its body is kept as is.
    case unknown(HandshakeType, [UInt8])
}

/// RFC 8446 §4 / RFC 5246 §7.4: `struct { HandshakeType msg_type; uint24 length; body }`.
/// Keeps the exact bytes it was decoded from (or encoded to): the transcript hash is computed over these.
public struct HandshakeMessage: Sendable, Equatable {
    public var body: HandshakeBody
    /// The whole message, 4-byte header included.
    public var bytes: [UInt8]

    /// Builds a message and encodes it.
    public init(_ body: HandshakeBody) {
        self.body = body
        self.bytes = body.encoded()
    }

    /// Wraps an already decoded body with the bytes it came from.
    public init(body: HandshakeBody, bytes: [UInt8]) {
        self.body = body
        self.bytes = bytes
    }

    public var type: HandshakeType { HandshakeType(rawValue: bytes.first ?? 0) }
}
