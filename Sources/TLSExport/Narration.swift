import TLSTranscript
import TLSWire

/// Plain-language sentences for one walkthrough step: what the message does and why, built from the step's
/// content (the decoded fields, the negotiated parameters, the events around it). Sentences are plain text;
/// renderers escape them for their format.
public enum StepNarration {
    public static func sentences(for step: WalkthroughStep, in t: Transcript) -> [String] {
        let sender = step.from.description
        let peer = step.from.peer.description
        let record = t.records.indices.contains(step.record) ? t.records[step.record] : nil
        var out: [String] = []
        if let m = step.message, t.messages.indices.contains(m) {
            out += message(t.messages[m], sender: sender, peer: peer, in: t)
            if t.messages[m].encrypted, let record {
                out.append(
                    "On the wire it is encrypted\(record.keys.map { " with the \(keysName($0))" } ?? ""): an observer sees only \(article(record.contentType)) \(record.contentType) record of \(record.bytes.count) bytes. It is shown here decrypted.")
            }
        } else if let record {
            out += nonHandshake(record, step: step, sender: sender, peer: peer, in: t)
        }
        return out
    }

    // MARK: Handshake messages

    static func message(_ m: MessageEntry, sender: String, peer: String, in t: Transcript) -> [String] {
        let f = m.fields
        let tls13 = isTLS13(t)
        switch m.name {
        case "ClientHello":
            var s: [String] = []
            let versions = values(f, "ext.supported_versions.version")
            let offered = versions.isEmpty ? values(f, "client_hello.legacy_version") : versions
            let suites = values(f, "client_hello.cipher_suite")
            s.append(
                "The client opens the handshake. It offers \(list(offered)), \(count(suites.count, "cipher suite"))\(suites.isEmpty ? "" : " (\(list(suites)))"), and a fresh 32-byte random that will be mixed into every key.")
            let shares = values(f, "ext.key_share.group")
            if !shares.isEmpty {
                s.append(
                    "It already sends a public key share for \(list(shares)), guessing which group the server will pick, so the keys can be agreed within one round trip.")
            }
            if let host = f.first(key: "ext.server_name.host_name")?.value {
                s.append("The server_name extension tells the server which site it wants: \(host).")
            }
            return s
        case "ServerHello":
            let version = plain(
                f.first(key: "ext.supported_versions.selected_version")?.value
                    ?? f.first(key: "server_hello.legacy_version")?.value ?? "?")
            let suite = plain(f.first(key: "server_hello.cipher_suite")?.value ?? "?")
            var s = [
                "The server answers: it picks \(version) and \(suite) from what the client offered, and sends its own 32-byte random."
            ]
            if let group = f.first(key: "ext.key_share.group")?.value {
                s.append(
                    "Its \(plain(group)) key share completes the key exchange: each side can now compute the same shared secret and the handshake keys, so everything the server sends after this message is encrypted.")
            } else if suite.hasPrefix("TLS_RSA_") {
                s.append(
                    "With RSA key exchange the client will choose the premaster secret itself and send it encrypted to the public key in the server's certificate.")
            } else if suite.hasPrefix("TLS_ECDHE_") {
                s.append("The server's ephemeral key for the ECDHE key exchange follows in ServerKeyExchange.")
            }
            return s
        case "HelloRetryRequest":
            let group = f.first(key: "ext.key_share.selected_group")?.value
            return [
                "The server cannot use any key share the client sent and asks it to start again\(group.map { " with a key share for \(plain($0))" } ?? "")."
            ]
        case "EncryptedExtensions":
            let names = children(f, "encrypted_extensions.extensions").map(\.name)
            return [
                "The server's first encrypted message: the extensions that do not affect the key exchange (\(names.isEmpty ? "none here" : list(names)))."
            ]
        case "Certificate":
            let chain = t.certificates.filter { $0.from == m.from }.sorted { $0.position < $1.position }
            let n = max(values(f, "certificate.cert_data").count, children(f, "certificate.certificate_list").count)
            if n == 0 {
                return ["The \(sender) has no suitable certificate and sends an empty list."]
            }
            var s: [String] = []
            if let leaf = chain.first {
                s.append(
                    "The \(sender) sends its certificate chain (\(count(n, "certificate"))): its own certificate for \(leaf.subject), issued by \(leaf.issuer). The certificate binds that name to the \(sender)'s public key (\(leaf.publicKey)).")
            } else {
                s.append("The \(sender) sends its certificate chain (\(count(n, "certificate"))).")
            }
            s.append(
                m.from == .server
                    ? "The client checks that a certificate authority it trusts signed it, that it is valid at this moment and that it names the server the client wanted."
                    : "The server checks that a certificate authority it trusts signed it and that it is valid at this moment.")
            if tls13 { s.append("In TLS 1.3 this message is encrypted, so an observer cannot even tell which certificate was used.") }
            return s
        case "ServerKeyExchange":
            let curve = (f.first(key: "server_key_exchange.named_curve")?.value).map(plain) ?? "the chosen curve"
            let algorithm = (f.first(key: "server_key_exchange.algorithm")?.value).map(plain)
            return [
                "The server sends a fresh (ephemeral) public key on \(curve) and signs it, together with both randoms, with its certificate's private key\(algorithm.map { " (\($0))" } ?? "").",
                "The signature proves the key comes from the certificate's owner; because the key is thrown away after the handshake, a later theft of the certificate key cannot decrypt this session (forward secrecy).",
            ]
        case "CertificateRequest":
            return ["The server asks the client to prove its identity with a certificate of its own."]
        case "ServerHelloDone":
            return ["The server has sent everything for now and waits: it is the client's turn."]
        case "ClientKeyExchange":
            if f.first(key: "client_key_exchange.encrypted_pre_master_secret") != nil {
                return [
                    "The client sends the premaster secret it picked, encrypted with the RSA public key from the server's certificate (RSAES-PKCS1-v1_5). Only the holder of the private key can decrypt it.",
                    "That is also the weakness: whoever obtains the server's private key later can decrypt a recording of this whole session. RSA key exchange has no forward secrecy, which is why TLS 1.3 removed it.",
                ]
            }
            return [
                "The client sends its own ephemeral public key. Each side combines its private key with the other's public key (ECDH) and gets the same premaster secret, which never crosses the wire."
            ]
        case "CertificateVerify":
            let algorithm = (f.first(key: "certificate_verify.algorithm")?.value).map(plain)
            return [
                "The \(sender) signs the handshake so far (the hash of every message up to its Certificate) with its certificate's private key\(algorithm.map { " (\($0))" } ?? ""). This proves it owns the certificate it just sent, not merely a copy of it."
            ]
        case "Finished":
            let size = f.first(key: "finished.verify_data")?.length
            var s = [
                "The \(sender) sends a MAC over the entire handshake (verify_data\(size.map { ", \($0) bytes" } ?? "")), keyed with secrets only the two peers can know. The \(peer) computes the same value: a match proves both saw the same messages and derived the same keys, so any tampering would be detected here."
            ]
            if !tls13 { s.append("It is the first message the \(sender) protects with the new keys.") }
            return s
        case "NewSessionTicket":
            return ["The server hands the client a ticket it can present later to resume the session without a full handshake."]
        case "KeyUpdate":
            return ["The \(sender) switches to fresh traffic keys derived from the current ones."]
        case "EndOfEarlyData":
            return ["The client has finished sending early (0-RTT) data."]
        default:
            if let meaning = f.meaning { return ["\(m.name): \(meaning)"] }
            return ["The \(sender) sends a \(m.name) message."]
        }
    }

