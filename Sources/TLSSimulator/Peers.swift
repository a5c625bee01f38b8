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
    public var status: Connection.Status { connection.status }
}

/// What the channel did with one record.
public struct ChannelDelivery: Sendable {
    /// The bytes delivered to the receiver (nil: dropped).
    public var delivered: [UInt8]?
    /// A note for the transcript when the channel changed something.
    public var note: String?

    public init(delivered: [UInt8]?, note: String? = nil) {
        self.delivered = delivered
        self.note = note
    }
}

/// A rule the channel applies to records in transit (for attack scenarios).
public protocol ChannelRule: Sendable {
    /// Returns a delivery, or nil to leave the record alone.
    func apply(index: Int, from: Side, record: [UInt8]) -> ChannelDelivery?
}

/// The recorded channel between client and server: carries records in order, applies rules (tamper, drop, …),
/// and numbers every record that crosses it.
public actor RecordedChannel {
    private var rules: [any ChannelRule]
    private var count = 0

    public init(rules: [any ChannelRule] = []) {
        self.rules = rules
    }

    /// Passes one record across; returns what arrives and the record's index.
    public func transmit(_ record: [UInt8], from side: Side) -> (index: Int, delivery: ChannelDelivery) {
        let index = count
        count += 1
        for rule in rules {
            if let delivery = rule.apply(index: index, from: side, record: record) { return (index, delivery) }
        }
        return (index, ChannelDelivery(delivered: record, note: nil))
    }
}
