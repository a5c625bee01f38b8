/// A glossary term: a short definition, the explain topic that tells more, and (when there is one) the name of an
/// explanation (`tlslab explain NAME`) for the exact protocol item.
public struct GlossaryTerm: Sendable, Equatable, Identifiable {
    public var term: String
    public var definition: String
    /// An id in `Topics.all`.
    public var topic: String
    /// A key `Explanations.lookup` finds (`master_secret`, `ClientHello`, `bad_record_mac`).
    public var explanation: String?

    public var id: String { term }

    public init(_ term: String, _ definition: String, topic: String, explanation: String? = nil) {
        self.term = term
        self.definition = definition
        self.topic = topic
        self.explanation = explanation
    }
}

/// The glossary behind the UI's glossary key and the teaching guide, sorted by term.
public enum Glossary {
    public static let terms: [GlossaryTerm] = entries.sorted { $0.term.lowercased() < $1.term.lowercased() }

    static let entries: [GlossaryTerm] = [
        GlossaryTerm(
            "AEAD", "Authenticated encryption with associated data: a cipher mode (AES-GCM, ChaCha20-Poly1305) that encrypts and detects any change in one step.",
            topic: "cipher-suite", explanation: "TLS_AES_128_GCM_SHA256"),
        GlossaryTerm(
            "Alert", "A two-byte TLS message, warning or fatal, that reports a problem or the end of the connection (close_notify).",
            topic: "handshake-failed", explanation: "alert"),
        GlossaryTerm(
            "ALPN", "Application-Layer Protocol Negotiation: the extension that picks HTTP/2 or HTTP/1.1 during the handshake.",
            topic: "https", explanation: "application_layer_protocol_negotiation"),
        GlossaryTerm(
            "Asymmetric cryptography", "Cryptography with a key pair: a public key anyone may know and a private key only its owner has; used for key exchange and signatures.",
            topic: "asymmetric-symmetric"),
        GlossaryTerm(
            "Certificate", "A signed statement by a CA that a public key belongs to a name (X.509); the server sends its chain in the Certificate message.",
            topic: "trust", explanation: "Certificate"),
        GlossaryTerm(
            "Certificate authority (CA)", "An organisation whose signature on certificates clients trust; its root certificate is in the clients' trust stores.",
            topic: "trust"),
        GlossaryTerm(
            "Certificate chain", "The server's certificate followed by the intermediate CA certificates that lead to a trusted root.",
            topic: "trust", explanation: "certificate.certificate_list"),
        GlossaryTerm(
            "CertificateVerify", "A signature over the handshake so far, proving that the sender holds the private key of the certificate it sent.",
            topic: "trust", explanation: "CertificateVerify"),
        GlossaryTerm(
            "Cipher suite", "The named set of algorithms a connection uses: key exchange and authentication (TLS 1.2 only), bulk cipher and hash.",
            topic: "cipher-suite", explanation: "client_hello.cipher_suite"),
        GlossaryTerm(
            "ClientHello", "The client's first message: what it supports, 32 random bytes and, in TLS 1.3, its key shares.",
            topic: "handshake", explanation: "ClientHello"),
        GlossaryTerm(
            "CSR", "Certificate signing request (PKCS #10): a public key and the names wanted, signed with the private key, sent to a CA to get a certificate.",
            topic: "server-files"),
        GlossaryTerm(
            "Downgrade protection", "Bytes 'DOWNGRD' at the end of ServerHello.random that let a TLS 1.3 client detect an attacker forcing TLS 1.2.",
            topic: "ssl-vs-tls", explanation: "server_hello.random"),
        GlossaryTerm(
            "ECDHE", "Elliptic-curve Diffie-Hellman with ephemeral keys: both sides make fresh key pairs and combine them into a shared secret an eavesdropper cannot compute.",
            topic: "forward-secrecy", explanation: "shared_secret"),
        GlossaryTerm(
            "Early data (0-RTT)", "Application data a resuming TLS 1.3 client sends with its first flight, encrypted with a key from its ticket; fast but replayable.",
            topic: "zero-rtt", explanation: "early_data"),
        GlossaryTerm(
            "Encrypt-then-MAC", "A TLS 1.2 extension for CBC suites: the MAC is computed over the ciphertext, which stops padding-oracle attacks.",
            topic: "cipher-suite", explanation: "encrypt_then_mac"),
        GlossaryTerm(
            "Extended master secret", "A TLS 1.2 extension that derives the master secret from the hash of the whole handshake, tying it to one connection.",
            topic: "session-keys", explanation: "extended_master_secret"),
        GlossaryTerm(
            "Finished", "Each side's last handshake message: a MAC over all handshake messages, which detects any tampering and proves both hold the same keys.",
            topic: "handshake", explanation: "Finished"),
        GlossaryTerm(
            "Forward secrecy", "The property that stealing a server's long-term key later does not decrypt recorded sessions; given by ephemeral (EC)DHE.",
            topic: "forward-secrecy"),
        GlossaryTerm(
            "Handshake", "The messages at the start of a connection that agree on version and algorithms, authenticate the server (and maybe the client) and create the keys.",
            topic: "handshake"),
        GlossaryTerm(
            "HelloRetryRequest", "A TLS 1.3 server's request to send the ClientHello again with a key share for another group; costs one round trip.",
            topic: "hello-retry", explanation: "HelloRetryRequest"),
        GlossaryTerm(
            "HKDF", "The HMAC-based key derivation function (RFC 5869) behind the TLS 1.3 key schedule: Extract mixes inputs into a secret, Expand derives keys from it.",
            topic: "tls13", explanation: "handshake_secret"),
        GlossaryTerm(
            "HMAC", "A message authentication code built from a hash function and a key (RFC 2104); used in Finished, the PRF, HKDF and CBC records.",
            topic: "session-keys", explanation: "client_write_mac_key"),
        GlossaryTerm(
            "HTTPS", "HTTP inside a TLS connection, by default on TCP port 443.", topic: "https"),
        GlossaryTerm(
            "IV / nonce", "A number used once with a key, so that the same plaintext never encrypts the same way; TLS builds it from the write IV and the record number.",
            topic: "after-handshake", explanation: "client_write_iv"),
        GlossaryTerm(
            "Key block", "TLS 1.2: the PRF output that is cut into the MAC keys, write keys and IVs of both sides.",
            topic: "session-keys", explanation: "key_block"),
        GlossaryTerm(
            "Key share", "An ephemeral (EC)DH public key in the TLS 1.3 key_share extension.", topic: "tls13",
            explanation: "key_share"),
        GlossaryTerm(
            "KeyUpdate", "A TLS 1.3 message that switches one direction to the next generation of traffic keys.",
            topic: "key-update", explanation: "KeyUpdate"),
        GlossaryTerm(
            "MAC", "Message authentication code: a short value computed with a secret key that changes if the message changes.",
            topic: "cipher-suite"),
        GlossaryTerm(
            "Master secret", "TLS 1.2: 48 bytes from the premaster secret and both randoms, from which every key is derived. TLS 1.3 has a Master Secret stage too.",
            topic: "session-keys", explanation: "master_secret"),
        GlossaryTerm(
            "Mutual TLS", "A handshake in which the client also presents a certificate and signs the handshake.",
            topic: "mutual-tls", explanation: "CertificateRequest"),
        GlossaryTerm(
            "OCSP", "Online Certificate Status Protocol: a CA's signed answer whether a certificate is revoked; servers can staple it to the handshake.",
            topic: "trust", explanation: "status_request"),
        GlossaryTerm(
            "Premaster secret", "TLS 1.2: the secret the key exchange produces, input to the master secret.", topic: "session-keys",
            explanation: "premaster_secret"),
        GlossaryTerm(
            "PRF", "TLS 1.2's pseudorandom function: HMAC with SHA-256 (or SHA-384) run in a loop to produce as many bytes as needed.",
            topic: "session-keys", explanation: "key_block"),
        GlossaryTerm(
            "Private key", "The secret half of a key pair; the server's must never leave the server.", topic: "server-files"),
        GlossaryTerm(
            "PSK", "Pre-shared key: in TLS 1.3 usually the key a session ticket stands for, used to resume.",
            topic: "resumption", explanation: "psk"),
        GlossaryTerm(
            "Public key", "The half of a key pair that may be published; a certificate binds it to a name.", topic: "asymmetric-symmetric"),
        GlossaryTerm(
            "Record", "The unit TLS sends: a 5-byte header and up to 16 KiB of content, encrypted once keys are in place.",
            topic: "after-handshake", explanation: "record"),
        GlossaryTerm(
            "Replay attack", "Sending recorded data again; TLS records resist it thanks to sequence numbers, 0-RTT data does not.",
            topic: "zero-rtt"),
        GlossaryTerm(
            "Resumption", "Starting a new connection from an earlier session's secret (session ID, ticket, PSK), skipping certificates and public-key work.",
            topic: "resumption"),
        GlossaryTerm(
            "Round trip (RTT)", "A message to the other side and the answer back; handshakes are measured in them.", topic: "round-trips"),
        GlossaryTerm(
            "RSA key exchange", "TLS 1.2 only: the client encrypts the premaster secret to the server's RSA certificate key; no forward secrecy.",
            topic: "forward-secrecy", explanation: "encrypted_premaster_secret"),
        GlossaryTerm(
            "Self-signed certificate", "A certificate signed by its own key, not by a CA; clients reject it unless it is installed as trusted.",
            topic: "trust"),
        GlossaryTerm(
            "Session ticket", "An encrypted blob of session state the server gives the client, to resume later without a server-side cache.",
            topic: "resumption", explanation: "NewSessionTicket"),
        GlossaryTerm(
            "SNI", "Server Name Indication: the host name in the ClientHello, used to pick the certificate; visible on the network.",
            topic: "https", explanation: "server_name"),
        GlossaryTerm(
            "SSL", "Secure Sockets Layer, TLS's insecure predecessor (SSL 2.0, 3.0); the name lives on in 'SSL certificate' and OpenSSL.",
            topic: "ssl-vs-tls"),
        GlossaryTerm(
            "subjectAltName (SAN)", "The certificate extension that lists the host names the certificate is valid for.", topic: "trust"),
        GlossaryTerm(
            "Symmetric cryptography", "Cryptography in which both sides use the same secret key; fast, used for the data.",
            topic: "asymmetric-symmetric"),
        GlossaryTerm(
            "Traffic secret", "TLS 1.3: a secret per direction and phase (handshake, application) from which a record key and IV are expanded.",
            topic: "tls13", explanation: "client_handshake_traffic_secret"),
        GlossaryTerm(
            "Transcript hash", "The hash of all handshake messages so far; Finished, CertificateVerify and the TLS 1.3 secrets depend on it.",
            topic: "handshake", explanation: "message_hash"),
        GlossaryTerm(
            "Trust store", "The list of root CA certificates a client trusts, shipped with the operating system or browser.", topic: "trust"),
        GlossaryTerm(
            "X.509", "The standard format of certificates (RFC 5280).", topic: "trust", explanation: "certificate.cert_data"),
    ]

    /// A term by name (case, `-`, `_` and spaces ignored), also matching the short form before a parenthesis
    /// (`CA` for `Certificate authority (CA)`, `0-RTT`).
    public static func term(_ name: String) -> GlossaryTerm? {
        let q = Lookup.normalize(name)
        return terms.first { entry in
            if Lookup.normalize(entry.term) == q { return true }
            let parts = entry.term.split(whereSeparator: { "()/".contains($0) }).map { Lookup.normalize(String($0)) }
            return parts.contains(q)
        }
    }

    /// Plain text: one term per paragraph.
    public static func text(width: Int = 100) -> String {
        terms.map { t in
            (TextWrap.wrap("\(t.term) — \(t.definition)", width: width, continuation: "    ")
                + ["    more: tlslab explain \(t.explanation ?? t.topic)"]).joined(separator: "\n")
        }.joined(separator: "\n") + "\n"
    }
}
