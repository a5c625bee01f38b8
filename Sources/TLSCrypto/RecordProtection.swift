import Crypto
import CryptoExtras
import Foundation
import TLSWire

/// What protecting or opening one record involved, for the transcript (nonce, additional data, MAC/tag, padding).
///
/// - `nonce`: the full AEAD nonce (GCM: salt ‖ explicit nonce; ChaCha20 and TLS 1.3: IV XOR padded sequence number).
/// - `additionalData`: the AEAD additional data; for CBC, the MAC's header `seq_num ‖ type ‖ version ‖ length`.
/// - `explicitIV`: the CBC record IV, or the 8-byte GCM explicit nonce (RFC 5288 §3).
/// - `mac`: the HMAC of a CBC record; `tag`: the 16-byte AEAD tag.
/// - `paddingLength`: CBC: the `padding_length` byte (padding bytes excluding that byte, RFC 5246 §6.2.3.2);
///   TLS 1.3: the number of zero bytes after the inner content type (RFC 8446 §5.4).
public struct ProtectionDetails: Codable, Sendable, Equatable {
    public var sequenceNumber: UInt64
    public var cipher: String
    public var nonce: [UInt8]?
    public var additionalData: [UInt8]?
    public var explicitIV: [UInt8]?
    public var mac: [UInt8]?
    public var tag: [UInt8]?
    public var paddingLength: Int?
    public init(
        sequenceNumber: UInt64, cipher: String, nonce: [UInt8]? = nil, additionalData: [UInt8]? = nil,
        explicitIV: [UInt8]? = nil, mac: [UInt8]? = nil, tag: [UInt8]? = nil, paddingLength: Int? = nil
    ) {
        self.sequenceNumber = sequenceNumber
        self.cipher = cipher
        self.nonce = nonce
        self.additionalData = additionalData
        self.explicitIV = explicitIV
        self.mac = mac
        self.tag = tag
        self.paddingLength = paddingLength
    }

    enum CodingKeys: String, CodingKey {
        case sequenceNumber, cipher, nonce, additionalData, explicitIV = "explicitIv", mac, tag, paddingLength
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sequenceNumber = try c.decode(UInt64.self, forKey: .sequenceNumber)
        cipher = try c.decode(String.self, forKey: .cipher)
        nonce = try c.decodeHexIfPresent(forKey: .nonce)
        additionalData = try c.decodeHexIfPresent(forKey: .additionalData)
        explicitIV = try c.decodeHexIfPresent(forKey: .explicitIV)
        mac = try c.decodeHexIfPresent(forKey: .mac)
        tag = try c.decodeHexIfPresent(forKey: .tag)
        paddingLength = try c.decodeIfPresent(Int.self, forKey: .paddingLength)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(sequenceNumber, forKey: .sequenceNumber)
        try c.encode(cipher, forKey: .cipher)
        try c.encodeHexIfPresent(nonce, forKey: .nonce)
        try c.encodeHexIfPresent(additionalData, forKey: .additionalData)
        try c.encodeHexIfPresent(explicitIV, forKey: .explicitIV)
        try c.encodeHexIfPresent(mac, forKey: .mac)
        try c.encodeHexIfPresent(tag, forKey: .tag)
        try c.encodeIfPresent(paddingLength, forKey: .paddingLength)
    }
}

/// One direction of record protection with its sequence number (RFC 5246 §6.2.3, RFC 7366, RFC 8446 §5.2–5.3,
/// RFC 7905). `seal` increments the sequence number; so does a successful `open` (a failed one does not: the
/// connection is over).
///
/// Modes:
/// - TLS 1.2 CBC, MAC-then-encrypt (RFC 5246 §6.2.3.2): `IV ‖ CBC(content ‖ MAC ‖ padding)`,
///   MAC = HMAC(mac_key, seq_num ‖ type ‖ version ‖ length ‖ content).
/// - TLS 1.2 CBC, encrypt-then-MAC (RFC 7366 §3): `IV ‖ CBC(content ‖ padding) ‖ MAC`,
///   MAC = HMAC(mac_key, seq_num ‖ type ‖ version ‖ length(IV ‖ ciphertext) ‖ IV ‖ ciphertext).
/// - TLS 1.2 AES-GCM (RFC 5288 §3): `explicit_nonce(8) ‖ ciphertext ‖ tag`, nonce = salt(4) ‖ explicit_nonce,
///   where the explicit nonce is the sequence number (as Go's crypto/tls and OpenSSL do);
///   AAD = seq_num ‖ type ‖ version ‖ plaintext length (RFC 5246 §6.2.3.3).
/// - TLS 1.2 ChaCha20-Poly1305 (RFC 7905 §2): `ciphertext ‖ tag`, nonce = IV XOR padded seq_num, same AAD.
/// - TLS 1.3 AEAD (RFC 8446 §5.2–5.3): TLSInnerPlaintext = content ‖ type ‖ zeros (none on send),
///   nonce = IV XOR padded seq_num, AAD = the record header `17 03 03 length`.
public struct RecordProtection: Sendable {
    public let suite: CipherSuiteInfo
    public private(set) var sequenceNumber: UInt64 = 0
    /// TLS 1.2 (`version == .tls12`) or TLS 1.3 record format.
    public let version: ProtocolVersion
    public let encryptThenMAC: Bool

