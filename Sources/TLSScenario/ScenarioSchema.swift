import Foundation
import TLSWire

/// What a scenario file may contain: the keys of each section and the values TLSLab accepts for them.
/// docs/scenarios.md describes the same schema for people; `ScenarioLoader` enforces it.
public enum ScenarioSchema {
    /// Keys of the top-level mapping. `title` and `description` are required; the scenario's name is the file name.
    public static let topLevelKeys = [
        "title", "description", "seed", "clock", "client", "server", "application_data", "connections", "channel",
        "lab", "expect", "eavesdropper",
    ]
    /// Keys of `client:`.
    public static let clientKeys = [
        "versions", "cipher_suites", "groups", "key_shares", "signature_algorithms", "server_name", "trust",
        "extended_master_secret", "encrypt_then_mac", "middlebox_compatibility", "certificate", "clock",
        "session_tickets", "psk_modes",
    ]
    /// Keys of `server:`.
    public static let serverKeys = [
        "versions", "cipher_suites", "groups", "signature_algorithms", "certificate", "extended_master_secret",
        "encrypt_then_mac", "client_auth", "trust", "session_tickets", "session_cache", "max_early_data",
        "anti_replay", "hello_retry_cookie",
    ]
    /// Keys of a `connections:` item.
    public static let connectionKeys = [
        "label", "resume", "early_data", "reject_early_data", "key_update", "replay_of",
    ]
    /// Keys of a `channel:` item.
    public static let channelKeys = ["action", "connection", "from", "record", "occurrence", "byte", "xor", "hex", "set"]
    /// Keys of a channel rule's `set:` (what a man in the middle rewrites in a ClientHello).
    public static let rewriteKeys = ["supported_versions", "cipher_suites"]
    /// Keys of `lab:`.
    public static let labKeys = ["symptom", "cause", "fix", "in_practice"]
    /// Keys of `expect:`.
    public static let expectKeys = ["outcome", "alert", "sent_by", "at"]
    /// Keys of `eavesdropper:`.
    public static let eavesdropperKeys = ["server_key_leaked"]
    /// Values of `channel[].action`.
    public static let channelActions = ChannelRuleSpec.Action.allCases.map(\.rawValue)
    /// Values of `channel[].record`: a handshake message or a content type.
    public static let recordTargets = [
        "ClientHello", "ServerHello", "HelloRetryRequest", "EncryptedExtensions", "Certificate", "CertificateRequest",
        "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange", "CertificateVerify", "Finished",
        "NewSessionTicket", "EndOfEarlyData", "KeyUpdate", "change_cipher_spec", "alert", "application_data",
    ]
    /// The records each side sends (RFC 8446 §4, RFC 5246 §7.4): a channel rule watching one side can only match
    /// these. Both sides send Certificate, CertificateVerify, Finished, KeyUpdate and the content types.
    public static let clientRecords: Set<String> = [
        "ClientHello", "Certificate", "ClientKeyExchange", "CertificateVerify", "Finished", "EndOfEarlyData",
        "KeyUpdate", "change_cipher_spec", "alert", "application_data",
    ]
    public static let serverRecords: Set<String> = [
        "ServerHello", "HelloRetryRequest", "EncryptedExtensions", "Certificate", "CertificateRequest",
        "ServerKeyExchange", "ServerHelloDone", "CertificateVerify", "Finished", "NewSessionTicket", "KeyUpdate",
        "change_cipher_spec", "alert", "application_data",
    ]
    /// The sides that send `record` (a value of `recordTargets`), client first.
    public static func senders(of record: String) -> [Side] {
        (clientRecords.contains(record) ? [Side.client] : []) + (serverRecords.contains(record) ? [.server] : [])
    }
    /// Channel-rule keys that only some actions use: `byte`/`xor` (tamper), `hex` (replace), `set` (rewrite).
    /// Writing one for another action is an error rather than silently ignored.
    public static let channelActionKeys: [(key: String, actions: [ChannelRuleSpec.Action])] = [
        ("byte", [.tamper]), ("xor", [.tamper]), ("hex", [.replace]), ("set", [.rewrite]),
    ]
    /// Values of `expect.alert`: the AlertDescription names of RFC 8446 §6 and RFC 5246 §7.2, alphabetically.
    public static let alerts: [String] = AlertDescription.names.values.sorted()
    /// Values of `expect.outcome`.
    public static let outcomes = ["completed", "failed", "incomplete"]
    /// Values of `client.psk_modes` (RFC 8446 §4.2.9).
    public static let pskModes = ["psk_dhe_ke", "psk_ke"]

    /// Keys of `application_data:`.
    public static let applicationDataKeys = ["request", "response"]

    /// Protocol versions TLSLab speaks, as written in scenario files (RFC 5246, RFC 8446).
    public static let versions: [(name: String, version: ProtocolVersion)] = [("TLS1.2", .tls12), ("TLS1.3", .tls13)]

    /// Cipher suites TLSLab implements: every named suite except the signalling values
    /// (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, RFC 5746 §3.3; TLS_FALLBACK_SCSV, RFC 7507), which are not suites one
    /// can negotiate. TLS 1.3 suites (RFC 8446 §B.4) first, then TLS 1.2 suites by code point.
    public static let cipherSuites: [CipherSuite] = CipherSuite.names.keys
        .map(CipherSuite.init(rawValue:))
        .filter { $0 != .TLS_EMPTY_RENEGOTIATION_INFO_SCSV && $0 != .TLS_FALLBACK_SCSV }
        .sorted { ($0.isTLS13 ? 0 : 1, $0.rawValue) < ($1.isTLS13 ? 0 : 1, $1.rawValue) }

    /// Groups TLSLab implements for (EC)DHE (RFC 8446 §4.2.7, RFC 8422 §5.1.1, RFC 7748). This mirrors
    /// `KeyShare.supportedGroups` in TLSCrypto, which this module cannot import.
    public static let groups: [NamedGroup] = [.x25519, .secp256r1]

    /// Signature schemes a scenario may name: the registered names of RFC 8446 §4.2.3, ordered by code point.
    public static let signatureSchemes: [SignatureScheme] = SignatureScheme.names.keys
        .sorted()
        .map(SignatureScheme.init(rawValue:))

    /// Values of `server.client_auth` (RFC 8446 §4.3.2, RFC 5246 §7.4.4).
    public static let clientAuthModes = ["none", "request", "require"]

    /// Largest accepted seed: 2^63, so that the seed survives a trip through JSON and signed 64-bit integers.
    public static let maximumSeed: UInt64 = 1 << 63

    /// Parses a version as written in a scenario file: `TLS1.2`, `TLS 1.2`, `TLSv1.2`, `1.2`, `tls12`
    /// (case-insensitive). Nil for anything else.
    public static func version(named text: String) -> ProtocolVersion? {
        var s = text.lowercased().replacingOccurrences(of: " ", with: "")
        var prefixed = true
        if s.hasPrefix("tlsv") {
            s.removeFirst(4)
        } else if s.hasPrefix("tls") {
            s.removeFirst(3)
        } else {
            prefixed = false
        }
        switch s {
        case "1.2": return .tls12
        case "1.3": return .tls13
        case "12" where prefixed: return .tls12
        case "13" where prefixed: return .tls13
        default: return nil
        }
    }
}
