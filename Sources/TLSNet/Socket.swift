import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why a network operation failed, in plain words (with the system's reason where there is one).
public struct NetError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// Name resolution, socket creation, bind, listen, connect.
        case setup
        /// Nothing arrived within the idle timeout.
        case timedOut
        /// The operation was stopped (Ctrl-C, or the caller cancelled).
        case cancelled
        /// A read or write failed (connection reset, broken pipe).
        case io
    }
    public var kind: Kind
    public var reason: String
    public var description: String { reason }

    public init(_ kind: Kind, _ reason: String) {
        self.kind = kind
        self.reason = reason
    }

    static func system(_ kind: Kind, _ what: String, _ code: Int32 = errno) -> NetError {
        NetError(kind, "\(what): \(String(cString: strerror(code)))")
    }
}

/// A flag that stops blocking socket operations: they poll in short slices and give up with `.cancelled` once it
/// is raised (Ctrl-C on `tlslab serve`, or a test tearing down).
public final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false

    public init() {}

    public var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }

    public func raise() {
        lock.lock()
        raised = true
        lock.unlock()
    }
}

/// A TCP socket (POSIX, blocking, with `poll` for timeouts). Every call that may wait is bounded by a timeout and
/// checks a `StopSignal`, so no peer can hold a thread forever. Not thread-safe: one owner at a time.
public final class TCPSocket: @unchecked Sendable {
    /// How long one `poll` waits before the stop signal is checked again.
    static let slice = 100  // milliseconds

    public private(set) var fd: Int32
    /// `host:port` of the other end (for accepted and connected sockets).
    public let peerAddress: String

