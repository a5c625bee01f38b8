import Crypto
import TLSWire

/// RFC 8446 §7.1: HKDF-Expand-Label, Derive-Secret and the key schedule as a chain of stages.
/// Step names follow the RFC: `early_secret`, `binder_key`, `client_early_traffic_secret`,
/// `early_exporter_master_secret`, `derived` (the salt for the next stage; named `derived_for_handshake` /
/// `derived_for_master`), `shared_secret` is an input, `handshake_secret`, `client_handshake_traffic_secret`,
/// `server_handshake_traffic_secret`, `master_secret`, `client_application_traffic_secret_0`,
/// `server_application_traffic_secret_0`, `exporter_master_secret`, `resumption_master_secret`.
///
/// Each HKDF-Expand-Label step records the label as text (`tls13 c hs traffic`) and, as `labelBytes`, the whole
/// encoded HkdfLabel that HKDF-Expand receives as `info`; its inputs are the secret and (for Derive-Secret) the
/// `transcript_hash` the caller passed. HKDF-Extract steps record `salt` and `ikm`-like inputs by name.
/// HKDF (RFC 5869) is `HKDFKey`, over swift-crypto's HMAC.
public enum TLS13KeySchedule {
    /// HkdfLabel encoding (RFC 8446 §7.1), the `info` HKDF-Expand gets:
    ///
    ///     struct { uint16 length = Length; opaque label<7..255> = "tls13 " + Label; opaque context<0..255> = Context; } HkdfLabel;
    ///
    /// Labels and contexts are TLSLab's own (at most 249 and 255 bytes, as the RFC requires), never peer input.
    public static func hkdfLabel(label: String, context: [UInt8], length: Int) -> [UInt8] {
        hkdfLabel(fullLabel: Array(("tls13 " + label).utf8), context: context, length: length)
    }

    /// `fullLabel`: "tls13 " + Label, as bytes.
    static func hkdfLabel(fullLabel: [UInt8], context: [UInt8], length: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(4 + fullLabel.count + context.count)
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(UInt8(truncatingIfNeeded: fullLabel.count))
        out.append(contentsOf: fullLabel)
        out.append(UInt8(truncatingIfNeeded: context.count))
        out.append(contentsOf: context)
        return out
    }

    /// HKDF-Expand-Label(Secret, Label, Context, Length) = HKDF-Expand(Secret, HkdfLabel, Length).
    /// `length` must be at most 255 × Hash.length (RFC 5869 §2.3); TLS never asks for more than Hash.length.
    public static func hkdfExpandLabel(
        hash: HashAlgorithm, secret: [UInt8], label: String, context: [UInt8], length: Int
    ) -> [UInt8] {
        HKDFKey(hash: hash, prk: secret).expand(info: hkdfLabel(label: label, context: context, length: length), length: length)
    }

    /// HKDF-Extract(salt, IKM) (RFC 5869 §2.2). An empty salt is the same as Hash.length zeros (HMAC zero-pads keys).
    public static func hkdfExtract(hash: HashAlgorithm, salt: [UInt8], ikm: [UInt8]) -> [UInt8] {
        HKDFKey.extract(hash: hash, salt: salt, ikm: ikm)
    }

    // MARK: Logged building blocks

    /// The texts of a step that depend only on TLSLab's own names and labels (never on secrets or peers), built
    /// once per combination: a handshake logs some twenty steps on each side, and building their strings anew
    /// each time cost more than the HMACs.
    struct LabelTexts: Sendable {
        let fullLabel: String
        let fullLabelBytes: [UInt8]
        let note: String
    }
    struct LabelKey: Hashable, Sendable {
        let label: String
        let note: String?
        let hash: HashAlgorithm
    }
    static let labelTexts = BoundedCache<LabelKey, LabelTexts>(capacity: 256)

    struct DeriveTexts: Sendable {
        let formula: String
        let secretSource: String
        let transcriptSource: String
    }
    struct DeriveKey: Hashable, Sendable {
        let secretName: String
        let secretDisplay: String
        let label: String
        let messages: String
    }
    static let deriveTexts = BoundedCache<DeriveKey, DeriveTexts>(capacity: 256)

