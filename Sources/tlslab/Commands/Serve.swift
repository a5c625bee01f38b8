import ArgumentParser
import Dispatch
import Foundation
import TLSNet
import TLSPKI
import TLSScenario
import TLSWire

#if canImport(Glibc)
    import Glibc
#endif

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play a scenario's server for real TLS clients (curl, openssl s_client, a browser) over TCP.",
        discussion: """
            Listens on --bind (127.0.0.1) and --port (8443), runs the scenario's server side for every client that \
            connects, answers one HTTP request inside the tunnel and prints one line per connection. With --save DIR \
            every connection's transcript is written there (DIR/<n>-<time>.json); step through it with \
            `tlslab run DIR/<n>-<time>.json`. Ctrl-C stops cleanly: connections in progress end and are saved.

            Resumption: with --session-tickets (or a scenario with session_tickets) the server issues tickets under \
            a key made once per serve process (from the OS generator, or from --seed); with --session-cache it keeps \
            TLS 1.2 sessions by ID; --max-early-data N accepts TLS 1.3 0-RTT data. What it remembers lasts for all \
            the connections of the process, so `openssl s_client -sess_out` then `-sess_in` resumes.

            Example:  tlslab serve --scenario tls13 --save served &
                      curl --cacert Scenarios/pki/ca.pem https://localhost:8443/
            """)

    @Option(name: .long, help: "Scenario whose server settings to use (name or .yaml path).")
    var scenario: String = "tls13"

    @Option(name: .long, help: "Address to listen on (127.0.0.1; 0.0.0.0 or :: to accept other machines).")
    var bind: String = "127.0.0.1"

    @Option(name: .long, help: "TCP port (0: any free port, printed at start).")
    var port: UInt16 = 8443

    @Option(name: .long, help: "Stop after this many connections.")
    var count: Int?

    @Option(name: .long, help: "Folder to save every connection's transcript in (created if missing).")
    var save: String?

    @OptionGroup var peer: PeerOverrides
    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        if let count, count < 1 { throw ValidationError("--count must be at least 1") }
        try peer.rejectOptions(notFor: "serve")
    }

    func run() async throws {
        let scenario = try peer.apply(to: scenarioOptions.resolve(self.scenario), side: .server)
        var directory: URL?
        if let save {
            let url = URL(fileURLWithPath: save, isDirectory: true)
            do {
                try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            } catch {
                throw CLIError("cannot create \(save): \(error.localizedDescription)")
            }
            directory = url
        }
        let server: PeerServer
        do {
            server = try PeerServer(scenario: scenario, host: bind, port: port)
        } catch {
            throw CLIError("\(error)")
        }
        let stop = StopSignal()
        let signals = StopOnSignals(stop)
        defer { signals.cancel() }
        printLine("tlslab serve: scenario \(scenario.name) (\(scenario.title)) listening on \(bind):\(server.port) — Ctrl-C to stop")
        let served = await server.run(
            ServeSettings(count: count, saveDirectory: directory, seed: peer.seed, peer: peer.settings(stop: stop))
        ) { connection in
            printLine(connection.line)
        }
        printLine("tlslab serve: stopped after \(served) connection\(served == 1 ? "" : "s")")
    }
}

/// Prints a whole line at once (connections finish concurrently).
func printLine(_ text: String) {
    FileHandle.standardOutput.write(Data((text + "\n").utf8))
}

/// Raises a stop signal on SIGINT (Ctrl-C) and SIGTERM instead of killing the process, so connections in progress
/// finish and their transcripts are saved whole.
final class StopOnSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []

    init(_ stop: StopSignal) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                FileHandle.standardError.write(Data("\ntlslab: stopping (connections in progress finish and are saved)\n".utf8))
                stop.raise()
            }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        sources = []
    }
}

