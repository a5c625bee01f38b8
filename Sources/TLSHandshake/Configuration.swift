import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// What a client offers and how it judges the server (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2).
public struct ClientConfiguration: Sendable {
    /// Versions offered, most preferred first (`[.tls13, .tls12]`).
    public var versions: [ProtocolVersion]
    public var cipherSuites: [CipherSuite]
    /// supported_groups, in preference order.
    public var groups: [NamedGroup]
    /// TLS 1.3: groups the first ClientHello carries a key share for (a subset of `groups`).
    public var keyShareGroups: [NamedGroup]
    public var signatureSchemes: [SignatureScheme]
    /// SNI and the name the certificate must carry. Nil: no SNI and no name check.
    public var serverName: String?
    /// DER certificates the client trusts.
    public var trustAnchors: [[UInt8]]
    /// The client's clock, used for certificate validity.
    public var clock: Date
    /// RFC 7627.
    public var extendedMasterSecret: Bool
    /// RFC 7366.
    public var encryptThenMAC: Bool
    /// RFC 8446 §D.4: a 32-byte legacy_session_id and a dummy ChangeCipherSpec.
    public var middleboxCompatibility: Bool
    /// Client certificate for mutual TLS.
    public var credential: Credential?
    /// A session from an earlier connection to resume (TLS 1.3 PSK, or TLS 1.2 session ID / ticket).
    public var session: ClientSession?
    /// TLS 1.3: application data to send as 0-RTT early data (needs `session`).
    public var earlyData: [UInt8]?
    /// TLS 1.3: PSK key exchange modes offered (RFC 8446 §4.2.9).
    public var pskModes: [PskKeyExchangeMode] = [.pskDHEKE]
    /// TLS 1.2: offer RFC 5077 session tickets.
    public var sessionTickets = false

    public init(
        versions: [ProtocolVersion] = [.tls13, .tls12],
        cipherSuites: [CipherSuite] = [.TLS_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
        groups: [NamedGroup] = [.x25519, .secp256r1], keyShareGroups: [NamedGroup]? = nil,
        signatureSchemes: [SignatureScheme] = [
            .ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .rsa_pkcs1_sha256, .ed25519,
        ],
        serverName: String? = "www.example.com", trustAnchors: [[UInt8]] = [], clock: Date = Date(),
        extendedMasterSecret: Bool = true, encryptThenMAC: Bool = true, middleboxCompatibility: Bool = false,
        credential: Credential? = nil
    ) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.groups = groups
        self.keyShareGroups = keyShareGroups ?? Array(groups.prefix(1))
        self.signatureSchemes = signatureSchemes
        self.serverName = serverName
        self.trustAnchors = trustAnchors
        self.clock = clock
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
        self.middleboxCompatibility = middleboxCompatibility
        self.credential = credential
    }
}

/// Whether the server asks for a client certificate (RFC 8446 §4.3.2, RFC 5246 §7.4.4).
public enum ClientAuthentication: String, Sendable, Codable {
    case none, request, require
}

/// What a server accepts and presents.
public struct ServerConfiguration: Sendable {
    public var versions: [ProtocolVersion]
    /// In the server's preference order (the server picks its first suite the client also offers).
    public var cipherSuites: [CipherSuite]
    public var groups: [NamedGroup]
    /// Signature schemes the server is willing to use, in preference order.
    public var signatureSchemes: [SignatureScheme]
    public var credential: Credential
    public var extendedMasterSecret: Bool
    public var encryptThenMAC: Bool
    public var clientAuthentication: ClientAuthentication
    /// DER certificates trusted for client certificates.
    public var trustAnchors: [[UInt8]]
    public var clock: Date
    /// Issue tickets (TLS 1.3 NewSessionTicket; TLS 1.2 RFC 5077 when the client asks). Needs `memory.ticketKey`.
    public var sessionTickets = false
    /// TLS 1.2: give sessions an ID and keep them in `memory.cache`.
    public var sessionCache = false
    /// TLS 1.3: accept up to this many bytes of 0-RTT data (0: never).
    public var maxEarlyData: UInt32 = 0
    /// TLS 1.3: each ticket resumes once (RFC 8446 §8.1), which defeats replayed 0-RTT data.
    public var antiReplay = true
    /// TLS 1.3: send a cookie in HelloRetryRequest (RFC 8446 §4.2.2).
    public var helloRetryCookie = false
    /// Ticket key, session cache, used tickets: what the server remembers across connections.
    public var memory = ServerSessionMemory()

    public init(
        versions: [ProtocolVersion] = [.tls13, .tls12],
        cipherSuites: [CipherSuite] = [.TLS_AES_128_GCM_SHA256, .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256],
        groups: [NamedGroup] = [.x25519, .secp256r1],
        signatureSchemes: [SignatureScheme] = [
            .ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .rsa_pkcs1_sha256, .ed25519,
        ],
        credential: Credential, extendedMasterSecret: Bool = true, encryptThenMAC: Bool = true,
        clientAuthentication: ClientAuthentication = .none, trustAnchors: [[UInt8]] = [], clock: Date = Date()
    ) {
        self.versions = versions
        self.cipherSuites = cipherSuites
        self.groups = groups
        self.signatureSchemes = signatureSchemes
        self.credential = credential
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
        self.clientAuthentication = clientAuthentication
        self.trustAnchors = trustAnchors
        self.clock = clock
    }
}