    private let mode: Mode

    private enum Mode: Sendable {
        case cbc(macKey: KeyedHMAC, key: SymmetricKey)
        /// TLS 1.2 AES-GCM with its 4-byte salt.
        case gcm12(key: SymmetricKey, salt: [UInt8])
        /// TLS 1.2 ChaCha20-Poly1305 and every TLS 1.3 AEAD: nonce = iv XOR padded sequence number.
        case xorNonce(key: SymmetricKey, iv: [UInt8])
    }

    private static let tagLength = 16
    private static let blockSize = 16

    /// TLS 1.2 protection with keys from `TLS12KeySchedule.keyMaterial`. For AEAD suites `macKey` is ignored (pass
    /// `[]`); for CBC suites `iv` is ignored (records carry explicit IVs). A key of the wrong length is a programming
    /// error of the caller: it traps, with a message.
    public init(tls12 suite: CipherSuiteInfo, macKey: [UInt8], key: [UInt8], iv: [UInt8], encryptThenMAC: Bool) {
        precondition(key.count == suite.keyLength, "\(suite.suite): key must be \(suite.keyLength) bytes")
        self.suite = suite
        self.version = .tls12
        let symmetricKey = SymmetricKey(data: key)
        switch suite.cipher {
        case .aes128CBC, .aes256CBC:
            let macHash = suite.macHash ?? .sha256
            precondition(macKey.count == macHash.outputLength, "\(suite.suite): MAC key must be \(macHash.outputLength) bytes")
            self.encryptThenMAC = encryptThenMAC
            mode = .cbc(macKey: KeyedHMAC(hash: macHash, key: macKey), key: symmetricKey)
        case .aes128GCM, .aes256GCM:
            precondition(iv.count == 4, "\(suite.suite): the GCM salt must be 4 bytes")
            self.encryptThenMAC = false
            mode = .gcm12(key: symmetricKey, salt: iv)
        case .chacha20Poly1305:
            precondition(iv.count == 12, "\(suite.suite): the ChaCha20-Poly1305 IV must be 12 bytes")
            self.encryptThenMAC = false
            mode = .xorNonce(key: symmetricKey, iv: iv)
        }
        descriptionText = Self.describe(suite, cbc: !suite.cipher.isAEAD, encryptThenMAC: self.encryptThenMAC)
    }

    /// TLS 1.3 protection with a key and IV from `TLS13KeySchedule.trafficKeys`.
    public init(tls13 suite: CipherSuiteInfo, key: [UInt8], iv: [UInt8]) {
        precondition(key.count == suite.keyLength, "\(suite.suite): key must be \(suite.keyLength) bytes")
        precondition(iv.count == 12, "TLS 1.3 IVs are 12 bytes")
        precondition(suite.cipher.isAEAD, "TLS 1.3 suites are AEAD")
        self.suite = suite
        self.version = .tls13
        self.encryptThenMAC = false
        mode = .xorNonce(key: SymmetricKey(data: key), iv: iv)
        descriptionText = Self.describe(suite, cbc: false, encryptThenMAC: false)
    }

    /// Learner-facing name of what protects the records, e.g. `AES-128-CBC + HMAC-SHA1 (encrypt-then-MAC)`.
    public var cipherDescription: String { descriptionText }
    /// (Worked out once: every record's details carry it.)
    private let descriptionText: String

