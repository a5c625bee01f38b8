import TLSCrypto
import TLSTranscript
import TLSWire

/// What one connection of a transcript looks like, computed from the transcript alone: the numbers and lists
/// `tlslab compare` and the UI's compare view put side by side.
public struct ConnectionProfile: Sendable, Equatable {
    public var scenario: String
    public var title: String
    /// 0-based.
    public var connection: Int
    public var label: String
    public var version: String?
    public var cipherSuite: String?
    public var keyExchange: String?
    public var group: String?
    public var signatureScheme: String?
    public var resumed: Bool
    /// `completed`, or `failed: bad_record_mac (sent by server)`, or `incomplete`.
    public var outcome: String
    /// Server flights before the client sends application data the server accepts; nil if it never does.
    public var roundTrips: Int?
    public var handshakeMessages: Int
    public var records: Int
    /// Every byte on the wire (record headers included).
    public var bytes: Int
    /// Bytes of handshake and change_cipher_spec records.
    public var handshakeBytes: Int
    /// Handshake messages sent unencrypted / encrypted, as `ClientHello (client)`.
    public var plaintextMessages: [String]
    public var encryptedMessages: [String]
    /// The first encrypted handshake message, e.g. `EncryptedExtensions (server)`.
    public var firstEncrypted: String?
    /// Distinct names of the values derived in this connection, in the order they first appear.
    public var derivedNames: [String]
    /// What the server / client proves in this handshake, in plain words.
    public var serverProves: [String]
    public var clientProves: [String]
    /// `yes: …` or `no: …`.
    public var forwardSecrecy: String

    public init(_ transcript: Transcript, connection: Int = 0) {
        let t = transcript
        scenario = t.scenario
        title = t.title
        self.connection = connection
        let info = t.connections.indices.contains(connection) ? t.connections[connection] : nil
        label = info?.label ?? "connection \(connection + 1)"
        let negotiated = info?.negotiated ?? (t.connections.count <= 1 ? t.negotiated : nil)
        // A failed handshake has no summary, but its ServerHello still says what the server picked.
        let serverHello = t.messages.first { $0.connection == connection && $0.name == "ServerHello" }?.fields
        func named(_ key: String) -> String? {
            serverHello?.first(key: key).map { $0.value.components(separatedBy: " (").first ?? $0.value }
        }
        version = negotiated?.version ?? named("ext.supported_versions.selected_version") ?? named("server_hello.legacy_version")
        cipherSuite = negotiated?.cipherSuite ?? named("server_hello.cipher_suite")
        keyExchange = negotiated?.keyExchange
        group = negotiated?.group
        signatureScheme = negotiated?.signatureScheme
        resumed = info?.resumed ?? false
        let status = info?.outcome ?? t.outcome
        switch status.status {
        case .completed: outcome = "completed"
        case .incomplete: outcome = "incomplete"
        case .failed:
            outcome = status.alert.map { "failed: \($0.description) (sent by the \($0.sentBy))" } ?? "failed"
        }
        let records = t.records.filter { $0.connection == connection }
        let messages = t.messages.filter { $0.connection == connection }
        roundTrips = ConnectionProfile.roundTrips(t, connection: connection)
        handshakeMessages = messages.count
        self.records = records.count
        bytes = records.reduce(0) { $0 + $1.bytes.count }
        handshakeBytes = records.filter { ["handshake", "change_cipher_spec"].contains($0.innerContentType) }
            .reduce(0) { $0 + $1.bytes.count }
        plaintextMessages = messages.filter { !$0.encrypted }.map { "\($0.name) (\($0.from))" }
        encryptedMessages = messages.filter(\.encrypted).map { "\($0.name) (\($0.from))" }
        firstEncrypted = messages.first(where: \.encrypted).map { "\($0.name) (\($0.from))" }
        var names: [String] = []
        for e in t.events where e.connection == connection && e.kind == .derivation {
            if let d = e.derivation, !names.contains(d.name) { names.append(d.name) }
        }
        derivedNames = names
        let analysis = ProofAnalysis(messages: messages, derived: names, resumed: resumed, serverName: t.configuration.serverName)
        serverProves = analysis.server
        clientProves = analysis.client
        forwardSecrecy = ConnectionProfile.forwardSecrecy(
            version: version, keyExchange: keyExchange, resumed: resumed, derived: names)
    }

