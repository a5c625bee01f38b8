/// Short meanings of decoded fields, keyed by `FieldNode.key`. One sentence each, for a first-year student.
/// (The teaching layer adds longer explanations and RFC sections on top of these.)
///
/// Every key the decoders in this module emit has an entry (a test decodes the whole test corpus and checks).
public enum FieldCatalog {
    public static func meaning(for key: String) -> String? { meanings[key] }

    public static let meanings: [String: String] = records.merging(handshake) { a, _ in a }
        .merging(extensions) { a, _ in a }

    // MARK: Records, alerts, change_cipher_spec (RFC 8446 §5, §6; RFC 5246 §7.1)

    static let records: [String: String] = [
        "record": "One TLS record: a 5-byte header followed by the bytes it carries.",
        "record.content_type": "What the record carries: handshake, alert, change_cipher_spec or application_data.",
        "record.legacy_version": "Record-layer version; frozen at TLS 1.2 (0x0303) for compatibility, except 0x0301 in a first ClientHello.",
        "record.length": "Number of bytes in the record's fragment (at most 2^14 for plaintext).",
        "record.fragment": "The record's payload: plaintext messages, or ciphertext once keys are installed.",
        "alert": "A short warning or error message that one side sends the other.",
        "alert.level": "How serious the alert is: warning (1) or fatal (2), which ends the connection.",
        "alert.description": "Which problem the alert reports, such as close_notify or handshake_failure.",
        "change_cipher_spec": "A one-byte message that says: from now on my records are encrypted (TLS 1.2).",
        "change_cipher_spec.type": "Always 1; the message carries no other information.",
    ]

    // MARK: Handshake messages (RFC 8446 §4, RFC 5246 §7.4, RFC 8422 §5, RFC 5077 §3.3)

