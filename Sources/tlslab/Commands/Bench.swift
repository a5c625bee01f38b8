import ArgumentParser
import Foundation
import TLSBench
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTranscript
import TLSViewModel

struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure handshake cost against its public-key floor, start-up, export and memory.",
        discussion: """
            Build in release mode first (swift build -c release) and run .build/release/tlslab bench: debug builds \
            are several times slower. Each handshake is a full recorded in-process run (every byte and secret kept); \
            its CPU time is compared with the CPU time of the public-key operations the same handshake needs. \
            Figures are medians of the repetitions. docs/performance.md explains them.
            """)

    @Option(name: .long, help: "Handshakes per configuration.")
    var iterations: Int = 200

    @Option(name: .long, help: "Handshakes for the memory-growth check (0 to skip).")
    var memoryHandshakes: Int = 10_000

    @Flag(name: .long, help: "Also show where each handshake's time goes (bare protocol, certificate validation, field trees).")
    var breakdown = false

    @Option(name: .long, help: "Only the handshake configuration whose name contains this text (e.g. ECDSA); skips the other measurements.")
    var only: String?

    @OptionGroup var scenarioOptions: ScenarioOptions

    func run() async throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be at least 1") }
        #if DEBUG
        print("warning: this is a debug build; measure with swift build -c release && .build/release/tlslab bench\n")
        #endif
        let catalog = try scenarioOptions.catalog()
        let configurations = try Benchmark.configurations(catalog: catalog)

        print("Handshakes (CPU µs per handshake, median of \(iterations); target: ratio ≤ 1.5)")
        print(pad("configuration", 30) + pad("handshake", 12) + pad("public-key", 12) + "ratio")
        for configuration in configurations where only.map({ configuration.name.contains($0) }) ?? true {
            let line = try await Benchmark.measure(configuration, iterations: iterations)
            print(
                pad(line.name, 30) + pad(format(line.handshakeMicroseconds), 12)
                    + pad(format(line.publicKeyMicroseconds), 12) + String(format: "%.2f×", line.ratio))
            print("  public-key work: \(line.publicKeyDescription)")
            if breakdown {
                let b = try await Benchmark.breakdown(configuration, iterations: max(10, iterations / 4))
                print(
                    "  breakdown: bare protocol \(format(b.bareHandshake)) µs (incl. certificate validation \(format(b.certificateValidation)) µs), full recorded run \(format(b.fullRecordedRun)) µs; decoding the messages' field trees (done when a transcript is first read) \(format(b.fieldTrees)) µs"
                )
                let floor = line.publicKeyMicroseconds + b.symmetricWork
                print(
                    "  symmetric cryptography alone: \(format(b.symmetricWork)) µs (\(b.symmetricSummary)); with the public-key work \(format(floor)) µs = \(String(format: "%.2f", line.publicKeyMicroseconds > 0 ? floor / line.publicKeyMicroseconds : 0))× before any bookkeeping"
                )
            }
        }

        if only != nil { return }
        print("\nStart-up (target < 10 ms)")
        if let startup = try measureStartup(["list"] + (scenarioOptions.scenarios.map { ["--scenarios", $0] } ?? [])),
            let floor = try measureStartup(["--version"])
        {
            print("  built binary to first output: \(format(startup)) µs wall clock (median of 20 runs of `tlslab list`)")
            print("  of which loading the process: \(format(floor)) µs (`tlslab --version`, which prints at once)")
        } else {
            print("  (skipped: could not run the binary)")
        }

        print("\nExport (target < 20 ms per handshake)")
        let sample = try await Simulator.run(try catalog.resolve("tls13-ed25519-chacha"))
        let markdown = try time(50) { _ = try MarkdownExporter.render(sample) }
        let json = try time(50) { _ = try sample.jsonData() }
        let text = time(50) { _ = TextWalkthrough.render(sample) }
        print("  Markdown \(format(markdown)) µs, JSON \(format(json)) µs, text \(format(text)) µs (median of 50, tls13-ed25519-chacha)")

        print("\nUI step (target < 5 ms)")
        let uiSample = try await Simulator.run(try catalog.resolve("tls12-rsa"))
        for (width, height) in [(80, 24), (120, 40), (200, 60)] {
            var model = AppModel(transcript: uiSample)
            let steps = model.data?.steps.count ?? 0
            _ = model.render(width: width, height: height, glyphs: .utf8)
            var samples: [Double] = []
            for _ in 0..<5 {
                for _ in 1..<max(1, steps) {
                    let start = processCPUMicroseconds()
                    _ = model.handle(.right)
                    _ = model.render(width: width, height: height, glyphs: .utf8)
                    samples.append(processCPUMicroseconds() - start)
                }
                _ = model.handle(.home)
            }
            print(
                "  \(width)×\(height): \(format(median(samples))) µs median, \(format(samples.max() ?? 0)) µs slowest (→ and a whole frame rendered to the grid, every step of tls12-rsa, 5 times)"
            )
        }

        print("\nThe whole catalog (target < 1 s)")
        let names = catalog.names()
        let scenarios = try names.map { try catalog.resolve($0) }
        let catalogStart = Date()
        for scenario in scenarios { _ = try await Simulator.run(scenario) }
        print("  \(names.count) scenarios in \(format(Date().timeIntervalSince(catalogStart) * 1000)) ms wall clock")

        if memoryHandshakes > 0 {
            print("\nMemory (target: no growth over \(memoryHandshakes) handshakes)")
            let configuration = configurations[2]
            for i in 0..<200 { _ = try await Simulator.run(configuration.scenario, seed: UInt64(i), setup: configuration.setup) }
            let before = residentBytes()
            for i in 0..<memoryHandshakes {
                _ = try await Simulator.run(configuration.scenario, seed: UInt64(i), setup: configuration.setup)
            }
            let after = residentBytes()
            print(
                "  resident \(before / 1024) KiB after warm-up, \(after / 1024) KiB after \(memoryHandshakes) more handshakes (\(after >= before ? "+" : "")\((after - before) / 1024) KiB); peak \(peakResidentBytes() / 1024) KiB"
            )
        }
    }

    func time(_ repetitions: Int, _ body: () throws -> Void) rethrows -> Double {
        var samples: [Double] = []
        for _ in 0..<repetitions {
            let start = processCPUMicroseconds()
            try body()
            samples.append(processCPUMicroseconds() - start)
        }
        return median(samples)
    }

    /// Wall-clock time from spawning the binary with `arguments` to its first byte of output.
    func measureStartup(_ arguments: [String]) throws -> Double? {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { return nil }
        var samples: [Double] = []
        for _ in 0..<20 {
            let process = Process()
            process.executableURL = binary
            process.arguments = arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            let start = Date()
            try process.run()
            _ = pipe.fileHandleForReading.availableData
            samples.append(Date().timeIntervalSince(start) * 1_000_000)
            process.waitUntilExit()
        }
        return median(samples)
    }

    func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count + 1), withPad: " ", startingAt: 0) }
    func format(_ v: Double) -> String { String(format: v >= 100 ? "%.0f" : "%.1f", v) }
}
