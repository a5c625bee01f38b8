import TLSTranscript
import TLSWire

/// One or two plain sentences on what a step does and why, for the narration line under the panes. Reads the
/// step's message, direction, protection, the derivations and alerts attributed to it, and the negotiated version
/// and key exchange (RFC 5246 §7.3 and RFC 8446 §2 describe the message flows these sentences follow).
public enum Narrator {
    public static func narrate(step: WalkthroughStep, in w: Walkthrough) -> String {
        let t = w.transcript
        let context = Context(step: step, walkthrough: w)
        var text = sentence(for: step, context, t)
        if let record = t.records.indices.contains(step.record) ? t.records[step.record] : nil,
            let note = record.channelNote
        {
            let end = note.last.map { ".!?".contains($0) } ?? false
            text += " On the way, the channel interfered: \(note)\(end ? "" : ".")"
        }
        return text
    }

    struct Context {
        var version: String
        var tls13: Bool
        var keyExchange: String
        var group: String?
        var suite: String?
        var signature: String?
        var sender: String
        var receiver: String
        var derived: [Side: [String]]
        var events: [TranscriptEvent]
        /// Whether the sender had completed the handshake of this connection before this step.
        var senderCompletedHandshake = false

        init(step: WalkthroughStep, walkthrough w: Walkthrough) {
            let t = w.transcript
            let n = t.negotiated
            version = n?.version ?? t.configuration.clientVersions.first ?? "TLS"
            tls13 = version == "TLS 1.3"
            keyExchange = n?.keyExchange ?? ""
            group = n?.group
            suite = n?.cipherSuite
            signature = n?.signatureScheme
            sender = step.from == .client ? "client" : "server"
            receiver = step.from == .client ? "server" : "client"
            events = step.events.compactMap { t.events.indices.contains($0) ? t.events[$0] : nil }
            var derived: [Side: [String]] = [:]
            for e in events where e.kind == .derivation {
                if let side = e.side, let d = e.derivation { derived[side, default: []].append(d.name) }
            }
            self.derived = derived
            if let first = step.events.min() {
                for e in t.events.prefix(first) {
                    if e.kind == .connectionStarted { senderCompletedHandshake = false }
                    if e.kind == .handshakeCompleted, e.side == step.from { senderCompletedHandshake = true }
                }
            }
        }

        func derives(_ side: Side, _ name: String) -> Bool { derived[side]?.contains(name) ?? false }
        var rsa: Bool { keyExchange == "RSA" }
    }

    static func sentence(for step: WalkthroughStep, _ c: Context, _ t: Transcript) -> String {
        let record = t.records.indices.contains(step.record) ? t.records[step.record] : nil
        let message = step.message.flatMap { t.messages.indices.contains($0) ? t.messages[$0] : nil }
        if message == nil, let record {
            switch record.innerContentType {
            case "alert": return alert(step, c)
            case "change_cipher_spec":
                if c.tls13 {
                    return "A dummy ChangeCipherSpec, sent only so that old middleboxes see something familiar; TLS 1.3 ignores it."
                }
                return "The \(c.sender) switches on encryption: every record it sends from now on is protected with the keys it just derived, and the \(c.receiver) starts decrypting what comes next."
            case "application_data":
                return applicationData(record, c)
            default:
                return "The \(c.sender) sends a \(record.innerContentType) record."
            }
        }
        let name = message?.name ?? step.title
        switch name {
        case "ClientHello":
            let offersKeyShare = message?.fields.flattened.contains { $0.name == "key_share" } ?? false
            if offersKeyShare {
                return "The client says hello: its versions, cipher suites and extensions, a fresh random, and already an \(c.group ?? "(EC)DHE") key share (a guess at the server's group) so the handshake takes one round trip. All still in the clear."
            }
            return "The client says hello: the highest version it supports, its cipher suites and extensions, and a fresh 32-byte random. All of it is still in the clear."
        case "HelloRetryRequest":
            return "The server cannot use any key share the client sent, so it asks for a new ClientHello with a key share for the group it names; this costs an extra round trip."
        case "ServerHello":
            if c.tls13 {
                return "The server picks \(c.suite ?? "a cipher suite") and answers with its random and its own \(c.group ?? "(EC)DHE") key share. Now both sides can compute the same shared secret and the handshake keys, so everything after this message is encrypted."
            }
            let tail =
                c.rsa
                ? " With RSA key exchange the client will pick the premaster secret itself and send it encrypted."
                : " The key exchange will be ECDHE: fresh key pairs for this connection only."
            return "The server picks \(c.version) with \(c.suite ?? "a cipher suite") and sends its own random; both randoms are mixed into every key.\(tail)"
        case "EncryptedExtensions":
            return "The server's first encrypted message, protected with the server handshake traffic key: the extensions that are not needed to agree on keys (such as the server-name confirmation) are now hidden from eavesdroppers."
        case "CertificateRequest":
            return "The server asks the client for a certificate too (mutual TLS): the client will have to prove who it is."
        case "Certificate":
            return certificate(step, c)
        case "ServerKeyExchange":
            return "The server sends a fresh \(c.group ?? "ephemeral") public key, signed with its certificate's key (\(c.signature ?? "its signature scheme")) so the client knows it comes from the real server. A new key pair for every connection gives forward secrecy."
        case "ServerHelloDone":
            guard c.derives(.client, "master_secret") else {
                return "The server is done talking and waits for the client's answer."
            }
            if c.rsa {
                return "The server is done talking; now the client picks the premaster secret, encrypts it with the server's RSA public key, and derives the master secret and all the record keys before it answers."
            }
            return "The server is done talking; now the client makes its own key pair, combines it with the server's public key into the shared premaster secret, and derives the master secret and the record keys before it answers."
        case "ClientKeyExchange":
            let serverDerives = c.derives(.server, "master_secret")
            if c.rsa {
                return "The client sends the premaster secret encrypted with the server's RSA key; only the server can decrypt it\(serverDerives ? " and derive the same master secret" : ""). Whoever steals that key later can read this recording: no forward secrecy."
            }
            return "The client sends its public key. The server combines it with its own private key into the same shared secret, which never crossed the wire\(serverDerives ? ", and derives the same master secret" : "")."
        case "CertificateVerify":
            return "The \(c.sender) signs the handshake so far with its private key (\(c.signature ?? "its signature scheme")), proving it owns the certificate it just sent."
        case "Finished":
            return finished(step, c)
        case "NewSessionTicket":
            return "The server gives the client a ticket it can use to resume this session later without a full handshake."
        case "KeyUpdate":
            return "The \(c.sender) switches to fresh traffic keys, derived from the current ones."
        case "EndOfEarlyData":
            return "The client marks the end of its early data; what follows uses the handshake keys."
        default:
            return "The \(c.sender) sends \(name)."
        }
    }

