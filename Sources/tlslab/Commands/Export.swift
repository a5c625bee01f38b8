import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript

enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case markdown, json, keylog, pcapng, pcap
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a transcript: a Markdown handout, JSON, an NSS key log, or a packet capture.",
        discussion: """
            SOURCE is a scenario (name or .yaml path), which is run first, or a saved transcript (.json), which is \
            read as is. Without -o the export goes to standard output. Files are written atomically.

            --format pcap also writes the key log next to the capture (FILE.keys).
            """)

    @Argument(help: "Scenario name, scenario .yaml file, or transcript .json file.")
    var source: String

    @Option(name: .long, help: "markdown, json, keylog, pcapng or pcap.")
    var format: ExportFormat = .markdown

    @Option(name: .shortAndLong, help: "Output file (default: standard output).")
    var output: String?

    @Option(name: .long, parsing: .unconditional, help: "Override the scenario's random seed (scenarios only).")
    var seed: UInt64?

    @Flag(name: .long, help: "Markdown: leave out the hex dumps.")
    var noHex = false

    @Flag(name: .long, help: "Markdown: blank out every secret value (a worksheet for students).")
    var noSecrets = false

    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        if format != .markdown {
            if noHex { throw ValidationError("--no-hex applies to --format markdown only") }
            if noSecrets { throw ValidationError("--no-secrets applies to --format markdown only") }
        }
    }

    func run() async throws {
        let transcript = try await TranscriptSource.load(source, seed: seed, options: scenarioOptions)
        let data: Data
        switch format {
        case .markdown:
            data = Data(
                try MarkdownExporter.render(transcript, options: MarkdownOptions(includeHex: !noHex, includeSecrets: !noSecrets)).utf8)
        case .json:
            data = try transcript.jsonData() + Data("\n".utf8)
        case .keylog:
            data = Data(transcript.keylog.utf8)
        case .pcapng:
            data = try PcapExporter.pcapng(transcript)
        case .pcap:
            data = try PcapExporter.pcap(transcript)
        }
        guard let output else {
            if format == .pcap || format == .pcapng, isatty(STDOUT_FILENO) != 0 {
                throw CLIError("a packet capture is binary: write it to a file with -o FILE")
            }
            FileHandle.standardOutput.write(data)
            return
        }
        let url = URL(fileURLWithPath: output)
        try AtomicFile.write(data, to: url)
        if format == .pcap {
            let keys = url.appendingPathExtension("keys")
            try AtomicFile.write(Data(transcript.keylog.utf8), to: keys)
            FileHandle.standardError.write(Data("wrote \(url.path) and \(keys.path)\n".utf8))
        } else {
            FileHandle.standardError.write(Data("wrote \(url.path)\n".utf8))
        }
    }
}

/// A transcript from a scenario (run now) or from a saved JSON file (read as is: no recomputation, no randomness).
enum TranscriptSource {
    static func isTranscriptFile(_ source: String) -> Bool { source.lowercased().hasSuffix(".json") }

    static func load(_ source: String, seed: UInt64?, options: ScenarioOptions) async throws -> Transcript {
        if isTranscriptFile(source) {
            if seed != nil { throw ValidationError("--seed applies to scenarios, not to a saved transcript") }
            let url = URL(fileURLWithPath: source)
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw CLIError("cannot read \(source): \(error.localizedDescription)")
            }
            do {
                return try Transcript.load(json: data)
            } catch {
                throw CLIError("\(source): \(error)")
            }
        }
        let scenario = try options.resolve(source)
        do {
            return try await Simulator.run(scenario, seed: seed)
        } catch {
            throw CLIError("\(error)")
        }
    }
}
