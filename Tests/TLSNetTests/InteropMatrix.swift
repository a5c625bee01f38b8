import Foundation
import TLSScenario
import TLSWire

/// One row of the interop matrix: a configuration given to both TLSLab and the real peer, run in both
/// directions (TLSLab serves, the peer connects; the peer serves, TLSLab connects).
///
/// Adding a row: append it to `InteropMatrix.rows`. A row whose feature TLSLab does not have yet carries
/// `pending` (what it needs); the matrix tests skip it and `PendingInteropTests` lists it as a skipped test —
/// remove `pending` once the feature lands and the row runs like the others.
struct InteropRow: CustomStringConvertible, Sendable {
    var name: String
    /// The shipped scenario the row starts from (its titles, PKI, sides).
    var scenario: String
    var version: ProtocolVersion
    var suite: CipherSuite
    /// OpenSSL's name for the suite (`-cipher` in TLS 1.2, `-ciphersuites` in TLS 1.3).
    var openssl: String
    /// ECDHE group (nil: RSA key exchange).
    var group: NamedGroup? = .x25519
    var certificate = "server-rsa"
    /// TLS 1.2: what TLSLab offers/accepts (RFC 7627, RFC 7366). The OpenSSL peer always offers both.
    var extendedMasterSecret = true
    var encryptThenMAC = true
    /// Client certificate required by the server (both directions).
    var mutual = false
    /// TLSLab's client groups when they differ from `group` (the first one gets the key share).
    var clientGroups: [NamedGroup]? = nil
    /// OpenSSL `-groups` when they differ from `group` (as s_server, as s_client).
    var peerServerGroups: String? = nil
    var peerClientGroups: String? = nil
    /// Extra arguments for the OpenSSL peer (server side, client side).
    var serverArguments: [String] = []
    var clientArguments: [String] = []
    /// What TLSLab still lacks for this row (nil: the row runs).
    var pending: String? = nil

    var description: String { name }

    var isCBC: Bool { suite.description.contains("CBC") }
    var opensslVersion: String { version == .tls13 ? "TLSv1.3" : "TLSv1.2" }

    /// The scenario with both sides set to exactly this row's parameters.
    func configuredScenario() throws -> Scenario {
        var s = try catalog.resolve(scenario)
        s.client.versions = [version]
        s.server.versions = [version]
        s.client.cipherSuites = [suite]
        s.server.cipherSuites = [suite]
        if let group {
            s.client.groups = [group]
            s.server.groups = [group]
            s.client.keyShares = [group]
        }
        if let clientGroups, let first = clientGroups.first {
            s.client.groups = clientGroups
            s.client.keyShares = [first]
        }
        // RFC 8422 §4: in TLS 1.2 supported_groups also names the curves the client accepts in the server's
        // ECDSA certificate; OpenSSL refuses an ECDSA certificate on a curve the client did not list — and, as a
        // server, a client certificate (client.pem is ECDSA P-256) on a curve the client itself did not list.
        let ecdsaCertificate = certificate == "server-ecdsa" || (group != nil && mutual)
        if version == .tls12, ecdsaCertificate, !s.client.groups.isEmpty, !s.client.groups.contains(.secp256r1) {
            s.client.groups.append(.secp256r1)
        }
        let schemes: [SignatureScheme] = [.rsa_pss_rsae_sha256, .ecdsa_secp256r1_sha256, .ed25519, .rsa_pkcs1_sha256]
        s.client.signatureAlgorithms = schemes
        s.server.signatureAlgorithms = schemes
        s.server.certificate = certificate
        s.client.extendedMasterSecret = extendedMasterSecret
        s.server.extendedMasterSecret = extendedMasterSecret
        s.client.encryptThenMAC = encryptThenMAC
        s.server.encryptThenMAC = encryptThenMAC
        s.client.serverName = "www.example.com"
        s.client.trust = ["ca"]
        s.server.trust = ["ca"]
        if mutual {
            s.client.certificate = "client"
            s.server.clientAuth = "require"
        } else {
            s.client.certificate = nil
            s.server.clientAuth = "none"
        }
        return s
    }

    /// `openssl s_server` arguments (without -accept).
    var opensslServer: [String] {
        var a = ["-naccept", "1", "-rev", "-cert", "\(pkiDirectory.path)/\(certificate).pem", "-key", "\(pkiDirectory.path)/\(certificate).key"]
        a += versionArguments(groups: peerServerGroups)
        if mutual { a += ["-Verify", "1", "-verifyCAfile", "\(pkiDirectory.path)/ca.pem"] }
        return a + serverArguments
    }

