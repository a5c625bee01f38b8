import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSWire

/// A simulated endpoint: a thin actor around a pure `Connection`. All protocol logic is in the state machine;
/// the actor only serializes access to it.
public actor SimulatedPeer {
    public let side: Side
    private var connection: Connection

    public init(connection: Connection) {
        self.side = connection.side
        self.connection = connection
    }

    public func start() -> [ConnectionEvent] { connection.start() }
    public func receive(_ bytes: [UInt8]) -> [ConnectionEvent] { connection.receive(bytes) }
    public func provide(_ verdict: ValidationVerdict) -> [ConnectionEvent] { connection.provide(verdict) }
    public func send(applicationData: [UInt8]) -> [ConnectionEvent] { connection.send(applicationData: applicationData) }
    public func close() -> [ConnectionEvent] { connection.close() }
    public func updateKeys() -> [ConnectionEvent] { connection.updateKeys(requestPeerUpdate: true) }
    public var status: Connection.Status { connection.status }
}

/// What the channel did with one record.
public struct ChannelDelivery: Sendable {
    /// The bytes delivered to the receiver (nil: dropped).
    public var delivered: [UInt8]?
    /// A note for the transcript when the channel changed something.
    public var note: String?
    /// Deliver the record a second time (a duplicate).
    public var twice = false
    /// The handshake messages as delivered, when a man in the middle rewrote them.
    public var messages: [HandshakeMessage]?

    public init(delivered: [UInt8]?, note: String? = nil, twice: Bool = false, messages: [HandshakeMessage]? = nil) {
        self.delivered = delivered
        self.note = note
        self.twice = twice
        self.messages = messages
    }
}

/// A rule the channel applies to records in transit (for attack scenarios).
public protocol ChannelRule: Sendable {
    /// Returns a delivery, or nil to leave the record alone. `connection` is 0-based; `record` is what the sender
    /// wrote (with its plaintext and messages).
    mutating func apply(connection: Int, from: Side, record: RecordEvent) -> ChannelDelivery?
}

/// The recorded channel between client and server: carries records in order, applies rules (tamper, drop, …),
/// and numbers every record that crosses it.
public actor RecordedChannel {
    private var rules: [any ChannelRule]
    private var count = 0
    public var connection = 0

    public init(rules: [any ChannelRule] = []) {
        self.rules = rules
    }

    public func begin(connection: Int) { self.connection = connection }

    /// Passes one record across; returns what arrives and the record's index.
    public func transmit(_ record: RecordEvent, from side: Side) -> (index: Int, delivery: ChannelDelivery) {
        let index = count
        count += 1
        for i in rules.indices {
            if let delivery = rules[i].apply(connection: connection, from: side, record: record) {
                return (index, delivery)
            }
        }
        return (index, ChannelDelivery(delivered: record.record.bytes))
    }

    /// Numbers a record that bypasses the rules (an attacker's replay).
    public func inject() -> Int {
        defer { count += 1 }
        return count
    }
}
