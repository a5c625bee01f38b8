import Foundation
import TLSCrypto
import TLSPKI
import TLSWire

/// What a handshake state machine is given.
public enum HandshakeInput: Sendable {
    case message(HandshakeMessage)
    case changeCipherSpec
    /// The answer to a `.validateCertificates` action.
    case verdict(ValidationVerdict)
}

/// A request to validate the peer's chain (asynchronous in swift-certificates, so the driver performs it and
/// feeds back `.verdict`). The state machine stays pure and synchronous.
public struct CertificateValidationRequest: Sendable, Equatable {
    public var chain: [[UInt8]]
    public var trustAnchors: [[UInt8]]
    public var hostname: String?
    public var date: Date
    public var purpose: CertificatePurpose
    public init(chain: [[UInt8]], trustAnchors: [[UInt8]], hostname: String?, date: Date, purpose: CertificatePurpose) {
        self.chain = chain
        self.trustAnchors = trustAnchors
        self.hostname = hostname
        self.date = date
        self.purpose = purpose
    }

    /// Performs the validation with swift-certificates.
    public func perform() async -> ValidationVerdict {
        await PKI.validate(chain: chain, trustAnchors: trustAnchors, hostname: hostname, at: date, purpose: purpose)
    }
}

/// What was agreed, once the handshake completes.
public struct NegotiatedParameters: Sendable, Codable, Equatable {
    public var version: ProtocolVersion
    public var cipherSuite: CipherSuite
    /// ECDHE group (TLS 1.2 ECDHE, TLS 1.3); nil for RSA key exchange.
    public var group: NamedGroup?
    /// Scheme the server signed with (ServerKeyExchange or CertificateVerify); nil for RSA key exchange.
    public var serverSignatureScheme: SignatureScheme?
    /// `RSA`, `ECDHE` (TLS 1.2), `(EC)DHE`, `PSK + (EC)DHE` or `PSK only` (TLS 1.3).
    public var keyExchange: String
    /// The session was resumed (abbreviated TLS 1.2 handshake, or TLS 1.3 PSK).
    public var resumed: Bool = false
    /// TLS 1.3: the server sent a HelloRetryRequest first.
    public var helloRetry: Bool = false
    public var extendedMasterSecret: Bool
    public var encryptThenMAC: Bool
    public var clientAuthenticated: Bool
    public var serverName: String?

    public init(
        version: ProtocolVersion, cipherSuite: CipherSuite, group: NamedGroup?, serverSignatureScheme: SignatureScheme?,
        keyExchange: String, extendedMasterSecret: Bool = false, encryptThenMAC: Bool = false,
        clientAuthenticated: Bool = false, serverName: String? = nil
    ) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.group = group
        self.serverSignatureScheme = serverSignatureScheme
        self.keyExchange = keyExchange
        self.extendedMasterSecret = extendedMasterSecret
        self.encryptThenMAC = encryptThenMAC
        self.clientAuthenticated = clientAuthenticated
        self.serverName = serverName
    }
}

/// What a handshake state machine asks its driver to do, in order.
public enum HandshakeAction: Sendable {
    /// Send one handshake message under the current write protection.
    case send(HandshakeMessage)
    /// Send a ChangeCipherSpec record (TLS 1.2, or the TLS 1.3 middlebox-compatibility dummy).
    case sendChangeCipherSpec
    /// A value was derived (recorded for the transcript).
    case derived(DerivationStep)
    /// From now on, protect outgoing records with this (`label` says which keys, e.g. `client_handshake_traffic`).
    case installWriteProtection(RecordProtection, label: String)
    /// From now on, send records unprotected again (0-RTT keys dropped after a HelloRetryRequest).
    case resetWriteProtection
    /// From now on, open incoming records with this.
    case installReadProtection(RecordProtection, label: String)
    /// Validate the peer's certificates and answer with `.verdict`.
    case validateCertificates(CertificateValidationRequest)
    /// The machine moved between states (names like `ExpectServerHello`).
    case stateChanged(from: String, to: String)
    /// A remark for learners at this point (e.g. "ECDSA signatures are randomized: this one differs on every run").
    case note(String)
    /// The handshake is complete: application data may flow.
    case completed(NegotiatedParameters)
    /// Send application data (0-RTT early data, right after the ClientHello).
    case sendApplicationData([UInt8])
    /// Server: application data may arrive before the handshake completes (accepted 0-RTT).
    case acceptEarlyData
    /// Server: skip records it cannot decrypt, up to this many bytes (rejected 0-RTT, RFC 8446 §4.2.10).
    case skipEarlyData(maxBytes: Int)
    /// Client: whether the server accepted the early data it sent (if rejected, send it again now).
    case earlyDataResult(accepted: Bool)
    /// Client: a session to resume later (from a TLS 1.3 NewSessionTicket or a completed TLS 1.2 handshake).
    case sessionEstablished(ClientSession)
    /// Server: remember this TLS 1.2 session under its session ID.
    case sessionCached(id: [UInt8], state: ServerSessionState)
    /// Server: this ticket has now been used (single-use tickets, anti-replay).
    case ticketUsed([UInt8])
}

extension Array where Element == HandshakeAction {
    mutating func derive(_ steps: [DerivationStep]) { append(contentsOf: steps.map { .derived($0) }) }
}
