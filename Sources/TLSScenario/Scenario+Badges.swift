import Foundation
import TLSWire

extension Scenario {
    /// Seed used when a scenario file has no `seed:`.
    public static let defaultSeed: UInt64 = 0
    /// Clock used when a scenario file has no `clock:`: 2026-06-01T12:00:00Z. Fixed rather than "now" so that a
    /// run is reproducible and the demo certificates stay valid.
    public static let defaultClock = Date(timeIntervalSince1970: 1_780_315_200)

    /// The protocol versions both sides enable, highest first (RFC 8446 §4.2.1: the server picks the highest
    /// version it shares with the client).
    public var commonVersions: [ProtocolVersion] {
        Set(client.versions).intersection(server.versions).sorted(by: >)
    }

    /// The cipher suites both sides enable, in the client's order, restricted to the common versions
    /// (TLS 1.3 suites only count when both sides enable TLS 1.3, the others only with TLS 1.2).
    public var commonCipherSuites: [CipherSuite] {
        let versions = commonVersions
        return client.cipherSuites.filter { suite in
            server.cipherSuites.contains(suite) && versions.contains(suite.isTLS13 ? .tls13 : .tls12)
        }
    }

    /// Short version label for the start screen: `TLS 1.3`, `TLS 1.2`, `1.3/1.2` when both sides enable both,
    /// `1.2 vs 1.3` (the client's, then the server's) when they share no version (the handshake will fail with
    /// protocol_version).
    public var versionBadge: String {
        let versions = commonVersions
        func short(_ list: [ProtocolVersion]) -> String {
            list.sorted(by: >).map { $0.description.replacingOccurrences(of: "TLS ", with: "") }.joined(separator: "/")
        }
        switch versions.count {
        case 0: return "\(short(client.versions)) vs \(short(server.versions))"
        case 1: return versions[0].description
        default: return short(versions)
        }
    }

    /// Short key-exchange label for the start screen, from the suites both sides share: `RSA` (RFC 5246 §7.4.7.1),
    /// `ECDHE` (RFC 8422), `(EC)DHE` for TLS 1.3 suites (RFC 8446 §4.2.8: the suite no longer names the key
    /// exchange; it is always (EC)DHE here). Several kinds are joined in the client's preference order
    /// (`ECDHE/RSA`); `(EC)DHE` absorbs `ECDHE`. `no suite` when no suite is shared.
    public var keyExchangeBadge: String {
        var kinds: [String] = []
        for suite in commonCipherSuites {
            let kind = suite.isTLS13 ? "(EC)DHE" : suite.description.hasPrefix("TLS_RSA_") ? "RSA" : "ECDHE"
            if !kinds.contains(kind) { kinds.append(kind) }
        }
        if kinds.contains("(EC)DHE") { kinds.removeAll { $0 == "ECDHE" } }
        return kinds.isEmpty ? "no suite" : kinds.joined(separator: "/")
    }
}
