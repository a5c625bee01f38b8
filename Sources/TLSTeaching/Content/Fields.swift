/// Longer explanations and RFC sections for the fields of the decoded trees, keyed by `FieldNode.key`. The short
/// line is `FieldCatalog.meaning` (TLSWire); the roots of messages, extensions, alerts and change_cipher_spec are
/// explained by their message / extension / content-type entries.
enum FieldContent {
    static let fields: [String: Entry] = [
        // MARK: Records (RFC 8446 §5.1, RFC 5246 §6.2.1)
        "record": Entry(
            "RFC 8446 §5.1; RFC 5246 §6.2.1",
            "Everything TLS sends travels in records: 5 header bytes (type, version, length) and then up to 16 KiB of content. One record can carry several handshake messages, and one large message can be split over several records.",
            topic: "after-handshake"),
        "record.content_type": Entry(
            "RFC 8446 §5.1; RFC 5246 §6.2.1",
            "One byte: 20 change_cipher_spec, 21 alert, 22 handshake, 23 application_data. In TLS 1.3 an encrypted record always says 23 here; the real type is hidden inside the encryption.",
            topic: "encrypted-handshake"),
        "record.legacy_version": Entry(
            "RFC 8446 §5.1; RFC 5246 §6.2.1",
            "Two bytes that used to carry the protocol version. TLS 1.3 keeps 0x0303 (TLS 1.2) here, or 0x0301 in a first ClientHello, because middleboxes rejected records with new values; receivers ignore it.",
            topic: "ssl-vs-tls"),
        "record.length": Entry(
            "RFC 8446 §5.1, §5.2; RFC 5246 §6.2.1",
            "Two bytes giving the size of what follows: at most 2^14 = 16384 bytes of plaintext, plus a little more for the MAC, padding and tag of an encrypted record. A longer record is a fatal record_overflow."),
        "record.fragment": Entry(
            "RFC 8446 §5.1, §5.2; RFC 5246 §6.2.3",
            "The record's content: plaintext messages before keys are installed, afterwards ciphertext plus an authentication tag (and, for TLS 1.2 CBC and GCM, an explicit IV or nonce part in front).",
            topic: "after-handshake"),
        "alert.level": Entry(
            "RFC 8446 §6; RFC 5246 §7.2",
            "1 = warning, 2 = fatal. A fatal alert closes the connection immediately. TLS 1.3 treats every alert except close_notify and user_canceled as fatal, whatever this byte says.",
            topic: "handshake-failed"),
        "alert.description": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "One byte naming the problem (0 close_notify, 20 bad_record_mac, 40 handshake_failure, 48 unknown_ca, …). Each code has an explanation of its own: `tlslab explain bad_record_mac`.",
            topic: "handshake-failed"),
        "change_cipher_spec.type": Entry(
            "RFC 5246 §7.1",
            "The only byte of a ChangeCipherSpec, always 1. The message means something by arriving, not by its content."),

        // MARK: Handshake header (RFC 8446 §4, RFC 5246 §7.4)
        "handshake": Entry(
            "RFC 8446 §4; RFC 5246 §7.4",
            "Every handshake message starts with a 4-byte header: 1 byte of type and 3 bytes of length. These exact bytes, header included, are what the transcript hash and the Finished MAC cover."),
        "handshake.msg_type": Entry(
            "RFC 8446 §4; RFC 5246 §7.4",
            "The type number: 1 ClientHello, 2 ServerHello, 4 NewSessionTicket, 8 EncryptedExtensions, 11 Certificate, 12 ServerKeyExchange, 13 CertificateRequest, 14 ServerHelloDone, 15 CertificateVerify, 16 ClientKeyExchange, 20 Finished, 24 KeyUpdate."),
        "handshake.length": Entry(
            "RFC 8446 §4; RFC 5246 §7.4",
            "Three bytes: the body's size, so messages can be up to 16 MiB; a message longer than a record is split across several records and put back together by the receiver."),
        "handshake.body": Entry(
            "RFC 8446 §4; RFC 5246 §7.4",
            "The bytes of a message type TLSLab does not decode field by field; they are still part of the transcript hash."),
        "unknown_handshake": Entry(
            "RFC 8446 §4; RFC 5246 §7.4",
            "A handshake message type TLSLab cannot decode. A real peer that receives a message it does not expect aborts with unexpected_message."),
        "message_hash.hash": Entry(
            "RFC 8446 §4.4.1",
            "Hash(ClientHello1): the hash of the first ClientHello, standing in for it in the transcript after a HelloRetryRequest, so both sides hash the same bytes whether or not the server kept the original.",
            scenario: "tls13-hrr"),