/// Options for the side TLSLab plays against a real peer: overrides of the scenario, timeouts, seed.
struct PeerOverrides: ParsableArguments {
    @Option(name: .long, help: "Protocol version to accept or offer (TLS1.2, TLS1.3; repeat for both). Default: the scenario's.")
    var version: [String] = []

    @Option(name: .long, help: "Cipher suite (IANA name; repeat for several, in preference order). Default: the scenario's.")
    var cipher: [String] = []

    @Option(name: .long, help: "Key-exchange group (x25519, secp256r1; repeat for several). Default: the scenario's.")
    var group: [String] = []

    @Option(name: .long, help: "Certificate name in the scenario's PKI folder (server-rsa, server-ecdsa, server-ed25519; client for mutual TLS).")
    var certificate: String?

    @Option(name: .long, help: "serve: ask for a client certificate (none, request, require; mutual TLS).")
    var clientAuth: String?

    @Flag(name: .long, help: "Do not offer or accept the extended master secret (TLS 1.2, RFC 7627).")
    var noEms = false

    @Flag(name: .long, help: "Do not offer or accept encrypt-then-MAC (TLS 1.2 CBC suites, RFC 7366).")
    var noEtm = false

    @Option(name: .long, help: "connect: groups to send a TLS 1.3 key share for in the first ClientHello (repeat; default: the first --group). A server that wants another group answers with a HelloRetryRequest.")
    var keyShare: [String] = []

    @Flag(name: .long, help: "serve: issue session tickets (TLS 1.3 NewSessionTicket; TLS 1.2 RFC 5077 when asked). connect: offer RFC 5077 tickets in TLS 1.2 (TLS 1.3 needs no offer).")
    var sessionTickets = false

    @Flag(name: .long, help: "serve: TLS 1.2 — give sessions an ID and keep them, so clients can resume them (RFC 5246 §7.4.1.2).")
    var sessionCache = false

    @Option(name: .long, help: "serve: TLS 1.3 — accept up to N bytes of 0-RTT early data (announced in its tickets; implies --session-tickets).")
    var maxEarlyData: UInt32?

    @Flag(name: .long, help: "serve: TLS 1.3 — put a cookie in HelloRetryRequest (RFC 8446 §4.2.2).")
    var helloRetryCookie = false

    @Option(name: .long, help: "connect: TLS 1.3 PSK key exchange modes to offer when resuming (psk_dhe_ke, psk_ke; repeat).")
    var pskMode: [String] = []

    @Option(name: .long, help: "Seconds a silent peer is given before TLSLab gives up.")
    var timeout: Double = 10

    @Option(name: .long, parsing: .unconditional, help: "Seeded randomness instead of the operating system's generator (reproducible, for experiments only).")
    var seed: UInt64?

    /// Options of the other command are an error, not silently ignored (`serve` and `connect` share this group).
    func rejectOptions(notFor command: String) throws {
        let foreign: [(set: Bool, flag: String)] =
            command == "serve"
            ? [(!keyShare.isEmpty, "--key-share"), (!pskMode.isEmpty, "--psk-mode")]
            : [
                (clientAuth != nil, "--client-auth"), (sessionCache, "--session-cache"),
                (maxEarlyData != nil, "--max-early-data"), (helloRetryCookie, "--hello-retry-cookie"),
            ]
        if let first = foreign.first(where: \.set) {
            let other = command == "serve" ? "connect" : "serve"
            throw ValidationError("\(first.flag) is an option of tlslab \(other), not of tlslab \(command)")
        }
    }

