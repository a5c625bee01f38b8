import Foundation
import TLSHandshake
import TLSWire

/// Seed corpora from the golden transcripts (`Tests/TLSSimulatorTests/Golden/*.json`: `records[].hex`,
/// `messages[].hex`) and, for the structured target, from the fixtures' live runs.
public enum Seeds {
    /// `$TLSLAB_GOLDEN`, else the golden folder of the checkout this file was compiled from.
    public static func goldenDirectory(sourceFile: String = #filePath) -> URL {
        if let configured = ProcessInfo.processInfo.environment["TLSLAB_GOLDEN"], !configured.isEmpty {
            return URL(fileURLWithPath: configured, isDirectory: true)
        }
        return URL(fileURLWithPath: sourceFile).deletingLastPathComponent()  // Sources/TLSFuzzSupport
            .deletingLastPathComponent().deletingLastPathComponent()  // the checkout
            .appendingPathComponent("Tests/TLSSimulatorTests/Golden", isDirectory: true)
    }

    struct Golden {
        struct Record {
            var connection: Int
            var from: Side
            var bytes: [UInt8]
        }
        struct Message {
            var connection: Int
            var bytes: [UInt8]
        }
        var scenario: String
        var records: [Record]
        var messages: [Message]
        /// Per connection: the negotiated version and key exchange, as the decode context for its messages.
        var contexts: [Int: DecodeContext]
    }

    static func loadGoldens(_ directory: URL) throws -> [Golden] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".json") }
            .sorted()
        return try files.map { file in
            let data = try Data(contentsOf: directory.appendingPathComponent(file))
            guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw SeedError("\(file): not a JSON object")
            }
            let records = (root["records"] as? [[String: Any]] ?? []).compactMap { r -> Golden.Record? in
                guard let hex = r["hex"] as? String, let bytes = [UInt8](hex: hex) else { return nil }
                return Golden.Record(
                    connection: r["connection"] as? Int ?? 0, from: (r["from"] as? String) == "server" ? .server : .client,
                    bytes: bytes)
            }
            let messages = (root["messages"] as? [[String: Any]] ?? []).compactMap { m -> Golden.Message? in
                guard let hex = m["hex"] as? String, let bytes = [UInt8](hex: hex) else { return nil }
                return Golden.Message(connection: m["connection"] as? Int ?? 0, bytes: bytes)
            }
            var contexts: [Int: DecodeContext] = [:]
            for c in root["connections"] as? [[String: Any]] ?? [] {
                guard let index = c["index"] as? Int, let n = c["negotiated"] as? [String: Any] else { continue }
                let version = n["version"] as? String
                let kx = n["key_exchange"] as? String
                contexts[index] = DecodeContext(
                    version: version == "TLS 1.3" ? .tls13 : version == "TLS 1.2" ? .tls12 : nil,
                    keyExchange: kx == "RSA" ? .rsa : kx == "ECDHE" ? .ecdhe : nil)
            }
            return Golden(
                scenario: root["scenario"] as? String ?? String(file.dropLast(5)), records: records,
                messages: messages, contexts: contexts)
        }
    }

    struct SeedError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// The seeds of `target`, named.
    public static func seeds(for target: FuzzTarget, golden: URL = goldenDirectory()) throws -> [(String, [UInt8])] {
        var out: [(String, [UInt8])] = []
        switch target {
        case .records:
            var k = 0
            for g in try loadGoldens(golden) {
                for connection in Set(g.records.map(\.connection)).sorted() {
                    for from in [Side.client, .server] {
                        let stream = g.records.filter { $0.connection == connection && $0.from == from }.flatMap(\.bytes)
                        guard !stream.isEmpty else { continue }
                        let selector = UInt8(truncatingIfNeeded: 2 | (k % 10) << 3 | (k % 7 == 0 ? 0x80 : 0))
                        k += 1
                        out.append(("\(g.scenario)-c\(connection + 1)-\(from)", [selector] + stream))
                    }
                }
            }
        case .messages:
            var seen: Set<[UInt8]> = []
            for g in try loadGoldens(golden) {
                for (i, m) in g.messages.enumerated() {
                    let selector = MessageTarget.selector(for: g.contexts[m.connection] ?? DecodeContext())
                        | (i % 5 == 0 ? 0x30 : 0)
                    let seed = [selector] + m.bytes
                    if seen.insert(seed).inserted {
                        let name = HandshakeType(rawValue: m.bytes.first ?? 0).name ?? "unknown"
                        out.append(("\(g.scenario)-m\(i)-\(name)", seed))
                    }
                }
            }
        case .client, .server:
            let peer: Side = target == .client ? .server : .client
            for g in try loadGoldens(golden) {
                for connection in Set(g.records.map(\.connection)).sorted() {
                    guard let index = Fixtures.index(scenario: g.scenario, connection: connection), index < 64 else {
                        continue
                    }
                    let stream = g.records.filter { $0.connection == connection && $0.from == peer }.flatMap(\.bytes)
                    out.append(("\(g.scenario)-c\(connection + 1)", [UInt8(index)] + stream))
                }
            }
        case .flights:
            for index in Fixtures.all.indices {
                for receiver in [Side.client, .server] {
                    out.append(
                        ("\(Fixtures.all[index].name)-to-\(receiver)",
                         FlightInput.seed(fixture: index, receiver: receiver).bytes))
                }
            }
        }
        return out
    }

    /// A report on the seeds of a stateful target: does each reproduce a completed handshake?
    public static func report(for target: FuzzTarget, _ seeds: [(String, [UInt8])]) -> [String] {
        seeds.map { name, seed in
            let driven: Driven
            switch target {
            case .client, .server:
                let side: Side = target == .client ? .client : .server
                var d = Driven(Fixtures.all[Int(seed[0] & 0x3f) % Fixtures.all.count].endpoint(side).initial)
                d.receive(Array(seed.dropFirst()))
                d.finish()
                driven = d
            case .flights:
                guard let input = FlightInput(seed) else { return "\(name): empty" }
                driven = FlightTarget.deliver(input)
            default:
                return "\(name): \(seed.count) bytes"
            }
            let alerts = driven.events.compactMap { e -> String? in
                if case .alertSent(let a, let reason) = e, a.level == .fatal { return "\(a.description_) (\(reason))" }
                return nil
            }
            let completed = driven.events.contains { if case .handshakeCompleted = $0 { true } else { false } }
            return "\(name): \(seed.count) bytes, handshake \(completed ? "completed" : "NOT completed")"
                + (alerts.isEmpty ? "" : ", sent \(alerts.joined(separator: "; "))")
        }
    }

    /// Whether the fixtures' live runs sent exactly the golden records (they should: same scenario, same seed).
    public static func compareWithGoldens(golden: URL = goldenDirectory()) throws -> [String] {
        var lines: [String] = []
        for g in try loadGoldens(golden) {
            for connection in Set(g.records.map(\.connection)).sorted() {
                guard let index = Fixtures.index(scenario: g.scenario, connection: connection) else { continue }
                let fixture = Fixtures.all[index]
                for side in [Side.client, .server] {
                    let expected = g.records.filter { $0.connection == connection && $0.from == side }.map(\.bytes)
                    let live = fixture.endpoint(side).sent.map(\.bytes)
                    lines.append(
                        "\(fixture.name) \(side): \(live == expected ? "same \(live.count) records as the golden" : "DIFFERS from the golden (\(live.count) vs \(expected.count) records)")"
                    )
                }
            }
        }
        return lines
    }
}