        // MARK: ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2)
        "client_hello.legacy_version": Entry(
            "RFC 8446 §4.1.2, §D; RFC 5246 §7.4.1.2",
            "In TLS 1.2 the highest version the client supports. A TLS 1.3 client writes 0x0303 (TLS 1.2) here and lists its real versions in supported_versions, because servers that did not know TLS 1.3 failed on a higher number here.",
            topic: "ssl-vs-tls"),
        "client_hello.random": Entry(
            "RFC 8446 §4.1.2; RFC 5246 §7.4.1.2",
            "32 bytes from a secure random generator, sent unencrypted. They go into every key derivation, so even two identical handshakes produce different keys, and old server messages replayed by an attacker do not fit a new handshake.",
            scenario: "tls12-rsa", topic: "session-keys"),
        "client_hello.legacy_session_id": Entry(
            "RFC 8446 §4.1.2, §D.4; RFC 5246 §7.4.1.2",
            "In TLS 1.2 the ID of a cached session the client wants to resume (empty for a fresh one). In TLS 1.3 it is empty or, in middlebox compatibility mode, 32 random bytes that make the handshake look like a TLS 1.2 resumption.",
            scenario: "tls12-resumption-session-id", topic: "resumption"),
        "client_hello.cipher_suites": Entry(
            "RFC 8446 §4.1.2; RFC 5246 §7.4.1.2",
            "The cipher suites the client accepts, two bytes each, most preferred first. The server picks one; if it shares none it aborts with handshake_failure.",
            scenario: "lab-no-common-cipher", topic: "cipher-suite"),
        "client_hello.cipher_suite": Entry(
            "RFC 8446 §B.4; RFC 5246 §A.5",
            "One suite: in TLS 1.2 it names the key exchange, the authentication, the bulk cipher and the MAC/PRF hash (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256); in TLS 1.3 only the AEAD cipher and the hash (TLS_AES_128_GCM_SHA256).",
            topic: "cipher-suite"),
        "client_hello.legacy_compression_methods": Entry(
            "RFC 8446 §4.1.2; RFC 5246 §7.4.1.2",
            "Compression methods the client accepts. Always just null (0) today: compressing secrets together with attacker-chosen text leaks them (the CRIME attack, 2012), and TLS 1.3 forbids anything else."),
        "client_hello.compression_method": Entry(
            "RFC 5246 §7.4.1.2; RFC 8446 §4.1.2",
            "One compression method; 0 (null) means none. TLS 1.3 requires exactly this one value."),
        "client_hello.extensions": Entry(
            "RFC 8446 §4.2; RFC 5246 §7.4.1.4",
            "Everything added to TLS after the basic ClientHello: each extension is a 2-byte type, a 2-byte length and its data. TLS 1.3 depends on them (supported_versions, key_share, signature_algorithms)."),

