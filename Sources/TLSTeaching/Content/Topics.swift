/// The questions learners actually ask, answered for `tlslab explain TOPIC`. Facts stated about scenarios are
/// listed as `claims` and checked against the transcripts by the tests.
public enum Topics {
    /// Every topic, in the order `tlslab explain` lists them.
    public static let all: [Topic] = [
        handshake, whereUsed, tls12Steps, cipherSuite, sessionKeys, encryptedHandshake, asymmetricSymmetric,
        tls13, zeroRTT, sslVsTLS, https, mutualTLS, trust, serverFiles, roundTrips, forwardSecrecy, resumption,
        helloRetry, keyUpdate, afterHandshake, handshakeFailed,
    ]

    /// A topic by id or alias (case, `-`, `_` and spaces ignored).
    public static func topic(_ name: String) -> Topic? {
        let q = Lookup.normalize(name)
        return all.first { Lookup.normalize($0.id) == q || $0.aliases.contains { Lookup.normalize($0) == q } }
    }

    static let handshake = Topic(
        id: "handshake", title: "What a TLS handshake is and what it settles",
        question: "What is a TLS handshake, and what does it decide?",
        summary: "The first messages of every TLS connection: they agree on the version and algorithms, prove who the server is, and create the session keys.",
        paragraphs: [
            "Before any of your data is sent, client and server exchange a few messages: the handshake. When it ends, four things are settled:",
            "• the protocol version (TLS 1.2 or TLS 1.3), from what the client offers and the server accepts;",
            "• the cipher suite: the algorithms that protect the data, for example AES-128-GCM with SHA-256;",
            "• who is on the other end: the server always proves that it owns the certificate for the name you asked for; the client proves its identity only when the server asks for a certificate (mutual TLS);",
            "• the session keys: fresh symmetric keys, known only to these two, that encrypt and authenticate everything afterwards.",
            "Each side's last handshake message, Finished, checks all of it: a MAC over every handshake message, keyed from the new secrets. If an attacker changed anything, or the two sides computed different keys, Finished does not match and the connection is dropped (lab-tampered-handshake).",
            "In TLSLab a full TLS 1.3 handshake (tls13) is 7 handshake messages: ClientHello, ServerHello, EncryptedExtensions, Certificate, CertificateVerify and Finished from the server, Finished from the client. A TLS 1.2 one with RSA key exchange (tls12-rsa) is also 7, plus a ChangeCipherSpec from each side: ClientHello, ServerHello, Certificate, ServerHelloDone, ClientKeyExchange, Finished, Finished.",
        ],
        scenarios: ["tls13", "tls12-rsa", "lab-tampered-handshake"], rfc: "RFC 8446 §2; RFC 5246 §7.3",
        related: ["tls12-steps", "tls13", "session-keys"], aliases: ["what-is-a-handshake"],
        claims: [
            .messages(
                scenario: "tls13", connection: 0,
                names: ["ClientHello", "ServerHello", "EncryptedExtensions", "Certificate", "CertificateVerify", "Finished", "Finished"]),
            .messages(
                scenario: "tls12-rsa", connection: 0,
                names: ["ClientHello", "ServerHello", "Certificate", "ServerHelloDone", "ClientKeyExchange", "Finished", "Finished"]),
        ])

    static let whereUsed = Topic(
        id: "where", title: "Where and when TLS handshakes happen",
        question: "Where is TLS used, and when does a handshake happen?",
        summary: "Every HTTPS page, API call and DNS-over-HTTPS query runs inside TLS; a handshake happens once per new connection.",
        paragraphs: [
            "TLS protects a connection between two programs. It runs under:",
            "• every https:// page a browser loads: HTTPS is HTTP inside TLS, on TCP port 443;",
            "• API calls between apps and servers (REST, gRPC), which are HTTPS too;",
            "• DNS over HTTPS (port 443) and DNS over TLS (port 853), which hide the names you look up from the network;",
            "• e-mail (SMTP with STARTTLS between servers, IMAP on port 993 to your mail app), many VPNs, and QUIC (HTTP/3), which carries the TLS 1.3 handshake inside its own packets.",
            "A handshake runs when a connection starts, not per page or per request: a browser keeps the connection open and sends many requests over it. A client that comes back later can resume the earlier session (session ID, ticket or PSK), which skips the certificate and, in TLS 1.3, can even send its first request at once (0-RTT).",
        ],
        scenarios: ["tls13", "tls13-resumption", "tls12-resumption-ticket"],
        rfc: "RFC 9110 §4.2.2; RFC 8484 §1; RFC 7858 §3.1; RFC 9001 §4", related: ["https", "resumption", "zero-rtt"],
        aliases: ["when", "where-is-tls-used"])