    func validate() throws {
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        if let clientAuth, !ScenarioSchema.clientAuthModes.contains(clientAuth) {
            throw ValidationError("--client-auth must be \(ScenarioSchema.clientAuthModes.joined(separator: ", "))")
        }
        for v in version where ScenarioSchema.version(named: v) == nil {
            throw ValidationError("unknown version '\(v)'; use TLS1.2 or TLS1.3")
        }
        for c in cipher where CipherSuite(name: c) == nil {
            throw ValidationError("unknown cipher suite '\(c)'; known: \(ScenarioSchema.cipherSuites.map(\.description).joined(separator: ", "))")
        }
        for g in group + keyShare where NamedGroup(name: g) == nil || !ScenarioSchema.groups.contains(NamedGroup(name: g) ?? .x448) {
            throw ValidationError("unknown group '\(g)'; use \(ScenarioSchema.groups.map(\.description).joined(separator: " or "))")
        }
        for mode in pskMode where !ScenarioSchema.pskModes.contains(mode) {
            throw ValidationError("unknown PSK mode '\(mode)'; use \(ScenarioSchema.pskModes.joined(separator: " or "))")
        }
    }

    func settings(stop: StopSignal) -> PeerSettings {
        PeerSettings(idleTimeout: .milliseconds(Int64(timeout * 1000)), stop: stop)
    }

    /// The scenario with the overrides applied to the side TLSLab plays.
    func apply(to scenario: Scenario, side: Side) throws -> Scenario {
        var s = scenario
        let versions = version.compactMap(ScenarioSchema.version(named:))
        let suites = cipher.compactMap(CipherSuite.init(name:))
        let groups = group.compactMap(NamedGroup.init(name:))
        if side == .server {
            if !versions.isEmpty { s.server.versions = versions }
            if !suites.isEmpty { s.server.cipherSuites = suites }
            if !groups.isEmpty { s.server.groups = groups }
            if let certificate { s.server.certificate = certificate }
            if let clientAuth {
                s.server.clientAuth = clientAuth
                // The CertificateRequest lists the server's signature algorithms: a client sends its certificate
                // only if its key can make one of them, so list what the demo client keys use too (after the
                // server's own preferences, which still decide how the server signs).
                let verifiable: [SignatureScheme] = [.ecdsa_secp256r1_sha256, .rsa_pss_rsae_sha256, .ed25519, .rsa_pkcs1_sha256]
                for scheme in verifiable where !s.server.signatureAlgorithms.contains(scheme) {
                    s.server.signatureAlgorithms.append(scheme)
                }
            }
            if noEms { s.server.extendedMasterSecret = false }
            if noEtm { s.server.encryptThenMAC = false }
            if sessionTickets { s.server.sessionTickets = true }
            if sessionCache { s.server.sessionCache = true }
            if let maxEarlyData {
                s.server.maxEarlyData = maxEarlyData
                if maxEarlyData > 0 { s.server.sessionTickets = true }
            }
            if helloRetryCookie { s.server.helloRetryCookie = true }
        } else {
            if !versions.isEmpty { s.client.versions = versions }
            if !suites.isEmpty { s.client.cipherSuites = suites }
            if !groups.isEmpty {
                s.client.groups = groups
                s.client.keyShares = [groups[0]]
            }
            let shares = keyShare.compactMap(NamedGroup.init(name:))
            if !shares.isEmpty {
                s.client.keyShares = shares
                for g in shares where !s.client.groups.contains(g) { s.client.groups.append(g) }
            }
            if sessionTickets { s.client.sessionTickets = true }
            if !pskMode.isEmpty { s.client.pskModes = pskMode.map { $0 == "psk_ke" ? .pskKE : .pskDHEKE } }
            if let certificate {
                s.client.certificate = certificate
                // The client must be able to sign its CertificateVerify: offer what its key can make.
                let key: Credential
                do {
                    key = try Credential.load(name: certificate, directory: s.pkiDirectory)
                } catch {
                    throw CLIError("cannot load certificate '\(certificate)' from \(s.pkiDirectory.path): \(error)")
                }
                for scheme in key.privateKey.supportedSchemes where !s.client.signatureAlgorithms.contains(scheme) {
                    s.client.signatureAlgorithms.append(scheme)
                }
            }
            if noEms { s.client.extendedMasterSecret = false }
            if noEtm { s.client.encryptThenMAC = false }
        }
        return s
    }
}