        // MARK: ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3)
        "server_hello.legacy_version": Entry(
            "RFC 8446 §4.1.3; RFC 5246 §7.4.1.3",
            "In TLS 1.2 the version the server chose. A TLS 1.3 server writes 0x0303 here and puts 0x0304 in supported_versions.",
            topic: "ssl-vs-tls"),
        "server_hello.random": Entry(
            "RFC 8446 §4.1.3; RFC 5246 §7.4.1.3",
            "32 random bytes from the server, mixed into every key like the client's. A TLS 1.3 server that ends up speaking TLS 1.2 ends them with 44 4F 57 4E 47 52 44 01 ('DOWNGRD' 01), so a TLS 1.3 client notices if an attacker removed TLS 1.3 from its offer.",
            scenario: "lab-downgrade", topic: "session-keys"),
        "server_hello.legacy_session_id_echo": Entry(
            "RFC 8446 §4.1.3; RFC 5246 §7.4.1.3",
            "TLS 1.3: the client's session ID, copied back. TLS 1.2: the ID of the session being resumed (the client's own) or of the new session the server will cache; empty if it caches nothing.",
            scenario: "tls12-resumption-session-id", topic: "resumption"),
        "server_hello.cipher_suite": Entry(
            "RFC 8446 §4.1.3; RFC 5246 §7.4.1.3",
            "The one suite the server chose from the client's list. From here on both sides know which algorithms protect the connection.",
            topic: "cipher-suite"),
        "server_hello.legacy_compression_method": Entry(
            "RFC 8446 §4.1.3; RFC 5246 §7.4.1.3",
            "The compression the server chose: always 0 (none)."),
        "server_hello.extensions": Entry(
            "RFC 8446 §4.1.3, §4.2; RFC 5246 §7.4.1.4",
            "The server's answers, only to extensions the client sent. In TLS 1.3 ServerHello keeps only what is needed to compute keys (supported_versions, key_share, pre_shared_key); everything else goes into the encrypted EncryptedExtensions."),

        // MARK: HelloRetryRequest (RFC 8446 §4.1.4)
        "hello_retry_request.legacy_version": Entry(
            "RFC 8446 §4.1.4",
            "Always 0x0303, as in every TLS 1.3 ServerHello.", scenario: "tls13-hrr"),
        "hello_retry_request.random": Entry(
            "RFC 8446 §4.1.3, §4.1.4",
            "Not random at all: CF 21 AD 74 … 33 9C, the SHA-256 of \"HelloRetryRequest\". A HelloRetryRequest is a ServerHello with this value, which is how the client tells the two apart.",
            scenario: "tls13-hrr", topic: "hello-retry"),
        "hello_retry_request.legacy_session_id_echo": Entry(
            "RFC 8446 §4.1.4",
            "The client's session ID, copied back as in a ServerHello.", scenario: "tls13-hrr"),
        "hello_retry_request.cipher_suite": Entry(
            "RFC 8446 §4.1.4",
            "The suite the server will use; the ServerHello after the second ClientHello must pick the same one.",
            scenario: "tls13-hrr"),
        "hello_retry_request.legacy_compression_method": Entry(
            "RFC 8446 §4.1.4", "Always 0 (none).", scenario: "tls13-hrr"),
        "hello_retry_request.extensions": Entry(
            "RFC 8446 §4.1.4",
            "What the server needs from the second ClientHello: supported_versions (TLS 1.3), key_share with the group it wants, and optionally a cookie to echo.",
            scenario: "tls13-hrr", topic: "hello-retry"),

        // MARK: EncryptedExtensions (RFC 8446 §4.3.1)
        "encrypted_extensions.extensions": Entry(
            "RFC 8446 §4.3.1",
            "The server's answers that are not needed to compute keys (server_name, ALPN, early_data, record_size_limit), sent encrypted so an eavesdropper cannot read them.",
            scenario: "tls13", topic: "encrypted-handshake"),

