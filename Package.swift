// swift-tools-version: 6.0
import PackageDescription

// Layers import only downward (see docs/architecture.md):
//   TLSWire → TLSCrypto → TLSPKI → TLSHandshake → TLSTranscript/TLSScenario → TLSSimulator
//   → TLSExport / TLSViewModel → TLSTerminal → tlslab (CLI wiring only)
// TLSTeaching (explanations, lessons, quiz, comparison) reads transcripts and scenarios; the UI and the CLI use it.
let swiftSettings: [SwiftSetting] = [.swiftLanguageMode(.v6), .unsafeFlags(["-cross-module-optimization"], .when(configuration: .release))]

let package = Package(
    name: "TLSLab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "tlslab", targets: ["tlslab"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams.git", exact: "6.2.2"),
    ],
    targets: [
        // 1. Wire codec: records, handshake messages, extensions, alerts. No crypto.
        .target(name: "TLSWire", swiftSettings: swiftSettings),
        // 2. Crypto and key schedules, record protection, derivation steps.
        .target(
            name: "TLSCrypto",
            dependencies: [
                "TLSWire",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // 2b. Certificates: demo PKI, chain validation (swift-certificates).
        .target(
            name: "TLSPKI",
            dependencies: [
                "TLSWire", "TLSCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ],
            swiftSettings: swiftSettings),
        // 3. Handshake state machines: pure, synchronous.
        .target(name: "TLSHandshake", dependencies: ["TLSWire", "TLSCrypto", "TLSPKI"], swiftSettings: swiftSettings),
        // Data: the Codable record of a run.
        .target(name: "TLSTranscript", dependencies: ["TLSWire", "TLSCrypto"], swiftSettings: swiftSettings),
        // Scenario files (YAML) and their strict validation.
        .target(
            name: "TLSScenario",
            dependencies: ["TLSWire", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        // 4. Simulator: actors, recorded channel, seeded randomness.
        .target(
            name: "TLSSimulator",
            dependencies: ["TLSWire", "TLSCrypto", "TLSPKI", "TLSHandshake", "TLSTranscript", "TLSScenario"],
            swiftSettings: swiftSettings),
        // 5. Exporters read only the transcript.

        // 5b. Real peers: TCP drivers around Connection (POSIX sockets), `serve` and `connect`.
        .target(
            name: "TLSNet",
            dependencies: [
                "TLSWire", "TLSCrypto", "TLSPKI", "TLSHandshake", "TLSTranscript", "TLSScenario", "TLSSimulator",
                "TLSExport",
            ],
            swiftSettings: swiftSettings),
        // Measurements behind `tlslab bench`.
        .target(
            name: "TLSBench",
            dependencies: ["TLSWire", "TLSCrypto", "TLSPKI", "TLSHandshake", "TLSTranscript", "TLSScenario", "TLSSimulator", "TLSExport"],
            swiftSettings: swiftSettings),
        // Teaching content and pure models: explanations, explain topics, glossary, lessons, quiz, comparison.
        .target(
            name: "TLSTeaching",
            dependencies: [
                "TLSWire", "TLSCrypto", "TLSTranscript", "TLSScenario", .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings),
        // 5. Exporters read only the transcript (and the teaching layer's explanations).
        .target(name: "TLSExport", dependencies: ["TLSTranscript", "TLSTeaching"], swiftSettings: swiftSettings),
        // 5b. The interactive stepper's state, reducer and rendering to a grid of styled cells: pure, no terminal.
        // The teaching layer (explanations, glossary, quiz, lessons) is shown through it.
        .target(
            name: "TLSViewModel", dependencies: ["TLSTranscript", "TLSWire", "TLSCrypto", "TLSTeaching"],
            swiftSettings: swiftSettings),
        // ncursesw, through a shim header (macros and C globals wrapped as functions; see Sources/CNCurses/shim.h).
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses"),
        // 5c. The only code that touches the terminal: draws view-model grids with ncurses, reads keys, signals.
        .target(
            name: "TLSTerminal", dependencies: ["TLSViewModel", "TLSTranscript", "CNCurses"],
            swiftSettings: swiftSettings),
        // 6. CLI wiring.
        .executableTarget(
            name: "tlslab",
            dependencies: [
                "TLSWire", "TLSCrypto", "TLSPKI", "TLSHandshake", "TLSTranscript", "TLSScenario", "TLSSimulator",
                "TLSExport", "TLSNet", "TLSBench", "TLSTeaching", "TLSViewModel", "TLSTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings),

        // Fuzzing (docs/hardening.md): harnesses, fixtures and seeds; one executable per libFuzzer target. Built
        // with `--sanitize fuzzer -Xswiftc -DFUZZING` they are libFuzzer binaries, otherwise replay drivers.
        .target(
            name: "TLSFuzzSupport",
            dependencies: ["TLSWire", "TLSCrypto", "TLSPKI", "TLSHandshake", "TLSScenario", "TLSSimulator"],
            swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzRecords", dependencies: ["TLSFuzzSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzMessages", dependencies: ["TLSFuzzSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzClient", dependencies: ["TLSFuzzSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzServer", dependencies: ["TLSFuzzSupport"], swiftSettings: swiftSettings),
        .executableTarget(name: "FuzzFlights", dependencies: ["TLSFuzzSupport"], swiftSettings: swiftSettings),

        .testTarget(name: "TLSWireTests", dependencies: ["TLSWire"], swiftSettings: swiftSettings),
        // Published test vectors (RFC 8448 traces) shared by several test targets.
        .target(name: "TLSTestVectors", path: "Tests/TLSTestVectors", swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSCryptoTests",
            dependencies: [
                "TLSCrypto", "TLSWire", "TLSTestVectors", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(name: "TLSPKITests", dependencies: ["TLSPKI", "TLSCrypto"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSHandshakeTests", dependencies: ["TLSHandshake", "TLSWire", "TLSCrypto", "TLSPKI", "TLSTestVectors"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSScenarioTests",
            dependencies: ["TLSScenario", "TLSWire", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSExportTests",
            dependencies: ["TLSExport", "TLSTranscript", "TLSSimulator", "TLSScenario", "TLSWire", "TLSHandshake"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSSimulatorTests",
            dependencies: ["TLSSimulator", "TLSTranscript", "TLSScenario", "TLSExport", "TLSWire", "TLSCrypto"],
            exclude: ["Golden"],
            swiftSettings: swiftSettings),
        // Real peers (OpenSSL, GnuTLS, curl on loopback) and packet captures checked with tshark.
        .testTarget(
            name: "TLSNetTests",
            dependencies: [
                "TLSNet", "TLSSimulator", "TLSHandshake", "TLSTranscript", "TLSScenario", "TLSExport", "TLSWire",
                "TLSCrypto", "TLSPKI",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSTeachingTests",
            dependencies: [
                "TLSTeaching", "TLSSimulator", "TLSScenario", "TLSTranscript", "TLSWire", "TLSCrypto",
                .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: swiftSettings),
        // Snapshot files live in __Snapshots__ and are read through #filePath (TLSLAB_UPDATE_SNAPSHOTS=1 records).
        .testTarget(
            name: "TLSViewModelTests",
            dependencies: [
                "TLSViewModel", "TLSTranscript", "TLSWire", "TLSCrypto", "TLSScenario", "TLSSimulator", "TLSTeaching",
            ],
            exclude: ["__Snapshots__"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TLSBenchTests",
            dependencies: ["TLSBench", "TLSSimulator", "TLSScenario", "TLSTranscript", "TLSCrypto"],
            swiftSettings: swiftSettings),
        // Runs the built tlslab binary under tmux (skipped when tmux is not installed).
        .testTarget(name: "TLSEndToEndTests", swiftSettings: swiftSettings),
    ]
)
