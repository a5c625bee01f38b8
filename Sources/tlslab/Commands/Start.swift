import ArgumentParser
import Foundation
import TLSExport
import TLSScenario
import TLSSimulator
import TLSTerminal
import TLSTranscript
import TLSViewModel

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Pick a scenario and step through its handshake (the default command).",
        discussion: """
            On a terminal this opens the start screen: every scenario with its version and key-exchange badges, \
            in three sections (core handshakes, beyond one handshake, failure lab); / filters by typing; Enter \
            runs the chosen one and opens the stepper (`?` there lists every key). When standard output is not a \
            terminal, or TERM is unset or unknown, it prints the text walkthrough of the default scenario (tls13) \
            instead.
            """)

    @OptionGroup var scenarioOptions: ScenarioOptions

    @Flag(name: .long, help: "Print TLSLab's version and exit.")
    var version = false

    func run() async throws {
        if version {
            print(tlslabVersion)
            return
        }
        guard TerminalCapabilities.interactive() else {
            let transcript = try await TranscriptSource.load("tls13", seed: nil, options: scenarioOptions)
            print(TextWalkthrough.render(transcript), terminator: "")
            return
        }
        let catalog = try scenarioOptions.catalog()
        let items = catalog.entries().map { entry -> ScenarioItem in
            switch entry.result {
            case .success(let s):
                return ScenarioItem(
                    name: entry.name, title: s.title, description: s.description, versionBadge: s.versionBadge,
                    keyExchangeBadge: s.keyExchangeBadge, group: Self.group(s))
            case .failure(let error):
                return .broken(name: entry.name, problem: "\(error)")
            }
        }
        let exit = try await TerminalApp.run(
            scenarios: items, preferred: "tls13",
            runner: { name in try await Simulator.run(try catalog.resolve(name)) },
            exports: InteractiveUI.exports(), saver: InteractiveUI.saver)
        try InteractiveUI.finish(exit)
    }

    /// The start screen's section: the failure lab (a lab note, an attacker on the channel, an eavesdropper),
    /// beyond one handshake (several connections, a key update), or the core handshakes.
    static func group(_ s: Scenario) -> ScenarioGroup {
        if s.lab != nil || s.eavesdropper != nil || !s.channel.isEmpty || s.name.hasPrefix("lab-") { return .lab }
        if s.connections.count > 1 || s.connections.contains(where: \.keyUpdate) { return .beyond }
        return .core
    }
}
