import Foundation
import TLSWire
import Yams

/// The certificate files in a PKI directory, listed once per load.
struct PKIDirectory {
    let url: URL
    let exists: Bool
    /// Names `n` with an `n.pem` file (trust anchors).
    let certificateNames: [String]
    /// Names `n` with both `n.pem` and `n.key` (credentials: a certificate and its private key).
    let credentialNames: [String]

    init(url: URL) {
        self.url = url
        var isDirectory: ObjCBool = false
        exists = FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) && isDirectory.boolValue
        let files = Set((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
        let pems = files.filter { $0.hasSuffix(".pem") }.map { String($0.dropLast(4)) }.sorted()
        certificateNames = pems
        credentialNames = pems.filter { files.contains($0 + ".key") }
    }

    /// The directory as a learner would type it.
    var display: String { url.relativePath }
}

/// A closed set of names a list item may take: protocol versions, cipher suites, groups, signature schemes.
struct Vocabulary<Value: Equatable & Sendable>: Sendable {
    /// `cipher suite`
    var noun: String
    /// `cipher suite names`
    var plural: String
    /// The accepted spellings, listed in error messages.
    var names: [String]
    var value: @Sendable (String) -> Value?
    /// Whether YAML numbers are accepted (versions may be written `1.2`).
    var acceptsNumbers = false
    /// A better explanation than "unknown" for a name TLSLab knows but does not accept.
    var explain: @Sendable (String) -> String? = { _ in nil }
}

/// The sections of a scenario file and the keys each allows.
enum Section: CaseIterable {
    case topLevel, client, server, applicationData, connection, channel, rewrite, lab, expect, eavesdropper

    var keys: [String] {
        switch self {
        case .topLevel: ScenarioSchema.topLevelKeys
        case .client: ScenarioSchema.clientKeys
        case .server: ScenarioSchema.serverKeys
        case .applicationData: ScenarioSchema.applicationDataKeys
        case .connection: ScenarioSchema.connectionKeys
        case .channel: ScenarioSchema.channelKeys
        case .rewrite: ScenarioSchema.rewriteKeys
        case .lab: ScenarioSchema.labKeys
        case .expect: ScenarioSchema.expectKeys
        case .eavesdropper: ScenarioSchema.eavesdropperKeys
        }
    }
    /// As written in a file (`client`), empty for the top level.
    var name: String {
        switch self {
        case .topLevel: ""
        case .client: "client"
        case .server: "server"
        case .applicationData: "application_data"
        case .connection: "a connections item"
        case .channel: "a channel rule"
        case .rewrite: "a channel rule's set"
        case .lab: "lab"
        case .expect: "expect"
        case .eavesdropper: "eavesdropper"
        }
    }
    /// One key and value of the section, for "expected the keys of …" messages.
    var example: String {
        switch self {
        case .topLevel: "title: …"
        case .client, .server: "versions: [TLS1.3]"
        case .applicationData: "request: …"
        case .connection: "resume: true"
        case .channel: "action: drop"
        case .rewrite: "supported_versions: [TLS1.2]"
        case .lab: "symptom: …"
        case .expect: "outcome: failed"
        case .eavesdropper: "server_key_leaked: true"
        }
    }
    var location: String { self == .topLevel ? "at the top level" : "in \(name)" }
    /// `client.cipher_suites`
    func path(_ key: String) -> String { self == .topLevel ? key : "\(name).\(key)" }
}

/// Walks a composed YAML tree in document order and builds a `Scenario`, throwing at the first problem.
struct ScenarioReader {
    let file: String
    /// Nil when PEM files are not checked.
    let pki: PKIDirectory?

    func scenario(from root: Node?, name: String, sourcePath: String, pkiDirectory: URL) throws -> Scenario {
        guard let root else {
            throw ScenarioError(
                file: file, line: 1, column: 1,
                message: "the file is empty; a scenario needs at least a title and a description")
        }
        var title: String?
        var description: String?
        var seed = Scenario.defaultSeed
        var clock = Scenario.defaultClock
        var client = ClientSpec()
        var server = ServerSpec()
        var applicationData = ApplicationDataSpec()
        var connections = [ConnectionSpec()]
        var channel: [ChannelRuleSpec] = []
        var lab: LabNote?
        var expect: Expectation?
        var eavesdropper: EavesdropperSpec?
        // Channel rules are checked against the number of connections once the whole document is read (the two
        // sections may come in either order): each rule with the node of its `connection:` value.
        var channelConnectionNodes: [Node?] = []
        let given = try forEachField(of: root, in: .topLevel) { key, value in
            switch key {
            case "title": title = try requiredText(value, key: key)
            case "description": description = try requiredText(value, key: key)
            case "seed": seed = try self.seed(value)
            case "clock": clock = try date(value, key: key)
            case "client": client = try clientSpec(value)
            case "server": server = try serverSpec(value)
            case "connections":
                let nodes = try items(value, key: key)
                if nodes.isEmpty {
                    throw fail(value, "connections must list at least one connection (write '- {}' for a full handshake)")
                }
                connections = try nodes.enumerated().map { index, node in try connectionSpec(node, index: index) }
            case "channel":
                let rules = try items(value, key: key).map(channelRule)
                channel = rules.map(\.rule)
                channelConnectionNodes = rules.map(\.connectionNode)
            case "lab": lab = try labNote(value)
            case "expect": expect = try expectation(value)
            case "eavesdropper": eavesdropper = try eavesdropperSpec(value)
            default: applicationData = try applicationDataSpec(value)
            }
        }
        for (rule, node) in zip(channel, channelConnectionNodes) where rule.connection > connections.count {
            let count = connections.count == 1 ? "1 connection" : "\(connections.count) connections"
            let allowed = connections.count == 1 ? "1" : "1 … \(connections.count)"
            throw fail(
                node ?? root,
                "the channel rule acts on connection \(rule.connection), but the scenario has \(count); allowed: \(allowed)")
        }
        guard let title else { throw missing("title", in: root) }
        guard let description else { throw missing("description", in: root) }
        // Sections left out entirely use the defaults, whose certificate names must exist too.
        if !given.contains("client") { try checkDefaultTrust(client.trust, path: "client.trust", at: root) }
        if !given.contains("server") {
            try checkDefaultTrust(server.trust, path: "server.trust", at: root)
            try checkDefaultCredential(server.certificate, at: root)
        }
        var scenario = Scenario(
            name: name, title: title, description: description, seed: seed, clock: clock, client: client,
            server: server, applicationData: applicationData, sourcePath: sourcePath, pkiDirectory: pkiDirectory)
        scenario.connections = connections
        scenario.channel = channel
        scenario.lab = lab
        scenario.expect = expect
        scenario.eavesdropper = eavesdropper
        return scenario
    }

