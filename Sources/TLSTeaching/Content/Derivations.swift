/// Every value TLSLab derives (`DerivationStep.name`), keyed by name. A name both versions use for different
/// computations has a TLS 1.3 variant keyed `name@1.3` (`master_secret@1.3`). Names with a generation or a group
/// (`client_application_traffic_secret_2`, `client_application_1_key`, `client_key_share_private_secp256r1`) are
/// mapped to their pattern by `DerivationNames.canonical`.
enum DerivationContent {
    static let derivations: [String: Entry] = [
        // MARK: Randoms and ephemeral keys
        "client_random": Entry(
            "RFC 5246 §7.4.1.2, §8.1; RFC 8446 §4.1.2",
            "32 random bytes the client picks and sends unencrypted in ClientHello. Mixed into the master secret and every key, they make each connection's keys different even if everything else repeats.",
            summary: "The client's 32 random bytes from ClientHello.random.", scenario: "tls12-rsa", topic: "session-keys"),
        "server_random": Entry(
            "RFC 5246 §7.4.1.3, §8.1; RFC 8446 §4.1.3",
            "32 random bytes the server picks and sends in ServerHello. Together with the client's random they make the keys unique to this connection, so the server cannot be tricked into reusing old keys.",
            summary: "The server's 32 random bytes from ServerHello.random.", scenario: "tls12-rsa", topic: "session-keys"),
        "client_key_share_private": Entry(
            "RFC 8446 §4.2.8, §7.4; RFC 8422 §5.7; RFC 7748 §6.1",
            "The client's ephemeral (EC)DH private key, fresh random for this handshake; its public half travels in key_share (TLS 1.3) or ClientKeyExchange (TLS 1.2). It is never sent and is erased after the handshake, which is what gives forward secrecy.",
            summary: "The client's ephemeral (EC)DH private key, never sent.", scenario: "tls13", topic: "forward-secrecy"),
        "server_key_share_private": Entry(
            "RFC 8446 §4.2.8, §7.4; RFC 8422 §5.4; RFC 7748 §6.1",
            "The server's ephemeral (EC)DH private key, fresh for this handshake; its public half travels in ServerHello.key_share (TLS 1.3) or ServerKeyExchange (TLS 1.2). It is not the certificate's key: that one only signs.",
            summary: "The server's ephemeral (EC)DH private key, never sent.", scenario: "tls12-ecdhe-rsa", topic: "forward-secrecy"),
        "shared_secret": Entry(
            "RFC 8446 §7.4; RFC 7748 §6.1",
            "The (EC)DHE result: each side combines its own private key with the other's public key and gets the same value, which an eavesdropper who saw only the two public keys cannot compute. In TLS 1.3 it feeds the Handshake Secret.",
            summary: "The (EC)DHE shared secret both sides compute.", scenario: "tls13", topic: "tls13"),

        // MARK: TLS 1.2 (RFC 5246 §8.1, §6.3)
        "premaster_secret": Entry(
            "RFC 5246 §8.1, §7.4.7.1; RFC 8422 §5.10",
            "The secret the TLS 1.2 key exchange produces. With RSA key exchange it is 48 bytes (the client's version, then 46 random bytes) that the client picks alone and sends encrypted; with ECDHE it is the x-coordinate of the shared point. Everything else is derived from it and the two randoms.",
            summary: "The secret the TLS 1.2 key exchange produces.", scenario: "tls12-rsa", topic: "session-keys"),
        "pkcs1_block": Entry(
            "RFC 8017 §7.2.1; RFC 5246 §7.4.7.1",
            "What RSA actually encrypts, as long as the key (256 bytes for RSA-2048): 00 02, at least 8 random non-zero padding bytes, 00, then the 48-byte premaster secret. The random padding makes every encryption of the same secret look different.",
            summary: "The PKCS#1 v1.5 padded block that carries the premaster secret.", scenario: "tls12-rsa", topic: "session-keys"),
        "encrypted_premaster_secret": Entry(
            "RFC 5246 §7.4.7.1; RFC 8017 §5.1.1",
            "pkcs1_block^e mod n with the server's public key: only the matching private key can undo it. It travels in ClientKeyExchange, so anyone who records it and later steals the server's key recovers the premaster secret and decrypts the whole session.",
            summary: "The premaster secret encrypted to the server's RSA key.", scenario: "lab-forward-secrecy-rsa", topic: "forward-secrecy"),
        "master_secret": Entry(
            "RFC 5246 §8.1; RFC 7627 §4",
            "48 bytes = PRF(premaster_secret, \"master secret\", client_random + server_random), or with extended master secret PRF(premaster_secret, \"extended master secret\", session_hash). Both sides compute it; the key block and the Finished values come from it, and resuming a session reuses it.",
            summary: "TLS 1.2: 48 bytes from the premaster secret and both randoms; the root of every key.", scenario: "tls12-rsa", topic: "session-keys"),
        "key_block": Entry(
            "RFC 5246 §6.3",
            "PRF(master_secret, \"key expansion\", server_random + client_random), as many bytes as the suite needs, cut in order into client_write_MAC_key, server_write_MAC_key, client_write_key, server_write_key, client_write_IV, server_write_IV.",
            summary: "The bytes that are cut into the six session keys.", scenario: "tls12-rsa", topic: "session-keys"),
        "client_write_mac_key": Entry(
            "RFC 5246 §6.3, §6.2.3.2",
            "The HMAC key for records the client sends (CBC suites only; AEAD suites need none). Separate keys per direction mean a record cannot be reflected back to its sender.",
            summary: "HMAC key for the client's records (TLS 1.2 CBC suites).", scenario: "tls12-rsa", topic: "session-keys"),
        "server_write_mac_key": Entry(
            "RFC 5246 §6.3, §6.2.3.2",
            "The HMAC key for records the server sends (CBC suites only).",
            summary: "HMAC key for the server's records (TLS 1.2 CBC suites).", scenario: "tls12-rsa", topic: "session-keys"),
        "client_write_key": Entry(
            "RFC 5246 §6.3",
            "The symmetric key (AES or ChaCha20) that encrypts everything the client sends after its ChangeCipherSpec; the server uses it to decrypt.",
            summary: "The key that encrypts the client's records (TLS 1.2).", scenario: "tls12-rsa", topic: "session-keys"),
        "server_write_key": Entry(
            "RFC 5246 §6.3",
            "The symmetric key that encrypts everything the server sends after its ChangeCipherSpec; the client uses it to decrypt.",
            summary: "The key that encrypts the server's records (TLS 1.2).", scenario: "tls12-rsa", topic: "session-keys"),
        "client_write_iv": Entry(
            "RFC 5246 §6.3; RFC 5288 §3; RFC 7905 §2",
            "For AES-GCM the 4-byte fixed part of the client's nonce (the other 8 bytes are sent in each record); for ChaCha20-Poly1305 a 12-byte IV combined with the record number; for CBC in TLS 1.2 derived but unused, since every record carries its own random IV.",
            summary: "The client's write IV (nonce material).", scenario: "tls12-rsa-gcm", topic: "session-keys"),
        "server_write_iv": Entry(
            "RFC 5246 §6.3; RFC 5288 §3; RFC 7905 §2",
            "The server's nonce material, used like client_write_iv for the records the server sends.",
            summary: "The server's write IV (nonce material).", scenario: "tls12-rsa-gcm", topic: "session-keys"),
        "client_verify_data": Entry(
            "RFC 5246 §7.4.9",
            "TLS 1.2: 12 bytes of PRF(master_secret, \"client finished\", Hash(handshake_messages)), sent in the client's Finished. The server computes the same from its own view of the handshake; any difference means tampering.",
            summary: "The value in the client's Finished message.", scenario: "tls12-rsa", topic: "handshake"),
        "server_verify_data": Entry(
            "RFC 5246 §7.4.9",
            "TLS 1.2: 12 bytes of PRF(master_secret, \"server finished\", Hash(handshake_messages)), sent in the server's Finished; it also proves the server could compute the master secret, which with RSA key exchange requires its private key.",
            summary: "The value in the server's Finished message.", scenario: "tls12-rsa", topic: "handshake"),

        // MARK: TLS 1.3 key schedule (RFC 8446 §7.1, §7.3)
        "master_secret@1.3": Entry(
            "RFC 8446 §7.1",
            "The third and last Extract stage of the TLS 1.3 key schedule: HKDF-Extract(Derive-Secret(Handshake Secret, \"derived\", \"\"), 0). The application traffic secrets, the exporter secret and the resumption secret come from it.",
            summary: "TLS 1.3: the Master Secret, root of the application traffic secrets.", scenario: "tls13", topic: "tls13"),
        "client_verify_data@1.3": Entry(
            "RFC 8446 §4.4.4",
            "TLS 1.3: HMAC(client_finished_key, Transcript-Hash(ClientHello … the client's last message before Finished)), sent in the client's Finished.",
            summary: "The value in the client's Finished message.", scenario: "tls13", topic: "handshake"),
        "server_verify_data@1.3": Entry(
            "RFC 8446 §4.4.4",
            "TLS 1.3: HMAC(server_finished_key, Transcript-Hash(ClientHello … CertificateVerify)), sent in the server's Finished; the client checks it before it trusts anything else the server says.",
            summary: "The value in the server's Finished message.", scenario: "tls13", topic: "handshake"),
        "psk": Entry(
            "RFC 8446 §4.6.1, §7.1",
            "The pre-shared key of a resumption: the client derives it from the earlier connection's resumption_master_secret and the ticket's nonce; the server recovers it from the ticket. It replaces the zeros that go into the Early Secret of a full handshake.",
            summary: "The pre-shared key this resumption uses.", scenario: "tls13-resumption", topic: "resumption"),
        "resumption_psk": Entry(
            "RFC 8446 §4.6.1",
            "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, Hash.length): the key a ticket stands for. Each ticket's nonce gives a different PSK.",
            summary: "The PSK a NewSessionTicket stands for.", scenario: "tls13-resumption", topic: "resumption"),
        "early_secret": Entry(
            "RFC 8446 §7.1",
            "HKDF-Extract(0, PSK), the first stage of the TLS 1.3 key schedule. Without a PSK the input is all zeros, so in every full handshake this is the same public constant; the secrecy comes in at the next stage.",
            summary: "TLS 1.3: the first stage of the key schedule, from the PSK (or zeros).", scenario: "tls13", topic: "tls13"),
        "binder_key": Entry(
            "RFC 8446 §7.1, §4.2.11.2",
            "Derive-Secret(Early Secret, \"res binder\", \"\") (\"ext binder\" for a configured PSK): the key behind the PSK binder, so a binder proves knowledge of the PSK without revealing it.",
            summary: "The key from which the PSK binder's HMAC key comes.", scenario: "tls13-resumption", topic: "resumption"),
        "binder_finished_key": Entry(
            "RFC 8446 §4.2.11.2, §4.4.4",
            "HKDF-Expand-Label(binder_key, \"finished\", \"\", Hash.length): the HMAC key of the binder, computed the way a Finished key is.",
            summary: "The HMAC key of the PSK binder.", scenario: "tls13-resumption", topic: "resumption"),
        "psk_binder": Entry(
            "RFC 8446 §4.2.11.2",
            "HMAC(binder_finished_key, Transcript-Hash(the ClientHello up to the binders)): proves the client holds the PSK and binds it to this ClientHello. The server recomputes it and aborts with decrypt_error if it differs.",
            summary: "The HMAC in pre_shared_key that proves the client holds the PSK.", scenario: "tls13-resumption", topic: "resumption"),
        "client_early_traffic_secret": Entry(
            "RFC 8446 §7.1, §2.3",
            "Derive-Secret(Early Secret, \"c e traffic\", ClientHello): protects 0-RTT early data. It depends only on the PSK and the ClientHello, nothing fresh from the server, so early data can be replayed and has no forward secrecy.",
            summary: "The secret that protects 0-RTT early data.", scenario: "tls13-0rtt", topic: "zero-rtt"),
        "client_early_key": Entry(
            "RFC 8446 §7.3",
            "HKDF-Expand-Label(client_early_traffic_secret, \"key\", \"\", key length): the AEAD key of the 0-RTT records.",
            summary: "The key that encrypts 0-RTT early data.", scenario: "tls13-0rtt", topic: "zero-rtt"),
        "client_early_iv": Entry(
            "RFC 8446 §7.3, §5.3",
            "HKDF-Expand-Label(client_early_traffic_secret, \"iv\", \"\", 12): XORed with the record number to make each 0-RTT record's nonce.",
            summary: "The IV of 0-RTT early data.", scenario: "tls13-0rtt", topic: "zero-rtt"),
        "early_exporter_master_secret": Entry(
            "RFC 8446 §7.1, §7.5",
            "Derive-Secret(Early Secret, \"e exp master\", ClientHello): lets an application export keying material already during 0-RTT.",
            summary: "Exporter secret for 0-RTT.", scenario: "tls13-0rtt", topic: "zero-rtt"),
        "derived_for_handshake": Entry(
            "RFC 8446 §7.1",
            "Derive-Secret(Early Secret, \"derived\", \"\"): the salt that carries the Early Secret into the next Extract stage, so a PSK (if any) still counts in every later key.",
            summary: "The salt from the Early Secret into the Handshake Secret.", scenario: "tls13", topic: "tls13"),
        "handshake_secret": Entry(
            "RFC 8446 §7.1",
            "HKDF-Extract(derived salt, (EC)DHE shared secret): mixes the fresh key exchange into the schedule; with psk_ke the (EC)DHE input is zeros. Both handshake traffic secrets come from it.",
            summary: "TLS 1.3: the Handshake Secret, from the (EC)DHE shared secret.", scenario: "tls13", topic: "tls13"),
        "client_handshake_traffic_secret": Entry(
            "RFC 8446 §7.1",
            "Derive-Secret(Handshake Secret, \"c hs traffic\", ClientHello…ServerHello): protects the client's encrypted handshake messages (its Certificate, CertificateVerify, Finished). The hash covers both hellos, so any change to them changes the key.",
            summary: "The secret that protects the client's handshake messages.", scenario: "tls13", topic: "encrypted-handshake"),
        "server_handshake_traffic_secret": Entry(
            "RFC 8446 §7.1",
            "Derive-Secret(Handshake Secret, \"s hs traffic\", ClientHello…ServerHello): protects the server's EncryptedExtensions, Certificate, CertificateVerify and Finished — why a TLS 1.3 certificate is invisible to eavesdroppers.",
            summary: "The secret that protects the server's handshake messages.", scenario: "tls13", topic: "encrypted-handshake"),
        "client_handshake_key": Entry(
            "RFC 8446 §7.3",
            "HKDF-Expand-Label(client_handshake_traffic_secret, \"key\", \"\", key length): the AEAD key for the client's handshake records.",
            summary: "The key that encrypts the client's handshake messages.", scenario: "tls13", topic: "encrypted-handshake"),
        "client_handshake_iv": Entry(
            "RFC 8446 §7.3, §5.3",
            "HKDF-Expand-Label(client_handshake_traffic_secret, \"iv\", \"\", 12): XORed with the 64-bit record number to form each record's nonce, so no nonce repeats under one key.",
            summary: "The IV for the client's handshake records.", scenario: "tls13", topic: "encrypted-handshake"),
        "server_handshake_key": Entry(
            "RFC 8446 §7.3",
            "HKDF-Expand-Label(server_handshake_traffic_secret, \"key\", \"\", key length): the AEAD key for the server's handshake records.",
            summary: "The key that encrypts the server's handshake messages.", scenario: "tls13", topic: "encrypted-handshake"),
        "server_handshake_iv": Entry(
            "RFC 8446 §7.3, §5.3",
            "HKDF-Expand-Label(server_handshake_traffic_secret, \"iv\", \"\", 12): XORed with the record number to form each nonce of the server's handshake records.",
            summary: "The IV for the server's handshake records.", scenario: "tls13", topic: "encrypted-handshake"),
        "client_finished_key": Entry(
            "RFC 8446 §4.4.4",
            "HKDF-Expand-Label(client_handshake_traffic_secret, \"finished\", \"\", Hash.length): the HMAC key of the client's Finished.",
            summary: "The HMAC key of the client's Finished.", scenario: "tls13", topic: "handshake"),
        "server_finished_key": Entry(
            "RFC 8446 §4.4.4",
            "HKDF-Expand-Label(server_handshake_traffic_secret, \"finished\", \"\", Hash.length): the HMAC key of the server's Finished.",
            summary: "The HMAC key of the server's Finished.", scenario: "tls13", topic: "handshake"),
        "derived_for_master": Entry(
            "RFC 8446 §7.1",
            "Derive-Secret(Handshake Secret, \"derived\", \"\"): the salt that carries the Handshake Secret into the Master Secret stage.",
            summary: "The salt from the Handshake Secret into the Master Secret.", scenario: "tls13", topic: "tls13"),
        "client_application_traffic_secret_0": Entry(
            "RFC 8446 §7.1",
            "Derive-Secret(Master Secret, \"c ap traffic\", ClientHello…server Finished): the first generation of the secret that protects the client's application data.",
            summary: "The secret that protects the client's application data.", scenario: "tls13", topic: "after-handshake"),
        "server_application_traffic_secret_0": Entry(
            "RFC 8446 §7.1",
            "Derive-Secret(Master Secret, \"s ap traffic\", ClientHello…server Finished): the first generation of the secret that protects the server's application data. The server can use it right after its Finished, before hearing from the client again.",
            summary: "The secret that protects the server's application data.", scenario: "tls13", topic: "after-handshake"),
        "client_application_traffic_secret_N": Entry(
            "RFC 8446 §7.2, §4.6.3",
            "After a client KeyUpdate: HKDF-Expand-Label(previous client application traffic secret, \"traffic upd\", \"\", Hash.length). The old secret and keys are deleted, so a key stolen later does not decrypt earlier records.",
            summary: "The next generation of the client's application traffic secret (KeyUpdate).", scenario: "tls13-key-update", topic: "key-update"),
        "server_application_traffic_secret_N": Entry(
            "RFC 8446 §7.2, §4.6.3",
            "After a server KeyUpdate: HKDF-Expand-Label(previous server application traffic secret, \"traffic upd\", \"\", Hash.length); the old one is deleted.",
            summary: "The next generation of the server's application traffic secret (KeyUpdate).", scenario: "tls13-key-update", topic: "key-update"),
        "client_application_key": Entry(
            "RFC 8446 §7.3",
            "HKDF-Expand-Label(client_application_traffic_secret, \"key\", \"\", key length): encrypts the client's application data.",
            summary: "The key that encrypts the client's application data.", scenario: "tls13", topic: "after-handshake"),
        "client_application_iv": Entry(
            "RFC 8446 §7.3, §5.3",
            "HKDF-Expand-Label(client_application_traffic_secret, \"iv\", \"\", 12): XORed with the record number to form each nonce.",
            summary: "The IV for the client's application data.", scenario: "tls13", topic: "after-handshake"),
        "server_application_key": Entry(
            "RFC 8446 §7.3",
            "HKDF-Expand-Label(server_application_traffic_secret, \"key\", \"\", key length): encrypts the server's application data (and its NewSessionTicket).",
            summary: "The key that encrypts the server's application data.", scenario: "tls13", topic: "after-handshake"),
        "server_application_iv": Entry(
            "RFC 8446 §7.3, §5.3",
            "HKDF-Expand-Label(server_application_traffic_secret, \"iv\", \"\", 12): XORed with the record number to form each nonce.",
            summary: "The IV for the server's application data.", scenario: "tls13", topic: "after-handshake"),
        "client_application_N_key": Entry(
            "RFC 8446 §7.2, §7.3",
            "The client's write key after a KeyUpdate, expanded from the new generation of its traffic secret; record numbers start again at 0.",
            summary: "The client's application key after KeyUpdate.", scenario: "tls13-key-update", topic: "key-update"),
        "client_application_N_iv": Entry(
            "RFC 8446 §7.2, §7.3",
            "The client's write IV after a KeyUpdate, expanded from the new generation of its traffic secret.",
            summary: "The client's application IV after KeyUpdate.", scenario: "tls13-key-update", topic: "key-update"),
        "server_application_N_key": Entry(
            "RFC 8446 §7.2, §7.3",
            "The server's write key after a KeyUpdate, expanded from the new generation of its traffic secret; record numbers start again at 0.",
            summary: "The server's application key after KeyUpdate.", scenario: "tls13-key-update", topic: "key-update"),
        "server_application_N_iv": Entry(
            "RFC 8446 §7.2, §7.3",
            "The server's write IV after a KeyUpdate, expanded from the new generation of its traffic secret.",
            summary: "The server's application IV after KeyUpdate.", scenario: "tls13-key-update", topic: "key-update"),
        "exporter_master_secret": Entry(
            "RFC 8446 §7.1, §7.5",
            "Derive-Secret(Master Secret, \"exp master\", ClientHello…server Finished): applications derive keys of their own from it (TLS exporters), for example to bind a login token to this very connection.",
            summary: "The secret behind TLS exporters.", scenario: "tls13", topic: "tls13"),
        "resumption_master_secret": Entry(
            "RFC 8446 §7.1, §4.6.1",
            "Derive-Secret(Master Secret, \"res master\", ClientHello…client Finished): every NewSessionTicket's PSK is derived from it, so a resumed connection is tied to this one.",
            summary: "The secret the resumption PSKs come from.", scenario: "tls13-resumption", topic: "resumption"),
    ]
}

/// Names with variable parts, mapped to the table's keys.
public enum DerivationNames {
    /// `client_application_traffic_secret_3` → `client_application_traffic_secret_N`, `server_application_2_iv` →
    /// `server_application_N_iv`, `client_key_share_private_secp256r1` → `client_key_share_private`; `_0` stays.
    public static func canonical(_ name: String) -> String {
        for side in ["client", "server"] {
            let secret = "\(side)_application_traffic_secret_"
            if name.hasPrefix(secret), let n = Int(name.dropFirst(secret.count)), n >= 1 { return secret + "N" }
            let keys = "\(side)_application_"
            if name.hasPrefix(keys) {
                let rest = name.dropFirst(keys.count).split(separator: "_")
                if rest.count == 2, let n = Int(rest[0]), n >= 1, rest[1] == "key" || rest[1] == "iv" {
                    return "\(keys)N_\(rest[1])"
                }
            }
            let share = "\(side)_key_share_private_"
            if name.hasPrefix(share) { return "\(side)_key_share_private" }
        }
        return name
    }
}