    static let tls12Steps = Topic(
        id: "tls12-steps", title: "The steps of a TLS 1.2 handshake, and what comes after",
        question: "What are the steps of a TLS 1.2 handshake, and what happens after it?",
        summary: "Hello, certificate, key exchange, then ChangeCipherSpec and Finished both ways: two round trips; then encrypted records and close_notify.",
        paragraphs: [
            "A full TLS 1.2 handshake with ECDHE (tls12-ecdhe-rsa), message by message:",
            "1. ClientHello (client): versions, cipher suites, 32 random bytes, extensions.",
            "2. ServerHello (server): the chosen version and suite, its own 32 random bytes.",
            "3. Certificate (server): its certificate chain.",
            "4. ServerKeyExchange (server, ECDHE only): its ephemeral public key, signed with the certificate's private key.",
            "5. ServerHelloDone (server): 'your turn'. End of the first round trip.",
            "6. ClientKeyExchange (client): its ephemeral public key (ECDHE), or the premaster secret encrypted to the server's RSA key (RSA key exchange). Now both sides compute the premaster secret, the master secret and the session keys.",
            "7. ChangeCipherSpec and Finished (client): from here the client encrypts; Finished proves it has the right keys and saw the same messages.",
            "8. ChangeCipherSpec and Finished (server): the same from the server. End of the second round trip: the client may now send its request.",
            "With RSA key exchange (tls12-rsa) step 4 is missing: the server's key is the one in its certificate.",
            "After the handshake the application's data travels in application_data records, each encrypted and authenticated with its sender's write key and an implicit sequence number, so a record that is changed, replayed or dropped fails its check. At the end each side sends close_notify. The next connection can resume the session instead of repeating all of this.",
        ],
        scenarios: ["tls12-ecdhe-rsa", "tls12-rsa"], commands: ["tlslab lesson tls12-rsa"],
        rfc: "RFC 5246 §7.3, §7.4; RFC 8422 §2", related: ["session-keys", "after-handshake", "round-trips"],
        aliases: ["tls12", "tls-1.2"],
        claims: [
            .messages(
                scenario: "tls12-ecdhe-rsa", connection: 0,
                names: ["ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "ServerHelloDone", "ClientKeyExchange", "Finished", "Finished"]),
            .roundTrips(scenario: "tls12-ecdhe-rsa", connection: 0, count: 2),
        ])

    static let cipherSuite = Topic(
        id: "cipher-suite", title: "The parts of a cipher suite",
        question: "What do the parts of a cipher suite name mean?",
        summary: "Key exchange, authentication, bulk cipher and MAC: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256 taken apart.",
        paragraphs: [
            "A TLS 1.2 cipher suite name lists four choices: TLS_{key exchange}_{authentication}_WITH_{bulk cipher}_{MAC}. When only one name stands before WITH (TLS_RSA_WITH_…), it does both jobs.",
            "• Key exchange: how the two sides get a shared secret. RSA: the client encrypts it to the server's certificate key (no forward secrecy). ECDHE: fresh elliptic-curve Diffie-Hellman keys for every connection (forward secrecy).",
            "• Authentication: the kind of certificate key that proves the server's identity: RSA or ECDSA.",
            "• Bulk cipher: the symmetric cipher for the data. AES_128_GCM, AES_256_GCM and CHACHA20_POLY1305 are AEAD ciphers, which encrypt and authenticate in one; AES_128_CBC only encrypts.",
            "• MAC: a hash. With CBC it is the HMAC that authenticates each record (SHA means SHA-1); with AEAD ciphers it is only the hash of the PRF that derives the keys.",
            "TLS 1.3 names only the last two (TLS_AES_128_GCM_SHA256): the key exchange is always (EC)DHE or a PSK, negotiated with supported_groups and key_share, and the signature with signature_algorithms. RFC 8446 defines just five TLS 1.3 suites, all AEAD.",
        ],
        scenarios: ["tls12-ecdhe-rsa", "tls12-rsa", "tls12-ecdhe-rsa-cbc", "tls13"],
        commands: ["tlslab explain TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"], rfc: "RFC 5246 §A.5; RFC 8446 §B.4; RFC 9325 §4.2",
        related: ["forward-secrecy", "session-keys"], aliases: ["cipher-suites", "ciphersuite"],
        cipherSuites: ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA256", "TLS_AES_128_GCM_SHA256"])

    static let sessionKeys = Topic(
        id: "session-keys", title: "The session keys and where they come from",
        question: "Which keys protect a TLS 1.2 connection, and how are they made from the randoms and the premaster secret?",
        summary: "Premaster secret + both randoms → master secret → key block → client/server write MAC keys, write keys and IVs.",
        paragraphs: [
            "TLS 1.2 turns one shared secret into six keys in three steps:",
            "1. premaster_secret, from the key exchange: 48 bytes the client picked and sent encrypted (RSA key exchange), or the ECDHE shared value.",
            "2. master_secret = PRF(premaster_secret, \"master secret\", client_random + server_random): 48 bytes. The two randoms, one from each side, make it unique to this connection. With extended master secret the seed is the hash of the whole handshake instead.",
            "3. key_block = PRF(master_secret, \"key expansion\", server_random + client_random), cut in order into client_write_MAC_key and server_write_MAC_key (HMAC keys, CBC suites only), client_write_key and server_write_key (the cipher keys, one per direction), client_write_IV and server_write_IV (nonce material; for CBC in TLS 1.2 derived but unused).",
            "For TLS_RSA_WITH_AES_128_CBC_SHA256 (tls12-rsa) the key block is 2 × (32 + 16 + 16) = 128 bytes. Each side writes with its own keys and reads with the other's. The PRF is HMAC-SHA256 run in a loop (P_SHA256).",
            "TLS 1.3 replaces this with HKDF and three stages (Early, Handshake and Master Secret) and keeps separate traffic secrets for the handshake and for application data: tlslab explain master_secret.",
        ],
        scenarios: ["tls12-rsa", "tls12-rsa-gcm"], commands: ["tlslab explain key_block"],
        rfc: "RFC 5246 §8.1, §6.3, §5; RFC 7627 §4", related: ["tls12-steps", "asymmetric-symmetric"],
        aliases: ["keys", "session-key"],
        claims: [
            .derivationLength(scenario: "tls12-rsa", name: "premaster_secret", bytes: 48),
            .derivationLength(scenario: "tls12-rsa", name: "master_secret", bytes: 48),
            .derivationLength(scenario: "tls12-rsa", name: "key_block", bytes: 128),
            .derivationLength(scenario: "tls12-rsa", name: "client_write_mac_key", bytes: 32),
            .derivationLength(scenario: "tls12-rsa", name: "client_write_key", bytes: 16),
        ])

    static let encryptedHandshake = Topic(
        id: "encrypted-handshake", title: "Is the handshake encrypted?",
        question: "Is the handshake encrypted — in TLS 1.2 and in TLS 1.3?",
        summary: "TLS 1.2: no, until Finished; the certificates travel in the clear. TLS 1.3: everything after ServerHello is encrypted.",
        paragraphs: [
            "TLS 1.2: anyone on the path can read the handshake up to the ChangeCipherSpecs; only the two Finished messages are encrypted. An observer sees the server's certificate (which company you talk to), the chosen suite and, with mutual TLS, the client's certificate: who you are.",
            "TLS 1.3: ClientHello and ServerHello stay readable because they set up the keys, but right after ServerHello both sides derive handshake traffic keys from the (EC)DHE secret and encrypt the rest: EncryptedExtensions, CertificateRequest, Certificate, CertificateVerify, Finished. Encrypted records even hide their type: all say application_data.",
            "Visible in both: the ClientHello, including the server name (SNI) unless Encrypted Client Hello is used, and the sizes and timing of the records.",
        ],
        scenarios: ["tls13", "tls12-ecdhe-rsa"], commands: ["tlslab compare tls12-ecdhe-rsa tls13"],
        rfc: "RFC 8446 §2, §4.3.1, §5.1; RFC 5246 §7.3", related: ["tls13", "https"], aliases: ["encrypted", "is-the-handshake-encrypted"],
        claims: [
            .firstEncrypted(scenario: "tls12-ecdhe-rsa", message: "Finished"),
            .firstEncrypted(scenario: "tls13", message: "EncryptedExtensions"),
        ])

    static let asymmetricSymmetric = Topic(
        id: "asymmetric-symmetric", title: "Why asymmetric cryptography for the handshake and symmetric for the data",
        question: "Why does TLS use public-key cryptography only in the handshake and symmetric ciphers for the data?",
        summary: "Public keys let strangers agree on a secret and check identities; symmetric ciphers are thousands of times faster for the data itself.",
        paragraphs: [
            "Two strangers on the Internet share no secret. Asymmetric (public-key) cryptography lets them create one anyway, with ECDHE or by RSA-encrypting a secret, and lets the server prove who it is with a signature that anyone can check using the public key in its certificate.",
            "But public-key operations are slow: an RSA-2048 private-key operation costs around a millisecond of CPU and an X25519 exchange tens of microseconds, while AES-GCM with hardware support encrypts gigabytes per second. So TLS does the expensive operations a handful of times per connection (one key exchange, one or two signatures) and derives symmetric keys for everything else.",
            "Symmetric keys also give each record what it needs: it is encrypted and authenticated (AEAD, or a cipher plus HMAC) under keys only the two peers know, so any change is detected (bad_record_mac).",
            "Count them in tls13: the public-key work is one X25519 exchange and one RSA-PSS signature; every record after ServerHello, from EncryptedExtensions to close_notify, uses AES-128-GCM keys.",
        ],
        scenarios: ["tls13", "tls12-rsa", "lab-tampered-record"], rfc: "RFC 8446 §2, §5.2; RFC 5246 §6.2.3",
        related: ["session-keys", "forward-secrecy"], aliases: ["symmetric", "asymmetric", "public-key"])

    static let tls13 = Topic(
        id: "tls13", title: "TLS 1.3: one round trip",
        question: "What makes TLS 1.3 faster, and what else changed from TLS 1.2?",
        summary: "The client sends its key share in the first message, so keys exist after one round trip; RSA key exchange, CBC and renegotiation are gone.",
        paragraphs: [
            "In TLS 1.2 the client learns the server's choices first and sends its key exchange second: two round trips before it may send data. A TLS 1.3 client guesses: it sends ephemeral public keys (key_share) in its very first message. The server picks one, answers with its own share, and both can compute the handshake keys at once. The server's whole flight (certificate, signature, Finished) arrives encrypted in the first round trip, and the client sends its Finished and its request together.",
            "If the guess is wrong, because the client sent no share for a group the server accepts, the server answers with HelloRetryRequest, which costs one more round trip (tls13-hrr).",
            "TLS 1.3 also removed what caused trouble: RSA key exchange (no forward secrecy), CBC and other non-AEAD ciphers, compression, renegotiation and custom Diffie-Hellman groups. Every full TLS 1.3 handshake has forward secrecy.",
            "On the wire TLS 1.3 looks like a TLS 1.2 resumption (legacy_version 0x0303, the real version in supported_versions) because middleboxes broke on the new version number.",
        ],
        scenarios: ["tls13", "tls13-hrr"], commands: ["tlslab compare tls12-ecdhe-rsa tls13", "tlslab lesson tls13"],
        rfc: "RFC 8446 §1.2, §2, §4.1.4", related: ["zero-rtt", "hello-retry", "round-trips"], aliases: ["tls-1.3", "one-rtt"],
        claims: [
            .roundTrips(scenario: "tls13", connection: 0, count: 1),
            .roundTrips(scenario: "tls13-hrr", connection: 0, count: 2),
        ])

    static let zeroRTT = Topic(
        id: "zero-rtt", title: "0-RTT resumption",
        question: "What is 0-RTT, and why is it risky?",
        summary: "A returning TLS 1.3 client sends its request in its first flight, under a key from its ticket: no waiting, but replayable.",
        paragraphs: [
            "After a first connection the server gives the client a ticket (NewSessionTicket). On its next visit the client resumes with that ticket as a pre-shared key and, if the ticket allows early data, sends its request right behind the ClientHello, encrypted with client_early_traffic_secret: zero round trips before the request leaves.",
            "The price: that key comes only from the ticket and the ClientHello; nothing fresh from the server goes into it. An attacker who recorded the first flight can send it again, and a server without anti-replay runs the request twice (lab-0rtt-replay-unprotected). Early data also has no forward secrecy against a stolen ticket key.",
            "So servers accept 0-RTT only for requests that are safe to repeat (a GET, not a payment), use single-use tickets or a ClientHello cache, and may answer 425 Too Early. A server can also decline early data; the client then sends it again after the handshake (tls13-0rtt-rejected).",
        ],
        scenarios: ["tls13-0rtt", "tls13-0rtt-rejected", "lab-0rtt-replay", "lab-0rtt-replay-unprotected"],
        rfc: "RFC 8446 §2.3, §4.2.10, §8; RFC 8470 §5.2", related: ["resumption", "tls13", "round-trips"],
        aliases: ["0-rtt", "0rtt"],
        claims: [
            .roundTrips(scenario: "tls13-0rtt", connection: 1, count: 0),
            .roundTrips(scenario: "tls13-0rtt-rejected", connection: 1, count: 1),
        ])

    static let sslVsTLS = Topic(
        id: "ssl-vs-tls", title: "SSL vs TLS",
        question: "What is the difference between SSL and TLS?",
        summary: "SSL is TLS's predecessor from 1995–96; every SSL version and TLS 1.0/1.1 are broken or deprecated. Use TLS 1.2 and 1.3.",
        paragraphs: [
            "SSL (Secure Sockets Layer) was Netscape's protocol: SSL 2.0 in 1995, SSL 3.0 in 1996. The IETF standardised its successor as TLS (Transport Layer Security): TLS 1.0 in 1999 (RFC 2246), 1.1 in 2006 (RFC 4346), 1.2 in 2008 (RFC 5246) and 1.3 in 2018 (RFC 8446).",
            "SSL 2.0 and 3.0 are prohibited (RFC 6176, RFC 7568; SSL 3.0 fell to the POODLE attack in 2014), and TLS 1.0 and 1.1 were deprecated in 2021 (RFC 8996). Servers and clients should offer only TLS 1.2 and TLS 1.3.",
            "The old name survives in everyday speech: 'SSL certificates' are the X.509 certificates TLS uses, and OpenSSL is a TLS library. On the wire the versions still count from SSL: 0x0300 is SSL 3.0, 0x0301 TLS 1.0, 0x0303 TLS 1.2, 0x0304 TLS 1.3.",
            "When the two sides share no version, the handshake fails with protocol_version (lab-version-mismatch-old-client).",
        ],
        scenarios: ["lab-version-mismatch-old-client", "lab-version-mismatch-old-server", "lab-downgrade"],
        rfc: "RFC 8996 §1; RFC 7568 §1; RFC 6176 §1; RFC 8446 §4.2.1", related: ["tls13", "handshake-failed"],
        aliases: ["ssl", "versions"])

    static let https = Topic(
        id: "https", title: "HTTPS and port 443",
        question: "What is HTTPS, and what does port 443 have to do with it?",
        summary: "HTTPS is HTTP inside a TLS connection, by default on TCP port 443; the certificate must name the host in the URL.",
        paragraphs: [
            "For https://www.example.com/ a browser looks up the address, opens a TCP connection to port 443 (the default for https, as 80 is for http), runs the TLS handshake and then sends ordinary HTTP requests inside encrypted records. The server sees the same HTTP as ever; the network sees only TLS records.",
            "The host name from the URL does two jobs in the handshake: the client sends it as SNI (server_name) so the server can pick the right certificate, and it checks that the certificate is valid for exactly that name (subjectAltName). A mismatch is an error, not a warning (lab-wrong-host).",
            "ALPN in the ClientHello picks HTTP/2 or HTTP/1.1 without an extra round trip; HTTP/3 runs over QUIC on UDP port 443 with the TLS 1.3 handshake built in. In TLSLab's scenarios the request is 'GET / HTTP/1.1', readable in the decrypted records.",
        ],
        scenarios: ["tls13", "lab-wrong-host"], rfc: "RFC 9110 §4.2.2, §4.3.4; RFC 6066 §3; RFC 7301 §3",
        related: ["where", "trust"], aliases: ["port-443", "443"])

    static let mutualTLS = Topic(
        id: "mutual-tls", title: "Two-way (mutual) authentication",
        question: "How does the client prove who it is, and what happens when it has no certificate?",
        summary: "The server sends CertificateRequest; the client answers with its certificate and a CertificateVerify signature, or with an empty Certificate.",
        paragraphs: [
            "Normally only the server proves its identity; the user logs in later with a password or a token. In mutual TLS the server also asks the client for a certificate: CertificateRequest, listing the signature algorithms and CAs it accepts. The client answers with its Certificate and a CertificateVerify (a signature over the handshake with its private key), and the server validates the client's chain against its own trust anchors. It is common between services, for VPNs, devices and banking APIs.",
            "A client without a suitable certificate sends an empty Certificate message, and the server decides. If client authentication is optional (client_auth: request) the handshake goes on unauthenticated; if it is required the server aborts: in TLS 1.2 with handshake_failure (lab-missing-client-cert-tls12), in TLS 1.3 with certificate_required (lab-missing-client-cert-tls13).",
            "In TLS 1.3 the client sends its certificate after the server's Finished, so the client may already believe it is connected and only see the failure at its first read.",
        ],
        scenarios: ["tls13-mtls", "tls12-mtls", "lab-missing-client-cert-tls12", "lab-missing-client-cert-tls13"],
        rfc: "RFC 8446 §4.3.2, §4.4.2.4; RFC 5246 §7.4.4, §7.4.6, §7.4.8", related: ["trust", "handshake-failed"],
        aliases: ["mtls", "mutual-authentication", "client-certificate", "two-way"],
        claims: [
            .messages(
                scenario: "tls13-mtls", connection: 0,
                names: ["ClientHello", "ServerHello", "EncryptedExtensions", "CertificateRequest", "Certificate", "CertificateVerify", "Finished", "Certificate", "CertificateVerify", "Finished"]),
            .messages(
                scenario: "tls12-mtls", connection: 0,
                names: ["ClientHello", "ServerHello", "Certificate", "ServerKeyExchange", "CertificateRequest", "ServerHelloDone", "Certificate", "ClientKeyExchange", "CertificateVerify", "Finished", "Finished"]),
        ])

    static let trust = Topic(
        id: "trust", title: "How a client decides to trust a certificate",
        question: "How does a client decide whether to trust a server's certificate?",
        summary: "A chain of valid signatures to a trusted root, valid dates, not revoked, the right host name and purpose, and proof that the server holds the key.",
        paragraphs: [
            "A certificate says 'this public key belongs to www.example.com', signed by a certificate authority (CA). The client accepts it only if every check passes:",
            "1. Chain: each certificate is signed by the next one, up to a root CA in the client's trust store (the operating system's or browser's list of about 150 roots). An unknown root or a missing intermediate gives unknown_ca (lab-untrusted-ca, lab-self-signed).",
            "2. Dates: the client's clock must be between notBefore and notAfter of every certificate, otherwise certificate_expired (lab-expired-certificate, lab-wrong-clock). Public certificates were valid for at most 398 days; the CA/Browser Forum cuts that to 200 days from March 2026 and 47 days by 2029.",
            "3. Revocation: the CA has not withdrawn it, checked with OCSP (often stapled by the server) or revocation lists; otherwise certificate_revoked.",
            "4. Name: the host the user asked for appears in subjectAltName; a wildcard covers one label (*.example.com matches www.example.com, not a.b.example.com). Otherwise bad_certificate (lab-wrong-host).",
            "5. Purpose: key usage and extended key usage allow serverAuth.",
            "Then possession: a certificate is public, so anyone can send it. The server proves it holds the matching private key by signing the handshake (CertificateVerify in TLS 1.3, ServerKeyExchange with TLS 1.2 ECDHE) or, with RSA key exchange, by decrypting the premaster secret, which Finished confirms.",
        ],
        scenarios: ["lab-untrusted-ca", "lab-self-signed", "lab-expired-certificate", "lab-wrong-clock", "lab-wrong-host", "tls13"],
        rfc: "RFC 5280 §6.1; RFC 9525 §6; RFC 6960 §2; RFC 8446 §4.4.2.4, §4.4.3", related: ["handshake-failed", "server-files"],
        aliases: ["certificates", "certificate-validation", "pki"])

    static let serverFiles = Topic(
        id: "server-files", title: "Which files a server needs",
        question: "What files does a TLS server need, and where do they come from?",
        summary: "A private key (secret), its certificate with the intermediates (public), and, to get the certificate, a CSR.",
        paragraphs: [
            "1. The private key (server.key): generated on the server and never sent anywhere. Whoever has it can impersonate the server and, with RSA key exchange, decrypt recorded sessions. Keep it readable only by the server process (file mode 600).",
            "2. A certificate signing request (server.csr, PKCS #10): the public key and the names wanted (www.example.com), signed with the private key to prove possession. You send it to a CA, which checks that you control those names, automatically with ACME (as Let's Encrypt does).",
            "3. The certificate (server.pem) the CA returns, plus the CA's intermediate certificate(s): the server sends both in its Certificate message. The root stays on the clients; forgetting the intermediate breaks the chain (unknown_ca).",
            "With OpenSSL: openssl req -new -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj \"/CN=www.example.com\" -addext \"subjectAltName=DNS:www.example.com\".",
            "TLSLab's demo PKI is in Scenarios/pki: ca.pem (the root the clients trust), server-rsa.pem with server-rsa.key, and the broken certificates of the failure lab. tlslab pki regenerates it.",
        ],
        scenarios: ["tls12-rsa", "lab-untrusted-ca"], commands: ["tlslab pki --out /tmp/pki"],
        rfc: "RFC 2986 §4; RFC 5280 §4.1; RFC 8555 §7.4", related: ["trust", "forward-secrecy"],
        aliases: ["files", "csr", "private-key", "certificate-files"])

    static let roundTrips = Topic(
        id: "round-trips", title: "How long a handshake takes",
        question: "How many round trips does a handshake take?",
        summary: "TLS 1.2: 2 round trips; TLS 1.3 and resumed TLS 1.2: 1; TLS 1.3 with 0-RTT: 0 — plus 1 for TCP.",
        paragraphs: [
            "Network time is counted in round trips (RTT): a message there and the answer back. Within a city an RTT is a few milliseconds, across an ocean 80–150 ms, on a mobile network often 50–100 ms. The computation (a key exchange, a signature) takes well under a millisecond up to a few, so round trips dominate.",
            "Before the client may send its request, TCP needs 1 RTT (SYN, SYN-ACK), then:",
            "• TLS 1.2 full handshake: 2 RTT (tls12-ecdhe-rsa, tls12-rsa);",
            "• TLS 1.2 resumed with a session ID or ticket: 1 RTT (tls12-resumption-ticket);",
            "• TLS 1.3: 1 RTT (tls13), 2 with a HelloRetryRequest (tls13-hrr);",
            "• TLS 1.3 with 0-RTT: the request leaves with the first flight (tls13-0rtt).",
            "At 100 ms RTT the first request leaves after 300 ms with TCP and TLS 1.2, after 200 ms with TCP and TLS 1.3. QUIC (HTTP/3) merges the transport and TLS handshakes: 1 RTT, or 0 with 0-RTT. tlslab compare counts the round trips of any two scenarios from their transcripts.",
        ],
        scenarios: ["tls12-ecdhe-rsa", "tls13", "tls12-resumption-ticket", "tls13-hrr", "tls13-0rtt"],
        commands: ["tlslab compare tls12-ecdhe-rsa tls13"], rfc: "RFC 8446 §2, §2.3; RFC 5246 §7.3; RFC 5077 §3.1",
        related: ["tls13", "zero-rtt", "resumption"], aliases: ["rtt", "latency", "how-long", "speed"],
        claims: [
            .roundTrips(scenario: "tls12-ecdhe-rsa", connection: 0, count: 2),
            .roundTrips(scenario: "tls12-rsa", connection: 0, count: 2),
            .roundTrips(scenario: "tls12-resumption-ticket", connection: 1, count: 1),
            .roundTrips(scenario: "tls12-resumption-session-id", connection: 1, count: 1),
            .roundTrips(scenario: "tls13", connection: 0, count: 1),
            .roundTrips(scenario: "tls13-hrr", connection: 0, count: 2),
            .roundTrips(scenario: "tls13-0rtt", connection: 1, count: 0),
        ])

    static let forwardSecrecy = Topic(
        id: "forward-secrecy", title: "Forward secrecy",
        question: "What is forward secrecy, and why does ECDHE have it while RSA key exchange does not?",
        summary: "If the server's private key leaks later, recorded RSA-key-exchange sessions can be decrypted; ECDHE sessions cannot.",
        paragraphs: [
            "With RSA key exchange the client encrypts the premaster secret to the server's long-term certificate key. An attacker who records the traffic today and obtains that key next year (a breach, a court order, a discarded disk) decrypts every recorded session (lab-forward-secrecy-rsa).",
            "With ECDHE both sides make throw-away key pairs for each connection; the secret comes from those, and the certificate key only signs. After the handshake the ephemeral private keys are erased, so there is nothing left to steal and the recording stays secret (lab-forward-secrecy-ecdhe). That property is forward secrecy, also called perfect forward secrecy.",
            "TLS 1.3 has no RSA key exchange, so every full TLS 1.3 handshake has it; the exceptions are 0-RTT data and psk_ke resumption, which depend on the ticket.",
        ],
        scenarios: ["lab-forward-secrecy-rsa", "lab-forward-secrecy-ecdhe", "tls12-rsa", "tls12-ecdhe-rsa"],
        commands: ["tlslab compare lab-forward-secrecy-rsa lab-forward-secrecy-ecdhe", "tlslab lesson ecdhe-forward-secrecy"],
        rfc: "RFC 8446 §1.2, §E.1; RFC 5246 §F.1.1.2", related: ["cipher-suite", "session-keys"],
        aliases: ["pfs", "perfect-forward-secrecy"])

    static let resumption = Topic(
        id: "resumption", title: "Session resumption",
        question: "How does a client come back without a full handshake?",
        summary: "TLS 1.2: a session ID or ticket and an abbreviated handshake. TLS 1.3: a ticket becomes a PSK, with or without a new key exchange.",
        paragraphs: [
            "A full handshake costs a certificate check and public-key operations. A returning client can skip them by proving it took part in an earlier session:",
            "• TLS 1.2 session ID: the server caches the master secret under an ID; the client sends the ID again, and both reuse the master secret with new randoms. The server sends ServerHello, ChangeCipherSpec and Finished first, then the client: 1 RTT (tls12-resumption-session-id).",
            "• TLS 1.2 session ticket: the server puts the session state, encrypted with its own ticket key, into a NewSessionTicket; the client sends it back, and the server needs no cache (tls12-resumption-ticket).",
            "• TLS 1.3: each NewSessionTicket stands for a PSK derived from resumption_master_secret. The client offers it in pre_shared_key with a binder; with psk_dhe_ke a fresh (EC)DHE exchange still happens (forward secrecy), with psk_ke it does not (tls13-resumption, tls13-resumption-psk-ke).",
            "No Certificate or CertificateVerify is sent when resuming: knowing the earlier session's secret stands for the authentication done then.",
        ],
        scenarios: ["tls13-resumption", "tls13-resumption-psk-ke", "tls12-resumption-session-id", "tls12-resumption-ticket"],
        rfc: "RFC 5246 §7.3; RFC 5077 §3.1; RFC 8446 §2.2, §4.6.1", related: ["zero-rtt", "round-trips"],
        aliases: ["session-resumption", "tickets"],
        claims: [
            .messages(scenario: "tls13-resumption", connection: 1, names: ["ClientHello", "ServerHello", "EncryptedExtensions", "Finished", "Finished"]),
            .messages(scenario: "tls12-resumption-session-id", connection: 1, names: ["ClientHello", "ServerHello", "Finished", "Finished"]),
            .roundTrips(scenario: "tls13-resumption", connection: 1, count: 1),
        ])

    static let helloRetry = Topic(
        id: "hello-retry", title: "HelloRetryRequest",
        question: "What happens when the client's key share is not accepted?",
        summary: "The server asks for a share in another group and the client tries again: one extra round trip.",
        paragraphs: [
            "A TLS 1.3 client must guess which group the server accepts and send key shares for it. If the server supports a group the client listed in supported_groups but sent no share for, it answers with HelloRetryRequest: a ServerHello with a special random, naming the group it wants (key_share) and perhaps adding a cookie.",
            "The client sends a second ClientHello, the same except for the new key share and the cookie. From then on the transcript hash starts with message_hash, the hash of the first ClientHello, so a server need not remember it. It costs a round trip, which is why clients send a share for the most common group (x25519) up front.",
            "If there is no common group at all, no retry can help: handshake_failure (lab-no-common-group).",
        ],
        scenarios: ["tls13-hrr", "lab-no-common-group"], rfc: "RFC 8446 §2.1, §4.1.4, §4.4.1", related: ["tls13", "round-trips"],
        aliases: ["hrr", "retry"],
        claims: [
            .messages(scenario: "tls13-hrr", connection: 0, names: ["ClientHello", "HelloRetryRequest", "ClientHello", "ServerHello"]),
            .roundTrips(scenario: "tls13-hrr", connection: 0, count: 2),
        ])

    static let keyUpdate = Topic(
        id: "key-update", title: "KeyUpdate",
        question: "Can TLS 1.3 change keys in the middle of a connection?",
        summary: "Yes: KeyUpdate moves one direction to the next generation of its traffic secret.",
        paragraphs: [
            "A key should not protect unlimited data: under TLS 1.3's limits an AES-GCM key may encrypt about 2^24.5 full-size records (some 24 million). A sender that has sent a lot, or just wants fresh keys, sends KeyUpdate and switches to application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, \"traffic upd\", \"\", Hash.length), then deletes the old keys.",
            "With update_requested the peer must update its sending keys too. No new key exchange happens; because secret N+1 is computed from secret N and not the other way round, someone who steals the current keys cannot decrypt records sent under the older ones.",
        ],
        scenarios: ["tls13-key-update"], rfc: "RFC 8446 §4.6.3, §7.2, §5.5", related: ["after-handshake", "tls13"],
        aliases: ["rekey", "key-updates"],
        claims: [
            .derivationLength(scenario: "tls13-key-update", name: "client_application_traffic_secret_1", bytes: 32),
            .derivationLength(scenario: "tls13-key-update", name: "server_application_traffic_secret_1", bytes: 32),
        ])

    static let afterHandshake = Topic(
        id: "after-handshake", title: "What happens after the handshake",
        question: "What happens after the handshake — how is the data protected?",
        summary: "Application data in records, each encrypted and authenticated with the sender's key and an implicit sequence number; close_notify at the end.",
        paragraphs: [
            "Once both Finished messages are checked, the application's bytes flow in application_data records of at most 16 KiB. Each record is encrypted and authenticated with its sender's write key (AEAD, or a cipher plus HMAC in TLS 1.2 CBC suites). Both sides count the records; the sequence number is never sent but goes into the nonce (TLS 1.3) or the MAC and AEAD input (TLS 1.2).",
            "So a record that is modified, replayed, dropped or reordered fails its check at the receiver, which aborts with bad_record_mac (lab-tampered-record).",
            "In TLS 1.3 the server may send NewSessionTicket messages after the handshake and either side may send KeyUpdate. The connection ends when each side sends close_notify, which tells the other that nothing was cut off.",
        ],
        scenarios: ["tls13", "lab-tampered-record", "tls13-key-update"], rfc: "RFC 8446 §5.2, §5.3, §6.1; RFC 5246 §6.2.3",
        related: ["key-update", "asymmetric-symmetric"], aliases: ["records", "after", "record-layer"])

    static let handshakeFailed = Topic(
        id: "handshake-failed", title: "Why handshakes fail",
        question: "My TLS handshake failed. Why, and how do I fix it?",
        summary: "Wrong clock, version mismatch, expired / untrusted / wrong-host certificate, no shared cipher, missing client certificate, interception: symptom, alert, fix and the lab scenario for each.",
        paragraphs: [
            "A handshake fails when one side finds something it cannot accept; it sends a fatal alert that names the problem and closes the connection. The alert is the best clue: the error in your browser, curl or server log usually contains its name ('sslv3 alert handshake failure', 'tlsv1 alert unknown ca'). Each cause below has a failure-lab scenario that fails exactly that way."
        ],
        scenarios: ["lab-wrong-clock", "lab-no-common-cipher", "lab-untrusted-ca"], rfc: "RFC 8446 §6.2; RFC 5246 §7.2.2",
        related: ["trust", "mutual-tls", "ssl-vs-tls"], aliases: ["troubleshooting", "failure", "failures", "failure-lab", "handshake-failures"])
}