    static func certificate(_ step: WalkthroughStep, _ c: Context) -> String {
        if step.from == .client {
            return "The client sends its own certificate, as the server asked; it will prove it owns the key with CertificateVerify."
        }
        var text = "The server sends its certificate chain: the public key it will prove to own, signed by a certificate authority."
        text += c.tls13 ? " Encrypted in TLS 1.3, hidden from eavesdroppers" : " In TLS 1.2 it travels in the clear"
        if let check = c.events.first(where: { $0.kind == .validation && $0.side == .client })?.text {
            text +=
                check.hasPrefix("trusted")
                ? "; the client checks chain, dates and name, and trusts it."
                : "; the client checks chain, dates and name, and rejects it."
        } else {
            text += "."
        }
        return text
    }

    static func finished(_ step: WalkthroughStep, _ c: Context) -> String {
        if c.tls13 {
            if step.from == .server {
                let keys =
                    c.derives(.server, "client_application_traffic_secret_0")
                        || c.derives(.client, "client_application_traffic_secret_0")
                    ? " Right after it, both sides derive the application traffic keys." : ""
                return "The server's Finished: an HMAC over the whole handshake with its finished key, proving it saw the same messages as the client.\(keys)"
            }
            return "The client's Finished proves it saw the same handshake; the handshake is complete and both sides now protect data with the application traffic keys."
        }
        if step.from == .client {
            return "The client's first encrypted message: verify_data, a PRF over the whole handshake keyed with the master secret. If anyone had changed an earlier message, the server's check would fail."
        }
        return "The server's Finished proves it has the same master secret and saw the same handshake. The handshake is complete: application data can flow."
    }

    static func applicationData(_ record: RecordEntry, _ c: Context) -> String {
        let plain = record.plaintext ?? []
        var firstLine: [UInt8] = []
        for b in plain {
            if b == 0x0d || b == 0x0a { break }
            firstLine.append(b)
        }
        let quoted = firstLine.isEmpty ? "" : " (\"\(Format.printable(Array(firstLine.prefix(60))))\")"
        let keys = record.keys.map { " with the \($0)" } ?? ""
        if record.originalHex != nil {
            // The channel changed the record: the plaintext shown is the sender's, not what the receiver can open.
            return "The \(c.sender) sends \(Format.bytes(plain.count)) of application data\(quoted), encrypted\(keys); the plaintext shown is what the \(c.sender) encrypted. On the way the channel changed the record, so what the \(c.receiver) receives is no longer what the \(c.sender) sealed."
        }
        return "The \(c.sender) sends \(Format.bytes(plain.count)) of application data\(quoted), encrypted\(keys). Only the two peers can read it."
    }

    static func alert(_ step: WalkthroughStep, _ c: Context) -> String {
        let sent = c.events.first { $0.kind == .alertSent && $0.side == step.from }
        guard let a = sent?.alert else {
            return "The \(c.sender) sends an alert: \(step.title)."
        }
        if a.description == "close_notify" {
            return "The \(c.sender) announces that it has nothing more to send (close_notify), so the \(c.receiver) can tell a clean ending from a cut connection."
        }
        var reason = sent?.text ?? ""
        if let end = reason.firstRange(of: ". ") { reason = String(reason[..<end.lowerBound]) }
        if a.level == "fatal" {
            let what = c.senderCompletedHandshake ? "closes the connection" : "aborts the handshake"
            return "The \(c.sender) \(what) with a fatal \(a.description) alert\(reason.isEmpty ? "" : ": \(reason)"). Nothing more will be exchanged."
        }
        return "The \(c.sender) sends a warning alert, \(a.description)\(reason.isEmpty ? "" : ": \(reason)")."
    }
}
