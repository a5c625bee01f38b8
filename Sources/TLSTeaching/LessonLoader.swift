import Foundation
import TLSWire
import Yams

/// Reads lesson files (`Scenarios/lessons/*.yaml`, format in docs/teaching-guide.md) strictly, like scenario files:
/// the YAML is composed into a node tree, every key must be known, every value of the right type, and the first
/// problem is reported as `file:line:column: message`.
public enum LessonLoader {
    public static let topLevelKeys = ["title", "summary", "minutes", "audience", "goals", "segments"]
    public static let segmentKeys = ["title", "scenario", "minutes", "narration", "steps", "compare", "topics"]
    public static let stopKeys = ["at", "from", "occurrence", "connection", "note", "ask", "answer"]

    /// Loads a lesson file. `scenarios`: the names that exist (nil skips that check).
    public static func load(contentsOf url: URL, scenarios: [String]? = nil) throws -> Lesson {
        let path = url.relativePath
        guard let data = try? Data(contentsOf: url) else {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "no such file"
            throw LessonError(file: path, line: 0, column: 0, message: reason)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw LessonError(file: path, line: 0, column: 0, message: "the file is not valid UTF-8 text")
        }
        return try parse(yaml: text, name: url.deletingPathExtension().lastPathComponent, sourcePath: path, scenarios: scenarios)
    }

    /// Parses lesson YAML; `sourcePath` names the file in errors.
    public static func parse(yaml: String, name: String, sourcePath: String, scenarios: [String]? = nil) throws -> Lesson {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch {
            throw syntaxError(error, file: sourcePath)
        }
        guard let root else {
            throw LessonError(file: sourcePath, line: 1, column: 1, message: "the file is empty; a lesson needs title, summary, minutes and segments")
        }
        return try LessonReader(file: sourcePath, scenarios: scenarios).lesson(root, name: name)
    }

    static func syntaxError(_ error: Error, file: String) -> LessonError {
        guard let yamlError = error as? YamlError else {
            return LessonError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
        switch yamlError {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return LessonError(file: file, line: mark.line, column: mark.column, message: "YAML syntax error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return LessonError(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key '\(duplicates.first ?? "?")'; each key may appear only once")
        default:
            return LessonError(file: file, line: 1, column: 1, message: "YAML error: \(yamlError)")
        }
    }
}

/// The lessons in a folder (`<scenarios>/lessons`).
public struct LessonCatalog: Sendable {
    public let directory: URL
    /// Scenario names lessons may use (checked when loading); nil = not checked.
    public let scenarios: [String]?

    public init(directory: URL, scenarios: [String]? = nil) {
        self.directory = directory
        self.scenarios = scenarios
    }

    /// `<scenarios folder>/lessons`.
    public init(scenariosDirectory: URL, scenarios: [String]? = nil) {
        self.init(directory: scenariosDirectory.appendingPathComponent("lessons", isDirectory: true), scenarios: scenarios)
    }

    /// Names of the `*.yaml` files, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Every lesson, or its error.
    public func entries() -> [(name: String, result: Result<Lesson, LessonError>)] {
        names().map { name in
            (name, Result { try LessonLoader.load(contentsOf: url(name), scenarios: scenarios) }.mapError {
                $0 as? LessonError ?? LessonError(file: url(name).relativePath, line: 0, column: 0, message: "\($0)")
            })
        }
    }

    /// A lesson by name or path (anything with `/` or ending in `.yaml`).
    public func resolve(_ nameOrPath: String) throws -> Lesson {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".yaml") || nameOrPath.hasSuffix(".yml") {
            return try LessonLoader.load(contentsOf: URL(fileURLWithPath: nameOrPath), scenarios: scenarios)
        }
        let available = names()
        guard available.contains(nameOrPath) else {
            let hint = NameSuggestion.phrase(for: nameOrPath, in: available)
            throw LessonError(
                file: nameOrPath, line: 0, column: 0,
                message: "unknown lesson\(hint); available: \(available.isEmpty ? "(none)" : available.joined(separator: ", "))")
        }
        return try LessonLoader.load(contentsOf: url(nameOrPath), scenarios: scenarios)
    }

    func url(_ name: String) -> URL { directory.appendingPathComponent(name + ".yaml", isDirectory: false) }
}

/// Walks a composed lesson document.
struct LessonReader {
    let file: String
    let scenarios: [String]?