        // MARK: Certificate (RFC 8446 §4.4.2, RFC 5246 §7.4.2)
        "certificate.certificate_request_context": Entry(
            "RFC 8446 §4.4.2",
            "TLS 1.3: empty in the server's Certificate; in a client's Certificate it repeats the context of the CertificateRequest it answers, which matters when a server asks again after the handshake.",
            topic: "mutual-tls"),
        "certificate.certificate_list": Entry(
            "RFC 8446 §4.4.2; RFC 5246 §7.4.2",
            "The chain: the sender's own (leaf) certificate first, then each certificate that signed the one before. The root itself may be left out, because the receiver must already have it; a missing intermediate is a common cause of unknown_ca.",
            scenario: "lab-untrusted-ca", topic: "trust"),
        "certificate.certificate_entry": Entry(
            "RFC 8446 §4.4.2",
            "TLS 1.3: one certificate with its own extensions (for example a stapled OCSP response for that certificate)."),
        "certificate.cert_data": Entry(
            "RFC 8446 §4.4.2; RFC 5280 §4.1",
            "One X.509 certificate in DER: the subject's name and public key, the issuer's name, the validity period, extensions (subjectAltName, key usage) and the issuer's signature over all of it.",
            scenario: "tls12-rsa", topic: "trust"),
        "certificate.extensions": Entry(
            "RFC 8446 §4.4.2, §4.4.2.1",
            "TLS 1.3: extensions for this certificate only, such as status_request (a stapled OCSP response) or signed_certificate_timestamp."),

        // MARK: ServerKeyExchange (RFC 5246 §7.4.3, RFC 8422 §5.4)
        "server_key_exchange.params": Entry(
            "RFC 8422 §5.4",
            "ServerECDHParams: the curve and the server's ephemeral public key. These bytes, together with both randoms, are what the server signs.",
            scenario: "tls12-ecdhe-rsa", topic: "forward-secrecy"),
        "server_key_exchange.curve_type": Entry(
            "RFC 8422 §5.4",
            "3 = named_curve: the curve is given by its registered number. The old way of spelling out a curve's parameters is deprecated."),
        "server_key_exchange.named_curve": Entry(
            "RFC 8422 §5.4, §5.1.1",
            "The group of the ECDHE exchange (x25519, secp256r1), one the client listed in supported_groups.",
            scenario: "tls12-ecdhe-rsa-cbc"),
        "server_key_exchange.public": Entry(
            "RFC 8422 §5.4; RFC 7748 §6.1",
            "The server's ephemeral ECDH public key: 32 bytes for x25519, a 65-byte uncompressed point (04 ‖ x ‖ y) for secp256r1. Its private half never leaves the server and is thrown away after the handshake.",
            scenario: "lab-forward-secrecy-ecdhe", topic: "forward-secrecy"),
        "server_key_exchange.algorithm": Entry(
            "RFC 5246 §7.4.1.4.1, §7.4.3",
            "The signature algorithm and hash the server used (for example rsa_pkcs1_sha256), one the client listed in signature_algorithms."),
        "server_key_exchange.signature": Entry(
            "RFC 5246 §7.4.3; RFC 8422 §5.4",
            "The server's signature over client_random + server_random + params, made with its certificate's private key. It proves that the ephemeral key comes from the certificate's owner in this very handshake; without it a man in the middle could swap in his own key.",
            scenario: "tls12-ecdhe-rsa", topic: "trust"),

        // MARK: CertificateRequest (RFC 8446 §4.3.2, RFC 5246 §7.4.4)
        "certificate_request.certificate_types": Entry(
            "RFC 5246 §7.4.4",
            "TLS 1.2: which kinds of client key the server accepts (rsa_sign, ecdsa_sign, …).", topic: "mutual-tls"),
        "certificate_request.certificate_type": Entry(
            "RFC 5246 §7.4.4; RFC 8422 §5.5",
            "One accepted key type: 1 rsa_sign, 64 ecdsa_sign."),
        "certificate_request.supported_signature_algorithms": Entry(
            "RFC 5246 §7.4.4",
            "TLS 1.2: the signature algorithms the server accepts in the client's CertificateVerify and certificates.",
            topic: "mutual-tls"),
        "certificate_request.signature_algorithm": Entry(
            "RFC 5246 §7.4.1.4.1", "One accepted signature algorithm with its hash."),
        "certificate_request.certificate_authorities": Entry(
            "RFC 5246 §7.4.4; RFC 8446 §4.2.4",
            "The distinguished names of the CAs the server trusts for client certificates, so a client with several certificates can pick one that will be accepted; empty means 'any'.",
            topic: "mutual-tls"),
        "certificate_request.distinguished_name": Entry(
            "RFC 5246 §7.4.4; RFC 5280 §4.1.2.4",
            "One CA's name, DER-encoded (for example CN=TLSLab Demo Root CA, O=TLSLab Demo)."),
        "certificate_request.certificate_request_context": Entry(
            "RFC 8446 §4.3.2",
            "TLS 1.3: an identifier the client copies into its Certificate; empty during the handshake, unique when a server asks after the handshake."),
        "certificate_request.extensions": Entry(
            "RFC 8446 §4.3.2",
            "TLS 1.3: what the server accepts, in extensions: signature_algorithms (required), and optionally certificate_authorities and signature_algorithms_cert.",
            topic: "mutual-tls"),

