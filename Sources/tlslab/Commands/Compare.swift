import ArgumentParser
import Foundation
import TLSTeaching
import TLSTranscript

struct Compare: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show two scenarios side by side: round trips, what is encrypted, keys, what each side proves.",
        discussion: """
            A and B are scenario names, .yaml files or saved transcripts (.json). Both are run and compared from \
            their transcripts. For a scenario with several connections (resumption, 0-RTT) pick one with \
            --connection-a / --connection-b (from 1).
            """)

    @Argument(help: "The left scenario.")
    var a: String

    @Argument(help: "The right scenario.")
    var b: String

    @Option(name: .long, help: "Connection of A to compare (from 1).")
    var connectionA = 1

    @Option(name: .long, help: "Connection of B to compare (from 1).")
    var connectionB = 1

    @Option(name: .long, help: "Total width in columns (at least 60).")
    var width = 100

    @OptionGroup var scenarioOptions: ScenarioOptions

    func validate() throws {
        guard width >= 60 else { throw ValidationError("--width must be at least 60") }
        guard connectionA >= 1, connectionB >= 1 else { throw ValidationError("connections count from 1") }
    }

    func run() async throws {
        let left = try await TranscriptSource.load(a, seed: nil, options: scenarioOptions)
        let right = try await TranscriptSource.load(b, seed: nil, options: scenarioOptions)
        for (t, c, name, flag) in [(left, connectionA, a, "--connection-a"), (right, connectionB, b, "--connection-b")] {
            let count = max(1, t.connections.count)
            guard c <= count else {
                throw CLIError("\(name) has \(count) connection\(count == 1 ? "" : "s"); \(flag) must be 1 … \(count)")
            }
        }
        let comparison = Comparison(left, right, connectionA: connectionA - 1, connectionB: connectionB - 1)
        print(comparison.text(width: width), terminator: "")
    }
}
