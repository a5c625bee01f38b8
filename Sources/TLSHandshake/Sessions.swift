import Foundation
import TLSCrypto
import TLSWire

/// What a client keeps from a connection so that a later one can resume it.
public struct ClientSession: Sendable, Equatable {
    public var version: ProtocolVersion
    public var cipherSuite: CipherSuite
    public var serverName: String?
    /// When the client received it (to compute the ticket age).
    public var receivedAt: Date
    // TLS 1.3 (RFC 8446 §4.6.1)
    /// The ticket as the server sent it (opaque to the client).
    public var ticket: [UInt8] = []
    /// PSK = HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length).
    public var psk: [UInt8] = []
    public var ticketAgeAdd: UInt32 = 0
    public var ticketLifetime: UInt32 = 0
    public var maxEarlyData: UInt32 = 0
    // TLS 1.2 (RFC 5246 §7.3, RFC 5077)
    public var sessionID: [UInt8] = []
    public var masterSecret: [UInt8] = []
    public var extendedMasterSecret = false

    public init(version: ProtocolVersion, cipherSuite: CipherSuite, serverName: String?, receivedAt: Date) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.serverName = serverName
        self.receivedAt = receivedAt
    }
}

/// What a server needs to resume a session: sealed into a ticket, or kept in its session cache.
public struct ServerSessionState: Sendable, Equatable {
    public var version: ProtocolVersion
    public var cipherSuite: CipherSuite
    /// TLS 1.3: the resumption PSK; TLS 1.2: the master secret.
    public var secret: [UInt8]
    public var extendedMasterSecret: Bool
    public var ticketAgeAdd: UInt32
    public var issuedAt: Date
    public var maxEarlyData: UInt32
    public var serverName: String?

    public init(
        version: ProtocolVersion, cipherSuite: CipherSuite, secret: [UInt8], extendedMasterSecret: Bool = false,
        ticketAgeAdd: UInt32 = 0, issuedAt: Date, maxEarlyData: UInt32 = 0, serverName: String? = nil
    ) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.secret = secret
        self.extendedMasterSecret = extendedMasterSecret
        self.ticketAgeAdd = ticketAgeAdd
        self.issuedAt = issuedAt
        self.maxEarlyData = maxEarlyData
        self.serverName = serverName
    }

    /// The bytes sealed into a ticket.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        w.u16(version.rawValue)
        w.u16(cipherSuite.rawValue)
        w.opaque(secret, lengthSize: 1)
        w.u8(extendedMasterSecret ? 1 : 0)
        w.u32(ticketAgeAdd)
        let seconds = UInt64(max(0, issuedAt.timeIntervalSince1970))
        w.u32(UInt32(seconds >> 32))
        w.u32(UInt32(seconds & 0xffff_ffff))
        w.u32(maxEarlyData)
        w.opaque(Array((serverName ?? "").utf8), lengthSize: 1)
        return w.bytes
    }

    public init?(encoded: [UInt8]) {
        var r = ByteReader(encoded)
        guard let version = try? r.u16(), let suite = try? r.u16(), let secret = try? r.opaque(lengthSize: 1),
            let ems = try? r.u8(), let ageAdd = try? r.u32(), let high = try? r.u32(), let low = try? r.u32(),
            let maxEarly = try? r.u32(), let name = try? r.opaque(lengthSize: 1), r.isAtEnd
        else { return nil }
        self.init(
            version: ProtocolVersion(rawValue: version), cipherSuite: CipherSuite(rawValue: suite), secret: secret,
            extendedMasterSecret: ems == 1, ticketAgeAdd: ageAdd,
            issuedAt: Date(timeIntervalSince1970: TimeInterval(UInt64(high) << 32 | UInt64(low))),
            maxEarlyData: maxEarly, serverName: name.isEmpty ? nil : String(decoding: name, as: UTF8.self))
    }
}

/// A server's memory across connections: the ticket key, the TLS 1.2 session cache and the tickets whose early
/// data it already accepted (anti-replay, RFC 8446 §8.1). Passed in as a value; changes come back as events.
public struct ServerSessionMemory: Sendable {
    /// 32 bytes; nil: the server issues no tickets.
    public var ticketKey: [UInt8]?
    public var cache: [[UInt8]: ServerSessionState] = [:]
    public var usedTickets: Set<[UInt8]> = []

    public init(ticketKey: [UInt8]? = nil) {
        self.ticketKey = ticketKey
    }
}