        // MARK: CertificateVerify (RFC 8446 §4.4.3, RFC 5246 §7.4.8)
        "certificate_verify.algorithm": Entry(
            "RFC 8446 §4.4.3; RFC 5246 §7.4.8",
            "The signature scheme used, one the peer listed in signature_algorithms. TLS 1.3 allows RSA only with PSS padding here (rsa_pss_rsae_*), never PKCS#1 v1.5.",
            scenario: "tls13-ed25519-chacha"),
        "certificate_verify.signature": Entry(
            "RFC 8446 §4.4.3; RFC 5246 §7.4.8",
            "TLS 1.3 signs 64 spaces, a context string ('TLS 1.3, server CertificateVerify'), a zero byte and the transcript hash; TLS 1.2 signs the handshake messages themselves. The receiver verifies it with the public key from the certificate; a failure is decrypt_error.",
            scenario: "tls13", topic: "trust"),

        // MARK: ClientKeyExchange (RFC 5246 §7.4.7, RFC 8422 §5.7)
        "client_key_exchange.ecdh_yc": Entry(
            "RFC 8422 §5.7",
            "The client's ephemeral public key on the curve the server chose. With the server's public key from ServerKeyExchange, each side can now compute the same premaster secret.",
            scenario: "tls12-ecdhe-rsa", topic: "forward-secrecy"),
        "client_key_exchange.encrypted_pre_master_secret": Entry(
            "RFC 5246 §7.4.7.1",
            "The 48-byte premaster secret (2 version bytes + 46 random bytes) encrypted with the server's RSA public key (PKCS#1 v1.5), as long as the key: 256 bytes for RSA-2048. Whoever later obtains the server's private key can decrypt it from a recording — RSA key exchange has no forward secrecy.",
            scenario: "lab-forward-secrecy-rsa", topic: "forward-secrecy"),

        // MARK: Finished (RFC 8446 §4.4.4, RFC 5246 §7.4.9)
        "finished.verify_data": Entry(
            "RFC 8446 §4.4.4; RFC 5246 §7.4.9",
            "TLS 1.2: 12 bytes of PRF(master_secret, \"client finished\" or \"server finished\", hash of the handshake messages). TLS 1.3: HMAC(finished_key, transcript hash), as long as the hash (32 bytes for SHA-256). The receiver recomputes it; a mismatch is decrypt_error.",
            scenario: "lab-tampered-handshake", topic: "handshake"),

