import TLSWire

/// Handshake messages (RFC 8446 §4, RFC 5246 §7.4) and record content types (RFC 8446 §5.1, RFC 5246 §6.2.1),
/// keyed by their registered snake_case names. `hello_retry_request` is a ServerHello with a special random
/// (RFC 8446 §4.1.4) but gets its own entry: learners see it as a message of its own.
enum MessageContent {
    static let messages: [String: Entry] = [
        "client_hello": Entry(
            "RFC 8446 §4.1.2; RFC 5246 §7.4.1.2",
            "The client opens every handshake with it, unencrypted: the versions, cipher suites, groups and signature algorithms it supports, 32 fresh random bytes and, in TLS 1.3, its key shares. The server answers by choosing from these lists; it can never pick something the client did not offer.",
            scenario: "tls13", topic: "handshake"),
        "server_hello": Entry(
            "RFC 8446 §4.1.3; RFC 5246 §7.4.1.3",
            "The server's choices: one version, one cipher suite, its own 32 random bytes and, in TLS 1.3, its key share. In TLS 1.3 both sides can compute the handshake keys right after it, so everything the server sends next is encrypted.",
            scenario: "tls13", topic: "handshake"),
        "hello_retry_request": Entry(
            "RFC 8446 §4.1.4",
            "A ServerHello whose random is a fixed value meaning 'try again': none of the client's key shares is in a group the server accepts, so the server names the group it wants (and may add a cookie). The client sends a second ClientHello with a share for that group, which costs one extra round trip.",
            summary: "The server asks the client to send its ClientHello again, with a key share the server can use.",
            scenario: "tls13-hrr", topic: "hello-retry"),
        "encrypted_extensions": Entry(
            "RFC 8446 §4.3.1",
            "TLS 1.3: the first message under the server's handshake key. It holds the server's answers to extensions that are not needed to set up keys (server_name, ALPN, early_data), so an eavesdropper cannot read them.",
            scenario: "tls13", topic: "encrypted-handshake"),
        "certificate": Entry(
            "RFC 8446 §4.4.2; RFC 5246 §7.4.2, §7.4.6",
            "The sender's certificate chain: its own certificate first, then the intermediate CA certificates that lead to a root the peer trusts. A certificate binds a name (www.example.com) to a public key; the receiver checks the chain, the validity dates and the name before it believes it.",
            scenario: "tls12-rsa", topic: "trust"),
        "server_key_exchange": Entry(
            "RFC 5246 §7.4.3; RFC 8422 §5.4",
            "TLS 1.2 with ECDHE: the server's fresh ephemeral public key and its curve, signed with the private key of its certificate over both randoms and these parameters. The signature proves the key share comes from the certificate's owner; with RSA key exchange there is no ServerKeyExchange at all.",
            scenario: "tls12-ecdhe-rsa", topic: "forward-secrecy"),
        "certificate_request": Entry(
            "RFC 8446 §4.3.2; RFC 5246 §7.4.4",
            "The server asks the client for a certificate (mutual TLS) and says which signature algorithms and, optionally, which CAs it accepts. A client without a suitable certificate answers with an empty Certificate message, and the server decides whether to go on.",
            scenario: "tls13-mtls", topic: "mutual-tls"),
        "server_hello_done": Entry(
            "RFC 5246 §7.4.5",
            "TLS 1.2: an empty message that ends the server's first flight. The client now checks the certificate and sends its key exchange.",
            scenario: "tls12-rsa", topic: "tls12-steps"),
        "certificate_verify": Entry(
            "RFC 8446 §4.4.3; RFC 5246 §7.4.8",
            "A signature, made with the private key of the certificate just sent, over the hash of every handshake message so far. Only the key's owner can make it, and because the hash covers this handshake's randoms and key shares it cannot be copied from another connection. In TLS 1.2 only a client with a certificate sends it.",
            scenario: "tls13", topic: "trust"),
        "client_key_exchange": Entry(
            "RFC 5246 §7.4.7; RFC 8422 §5.7",
            "TLS 1.2: the client's part of the key exchange. With RSA key exchange it is the premaster secret itself, encrypted to the server's certificate key; with ECDHE it is the client's ephemeral public key.",
            scenario: "tls12-rsa", topic: "session-keys"),
        "finished": Entry(
            "RFC 8446 §4.4.4; RFC 5246 §7.4.9",
            "The last handshake message of each side and the first one protected by the new keys: a MAC, keyed from the handshake secrets, over the hash of all handshake messages so far. If anyone changed a message, or the two sides computed different keys, the check fails and the handshake is aborted.",
            scenario: "lab-tampered-handshake", topic: "handshake"),
        "new_session_ticket": Entry(
            "RFC 8446 §4.6.1; RFC 5077 §3.3",
            "A ticket the server hands the client for its next visit. In TLS 1.3 it comes after the handshake, encrypted, with a nonce from which both sides derive the resumption PSK; in TLS 1.2 (RFC 5077) it comes just before the server's ChangeCipherSpec and holds the session state encrypted with a key only the server knows.",
            scenario: "tls13-resumption", topic: "resumption"),
        "end_of_early_data": Entry(
            "RFC 8446 §4.5",
            "TLS 1.3: the client's last message under the 0-RTT key, marking the end of its early data; then it switches to its handshake key for Finished. It is sent only when the server accepted the early data.",
            scenario: "tls13-0rtt", topic: "zero-rtt"),
        "key_update": Entry(
            "RFC 8446 §4.6.3, §7.2",
            "TLS 1.3: from the next record on, the sender encrypts with the next generation of its traffic secret, derived from the current one, and forgets the old keys. Long connections do this before a key has protected too much data; update_requested asks the peer to update its keys too.",
            scenario: "tls13-key-update", topic: "key-update"),
        "hello_request": Entry(
            "RFC 5246 §7.4.1.1",
            "TLS 1.2: the server asks the client to start a new handshake (renegotiation) on the existing connection. TLS 1.3 removed renegotiation, and TLSLab never sends it."),
        "certificate_status": Entry(
            "RFC 6066 §8",
            "TLS 1.2: the server 'staples' a recent OCSP response signed by its CA, so the client can check that the certificate is not revoked without asking the CA itself. TLS 1.3 carries the same response in the Certificate message's status_request extension.",
            topic: "trust"),
        "message_hash": Entry(
            "RFC 8446 §4.4.1",
            "Never sent: after a HelloRetryRequest both sides replace the first ClientHello in the transcript hash with this synthetic message, which holds only that ClientHello's hash. This lets a server forget the first ClientHello (it can keep the hash in the cookie).",
            scenario: "tls13-hrr", topic: "hello-retry"),
    ]

