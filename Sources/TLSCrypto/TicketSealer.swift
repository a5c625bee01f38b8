import Crypto
import Foundation
import TLSWire

/// How a server turns its session state into an opaque ticket only it can read (RFC 5077 §4 recommends
/// authenticated encryption under a key only the server knows; RFC 8446 §4.6.1 leaves the format to the server).
/// Here: AES-256-GCM, ticket = nonce (12) ‖ ciphertext ‖ tag (16).
public struct TicketSealer: Sendable {
    let key: SymmetricKey

    /// `key` must be 32 bytes (from the server's random source: the "session ticket encryption key").
    public init(key: [UInt8]) throws {
        guard key.count == 32 else {
            throw TLSCryptoError(alert: .internalError, reason: "a ticket key must be 32 bytes, got \(key.count)")
        }
        self.key = SymmetricKey(data: key)
    }

    public func seal(_ state: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        let box = try AES.GCM.seal(state, using: key, nonce: AES.GCM.Nonce(data: nonce))
        return nonce + Array(box.ciphertext) + Array(box.tag)
    }

    /// The state, or nil for a ticket this key did not make (or one that was altered).
    public func open(_ ticket: [UInt8]) -> [UInt8]? {
        guard ticket.count >= 28,
            let nonce = try? AES.GCM.Nonce(data: ticket.prefix(12)),
            let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: ticket.dropFirst(12).dropLast(16), tag: ticket.suffix(16)),
            let plain = try? AES.GCM.open(box, using: key)
        else { return nil }
        return Array(plain)
    }
}