    func lesson(_ root: Node, name: String) throws -> Lesson {
        var title: String?
        var summary: String?
        var minutes: Int?
        var minutesNode: Node?
        var audience: String?
        var goals: [String] = []
        var segments: [LessonSegment]?
        try fields(root, keys: LessonLoader.topLevelKeys, location: "at the top level", what: "a lesson") { key, value in
            switch key {
            case "title": title = try text(value, key)
            case "summary": summary = try text(value, key)
            case "minutes":
                minutes = try count(value, key, range: 1...600)
                minutesNode = value
            case "audience": audience = try text(value, key)
            case "goals": goals = try items(value, key).map { try text($0, "a goal") }
            default:
                let nodes = try items(value, key)
                if nodes.isEmpty { throw fail(value, "segments must list at least one segment") }
                segments = try nodes.map(segment)
            }
        }
        guard let title else { throw missing("title", root, "a lesson") }
        guard let summary else { throw missing("summary", root, "a lesson") }
        guard let minutes, let minutesNode else { throw missing("minutes", root, "a lesson") }
        guard let segments else { throw missing("segments", root, "a lesson") }
        let planned = segments.reduce(0) { $0 + $1.minutes }
        if planned > minutes {
            throw fail(
                minutesNode,
                "the segments take \(planned) minutes, more than the lesson's \(minutes); shorten a segment or raise minutes")
        }
        return Lesson(
            name: name, title: title, summary: summary, minutes: minutes, audience: audience, goals: goals,
            segments: segments, sourcePath: file)
    }

    func segment(_ node: Node) throws -> LessonSegment {
        var title: String?
        var scenario: String?
        var scenarioPosition: SourcePosition?
        var minutes: Int?
        var narration: String?
        var stops: [LessonStop] = []
        var compare: String?
        var topics: [String] = []
        try fields(node, keys: LessonLoader.segmentKeys, location: "in a segment", what: "a segment") { key, value in
            switch key {
            case "title": title = try text(value, key)
            case "scenario":
                scenario = try scenarioName(value, key)
                scenarioPosition = position(value)
            case "minutes": minutes = try count(value, key, range: 1...600)
            case "narration": narration = try text(value, key)
            case "compare": compare = try scenarioName(value, key)
            case "topics":
                topics = try items(value, key).map { item in
                    let id = try text(item, "a topic")
                    guard Topics.topic(id)?.id == id else {
                        let ids = Topics.all.map(\.id)
                        throw fail(item, "unknown topic '\(id)'\(NameSuggestion.phrase(for: id, in: ids)); allowed: \(ids.joined(separator: ", "))")
                    }
                    return id
                }
            default: stops = try items(value, key).map(stop)
            }
        }
        guard let title else { throw missing("title", node, "a segment") }
        guard let scenario, let scenarioPosition else { throw missing("scenario", node, "a segment") }
        guard let minutes else { throw missing("minutes", node, "a segment") }
        guard let narration else { throw missing("narration", node, "a segment") }
        return LessonSegment(
            title: title, scenario: scenario, minutes: minutes, narration: narration, stops: stops, compare: compare,
            topics: topics, position: scenarioPosition)
    }

    func stop(_ node: Node) throws -> LessonStop {
        var at: String?
        var atPosition: SourcePosition?
        var from: Side?
        var occurrence = 1
        var connection: Int?
        var note: String?
        var ask: String?
        var answer: String?
        var answerNode: Node?
        try fields(node, keys: LessonLoader.stopKeys, location: "in a step", what: "a step") { key, value in
            switch key {
            case "at":
                at = try text(value, key)
                atPosition = position(value)
            case "from":
                let side = try text(value, key)
                switch side {
                case "client": from = .client
                case "server": from = .server
                default: throw fail(value, "unknown side '\(side)'\(NameSuggestion.phrase(for: side, in: ["client", "server"])); allowed: client, server")
                }
            case "occurrence": occurrence = try count(value, key, range: 1...99)
            case "connection": connection = try count(value, key, range: 1...99)
            case "note": note = try text(value, key)
            case "ask": ask = try text(value, key)
            default:
                answer = try text(value, key)
                answerNode = value
            }
        }
        guard let at, let atPosition else { throw missing("at", node, "a step") }
        if answer != nil && ask == nil, let answerNode {
            throw fail(answerNode, "answer needs an ask: the answer is to the question asked")
        }
        if note == nil && ask == nil {
            throw fail(node, "a step needs a note (what to point at) or an ask (a question for the class), or both")
        }
        return LessonStop(
            at: at, from: from, occurrence: occurrence, connection: connection, note: note, ask: ask, answer: answer,
            position: atPosition)
    }

    // MARK: Values