    /// Round trips before the client's request: the number of server flights (runs of consecutive server records)
    /// before the first application-data record the client sends and the server accepts. 0-RTT data counts only if
    /// the server accepted it (early_data in its EncryptedExtensions). Nil if the client never sends data.
    public static func roundTrips(_ t: Transcript, connection: Int) -> Int? {
        let records = t.records.filter { $0.connection == connection }
        let earlyAccepted = t.messages.contains {
            $0.connection == connection && $0.name == "EncryptedExtensions" && $0.fields.first(key: "ext.early_data") != nil
        }
        var flights = 0
        var previous: Side?
        for r in records {
            if r.from == .server && previous != .server { flights += 1 }
            previous = r.from
            guard r.from == .client, r.innerContentType == "application_data" else { continue }
            let early = r.keys?.contains("early") ?? false
            if early && !earlyAccepted { continue }
            return flights
        }
        return nil
    }

    static func forwardSecrecy(version: String?, keyExchange: String?, resumed: Bool, derived: [String]) -> String {
        guard let keyExchange else { return "— (no key exchange completed)" }
        if keyExchange == "RSA" {
            return "no: the server's RSA key decrypts the premaster secret from a recording"
        }
        if version == "TLS 1.2" && resumed {
            return "as the resumed session: the same master secret, no new key exchange"
        }
        if keyExchange.contains("PSK") && !keyExchange.contains("DHE") {
            return "no: psk_ke, no fresh key exchange; the ticket's key protects it"
        }
        if derived.contains("shared_secret") || derived.contains("premaster_secret") || keyExchange.contains("DHE") {
            return "yes: ephemeral (EC)DHE keys, erased after the handshake"
        }
        return "unknown"
    }
}

/// Who proves what, read from the messages a connection carries.
struct ProofAnalysis {
    var server: [String] = []
    var client: [String] = []

    init(messages: [MessageEntry], derived: [String], resumed: Bool, serverName: String?) {
        func algorithm(_ m: MessageEntry, _ key: String) -> String {
            (m.fields.first(key: key)?.value.split(separator: " ").first).map(String.init) ?? "?"
        }
        func certificates(_ m: MessageEntry) -> Int { m.fields.flattened.filter { $0.key == "certificate.cert_data" }.count }
        let serverCert = messages.first { $0.from == .server && $0.name == "Certificate" }
        let serverCV = messages.first { $0.from == .server && $0.name == "CertificateVerify" }
        let ske = messages.first { $0.name == "ServerKeyExchange" }
        let rsaKX = messages.contains {
            $0.name == "ClientKeyExchange" && $0.fields.first(key: "client_key_exchange.encrypted_pre_master_secret") != nil
        }
        let name = serverName ?? "its name"
        if let serverCert {
            let n = certificates(serverCert)
            server.append("presents a chain of \(n) certificate\(n == 1 ? "" : "s") for \(name)")
            if let serverCV {
                server.append("signs the handshake with the certificate's key (CertificateVerify, \(algorithm(serverCV, "certificate_verify.algorithm")))")
            } else if let ske {
                server.append("signs its ECDHE key and both randoms (ServerKeyExchange, \(algorithm(ske, "server_key_exchange.algorithm")))")
            } else if rsaKX {
                server.append("holds the RSA key: only it can decrypt the premaster secret, which its Finished shows")
            }
        } else if resumed {
            server.append("knows the earlier session's secret (resumption): no certificate")
        }
        if messages.contains(where: { $0.from == .server && $0.name == "Finished" }) {
            server.append("saw the same handshake and holds the same keys (Finished)")
        }
        let clientCert = messages.first { $0.from == .client && $0.name == "Certificate" }
        let clientCV = messages.first { $0.from == .client && $0.name == "CertificateVerify" }
        if let clientCert {
            let n = certificates(clientCert)
            if n == 0 {
                client.append("sends an empty Certificate: it has no certificate")
            } else if let clientCV {
                client.append("presents \(n) certificate\(n == 1 ? "" : "s") and signs the handshake (CertificateVerify, \(algorithm(clientCV, "certificate_verify.algorithm")))")
            } else {
                client.append("presents \(n) certificate\(n == 1 ? "" : "s")")
            }
        } else if resumed {
            client.append(
                derived.contains("psk_binder")
                    ? "holds the ticket's PSK (the binder in pre_shared_key)" : "knows the earlier session's master secret")
        } else {
            client.append("nothing about who it is (no client certificate)")
        }
        if messages.contains(where: { $0.from == .client && $0.name == "Finished" }) {
            client.append("saw the same handshake and holds the same keys (Finished)")
        }
    }
}