    private static func describe(_ suite: CipherSuiteInfo, cbc: Bool, encryptThenMAC: Bool) -> String {
        cbc
            ? suite.protectionName + (encryptThenMAC ? " (encrypt-then-MAC)" : " (MAC-then-encrypt)")
            : suite.cipher.rawValue
    }

    /// Protects one record. TLS 1.3: `contentType` goes inside (TLSInnerPlaintext) and the outer type is
    /// application_data. TLS 1.2 CBC needs `explicitIV` (16 bytes, from the caller's random source); GCM uses the
    /// sequence number as explicit nonce (`explicitIV` is ignored for AEAD suites).
    public mutating func seal(
        contentType: ContentType, plaintext: [UInt8], explicitIV: [UInt8]?
    ) throws -> (TLSRecord, ProtectionDetails) {
        guard plaintext.count <= TLSRecord.maxPlaintext else {
            throw RecordProtectionError(
                alert: .internalError,
                reason: "plaintext of \(plaintext.count) bytes exceeds 2^14 (RFC 8446 §5.1): fragment it first")
        }
        guard sequenceNumber < UInt64.max else {
            throw RecordProtectionError(
                alert: .internalError, reason: "sequence number would wrap (RFC 5246 §6.1, RFC 8446 §5.3): rekey first")
        }
        let seq = sequenceNumber
        let result: (TLSRecord, ProtectionDetails)
        switch mode {
        case .cbc(let macKey, let key):
            guard let iv = explicitIV, iv.count == Self.blockSize else {
                throw RecordProtectionError(
                    alert: .internalError, reason: "TLS 1.2 CBC records need a 16-byte explicit IV (RFC 5246 §6.2.3.2)")
            }
            result = try sealCBC(
                contentType: contentType, plaintext: plaintext, iv: iv, macKey: macKey, key: key, seq: seq)
        case .gcm12(let key, let salt):
            let explicitNonce = Self.seqBytes(seq)
            let nonce = salt + explicitNonce
            let aad = Self.tls12AAD(seq: seq, type: contentType, version: .tls12, length: plaintext.count)
            let (ciphertext, tag) = try Self.aeadSeal(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, plaintext: plaintext)
            let record = TLSRecord(contentType: contentType, legacyVersion: .tls12, fragment: explicitNonce + ciphertext + tag)
            result = (
                record,
                ProtectionDetails(
                    sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad,
                    explicitIV: explicitNonce, tag: tag)
            )
        case .xorNonce(let key, let iv):
            let nonce = Self.xorNonce(iv: iv, seq: seq)
            if version == .tls13 {
                // RFC 8446 §5.2: TLSInnerPlaintext = content ‖ ContentType ‖ zeros (TLSLab sends no padding).
                let inner = plaintext + [contentType.rawValue]
                let length = inner.count + Self.tagLength
                let aad = Self.tls13AAD(version: .tls12, length: length)
                let (ciphertext, tag) = try Self.aeadSeal(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, plaintext: inner)
                let record = TLSRecord(contentType: .applicationData, legacyVersion: .tls12, fragment: ciphertext + tag)
                result = (
                    record,
                    ProtectionDetails(
                        sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad, tag: tag,
                        paddingLength: 0)
                )
            } else {
                let aad = Self.tls12AAD(seq: seq, type: contentType, version: .tls12, length: plaintext.count)
                let (ciphertext, tag) = try Self.aeadSeal(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, plaintext: plaintext)
                let record = TLSRecord(contentType: contentType, legacyVersion: .tls12, fragment: ciphertext + tag)
                result = (
                    record,
                    ProtectionDetails(
                        sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad, tag: tag)
                )
            }
        }
        sequenceNumber += 1
        return result
    }

