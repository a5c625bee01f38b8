import TLSTranscript

/// Options for the Markdown handout.
public struct MarkdownOptions: Sendable, Equatable {
    /// Include the hex of every message (16-byte lines with offsets).
    public var includeHex = true
    /// Include secret values; when false every value is replaced by a blank for students to fill in.
    public var includeSecrets = true
    public init(includeHex: Bool = true, includeSecrets: Bool = true) {
        self.includeHex = includeHex
        self.includeSecrets = includeSecrets
    }
}

/// The Markdown handout (issue: transcripts). Placeholder until the exporter lands.
public enum MarkdownExporter {
    public static func render(_ transcript: Transcript, options: MarkdownOptions = MarkdownOptions()) throws -> String {
        throw ExportError("Markdown export is not implemented yet")
    }
}
