import ArgumentParser
import Foundation
import TLSPKI

struct PKICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pki",
        abstract: "Regenerate the demo PKI (root CA, server and client certificates) the scenarios use.",
        discussion: """
            Writes PEM files into the output folder (default Scenarios/pki), including the failure lab's broken \
            certificates (expired, not yet valid, wrong host, untrusted issuer, self-signed). Existing files are \
            replaced, except the root: if the folder already has ca.pem and ca.key, they sign the new certificates \
            and stay as they are (delete both for a new root). --lab-only writes just the failure lab's files.
            """)

    @Option(name: .long, help: "Output folder.")
    var out: String = "Scenarios/pki"

    @Option(name: .long, help: "First day of validity (YYYY-MM-DD).")
    var notBefore: String = "2020-01-01"

    @Option(name: .long, help: "Years of validity.")
    var years: Int = 50

    @Flag(name: .long, help: "Write only the failure lab's certificates, signed by the existing root.")
    var labOnly = false

    func run() async throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        guard let start = formatter.date(from: notBefore) else {
            throw ValidationError("--not-before must be a date like 2020-01-01")
        }
        let directory = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let files =
            labOnly
            ? try DemoPKI.generateLab(into: directory, notBefore: start, years: years)
            : try DemoPKI.generate(into: directory, notBefore: start, years: years)
        for file in files { print("wrote \(file)") }
    }
}