    /// Record content types (RFC 8446 §5.1; RFC 5246 §6.2.1), keyed by `ContentType.names`.
    static let contentTypes: [String: Entry] = [
        "change_cipher_spec": Entry(
            "RFC 5246 §7.1; RFC 8446 §D.4",
            "TLS 1.2: a one-byte record saying 'from my next record on I use the keys we just agreed'; it comes right before Finished. In TLS 1.3 it means nothing and is sent, if at all, only so that old middleboxes see a familiar pattern (middlebox compatibility mode).",
            summary: "A one-byte message that says: from now on my records are encrypted (TLS 1.2).",
            scenario: "tls12-rsa", topic: "tls12-steps"),
        "alert": Entry(
            "RFC 8446 §6; RFC 5246 §7.2",
            "Two bytes: a level (warning or fatal) and a description such as handshake_failure. A fatal alert ends the connection at once; close_notify is the normal 'I am done sending'. Once keys are in place, alerts are encrypted like everything else.",
            summary: "A short warning or error message that one side sends the other.",
            scenario: "lab-expired-certificate", topic: "handshake-failed"),
        "handshake": Entry(
            "RFC 8446 §4, §5.1; RFC 5246 §7.4",
            "Records of this type carry handshake messages (ClientHello, Certificate, Finished, …), several to a record or one message split across records. In TLS 1.2 they are readable until Finished; in TLS 1.3 everything after ServerHello is encrypted and travels in records whose outer type says application_data.",
            summary: "A record that carries handshake messages.",
            scenario: "tls13", topic: "encrypted-handshake"),
        "application_data": Entry(
            "RFC 8446 §5.1, §5.2; RFC 5246 §6.2",
            "The application's own data (an HTTP request, its response), always encrypted with the traffic keys. In TLS 1.3 every encrypted record is labelled application_data on the outside; the real type is the last non-zero byte inside, so an observer cannot tell handshake, alert and data records apart.",
            summary: "A record of encrypted application data (in TLS 1.3: any encrypted record).",
            scenario: "tls13", topic: "after-handshake"),
        "heartbeat": Entry(
            "RFC 6520 §3",
            "Keep-alive messages for TLS and DTLS (RFC 6520), famous for the 2014 Heartbleed bug in OpenSSL, which let anyone read a server's memory. TLSLab never sends them.",
            summary: "A heartbeat (keep-alive) record; unused by TLSLab."),
        "invalid": Entry(
            "RFC 8446 §5.1, §5.4",
            "Type 0 is never valid on the wire. In TLS 1.3 zeros appear only as padding after the real content type inside an encrypted record.",
            summary: "Content type 0, which must never be sent."),
    ]
}
