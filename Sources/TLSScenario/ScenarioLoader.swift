import Foundation
import TLSWire
import Yams

/// The first problem found in a scenario file, with its position.
///
/// `description` reads `path/to/file.yaml:LINE:COLUMN: message`, the form editors and terminals recognise. Lines and
/// columns start at 1 (columns count Unicode scalars, as libyaml does). A problem with the file as a whole (it
/// cannot be read) has line and column 0 and reads `path/to/file.yaml: message`.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path as the user gave it (or the catalog found it).
    public var file: String
    public var line: Int
    public var column: Int
    /// What is wrong, then `; allowed: …` where there is a closed set of valid values.
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}

/// Reads scenario files (format: docs/scenarios.md) into `Scenario` values, strictly: every key must be known,
/// every value of the right type and from the set TLSLab implements, and every certificate name must exist in the
/// PKI directory. The YAML is read as a node tree (Yams `compose`) so that each problem carries its line and column.
public enum ScenarioLoader {
    /// Loads `url`; the PKI directory is `pki/` next to the file and the scenario's name is the file name without
    /// its extension. Throws `ScenarioError`.
    public static func load(contentsOf url: URL) throws -> Scenario {
        try load(contentsOf: url, pkiDirectory: url.deletingLastPathComponent().appendingPathComponent("pki"))
    }

    /// Loads `url` with certificates from `pkiDirectory`; `checkPKIFiles: false` skips the check that the named
    /// PEM files exist. Throws `ScenarioError`.
    public static func load(contentsOf url: URL, pkiDirectory: URL, checkPKIFiles: Bool = true) throws -> Scenario {
        let path = url.relativePath
        let yaml: String
        do {
            let data = try Data(contentsOf: url)
            guard let text = String(data: data, encoding: .utf8) else {
                throw ScenarioError(file: path, line: 0, column: 0, message: "the file is not valid UTF-8 text")
            }
            yaml = text
        } catch let error as ScenarioError {
            throw error
        } catch {
            let reason = FileManager.default.fileExists(atPath: url.path) ? "cannot read the file" : "no such file"
            throw ScenarioError(file: path, line: 0, column: 0, message: reason)
        }
        return try parse(
            yaml: yaml, name: url.deletingPathExtension().lastPathComponent, sourcePath: path,
            pkiDirectory: pkiDirectory, checkPKIFiles: checkPKIFiles)
    }

    /// Yams' default resolver (YAML 1.1 implicit types) with one rule in front that settles plain words at once:
    /// a scalar that starts with a letter and is not a boolean or null word is a string, which is what the seven
    /// default rules would conclude after trying each. Yams resolves every mapping key while composing (its
    /// duplicate-key check), so this took most of the regular-expression work out of loading a scenario.
    static let resolver: Resolver = {
        let nonWords = ScenarioReader.booleanWords.union(ScenarioReader.nullWords).sorted().joined(separator: "|")
        guard let word = try? Resolver.Rule(.str, "^(?!(?:\(nonWords))$)[A-Za-z][A-Za-z0-9_.-]*$") else {
            return .default
        }
        return Resolver.default.rules.reduce(Resolver.basic.appending(word)) { $0.appending($1) }
    }()

    /// Parses scenario YAML. `sourcePath` is used in error messages and stored in `Scenario.sourcePath`;
    /// `checkPKIFiles: false` skips the check that the named PEM files exist in `pkiDirectory`.
    /// Throws `ScenarioError` for the first problem in the document.
    public static func parse(
        yaml: String, name: String, sourcePath: String, pkiDirectory: URL, checkPKIFiles: Bool = true
    ) throws -> Scenario {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml, resolver)
        } catch {
            throw syntaxError(error, yaml: yaml, file: sourcePath)
        }
        let reader = ScenarioReader(
            file: sourcePath, pki: checkPKIFiles ? PKIDirectory(url: pkiDirectory) : nil)
        return try reader.scenario(
            from: root, name: name, sourcePath: sourcePath, pkiDirectory: pkiDirectory)
    }

    /// Turns a Yams/libyaml error into a positioned `ScenarioError`.
    static func syntaxError(_ error: Error, yaml: String, file: String) -> ScenarioError {
        func positioned(_ mark: Mark, _ message: String) -> ScenarioError {
            ScenarioError(file: file, line: mark.line, column: mark.column, message: message)
        }
        guard let yamlError = error as? YamlError else {
            return ScenarioError(file: file, line: 1, column: 1, message: "YAML error: \(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "YAML syntax error: \(problem)"
            if let context {
                let at = "line \(context.mark.line), column \(context.mark.column)"
                // libyaml phrases some problems as the second half of a sentence ("but found another document").
                message =
                    problem.hasPrefix("but ")
                    ? "YAML syntax error: \(context.text) (from \(at)) \(problem)"
                    : "\(message) (\(context.text) at \(at))"
            }
            return positioned(mark, message)
        case .reader(let problem, let offset, _, _):
            let (line, column) = position(ofCharacterOffset: offset ?? 0, in: yaml)
            return ScenarioError(file: file, line: line, column: column, message: "YAML error: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let key = duplicates.first ?? "?"
            let first = context.mark
            let again = laterOccurrence(ofKey: key, after: first, in: yaml) ?? (first.line, first.column)
            return ScenarioError(
                file: file, line: again.line, column: again.column,
                message: "duplicate key '\(key)': it is already given at line \(first.line); each key may appear only once")
        default:
            return ScenarioError(file: file, line: 1, column: 1, message: "YAML error: \(yamlError)")
        }
    }

    /// Line and column (1-based, column in Unicode scalars) of a character offset.
    static func position(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(max(0, offset)) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return (line, column)
    }

    /// Yams reports a duplicate key at its first occurrence. The learner needs the second one: look for the same
    /// key at the same column further down, within the same block mapping (stop at a line indented less).
    static func laterOccurrence(ofKey key: String, after first: Mark, in yaml: String) -> (line: Int, column: Int)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        guard first.line >= 1, first.line < lines.count else { return nil }
        let indent = first.column - 1
        let spellings = [key, "\"\(key)\"", "'\(key)'"]
        for index in first.line..<lines.count {
            let scalars = Array(lines[index].unicodeScalars)
            let leading = scalars.prefix { $0 == " " }.count
            let rest = String(String.UnicodeScalarView(scalars.dropFirst(leading)))
            if rest.isEmpty || rest.hasPrefix("#") { continue }
            if leading < indent { return nil }
            guard leading == indent else { continue }
            for spelling in spellings where rest.hasPrefix(spelling) {
                let after = rest.dropFirst(spelling.count).drop { $0 == " " }
                if after.first == ":" { return (index + 1, first.column) }
            }
        }
        return nil
    }
}