    // MARK: Connections, channel rules, lab notes, expectations

    /// The items of a YAML list.
    private func items(_ node: Node, key: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw fail(node, "expected a list for \(key) (items start with '- '), \(found(node))")
        }
        return Array(sequence)
    }

    /// Item `index` (0-based) of `connections:`. Each rule is checked where the learner wrote the offending value.
    private func connectionSpec(_ node: Node, index: Int) throws -> ConnectionSpec {
        var spec = ConnectionSpec()
        var values: [String: Node] = [:]
        let number = index + 1
        _ = try forEachField(of: node, in: .connection) { key, value in
            values[key] = value
            switch key {
            case "label": spec.label = try requiredText(value, key: key)
            case "resume":
                spec.resume = try bool(value, key: key)
                if spec.resume && index == 0 {
                    throw fail(value, "the first connection cannot resume: there is no earlier session to resume")
                }
            case "early_data": spec.earlyData = try text(value, key: key)
            case "key_update": spec.keyUpdate = try bool(value, key: key)
            case "reject_early_data": spec.rejectEarlyData = try bool(value, key: key)
            default:
                let replayed = try positiveInt(value, key: key)
                if index == 0 {
                    throw fail(value, "the first connection cannot be a replay: there is no earlier connection to replay")
                }
                guard replayed <= index else {
                    let allowed = index == 1 ? "1" : "1 … \(index)"
                    throw fail(
                        value,
                        "connection \(number) cannot replay connection \(replayed): a replay repeats an earlier connection; allowed: \(allowed)")
                }
                spec.replayOf = replayed
            }
        }
        if let replayed = spec.replayOf {
            // A replay is the attacker re-sending recorded bytes, not a client: nothing else applies to it.
            let flags: [(key: String, set: Bool)] = [
                ("resume", spec.resume), ("early_data", spec.earlyData != nil), ("key_update", spec.keyUpdate),
            ]
            var conflicting: (key: String, node: Node)?
            for flag in flags where flag.set {
                guard let value = values[flag.key] else { continue }
                if let earlier = conflicting, comesBefore(earlier.node, value) { continue }
                conflicting = (flag.key, value)
            }
            if let (key, value) = conflicting {
                throw fail(
                    value,
                    "connection \(number) is a replay of connection \(replayed): the attacker re-sends its recorded first flight as it was, so \(key) does not apply")
            }
        }
        if let earlyData = values["early_data"], !spec.resume {
            throw fail(
                earlyData,
                "connection \(number) sends early_data without resume: true; 0-RTT data is protected with a ticket from an earlier connection (RFC 8446 §4.2.10)")
        }
        return spec
    }

