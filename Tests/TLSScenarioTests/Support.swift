import Foundation
import XCTest

@testable import TLSScenario

/// The repository's Scenarios folder, found from this file (Tests/TLSScenarioTests/… → ../../Scenarios).
let shippedScenariosDirectory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Scenarios", isDirectory: true)

/// The shipped scenario names, as the brief lists them.
let shippedScenarioNames = [
    "tls12-chacha", "tls12-ecdhe-ecdsa", "tls12-ecdhe-rsa", "tls12-ecdhe-rsa-cbc", "tls12-rsa", "tls12-rsa-gcm",
    "tls13", "tls13-ed25519-chacha", "tls13-p256-ecdsa",
]

/// A fresh temporary directory, removed when the test ends.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("TLSScenarioTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url
}

/// A PKI directory with placeholder files named like the demo PKI (Scenarios/pki): the loader only checks that
/// the files exist.
func makeDummyPKI(in directory: URL, test: XCTestCase) throws -> URL {
    let pki = directory.appendingPathComponent("pki", isDirectory: true)
    try FileManager.default.createDirectory(at: pki, withIntermediateDirectories: true)
    let files = [
        "ca.pem", "ca.key", "server-rsa.pem", "server-rsa.key", "server-ecdsa.pem", "server-ecdsa.key",
        "server-ed25519.pem", "server-ed25519.key", "client.pem", "client.key", "README.md",
    ]
    for file in files {
        try Data("placeholder\n".utf8).write(to: pki.appendingPathComponent(file))
    }
    return pki
}

/// `2026-06-01T12:00:00Z`, computed independently of the loader.
var june2026: Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
    let components = DateComponents(year: 2026, month: 6, day: 1, hour: 12, minute: 0, second: 0)
    return calendar.date(from: components) ?? Date.distantPast
}
