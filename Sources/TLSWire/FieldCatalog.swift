/// Short meanings of decoded fields, keyed by `FieldNode.key`. One sentence each, for a first-year student.
/// (The teaching layer adds longer explanations and RFC sections on top of these.)
public enum FieldCatalog {
    public static func meaning(for key: String) -> String? { meanings[key] }

    public static let meanings: [String: String] = [
        "record.content_type": "What the record carries: handshake, alert, change_cipher_spec or application_data.",
        "record.legacy_version": "Record-layer version; frozen at TLS 1.2 (0x0303) for compatibility, except 0x0301 in a first ClientHello.",
        "record.length": "Number of bytes in the record's fragment (at most 2^14 for plaintext).",
        "record.fragment": "The record's payload: plaintext messages, or ciphertext once keys are installed.",
    ]
}