    /// TLS 1.3 only: seals a caller-built TLSInnerPlaintext (`content ‖ type ‖ zeros`, RFC 8446 §5.2) exactly as
    /// given, for record padding (RFC 8446 §5.4) and for scenarios that send malformed records (no content type,
    /// over-long content). Only the ciphertext limit is enforced: at most 2^14 + 240 bytes, so the protected
    /// fragment stays within 2^14 + 256.
    public mutating func seal(tls13InnerPlaintext inner: [UInt8]) throws -> (TLSRecord, ProtectionDetails) {
        guard version == .tls13, case .xorNonce(let key, let iv) = mode else {
            throw RecordProtectionError(alert: .internalError, reason: "TLSInnerPlaintext exists only in TLS 1.3")
        }
        guard inner.count + Self.tagLength <= TLSRecord.maxCiphertext13 else {
            throw RecordProtectionError(
                alert: .internalError, reason: "TLSInnerPlaintext of \(inner.count) bytes exceeds 2^14 + 240 (RFC 8446 §5.2)")
        }
        guard sequenceNumber < UInt64.max else {
            throw RecordProtectionError(alert: .internalError, reason: "sequence number would wrap (RFC 8446 §5.3): rekey first")
        }
        let seq = sequenceNumber
        let nonce = Self.xorNonce(iv: iv, seq: seq)
        let aad = Self.tls13AAD(version: .tls12, length: inner.count + Self.tagLength)
        let (ciphertext, tag) = try Self.aeadSeal(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, plaintext: inner)
        let padding = inner.reversed().prefix(while: { $0 == 0 }).count
        sequenceNumber += 1
        return (
            TLSRecord(contentType: .applicationData, legacyVersion: .tls12, fragment: ciphertext + tag),
            ProtectionDetails(
                sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad, tag: tag,
                paddingLength: padding)
        )
    }

    /// Opens one record: returns the real content type and plaintext, or throws (bad_record_mac for any MAC, tag or
    /// padding failure, and for a fragment too short to hold the IV/nonce, tag or MAC; record_overflow for an
    /// over-long ciphertext or plaintext; unexpected_message for an all-zero TLS 1.3 inner plaintext).
    public mutating func open(_ record: TLSRecord) throws -> (ContentType, [UInt8], ProtectionDetails) {
        let seq = sequenceNumber
        let fragment = record.fragment
        let limit = version == .tls13 ? TLSRecord.maxCiphertext13 : TLSRecord.maxCiphertext12
        guard fragment.count <= limit else {
            throw RecordProtectionError(
                alert: .recordOverflow,
                reason: "protected fragment of \(fragment.count) bytes exceeds \(limit) "
                    + (version == .tls13 ? "(2^14 + 256, RFC 8446 §5.2)" : "(2^14 + 2048, RFC 5246 §6.2.3)"))
        }
        let result: (ContentType, [UInt8], ProtectionDetails)
        switch mode {
        case .cbc(let macKey, let key):
            result = try openCBC(record, macKey: macKey, key: key, seq: seq)
        case .gcm12(let key, let salt):
            guard fragment.count >= 8 + Self.tagLength else {
                throw Self.badMAC("fragment of \(fragment.count) bytes is too short for an 8-byte explicit nonce and a 16-byte tag")
            }
            let explicitNonce = Array(fragment[0..<8])
            let ciphertext = Array(fragment[8..<(fragment.count - Self.tagLength)])
            let tag = Array(fragment.suffix(Self.tagLength))
            let nonce = salt + explicitNonce
            let aad = Self.tls12AAD(seq: seq, type: record.contentType, version: record.legacyVersion, length: ciphertext.count)
            let plaintext = try Self.aeadOpen(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag, seq: seq)
            try Self.checkPlaintextLength(plaintext.count)
            result = (
                record.contentType, plaintext,
                ProtectionDetails(
                    sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad,
                    explicitIV: explicitNonce, tag: tag)
            )
        case .xorNonce(let key, let iv):
            guard fragment.count >= Self.tagLength else {
                throw Self.badMAC("fragment of \(fragment.count) bytes is too short for a 16-byte tag")
            }
            let ciphertext = Array(fragment.dropLast(Self.tagLength))
            let tag = Array(fragment.suffix(Self.tagLength))
            let nonce = Self.xorNonce(iv: iv, seq: seq)
            if version == .tls13 {
                // RFC 8446 §5.2: the AAD is the record header as received, so a changed outer type or version fails
                // authentication like any other flipped bit.
                let aad = [record.contentType.rawValue] + Self.u16(record.legacyVersion.rawValue) + Self.u16(fragment.count)
                var inner: [UInt8]
                do {
                    inner = try Self.aeadOpen(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag, seq: seq)
                } catch let error as RecordProtectionError where record.contentType != .applicationData {
                    throw Self.badMAC(error.reason + "; the outer content type was \(record.contentType), "
                        + "but protected TLS 1.3 records are always application_data (RFC 8446 §5.2)")
                }
                // RFC 8446 §5.4: strip zero padding; the last non-zero byte is the real content type.
                var padding = 0
                while let last = inner.last, last == 0 {
                    inner.removeLast()
                    padding += 1
                }
                guard let typeByte = inner.popLast() else {
                    throw RecordProtectionError(
                        alert: .unexpectedMessage,
                        reason: "TLS 1.3 inner plaintext is all zeros: no content type (RFC 8446 §5.4)")
                }
                try Self.checkPlaintextLength(inner.count)
                result = (
                    ContentType(rawValue: typeByte), inner,
                    ProtectionDetails(
                        sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad, tag: tag,
                        paddingLength: padding)
                )
            } else {
                let aad = Self.tls12AAD(seq: seq, type: record.contentType, version: record.legacyVersion, length: ciphertext.count)
                let plaintext = try Self.aeadOpen(cipher: suite.cipher, key: key, nonce: nonce, aad: aad, ciphertext: ciphertext, tag: tag, seq: seq)
                try Self.checkPlaintextLength(plaintext.count)
                result = (
                    record.contentType, plaintext,
                    ProtectionDetails(
                        sequenceNumber: seq, cipher: cipherDescription, nonce: nonce, additionalData: aad, tag: tag)
                )
            }
        }
        sequenceNumber += 1
        return result
    }