    /// One `channel:` item, and the node of its `connection:` value (checked once all connections are known).
    private func channelRule(_ node: Node) throws -> (rule: ChannelRuleSpec, connectionNode: Node?) {
        var action: ChannelRuleSpec.Action?
        var target: String?
        var rule = ChannelRuleSpec(action: .tamper, target: "")
        var keyNodes: [String: Node] = [:]
        var values: [String: Node] = [:]
        var setNode: Node?
        try forEachField(of: node, in: .channel) { key, keyNode, value in
            keyNodes[key] = keyNode
            values[key] = value
            switch key {
            case "action":
                let name = try choice(value, key: key, noun: "channel action", allowed: ScenarioSchema.channelActions)
                action = ChannelRuleSpec.Action(rawValue: name)
            case "connection": rule.connection = try positiveInt(value, key: key)
            case "from": rule.from = try side(value, key: key)
            case "record": target = try choice(value, key: key, noun: "record", allowed: ScenarioSchema.recordTargets)
            case "occurrence": rule.occurrence = try positiveInt(value, key: key)
            case "byte": rule.byte = try int(value, key: key)
            case "xor":
                guard let v = try integer(value, key: key), (1...255).contains(v) else {
                    throw fail(value, "xor must be a byte value that changes something; allowed: 1 … 255 (0x01 … 0xff)")
                }
                rule.xor = UInt8(v)
            case "hex":
                let text = try self.text(value, key: key)
                guard let bytes = [UInt8](hex: text) else {
                    throw fail(
                        value,
                        "hex must be pairs of hexadecimal digits, one pair per byte (spaces, ':' and '-' between bytes are allowed)")
                }
                guard bytes.count >= 5 else {
                    throw fail(value, "hex must be a whole record: at least the 5-byte header (RFC 8446 §5.1), found \(bytes.count) bytes")
                }
                rule.hex = bytes
            default:
                setNode = value
                let given = try forEachField(of: value, in: .rewrite) { key, value in
                    let path = "set.\(key)"
                    if key == "supported_versions" {
                        rule.rewriteVersions = try list(value, path: path, of: Self.versions, mayBeEmpty: false).values
                    } else {
                        rule.rewriteCipherSuites = try list(value, path: path, of: Self.cipherSuites, mayBeEmpty: false).values
                    }
                }
                if given.isEmpty {
                    throw fail(value, "set must change something; allowed keys: \(ScenarioSchema.rewriteKeys.joined(separator: ", "))")
                }
            }
        }
        guard let action else {
            throw fail(node, "a channel rule needs an action; allowed: \(ScenarioSchema.channelActions.joined(separator: ", "))")
        }
        guard let target else {
            throw fail(
                node,
                "a channel rule needs a record (which record it acts on); allowed: \(ScenarioSchema.recordTargets.joined(separator: ", "))")
        }
        rule.action = action
        rule.target = target
        // Keys that belong to another action would be silently ignored: refuse them where they are written.
        for (key, actions) in ScenarioSchema.channelActionKeys where !actions.contains(action) {
            guard let keyNode = keyNodes[key] else { continue }
            let owners = actions.map(\.rawValue).joined(separator: ", ")
            throw fail(keyNode, "\(key) does not apply to a \(action.rawValue) rule (only to \(owners))")
        }
        if action == .rewrite && target != "ClientHello" {
            throw fail(
                values["record"] ?? node,
                "rewrite works on the ClientHello only (later messages are covered by the Finished MACs, signed or encrypted); allowed: ClientHello")
        }
        // A record the watched side never sends would never match.
        let senders = ScenarioSchema.senders(of: target)
        if let recordNode = values["record"], !senders.contains(rule.from) {
            let sender = senders.first == .server ? "server" : "client"
            let from = values["from"] == nil ? "from: client is the default" : "from: \(rule.from == .client ? "client" : "server")"
            throw fail(
                recordNode, "\(target) is sent only by the \(sender), but this rule watches the other side (\(from)); add from: \(sender)")
        }
        if action == .rewrite && setNode == nil {
            throw fail(
                node,
                "a rewrite rule needs set: (what the man in the middle changes); allowed keys: \(ScenarioSchema.rewriteKeys.joined(separator: ", "))")
        }
        if action == .replace && values["hex"] == nil {
            throw fail(node, "a replace rule needs hex: (the whole record that replaces the original, header included)")
        }
        return (rule, values["connection"])
    }

    private func labNote(_ node: Node) throws -> LabNote {
        var symptom: String?
        var cause: String?
        var fix: String?
        var inPractice: String?
        _ = try forEachField(of: node, in: .lab) { key, value in
            let text = try requiredText(value, key: key)
            switch key {
            case "symptom": symptom = text
            case "cause": cause = text
            case "fix": fix = text
            default: inPractice = text
            }
        }
        let absent = [("symptom", symptom), ("cause", cause), ("fix", fix)].filter { $0.1 == nil }.map(\.0)
        guard let symptom, let cause, let fix else {
            throw fail(node, "lab needs symptom, cause and fix (in_practice is optional); missing: \(absent.joined(separator: ", "))")
        }
        return LabNote(symptom: symptom, cause: cause, fix: fix, inPractice: inPractice)
    }

    private func expectation(_ node: Node) throws -> Expectation {
        var outcome: String?
        var e = Expectation(outcome: "")
        _ = try forEachField(of: node, in: .expect) { key, value in
            switch key {
            case "outcome": outcome = try choice(value, key: key, noun: "outcome", allowed: ScenarioSchema.outcomes)
            case "alert": e.alert = try choice(value, key: key, noun: "alert", allowed: ScenarioSchema.alerts)
            case "sent_by": e.sentBy = try side(value, key: key)
            default: e.at = try choice(value, key: key, noun: "message", allowed: ScenarioSchema.recordTargets)
            }
        }
        guard let outcome else {
            throw fail(node, "expect needs an outcome; allowed: \(ScenarioSchema.outcomes.joined(separator: ", "))")
        }
        e.outcome = outcome
        if outcome == "failed" && (e.alert == nil || e.sentBy == nil) {
            let absent = [("alert", e.alert == nil), ("sent_by", e.sentBy == nil)].filter(\.1).map(\.0)
            throw fail(
                node,
                "a failed expectation names the alert and who sends it (alert:, sent_by:); missing: \(absent.joined(separator: ", "))")
        }
        return e
    }

