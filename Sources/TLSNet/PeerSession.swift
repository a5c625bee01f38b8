import Foundation
import TLSCrypto
import TLSHandshake
import TLSPKI
import TLSSimulator
import TLSTranscript
import TLSWire

/// Timeouts and the stop signal of a connection to a real peer.
public struct PeerSettings: Sendable {
    /// How long the peer may stay silent while TLSLab waits for it (handshake or request). Default 10 s.
    public var idleTimeout: Duration
    /// Client: how long to keep reading after the last byte of a response that does not say its own length
    /// (a non-HTTP server), before closing. Default 1 s.
    public var linger: Duration
    /// How long to wait for the peer's close_notify after sending ours. Default 2 s.
    public var closeWait: Duration
    /// Raised by Ctrl-C (or a test): the connection stops at its next poll and keeps what it recorded.
    public var stop: StopSignal?

    public init(
        idleTimeout: Duration = .seconds(10), linger: Duration = .seconds(1), closeWait: Duration = .seconds(2),
        stop: StopSignal? = nil
    ) {
        self.idleTimeout = idleTimeout
        self.linger = linger
        self.closeWait = closeWait
        self.stop = stop
    }
}

/// What one connection with a real peer produced (one of a `PeerResult`'s connections).
public struct PeerConnection: Sendable {
    public var negotiated: NegotiatedParameters?
    /// The application data the peer sent (all of it, in order; 0-RTT data first).
    public var applicationData: [UInt8]
    /// How the connection ended, in one phrase (`closed with close_notify`, `peer disconnected during the
    /// handshake`, …).
    public var ending: String
    /// Client: the session the server handed out for a later connection (TLS 1.3: from its last NewSessionTicket;
    /// TLS 1.2: the session ID or ticket of the completed handshake). Nil if it gave none.
    public var session: ClientSession?
    /// Whether 0-RTT data was accepted: client — the server took the data it sent; server — it read some.
    /// Nil when no early data was involved.
    public var earlyDataAccepted: Bool?

    public var resumed: Bool { negotiated?.resumed ?? false }
}

/// What a run against a real peer produced: the transcript of all its connections, and each connection's result.
public struct PeerResult: Sendable {
    /// Everything the simulated side saw and did, the peer's records and messages included — one transcript
    /// connection per TCP connection.
    public var transcript: Transcript
    /// `host:port` of the peer.
    public var peer: String
    /// One entry per connection, in order (one for `serve`; `connections` for `connect`).
    public var connections: [PeerConnection]

    /// The last connection's negotiated parameters.
    public var negotiated: NegotiatedParameters? { connections.last?.negotiated }
    /// The application data the peer sent on the last connection.
    public var applicationData: [UInt8] { connections.last?.applicationData ?? [] }
    /// How the last connection ended.
    public var ending: String { connections.last?.ending ?? "" }
}

/// Drives one `Connection` (the side TLSLab plays) over a TCP socket to a real peer, recording everything in a
/// transcript that has the same shape as a simulated one (only one side's derivations, of course).
///
/// After the handshake, a client sends one request and reads the answer; a server answers one request with a
/// short HTTP/1.1 response (`TinyHTTP`). Either side then closes with close_notify (RFC 8446 §6.1).
///
/// Sessions: a client keeps the session the server hands out (`sessionEstablished`) and, when asked to, waits a
/// little for a TLS 1.3 NewSessionTicket before closing — it arrives after the handshake (RFC 8446 §4.6.1). A
/// server reports what it must remember (`sessionCached`, `ticketUsed`) to its `ServerMemoryStore` at once.
/// 0-RTT: a server takes early data as (the start of) the request and answers once the handshake completes; a
/// client whose early data the server accepted does not send the request again (RFC 8446 §4.2.10).
struct PeerSession {
    let side: Side
    let socket: TCPSocket
    let settings: PeerSettings
    var connection: Connection
    var recorder: TranscriptRecorder
    /// Client: the request to send once connected.
    let request: [UInt8]
    /// Server: builds the connection again, with the server memory as it is, when the first bytes arrive (the
    /// connection was accepted earlier; a concurrent connection may have used a ticket or cached a session since).
    var freshConnection: (@Sendable () -> Connection)?
    /// Server: where the sessions it caches and the tickets it sees used go.
    let memory: ServerMemoryStore?
    /// Client: wait for a session (a TLS 1.3 ticket) before closing.
    let awaitsSession: Bool

    /// Index of the next record in the transcript (records are numbered across its connections).
    private(set) var index: Int
    private var outbound: [UInt8] = []
    /// Bytes of a record not yet complete.
    private var inbound: [UInt8] = []
    private var fromPeer: [UInt8] = []
    private var negotiated: NegotiatedParameters?
    private var fatal = false
    private var requestSent = false
    private var responded = false
    private var closing = false
    /// Client: the answer is complete, but no ticket has come yet.
    private var waitingForTicket = false
    private var ioFailure: String?
    private var session: ClientSession?
    private var earlyDataAccepted: Bool?
    private(set) var clientHello: ClientHello?