    // MARK: CBC (RFC 5246 §6.2.3.2, RFC 7366)

    private func sealCBC(
        contentType: ContentType, plaintext: [UInt8], iv: [UInt8], macKey: KeyedHMAC,
        key: SymmetricKey, seq: UInt64
    ) throws -> (TLSRecord, ProtectionDetails) {
        if encryptThenMAC {
            let padded = plaintext + Self.cbcPadding(forLength: plaintext.count)
            let ciphertext = try Self.cbcEncrypt(padded, key: key, iv: iv)
            let header = Self.tls12AAD(seq: seq, type: contentType, version: .tls12, length: iv.count + ciphertext.count)
            let mac = macKey.mac([header, iv, ciphertext])
            let record = TLSRecord(contentType: contentType, legacyVersion: .tls12, fragment: iv + ciphertext + mac)
            return (
                record,
                ProtectionDetails(
                    sequenceNumber: seq, cipher: cipherDescription, additionalData: header, explicitIV: iv, mac: mac,
                    paddingLength: Int(padded.last ?? 0))
            )
        }
        let header = Self.tls12AAD(seq: seq, type: contentType, version: .tls12, length: plaintext.count)
        let mac = macKey.mac([header, plaintext])
        let padding = Self.cbcPadding(forLength: plaintext.count + mac.count)
        let ciphertext = try Self.cbcEncrypt(plaintext + mac + padding, key: key, iv: iv)
        let record = TLSRecord(contentType: contentType, legacyVersion: .tls12, fragment: iv + ciphertext)
        return (
            record,
            ProtectionDetails(
                sequenceNumber: seq, cipher: cipherDescription, additionalData: header, explicitIV: iv, mac: mac,
                paddingLength: padding.count - 1)
        )
    }

