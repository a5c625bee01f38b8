import Foundation
import TLSWire

/// A scenario: one handshake setup (what the client offers, what the server accepts, which certificates, which
/// clock, which seed) loaded from a YAML file under `Scenarios/`. The format is documented in docs/scenarios.md.
public struct Scenario: Sendable, Equatable {
    /// File name without `.yaml` (e.g. `tls12-rsa`).
    public var name: String
    /// One line, e.g. `TLS 1.2 with RSA key exchange`.
    public var title: String
    /// One or two sentences: what this scenario shows.
    public var description: String
    /// Seed of the deterministic random generator (randoms, ephemeral keys, padding).
    public var seed: UInt64
    /// The simulated date and time (certificate validity is checked against it).
    public var clock: Date
    public var client: ClientSpec
    public var server: ServerSpec
    public var applicationData: ApplicationDataSpec
    /// Where the scenario was loaded from (nil for built-in values).
    public var sourcePath: String?
    /// Directory holding the PEM files the scenario names (default: `pki/` next to the scenario file).
    public var pkiDirectory: URL

    public init(
        name: String, title: String, description: String, seed: UInt64, clock: Date, client: ClientSpec,
        server: ServerSpec, applicationData: ApplicationDataSpec = ApplicationDataSpec(), sourcePath: String? = nil,
        pkiDirectory: URL
    ) {
        self.name = name
        self.title = title
        self.description = description
        self.seed = seed
        self.clock = clock
        self.client = client
        self.server = server
        self.applicationData = applicationData
        self.sourcePath = sourcePath
        self.pkiDirectory = pkiDirectory
    }
}

/// `client:` section.
public struct ClientSpec: Sendable, Equatable {
    /// Versions offered, most preferred first. YAML: `[TLS1.3, TLS1.2]`.
    public var versions: [ProtocolVersion] = [.tls13, .tls12]
    /// IANA names, e.g. `TLS_AES_128_GCM_SHA256`.
    public var cipherSuites: [CipherSuite] = [
        .TLS_AES_128_GCM_SHA256, .TLS_AES_256_GCM_SHA384, .TLS_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ]
    /// supported_groups, e.g. `[x25519, secp256r1]`.
    public var groups: [NamedGroup] = [.x25519, .secp256r1]
    /// TLS 1.3 key shares sent in the first ClientHello (default: the first group).
    public var keyShares: [NamedGroup]? = nil
    public var signatureAlgorithms: [SignatureScheme] = [
        .ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .rsa_pkcs1_sha256, .ed25519,
    ]
    /// SNI and the name checked against the certificate; nil = none.
    public var serverName: String? = "www.example.com"
    /// Trust anchors: PEM file names (without `.pem`) in the PKI directory.
    public var trust: [String] = ["ca"]
    public var extendedMasterSecret = true
    public var encryptThenMAC = true
    public var middleboxCompatibility = false
    /// Client credential name for mutual TLS (`client` → client.pem + client.key); nil = none.
    public var certificate: String? = nil
    /// The client's own clock when it differs from the scenario clock (a wrong system clock); nil = scenario clock.
    public var clock: Date? = nil

    public init() {}
}

/// `server:` section.
public struct ServerSpec: Sendable, Equatable {
    public var versions: [ProtocolVersion] = [.tls13, .tls12]
    /// In the server's preference order.
    public var cipherSuites: [CipherSuite] = [
        .TLS_AES_128_GCM_SHA256, .TLS_AES_256_GCM_SHA384, .TLS_CHACHA20_POLY1305_SHA256,
        .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    ]
    public var groups: [NamedGroup] = [.x25519, .secp256r1]
    /// In the server's preference order.
    public var signatureAlgorithms: [SignatureScheme] = [
        .rsa_pss_rsae_sha256, .ecdsa_secp256r1_sha256, .ed25519, .rsa_pkcs1_sha256,
    ]
    /// Credential name in the PKI directory (`server-rsa` → server-rsa.pem + server-rsa.key).
    public var certificate = "server-rsa"
    public var extendedMasterSecret = true
    public var encryptThenMAC = true
    /// `none`, `request` or `require`.
    public var clientAuth = "none"
    /// Trust anchors for client certificates.
    public var trust: [String] = ["ca"]

    public init() {}
}

/// `application_data:` section: what flows once the handshake completes.
public struct ApplicationDataSpec: Sendable, Equatable {
    public var request = "GET / HTTP/1.1\r\nHost: www.example.com\r\nConnection: close\r\n\r\n"
    public var response =
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 19\r\nConnection: close\r\n\r\nHello from TLSLab!\n"
    public init() {}
}
