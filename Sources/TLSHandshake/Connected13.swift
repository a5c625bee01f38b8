import Foundation
import TLSCrypto
import TLSWire

/// A completed TLS 1.3 connection: what either side needs after the handshake — post-handshake messages
/// (NewSessionTicket, KeyUpdate) and the application traffic secrets to ratchet (RFC 8446 §4.6, §7.2).
struct Connected13: Sendable {
    var suite: CipherSuiteInfo
    var resumptionMasterSecret: [UInt8]
    var clientApplicationSecret: [UInt8]
    var serverApplicationSecret: [UInt8]
    var serverName: String?
    /// N of application_traffic_secret_N for each direction.
    var clientGeneration = 0
    var serverGeneration = 0

    /// Sends KeyUpdate under the current keys, then switches this side's sending keys to the next generation.
    mutating func sendKeyUpdate(side: Side, request: Bool) -> [HandshakeAction] {
        let message = HandshakeMessage(
            .keyUpdate(KeyUpdate(request: request ? .updateRequested : .updateNotRequested)))
        var actions: [HandshakeAction] = [.send(message)]
        var log: [DerivationStep] = []
        let protection = ratchet(side, log: &log)
        actions.derive(log)
        actions.append(
            .installWriteProtection(
                protection, label: "\(side)_application_traffic keys (generation \(generation(side)))"))
        return actions
    }

    /// application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length).
    private mutating func ratchet(_ side: Side, log: inout [DerivationStep]) -> RecordProtection {
        let hash = suite.prfHash
        let next: [UInt8]
        if side == .client {
            clientGeneration += 1
            next = TLS13KeySchedule.nextTrafficSecret(
                hash: hash, secret: clientApplicationSecret,
                name: "client_application_traffic_secret_\(clientGeneration)", log: &log)
            clientApplicationSecret = next
        } else {
            serverGeneration += 1
            next = TLS13KeySchedule.nextTrafficSecret(
                hash: hash, secret: serverApplicationSecret,
                name: "server_application_traffic_secret_\(serverGeneration)", log: &log)
            serverApplicationSecret = next
        }
        let keys = TLS13KeySchedule.trafficKeys(
            suite: suite, secret: next, prefix: "\(side)_application_\(generation(side))", log: &log)
        return RecordProtection(tls13: suite, key: keys.key, iv: keys.iv)
    }

    private func generation(_ side: Side) -> Int { side == .client ? clientGeneration : serverGeneration }

    /// A handshake message after the handshake (RFC 8446 §4.6).
    mutating func handlePostHandshake(
        _ m: HandshakeMessage, side: Side, configuration: ClientConfiguration?, _ actions: inout [HandshakeAction]
    ) throws {
        switch m.body {
        case .newSessionTicket13(let ticket) where side == .client:
            var log: [DerivationStep] = []
            let psk = TLS13KeySchedule.resumptionPSK(
                hash: suite.prfHash, resumptionMasterSecret: resumptionMasterSecret, nonce: ticket.nonce, log: &log)
            actions.derive(log)
            var session = ClientSession(
                version: .tls13, cipherSuite: suite.suite, serverName: serverName,
                receivedAt: configuration?.clock ?? Date(timeIntervalSince1970: 0))
            session.ticket = ticket.ticket
            session.psk = psk
            session.ticketAgeAdd = ticket.ageAdd
            session.ticketLifetime = ticket.lifetime
            if case .maxEarlyData(let max) = ticket.extensions.body(of: .earlyData) { session.maxEarlyData = max }
            actions.append(
                .note(
                    "A session ticket (lifetime \(ticket.lifetime) s\(session.maxEarlyData > 0 ? ", 0-RTT allowed up to \(session.maxEarlyData) bytes" : "")): with it a later connection can resume, using the PSK derived from resumption_master_secret and this ticket's nonce."
                ))
            actions.append(.sessionEstablished(session))
        case .keyUpdate(let update):
            guard update.request == .updateRequested || update.request == .updateNotRequested else {
                throw HandshakeFailure(.illegalParameter, "KeyUpdate with request_update \(update.request.rawValue)")
            }
            let peer = side.peer
            var log: [DerivationStep] = []
            let protection = ratchet(peer, log: &log)
            actions.derive(log)
            actions.append(
                .installReadProtection(
                    protection, label: "\(peer)_application_traffic keys (generation \(generation(peer)))"))
            actions.append(
                .note(
                    "KeyUpdate: the \(peer) moved to application_traffic_secret_\(generation(peer)); from its next record on, this side decrypts with keys derived from it."
                ))
            if update.request == .updateRequested {
                actions.append(contentsOf: sendKeyUpdate(side: side, request: false))
            }
        default:
            throw HandshakeFailure.unexpected(m.type, expecting: "application data")
        }
    }
}