        // MARK: NewSessionTicket (RFC 8446 §4.6.1, RFC 5077 §3.3)
        "new_session_ticket.ticket_lifetime_hint": Entry(
            "RFC 5077 §3.3",
            "TLS 1.2: how many seconds the client may keep the ticket; 0 means the server did not say.",
            scenario: "tls12-resumption-ticket"),
        "new_session_ticket.ticket_lifetime": Entry(
            "RFC 8446 §4.6.1",
            "TLS 1.3: how long the ticket may be used, in seconds, at most 604800 (7 days); after that the client must do a full handshake.",
            scenario: "tls13-resumption"),
        "new_session_ticket.ticket_age_add": Entry(
            "RFC 8446 §4.6.1, §4.2.11.1",
            "A random 32-bit number the client adds to the ticket's age when it uses the ticket, so an observer cannot link the two connections by the age they carry.",
            scenario: "tls13-resumption"),
        "new_session_ticket.ticket_nonce": Entry(
            "RFC 8446 §4.6.1",
            "A value unique to this ticket: PSK = HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, Hash.length), so each ticket from the same connection stands for a different key.",
            scenario: "tls13-resumption", topic: "resumption"),
        "new_session_ticket.ticket": Entry(
            "RFC 8446 §4.6.1; RFC 5077 §3.3, §4",
            "Opaque to the client: in practice the session state (or the PSK) encrypted with a key only the server knows. The client sends it back as is to resume.",
            scenario: "tls13-resumption", topic: "resumption"),
        "new_session_ticket.extensions": Entry(
            "RFC 8446 §4.6.1",
            "Extensions for this ticket; early_data here (with max_early_data_size) allows 0-RTT when the ticket is used.",
            scenario: "tls13-0rtt", topic: "zero-rtt"),

        // MARK: KeyUpdate (RFC 8446 §4.6.3)
        "key_update.request_update": Entry(
            "RFC 8446 §4.6.3",
            "0 = update_not_requested, 1 = update_requested: with 1 the peer must answer with a KeyUpdate of its own, so both directions get new keys.",
            scenario: "tls13-key-update", topic: "key-update"),

        // MARK: Extension framing (RFC 8446 §4.2)
        "ext.extension_type": Entry(
            "RFC 8446 §4.2; RFC 5246 §7.4.1.4",
            "Two bytes telling the receiver how to read the data (0 server_name, 10 supported_groups, 43 supported_versions, 51 key_share, …). Unknown types are skipped, which is what lets TLS grow."),
        "ext.extension_length": Entry(
            "RFC 8446 §4.2; RFC 5246 §7.4.1.4",
            "Two bytes: how many bytes of data follow, so a receiver can skip an extension it does not know."),
        "ext.extension_data": Entry(
            "RFC 8446 §4.2",
            "The extension's content, shown as raw bytes when TLSLab does not decode that type."),

        // MARK: server_name (RFC 6066 §3)
        "ext.server_name.server_name_list": Entry(
            "RFC 6066 §3",
            "A list of names, in practice exactly one host name; a ServerHello or EncryptedExtensions answers with an empty server_name.",
            topic: "https"),
        "ext.server_name.name_type": Entry("RFC 6066 §3", "0 = host_name, the only type ever defined."),
        "ext.server_name.host_name": Entry(
            "RFC 6066 §3",
            "The DNS name from the URL, without a trailing dot; IP addresses are not allowed here. The client later checks that the certificate is valid for exactly this name.",
            scenario: "lab-wrong-host", topic: "trust"),

        // MARK: supported_groups (RFC 8446 §4.2.7)
        "ext.supported_groups.named_group_list": Entry(
            "RFC 8446 §4.2.7",
            "Two bytes per group, in the client's order of preference; the server chooses, usually by its own preference among these.",
            topic: "cipher-suite"),
        "ext.supported_groups.named_group": Entry(
            "RFC 8446 §4.2.7",
            "One group: 0x001d x25519, 0x0017 secp256r1 (P-256), 0x0018 secp384r1, 0x11ec X25519MLKEM768 (hybrid post-quantum)."),

        // MARK: ec_point_formats (RFC 8422 §5.1.2)
        "ext.ec_point_formats.ec_point_format_list": Entry(
            "RFC 8422 §5.1.2", "The formats the sender can parse; it must contain uncompressed (0)."),
        "ext.ec_point_formats.ec_point_format": Entry(
            "RFC 8422 §5.1.2", "One format; 0 = uncompressed (04 ‖ x ‖ y), the only one still allowed."),

