import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSWire

@main
struct TLSLab: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tlslab",
        abstract: "An educational TLS handshake simulator: real TLS 1.2 and 1.3, every byte and secret shown.",
        discussion: """
            With no subcommand, tlslab walks through the default scenario (tls13).
            Scenarios live in the Scenarios/ folder; `tlslab list` shows them.
            """,
        subcommands: [Start.self, Run.self, List.self, Decode.self, PKICommand.self],
        defaultSubcommand: Start.self)
}

/// Options shared by commands that take a scenario.
struct ScenarioOptions: ParsableArguments {
    @Option(name: .long, help: "Folder of scenario files (default: $TLSLAB_SCENARIOS, ./Scenarios, or the source checkout's).")
    var scenarios: String?

    func catalog() throws -> ScenarioCatalog {
        if let scenarios { return ScenarioCatalog(directory: URL(fileURLWithPath: scenarios)) }
        guard let directory = ScenarioCatalog.defaultDirectory() else {
            throw ValidationError("no Scenarios folder found: run from the TLSLab checkout or pass --scenarios DIR")
        }
        return ScenarioCatalog(directory: directory)
    }

    func resolve(_ nameOrPath: String) throws -> Scenario {
        do {
            return try catalog().resolve(nameOrPath)
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CLIError("\(error)")
        }
    }
}

/// An error printed as is, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Walk through the default scenario (tls13) — the main way to use TLSLab.")

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let scenario = try scenarioOptions.resolve("tls13")
        let transcript = try await Simulator.run(scenario)
        print(TextWalkthrough.render(transcript), terminator: "")
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a scenario and print its walkthrough (or its transcript as JSON).",
        discussion: "SCENARIO is a name from `tlslab list` or a path to a scenario YAML file.")

    @Argument(help: "Scenario name or path to a .yaml file.")
    var scenario: String

    @Option(name: .long, help: "Output format: text or json.")
    var format: OutputFormat = .text

    @Option(name: .long, help: "Override the scenario's random seed.")
    var seed: UInt64?

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let scenario = try scenarioOptions.resolve(self.scenario)
        let transcript = try await Simulator.run(scenario, seed: seed)
        switch format {
        case .text:
            print(TextWalkthrough.render(transcript), terminator: "")
        case .json:
            FileHandle.standardOutput.write(try transcript.jsonData())
            print()
        }
    }
}

struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List the scenarios with a one-line description each.")

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        let entries = try scenarioOptions.catalog().entries()
        let width = min(28, entries.map(\.name.count).max() ?? 10)
        for entry in entries {
            let name = entry.name.padding(toLength: width, withPad: " ", startingAt: 0)
            switch entry.result {
            case .success(let s):
                print("\(name)  \(s.title) — \(s.description.split(separator: "\n").joined(separator: " "))")
            case .failure(let error):
                print("\(name)  BROKEN: \(error)")
            }
        }
    }
}

struct Decode: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain TLS bytes: records or a bare handshake message, field by field.",
        discussion: """
            Paste hex as Wireshark shows it ("Copy as hex stream" or with spaces/colons); `-` reads stdin.
            Every field is printed with its offset, length, value and meaning.
            """)

    @Argument(help: "Hex bytes, or - to read them from standard input.")
    var hex: [String]

    func run() async throws {
        var text = hex.joined(separator: " ")
        if text == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let bytes = [UInt8](hex: text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CLIError(
                "not hex: expected pairs of hex digits (spaces, colons and a 0x prefix are fine), e.g. 16 03 01 00 2f 01 …")
        }
        guard !bytes.isEmpty else { throw CLIError("no bytes to decode") }
        let result = Dissector.dissect(bytes)
        print(Dissector.render(result), terminator: "")
        if result.error != nil { throw ExitCode(2) }
    }
}