    /// HKDF-Expand-Label with a step in `log`: inputs are the secret (by name) and, when given, the context.
    static func expandLabelStep(
        name: String, formula: String, hash: HashAlgorithm, secret: [UInt8], secretName: String,
        secretSource: String? = nil, label: String, context: [UInt8], contextInput: DerivationInput?, length: Int,
        note: String?, keyed: HKDFKey? = nil, log: inout [DerivationStep]
    ) -> [UInt8] {
        let texts = labelTexts.value(for: LabelKey(label: label, note: note, hash: hash)) {
            let fullLabel = "tls13 " + label
            return LabelTexts(
                fullLabel: fullLabel, fullLabelBytes: Array(fullLabel.utf8),
                note: note.map { $0 + " " + hkdfNote(hash) } ?? hkdfNote(hash))
        }
        let info = hkdfLabel(fullLabel: texts.fullLabelBytes, context: context, length: length)
        let out = (keyed ?? HKDFKey(hash: hash, prk: secret)).expand(info: info, length: length)
        var inputs = [DerivationInput(secretName, secret, source: secretSource)]
        if let contextInput { inputs.append(contextInput) }
        log.append(
            DerivationStep(
                name: name, formula: formula, inputs: inputs, label: texts.fullLabel, labelBytes: info, output: out,
                note: texts.note))
        return out
    }

    /// Derive-Secret(Secret, Label, Messages) = HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length).
    static func deriveSecretStep(
        name: String, hash: HashAlgorithm, secret: [UInt8], secretName: String, secretDisplay: String, label: String,
        messages: String, transcriptHash: [UInt8], note: String? = nil, keyed: HKDFKey? = nil,
        log: inout [DerivationStep]
    ) -> [UInt8] {
        let key = DeriveKey(secretName: secretName, secretDisplay: secretDisplay, label: label, messages: messages)
        let texts = deriveTexts.value(for: key) {
            let shownMessages = messages.isEmpty ? "\"\"" : messages
            return DeriveTexts(
                formula: "Derive-Secret(\(secretDisplay), \"\(label)\", \(shownMessages))",
                secretSource: "derived in step \"\(secretName)\"",
                transcriptSource: messages.isEmpty
                    ? "Transcript-Hash(\"\") = Hash of the empty string" : "Transcript-Hash(\(messages))")
        }
        return expandLabelStep(
            name: name, formula: texts.formula, hash: hash, secret: secret, secretName: secretName,
            secretSource: texts.secretSource, label: label, context: transcriptHash,
            contextInput: DerivationInput("transcript_hash", transcriptHash, source: texts.transcriptSource),
            length: hash.outputLength, note: note, keyed: keyed, log: &log)
    }

    static func extractStep(
        name: String, formula: String, hash: HashAlgorithm, salt: DerivationInput, ikm: DerivationInput, note: String,
        output: [UInt8]? = nil, log: inout [DerivationStep]
    ) -> [UInt8] {
        // `output`: HKDF-Extract(salt, ikm) already known (a constant of the schedule).
        let out = output ?? hkdfExtract(hash: hash, salt: salt.value, ikm: ikm.value)
        log.append(
            DerivationStep(
                name: name, formula: formula, inputs: [salt, ikm], output: out, note: note + " " + hkdfNote(hash)))
        return out
    }

    static func hkdfNote(_ hash: HashAlgorithm) -> String {
        switch hash {
        case .sha1: "HKDF with SHA-1 (RFC 5869)."
        case .sha256: "HKDF with SHA-256 (RFC 5869)."
        case .sha384: "HKDF with SHA-384 (RFC 5869)."
        }
    }

    // MARK: Stages

    /// Early Secret = HKDF-Extract(0, PSK or 0s).
    public struct EarlyStage: Sendable {
        public let hash: HashAlgorithm
        public let earlySecret: [UInt8]
        /// HMAC keyed with the Early Secret once, for every Derive-Secret from it.
        private let keyed: HKDFKey