    /// `openssl s_client` arguments (without -connect).
    var opensslClient: [String] {
        var a = [
            "-CAfile", "\(pkiDirectory.path)/ca.pem", "-servername", "www.example.com", "-verify_hostname",
            "www.example.com", "-verify_return_error", "-ign_eof",
        ]
        a += versionArguments(groups: peerClientGroups)
        if mutual { a += ["-cert", "\(pkiDirectory.path)/client.pem", "-key", "\(pkiDirectory.path)/client.key"] }
        return a + clientArguments
    }

    private func versionArguments(groups: String?) -> [String] {
        var a: [String]
        if version == .tls13 {
            a = ["-tls1_3", "-ciphersuites", openssl]
        } else {
            a = ["-tls1_2", "-cipher", openssl]
        }
        if let groups {
            a += ["-groups", groups]
        } else if let group {
            // TLS 1.2: OpenSSL also checks ECDSA certificate curves (the server's, and a client certificate's)
            // against the groups, so P-256 stays listed; ECDHE still settles on TLSLab's single group.
            switch (group, version) {
            case (.x25519, .tls12): a += ["-groups", "X25519:P-256"]
            case (.x25519, _): a += ["-groups", "X25519"]
            default: a += ["-groups", "P-256"]
            }
        }
        return a
    }
}

enum InteropMatrix {
    static let rows: [InteropRow] = tls12 + tls13 + mutual + pending

    static var runnable: [InteropRow] { rows.filter { $0.pending == nil } }

    /// TLS 1.2: RSA and ECDHE key exchange, CBC and AEAD suites, extended master secret and encrypt-then-MAC on
    /// and off (encrypt-then-MAC only matters for CBC suites).
    static let tls12: [InteropRow] = {
        var rows: [InteropRow] = []
        for (ems, etm) in [(true, true), (true, false), (false, true), (false, false)] {
            let flags = "ems \(ems ? "on" : "off"), etm \(etm ? "on" : "off")"
            rows.append(
                InteropRow(
                    name: "1.2 RSA AES_128_CBC_SHA256, \(flags)", scenario: "tls12-rsa", version: .tls12,
                    suite: .TLS_RSA_WITH_AES_128_CBC_SHA256, openssl: "AES128-SHA256", group: nil,
                    extendedMasterSecret: ems, encryptThenMAC: etm))
            rows.append(
                InteropRow(
                    name: "1.2 ECDHE-RSA AES_128_CBC_SHA (P-256), \(flags)", scenario: "tls12-ecdhe-rsa-cbc",
                    version: .tls12, suite: .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, openssl: "ECDHE-RSA-AES128-SHA",
                    group: .secp256r1, extendedMasterSecret: ems, encryptThenMAC: etm))
        }
        for ems in [true, false] {
            let flags = "ems \(ems ? "on" : "off")"
            rows.append(
                InteropRow(
                    name: "1.2 RSA AES_128_GCM_SHA256, \(flags)", scenario: "tls12-rsa-gcm", version: .tls12,
                    suite: .TLS_RSA_WITH_AES_128_GCM_SHA256, openssl: "AES128-GCM-SHA256", group: nil,
                    extendedMasterSecret: ems))
            rows.append(
                InteropRow(
                    name: "1.2 ECDHE-RSA AES_128_GCM (X25519), \(flags)", scenario: "tls12-ecdhe-rsa", version: .tls12,
                    suite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-RSA-AES128-GCM-SHA256",
                    extendedMasterSecret: ems))
        }
        rows.append(
            InteropRow(
                name: "1.2 ECDHE-RSA CHACHA20_POLY1305 (X25519)", scenario: "tls12-chacha", version: .tls12,
                suite: .TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, openssl: "ECDHE-RSA-CHACHA20-POLY1305"))
        rows.append(
            InteropRow(
                name: "1.2 ECDHE-RSA AES_128_CBC_SHA256 (X25519)", scenario: "tls12-ecdhe-rsa", version: .tls12,
                suite: .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, openssl: "ECDHE-RSA-AES128-SHA256"))
        rows.append(
            InteropRow(
                name: "1.2 ECDHE-ECDSA AES_128_GCM (X25519)", scenario: "tls12-ecdhe-ecdsa", version: .tls12,
                suite: .TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-ECDSA-AES128-GCM-SHA256",
                certificate: "server-ecdsa"))
        rows.append(
            InteropRow(
                name: "1.2 ECDHE-ECDSA AES_128_CBC_SHA (P-256)", scenario: "tls12-ecdhe-ecdsa", version: .tls12,
                suite: .TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, openssl: "ECDHE-ECDSA-AES128-SHA", group: .secp256r1,
                certificate: "server-ecdsa"))
        return rows
    }()

