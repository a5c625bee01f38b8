import Foundation
import TLSCrypto
import TLSHandshake

/// What `tlslab serve` remembers across the connections it accepts — its ticket key, its TLS 1.2 session cache
/// (RFC 5246 §7.4.1.2) and the TLS 1.3 tickets already used (single-use tickets, RFC 8446 §8.1) — shared by the
/// connections it serves concurrently.
///
/// The handshake engine takes a `ServerSessionMemory` as a value and reports what changes as events
/// (`.sessionCached`, `.ticketUsed`); this store hands each connection a copy when its first bytes arrive and
/// takes every change back the moment the connection reports it, so a client that resumes while its first
/// connection is still open finds its session.
public final class ServerMemoryStore: @unchecked Sendable {
    private let lock = NSLock()
    private var memory: ServerSessionMemory

    public init(_ memory: ServerSessionMemory = ServerSessionMemory()) {
        self.memory = memory
    }

    /// Gives the server a ticket key (RFC 5077 §4, RFC 8446 §4.6.1: a key only this server knows) unless it has
    /// one: from the operating system's generator — a new key for every `serve` process, so tickets from an
    /// earlier process cannot resume — or, with a seed, from the seeded generator (the same key on every run:
    /// reproducible, for experiments only).
    public func installTicketKey(seed: UInt64?) {
        lock.lock()
        defer { lock.unlock() }
        guard memory.ticketKey == nil else { return }
        var random = RealPeer.random(seed: seed, stream: "server-ticket-key")
        memory.ticketKey = random.bytes(32, label: "ticket_key")
    }

    /// The memory as it is now (what the next connection starts with).
    public var snapshot: ServerSessionMemory {
        lock.lock()
        defer { lock.unlock() }
        return memory
    }

    /// Takes in what a server connection reported: a TLS 1.2 session to keep under its ID, a ticket now used.
    /// Other events are ignored.
    public func absorb(_ event: ConnectionEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .sessionCached(let id, let state): memory.cache[id] = state
        case .ticketUsed(let ticket): memory.usedTickets.insert(ticket)
        default: break
        }
    }

    /// How many TLS 1.2 sessions the cache holds.
    public var cachedSessions: Int {
        lock.lock()
        defer { lock.unlock() }
        return memory.cache.count
    }

    /// How many tickets were used (and cannot resume again).
    public var usedTickets: Int {
        lock.lock()
        defer { lock.unlock() }
        return memory.usedTickets.count
    }
}