        public init(hash: HashAlgorithm, psk: [UInt8]?, log: inout [DerivationStep]) {
            self.hash = hash
            let zeros = [UInt8](repeating: 0, count: hash.outputLength)
            let ikm =
                psk.map { DerivationInput("psk", $0, source: "pre-shared key (resumption or external)") }
                ?? DerivationInput("psk", zeros, source: "no PSK: Hash.length zero bytes (RFC 8446 §7.1)")
            let noPSK = psk == nil ? NoPSK.of(hash) : nil
            earlySecret = TLS13KeySchedule.extractStep(
                name: "early_secret", formula: psk == nil ? "HKDF-Extract(0, 0)" : "HKDF-Extract(0, PSK)", hash: hash,
                salt: DerivationInput("salt", zeros, source: "0: Hash.length zero bytes"), ikm: ikm,
                note: "Early Secret (RFC 8446 §7.1).", output: noPSK?.earlySecret, log: &log)
            keyed = noPSK?.keyed ?? HKDFKey(hash: hash, prk: earlySecret)
        }

        /// Without a PSK the Early Secret is HKDF-Extract(0, 0): the same for every handshake with this hash, so it
        /// (and its keyed HMAC) is worked out once. The step is still recorded in every handshake.
        private struct NoPSK: Sendable {
            let earlySecret: [UInt8]
            let keyed: HKDFKey
            init(_ hash: HashAlgorithm) {
                let zeros = [UInt8](repeating: 0, count: hash.outputLength)
                earlySecret = TLS13KeySchedule.hkdfExtract(hash: hash, salt: zeros, ikm: zeros)
                keyed = HKDFKey(hash: hash, prk: earlySecret)
            }
            static let sha1 = NoPSK(.sha1)
            static let sha256 = NoPSK(.sha256)
            static let sha384 = NoPSK(.sha384)
            static func of(_ hash: HashAlgorithm) -> NoPSK {
                switch hash {
                case .sha1: sha1
                case .sha256: sha256
                case .sha384: sha384
                }
            }
        }

        /// `resumption`: "res binder" vs "ext binder".
        public func binderKey(resumption: Bool, log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "binder_key", hash: hash, secret: earlySecret, secretName: "early_secret",
                secretDisplay: "Early Secret", label: resumption ? "res binder" : "ext binder", messages: "",
                transcriptHash: hash.emptyHash, note: "Key for the PSK binder's finished_key (RFC 8446 §4.2.11.2).",
                keyed: keyed, log: &log)
        }

