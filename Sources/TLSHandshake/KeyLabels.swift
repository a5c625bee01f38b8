import Foundation
import TLSCrypto

extension RecordProtection {
    /// The record protection a `Connection` installed under `label` (`server_handshake_traffic keys`,
    /// `client_application_traffic keys (generation 1)`, TLS 1.2 `client_write keys`), rebuilt from the values the
    /// side derived (`server_handshake_key`/`_iv`, `client_application_1_key`/`_iv`,
    /// `client_write_mac_key`/`_key`/`_iv`), with sequence numbers from zero. Nil when a value is missing or has
    /// the wrong length for `suite`. Used by tools that re-protect records they changed with the sender's keys
    /// (the malformed-message tests' relay, the structured fuzz target).
    public static func rebuilt(
        label: String, keys: [String: [UInt8]], suite: CipherSuiteInfo, encryptThenMAC: Bool
    ) -> RecordProtection? {
        let words = label.split(separator: " ").map(String.init)
        guard let first = words.first else { return nil }
        if suite.version == .tls13 {
            var prefix = first.hasSuffix("_traffic") ? String(first.dropLast("_traffic".count)) : first
            if let g = words.firstIndex(of: "(generation"), g + 1 < words.count {
                prefix += "_" + words[g + 1].trimmingCharacters(in: CharacterSet(charactersIn: ")"))
            }
            guard let key = keys[prefix + "_key"], let iv = keys[prefix + "_iv"], key.count == suite.keyLength,
                iv.count == 12
            else { return nil }
            return RecordProtection(tls13: suite, key: key, iv: iv)
        }
        guard let key = keys[first + "_key"], key.count == suite.keyLength else { return nil }
        let macKey = keys[first + "_mac_key"] ?? []
        let iv = keys[first + "_iv"] ?? []
        guard macKey.count == suite.macKeyLength, iv.count == suite.ivLength else { return nil }
        return RecordProtection(
            tls12: suite, macKey: macKey, key: key, iv: iv, encryptThenMAC: encryptThenMAC && !suite.cipher.isAEAD)
    }
}
