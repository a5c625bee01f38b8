import Foundation

/// The `main` of a fuzz executable built without `-DFUZZING` (so that an ordinary `swift build` links): runs saved
/// inputs (crash reproducers, corpora) through the target without libFuzzer, and writes seed corpora.
///
///     FuzzClient [FILE|DIR ...]            run each input (directories: every file in them)
///     FuzzClient --write-seeds DIR         write the target's seeds (from the golden transcripts) into DIR
///     FuzzClient --report                  say whether each seed reproduces a completed handshake
public enum FuzzDriver {
    public static func main(_ target: FuzzTarget, arguments: [String] = CommandLine.arguments) -> Int32 {
        var paths: [String] = []
        var args = arguments.dropFirst()[...]
        do {
            while let arg = args.popFirst() {
                switch arg {
                case "--write-seeds":
                    guard let dir = args.popFirst() else { return usage(target) }
                    let seeds = try Seeds.seeds(for: target)
                    let url = URL(fileURLWithPath: dir, isDirectory: true)
                    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
                    for (name, bytes) in seeds {
                        try Data(bytes).write(to: url.appendingPathComponent("seed-\(name)"))
                    }
                    print("wrote \(seeds.count) \(target.rawValue) seeds to \(dir)")
                case "--report":
                    if target == .client || target == .server {
                        for line in try Seeds.compareWithGoldens() { print(line) }
                    }
                    for line in Seeds.report(for: target, try Seeds.seeds(for: target)) { print(line) }
                case "-h", "--help":
                    return usage(target)
                default:
                    paths.append(arg)
                }
            }
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            return 1
        }
        var count = 0
        for path in paths {
            for file in files(at: path) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                    return 1
                }
                print("running \(file) (\(data.count) bytes)")
                target.run([UInt8](data))
                count += 1
            }
        }
        if !paths.isEmpty { print("\(count) input\(count == 1 ? "" : "s") ran without a finding") }
        return 0
    }

    static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [path] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    static func usage(_ target: FuzzTarget) -> Int32 {
        print(
            """
            usage: Fuzz\(target.rawValue.capitalized) [FILE|DIR ...] | --write-seeds DIR | --report
            Replays inputs through the \(target.rawValue) fuzz target without libFuzzer (see docs/hardening.md).
            """)
        return 2
    }
}