        public func clientEarlyTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "client_early_traffic_secret", hash: hash, secret: earlySecret, secretName: "early_secret",
                secretDisplay: "Early Secret", label: "c e traffic", messages: "ClientHello",
                transcriptHash: transcriptHash, note: "Protects 0-RTT data.", keyed: keyed, log: &log)
        }

        public func earlyExporterMasterSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "early_exporter_master_secret", hash: hash, secret: earlySecret, secretName: "early_secret",
                secretDisplay: "Early Secret", label: "e exp master", messages: "ClientHello",
                transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }

        /// Handshake Secret = HKDF-Extract(Derive-Secret(early, "derived", ""), (EC)DHE shared secret or 0s).
        public func handshakeStage(sharedSecret: [UInt8]?, log: inout [DerivationStep]) -> HandshakeStage {
            let derived = TLS13KeySchedule.deriveSecretStep(
                name: "derived_for_handshake", hash: hash, secret: earlySecret, secretName: "early_secret",
                secretDisplay: "Early Secret", label: "derived", messages: "", transcriptHash: hash.emptyHash,
                note: "Salt for the Handshake Secret.", keyed: keyed, log: &log)
            let ikm =
                sharedSecret.map { DerivationInput("shared_secret", $0, source: "(EC)DHE key exchange") }
                ?? DerivationInput(
                    "shared_secret", [UInt8](repeating: 0, count: hash.outputLength),
                    source: "psk_ke (no (EC)DHE): Hash.length zero bytes")
            let secret = TLS13KeySchedule.extractStep(
                name: "handshake_secret",
                formula: sharedSecret == nil
                    ? "HKDF-Extract(Derive-Secret(Early Secret, \"derived\", \"\"), 0)"
                    : "HKDF-Extract(Derive-Secret(Early Secret, \"derived\", \"\"), (EC)DHE)",
                hash: hash,
                salt: DerivationInput("derived_for_handshake", derived, source: "derived in step \"derived_for_handshake\""),
                ikm: ikm, note: "Handshake Secret (RFC 8446 §7.1).", log: &log)
            return HandshakeStage(hash: hash, handshakeSecret: secret)
        }
    }

    public struct HandshakeStage: Sendable {
        public let hash: HashAlgorithm
        public let handshakeSecret: [UInt8]
        /// HMAC keyed with the secret once, for every Derive-Secret from it.
        private let keyed: HKDFKey
        public init(hash: HashAlgorithm, handshakeSecret: [UInt8]) {
            self.hash = hash
            self.handshakeSecret = handshakeSecret
            keyed = HKDFKey(hash: hash, prk: handshakeSecret)
        }

        public func clientHandshakeTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "client_handshake_traffic_secret", hash: hash, secret: handshakeSecret,
                secretName: "handshake_secret", secretDisplay: "Handshake Secret", label: "c hs traffic",
                messages: "ClientHello...ServerHello", transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }

        public func serverHandshakeTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "server_handshake_traffic_secret", hash: hash, secret: handshakeSecret,
                secretName: "handshake_secret", secretDisplay: "Handshake Secret", label: "s hs traffic",
                messages: "ClientHello...ServerHello", transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }

        /// Both handshake traffic secrets and what each gives — a key and an IV (RFC 8446 §7.3) and a finished key
        /// (§4.4.4) — logged in the order both sides use: client secret, server secret, server key and IV, client
        /// key and IV, server finished key, client finished key. HMAC is keyed once per secret.
        public func trafficKeys(
            suite: CipherSuiteInfo, transcriptHash: [UInt8], log: inout [DerivationStep]
        ) -> HandshakeTrafficKeys {
            let cHS = clientHandshakeTrafficSecret(transcriptHash: transcriptHash, log: &log)
            let sHS = serverHandshakeTrafficSecret(transcriptHash: transcriptHash, log: &log)
            let sHSKeyed = HKDFKey(hash: hash, prk: sHS)
            let cHSKeyed = HKDFKey(hash: hash, prk: cHS)
            let server = TLS13KeySchedule.trafficKeys(
                suite: suite, secret: sHS, prefix: "server_handshake", keyed: sHSKeyed, log: &log)
            let client = TLS13KeySchedule.trafficKeys(
                suite: suite, secret: cHS, prefix: "client_handshake", keyed: cHSKeyed, log: &log)
            let serverFinished = TLS13KeySchedule.finishedKey(
                hash: hash, baseKey: sHS, side: "server", keyed: sHSKeyed, log: &log)
            let clientFinished = TLS13KeySchedule.finishedKey(
                hash: hash, baseKey: cHS, side: "client", keyed: cHSKeyed, log: &log)
            return HandshakeTrafficKeys(
                client: client, server: server, clientFinishedKey: clientFinished, serverFinishedKey: serverFinished)
        }

        /// Master Secret = HKDF-Extract(Derive-Secret(handshake, "derived", ""), 0s).
        public func masterStage(log: inout [DerivationStep]) -> MasterStage {
            let derived = TLS13KeySchedule.deriveSecretStep(
                name: "derived_for_master", hash: hash, secret: handshakeSecret, secretName: "handshake_secret",
                secretDisplay: "Handshake Secret", label: "derived", messages: "", transcriptHash: hash.emptyHash,
                note: "Salt for the Master Secret.", keyed: keyed, log: &log)
            let secret = TLS13KeySchedule.extractStep(
                name: "master_secret", formula: "HKDF-Extract(Derive-Secret(Handshake Secret, \"derived\", \"\"), 0)",
                hash: hash,
                salt: DerivationInput("derived_for_master", derived, source: "derived in step \"derived_for_master\""),
                ikm: DerivationInput(
                    "ikm", [UInt8](repeating: 0, count: hash.outputLength), source: "0: Hash.length zero bytes"),
                note: "Master Secret (RFC 8446 §7.1).", log: &log)
            return MasterStage(hash: hash, masterSecret: secret)
        }
    }

    /// What the handshake traffic secrets give (see `HandshakeStage.trafficKeys`).
    public struct HandshakeTrafficKeys: Sendable {
        public let client: (key: [UInt8], iv: [UInt8])
        public let server: (key: [UInt8], iv: [UInt8])
        public let clientFinishedKey: [UInt8]
        public let serverFinishedKey: [UInt8]
    }

    public struct MasterStage: Sendable {
        public let hash: HashAlgorithm
        public let masterSecret: [UInt8]
        /// HMAC keyed with the secret once, for every Derive-Secret from it.
        private let keyed: HKDFKey
        public init(hash: HashAlgorithm, masterSecret: [UInt8]) {
            self.hash = hash
            self.masterSecret = masterSecret
            keyed = HKDFKey(hash: hash, prk: masterSecret)
        }

        public func clientApplicationTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "client_application_traffic_secret_0", hash: hash, secret: masterSecret,
                secretName: "master_secret", secretDisplay: "Master Secret", label: "c ap traffic",
                messages: "ClientHello...server Finished", transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }

        public func serverApplicationTrafficSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "server_application_traffic_secret_0", hash: hash, secret: masterSecret,
                secretName: "master_secret", secretDisplay: "Master Secret", label: "s ap traffic",
                messages: "ClientHello...server Finished", transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }

        public func exporterMasterSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "exporter_master_secret", hash: hash, secret: masterSecret, secretName: "master_secret",
                secretDisplay: "Master Secret", label: "exp master", messages: "ClientHello...server Finished",
                transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }

        public func resumptionMasterSecret(transcriptHash: [UInt8], log: inout [DerivationStep]) -> [UInt8] {
            TLS13KeySchedule.deriveSecretStep(
                name: "resumption_master_secret", hash: hash, secret: masterSecret, secretName: "master_secret",
                secretDisplay: "Master Secret", label: "res master", messages: "ClientHello...client Finished",
                transcriptHash: transcriptHash, keyed: keyed, log: &log)
        }
    }

    // MARK: Keys from secrets

    /// RFC 8446 §7.3: key = HKDF-Expand-Label(secret, "key", "", key_length), iv = ... "iv" ... 12.
    /// `prefix` names the steps: `client_handshake` → `client_handshake_key`, `client_handshake_iv`; the secret
    /// input is named `<prefix>_traffic_secret`.
    public static func trafficKeys(
        suite: CipherSuiteInfo, secret: [UInt8], prefix: String, keyed: HKDFKey? = nil, log: inout [DerivationStep]
    ) -> (key: [UInt8], iv: [UInt8]) {
        let t = trafficTexts.value(for: TrafficKey(prefix: prefix, suite: suite.suite)) {
            let secretName = "\(prefix)_traffic_secret"
            return TrafficTexts(
                secretName: secretName, keyName: "\(prefix)_key",
                keyFormula: "HKDF-Expand-Label(\(secretName), \"key\", \"\", \(suite.keyLength))",
                keyNote: "\(suite.cipher.rawValue) write key (RFC 8446 §7.3).", ivName: "\(prefix)_iv",
                ivFormula: "HKDF-Expand-Label(\(secretName), \"iv\", \"\", \(suite.ivLength))")
        }
        let keyed = keyed ?? HKDFKey(hash: suite.prfHash, prk: secret)
        let key = expandLabelStep(
            name: t.keyName, formula: t.keyFormula, hash: suite.prfHash, secret: secret, secretName: t.secretName,
            label: "key", context: [], contextInput: nil, length: suite.keyLength, note: t.keyNote, keyed: keyed,
            log: &log)
        let iv = expandLabelStep(
            name: t.ivName, formula: t.ivFormula, hash: suite.prfHash, secret: secret, secretName: t.secretName,
            label: "iv", context: [], contextInput: nil, length: suite.ivLength,
            note: "Write IV: nonce = IV XOR the padded 64-bit sequence number (RFC 8446 §5.3, §7.3).", keyed: keyed,
            log: &log)
        return (key, iv)
    }

    struct TrafficTexts: Sendable {
        let secretName, keyName, keyFormula, keyNote, ivName, ivFormula: String
    }
    /// (The texts depend on the suite only through its cipher and key and IV lengths.)
    struct TrafficKey: Hashable, Sendable {
        let prefix: String
        let suite: CipherSuite
    }
    static let trafficTexts = BoundedCache<TrafficKey, TrafficTexts>(capacity: 64)

    /// RFC 8446 §4.4.4: finished_key = HKDF-Expand-Label(base_key, "finished", "", Hash.length); step
    /// `<side>_finished_key`. The input is named `base_key` (the side's handshake traffic secret, or `binder_key`).
    public static func finishedKey(
        hash: HashAlgorithm, baseKey: [UInt8], side: String, keyed: HKDFKey? = nil, log: inout [DerivationStep]
    ) -> [UInt8] {
        expandLabelStep(
            name: "\(side)_finished_key", formula: "HKDF-Expand-Label(BaseKey, \"finished\", \"\", Hash.length)",
            hash: hash, secret: baseKey, secretName: "base_key",
            secretSource: "the \(side) handshake traffic secret (binder_key for a PSK binder)", label: "finished",
            context: [], contextInput: nil, length: hash.outputLength, note: "RFC 8446 §4.4.4.", keyed: keyed, log: &log)
    }

    /// verify_data = HMAC(finished_key, Transcript-Hash(...)); step `<side>_verify_data` (or `binder` via name).
    public static func verifyData(
        hash: HashAlgorithm, finishedKey: [UInt8], transcriptHash: [UInt8], name: String, log: inout [DerivationStep]
    ) -> [UInt8] {
        let out = hash.hmac(key: finishedKey, data: transcriptHash)
        let binder = name.hasSuffix("binder")
        log.append(
            DerivationStep(
                name: name,
                formula: binder
                    ? "HMAC(binder_finished_key, Transcript-Hash(Truncate(ClientHello)))"
                    : "HMAC(finished_key, Transcript-Hash(Handshake Context, Certificate*, CertificateVerify*))",
                inputs: [
                    DerivationInput("finished_key", finishedKey, source: binder ? "binder_finished_key" : nil),
                    DerivationInput("transcript_hash", transcriptHash),
                ],
                output: out,
                note: binder
                    ? "The PSK binder: proves the client holds the PSK and binds it to this ClientHello, which is hashed up to (not including) the binders list (RFC 8446 §4.2.11.2). HMAC-\(hash.displayName)."
                    : "HMAC-\(hash.displayName) (RFC 8446 §4.4.4)."))
        return out
    }

    /// RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length).
    public static func nextTrafficSecret(
        hash: HashAlgorithm, secret: [UInt8], name: String, log: inout [DerivationStep]
    ) -> [UInt8] {
        expandLabelStep(
            name: name, formula: "HKDF-Expand-Label(application_traffic_secret_N, \"traffic upd\", \"\", Hash.length)",
            hash: hash, secret: secret, secretName: "application_traffic_secret_N", label: "traffic upd", context: [],
            contextInput: nil, length: hash.outputLength, note: "KeyUpdate (RFC 8446 §7.2).", log: &log)
    }

    /// RFC 8446 §4.6.1: PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
    /// Step `resumption_psk`.
    public static func resumptionPSK(
        hash: HashAlgorithm, resumptionMasterSecret: [UInt8], nonce: [UInt8], log: inout [DerivationStep]
    ) -> [UInt8] {
        expandLabelStep(
            name: "resumption_psk",
            formula: "HKDF-Expand-Label(resumption_master_secret, \"resumption\", ticket_nonce, Hash.length)",
            hash: hash, secret: resumptionMasterSecret, secretName: "resumption_master_secret",
            secretSource: "derived in step \"resumption_master_secret\"", label: "resumption", context: nonce,
            contextInput: DerivationInput("ticket_nonce", nonce, source: "NewSessionTicket.ticket_nonce"),
            length: hash.outputLength, note: "The PSK a NewSessionTicket stands for (RFC 8446 §4.6.1).", log: &log)
    }
}
