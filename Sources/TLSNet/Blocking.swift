import Foundation

/// Runs a blocking call (a socket read, an accept) on a thread of its own and awaits its result, so a peer that
/// takes its time never occupies one of Swift concurrency's few cooperative threads (two on a two-core machine).
enum Blocking {
    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            let thread = Thread {
                do {
                    continuation.resume(returning: try work())
                } catch {
                    continuation.resume(throwing: error)
                }
            }
            thread.name = "tlslab-net"
            thread.start()
        }
    }
}