/// Two connections side by side (`tlslab compare A B`): rows of label, left value, right value.
public struct Comparison: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public var label: String
        public var left: String
        public var right: String
    }

    public var left: ConnectionProfile
    public var right: ConnectionProfile

    public init(_ left: ConnectionProfile, _ right: ConnectionProfile) {
        self.left = left
        self.right = right
    }

    /// Compares the first connection of each transcript, or for a multi-connection scenario (resumption, 0-RTT)
    /// the connection given.
    public init(_ a: Transcript, _ b: Transcript, connectionA: Int = 0, connectionB: Int = 0) {
        self.init(ConnectionProfile(a, connection: connectionA), ConnectionProfile(b, connection: connectionB))
    }

    public var rows: [Row] {
        func both(_ label: String, _ value: (ConnectionProfile) -> String) -> Row {
            Row(label: label, left: value(left), right: value(right))
        }
        return [
            both("title") { $0.title },
            both("connection") { p in p.connection > 0 || p.resumed ? "\(p.connection + 1): \(p.label)" : "1 (a full handshake)" },
            both("version") { $0.version ?? "—" },
            both("cipher suite") { $0.cipherSuite ?? "—" },
            both("key exchange") { p in
                [p.keyExchange, p.group].compactMap { $0 }.joined(separator: ", ").nonEmpty ?? "—"
            },
            both("outcome") { $0.outcome },
            both("round trips") { p in
                guard let n = p.roundTrips else { return "— (the client sends no data)" }
                return "\(n) before the client's request (\(n + 1) with TCP)"
            },
            both("messages") { "\($0.handshakeMessages) handshake messages in \($0.records) records" },
            both("bytes") { "\($0.bytes) on the wire, \($0.handshakeBytes) of them handshake" },
            both("in the clear") { $0.plaintextMessages.joined(separator: ", ").nonEmpty ?? "—" },
            both("encrypted") { $0.encryptedMessages.joined(separator: ", ").nonEmpty ?? "—" },
            both("first encrypted") { $0.firstEncrypted ?? "—" },
            both("secrets and keys") { p in "\(p.derivedNames.count): " + Comparison.pairUp(p.derivedNames).joined(separator: ", ") },
            both("server proves") { $0.serverProves.joined(separator: "; ").nonEmpty ?? "nothing" },
            both("client proves") { $0.clientProves.joined(separator: "; ").nonEmpty ?? "nothing" },
            both("forward secrecy") { $0.forwardSecrecy },
        ]
    }

    /// `client_write_key`, `server_write_key` → `client/server_write_key`.
    static func pairUp(_ names: [String]) -> [String] {
        var out: [String] = []
        var used = Set<String>()
        for name in names where !used.contains(name) {
            used.insert(name)
            var merged = false
            for (mine, other) in [("client_", "server_"), ("server_", "client_")] where name.hasPrefix(mine) {
                let rest = name.dropFirst(mine.count)
                if names.contains(other + rest) {
                    used.insert(other + rest)
                    out.append("client/server_" + rest)
                    merged = true
                }
            }
            if !merged { out.append(name) }
        }
        return out
    }

    /// Two columns in `width` characters (default 100): label, left, right, each wrapped.
    public func text(width: Int = 100) -> String {
        let labelWidth = 16
        let column = (width - labelWidth - 6) / 2
        var lines: [String] = []
        let header = "\(TextWrap.pad("", labelWidth)) │ \(TextWrap.pad(left.scenario, column)) │ \(right.scenario)"
        lines.append(header)
        lines.append(
            String(repeating: "─", count: labelWidth + 1) + "┼" + String(repeating: "─", count: column + 2) + "┼"
                + String(repeating: "─", count: column + 1))
        for row in rows {
            let l = TextWrap.wrap(row.left, width: column, hard: true)
            let r = TextWrap.wrap(row.right, width: column, hard: true)
            for i in 0..<max(l.count, r.count) {
                let label = i == 0 ? row.label : ""
                let a = i < l.count ? l[i] : ""
                let b = i < r.count ? r[i] : ""
                let line = "\(TextWrap.pad(label, labelWidth)) │ \(TextWrap.pad(a, column)) │ \(b)"
                lines.append(String(line.reversed().drop(while: { $0 == " " }).reversed()))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
