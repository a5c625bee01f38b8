import Foundation
import TLSScenario
import TLSWire

/// One row of the interop matrix: a configuration given to both TLSLab and the real peer, run in both
/// directions (TLSLab serves, the peer connects; the peer serves, TLSLab connects).
///
/// Adding a row: append it to `InteropMatrix.rows`; both directions pick it up. A row with a `feature` other
/// than `.handshake` makes two connections to one server process, the second resuming the first.
struct InteropRow: CustomStringConvertible, Sendable {
    /// What the row exercises beyond one full handshake.
    enum Feature: Sendable, Equatable {
        /// One connection.
        case handshake
        /// Two connections to the same server; the second resumes the first (TLS 1.3 PSK from a NewSessionTicket,
        /// RFC 8446 §2.2; TLS 1.2 abbreviated handshake by session ID or RFC 5077 ticket, RFC 5246 §7.3).
        case resumption
        /// Like `.resumption`, and the second connection sends its request as 0-RTT early data (RFC 8446 §4.2.10).
        case earlyData
    }

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
    var feature: Feature = .handshake
    /// TLS 1.2 resumption: by RFC 5077 ticket (true; both sides issue/offer tickets) or by session ID (false:
    /// TLSLab's server keeps a session cache, OpenSSL runs with `-no_ticket`).
    var sessionTickets = false
    /// TLS 1.3: the psk_key_exchange_modes TLSLab's client offers (nil: the scenario's, psk_dhe_ke).
    var pskModes: [PskKeyExchangeMode]? = nil
    /// Every handshake of the row starts with a HelloRetryRequest (the client's key share is for a group the
    /// server does not take).
    var helloRetry = false
    /// TLSLab's server puts a cookie in its HelloRetryRequest (RFC 8446 §4.2.2).
    var helloRetryCookie = false

    var description: String { name }

    var isCBC: Bool { suite.description.contains("CBC") }
    var opensslVersion: String { version == .tls13 ? "TLSv1.3" : "TLSv1.2" }
    /// How many connections the row makes to one server.
    var connections: Int { feature == .handshake ? 1 : 2 }
    /// OpenSSL's s_server reads 0-RTT data only in its default mode (stdin ↔ connection), not with `-rev`.
    var serverEchoes: Bool { feature != .earlyData }
    /// TLS 1.2 resumption by session ID: tickets off.
    var noTickets: Bool { version == .tls12 && feature != .handshake && !sessionTickets }

