/// "Did you mean …?" for misspelt keys, names and values.
enum Suggestion {
    /// The candidate closest to `word`, if it is close enough to be a plausible typo: a case-insensitive match,
    /// the same word with `_`/`-` and case differences removed (`cipherSuites` → `cipher_suites`), the only candidate
    /// that begins with the word (at least three letters: `psk_dhe` → `psk_dhe_ke`), an edit distance of at most a
    /// third of the word's length (at most 3; words under three letters need one of the first two), or else the only
    /// candidate that contains the word (at least four letters: `versions` → `supported_versions`).
    static func closest(to word: String, in candidates: [String]) -> String? {
        let lowered = word.lowercased()
        if let exact = candidates.first(where: { $0.lowercased() == lowered }) { return exact }
        let squashed = squash(word)
        if let same = candidates.first(where: { squash($0) == squashed }) { return same }
        // A word cut short (`psk_dhe` for `psk_dhe_ke`) names the one candidate it begins.
        if squashed.count >= 3 {
            let extended = candidates.filter { squash($0).hasPrefix(squashed) }
            if extended.count == 1, let only = extended.first { return only }
        }
        let limit = min(3, word.count / 3)
        guard limit > 0 else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let d = distance(lowered, candidate.lowercased())
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        if let best { return best.candidate }
        // A part of a longer name (`versions` for `supported_versions`): the only candidate that contains it.
        if squashed.count >= 4 {
            let containing = candidates.filter { squash($0).contains(squashed) }
            if containing.count == 1, let only = containing.first { return only }
        }
        return nil
    }

    /// ` (did you mean 'x'?)` or an empty string.
    static func phrase(for word: String, in candidates: [String]) -> String {
        guard let match = closest(to: word, in: candidates), match != word else { return "" }
        return " (did you mean '\(match)'?)"
    }

    private static func squash(_ s: String) -> String {
        String(s.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " })
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbours (`tls31` for
    /// `tls13`) as one edit (optimal string alignment).
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars), b = Array(b.unicodeScalars)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], beforePrevious[j - 2] + 1)
                }
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }
}