    init(
        side: Side, socket: TCPSocket, settings: PeerSettings, connection: Connection, recorder: TranscriptRecorder,
        request: [UInt8] = [], firstRecordIndex: Int = 0, memory: ServerMemoryStore? = nil,
        freshConnection: (@Sendable () -> Connection)? = nil, awaitsSession: Bool = false
    ) {
        self.side = side
        self.socket = socket
        self.settings = settings
        self.connection = connection
        self.recorder = recorder
        self.request = request
        self.index = firstRecordIndex
        self.memory = memory
        self.freshConnection = freshConnection
        self.awaitsSession = awaitsSession
        socket.setWriteTimeout(settings.idleTimeout)
    }

    // MARK: - Running

    /// Runs the connection to its end and closes the socket. The recorder (`self.recorder`) then holds the
    /// connection's events; the caller ends the transcript connection.
    mutating func run() async -> PeerConnection {
        var ending = ""
        if side == .client { await absorb(connection.start()) }
        loop: while true {
            if let failure = ioFailure {
                ending = failure
                break
            }
            if fatal {
                ending = "failed: \(failureText)"
                break
            }
            if connection.status == .closed {
                ending = "closed with close_notify"
                break
            }
            let timeout = nextTimeout
            let bytes: [UInt8]
            do {
                let socket = socket
                let stop = settings.stop
                bytes = try await Blocking.run { try socket.read(timeout: timeout, stop: stop) }
            } catch let error as NetError {
                switch error.kind {
                case .timedOut:
                    if closing {
                        ending = "closed (the peer did not answer close_notify within \(settings.closeWait))"
                        break loop
                    }
                    if side == .client, requestSent, !fromPeer.isEmpty {
                        // A response without a length (or a ticket that did not come): it has been quiet long
                        // enough.
                        if waitingForTicket {
                            note("No session ticket arrived within \(settings.linger) after the answer: nothing to resume later.")
                        }
                        await close()
                        continue loop
                    }
                    let what =
                        negotiated == nil
                        ? "during the handshake (state \(connection.stateName))"
                        : side == .server ? "after the handshake, before sending a request" : "after the request"
                    note("The peer sent nothing for \(timeout) \(what): TLSLab gives up (idle timeout).")
                    ending = "timed out \(what)"
                    if negotiated != nil { await close() }
                    break loop
                case .cancelled:
                    note("Stopped (Ctrl-C) in state \(connection.stateName).")
                    ending = "stopped"
                    if negotiated != nil, !closing { await close() }
                    break loop
                case .io, .setup:
                    note("The connection broke: \(error.reason).")
                    ending = "connection error: \(error.reason)"
                    break loop
                }
            } catch {
                ending = "connection error: \(error)"
                break loop
            }
            if bytes.isEmpty {
                if negotiated == nil {
                    note("The peer closed the TCP connection during the handshake (state \(connection.stateName)).")
                    ending = "peer disconnected during the handshake"
                } else if closing {
                    ending = "closed (the peer closed TCP after our close_notify)"
                } else {
                    note("The peer closed the TCP connection without sending close_notify (RFC 8446 §6.1 asks for one).")
                    ending = "peer closed TCP without close_notify"
                }
                break
            }
            await deliver(bytes)
        }
        socket.close()
        return PeerConnection(
            negotiated: negotiated, applicationData: fromPeer, ending: ending, session: session,
            earlyDataAccepted: earlyDataAccepted)
    }

    /// Hands the peer's bytes to the connection one whole record at a time, doing what each record calls for
    /// before the next one is read: a request and the close_notify right behind it may arrive in one TCP
    /// segment, and the request is answered first (TLS 1.3 lets the other side keep writing after a
    /// close_notify, RFC 8446 §6.1). A header announcing more than any record may hold goes to the connection
    /// at once, which refuses it with record_overflow before anything is buffered.
    private mutating func deliver(_ bytes: [UInt8]) async {
        if let fresh = freshConnection {
            connection = fresh()
            freshConnection = nil
        }
        inbound += bytes
        while inbound.count >= TLSRecord.headerLength, !fatal, connection.status != .closed {
            let length = Int(inbound[3]) << 8 | Int(inbound[4])
            if length > TLSRecord.maxCiphertext12 {
                let all = inbound
                inbound = []
                await absorb(connection.receive(all))
                return
            }
            guard inbound.count >= TLSRecord.headerLength + length else { return }
            let record = Array(inbound[0..<(TLSRecord.headerLength + length)])
            inbound.removeFirst(record.count)
            await absorb(connection.receive(record))
        }
    }