        // MARK: signature_algorithms (RFC 8446 §4.2.3)
        "ext.signature_algorithms.supported_signature_algorithms": Entry(
            "RFC 8446 §4.2.3; RFC 5246 §7.4.1.4.1",
            "Two bytes per algorithm, most preferred first: the signer must use one of them."),
        "ext.signature_algorithms.signature_scheme": Entry(
            "RFC 8446 §4.2.3",
            "One scheme: padding and key type plus hash, such as rsa_pss_rsae_sha256 (0x0804), rsa_pkcs1_sha256 (0x0401), ecdsa_secp256r1_sha256 (0x0403), ed25519 (0x0807)."),
        "ext.signature_algorithms_cert.supported_signature_algorithms": Entry(
            "RFC 8446 §4.2.3", "The schemes accepted in certificate signatures, most preferred first."),
        "ext.signature_algorithms_cert.signature_scheme": Entry(
            "RFC 8446 §4.2.3", "One scheme accepted in certificate signatures."),

        // MARK: ALPN (RFC 7301 §3.1)
        "ext.alpn.protocol_name_list": Entry(
            "RFC 7301 §3.1",
            "From the client: the protocols it speaks, most preferred first. From the server: exactly one, the protocol that will run.",
            topic: "https"),
        "ext.alpn.protocol_name": Entry(
            "RFC 7301 §3.1", "One protocol identifier, such as h2 (HTTP/2), http/1.1 or acme-tls/1."),

        // MARK: session_ticket (RFC 5077 §3.2)
        "ext.session_ticket.ticket": Entry(
            "RFC 5077 §3.2",
            "A ticket the server issued earlier, sent back unchanged; if the server can decrypt it, the two resume that session with an abbreviated handshake.",
            scenario: "tls12-resumption-ticket", topic: "resumption"),

        // MARK: renegotiation_info (RFC 5746 §3.2)
        "ext.renegotiation_info.renegotiated_connection": Entry(
            "RFC 5746 §3.2",
            "Empty in a first handshake; in a renegotiation the previous Finished verify_data, which ties the new handshake to the old one."),

        // MARK: supported_versions (RFC 8446 §4.2.1)
        "ext.supported_versions.versions": Entry(
            "RFC 8446 §4.2.1",
            "The versions the client supports, most preferred first (0x0304 = TLS 1.3, 0x0303 = TLS 1.2). A server that finds none it accepts sends protocol_version.",
            scenario: "lab-version-mismatch-old-client", topic: "ssl-vs-tls"),
        "ext.supported_versions.version": Entry("RFC 8446 §4.2.1", "One version: 0x0304 TLS 1.3, 0x0303 TLS 1.2, 0x0302 TLS 1.1, 0x0301 TLS 1.0."),
        "ext.supported_versions.selected_version": Entry(
            "RFC 8446 §4.2.1",
            "The version the server chose; its presence in ServerHello is what makes the connection TLS 1.3, whatever legacy_version says.",
            scenario: "tls13", topic: "ssl-vs-tls"),

        // MARK: key_share (RFC 8446 §4.2.8)
        "ext.key_share.client_shares": Entry(
            "RFC 8446 §4.2.8",
            "The client's ephemeral public keys, at most one per group, most preferred first, each for a group listed in supported_groups. Sending one saves bytes; if it is for the wrong group the server asks again with a HelloRetryRequest.",
            scenario: "tls13-hrr", topic: "hello-retry"),
        "ext.key_share.client_share": Entry("RFC 8446 §4.2.8", "One KeyShareEntry: a group and a public key on it."),
        "ext.key_share.server_share": Entry(
            "RFC 8446 §4.2.8",
            "The server's ephemeral public key, in a group for which the client sent a share. Both sides can now compute the (EC)DHE shared secret.",
            scenario: "tls13", topic: "tls13"),
        "ext.key_share.group": Entry("RFC 8446 §4.2.8", "Which group the key belongs to (x25519, secp256r1)."),
        "ext.key_share.key_exchange": Entry(
            "RFC 8446 §4.2.8.2",
            "The public key itself: 32 bytes for x25519; for secp256r1 the uncompressed point 04 ‖ x ‖ y (65 bytes). Its private half stays in memory and is erased after the handshake.",
            topic: "forward-secrecy"),
        "ext.key_share.selected_group": Entry(
            "RFC 8446 §4.2.8, §4.1.4",
            "In a HelloRetryRequest: the group the server wants a share for, one the client listed in supported_groups but sent no share for.",
            scenario: "tls13-hrr", topic: "hello-retry"),

