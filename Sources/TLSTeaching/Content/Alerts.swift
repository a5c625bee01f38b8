/// Every alert in the IANA "TLS Alerts" registry (RFC 8446 §6, RFC 5246 §7.2 and the RFCs that added codes),
/// keyed by name: what it means and what causes it in practice. `121 ech_required` is included although TLSWire's
/// `AlertDescription` does not name it yet.
enum AlertContent {
    /// Code → name for registry entries that `AlertDescription.names` lacks.
    static let extraNames: [UInt8: String] = [121: "ech_required"]

    static let alerts: [String: Entry] = [
        "close_notify": Entry(
            "RFC 8446 §6.1; RFC 5246 §7.2.1",
            "The orderly end of a connection: 'I will send nothing more'. It lets the peer tell a complete response from one an attacker cut short (a truncation attack); it is the only alert that reports no error.",
            summary: "I have finished sending: the normal end of a connection.",
            inPractice: "Every successful TLSLab scenario ends with it in both directions. Many HTTPS clients and servers just close the TCP connection instead, which is safe only when the length of the data is known (Content-Length).",
            scenario: "tls13", topic: "after-handshake"),
        "unexpected_message": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A message arrived that is not allowed at this point of the protocol, such as application data before the handshake is finished or a second ServerHello.",
            summary: "A message arrived that was not allowed at this point.",
            inPractice: "Implementation bugs, a middlebox that injects or reorders records, or a client speaking TLS to a port that expects something else (or the reverse)."),
        "bad_record_mac": Entry(
            "RFC 8446 §6.2, §5.2; RFC 5246 §7.2.2",
            "A record's authentication tag (AEAD) or MAC did not verify: the record was changed in transit, or the two sides hold different keys. The receiver must abort, and must not say whether decryption or the check failed.",
            summary: "A record failed its integrity check: altered in transit, or the keys differ.",
            inPractice: "Faulty network hardware or NIC offloading, a middlebox that modifies traffic, an attacker flipping bits, or keys that differ because a handshake message was altered (with extended master secret or TLS 1.3).",
            scenario: "lab-tampered-record", topic: "handshake-failed"),
        "decryption_failed": Entry(
            "RFC 5246 §7.2.2",
            "TLS 1.0 only: 'this record could not be decrypted'. Reserved since TLS 1.1, because telling it apart from bad_record_mac helped padding-oracle attacks; it must never be sent.",
            summary: "Old TLS 1.0 alert for a record that could not be decrypted; must not be sent today.",
            inPractice: "Only from very old software; everything current sends bad_record_mac."),
        "record_overflow": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A record was longer than allowed: more than 2^14 bytes of plaintext, or ciphertext more than 2^14 + 256 bytes (TLS 1.3) or 2^14 + 2048 bytes (TLS 1.2).",
            summary: "A record was longer than the protocol allows.",
            inPractice: "A peer that ignores a negotiated record_size_limit or max_fragment_length, or a corrupted length field."),
        "decompression_failure": Entry(
            "RFC 5246 §7.2.2",
            "TLS 1.2 and earlier: compressed data could not be decompressed. TLS compression was abandoned after the CRIME attack (2012); TLS 1.3 has no such alert.",
            summary: "Compressed data could not be decompressed (TLS 1.2 and earlier).",
            inPractice: "Practically never seen: nobody negotiates compression any more."),
        "handshake_failure": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2, §7.4.6",
            "The sender cannot agree on security parameters with what the peer offered: no cipher suite, group or signature algorithm in common; in TLS 1.2 also a required client certificate that is missing.",
            summary: "No acceptable set of security parameters could be agreed.",
            inPractice: "A server that allows only modern suites and an old client (or the reverse), no common ECDHE group, or a client without a required certificate. OpenSSL prints 'sslv3 alert handshake failure'.",
            scenario: "lab-no-common-cipher", topic: "handshake-failed"),
        "no_certificate": Entry(
            "RFC 5246 §7.2.2",
            "SSL 3.0 only: the client had no certificate. TLS clients send an empty Certificate message instead, and this code is reserved.",
            summary: "SSL 3.0's 'I have no certificate'; reserved in TLS.",
            inPractice: "Not sent by any current TLS implementation."),
        "bad_certificate": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A certificate was corrupt, its signatures did not verify, or it was unacceptable for a reason no more specific alert covers.",
            summary: "A certificate was corrupt or unacceptable.",
            inPractice: "Many stacks, TLSLab included, use it for a certificate issued for another host name; OpenSSL 3 also sends it for a certificate that is not valid yet.",
            scenario: "lab-wrong-host", topic: "handshake-failed"),
        "unsupported_certificate": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A certificate of a type the receiver cannot use: an unsupported key type, or key usage that does not permit this purpose.",
            summary: "A certificate of a type the receiver cannot use.",
            inPractice: "A certificate whose extendedKeyUsage lacks serverAuth (or clientAuth for a client certificate), or an ECDSA certificate for a client that supports only RSA."),
        "certificate_revoked": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "The certificate was revoked by its issuer: it is on the CA's revocation list (CRL) or an OCSP response says so.",
            summary: "The certificate was revoked by its issuer.",
            inPractice: "A certificate withdrawn after its private key leaked or it was wrongly issued, seen when the client checks OCSP or CRLs or the server staples an OCSP response that says revoked.",
            topic: "trust"),
        "certificate_expired": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A certificate has expired or is not valid at the current time: the receiver compares notBefore and notAfter with its own clock.",
            summary: "A certificate has expired or is not yet valid.",
            inPractice: "A server certificate that nobody renewed, or a client whose clock is wrong (a dead battery, no NTP), which makes every site fail at once.",
            scenario: "lab-expired-certificate", topic: "handshake-failed"),
        "certificate_unknown": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "Some other problem with the certificate made it unacceptable; the least specific certificate alert.",
            summary: "The certificate was unacceptable for an unspecified reason.",
            inPractice: "Java and some other stacks send it for most certificate validation failures, including an untrusted issuer or a wrong host name."),
        "illegal_parameter": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A handshake field was out of range or inconsistent with other fields: a version or cipher suite the client never offered, a key share for a group it did not list, or a downgrade sentinel in ServerHello.random.",
            summary: "A handshake field was out of range or inconsistent.",
            inPractice: "Buggy implementations, middleboxes that rewrite handshakes, or a detected downgrade attack.",
            scenario: "lab-downgrade", topic: "handshake-failed"),
        "unknown_ca": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A valid certificate chain was received, but it does not lead to any trust anchor (root CA) the receiver trusts.",
            summary: "The certificate chain does not lead to a trusted CA.",
            inPractice: "A self-signed certificate, a private or corporate CA not installed on the client, a TLS-inspecting proxy, or a server that does not send its intermediate certificate.",
            scenario: "lab-untrusted-ca", topic: "handshake-failed"),
        "access_denied": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A valid certificate or PSK was received, but access control refused it: the peer is known, just not allowed.",
            summary: "The peer is authenticated but not allowed in.",
            inPractice: "A valid client certificate that is not on the server's allow list.",
            topic: "mutual-tls"),
        "decode_error": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A message could not be decoded: a length points past the end, a field is outside its allowed range, or the message is cut short.",
            summary: "A message was malformed and could not be decoded.",
            inPractice: "Implementation bugs, truncated or corrupted data, or talking TLS to something that is not a TLS server."),
        "decrypt_error": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "A cryptographic check of the handshake failed: a signature did not verify, a Finished MAC did not match, or a PSK binder was wrong.",
            summary: "A handshake signature, Finished MAC or PSK binder did not verify.",
            inPractice: "A handshake message changed in transit (so the Finished values differ), a signature made with the wrong key, or a client and server that disagree about a PSK.",
            scenario: "lab-tampered-handshake", topic: "handshake-failed"),
        "export_restriction": Entry(
            "RFC 5246 §7.2.2",
            "SSL 3.0 and TLS 1.0: a negotiation that broke the 1990s US export rules. Reserved since TLS 1.1; export-grade cryptography was later the root of the FREAK and Logjam attacks (2015).",
            summary: "Obsolete alert about export-grade cryptography; reserved.",
            inPractice: "Never sent by current software."),
        "protocol_version": Entry(
            "RFC 8446 §6.2, §4.2.1; RFC 5246 §7.2.2",
            "The peer offered only protocol versions the receiver recognises but will not use, for example a TLS 1.2-only client and a TLS 1.3-only server.",
            summary: "No protocol version in common.",
            inPractice: "An old client or device after the server disabled old versions (TLS 1.0/1.1, or 1.2), or an old server facing a client that requires TLS 1.3. OpenSSL prints 'tlsv1 alert protocol version' or 'unsupported protocol'.",
            scenario: "lab-version-mismatch-old-client", topic: "handshake-failed"),
        "insufficient_security": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "Like handshake_failure, but more specific: the server requires parameters stronger than anything the client supports.",
            summary: "The peer's best parameters are too weak for the sender.",
            inPractice: "A server that requires strong cipher suites or large Diffie-Hellman groups facing an old client; some stacks send it when no group is in common."),
        "internal_error": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.2.2",
            "The sender failed for a reason that has nothing to do with the peer or the protocol, such as running out of memory.",
            summary: "The sender hit an internal error.",
            inPractice: "A bug or a misconfiguration on the sending side, for example a certificate that does not match its private key or a failing crypto library."),
        "inappropriate_fallback": Entry(
            "RFC 7507 §2, §3; RFC 8446 §6.2",
            "A server that supports a higher version received TLS_FALLBACK_SCSV in a ClientHello offering a lower one: the client's retry with an older version was probably forced by an attacker.",
            summary: "The client fell back to an older version without a good reason.",
            inPractice: "From the time when browsers retried failed handshakes with older versions (the POODLE attack, 2014); current browsers no longer fall back."),
        "user_canceled": Entry(
            "RFC 8446 §6.1; RFC 5246 §7.2.2",
            "The handshake is abandoned for a reason that is not a protocol failure, for example the user closed a dialog; it is followed by close_notify.",
            summary: "The handshake was canceled by the user or application.",
            inPractice: "Rare; a user dismissing a certificate prompt."),
        "no_renegotiation": Entry(
            "RFC 5246 §7.2.2",
            "TLS 1.2: the answer to a request for renegotiation (a HelloRequest, or a ClientHello on an established connection) when the sender will not renegotiate. A warning; the peer decides whether to go on.",
            summary: "The sender refuses to renegotiate (TLS 1.2, warning).",
            inPractice: "Servers that disable client-initiated renegotiation, which was used for denial of service."),
        "missing_extension": Entry(
            "RFC 8446 §6.2",
            "TLS 1.3: a message lacks an extension that is mandatory here, such as supported_versions in a TLS 1.3 ServerHello or signature_algorithms when a certificate is to be used.",
            summary: "A required extension is missing (TLS 1.3).",
            inPractice: "Implementation bugs, or a middlebox that strips extensions."),
        "unsupported_extension": Entry(
            "RFC 8446 §6.2; RFC 5246 §7.4.1.4",
            "An extension appeared where it is not allowed, for example a ServerHello extension the client never offered.",
            summary: "An extension was sent where it is not allowed.",
            inPractice: "Buggy servers, or proxies that add extensions."),
        "certificate_unobtainable": Entry(
            "RFC 6066 §5",
            "For the client_certificate_url extension: the server could not fetch the client's certificate from the given URL. Not used in TLS 1.3 (reserved).",
            summary: "A certificate could not be fetched from its URL (reserved).",
            inPractice: "Practically never seen."),
        "unrecognized_name": Entry(
            "RFC 6066 §3; RFC 8446 §6.2",
            "The server has no site for the name the client sent in server_name (SNI).",
            summary: "The server does not serve the requested host name.",
            inPractice: "A DNS record pointing at the wrong server or a missing virtual host; many servers only warn and go on with a default certificate, which then fails the client's name check.",
            topic: "https"),
        "bad_certificate_status_response": Entry(
            "RFC 6066 §8; RFC 8446 §6.2",
            "The OCSP response the server stapled (status_request) was invalid or unacceptable.",
            summary: "The stapled OCSP response was invalid.",
            inPractice: "Stale or malformed stapled OCSP responses, often after the CA's OCSP service had an outage.",
            topic: "trust"),
        "bad_certificate_hash_value": Entry(
            "RFC 6066 §5",
            "For the client_certificate_url extension: a certificate fetched from a URL did not match the hash the client gave. Reserved in TLS 1.3.",
            summary: "A fetched certificate did not match its hash (reserved).",
            inPractice: "Practically never seen."),
        "unknown_psk_identity": Entry(
            "RFC 8446 §6.2; RFC 4279 §2",
            "The server knows none of the PSK identities the client offered, and a PSK is the only way to authenticate (a pure PSK setup). For ordinary ticket resumption a server instead just runs a full handshake.",
            summary: "No offered pre-shared key identity is known to the server.",
            inPractice: "IoT devices configured with a key name the server does not have."),
        "certificate_required": Entry(
            "RFC 8446 §6.2, §4.4.2.4",
            "TLS 1.3: the server requires a client certificate and the client sent none (an empty Certificate).",
            summary: "The server needs a client certificate and got none (TLS 1.3).",
            inPractice: "A client application without its certificate configured, or a browser user who picked none; the client usually notices only at its first read, after it thought the handshake was done.",
            scenario: "lab-missing-client-cert-tls13", topic: "mutual-tls"),
        "no_application_protocol": Entry(
            "RFC 7301 §3.2; RFC 8446 §6.2",
            "The client offered ALPN protocols and the server speaks none of them, for example a client that wants only h2 and a server that has only http/1.1.",
            summary: "No application protocol (ALPN) in common.",
            inPractice: "gRPC or HTTP/2-only clients behind a proxy that supports only HTTP/1.1."),
        "ech_required": Entry(
            "RFC 9849 §6.1.6",
            "Sent by a client that offered Encrypted Client Hello when the server did not use it: the client aborts and retries with the ECH configuration the server sent back.",
            summary: "The client needed Encrypted Client Hello and the server did not use it.",
            inPractice: "A client with stale ECH keys from DNS; it retries with the new configuration."),
    ]
}