    /// TLS 1.3: both groups with all three suites (RSA-PSS certificate), then ECDSA and Ed25519 certificates.
    static let tls13: [InteropRow] = {
        var rows: [InteropRow] = []
        let suites: [(CipherSuite, String)] = [
            (.TLS_AES_128_GCM_SHA256, "TLS_AES_128_GCM_SHA256"), (.TLS_AES_256_GCM_SHA384, "TLS_AES_256_GCM_SHA384"),
            (.TLS_CHACHA20_POLY1305_SHA256, "TLS_CHACHA20_POLY1305_SHA256"),
        ]
        for group in [NamedGroup.x25519, .secp256r1] {
            for (suite, name) in suites {
                rows.append(
                    InteropRow(
                        name: "1.3 \(group) \(name), RSA-PSS", scenario: "tls13", version: .tls13, suite: suite,
                        openssl: name, group: group))
            }
        }
        rows.append(
            InteropRow(
                name: "1.3 secp256r1 TLS_AES_256_GCM_SHA384, ECDSA P-256", scenario: "tls13-p256-ecdsa", version: .tls13,
                suite: .TLS_AES_256_GCM_SHA384, openssl: "TLS_AES_256_GCM_SHA384", group: .secp256r1,
                certificate: "server-ecdsa"))
        rows.append(
            InteropRow(
                name: "1.3 x25519 TLS_AES_128_GCM_SHA256, ECDSA P-256", scenario: "tls13-p256-ecdsa", version: .tls13,
                suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", certificate: "server-ecdsa"))
        rows.append(
            InteropRow(
                name: "1.3 x25519 TLS_CHACHA20_POLY1305_SHA256, Ed25519", scenario: "tls13-ed25519-chacha",
                version: .tls13, suite: .TLS_CHACHA20_POLY1305_SHA256, openssl: "TLS_CHACHA20_POLY1305_SHA256",
                certificate: "server-ed25519"))
        return rows
    }()

    /// Mutual TLS (no resumption): the server requires the client's ECDSA certificate.
    static let mutual: [InteropRow] = [
        InteropRow(
            name: "1.2 ECDHE-RSA AES_128_GCM, mutual TLS", scenario: "tls12-ecdhe-rsa", version: .tls12,
            suite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-RSA-AES128-GCM-SHA256", mutual: true),
        InteropRow(
            name: "1.2 RSA AES_128_CBC_SHA256, mutual TLS", scenario: "tls12-rsa", version: .tls12,
            suite: .TLS_RSA_WITH_AES_128_CBC_SHA256, openssl: "AES128-SHA256", group: nil, mutual: true),
        InteropRow(
            name: "1.3 x25519 TLS_AES_128_GCM_SHA256, mutual TLS", scenario: "tls13", version: .tls13,
            suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", mutual: true),
    ]

    /// Rows that need the scenario-catalog work done in parallel (HelloRetryRequest, resumption).
    static let pending: [InteropRow] = [
        InteropRow(
            name: "1.3 HelloRetryRequest (peer's first key share is x25519, TLSLab wants secp256r1)", scenario: "tls13",
            version: .tls13, suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", group: .secp256r1,
            clientGroups: [.x25519, .secp256r1], peerServerGroups: "P-256", peerClientGroups: "X25519:P-256",
            pending: "HelloRetryRequest in ServerHandshake/ClientHandshake"),
        InteropRow(
            name: "1.3 PSK resumption (second connection with the first one's ticket)", scenario: "tls13",
            version: .tls13, suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256",
            pending: "NewSessionTicket issuing and PSK resumption (psk_dhe_ke), and -sess_out/-sess_in in the harness"),
        InteropRow(
            name: "1.2 session resumption (session ticket or session id)", scenario: "tls12-ecdhe-rsa", version: .tls12,
            suite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-RSA-AES128-GCM-SHA256",
            pending: "TLS 1.2 abbreviated handshake (RFC 5077 / RFC 5246 §7.3), and -sess_out/-sess_in in the harness"),
        InteropRow(
            name: "1.3 mutual TLS with resumption", scenario: "tls13", version: .tls13, suite: .TLS_AES_128_GCM_SHA256,
            openssl: "TLS_AES_128_GCM_SHA256", mutual: true, pending: "PSK resumption"),
    ]
}