    /// The key exchange TLSLab reports for a resumed TLS 1.3 connection. OpenSSL's client always offers
    /// psk_dhe_ke (with `-allow_no_dhe_kex` psk_ke as well), and both TLSLab's and OpenSSL's servers prefer
    /// psk_dhe_ke when offered: only TLSLab's client offering psk_ke alone ends in a PSK-only handshake.
    func resumedKeyExchange(tlslabServes: Bool) -> String {
        !tlslabServes && pskModes == [.pskKE] ? "PSK only" : "PSK + (EC)DHE"
    }

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
        s.server.sessionTickets = false
        s.server.sessionCache = false
        s.server.maxEarlyData = 0
        s.client.sessionTickets = false
        if feature != .handshake {
            if version == .tls13 || sessionTickets {
                s.server.sessionTickets = true
                s.client.sessionTickets = version == .tls12
            } else {
                s.server.sessionCache = true
            }
        }
        if feature == .earlyData { s.server.maxEarlyData = 16384 }
        if let pskModes { s.client.pskModes = pskModes }
        s.server.helloRetryCookie = helloRetryCookie
        return s
    }

    /// `openssl s_server` arguments (without -accept).
    var opensslServer: [String] {
        var a = ["-naccept", "\(connections)"]
        a += serverEchoes ? ["-rev"] : ["-early_data"]
        a += ["-cert", "\(pkiDirectory.path)/\(certificate).pem", "-key", "\(pkiDirectory.path)/\(certificate).key"]
        a += versionArguments(groups: peerServerGroups)
        if mutual { a += ["-Verify", "1", "-verifyCAfile", "\(pkiDirectory.path)/ca.pem"] }
        if noTickets { a.append("-no_ticket") }
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
        if noTickets { a.append("-no_ticket") }
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
    static let rows: [InteropRow] = tls12 + tls13 + mutual + helloRetry + resumption

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

    /// HelloRetryRequest (RFC 8446 §4.1.4): the client's only key share is for a group the server does not take,
    /// so the server asks for another; the transcript hash then starts with message_hash (§4.4.1).
    static let helloRetry: [InteropRow] = [
        InteropRow(
            name: "1.3 HelloRetryRequest (x25519 share, the server takes only secp256r1)", scenario: "tls13",
            version: .tls13, suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", group: .secp256r1,
            clientGroups: [.x25519, .secp256r1], peerServerGroups: "P-256", peerClientGroups: "X25519:P-256",
            helloRetry: true),
        InteropRow(
            name: "1.3 HelloRetryRequest with a cookie (secp256r1 share, the server takes only x25519), AES_256_GCM_SHA384",
            scenario: "tls13", version: .tls13, suite: .TLS_AES_256_GCM_SHA384, openssl: "TLS_AES_256_GCM_SHA384",
            group: .x25519, clientGroups: [.secp256r1, .x25519], peerServerGroups: "X25519",
            peerClientGroups: "P-256:X25519", helloRetry: true, helloRetryCookie: true),
    ]

    /// Resumption: two connections to one server process, the second resuming the first — and 0-RTT.
    static let resumption: [InteropRow] = [
        InteropRow(
            name: "1.3 PSK resumption (psk_dhe_ke), x25519 AES_128_GCM", scenario: "tls13", version: .tls13,
            suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", feature: .resumption),
        InteropRow(
            name: "1.3 PSK resumption (psk_dhe_ke), secp256r1 AES_256_GCM_SHA384", scenario: "tls13", version: .tls13,
            suite: .TLS_AES_256_GCM_SHA384, openssl: "TLS_AES_256_GCM_SHA384", group: .secp256r1, feature: .resumption),
        InteropRow(
            name: "1.3 PSK resumption, psk_ke (OpenSSL -allow_no_dhe_kex; TLSLab's client offers psk_ke only)",
            scenario: "tls13", version: .tls13, suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256",
            serverArguments: ["-allow_no_dhe_kex"], clientArguments: ["-allow_no_dhe_kex"], feature: .resumption,
            pskModes: [.pskKE]),
        InteropRow(
            name: "1.3 PSK resumption after a HelloRetryRequest on both connections (binder over the retry transcript)",
            scenario: "tls13", version: .tls13, suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256",
            group: .secp256r1, clientGroups: [.x25519, .secp256r1], peerServerGroups: "P-256",
            peerClientGroups: "X25519:P-256", feature: .resumption, helloRetry: true),
        InteropRow(
            name: "1.3 0-RTT early data on the resumed connection", scenario: "tls13", version: .tls13,
            suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", feature: .earlyData),
        InteropRow(
            name: "1.3 mutual TLS, then PSK resumption", scenario: "tls13", version: .tls13,
            suite: .TLS_AES_128_GCM_SHA256, openssl: "TLS_AES_128_GCM_SHA256", mutual: true, feature: .resumption),
        InteropRow(
            name: "1.2 session-ID resumption, ECDHE-RSA AES_128_GCM", scenario: "tls12-ecdhe-rsa", version: .tls12,
            suite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-RSA-AES128-GCM-SHA256", feature: .resumption),
        InteropRow(
            name: "1.2 session-ticket resumption (RFC 5077), ECDHE-RSA AES_128_GCM", scenario: "tls12-ecdhe-rsa",
            version: .tls12, suite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-RSA-AES128-GCM-SHA256",
            feature: .resumption, sessionTickets: true),
        InteropRow(
            name: "1.2 session-ID resumption, RSA AES_128_CBC_SHA256 (EMS, EtM)", scenario: "tls12-rsa", version: .tls12,
            suite: .TLS_RSA_WITH_AES_128_CBC_SHA256, openssl: "AES128-SHA256", group: nil, feature: .resumption),
        InteropRow(
            name: "1.2 session-ticket resumption, ECDHE-RSA AES_128_CBC_SHA (P-256), EMS off",
            scenario: "tls12-ecdhe-rsa-cbc", version: .tls12, suite: .TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
            openssl: "ECDHE-RSA-AES128-SHA", group: .secp256r1, extendedMasterSecret: false, feature: .resumption,
            sessionTickets: true),
        InteropRow(
            name: "1.2 mutual TLS, then session-ID resumption", scenario: "tls12-ecdhe-rsa", version: .tls12,
            suite: .TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, openssl: "ECDHE-RSA-AES128-GCM-SHA256", mutual: true,
            feature: .resumption),
    ]
}