    func fields(
        _ node: Node, keys: [String], location: String, what: String, _ body: (String, Node) throws -> Void
    ) throws {
        guard case .mapping(let mapping) = node else {
            throw fail(node, "expected the keys of \(what) (\(keys.joined(separator: ", "))), \(found(node))")
        }
        var seen: [String: Int] = [:]
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else { throw fail(keyNode, "expected a key name \(location), \(found(keyNode))") }
            let key = scalar.string
            guard keys.contains(key) else {
                var hint = NameSuggestion.phrase(for: key, in: keys)
                if hint.isEmpty {
                    for (other, home) in [
                        (LessonLoader.stopKeys, "a step"), (LessonLoader.segmentKeys, "a segment"),
                        (LessonLoader.topLevelKeys, "the top level"),
                    ] where other != keys && other.contains(key) {
                        hint = " ('\(key)' belongs in \(home))"
                        break
                    }
                }
                throw fail(keyNode, "unknown key '\(key)' \(location)\(hint); allowed keys: \(keys.joined(separator: ", "))")
            }
            if let line = seen[key] {
                throw fail(keyNode, "duplicate key '\(key)': it is already given at line \(line); each key may appear only once")
            }
            seen[key] = keyNode.mark?.line ?? 0
            try body(key, value)
        }
    }

    func text(_ node: Node, _ key: String) throws -> String {
        guard case .scalar(let scalar) = node, tag(node) != .null else {
            throw fail(node, "expected a text for \(key), \(found(node))")
        }
        let value = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        if value.isEmpty { throw fail(node, "\(key) must not be empty") }
        return value
    }

    func count(_ node: Node, _ key: String, range: ClosedRange<Int>) throws -> Int {
        guard case .scalar(let scalar) = node, tag(node) == .int, let value = Int(scalar.string) else {
            throw fail(node, "expected a whole number for \(key), \(found(node)); allowed: \(range.lowerBound) … \(range.upperBound)")
        }
        guard range.contains(value) else {
            throw fail(node, "\(key) must be \(range.lowerBound) … \(range.upperBound), found \(value)")
        }
        return value
    }

    func items(_ node: Node, _ key: String) throws -> [Node] {
        guard case .sequence(let sequence) = node else {
            throw fail(node, "expected a list for \(key) (items start with '- '), \(found(node))")
        }
        return Array(sequence)
    }

    func scenarioName(_ node: Node, _ key: String) throws -> String {
        let name = try text(node, key)
        if let scenarios, !scenarios.contains(name) {
            throw fail(
                node,
                "unknown scenario '\(name)'\(NameSuggestion.phrase(for: name, in: scenarios)); available: \(scenarios.joined(separator: ", "))")
        }
        return name
    }

    // MARK: Errors

    func position(_ node: Node) -> SourcePosition {
        SourcePosition(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    }

    func fail(_ node: Node, _ message: String) -> LessonError { LessonError(at: position(node), message) }

    func missing(_ key: String, _ node: Node, _ what: String) -> LessonError {
        fail(node, "missing required key '\(key)' in \(what)")
    }

    func tag(_ node: Node) -> Tag.Name { Tag.Name(rawValue: node.tag.rawValue) }

    func found(_ node: Node) -> String {
        switch node {
        case .mapping: return "found a mapping"
        case .sequence: return "found a list"
        case .alias: return "found an alias"
        case .scalar(let scalar):
            let value = scalar.string.count > 40 ? scalar.string.prefix(40) + "…" : scalar.string
            switch tag(node) {
            case .null: return "found nothing (null)"
            case .bool: return "found a boolean ('\(value)')"
            case .int, .float: return "found a number (\(value))"
            default: return "found a text ('\(value)')"
            }
        }
    }
}

/// "Did you mean …?" for lesson names, keys, scenario names and topics.
public enum NameSuggestion {
    /// The candidate closest to `word` (case and `-`/`_` ignored, or at most a third of its letters edited).
    public static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Lookup.normalize(word)
        if let same = candidates.first(where: { Lookup.normalize($0) == w }) { return same }
        let limit = min(3, max(1, (word.count + 2) / 3))
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Lookup.normalize(c))
            if d <= limit, d < (best?.1 ?? .max) { best = (c, d) }
        }
        if let best { return best.0 }
        let prefixed = candidates.filter { Lookup.normalize($0).hasPrefix(w) && w.count >= 3 }
        return prefixed.count == 1 ? prefixed[0] : nil
    }

    /// ` (did you mean 'x'?)` or an empty string.
    public static func phrase(for word: String, in candidates: [String]) -> String {
        guard let c = closest(to: word, in: candidates), c != word else { return "" }
        return " (did you mean '\(c)'?)"
    }

    /// Edit distance counting a swap of two neighbours as one edit (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