    static let handshake: [String: String] = [
        // Header and message roots
        "handshake": "A handshake message: a 1-byte type, a 3-byte length and a body.",
        "handshake.msg_type": "Which handshake message follows, as a number (1 = ClientHello, 2 = ServerHello, ...).",
        "handshake.length": "Number of bytes in the message body that follows this 4-byte header.",
        "handshake.body": "The body of a message type that TLSLab shows as raw bytes.",
        "unknown_handshake": "A handshake message of a type TLSLab does not know.",
        "hello_request": "An old TLS 1.2 message in which the server asks the client to start a new handshake.",
        "certificate_status": "A TLS 1.2 message carrying the server certificate's revocation status (OCSP).",
        "client_hello": "The client's first message: what it supports and its key shares.",
        "server_hello": "The server's answer to ClientHello: the version and cipher suite it picked.",
        "hello_retry_request": "The server asks the client to send its ClientHello again, with a key share the server can use.",
        "encrypted_extensions": "TLS 1.3: the server's extensions that do not affect key exchange, sent encrypted.",
        "certificate": "The sender's certificate chain, which proves whose public key it is.",
        "server_key_exchange": "TLS 1.2: the server's ephemeral public key for ECDHE, signed with its certificate key.",
        "certificate_request": "The server asks the client to prove its identity with a certificate.",
        "server_hello_done": "TLS 1.2: the server has sent everything for this step and waits for the client.",
        "certificate_verify": "A signature over the handshake so far, proving the sender owns the certificate's private key.",
        "client_key_exchange": "TLS 1.2: the client's contribution to the shared secret.",
        "finished": "A MAC over the whole handshake, proving both sides saw the same messages and hold the same keys.",
        "new_session_ticket": "A ticket the client can present later to resume the session without a full handshake.",
        "end_of_early_data": "TLS 1.3: the client has finished sending 0-RTT early data.",
        "key_update": "TLS 1.3: the sender switches to fresh traffic keys.",
        "message_hash": "A stand-in for the first ClientHello in the transcript after a HelloRetryRequest: just its hash.",
        "message_hash.hash": "The hash of the first ClientHello, which replaces that message in the transcript.",

        // ClientHello
        "client_hello.legacy_version": "Highest version in the old format; TLS 1.3 clients put TLS 1.2 (0x0303) here and list real versions in supported_versions.",
        "client_hello.random": "32 random bytes from the client, mixed into every key so each handshake is unique.",
        "client_hello.legacy_session_id": "A TLS 1.2 session to resume, or 32 random bytes that make TLS 1.3 look like TLS 1.2 to middleboxes.",
        "client_hello.cipher_suites": "The cipher suites the client can use, most preferred first.",
        "client_hello.cipher_suite": "One cipher suite: the algorithms for encryption and hashing (and, in TLS 1.2, key exchange).",
        "client_hello.legacy_compression_methods": "Compression methods offered; today always just null (0), because compression leaked secrets.",
        "client_hello.compression_method": "One compression method; null (0) means no compression.",
        "client_hello.extensions": "Extra capabilities and parameters the client sends, each as type + length + data.",

        // ServerHello
        "server_hello.legacy_version": "Version in the old format; a TLS 1.3 server puts TLS 1.2 (0x0303) here and the real one in supported_versions.",
        "server_hello.random": "32 random bytes from the server, mixed into every key; the last 8 can signal a downgrade.",
        "server_hello.legacy_session_id_echo": "The client's session id sent back (TLS 1.3), or the id of the session being resumed or created (TLS 1.2).",
        "server_hello.cipher_suite": "The single cipher suite the server chose from the client's list.",
        "server_hello.legacy_compression_method": "The compression method chosen; always null (0).",
        "server_hello.extensions": "The server's answers to the client's extensions.",

        // HelloRetryRequest
        "hello_retry_request.legacy_version": "Always TLS 1.2 (0x0303); the real version is in supported_versions.",
        "hello_retry_request.random": "A fixed value (SHA-256 of \"HelloRetryRequest\") that marks this ServerHello as a retry request.",
        "hello_retry_request.legacy_session_id_echo": "The client's session id, sent back unchanged.",
        "hello_retry_request.cipher_suite": "The cipher suite the server will use once the client tries again.",
        "hello_retry_request.legacy_compression_method": "Always null (0).",
        "hello_retry_request.extensions": "What the server needs from the second ClientHello, such as a key share for another group.",

        // EncryptedExtensions
        "encrypted_extensions.extensions": "Server extensions that need no secrecy from the key exchange, such as ALPN or server_name.",

        // Certificate
        "certificate.certificate_request_context": "Echo of the CertificateRequest's context; empty in a server's certificate.",
        "certificate.certificate_list": "The certificates, the sender's own first, then the ones that vouch for it.",
        "certificate.certificate_entry": "One certificate with its per-certificate extensions (TLS 1.3).",
        "certificate.cert_data": "One X.509 certificate in DER encoding.",
        "certificate.extensions": "Extensions for this one certificate, such as an OCSP status.",

        // ServerKeyExchange
        "server_key_exchange.params": "The ephemeral key exchange parameters: which curve, and the server's public key on it.",
        "server_key_exchange.curve_type": "How the curve is given; only named_curve (3) is allowed.",
        "server_key_exchange.named_curve": "The elliptic curve (group) for this key exchange, such as x25519.",
        "server_key_exchange.public": "The server's ephemeral public key, made fresh for this handshake.",
        "server_key_exchange.algorithm": "The signature algorithm used to sign the parameters.",
        "server_key_exchange.signature": "The server's signature over both randoms and the parameters, made with its certificate key.",

        // CertificateRequest
        "certificate_request.certificate_types": "TLS 1.2: the kinds of client certificate key the server accepts.",
        "certificate_request.certificate_type": "One accepted certificate key type, such as rsa_sign or ecdsa_sign.",
        "certificate_request.supported_signature_algorithms": "TLS 1.2: signature algorithms the server accepts from the client.",
        "certificate_request.signature_algorithm": "One signature algorithm the server accepts.",
        "certificate_request.certificate_authorities": "Names of the certificate authorities the server trusts.",
        "certificate_request.distinguished_name": "One authority's name, DER-encoded.",
        "certificate_request.certificate_request_context": "TLS 1.3: an id the client echoes in its Certificate.",
        "certificate_request.extensions": "TLS 1.3: what the server accepts, such as signature_algorithms.",

        // CertificateVerify
        "certificate_verify.algorithm": "The signature algorithm used.",
        "certificate_verify.signature": "The signature over the transcript hash, made with the certificate's private key.",

        // ClientKeyExchange
        "client_key_exchange.ecdh_yc": "The client's ephemeral public key on the server's curve.",
        "client_key_exchange.encrypted_pre_master_secret": "48 secret bytes encrypted with the server's RSA public key; only the server can decrypt them.",

        // Finished
        "finished.verify_data": "The MAC value: an HMAC (TLS 1.3) or PRF output (TLS 1.2) over the transcript.",

        // NewSessionTicket
        "new_session_ticket.ticket_lifetime_hint": "TLS 1.2: how many seconds the client may keep the ticket (0 = not specified).",
        "new_session_ticket.ticket_lifetime": "How many seconds the ticket may be used, at most 7 days.",
        "new_session_ticket.ticket_age_add": "A random number the client adds to the ticket's age so observers cannot link connections.",
        "new_session_ticket.ticket_nonce": "A per-ticket value used to derive this ticket's resumption key.",
        "new_session_ticket.ticket": "The ticket itself: opaque bytes only the server can read.",
        "new_session_ticket.extensions": "Extensions for the ticket, such as early_data.",

        // KeyUpdate
        "key_update.request_update": "Whether the peer should update its own sending keys too.",
    ]

