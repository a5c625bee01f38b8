import Foundation
import TLSCrypto
import TLSTranscript
import TLSWire

/// A passive attacker who recorded every byte of the first connection and, later, obtains the server's private
/// key (a stolen backup, a subpoena, a compromised server). What can it decrypt? This is the forward-secrecy
/// demonstration: with RSA key exchange, everything; with (EC)DHE, nothing.
enum Eavesdropper {
    static func analyze(_ transcript: Transcript, serverKey: SigningKey, into recorder: inout TranscriptRecorder) {
        let messages = transcript.messages.filter { $0.connection == 0 }
        func decoded(_ name: String, _ context: DecodeContext = DecodeContext()) -> (MessageEntry, HandshakeMessage)? {
            guard let entry = messages.first(where: { $0.name == name }),
                let (message, _) = try? HandshakeMessage.decode(entry.bytes, context: context)
            else { return nil }
            return (entry, message)
        }
        recorder.eavesdropper(
            "Later, an eavesdropper who recorded this whole connection obtains the server's private key. What can it read?")
        guard case .clientHello(let ch)? = decoded("ClientHello")?.1.body,
            case .serverHello(let sh)? = decoded("ServerHello")?.1.body,
            let suite = CipherSuiteInfo.info(sh.cipherSuite)
        else {
            recorder.eavesdropper("The recording has no complete ClientHello and ServerHello: nothing to work with.")
            return
        }
        guard suite.version == .tls12, suite.keyExchange == .rsa else {
            recorder.eavesdropper(
                suite.version == .tls13
                    ? "Nothing. In TLS 1.3 the keys come from an (EC)DHE exchange whose private halves never left the two machines and were thrown away; the server's certificate key only signed CertificateVerify. The stolen key lets the attacker impersonate the server in future, but it cannot decrypt this recording: forward secrecy."
                    : "Nothing. With ECDHE the premaster secret came from two ephemeral keys that were never sent and were thrown away after the handshake; the server's certificate key only signed ServerKeyExchange. The recording stays secret: forward secrecy."
            )
            return
        }
        let context = DecodeContext(version: .tls12, keyExchange: .rsa)
        guard let (ckeEntry, ckeMessage) = decoded("ClientKeyExchange", context),
            case .clientKeyExchange(.rsa(let encrypted)) = ckeMessage.body
        else {
            recorder.eavesdropper("The recording stops before the ClientKeyExchange: nothing to decrypt.")
            return
        }
        var log: [DerivationStep] = []
        guard let block = try? serverKey.rsaDecryptRaw(encrypted),
            let premaster = RSAPremaster.parse(block: block, expectedVersion: ch.legacyVersion)
        else {
            recorder.eavesdropper("The encrypted premaster secret does not decrypt with this key.")
            return
        }
        log.append(
            DerivationStep(
                name: "premaster_secret",
                formula: "RSA-decrypt(leaked server private key, ClientKeyExchange.encrypted_pre_master_secret)",
                inputs: [DerivationInput("encrypted_premaster_secret", encrypted, source: "recorded ClientKeyExchange")],
                output: premaster, note: "The one secret the whole session hangs on, recovered from the recording."))
        let ems = sh.extensions.contains(.extendedMasterSecret) && ch.extensions.contains(.extendedMasterSecret)
        let master: [UInt8]
        if ems {
            let through = messages.prefix { $0.index <= ckeEntry.index }.flatMap(\.bytes)
            master = TLS12KeySchedule.extendedMasterSecret(
                suite: suite, premaster: premaster, sessionHash: suite.prfHash.hash(through), log: &log)
        } else {
            master = TLS12KeySchedule.masterSecret(
                suite: suite, premaster: premaster, clientRandom: ch.random, serverRandom: sh.random, log: &log)
        }
        let keys = TLS12KeySchedule.keyMaterial(
            suite: suite, masterSecret: master, clientRandom: ch.random, serverRandom: sh.random, log: &log)
        for step in log { recorder.eavesdropper("The eavesdropper recomputes \(step.name).", derivation: step) }
        let etm = sh.extensions.contains(.encryptThenMAC) && !suite.cipher.isAEAD
        var protections: [Side: RecordProtection] = [
            .client: RecordProtection(
                tls12: suite, macKey: keys.clientWriteMACKey, key: keys.clientWriteKey, iv: keys.clientWriteIV,
                encryptThenMAC: etm),
            .server: RecordProtection(
                tls12: suite, macKey: keys.serverWriteMACKey, key: keys.serverWriteKey, iv: keys.serverWriteIV,
                encryptThenMAC: etm),
        ]
        for record in transcript.records where record.connection == 0 && record.encrypted {
            guard var protection = protections[record.from],
                let parsed = try? TLSRecord.split(record.bytes).records.first
            else { continue }
            guard let (type, plaintext, _) = try? protection.open(parsed) else {
                recorder.eavesdropper("Record \(record.index + 1) does not open (altered in transit).", record: record.index)
                continue
            }
            protections[record.from] = protection
            if type == .applicationData {
                recorder.eavesdropper(
                    "Record \(record.index + 1) (\(record.from) → \(record.from.peer)) decrypts to: \(String(decoding: plaintext, as: UTF8.self))",
                    record: record.index)
            }
        }
        recorder.eavesdropper(
            "Everything is readable: with RSA key exchange, one stolen key unlocks every session it ever protected. This is why TLS 1.3 removed RSA key exchange.")
    }
}
