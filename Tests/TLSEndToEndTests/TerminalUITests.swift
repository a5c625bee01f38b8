import Foundation
import XCTest

/// The built binary driven under tmux: real ncurses, real keys, resizes and signals.
final class TerminalUITests: XCTestCase {
    /// The tls12-rsa steps in order (RFC 5246 §7.3 full handshake, then data and closure alerts).
    static let tls12RSASteps = [
        "ClientHello", "ServerHello", "Certificate", "ServerHelloDone", "ClientKeyExchange", "ChangeCipherSpec",
        "Finished", "ChangeCipherSpec", "Finished", "Application data (60 bytes)", "Application data (103 bytes)",
        "Alert: close_notify", "Alert: close_notify",
    ]

    var binary = URL(fileURLWithPath: "/")

    /// `tmux-256color` when its terminfo entry is installed (ncurses-base on recent Debian/Ubuntu), else
    /// `screen-256color`; tlslab draws its own Unicode lines, so either shows the same text.
    static let terminalType: String = {
        (try? runProgram("infocmp", ["tmux-256color"]).status) == 0 ? "tmux-256color" : "screen-256color"
    }()

    override func setUpWithError() throws {
        guard TmuxSession.isInstalled else { throw XCTSkip("tmux is not installed") }
        binary = try tlslabBinary()
    }

    /// A shell command that runs tlslab with a UTF-8 locale and a known TERM, then prints its exit status and
    /// whether the terminal is back in canonical mode with echo.
    func command(_ arguments: String, directory: URL? = nil, environment: String = "") -> String {
        let cd = directory.map { "cd \(shellQuote($0.path)) && " } ?? ""
        let env =
            "env TERM=\(Self.terminalType) LANG=C.UTF-8 LC_ALL=C.UTF-8 TLSLAB_SCENARIOS=\(shellQuote(repositoryRoot.appendingPathComponent("Scenarios").path)) \(environment)"
        return
            "\(cd)\(env) \(shellQuote(binary.path)) \(arguments); echo \"EXITED rc=$?\"; echo \"TTY icanon=$(stty -a | grep -c -- ' icanon') echo=$(stty -a | grep -c -- ' echo ')\"; sleep 600"
    }

    /// The exit line and terminal modes after the program ended.
    func assertExited(_ tmux: TmuxSession, status: Int32, file: StaticString = #filePath, line: UInt = #line) throws {
        let screen = try tmux.wait(for: "TTY ", file: file, line: line)
        XCTAssertTrue(screen.contains("EXITED rc=\(status)"), screen, file: file, line: line)
        let tty = screen.components(separatedBy: "\n").first { $0.hasPrefix("TTY ") } ?? ""
        // Restored: canonical input and echo on again (stty prints "-icanon"/"-echo" when they are off).
        XCTAssertEqual(tty, "TTY icanon=1 echo=1", file: file, line: line)
        // The alternate screen is gone: no pane frames left behind.
        XCTAssertFalse(screen.contains("Ladder"), screen, file: file, line: line)
    }

    /// The text of the secrets pane's client and server columns.
    func secretsColumns(_ screen: String) -> (client: String, server: String) {
        let lines = screen.components(separatedBy: "\n").map { Array($0) }
        guard let header = lines.firstIndex(where: { String($0).contains("Server knows") }),
            let serverColumn = String(lines[header]).range(of: "Server knows").map({
                String(lines[header])[..<$0.lowerBound].count
            }),
            let clientColumn = String(lines[header]).range(of: "Client knows").map({
                String(lines[header])[..<$0.lowerBound].count
            })
        else { return ("", "") }
        var client = ""
        var server = ""
        for row in lines[header...] {
            guard row.count > serverColumn else { continue }
            client += String(row[clientColumn..<serverColumn]) + "\n"
            server += String(row[serverColumn...]) + "\n"
        }
        return (client, server)
    }