    /// Which wait comes next: the close wait once we sent close_notify, the linger while a client reads a
    /// response of unknown length, the idle timeout otherwise.
    private var nextTimeout: Duration {
        if closing { return settings.closeWait }
        if side == .client, requestSent, !fromPeer.isEmpty || waitingForTicket { return settings.linger }
        return settings.idleTimeout
    }

    private var failureText: String {
        recorder.connectionOutcome?.reason ?? "fatal alert"
    }

    private mutating func note(_ text: String) {
        recorder.add(.note(text), side: side)
    }

    // MARK: - Events

    /// Records a batch of events, writes the records it produced, then does what the batch calls for
    /// (validate certificates, send the request or the response, close).
    private mutating func absorb(_ events: [ConnectionEvent]) async {
        enum FollowUp {
            case validate(CertificateValidationRequest)
            case sendRequest
            case respond
            case close
        }
        var followUps: [FollowUp] = []
        for event in events {
            switch event {
            case .record(let record):
                if record.direction == .sent {
                    recorder.recordSent(
                        by: side, record, index: index, delivery: ChannelDelivery(delivered: record.record.bytes))
                    outbound += record.record.bytes
                } else {
                    recorder.recordReceived(by: side, record, index: index)
                }
                index += 1
            case .validationNeeded(let request):
                recorder.add(event, side: side)
                followUps.append(.validate(request))
            case .handshakeCompleted(let parameters):
                recorder.add(event, side: side)
                negotiated = parameters
                if side == .client { followUps.append(.sendRequest) }
                // A request that came as 0-RTT data is answered now that the handshake is complete.
                if side == .server, !responded, TinyHTTP.requestComplete(fromPeer) {
                    responded = true
                    followUps.append(.respond)
                }
            case .applicationData(let bytes):
                recorder.add(event, side: side)
                fromPeer += bytes
                if side == .server, !responded, TinyHTTP.requestComplete(fromPeer) {
                    responded = true
                    followUps.append(.respond)
                }
                if side == .client, TinyHTTP.responseComplete(fromPeer) { followUps.append(.close) }
            case .earlyDataReceived(let bytes):
                // Server: 0-RTT data, read before the handshake completed (RFC 8446 §4.2.10).
                recorder.add(event, side: side)
                fromPeer += bytes
                earlyDataAccepted = true
            case .earlyDataResult(let accepted):
                recorder.add(event, side: side)
                earlyDataAccepted = accepted
            case .sessionEstablished(let established):
                recorder.add(event, side: side)
                session = established
                if waitingForTicket { followUps.append(.close) }
            case .sessionCached, .ticketUsed:
                recorder.add(event, side: side)
                memory?.absorb(event)
            case .alertSent(let alert, _):
                recorder.add(event, side: side)
                if alert.level == .fatal { fatal = true }
                if alert.description_ == .closeNotify { closing = true }
            case .alertReceived(let alert):
                recorder.add(event, side: side)
                if alert.level == .fatal { fatal = true }
            case .messageReceived(let message, _):
                if case .clientHello(let hello) = message.body, clientHello == nil { clientHello = hello }
                recorder.add(event, side: side)
            default:
                recorder.add(event, side: side)
            }
        }
        await flush()
        for followUp in followUps {
            switch followUp {
            case .validate(let request):
                let verdict = await request.perform()
                recorder.validation(verdict, side: side)
                await absorb(connection.provide(verdict))
            case .sendRequest:
                requestSent = true
                // Accepted 0-RTT data was the request already: it is not sent again.
                if earlyDataAccepted == true { continue }
                await absorb(connection.send(applicationData: request))
            case .respond:
                await absorb(connection.send(applicationData: TinyHTTP.response(to: fromPeer, negotiated: negotiated)))
                await close()
            case .close:
                // RFC 8446 §4.6.1: a TLS 1.3 server sends its tickets after the handshake, possibly after the
                // answer: a client that wants to resume later lingers a moment for one.
                if side == .client, awaitsSession, session == nil, negotiated?.version == .tls13, !waitingForTicket {
                    waitingForTicket = true
                    continue
                }
                await close()
            }
        }
    }

    /// Sends close_notify (once).
    private mutating func close() async {
        guard !closing else { return }
        closing = true
        await absorb(connection.close())
    }

    /// Writes the records the last batch produced (one write per flight).
    private mutating func flush() async {
        guard !outbound.isEmpty, ioFailure == nil else { return }
        let bytes = outbound
        outbound = []
        let socket = socket
        do {
            try await Blocking.run { try socket.write(bytes) }
        } catch {
            note("Could not write to the peer: \(error).")
            ioFailure = "connection error: \(error)"
        }
    }
}