    private func openCBC(
        _ record: TLSRecord, macKey: KeyedHMAC, key: SymmetricKey, seq: UInt64
    ) throws -> (ContentType, [UInt8], ProtectionDetails) {
        let fragment = record.fragment
        let macHash = macKey.hash
        let macLength = macHash.outputLength
        let bs = Self.blockSize
        if encryptThenMAC {
            // RFC 7366 §3: IV ‖ ciphertext (≥ 1 block, whole blocks) ‖ MAC; the MAC is checked before decrypting.
            guard fragment.count >= bs + bs + macLength, (fragment.count - macLength) % bs == 0 else {
                throw Self.badMAC(
                    "fragment of \(fragment.count) bytes is not IV + whole \(bs)-byte blocks + \(macLength)-byte MAC")
            }
            let iv = Array(fragment[0..<bs])
            let ciphertext = Array(fragment[bs..<(fragment.count - macLength)])
            let mac = Array(fragment.suffix(macLength))
            let header = Self.tls12AAD(
                seq: seq, type: record.contentType, version: record.legacyVersion, length: iv.count + ciphertext.count)
            guard macKey.isValid(mac, for: [header, iv, ciphertext]) else {
                throw Self.badMAC("\(macHash.hmacName) over the ciphertext does not match (RFC 7366 §3, sequence number \(seq))")
            }
            let decrypted = try Self.cbcDecrypt(ciphertext, key: key, iv: iv)
            guard let padLength = Self.validPaddingLength(decrypted, reserved: 0) else {
                throw Self.badMAC("CBC padding is malformed (RFC 5246 §6.2.3.2)")
            }
            let content = Array(decrypted.prefix(decrypted.count - padLength - 1))
            try Self.checkPlaintextLength(content.count)
            return (
                record.contentType, content,
                ProtectionDetails(
                    sequenceNumber: seq, cipher: cipherDescription, additionalData: header, explicitIV: iv, mac: mac,
                    paddingLength: padLength)
            )
        }
        // RFC 5246 §6.2.3.2: IV ‖ CBC(content ‖ MAC ‖ padding ‖ padding_length); at least one block after the IV,
        // and room for the MAC plus the padding_length byte.
        let minimum = bs + ((macLength + 1 + bs - 1) / bs) * bs
        guard fragment.count >= minimum, fragment.count % bs == 0 else {
            throw Self.badMAC("fragment of \(fragment.count) bytes is not IV + whole \(bs)-byte blocks holding a \(macLength)-byte MAC")
        }
        let iv = Array(fragment[0..<bs])
        let decrypted = try Self.cbcDecrypt(Array(fragment[bs...]), key: key, iv: iv)
        // Check the padding, but compute the MAC either way (as if there were no padding) so a bad padding does not
        // answer faster than a bad MAC (RFC 5246 §6.2.3.2 implementation note; Lucky Thirteen).
        let padLength = Self.validPaddingLength(decrypted, reserved: macLength)
        let stripped = decrypted.count - (padLength.map { $0 + 1 } ?? 0)
        let content = Array(decrypted[0..<(stripped - macLength)])
        let mac = Array(decrypted[(stripped - macLength)..<stripped])
        let header = Self.tls12AAD(seq: seq, type: record.contentType, version: record.legacyVersion, length: content.count)
        let macValid = macKey.isValid(mac, for: [header, content])
        guard let padLength else { throw Self.badMAC("CBC padding is malformed (RFC 5246 §6.2.3.2)") }
        guard macValid else {
            throw Self.badMAC("\(macHash.hmacName) over the plaintext does not match (RFC 5246 §6.2.3.1, sequence number \(seq))")
        }
        try Self.checkPlaintextLength(content.count)
        return (
            record.contentType, content,
            ProtectionDetails(
                sequenceNumber: seq, cipher: cipherDescription, additionalData: header, explicitIV: iv, mac: mac,
                paddingLength: padLength)
        )
    }

    /// RFC 5246 §6.2.3.2: the fewest padding bytes (each equal to padding_length) that make `length + padding + 1`
    /// a whole number of blocks; returns padding ‖ padding_length.
    private static func cbcPadding(forLength length: Int) -> [UInt8] {
        let padLength = (blockSize - (length + 1) % blockSize) % blockSize
        return [UInt8](repeating: UInt8(padLength), count: padLength + 1)
    }

    /// The padding_length value if the padding is well formed (every padding byte equals padding_length, and
    /// `reserved` bytes remain before it), else nil.
    private static func validPaddingLength(_ decrypted: [UInt8], reserved: Int) -> Int? {
        guard let last = decrypted.last else { return nil }
        let padLength = Int(last)
        guard padLength + 1 + reserved <= decrypted.count else { return nil }
        var mismatch: UInt8 = 0
        for byte in decrypted.suffix(padLength + 1) { mismatch |= byte ^ last }
        return mismatch == 0 ? padLength : nil
    }

    private static func cbcEncrypt(_ data: [UInt8], key: SymmetricKey, iv: [UInt8]) throws -> [UInt8] {
        do {
            return Array(try AES._CBC.encrypt(data, using: key, iv: AES._CBC.IV(ivBytes: iv), noPadding: true))
        } catch {
            throw RecordProtectionError(alert: .internalError, reason: "AES-CBC encryption failed: \(error)")
        }
    }