    private func eavesdropperSpec(_ node: Node) throws -> EavesdropperSpec {
        var spec = EavesdropperSpec()
        _ = try forEachField(of: node, in: .eavesdropper) { key, value in
            spec.serverKeyLeaked = try bool(value, key: key)
        }
        return spec
    }

    /// One of `allowed` (a text), with a did-you-mean. `noun` names the kind of value in "unknown …" messages.
    private func choice(_ node: Node, key: String, noun: String, allowed: [String]) throws -> String {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            throw fail(node, "expected one of \(allowed.joined(separator: ", ")) for \(key), \(found(node))")
        }
        let value = scalar.string
        guard allowed.contains(value) else {
            throw fail(
                node,
                "unknown \(noun) '\(value)'\(Suggestion.phrase(for: value, in: allowed)); allowed: \(allowed.joined(separator: ", "))")
        }
        return value
    }

    /// `client` or `server`.
    private func side(_ node: Node, key: String) throws -> Side {
        try choice(node, key: key, noun: "side", allowed: ["client", "server"]) == "client" ? .client : .server
    }

    /// A whole number, decimal (`-1`, `+3`) or hexadecimal (`0x80`), as YAML tags it.
    /// A whole number, decimal (`-1`, `+3`) or hexadecimal (`0x80`); nil when it does not fit in an `Int`.
    /// YAML's other integer forms (octal `010`, binary `0b101`, `1_000`) are refused: `010` would be 8 to one reader
    /// and 10 to another.
    private func integer(_ node: Node, key: String) throws -> Int? {
        guard case .scalar(let scalar) = node, tagName(node) == .int else {
            throw fail(node, "expected a whole number for \(key), \(found(node))")
        }
        var digits = Substring(scalar.string)
        var negative = false
        if let sign = digits.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        let isHex = digits.hasPrefix("0x") || digits.hasPrefix("0X")
        if isHex { digits = digits.dropFirst(2) }
        let valid =
            !digits.isEmpty
            && (isHex
                ? digits.allSatisfy { $0.isASCII && $0.isHexDigit }
                : digits.allSatisfy { $0.isASCII && $0.isNumber } && (digits == "0" || !digits.hasPrefix("0")))
        guard valid else {
            throw fail(node, "write \(key) as a decimal number (no leading 0) or in hex with 0x, found '\(scalar.string)'")
        }
        guard let magnitude = Int(digits, radix: isHex ? 16 : 10) else { return nil }
        return negative ? -magnitude : magnitude
    }

    private func int(_ node: Node, key: String) throws -> Int {
        guard let value = try integer(node, key: key) else {
            throw fail(node, "\(key) is too large, found \(scalarText(node))")
        }
        return value
    }

    private func positiveInt(_ node: Node, key: String) throws -> Int {
        let v = try int(node, key: key)
        guard v >= 1 else { throw fail(node, "\(key) must be 1 or more, found \(v)") }
        return v
    }

    // MARK: Sections

    private func clientSpec(_ node: Node) throws -> ClientSpec {
        var spec = ClientSpec()
        var keyShareNodes: [Node] = []
        let given = try forEachField(of: node, in: .client) { key, value in
            let path = Section.client.path(key)
            switch key {
            case "versions": spec.versions = try list(value, path: path, of: Self.versions, mayBeEmpty: false).values
            case "cipher_suites":
                spec.cipherSuites = try list(value, path: path, of: Self.cipherSuites, mayBeEmpty: false).values
            case "groups": spec.groups = try list(value, path: path, of: Self.groups, mayBeEmpty: false).values
            case "key_shares":
                if isNull(value) {
                    spec.keyShares = nil
                    keyShareNodes = []
                } else {
                    let shares = try list(value, path: path, of: Self.groups, mayBeEmpty: true)
                    spec.keyShares = shares.values
                    keyShareNodes = shares.nodes
                }
            case "signature_algorithms":
                spec.signatureAlgorithms = try list(
                    value, path: path, of: Self.signatureSchemes, mayBeEmpty: false
                ).values
            case "server_name": spec.serverName = try serverName(value)
            case "trust": spec.trust = try trust(value, path: path)
            case "extended_master_secret": spec.extendedMasterSecret = try bool(value, key: key)
            case "encrypt_then_mac": spec.encryptThenMAC = try bool(value, key: key)
            case "middlebox_compatibility": spec.middleboxCompatibility = try bool(value, key: key)
            case "certificate":
                spec.certificate = isNull(value) ? nil : try pkiName(value, credential: true)
            case "session_tickets": spec.sessionTickets = try bool(value, key: key)
            case "psk_modes":
                let allowed = ScenarioSchema.pskModes.joined(separator: ", ")
                let nodes = try items(value, key: key)
                if nodes.isEmpty { throw fail(value, "client.psk_modes must not be empty; allowed: \(allowed)") }
                var modes: [PskKeyExchangeMode] = []
                for item in nodes {
                    let name = try choice(item, key: key, noun: "PSK key exchange mode", allowed: ScenarioSchema.pskModes)
                    guard let mode = PskKeyExchangeMode(name: name) else {
                        throw fail(item, "PSK key exchange mode '\(name)' is not known to TLSWire; allowed: \(allowed)")
                    }
                    if modes.contains(mode) {
                        throw fail(item, "PSK key exchange mode '\(name)' is listed twice in client.psk_modes")
                    }
                    modes.append(mode)
                }
                spec.pskModes = modes
            default: spec.clock = isNull(value) ? nil : try date(value, key: key)
            }
        }
        if !given.contains("trust") { try checkDefaultTrust(spec.trust, path: "client.trust", at: node) }
        // RFC 8446 §4.2.8: each KeyShareEntry must be for a group offered in supported_groups.
        for (share, shareNode) in zip(spec.keyShares ?? [], keyShareNodes) where !spec.groups.contains(share) {
            throw fail(
                shareNode,
                "key share '\(share)' is not in client.groups: a client may only send key shares for groups it offers (RFC 8446 §4.2.8); allowed: \(spec.groups.map(\.description).joined(separator: ", "))"
            )
        }
        return spec
    }

    private func serverSpec(_ node: Node) throws -> ServerSpec {
        var spec = ServerSpec()
        let given = try forEachField(of: node, in: .server) { key, value in
            let path = Section.server.path(key)
            switch key {
            case "versions": spec.versions = try list(value, path: path, of: Self.versions, mayBeEmpty: false).values
            case "cipher_suites":
                spec.cipherSuites = try list(value, path: path, of: Self.cipherSuites, mayBeEmpty: false).values
            case "groups": spec.groups = try list(value, path: path, of: Self.groups, mayBeEmpty: false).values
            case "signature_algorithms":
                spec.signatureAlgorithms = try list(
                    value, path: path, of: Self.signatureSchemes, mayBeEmpty: false
                ).values
            case "certificate": spec.certificate = try pkiName(value, credential: true)
            case "extended_master_secret": spec.extendedMasterSecret = try bool(value, key: key)
            case "encrypt_then_mac": spec.encryptThenMAC = try bool(value, key: key)
            case "client_auth": spec.clientAuth = try clientAuth(value)
            case "session_tickets": spec.sessionTickets = try bool(value, key: key)
            case "session_cache": spec.sessionCache = try bool(value, key: key)
            case "max_early_data":
                // RFC 8446 §4.2.10: uint32 max_early_data_size.
                guard let v = try integer(value, key: key), let bytes = UInt32(exactly: v) else {
                    throw fail(value, "max_early_data must be 0 … 4294967295 bytes, found \(scalarText(value))")
                }
                spec.maxEarlyData = bytes
            case "anti_replay": spec.antiReplay = try bool(value, key: key)
            case "hello_retry_cookie": spec.helloRetryCookie = try bool(value, key: key)
            default: spec.trust = try trust(value, path: path)
            }
        }
        if !given.contains("trust") { try checkDefaultTrust(spec.trust, path: "server.trust", at: node) }
        if !given.contains("certificate") { try checkDefaultCredential(spec.certificate, at: node) }
        return spec
    }

    private func applicationDataSpec(_ node: Node) throws -> ApplicationDataSpec {
        var spec = ApplicationDataSpec()
        _ = try forEachField(of: node, in: .applicationData) { key, value in
            let text = try text(value, key: key)
            if key == "request" { spec.request = text } else { spec.response = text }
        }
        return spec
    }

    // MARK: Mappings

    /// Calls `body` for each key of a mapping in document order, after checking that the key is allowed in
    /// `section` and not repeated; returns the keys given. A section written with no value (`client:`) is an
    /// empty mapping.
    private func forEachField(
        of node: Node, in section: Section, _ body: (_ key: String, _ value: Node) throws -> Void
    ) throws -> Set<String> {
        try forEachField(of: node, in: section) { key, _, value in try body(key, value) }
    }

    /// As above, also passing the node of the key (for problems that are about the key being there at all).
    @discardableResult
    private func forEachField(
        of node: Node, in section: Section, _ body: (_ key: String, _ keyNode: Node, _ value: Node) throws -> Void
    ) throws -> Set<String> {
        guard case .mapping(let mapping) = node else {
            if section != .topLevel, isNull(node) { return [] }
            if section == .topLevel {
                throw fail(
                    node,
                    "a scenario file must be a mapping of keys such as 'title: …', \(found(node)); allowed keys: \(section.keys.joined(separator: ", "))"
                )
            }
            throw fail(
                node,
                "expected the keys of \(section.name) (like '\(section.example)'), \(found(node)); allowed keys: \(section.keys.joined(separator: ", "))"
            )
        }
        var seen: [String: Int] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode, !isNull(keyNode) else {
                throw fail(keyNode, "expected a key name \(section.location), \(found(keyNode))")
            }
            let key = scalar.string
            guard section.keys.contains(key) else { throw unknownKey(key, at: keyNode, in: section) }
            if let line = seen[key] {
                throw fail(
                    keyNode, "duplicate key '\(key)': it is already given at line \(line); each key may appear only once")
            }
            seen[key] = keyNode.mark?.line ?? 0
            try body(key, keyNode, value)
        }
        return Set(seen.keys)
    }

    private func unknownKey(_ key: String, at node: Node, in section: Section) -> ScenarioError {
        var hint = Suggestion.phrase(for: key, in: section.keys)
        if hint.isEmpty {
            if section == .topLevel, key == "name" {
                hint = " (a scenario's name is its file name)"
            } else if let home = Section.allCases.first(where: { $0 != section && $0.keys.contains(key) }) {
                hint = home == .topLevel ? " ('\(key)' belongs at the top level)" : " ('\(key)' belongs in \(home.name))"
            }
        }
        return fail(
            node,
            "unknown key '\(key)' \(section.location)\(hint); allowed keys: \(section.keys.joined(separator: ", "))")
    }

    private func missing(_ key: String, in root: Node) -> ScenarioError {
        fail(root, "missing required key '\(key)'; every scenario needs a title and a description")
    }

    // MARK: Lists of code points

    static let versions = Vocabulary<ProtocolVersion>(
        noun: "protocol version", plural: "protocol versions", names: ScenarioSchema.versions.map(\.name),
        value: ScenarioSchema.version(named:), acceptsNumbers: true,
        explain: { name in
            let squashed = name.lowercased().replacingOccurrences(of: " ", with: "")
            let known = ProtocolVersion.names.values.map { $0.lowercased().replacingOccurrences(of: " ", with: "") }
            return known.contains(squashed) || known.contains("tls" + squashed)
                ? "protocol version '\(name)' is not supported by TLSLab" : nil
        })

    static let cipherSuites = Vocabulary<CipherSuite>(
        noun: "cipher suite", plural: "cipher suite names", names: ScenarioSchema.cipherSuites.map(\.description),
        value: { name in CipherSuite(name: name).flatMap { ScenarioSchema.cipherSuites.contains($0) ? $0 : nil } },
        explain: { name in
            CipherSuite(name: name) != nil
                ? "'\(name)' is a signalling value (RFC 5746, RFC 7507), not a cipher suite that can be negotiated"
                : nil
        })

    static let groups = Vocabulary<NamedGroup>(
        noun: "group", plural: "group names", names: ScenarioSchema.groups.map(\.description),
        value: { name in NamedGroup(name: name).flatMap { ScenarioSchema.groups.contains($0) ? $0 : nil } },
        explain: { name in NamedGroup(name: name) != nil ? "group '\(name)' is not implemented by TLSLab" : nil })

    static let signatureSchemes = Vocabulary<SignatureScheme>(
        noun: "signature scheme", plural: "signature scheme names",
        names: ScenarioSchema.signatureSchemes.map(\.description), value: SignatureScheme.init(name:))

    /// A list of names from `vocabulary`, with the node of each item (for later checks that point at an item).
    private func list<Value>(_ node: Node, path: String, of vocabulary: Vocabulary<Value>, mayBeEmpty: Bool) throws
        -> (values: [Value], nodes: [Node])
    {
        let allowed = "allowed: \(vocabulary.names.joined(separator: ", "))"
        guard case .sequence(let sequence) = node else {
            var message = "expected a list of \(vocabulary.plural), \(found(node))"
            if case .scalar(let scalar) = node, tagName(node) == .str {
                message += " (write it as a list: [\(scalar.string)])"
            }
            throw fail(node, "\(message); \(allowed)")
        }
        let items = Array(sequence)
        if items.isEmpty, !mayBeEmpty {
            throw fail(node, "\(path) must not be empty; \(allowed)")
        }
        var values: [Value] = []
        for item in items {
            let kind = tagName(item)
            guard case .scalar(let scalar) = item,
                kind == .str || (vocabulary.acceptsNumbers && (kind == .float || kind == .int))
            else {
                throw fail(item, "expected a \(vocabulary.noun) name, \(found(item)); \(allowed)")
            }
            let name = scalar.string
            guard let value = vocabulary.value(name) else {
                // A known but unsupported name is not a typo: no "did you mean".
                let problem =
                    vocabulary.explain(name)
                    ?? "unknown \(vocabulary.noun) '\(name)'\(Suggestion.phrase(for: name, in: vocabulary.names))"
                throw fail(item, "\(problem); \(allowed)")
            }
            if values.contains(value) {
                throw fail(item, "\(vocabulary.noun) '\(name)' is listed twice in \(path)")
            }
            values.append(value)
        }
        return (values, items)
    }

    // MARK: Certificates

    /// A certificate name (`ca`) or credential name (`server-rsa`: server-rsa.pem and server-rsa.key) from the PKI
    /// directory.
    private func pkiName(_ node: Node, credential: Bool) throws -> String {
        let what = credential ? "credential" : "certificate"
        guard case .scalar(let scalar) = node, tagName(node) == .str, !scalar.string.isEmpty else {
            throw fail(node, "expected a \(what) name (a file name in the PKI directory without .pem), \(found(node))")
        }
        let name = scalar.string
        let isPlainName =
            name.first != "." && name.unicodeScalars.allSatisfy { c in
                (c.isASCII && CharacterSet.alphanumerics.contains(c)) || c == "-" || c == "_" || c == "."
            }
        guard isPlainName else {
            throw fail(
                node,
                "'\(name)' is not a \(what) name: write the file name from the PKI directory without .pem (letters, digits, '-', '_', '.'), not a path"
            )
        }
        if let problem = pkiProblem(name, credential: credential) { throw fail(node, problem) }
        return name
    }

    /// Why `name` cannot be found in the PKI directory (ending in `; allowed: …`), or nil if it can (or files are
    /// not checked).
    private func pkiProblem(_ name: String, credential: Bool) -> String? {
        guard let pki else { return nil }
        let available = credential ? pki.credentialNames : pki.certificateNames
        if available.contains(name) { return nil }
        guard pki.exists else {
            return "the PKI directory \(pki.display) does not exist, so \(credential ? "credential" : "certificate") '\(name)' cannot be found"
        }
        let problem: String
        if credential, pki.certificateNames.contains(name) {
            problem = "\(name).pem exists in \(pki.display) but \(name).key does not: a credential needs both"
        } else if credential {
            problem =
                "no credential '\(name)' in \(pki.display): it needs \(name).pem and \(name).key\(Suggestion.phrase(for: name, in: available))"
        } else {
            problem =
                "no certificate '\(name)' in \(pki.display) (\(name).pem does not exist)\(Suggestion.phrase(for: name, in: available))"
        }
        let allowed = available.isEmpty ? "(none)" : available.joined(separator: ", ")
        return "\(problem); allowed: \(allowed)"
    }

    /// A default trust list (the key was not written) must exist too; reported at the section (or the document).
    private func checkDefaultTrust(_ names: [String], path: String, at node: Node) throws {
        for name in names {
            if let problem = pkiProblem(name, credential: false) {
                throw fail(node, "\(path) is not given and defaults to [\(names.joined(separator: ", "))], but: \(problem)")
            }
        }
    }

    private func checkDefaultCredential(_ name: String, at node: Node) throws {
        if let problem = pkiProblem(name, credential: true) {
            throw fail(node, "server.certificate is not given and defaults to '\(name)', but: \(problem)")
        }
    }

    private func trust(_ node: Node, path: String) throws -> [String] {
        guard case .sequence(let sequence) = node else {
            var message = "expected a list of certificate names, \(found(node))"
            if case .scalar(let scalar) = node, tagName(node) == .str {
                message += " (write it as a list: [\(scalar.string)])"
            }
            throw fail(node, message)
        }
        var names: [String] = []
        for item in sequence {
            let name = try pkiName(item, credential: false)
            if names.contains(name) { throw fail(item, "certificate '\(name)' is listed twice in \(path)") }
            names.append(name)
        }
        return names
    }

    // MARK: Scalars

    private func text(_ node: Node, key: String) throws -> String {
        guard case .scalar(let scalar) = node, !isNull(node) else {
            throw fail(node, "expected a text for \(key), \(found(node))")
        }
        return scalar.string
    }

    private func requiredText(_ node: Node, key: String) throws -> String {
        let value = try text(node, key: key).trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { throw fail(node, "\(key) must not be empty") }
        return value
    }

    private func serverName(_ node: Node) throws -> String? {
        if isNull(node) { return nil }
        guard case .scalar(let scalar) = node, tagName(node) == .str, !scalar.string.isEmpty,
            !scalar.string.contains(where: \.isWhitespace)
        else {
            throw fail(node, "expected a host name such as www.example.com, or null for none, \(found(node))")
        }
        return scalar.string
    }

    private func bool(_ node: Node, key: String) throws -> Bool {
        if case .scalar(let scalar) = node, tagName(node) == .bool {
            switch scalar.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default:
                // YAML 1.1 reads yes/no/on/off as booleans too; TLSLab's files say true or false.
                throw fail(node, "expected true or false for \(key), found '\(scalar.string)' (YAML's other spelling of a boolean); allowed: true, false")
            }
        }
        throw fail(node, "expected true or false for \(key), \(found(node)); allowed: true, false")
    }

    private func clientAuth(_ node: Node) throws -> String {
        let allowed = ScenarioSchema.clientAuthModes
        guard case .scalar(let scalar) = node, !isNull(node) else {
            throw fail(node, "expected one of \(allowed.joined(separator: ", ")), \(found(node))")
        }
        let value = scalar.string
        guard tagName(node) == .str, allowed.contains(value) else {
            throw fail(
                node,
                "unknown client_auth '\(value)'\(Suggestion.phrase(for: value, in: allowed)); allowed: \(allowed.joined(separator: ", "))"
            )
        }
        return value
    }

    private func seed(_ node: Node) throws -> UInt64 {
        let range = "allowed: 0 … \(ScenarioSchema.maximumSeed) (2^63)"
        guard case .scalar(let scalar) = node, tagName(node) == .int else {
            throw fail(node, "expected a non-negative integer for seed, \(found(node)); \(range)")
        }
        var digits = Substring(scalar.string)
        if digits.hasPrefix("+") { digits = digits.dropFirst() }
        if digits.hasPrefix("-") { throw fail(node, "seed must not be negative; \(range)") }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw fail(node, "write the seed as a decimal number, found '\(scalar.string)'; \(range)")
        }
        guard let value = UInt64(digits), value <= ScenarioSchema.maximumSeed else {
            throw fail(node, "seed \(scalar.string) is too large; \(range)")
        }
        return value
    }

    private func date(_ node: Node, key: String) throws -> Date {
        let example = "an ISO 8601 date and time such as 2026-06-01T12:00:00Z"
        guard case .scalar(let scalar) = node, tagName(node) == .timestamp || tagName(node) == .str else {
            throw fail(node, "expected \(example) for \(key), \(found(node))")
        }
        guard let date = Self.parseISO8601(scalar.string) else {
            throw fail(node, "'\(scalar.string)' is not \(example) (with a time zone: Z or +02:00)")
        }
        return date
    }

    /// RFC 3339 / ISO 8601 internet date-time, with or without fractional seconds.
    /// RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` (also with a space or lower-case t/z). Parsed by hand:
    /// Foundation's ISO8601DateFormatter costs more than the rest of loading a scenario.
    static func parseISO8601(_ text: String) -> Date? {
        let c = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= c.count else { return nil }
            var v = 0
            for i in from..<(from + count) {
                guard c[i] >= 0x30, c[i] <= 0x39 else { return nil }
                v = v * 10 + Int(c[i] - 0x30)
            }
            return v
        }
        func byte(_ i: Int) -> UInt8? { i < c.count ? c[i] : nil }
        guard let year = number(0, 4), byte(4) == UInt8(ascii: "-"), let month = number(5, 2),
            byte(7) == UInt8(ascii: "-"), let day = number(8, 2),
            let t = byte(10), t == UInt8(ascii: "T") || t == UInt8(ascii: "t") || t == UInt8(ascii: " "),
            let hour = number(11, 2), byte(13) == UInt8(ascii: ":"), let minute = number(14, 2),
            byte(16) == UInt8(ascii: ":"), let second = number(17, 2),
            (1...12).contains(month), (1...daysIn(month, year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        var fraction = 0.0
        if byte(i) == UInt8(ascii: ".") {
            i += 1
            var scale = 0.1
            let start = i
            while let d = byte(i), d >= 0x30, d <= 0x39 {
                fraction += Double(d - 0x30) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        var offset = 0
        guard let zone = byte(i) else { return nil }
        if zone == UInt8(ascii: "Z") || zone == UInt8(ascii: "z") {
            i += 1
        } else if zone == UInt8(ascii: "+") || zone == UInt8(ascii: "-") {
            guard let h = number(i + 1, 2), byte(i + 3) == UInt8(ascii: ":"), let m = number(i + 4, 2), h < 24, m < 60
            else { return nil }
            offset = (h * 3600 + m * 60) * (zone == UInt8(ascii: "+") ? 1 : -1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let seconds = daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    private static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    // MARK: Helpers

    private func fail(_ node: Node, _ message: String) -> ScenarioError {
        ScenarioError(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1, message: message)
    }

    /// The text of a scalar as written (for "found …" in range messages).
    private func scalarText(_ node: Node) -> String {
        if case .scalar(let scalar) = node { return scalar.string }
        return found(node)
    }

    /// Whether `a` is written before `b` (for reporting the first of several problems).
    private func comesBefore(_ a: Node, _ b: Node) -> Bool {
        (a.mark?.line ?? 0, a.mark?.column ?? 0) < (b.mark?.line ?? 0, b.mark?.column ?? 0)
    }

    private func tagName(_ node: Node) -> Tag.Name {
        if case .scalar(let scalar) = node, scalar.style == .plain, scalar.tag.rawValue == Tag.Name.implicit.rawValue,
            let tag = Self.plainWordTag(scalar.string)
        {
            return tag
        }
        return Tag.Name(rawValue: node.tag.rawValue)
    }

    /// The tag Yams' default resolver (YAML 1.1 implicit types) gives a plain, untagged scalar that starts with an
    /// ASCII letter, worked out without its regular expressions (matching them against every value made up most of
    /// `tlslab list`'s start-up): such a scalar is a boolean or null word, or else a string — integers, floats,
    /// timestamps, `~`, `<<` and `=` start with something else. nil: ask the resolver.
    static func plainWordTag(_ text: String) -> Tag.Name? {
        guard let first = text.utf8.first, (0x41...0x5A).contains(first) || (0x61...0x7A).contains(first) else {
            return nil
        }
        if booleanWords.contains(text) { return .bool }
        if nullWords.contains(text) { return .null }
        return .str
    }
    static let booleanWords: Set<String> = [
        "yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON",
        "off", "Off", "OFF",
    ]
    static let nullWords: Set<String> = ["null", "Null", "NULL"]

    private func isNull(_ node: Node) -> Bool {
        if case .scalar = node { return tagName(node) == .null }
        return false
    }

    /// `found a number (42)`, for "expected …, found …" messages.
    private func found(_ node: Node) -> String {
        switch node {
        case .mapping: return "found a mapping"
        case .sequence: return "found a list"
        case .alias: return "found an alias"
        case .scalar(let scalar):
            var value = scalar.string
            if value.count > 40 { value = value.prefix(40) + "…" }
            switch tagName(node) {
            case .null: return "found nothing (null)"
            case .bool: return "found a boolean ('\(value)')"
            case .int, .float: return "found a number (\(value))"
            case .timestamp: return "found a date (\(value))"
            default: return "found a text ('\(value)')"
            }
        }
    }
}
