// Extension declarations. Decoding and encoding live in Extensions+Codec.swift.

/// Where an extension block sits: the same extension type has different bodies in different messages
/// (RFC 8446 §4.2 table).
public enum ExtensionContext: String, Sendable, Equatable {
    case clientHello, serverHello, helloRetryRequest, encryptedExtensions, certificate, certificateRequest,
        newSessionTicket
}

/// RFC 8446 §4.2.8: KeyShareEntry.
public struct KeyShareEntry: Sendable, Equatable {
    public var group: NamedGroup
    public var keyExchange: [UInt8]
    public init(group: NamedGroup, keyExchange: [UInt8]) {
        self.group = group
        self.keyExchange = keyExchange
    }
}

/// RFC 8446 §4.2.11: PskIdentity.
public struct PSKIdentity: Sendable, Equatable {
    public var identity: [UInt8]
    public var obfuscatedTicketAge: UInt32
    public init(identity: [UInt8], obfuscatedTicketAge: UInt32) {
        self.identity = identity
        self.obfuscatedTicketAge = obfuscatedTicketAge
    }
}

/// RFC 8446 §4.2.11: OfferedPsks. Always the last extension of a ClientHello.
public struct OfferedPSKs: Sendable, Equatable {
    public var identities: [PSKIdentity]
    public var binders: [[UInt8]]
    public init(identities: [PSKIdentity], binders: [[UInt8]]) {
        self.identities = identities
        self.binders = binders
    }
}

/// The decoded body of an extension. Which case appears depends on the extension type and its context.
public enum ExtensionBody: Sendable, Equatable {
    /// RFC 6066 §3: host names (ClientHello).
    case serverName([String])
    /// RFC 6066 §3: empty acknowledgement (ServerHello / EncryptedExtensions).
    case serverNameAck
    /// RFC 8446 §4.2.7 / RFC 8422 §5.1.1.
    case supportedGroups([NamedGroup])
    /// RFC 8422 §5.1.2.
    case ecPointFormats([ECPointFormat])
    /// RFC 8446 §4.2.3 / RFC 5246 §7.4.1.4.1.
    case signatureAlgorithms([SignatureScheme])
    /// RFC 8446 §4.2.3.
    case signatureAlgorithmsCert([SignatureScheme])
    /// RFC 7301.
    case alpn([String])
    /// RFC 7366: empty.
    case encryptThenMAC
    /// RFC 7627: empty.
    case extendedMasterSecret
    /// RFC 5077: empty (request) or a ticket.
    case sessionTicket([UInt8])
    /// RFC 5746: renegotiated_connection (empty on an initial handshake).
    case renegotiationInfo([UInt8])
    /// RFC 8446 §4.2.1: versions the client offers (ClientHello).
    case supportedVersions([ProtocolVersion])
    /// RFC 8446 §4.2.1: the version the server selected (ServerHello, HelloRetryRequest).
    case selectedVersion(ProtocolVersion)
    /// RFC 8446 §4.2.8: the client's shares (ClientHello).
    case keyShares([KeyShareEntry])
    /// RFC 8446 §4.2.8: the server's share (ServerHello).
    case keyShare(KeyShareEntry)
    /// RFC 8446 §4.2.8: the group the server asks for (HelloRetryRequest).
    case keyShareRequest(NamedGroup)
    /// RFC 8446 §4.2.9.
    case pskKeyExchangeModes([PskKeyExchangeMode])
    /// RFC 8446 §4.2.11 (ClientHello).
    case offeredPSKs(OfferedPSKs)
    /// RFC 8446 §4.2.11 (ServerHello).
    case selectedPSK(UInt16)
    /// RFC 8446 §4.2.10: empty (ClientHello, EncryptedExtensions).
    case earlyData
    /// RFC 8446 §4.2.10 (NewSessionTicket).
    case maxEarlyData(UInt32)
    /// RFC 8446 §4.2.2.
    case cookie([UInt8])
    /// RFC 8449.
    case recordSizeLimit(UInt16)
    /// RFC 7685: this many zero bytes.
    case padding(Int)
    /// RFC 8446 §4.2.4: DER distinguished names.
    case certificateAuthorities([[UInt8]])
    /// An extension TLSLab does not decode (or GREASE): its data kept as is.
    case opaque([UInt8])
}

/// RFC 8446 §4.2: `struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; }`.
public struct Extension: Sendable, Equatable {
    public var type: ExtensionType
    public var body: ExtensionBody

    public init(type: ExtensionType, body: ExtensionBody) {
        self.type = type
        self.body = body
    }
}