    init(fd: Int32, peerAddress: String) {
        self.fd = fd
        self.peerAddress = peerAddress
        #if canImport(Darwin)
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    deinit { close() }

    public var isOpen: Bool { fd >= 0 }

    public func close() {
        if fd >= 0 {
            _ = systemClose(fd)
            fd = -1
        }
    }

    /// Stops both directions (a peer blocked in read sees end of stream) without releasing the descriptor.
    public func shutdown() {
        if fd >= 0 { _ = systemShutdown(fd, Int32(SHUT_RDWR)) }
    }

    // MARK: - Listening

    /// A listening socket on `host` (an IPv4 or IPv6 literal, or `localhost`) and `port` (0: the system picks a
    /// free one; read it back from `localPort`).
    public static func listen(host: String, port: UInt16, backlog: Int32 = 16) throws -> TCPSocket {
        let addresses = try resolve(host: host, port: port, passive: true)
        var lastError = NetError(.setup, "cannot listen on \(host):\(port)")
        for address in addresses {
            let fd = socket(address.family, Int32(sockStream), 0)
            if fd < 0 {
                lastError = .system(.setup, "socket()")
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            let bound = address.withSockaddr { bind(fd, $0, address.length) }
            if bound != 0 {
                lastError = .system(.setup, "cannot bind \(host):\(port)")
                _ = systemClose(fd)
                continue
            }
            if systemListen(fd, backlog) != 0 {
                lastError = .system(.setup, "cannot listen on \(host):\(port)")
                _ = systemClose(fd)
                continue
            }
            return TCPSocket(fd: fd, peerAddress: "")
        }
        throw lastError
    }

    /// The local port (after binding port 0).
    public var localPort: UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard ok == 0 else { return 0 }
        return Self.describe(storage).port
    }

    /// Waits up to `timeout` for a connection. Nil when the timeout passed with none.
    public func accept(timeout: Duration, stop: StopSignal?) throws -> TCPSocket? {
        guard try wait(for: Int16(POLLIN), timeout: timeout, stop: stop) else { return nil }
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let client = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { systemAccept(fd, $0, &length) }
        }
        if client < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED { return nil }
            throw NetError.system(.io, "accept()")
        }
        let (host, port) = Self.describe(storage)
        return TCPSocket(fd: client, peerAddress: host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)")
    }

    // MARK: - Connecting

    /// Connects to `host:port` (IPv4/IPv6 literal or a name the system resolves), giving up after `timeout`.
    public static func connect(host: String, port: UInt16, timeout: Duration, stop: StopSignal? = nil) throws
        -> TCPSocket
    {
        let addresses = try resolve(host: host, port: port, passive: false)
        var lastError = NetError(.setup, "cannot connect to \(host):\(port)")
        for address in addresses {
            let fd = socket(address.family, Int32(sockStream), 0)
            if fd < 0 {
                lastError = .system(.setup, "socket()")
                continue
            }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            let result = address.withSockaddr { systemConnect(fd, $0, address.length) }
            let connection = TCPSocket(fd: fd, peerAddress: "\(host):\(port)")
            if result != 0 {
                guard errno == EINPROGRESS else {
                    lastError = .system(.setup, "cannot connect to \(host):\(port)")
                    continue
                }
                guard try connection.wait(for: Int16(POLLOUT), timeout: timeout, stop: stop) else {
                    lastError = NetError(.timedOut, "cannot connect to \(host):\(port): no answer within \(timeout)")
                    continue
                }
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                if code != 0 {
                    lastError = .system(.setup, "cannot connect to \(host):\(port)", code)
                    continue
                }
            }
            _ = fcntl(fd, F_SETFL, flags)
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return connection
        }
        throw lastError
    }

    // MARK: - Reading and writing

    /// Reads what is available (up to `maxLength` bytes), waiting up to `timeout` for the first byte. An empty
    /// result means the peer closed its side (end of stream). Throws `.timedOut` when nothing arrived in time.
    public func read(maxLength: Int = 1 << 16, timeout: Duration, stop: StopSignal?) throws -> [UInt8] {
        guard try wait(for: Int16(POLLIN), timeout: timeout, stop: stop) else {
            throw NetError(.timedOut, "the peer sent nothing for \(timeout)")
        }
        var buffer = [UInt8](repeating: 0, count: maxLength)
        while true {
            let n = buffer.withUnsafeMutableBytes { systemRecv(fd, $0.baseAddress, maxLength, 0) }
            if n >= 0 { return Array(buffer[0..<n]) }
            if errno == EINTR { continue }
            if errno == ECONNRESET { return [] }
            throw NetError.system(.io, "read from \(peerAddress)")
        }
    }

    /// Bounds every write: a peer that stops reading cannot block the sender for longer than `timeout`.
    public func setWriteTimeout(_ timeout: Duration) {
        let (seconds, attoseconds) = timeout.components
        var value = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &value, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Writes all of `bytes` (a closed peer is an `.io` error, never a SIGPIPE).
    public func write(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return systemSend(fd, base + offset, bytes.count - offset, sendFlags)
            }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw NetError(.timedOut, "the peer stopped reading: write to \(peerAddress) timed out")
                }
                throw NetError.system(.io, "write to \(peerAddress)")
            }
            offset += n
        }
    }

    /// Polls for `events` in short slices until they happen (true), `timeout` passes (false), or `stop` is raised.
    func wait(for events: Int16, timeout: Duration, stop: StopSignal?) throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while true {
            if stop?.isRaised == true { throw NetError(.cancelled, "stopped") }
            let left = deadline - ContinuousClock.now
            if left <= .zero { return false }
            let ms = min(Self.slice, Int(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000) + 1)
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let n = poll(&descriptor, 1, Int32(ms))
            if n < 0 {
                if errno == EINTR { continue }
                throw NetError.system(.io, "poll()")
            }
            if n > 0 { return true }
        }
    }

    // MARK: - Addresses

    struct Address {
        var family: Int32
        var storage: [UInt8]
        var length: socklen_t

        func withSockaddr(_ body: (UnsafePointer<sockaddr>) -> Int32) -> Int32 {
            storage.withUnsafeBytes { raw in
                guard let base = raw.baseAddress else { return -1 }
                return body(base.assumingMemoryBound(to: sockaddr.self))
            }
        }
    }

    static func resolve(host: String, port: UInt16, passive: Bool) throws -> [Address] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(sockStream)
        hints.ai_flags = passive ? AI_PASSIVE : 0
        var result: UnsafeMutablePointer<addrinfo>?
        let code = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &result)
        guard code == 0, let first = result else {
            throw NetError(.setup, "cannot resolve \(host): \(String(cString: gai_strerror(code)))")
        }
        defer { freeaddrinfo(first) }
        var out: [Address] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            if let address = info.pointee.ai_addr {
                let length = Int(info.pointee.ai_addrlen)
                let bytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(address), count: length))
                out.append(Address(family: info.pointee.ai_family, storage: bytes, length: info.pointee.ai_addrlen))
            }
            cursor = info.pointee.ai_next
        }
        return out
    }

    static func describe(_ storage: sockaddr_storage) -> (host: String, port: UInt16) {
        var copy = storage
        return withUnsafePointer(to: &copy) { pointer -> (String, UInt16) in
            var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
            let length = socklen_t(
                storage.ss_family == sa_family_t(AF_INET6)
                    ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
            let code = pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo($0, length, &name, socklen_t(name.count), &service, socklen_t(service.count),
                    NI_NUMERICHOST | NI_NUMERICSERV)
            }
            guard code == 0 else { return ("?", 0) }
            return (text(name), UInt16(text(service)) ?? 0)
        }
    }
}

/// A NUL-terminated C string from a buffer.
private func text(_ buffer: [CChar]) -> String {
    let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return String(decoding: bytes, as: UTF8.self)
}

// Platform spellings (Glibc's SOCK_STREAM is an enum; close/accept/… clash with the methods above).
#if canImport(Glibc)
    private let sockStream = Int32(SOCK_STREAM.rawValue)
    private let sendFlags = Int32(MSG_NOSIGNAL)
#else
    private let sockStream = SOCK_STREAM
    private let sendFlags: Int32 = 0
#endif
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemShutdown(_ fd: Int32, _ how: Int32) -> Int32 { shutdown(fd, how) }
private func systemListen(_ fd: Int32, _ backlog: Int32) -> Int32 { listen(fd, backlog) }
private func systemAccept(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>, _ length: inout socklen_t) -> Int32 {
    accept(fd, address, &length)
}
private func systemConnect(_ fd: Int32, _ address: UnsafePointer<sockaddr>, _ length: socklen_t) -> Int32 {
    connect(fd, address, length)
}
private func systemRecv(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ length: Int, _ flags: Int32) -> Int {
    recv(fd, buffer, length, flags)
}
private func systemSend(_ fd: Int32, _ buffer: UnsafeRawPointer, _ length: Int, _ flags: Int32) -> Int {
    send(fd, buffer, length, flags)
}