        // MARK: psk_key_exchange_modes (RFC 8446 §4.2.9)
        "ext.psk_key_exchange_modes.ke_modes": Entry(
            "RFC 8446 §4.2.9", "The modes the client accepts, one byte each.", topic: "resumption"),
        "ext.psk_key_exchange_modes.ke_mode": Entry(
            "RFC 8446 §4.2.9",
            "0 = psk_ke (PSK only, no forward secrecy), 1 = psk_dhe_ke (PSK plus a fresh (EC)DHE exchange).",
            scenario: "tls13-resumption-psk-ke"),

        // MARK: pre_shared_key (RFC 8446 §4.2.11)
        "ext.pre_shared_key.identities": Entry(
            "RFC 8446 §4.2.11", "The PSKs the client offers, usually one ticket.", scenario: "tls13-resumption",
            topic: "resumption"),
        "ext.pre_shared_key.psk_identity": Entry(
            "RFC 8446 §4.2.11", "One offered PSK: the identity and its obfuscated ticket age."),
        "ext.pre_shared_key.identity": Entry(
            "RFC 8446 §4.2.11",
            "The ticket from NewSessionTicket, byte for byte (or the name of an externally configured key).",
            scenario: "tls13-resumption"),
        "ext.pre_shared_key.obfuscated_ticket_age": Entry(
            "RFC 8446 §4.2.11, §4.2.11.1",
            "(ticket age in milliseconds + ticket_age_add) mod 2^32. The server subtracts ticket_age_add to check the ticket is fresh, which limits 0-RTT replay; an observer sees only a random-looking number.",
            topic: "zero-rtt"),
        "ext.pre_shared_key.binders": Entry(
            "RFC 8446 §4.2.11, §4.2.11.2", "One binder per offered identity, in the same order."),
        "ext.pre_shared_key.binder": Entry(
            "RFC 8446 §4.2.11.2",
            "HMAC(binder key, hash of the ClientHello up to this list): proves the client holds the PSK and ties it to this ClientHello. A wrong binder makes the server abort with decrypt_error.",
            scenario: "tls13-resumption", topic: "resumption"),
        "ext.pre_shared_key.selected_identity": Entry(
            "RFC 8446 §4.2.11",
            "In ServerHello: which offered identity (counting from 0) the server accepted. Its presence means the handshake is a resumption.",
            scenario: "tls13-resumption"),

        // MARK: early_data (RFC 8446 §4.2.10)
        "ext.early_data.max_early_data_size": Entry(
            "RFC 8446 §4.2.10, §4.6.1",
            "In a NewSessionTicket: how many bytes of 0-RTT data the client may send when it uses this ticket; without it the ticket allows no early data.",
            scenario: "tls13-0rtt", topic: "zero-rtt"),

        // MARK: cookie, record_size_limit, padding, certificate_authorities
        "ext.cookie.cookie": Entry(
            "RFC 8446 §4.2.2",
            "Bytes the client must return unchanged in its second ClientHello; only the server can read them.",
            scenario: "tls13-hrr", topic: "hello-retry"),
        "ext.record_size_limit.record_size_limit": Entry(
            "RFC 8449 §4", "Between 64 and 16385 (16384 bytes of content plus the TLS 1.3 inner content-type byte)."),
        "ext.padding.padding": Entry("RFC 7685 §3", "All zero bytes; the receiver ignores them."),
        "ext.certificate_authorities.authorities": Entry(
            "RFC 8446 §4.2.4", "The DER-encoded names of the trusted CAs.", topic: "trust"),
        "ext.certificate_authorities.distinguished_name": Entry(
            "RFC 8446 §4.2.4; RFC 5280 §4.1.2.4", "One CA's name, as it appears in its certificate's subject."),
    ]
}
