/// Large letters for presenter mode, three terminal rows high.
enum BigText {
    static func available(glyphs: Glyphs) -> Bool { false }

    static func render(_ text: String, maxWidth: Int) -> [String]? { nil }
}