    // MARK: Extensions (RFC 8446 §4.2 and the RFCs of each extension)

    static let extensions: [String: String] = [
        "ext.extension_type": "The extension's type number, which says how to read its data.",
        "ext.extension_length": "Number of bytes of extension data that follow.",
        "ext.extension_data": "The extension's content, shown as raw bytes.",
        "ext.unknown": "An extension type TLSLab does not know; a peer ignores types it does not know.",
        "ext.grease": "A GREASE value: a reserved, meaningless type sent to check that peers ignore unknown extensions.",

        "ext.server_name": "Server Name Indication: the host name the client wants to reach.",
        "ext.server_name.server_name_list": "The list of names; in practice one host name.",
        "ext.server_name.name_type": "The kind of name; host_name (0) is the only one defined.",
        "ext.server_name.host_name": "The DNS host name, in ASCII.",

        "ext.status_request": "The client asks the server to include its certificate's OCSP revocation status.",
        "ext.signed_certificate_timestamp": "Certificate Transparency: proofs that the certificate was publicly logged.",
        "ext.compress_certificate": "Certificate compression algorithms the sender can decompress.",
        "ext.post_handshake_auth": "The client is willing to authenticate after the handshake if asked.",
        "ext.application_settings": "ALPS: application settings exchanged during the handshake (a draft extension).",
        "ext.encrypted_client_hello": "Encrypted Client Hello: the real ClientHello, encrypted so observers cannot see it.",

        "ext.supported_groups": "The key exchange groups (curves) the client supports, most preferred first.",
        "ext.supported_groups.named_group_list": "The groups, in order of preference.",
        "ext.supported_groups.named_group": "One group, such as x25519 or secp256r1.",

        "ext.ec_point_formats": "TLS 1.2: how elliptic-curve points may be encoded; only uncompressed is used today.",
        "ext.ec_point_formats.ec_point_format_list": "The accepted point formats.",
        "ext.ec_point_formats.ec_point_format": "One point format.",

        "ext.signature_algorithms": "The signature algorithms the sender accepts in signatures from the peer.",
        "ext.signature_algorithms.supported_signature_algorithms": "The algorithms, most preferred first.",
        "ext.signature_algorithms.signature_scheme": "One signature algorithm with its hash, such as rsa_pss_rsae_sha256.",

        "ext.signature_algorithms_cert": "The signature algorithms accepted inside certificates, if different from signature_algorithms.",
        "ext.signature_algorithms_cert.supported_signature_algorithms": "The algorithms, most preferred first.",
        "ext.signature_algorithms_cert.signature_scheme": "One signature algorithm with its hash.",

        "ext.alpn": "Application-Layer Protocol Negotiation: which protocol runs inside TLS, such as h2 or http/1.1.",
        "ext.alpn.protocol_name_list": "The protocols offered (client) or the one chosen (server).",
        "ext.alpn.protocol_name": "One protocol name, such as h2.",

        "ext.encrypt_then_mac": "TLS 1.2 CBC suites: compute the MAC over the ciphertext instead of the plaintext.",
        "ext.extended_master_secret": "TLS 1.2: derive the master secret from a hash of the whole handshake, tying it to this connection.",

        "ext.session_ticket": "TLS 1.2 session tickets: empty to ask for a ticket, or a ticket to resume with.",
        "ext.session_ticket.ticket": "A ticket from an earlier session, presented to resume it.",

        "ext.renegotiation_info": "Secure renegotiation: binds a renegotiation to the handshake before it.",
        "ext.renegotiation_info.renegotiated_connection": "The previous handshake's Finished data; empty on a first handshake.",

        "ext.supported_versions": "Which TLS versions the client offers, or which one the server picked.",
        "ext.supported_versions.versions": "The versions the client supports, most preferred first.",
        "ext.supported_versions.version": "One protocol version.",
        "ext.supported_versions.selected_version": "The version the server chose; this, not legacy_version, is the real one.",

        "ext.key_share": "TLS 1.3 key exchange: ephemeral public keys for one or more groups.",
        "ext.key_share.client_shares": "The client's public keys, one per group it guesses the server will accept.",
        "ext.key_share.client_share": "One key share: a group and a public key on it.",
        "ext.key_share.server_share": "The server's key share, in one of the client's groups.",
        "ext.key_share.group": "The group (curve) this public key belongs to.",
        "ext.key_share.key_exchange": "The ephemeral public key (x25519: 32 bytes; secp256r1: a 65-byte point).",
        "ext.key_share.selected_group": "The group the server wants a key share for in the second ClientHello.",

        "ext.psk_key_exchange_modes": "How a pre-shared key may be used: alone (psk_ke) or with a fresh (EC)DHE exchange (psk_dhe_ke).",
        "ext.psk_key_exchange_modes.ke_modes": "The modes the client accepts.",
        "ext.psk_key_exchange_modes.ke_mode": "One mode.",

        "ext.pre_shared_key": "Pre-shared keys (usually resumption tickets) the client offers, or the one the server picked.",
        "ext.pre_shared_key.identities": "The tickets (or external key names) the client offers.",
        "ext.pre_shared_key.psk_identity": "One offered key: its identity and obfuscated age.",
        "ext.pre_shared_key.identity": "The ticket or key name, exactly as the server issued it.",
        "ext.pre_shared_key.obfuscated_ticket_age": "The ticket's age in milliseconds plus ticket_age_add, so it reveals nothing.",
        "ext.pre_shared_key.binders": "One HMAC per identity, proving the client holds that key.",
        "ext.pre_shared_key.binder": "An HMAC over the ClientHello up to the binders, keyed from the pre-shared key.",
        "ext.pre_shared_key.selected_identity": "The index (from 0) of the identity the server accepted.",

        "ext.early_data": "0-RTT: the client sends (or the server accepts) application data before the handshake ends.",
        "ext.early_data.max_early_data_size": "In a ticket: how many bytes of 0-RTT data the client may send when resuming.",

        "ext.cookie": "A value the server asks the client to send back in its second ClientHello.",
        "ext.cookie.cookie": "The cookie bytes, to be echoed unchanged.",

        "ext.record_size_limit": "The largest record the sender is willing to receive.",
        "ext.record_size_limit.record_size_limit": "The limit in bytes of plaintext per record.",

        "ext.padding": "Zero bytes that make the ClientHello a certain size, to work around buggy servers.",
        "ext.padding.padding": "The padding itself: all zero bytes.",

        "ext.certificate_authorities": "Names of certificate authorities the sender trusts, to help pick a certificate.",
        "ext.certificate_authorities.authorities": "The list of authority names.",
        "ext.certificate_authorities.distinguished_name": "One authority's DER-encoded name.",
    ]
}