    private static func cbcDecrypt(_ data: [UInt8], key: SymmetricKey, iv: [UInt8]) throws -> [UInt8] {
        do {
            return Array(try AES._CBC.decrypt(data, using: key, iv: AES._CBC.IV(ivBytes: iv), noPadding: true))
        } catch {
            throw badMAC("AES-CBC decryption failed: \(error)")
        }
    }

    // MARK: AEAD

    private static func aeadSeal(
        cipher: BulkCipher, key: SymmetricKey, nonce: [UInt8], aad: [UInt8], plaintext: [UInt8]
    ) throws -> (ciphertext: [UInt8], tag: [UInt8]) {
        do {
            switch cipher {
            case .aes128GCM, .aes256GCM:
                let box = try AES.GCM.seal(plaintext, using: key, nonce: AES.GCM.Nonce(data: nonce), authenticating: aad)
                return (Array(box.ciphertext), Array(box.tag))
            case .chacha20Poly1305:
                let box = try ChaChaPoly.seal(plaintext, using: key, nonce: ChaChaPoly.Nonce(data: nonce), authenticating: aad)
                return (Array(box.ciphertext), Array(box.tag))
            case .aes128CBC, .aes256CBC:
                throw RecordProtectionError(alert: .internalError, reason: "\(cipher.rawValue) is not an AEAD")
            }
        } catch let error as RecordProtectionError {
            throw error
        } catch {
            throw RecordProtectionError(alert: .internalError, reason: "\(cipher.rawValue) encryption failed: \(error)")
        }
    }

    /// Any failure here is `bad_record_mac` (RFC 5246 §6.2.3.3, RFC 8446 §5.2). swift-crypto on Linux reports a bad
    /// tag as `CryptoKitError.underlyingCoreCryptoError`, not `.authenticationFailure`, so every error is mapped.
    private static func aeadOpen(
        cipher: BulkCipher, key: SymmetricKey, nonce: [UInt8], aad: [UInt8], ciphertext: [UInt8], tag: [UInt8],
        seq: UInt64
    ) throws -> [UInt8] {
        do {
            switch cipher {
            case .aes128GCM, .aes256GCM:
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return Array(try AES.GCM.open(box, using: key, authenticating: aad))
            case .chacha20Poly1305:
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: nonce), ciphertext: ciphertext, tag: tag)
                return Array(try ChaChaPoly.open(box, using: key, authenticating: aad))
            case .aes128CBC, .aes256CBC:
                throw RecordProtectionError(alert: .internalError, reason: "\(cipher.rawValue) is not an AEAD")
            }
        } catch let error as RecordProtectionError {
            throw error
        } catch {
            throw badMAC("\(cipher.rawValue) authentication failed (tag, nonce or additional data differ; sequence number \(seq))")
        }
    }

    // MARK: Helpers

    private static func badMAC(_ reason: String) -> RecordProtectionError {
        RecordProtectionError(alert: .badRecordMAC, reason: reason)
    }

    private static func checkPlaintextLength(_ count: Int) throws {
        guard count <= TLSRecord.maxPlaintext else {
            throw RecordProtectionError(
                alert: .recordOverflow, reason: "decrypted plaintext of \(count) bytes exceeds 2^14 (RFC 8446 §5.4, RFC 5246 §6.2.1)")
        }
    }

    static func seqBytes(_ seq: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: seq >> (56 - 8 * $0)) } }

    static func u16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xff)] }

    /// RFC 5246 §6.2.3.1 / §6.2.3.3: seq_num ‖ type ‖ version ‖ length.
    static func tls12AAD(seq: UInt64, type: ContentType, version: ProtocolVersion, length: Int) -> [UInt8] {
        seqBytes(seq) + [type.rawValue] + u16(version.rawValue) + u16(length)
    }

    /// RFC 8446 §5.2: opaque_type ‖ legacy_record_version ‖ length.
    static func tls13AAD(version: ProtocolVersion, length: Int) -> [UInt8] {
        [ContentType.applicationData.rawValue] + u16(version.rawValue) + u16(length)
    }

    /// RFC 8446 §5.3 / RFC 7905 §2: the 64-bit sequence number, left-padded to the IV length, XORed with the IV.
    static func xorNonce(iv: [UInt8], seq: UInt64) -> [UInt8] {
        var nonce = iv
        let seqBytes = seqBytes(seq)
        let offset = iv.count - 8
        for i in 0..<8 { nonce[offset + i] ^= seqBytes[i] }
        return nonce
    }
}