    func testStepThroughTheHandshakeResizeAndQuit() throws {
        let tmux = try TmuxSession(command: command("show tls12-rsa"), width: 120, height: 40)
        defer { tmux.kill() }
        let steps = Self.tls12RSASteps
        var screen = try tmux.wait(for: "Step 1/13 · ClientHello")
        // The ladder lists every message in order, client → server and server → client.
        var row = 0
        let rows = screen.components(separatedBy: "\n")
        for title in ["ClientHello ─", "─ ServerHello", "─ Certificate", "─ ServerHelloDone", "ClientKeyExchange ─"] {
            let found = try XCTUnwrap(rows.indices.first { $0 >= row && rows[$0].contains(title) }, title)
            row = found + 1
        }
        XCTAssertTrue(screen.contains("[enc] Finished"))
        XCTAssertTrue(screen.contains("Client knows 1 (1 new)"), screen)

        for (index, title) in steps.enumerated().dropFirst() {
            tmux.send("Right")
            screen = try tmux.wait(for: "Step \(index + 1)/13 · \(title)")
            let (client, server) = secretsColumns(screen)
            switch title {
            case "ServerHelloDone":
                // The client derives its whole key schedule before answering; the server knows nothing of it.
                XCTAssertTrue(client.contains("● master_secret"), client)
                XCTAssertTrue(client.contains("● premaster_secret"), client)
                XCTAssertFalse(server.contains("master_secret"), server)
            case "ClientKeyExchange":
                XCTAssertTrue(server.contains("● premaster_secret"), server)
                XCTAssertTrue(server.contains("● master_secret"), server)
            default:
                break
            }
        }
        XCTAssertTrue(screen.contains("handshake completed"))

        // Too small, then back.
        tmux.resize(width: 70, height: 20)
        try tmux.wait(for: "Enlarge the window to at least 80×24")
        tmux.resize(width: 80, height: 24)
        screen = try tmux.wait(for: "Step 13/13")
        XCTAssertTrue(screen.contains("Ladder"))
        tmux.resize(width: 200, height: 50)
        screen = try tmux.wait(for: "who knows what after step 13") { $0.contains("Ladder") && $0.contains("who knows what") }
        // Help, Escape closes it, q quits.
        tmux.send("?")
        try tmux.wait(for: "presenter mode")
        tmux.send("Escape")
        try tmux.wait(for: "help closed") { !$0.contains("presenter mode") && $0.contains("Ladder") }
        tmux.send("q")
        try assertExited(tmux, status: 0)
    }