    // MARK: Records without a handshake message

    static func nonHandshake(
        _ record: RecordEntry, step: WalkthroughStep, sender: String, peer: String, in t: Transcript
    ) -> [String] {
        let events = step.events.compactMap { t.events.indices.contains($0) ? t.events[$0] : nil }
        switch record.innerContentType {
        case "change_cipher_spec":
            if isTLS13(t) {
                return [
                    "A dummy ChangeCipherSpec for middlebox compatibility (RFC 8446 §D.4): it makes TLS 1.3 look like a resumed TLS 1.2 session to old network boxes. The \(peer) ignores it."
                ]
            }
            return ["The \(sender) announces that everything it sends from now on is protected with the newly agreed keys."]
        case "alert":
            let sent = events.first { $0.kind == .alertSent && $0.side == step.from }
            let alert = sent?.alert
            if alert?.description == "close_notify" || record.summary.hasSuffix("close_notify") {
                return [
                    "The \(sender) announces that it will send no more data (close_notify). This lets the \(peer) tell a clean end from a connection cut short by an attacker."
                ]
            }
            if let alert {
                // The reason of the alert that ended the handshake is told once, where the handshake fails.
                let ended = t.outcome.alert == alert
                let why = ended ? "." : sent?.text.map { ": \($0)" } ?? "."
                return [
                    "The \(sender) \(alert.level == "fatal" ? "aborts the connection with a fatal" : "sends a \(alert.level)") \(alert.description) alert (\(alert.code))\(why)"
                ]
            }
            return ["The \(sender) sends an alert (\(record.summary))."]
        case "application_data":
            let size = record.plaintext?.count ?? max(0, record.bytes.count - 5)
            var s = "The \(sender) sends \(count(size, "byte")) of application data"
            if let keys = record.keys { s += ", encrypted with its \(keysName(keys))" }
            s += ". An observer sees only the length; the content is shown decrypted below."
            return [s]
        default:
            return ["The \(sender) sends a \(record.contentType) record (\(record.summary))."]
        }
    }

    // MARK: Helpers

    static func isTLS13(_ t: Transcript) -> Bool {
        if let v = t.negotiated?.version { return v == "TLS 1.3" }
        return t.messages.contains { $0.fields.first(key: "ext.supported_versions.selected_version") != nil }
    }

    /// "server_handshake_traffic keys" → "server handshake traffic keys".
    static func keysName(_ label: String) -> String {
        let words = label.replacingOccurrences(of: "_", with: " ")
        return words.hasSuffix("keys") ? words : words + " keys"
    }

    /// "TLS_AES_128_GCM_SHA256 (0x1301)" → "TLS_AES_128_GCM_SHA256".
    static func plain(_ value: String) -> String {
        guard value.hasSuffix(")"), let open = value.range(of: " (", options: .backwards) else { return value }
        return String(value[..<open.lowerBound])
    }

    static func values(_ root: FieldNode, _ key: String) -> [String] {
        root.flattened.filter { $0.key == key }.map { plain($0.value) }
    }

    static func children(_ root: FieldNode, _ key: String) -> [FieldNode] {
        root.first(key: key)?.children ?? []
    }

    static func article(_ word: String) -> String {
        guard let first = word.lowercased().first else { return "a" }
        return "aeio".contains(first) ? "an" : "a"
    }

    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func list(_ items: [String]) -> String {
        switch items.count {
        case 0: return "nothing"
        case 1: return items[0]
        case 2: return "\(items[0]) and \(items[1])"
        default: return items.dropLast().joined(separator: ", ") + " and " + (items.last ?? "")
        }
    }
}
