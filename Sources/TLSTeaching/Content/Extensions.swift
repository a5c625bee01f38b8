import TLSWire

/// Extensions (RFC 8446 §4.2 and the RFC of each), keyed by `ExtensionType.names`. The field tree names the root of
/// an extension `ext.<name>` (ALPN: `ext.alpn`); `fieldKey` maps one to the other.
enum ExtensionContent {
    /// `ExtensionType` name → the FieldNode key of the extension's root.
    static func fieldKey(forExtension name: String) -> String {
        name == "application_layer_protocol_negotiation" ? "ext.alpn" : "ext." + name
    }

    static let extensions: [String: Entry] = [
        "server_name": Entry(
            "RFC 6066 §3",
            "Server Name Indication (SNI): the host name the client wants (www.example.com), sent unencrypted so that a server hosting many sites can pick the right certificate. Because it is visible, anyone on the path can see which site you visit; Encrypted Client Hello hides it. A server that used the name answers with an empty server_name.",
            scenario: "lab-wrong-host", topic: "https"),
        "status_request": Entry(
            "RFC 6066 §8; RFC 8446 §4.4.2.1",
            "The client asks the server to staple a fresh OCSP response from its CA, proving that the certificate has not been revoked. The client then need not ask the CA itself, which is slow and would tell the CA which site it visits.",
            topic: "trust"),
        "supported_groups": Entry(
            "RFC 8446 §4.2.7; RFC 8422 §5.1.1",
            "The key-exchange groups the client can use (elliptic curves like x25519 and secp256r1, finite-field groups, or hybrid post-quantum groups), most preferred first. The server picks one for the (EC)DHE exchange; in TLS 1.2 this extension was called elliptic_curves.",
            scenario: "lab-no-common-group", topic: "cipher-suite"),
        "ec_point_formats": Entry(
            "RFC 8422 §5.1.2",
            "TLS 1.2 ECDHE: how the sender can read elliptic-curve points. Only 'uncompressed' is allowed today, and TLS 1.3 dropped the extension.",
            scenario: "tls12-ecdhe-rsa"),
        "signature_algorithms": Entry(
            "RFC 8446 §4.2.3; RFC 5246 §7.4.1.4.1",
            "The signature algorithms, each with its hash, that the sender can verify (rsa_pss_rsae_sha256, ecdsa_secp256r1_sha256, …). The peer must sign its CertificateVerify (TLS 1.3) or ServerKeyExchange (TLS 1.2) with one of them, and, unless signature_algorithms_cert is also sent, its certificates too.",
            scenario: "tls13-p256-ecdsa", topic: "trust"),
        "application_layer_protocol_negotiation": Entry(
            "RFC 7301 §3.1",
            "ALPN: which application protocol runs inside TLS (h2 for HTTP/2, http/1.1): the client lists what it speaks and the server picks one, without an extra round trip. TLSLab's scenarios do not use it.",
            topic: "https"),
        "signed_certificate_timestamp": Entry(
            "RFC 6962 §3.3",
            "Certificate Transparency: signed promises from public logs that the certificate was published, so a certificate wrongly issued for your domain cannot stay secret. Chrome and Safari require them for publicly trusted certificates.",
            topic: "trust"),
        "padding": Entry(
            "RFC 7685 §3",
            "Zero bytes that make the ClientHello bigger, because some old servers hung on ClientHellos between 256 and 511 bytes long. It carries no information."),
        "encrypt_then_mac": Entry(
            "RFC 7366 §2, §3",
            "TLS 1.2 CBC suites: encrypt first, then compute the MAC over the ciphertext, so the receiver checks the MAC before it decrypts anything. The default order (MAC, then encrypt) allowed padding-oracle attacks such as Lucky Thirteen; AEAD suites (GCM, ChaCha20-Poly1305) never need it.",
            scenario: "tls12-ecdhe-rsa-cbc", topic: "cipher-suite"),
        "extended_master_secret": Entry(
            "RFC 7627 §4, §5.1",
            "TLS 1.2: compute the master secret from the hash of the whole handshake (session_hash) instead of only the two randoms, so two connections with different handshakes can never end up with the same master secret. It stops the triple-handshake attack; TLS 1.3 works this way by design.",
            scenario: "tls12-rsa-gcm", topic: "session-keys"),
        "compress_certificate": Entry(
            "RFC 8879 §3",
            "The sender can decompress certificates compressed with zlib, brotli or zstd, which makes the TLS 1.3 Certificate message (often several kilobytes) much smaller."),
        "record_size_limit": Entry(
            "RFC 8449 §4",
            "The largest record, in plaintext bytes, the sender is willing to receive; small devices with little memory use it. Without it the limit is 2^14 = 16384 bytes.",
            topic: "after-handshake"),
        "session_ticket": Entry(
            "RFC 5077 §3.2",
            "TLS 1.2 session tickets: empty in a ClientHello it means 'I can keep a ticket'; with a ticket from an earlier visit it asks to resume; empty in a ServerHello it means 'I will send you one'. The ticket is the session state, encrypted with a key only the server has, so the server needs no session cache.",
            scenario: "tls12-resumption-ticket", topic: "resumption"),
        "pre_shared_key": Entry(
            "RFC 8446 §4.2.11",
            "TLS 1.3 resumption (or a key configured on both sides): the client offers ticket identities, each with a binder, an HMAC proving it holds that PSK; the server answers with the index of the one it accepts. It must be the last extension of the ClientHello, because the binder covers everything before it.",
            scenario: "tls13-resumption", topic: "resumption"),
        "early_data": Entry(
            "RFC 8446 §4.2.10",
            "0-RTT: in a ClientHello it announces early data sent right behind it; in EncryptedExtensions it says the server accepted that data; in a NewSessionTicket it carries max_early_data_size. Early data is sent before the server has said anything, so an attacker can replay it.",
            scenario: "tls13-0rtt", topic: "zero-rtt"),
        "supported_versions": Entry(
            "RFC 8446 §4.2.1",
            "The real version negotiation since TLS 1.3: the client lists the versions it supports and the server's selected_version (in ServerHello) is the one used. The old version fields stay at TLS 1.2 (0x0303), because many middleboxes broke on anything else.",
            scenario: "lab-version-mismatch-old-client", topic: "ssl-vs-tls"),
        "cookie": Entry(
            "RFC 8446 §4.2.2",
            "Sent by the server in a HelloRetryRequest; the client must copy it into its second ClientHello. It proves the client really receives packets at its address, and lets a server that keeps no state store the first ClientHello's hash in it.",
            scenario: "tls13-hrr", topic: "hello-retry"),
        "psk_key_exchange_modes": Entry(
            "RFC 8446 §4.2.9",
            "How the client accepts a PSK to be used: psk_dhe_ke (the PSK plus a fresh (EC)DHE exchange, so the resumed connection keeps forward secrecy) or psk_ke (the PSK alone: cheaper, but no forward secrecy). A client that offers a PSK must send it.",
            scenario: "tls13-resumption-psk-ke", topic: "resumption"),
        "certificate_authorities": Entry(
            "RFC 8446 §4.2.4",
            "The names of the CAs the sender trusts, so that the peer can choose a certificate that chains to one of them: a server can send it in CertificateRequest, a client in ClientHello.",
            topic: "mutual-tls"),
        "post_handshake_auth": Entry(
            "RFC 8446 §4.2.6, §4.6.2",
            "TLS 1.3: the client will answer a CertificateRequest sent after the handshake, so a server can ask for a client certificate only when the user opens a protected page.",
            topic: "mutual-tls"),
        "signature_algorithms_cert": Entry(
            "RFC 8446 §4.2.3",
            "The signature algorithms the sender accepts inside certificates, when that differs from what it accepts in handshake signatures (for example PKCS#1 v1.5 in certificates but only RSA-PSS in CertificateVerify).",
            topic: "trust"),
        "key_share": Entry(
            "RFC 8446 §4.2.8",
            "TLS 1.3: the client sends ephemeral public keys for one or more groups in its very first message, guessing what the server accepts, and the server answers with its own public key in one of those groups. From the two halves both compute the same (EC)DHE shared secret; in a HelloRetryRequest it names only the group the server wants.",
            scenario: "tls13", topic: "tls13"),
        "renegotiation_info": Entry(
            "RFC 5746 §3.2",
            "Secure renegotiation: a renegotiation must repeat the previous handshake's Finished values here, which closed a 2009 man-in-the-middle attack that spliced an attacker's data in front of a victim's. On a first handshake it is empty (or the client sends the TLS_EMPTY_RENEGOTIATION_INFO_SCSV cipher-suite value instead).",
            scenario: "tls12-rsa"),
        "application_settings": Entry(
            "draft-vvv-tls-alps",
            "ALPS, an experimental Chrome/BoringSSL extension that lets the server send application settings (such as HTTP/2 SETTINGS) during the handshake. It is an Internet-Draft, not a standard."),
        "encrypted_client_hello": Entry(
            "RFC 9849 §5",
            "Encrypted Client Hello: the real ClientHello, server name included, is encrypted to a public key the server publishes in DNS, inside an outer ClientHello that names only a cover name. Observers can no longer see which site on a shared server you visit.",
            topic: "https"),
    ]

    /// `ext.unknown` and `ext.grease`: not extension types of their own.
    static let special: [String: Entry] = [
        "ext.unknown": Entry(
            "RFC 8446 §4.2",
            "A peer must ignore extension types it does not recognise, so new extensions can be added without breaking old software; a server, however, must never send an extension the client did not offer."),
        "ext.grease": Entry(
            "RFC 8701 §2",
            "GREASE: browsers send reserved values such as 0x0a0a and 0x1a1a so that servers which choke on unknown values are found and fixed, which keeps TLS open to new extensions."),
    ]
}