    func testDerivationWindowFromTheSecretsPane() throws {
        let tmux = try TmuxSession(command: command("show tls12-rsa"), width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.wait(for: "Step 1/13")
        tmux.send("d", "d")  // ServerHello, then ServerHelloDone: the client's key schedule
        try tmux.wait(for: "Step 4/13 · ServerHelloDone")
        tmux.send("BTab")
        try tmux.wait(for: "how it was derived")
        tmux.send("Down", "Down", "Down", "Enter")  // premaster → pkcs1_block → encrypted_premaster → master_secret
        let screen = try tmux.wait(for: "Derivation · master_secret")
        XCTAssertTrue(screen.contains("PRF(premaster_secret, \"master secret\""), screen)
        XCTAssertTrue(screen.contains("The server computes the same bytes at step 5 (ClientKeyExchange)"), screen)
        tmux.send("Enter")  // follow the premaster secret
        try tmux.wait(for: "Derivation · premaster_secret")
        tmux.send("Escape")
        try tmux.wait(for: "Derivation · master_secret")
        tmux.send("Escape", "Left")
        try tmux.wait(for: "Step 3/13 · Certificate")
        tmux.send("q")
        try assertExited(tmux, status: 0)
    }

    func testCtrlCRestoresTheTerminal() throws {
        let tmux = try TmuxSession(command: command("show tls13-ed25519-chacha"), width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.wait(for: "Step 1/11")
        tmux.send("C-c")
        try assertExited(tmux, status: 130)
    }

    func testCtrlZSuspendsAndFgResumes() throws {
        // An interactive shell, for job control.
        let tmux = try TmuxSession(command: "env PS1='PROMPT> ' bash --norc --noprofile -i", width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.wait(for: "PROMPT>")
        tmux.send(
            "env TERM=\(Self.terminalType) LANG=C.UTF-8 LC_ALL=C.UTF-8 TLSLAB_SCENARIOS=\(shellQuote(repositoryRoot.appendingPathComponent("Scenarios").path)) \(shellQuote(binary.path)) show tls12-rsa",
            "Enter")
        try tmux.wait(for: "Step 1/13")
        tmux.send("C-z")
        try tmux.wait(for: "Stopped")
        tmux.send("stty -a | grep -c -- ' icanon'", "Enter")
        try tmux.wait(for: "terminal restored while suspended") { $0.contains("icanon'\n1") }
        tmux.send("fg", "Enter")
        // The old frame is still above the shell's lines until TLSLab redraws; only then is it reading keys again.
        try tmux.wait(for: "the stepper redrawn after fg") { $0.contains("Step 1/13") && !$0.contains("PROMPT> fg") }
        // Arrow keys still arrive as keys (the keypad mode is back on).
        tmux.send("Right")
        try tmux.wait(for: "Step 2/13")
        tmux.send("q")
        try tmux.wait(for: "the shell again") { !$0.contains("Ladder") }
        tmux.send("echo rc=$?", "Enter")
        try tmux.wait(for: "rc=0")
    }

    func testSIGTERMRestoresTheTerminal() throws {
        let tmux = try TmuxSession(command: command("show tls12-rsa"), width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.wait(for: "Step 1/13")
        let shell = try XCTUnwrap(tmux.panePID)
        let children = try runProgram("ps", ["-o", "pid=,comm=", "--ppid", String(shell)]).output
        let line = try XCTUnwrap(children.components(separatedBy: "\n").first { $0.contains("tlslab") }, children)
        let pid = try XCTUnwrap(Int32(line.split(separator: " ").first ?? ""), line)
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        try assertExited(tmux, status: 143)
    }

    func testStartScreenRunsScenariosAndExports() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tlslab-e2e-\(UUID().uuidString)")
        let scenarios = root.appendingPathComponent("scenarios")
        let work = root.appendingPathComponent("work")
        try FileManager.default.createDirectory(at: scenarios, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        let shipped = repositoryRoot.appendingPathComponent("Scenarios")
        for name in ["tls12-rsa", "tls13-ed25519-chacha"] {
            try FileManager.default.copyItem(
                at: shipped.appendingPathComponent("\(name).yaml"), to: scenarios.appendingPathComponent("\(name).yaml"))
        }
        try FileManager.default.createSymbolicLink(
            at: scenarios.appendingPathComponent("pki"), withDestinationURL: shipped.appendingPathComponent("pki"))
        try "title: Broken\nno_such_key: 1\n".write(
            to: scenarios.appendingPathComponent("a-broken.yaml"), atomically: true, encoding: .utf8)

        let tmux = try TmuxSession(
            command: command("", directory: work, environment: "TLSLAB_SCENARIOS=\(shellQuote(scenarios.path))"), width: 100,
            height: 30)
        defer { tmux.kill() }
        var screen = try tmux.wait(for: "choose a scenario")
        XCTAssertTrue(screen.contains("a-broken"), screen)
        XCTAssertTrue(screen.contains("[broken]"), screen)
        XCTAssertTrue(screen.contains("[TLS 1.2] [RSA]"), screen)
        XCTAssertTrue(screen.contains("[TLS 1.3] [(EC)DHE]"), screen)
        // The cursor starts on the first scenario that loads.
        tmux.send("Enter")
        try tmux.wait(for: "Step 1/13 · ClientHello")
        tmux.send("e")
        screen = try tmux.wait(for: "wrote ")
        let file = work.appendingPathComponent("tlslab-tls12-rsa-seed1.json")
        let data = try Data(contentsOf: file)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "tlslab-transcript")
        XCTAssertEqual(json["scenario"] as? String, "tls12-rsa")
        // Back to the list, the next scenario.
        tmux.send("s")
        try tmux.wait(for: "choose a scenario")
        tmux.send("Down", "Enter")
        try tmux.wait(for: "Step 1/11 · ClientHello")
        tmux.send("q")
        try assertExited(tmux, status: 0)
        // The saved transcript reopens as is.
        let reopen = try TmuxSession(command: command("show \(shellQuote(file.path))"), width: 100, height: 30)
        defer { reopen.kill() }
        try reopen.wait(for: "Step 1/13 · ClientHello")
        reopen.send("End")
        try reopen.wait(for: "Step 13/13")
        reopen.send("Escape")
        try assertExited(reopen, status: 0)
    }

    // MARK: The teaching layer

    func testPresenterModeToggleKeepsTheStepKeys() throws {
        let tmux = try TmuxSession(command: command("show tls12-rsa"), width: 120, height: 40)
        defer { tmux.kill() }
        try tmux.wait(for: "Step 1/13 · ClientHello")
        tmux.send("P")
        var screen = try tmux.wait(for: "leave presenter mode")
        XCTAssertFalse(screen.contains("Ladder"), screen)
        XCTAssertTrue(screen.contains("step 1 of 13"), screen)
        // The title in large block letters.
        XCTAssertTrue(screen.contains("█") || screen.contains("▀"), screen)
        tmux.send("Right", "Right")
        screen = try tmux.wait(for: "step 3 of 13")
        XCTAssertTrue(screen.contains("server → client"), screen)
        tmux.send("P")
        try tmux.wait(for: "Step 3/13 · Certificate")
        // The explanation window and the glossary from the stepper.
        tmux.send("x")
        try tmux.wait(for: "Explanation · Certificate")
        tmux.send("Escape", "g")
        try tmux.wait(for: "Glossary · ")
        tmux.send("Escape", "q")
        try assertExited(tmux, status: 0)
    }

    func testQuizAnswerRevealAndSaveTheScore() throws {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("tlslab-e2e-quiz-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let tmux = try TmuxSession(command: command("show tls12-rsa --quiz", directory: work), width: 100, height: 30)
        defer { tmux.kill() }
        var screen = try tmux.wait(for: "Quiz · question 1 of ")
        XCTAssertFalse(screen.contains("ClientHello ─"), "the step is hidden until the answer")
        tmux.send("1")
        screen = try tmux.wait(for: "the verdict") { $0.contains("Right.") || $0.contains("Not quite") }
        tmux.send("Enter")
        try tmux.wait(for: "Step 1/13 · ClientHello")
        tmux.send("Right")
        try tmux.wait(for: "Quiz · question 2 of ")
        tmux.send("Escape")
        try tmux.wait(for: "your score")
        tmux.send("w")
        try tmux.wait(for: "wrote quiz score to")
        let file = work.appendingPathComponent("tlslab-quiz-tls12-rsa-seed1.json")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        XCTAssertEqual(json["format"] as? String, "tlslab-quiz-score")
        XCTAssertEqual(json["scenario"] as? String, "tls12-rsa")
        XCTAssertEqual((json["answers"] as? [[String: Any]])?.first?["chosen"] != nil, true)
        // The Markdown handout next to it.
        tmux.send("Enter", "m")
        try tmux.wait(for: "tlslab-tls12-rsa-seed1.md")
        let markdown = try String(contentsOf: work.appendingPathComponent("tlslab-tls12-rsa-seed1.md"), encoding: .utf8)
        XCTAssertTrue(markdown.hasPrefix("#"), String(markdown.prefix(100)))
        tmux.send("q")
        try assertExited(tmux, status: 0)
    }

    func testLessonStepsThroughCuesAndPauses() throws {
        let tmux = try TmuxSession(command: command("show --lesson tls12-rsa"), width: 100, height: 30)
        defer { tmux.kill() }
        try tmux.wait(for: "Lesson: TLS 1.2 with RSA key exchange")
        tmux.send("n")
        try tmux.wait(for: "Part 1 of 6 · Why a handshake?")
        tmux.send("n")
        var screen = try tmux.wait(for: "pause: ask the class")
        XCTAssertTrue(screen.contains("n shows the answer"), screen)
        tmux.send("n")
        try tmux.wait(for: "(answer: ")
        tmux.send("n", "n")
        screen = try tmux.wait(for: "Step 2/13 · ServerHello")
        XCTAssertTrue(screen.contains("Part 2 of 6"), screen)
        tmux.send("p")
        try tmux.wait(for: "Part 2 of 6 · Hello, certificate, done · 10 min")
        tmux.send("q")
        try assertExited(tmux, status: 0)
    }

    func testASCIIFallbackWithoutAUTF8Locale() throws {
        let tmux = try TmuxSession(
            command: command("show tls12-rsa", environment: "LANG=C LC_ALL=C NO_COLOR=1"), width: 100, height: 30)
        defer { tmux.kill() }
        let screen = try tmux.wait(for: "Step 1/13 | ClientHello")
        XCTAssertTrue(screen.contains("+ Ladder"), screen)
        XCTAssertTrue(screen.contains("ClientHello ---"), screen)
        XCTAssertFalse(screen.contains("─"), screen)
        tmux.send("q")
        try assertExited(tmux, status: 0)
    }

    func testWithoutTERMItPrintsTheWalkthrough() throws {
        let tmux = try TmuxSession(
            command:
                "env -u TERM TLSLAB_SCENARIOS=\(shellQuote(repositoryRoot.appendingPathComponent("Scenarios").path)) \(shellQuote(binary.path)) show tls12-rsa | tail -3; echo \"EXITED rc=$?\"; sleep 600",
            width: 120, height: 30)
        defer { tmux.kill() }
        let screen = try tmux.wait(for: "EXITED rc=0")
        XCTAssertTrue(screen.contains("Outcome: completed"), screen)
    }
}

/// Without a terminal: plain text, no escape codes, exit status 0.
final class PlainOutputTests: XCTestCase {
    func testPipedOutputIsTheTextWalkthrough() throws {
        let binary = try tlslabBinary()
        var environment = ProcessInfo.processInfo.environment
        environment["TERM"] = "xterm-256color"
        environment["TLSLAB_SCENARIOS"] = repositoryRoot.appendingPathComponent("Scenarios").path
        for (arguments, title) in [(["show", "tls12-rsa"], "TLSLab — TLS 1.2 with RSA key exchange"), ([], "TLSLab — TLS 1.3")] {
            let result = try runProgram(binary.path, arguments, environment: environment)
            XCTAssertEqual(result.status, 0, "\(arguments)")
            XCTAssertTrue(result.output.hasPrefix(title), String(result.output.prefix(200)))
            XCTAssertFalse(result.output.contains("\u{1b}"), "escape codes in piped output")
            XCTAssertTrue(result.output.contains("Outcome: completed"))
        }
        // A lesson without a terminal: the teacher's script, as `tlslab lesson NAME` prints it.
        let lesson = try runProgram(binary.path, ["show", "--lesson", "tls12-rsa"], environment: environment)
        XCTAssertEqual(lesson.status, 0)
        XCTAssertTrue(lesson.output.hasPrefix("══ Lesson: TLS 1.2 with RSA key exchange"), String(lesson.output.prefix(200)))
        XCTAssertTrue(lesson.output.contains("— pause: ask the class:"))
        let script = try runProgram(binary.path, ["lesson", "tls12-rsa"], environment: environment)
        XCTAssertEqual(lesson.output, script.output)
        // A scenario and a lesson at once is a usage error.
        XCTAssertNotEqual(try runProgram(binary.path, ["show", "tls13", "--lesson", "tls12-rsa"], environment: environment).status, 0)
    }
}
