import Foundation
import TLSCrypto
import TLSHandshake
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire
import XCTest

/// The repository, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let scenariosDirectory = repositoryRoot.appendingPathComponent("Scenarios")
let pkiDirectory = scenariosDirectory.appendingPathComponent("pki")
let catalog = ScenarioCatalog(directory: scenariosDirectory)

func scenario(_ name: String) throws -> Scenario { try catalog.resolve(name) }

/// A handshake between a simulated client and a simulated server where only the server is recorded
/// (`simulatedSides: [.server]`): the client stands in for a real peer whose bytes the test may cut and
/// regroup before the server sees them — the path `tlslab serve` records real clients with.
struct ServerOnlyRelay {
    var client: Connection
    var server: Connection
    var recorder: TranscriptRecorder
    var index = 0
    /// Rewrites the client's bytes of one flight before the server reads them (records as sent, in order).
    var regroup: ([TLSRecord]) -> [[UInt8]] = { records in records.map(\.bytes) }
    var request = Array("GET / HTTP/1.1\r\nHost: www.example.com\r\n\r\n".utf8)
    var clientGotResponse = false

    init(_ scenario: Scenario) throws {
        let setup = try ScenarioSetup(scenario)
        client = Connection(client: setup.client, random: RandomSource(seed: 1, stream: "client"))
        server = Connection(server: setup.server, random: RandomSource(seed: 1, stream: "server"))
        recorder = TranscriptRecorder(
            scenario: scenario.name, title: scenario.title, description: "", seed: 1, clock: scenario.clock,
            configuration: ConfigurationSummary(), simulatedSides: [.server])
    }

    mutating func run() async -> Transcript {
        var toServer = await clientEvents(client.start())
        var rounds = 0
        while !toServer.isEmpty, rounds < 20 {
            rounds += 1
            var toClient: [UInt8] = []
            for chunk in regroup(toServer) {
                toClient += await serverEvents(server.receive(chunk))
            }
            toServer = await clientEvents(client.receive(toClient))
        }
        return recorder.finish(completed: clientGotResponse)
    }

    /// The client's records (the "real peer": not recorded from its side).
    private mutating func clientEvents(_ events: [ConnectionEvent]) async -> [TLSRecord] {
        var out: [TLSRecord] = []
        for event in events {
            switch event {
            case .record(let r) where r.direction == .sent: out.append(r.record)
            case .validationNeeded(let request):
                out += await clientEvents(client.provide(await request.perform()))
            case .handshakeCompleted: out += await clientEvents(client.send(applicationData: request))
            case .applicationData:
                clientGotResponse = true
                out += await clientEvents(client.close())
            default: break
            }
        }
        return out
    }

    /// The server's events, recorded; returns the bytes it sent.
    private mutating func serverEvents(_ events: [ConnectionEvent]) async -> [UInt8] {
        var out: [UInt8] = []
        for event in events {
            switch event {
            case .record(let r):
                if r.direction == .sent {
                    recorder.recordSent(by: .server, r, index: index, delivery: ChannelDelivery(delivered: r.record.bytes))
                    out += r.record.bytes
                } else {
                    recorder.recordReceived(by: .server, r, index: index)
                }
                index += 1
            case .validationNeeded(let request):
                recorder.add(event, side: .server)
                let verdict = await request.perform()
                recorder.validation(verdict, side: .server)
                out += await serverEvents(server.provide(verdict))
            case .applicationData:
                recorder.add(event, side: .server)
                out += await serverEvents(server.send(applicationData: Array("HTTP/1.1 200 OK\r\n\r\n".utf8)))
            default:
                recorder.add(event, side: .server)
            }
        }
        return out
    }
}

/// Splits plaintext handshake records into `TLSRecord`s carrying the same handshake bytes cut at `sizes`
/// (the rest in a last record), and merges consecutive plaintext handshake records into one.
enum Regroup {
    static func split(_ record: TLSRecord, at sizes: [Int]) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var rest = record.fragment[...]
        for size in sizes where size < rest.count {
            out.append(TLSRecord(contentType: record.contentType, legacyVersion: record.legacyVersion, fragment: Array(rest.prefix(size))).bytes)
            rest = rest.dropFirst(size)
        }
        out.append(TLSRecord(contentType: record.contentType, legacyVersion: record.legacyVersion, fragment: Array(rest)).bytes)
        return out
    }
}
