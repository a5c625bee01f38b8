import Foundation
import TLSCrypto
import TLSTranscript
import TLSWire

/// One multiple-choice question, asked before a walkthrough step is shown: everything needed to answer it is in the
/// steps before it (and in the protocol the learner is studying).
public struct QuizQuestion: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Which message does this side send next?
        case nextMessage = "next_message"
        /// Who sends this message, and is it encrypted?
        case senderAndProtection = "sender_and_protection"
        /// Which keys protect this record?
        case protectingKeys = "protecting_keys"
        /// Which of these values does a side hold now?
        case heldSecret = "held_secret"
        /// Which alert will this failure raise?
        case alert
    }

    /// 1-based.
    public var number: Int
    /// The walkthrough step the question is about (0-based); ask it before showing that step.
    public var step: Int
    public var kind: Kind
    public var prompt: String
    /// 3 or 4 distinct options.
    public var options: [String]
    /// Index of the right option.
    public var correct: Int
    /// Shown after the answer: why the right option is right.
    public var explanation: String

    public var correctOption: String { options[correct] }
}

/// A quiz over one transcript: one question per walkthrough step (alerts of the closing handshake skipped),
/// deterministic for a given transcript and seed. The UI shows `questions[i]` before step `questions[i].step`.
public struct Quiz: Sendable {
    public let scenario: String
    public let seed: UInt64
    public let questions: [QuizQuestion]

    /// - Parameter maxQuestions: keep only the first N questions.
    public init(walkthrough: Walkthrough, seed: UInt64, maxQuestions: Int? = nil) {
        scenario = walkthrough.transcript.scenario
        self.seed = seed
        var builder = QuizBuilder(walkthrough: walkthrough, seed: seed)
        var questions = builder.build()
        if let maxQuestions { questions = Array(questions.prefix(max(0, maxQuestions))) }
        self.questions = questions
    }

    public init(transcript: Transcript, seed: UInt64, maxQuestions: Int? = nil) {
        self.init(walkthrough: Walkthrough(transcript), seed: seed, maxQuestions: maxQuestions)
    }
}

/// The learner's progress through a quiz: answers and score.
public struct QuizSession: Sendable {
    public struct Feedback: Sendable, Equatable {
        public var right: Bool
        public var correctOption: String
        public var explanation: String
    }

    public let quiz: Quiz
    /// One entry per question: the chosen option index, or nil while unanswered (or skipped).
    public private(set) var answers: [Int?]
    /// Index of the question to ask next (nil when all are answered).
    public private(set) var current: Int?

    public init(quiz: Quiz) {
        self.quiz = quiz
        answers = Array(repeating: nil, count: quiz.questions.count)
        current = quiz.questions.isEmpty ? nil : 0
    }

    public var question: QuizQuestion? { current.map { quiz.questions[$0] } }

    /// Records the answer to the current question and moves on. An option out of range counts as wrong.
    @discardableResult
    public mutating func answer(_ option: Int) -> Feedback? {
        guard let i = current else { return nil }
        let q = quiz.questions[i]
        answers[i] = option
        current = i + 1 < quiz.questions.count ? i + 1 : nil
        return Feedback(right: option == q.correct, correctOption: q.correctOption, explanation: q.explanation)
    }

    /// Skips the current question (it scores nothing).
    public mutating func skip() {
        guard let i = current else { return }
        current = i + 1 < quiz.questions.count ? i + 1 : nil
    }

    /// Stops the quiz (remaining questions stay unanswered).
    public mutating func stop() { current = nil }

    public var score: Int { zip(answers, quiz.questions).filter { $0.0 == $0.1.correct }.count }
    public var total: Int { quiz.questions.count }
    public var answered: Int { answers.compactMap { $0 }.count }

    /// The record `--save-score` writes.
    public func record(transcriptSeed: UInt64?) -> QuizScore {
        QuizScore(
            scenario: quiz.scenario, seed: transcriptSeed, quizSeed: quiz.seed,
            answers: zip(quiz.questions, answers).map { q, a in
                QuizScore.Answer(
                    number: q.number, step: q.step + 1, kind: q.kind.rawValue, question: q.prompt,
                    chosen: a.flatMap { q.options.indices.contains($0) ? q.options[$0] : nil }, correct: q.correctOption,
                    right: a == q.correct)
            }, score: score, total: total)
    }
}

/// A quiz result as JSON (`tlslab quiz --save-score FILE`): `{"format": "tlslab-quiz-score", "version": 1,
/// "scenario", "seed", "quiz_seed", "answers": […], "score", "total"}`. Separate from the transcript format.
public struct QuizScore: Codable, Sendable, Equatable {
    public struct Answer: Codable, Sendable, Equatable {
        public var number: Int
        /// 1-based step number, as shown.
        public var step: Int
        public var kind: String
        public var question: String
        /// Nil when not answered.
        public var chosen: String?
        public var correct: String
        public var right: Bool
    }

    public static let formatName = "tlslab-quiz-score"
    public var format = QuizScore.formatName
    public var version = 1
    public var scenario: String
    /// The transcript's seed.
    public var seed: UInt64?
    public var quizSeed: UInt64
    public var answers: [Answer]
    public var score: Int
    public var total: Int

    public init(scenario: String, seed: UInt64?, quizSeed: UInt64, answers: [Answer], score: Int, total: Int) {
        self.scenario = scenario
        self.seed = seed
        self.quizSeed = quizSeed
        self.answers = answers
        self.score = score
        self.total = total
    }

    /// Sorted, pretty-printed, snake_case JSON (as transcripts are written).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }

    public static func load(json data: Data) throws -> QuizScore {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(QuizScore.self, from: data)
    }
}

/// A small deterministic generator (SplitMix64) so a quiz is the same on every machine.
struct QuizRandom {
    var state: UInt64

    init(seed: UInt64, salt: String) {
        // FNV-1a of the salt: stable across processes (Swift's hashValue is not).
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in salt.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        state = seed ^ h
    }

    mutating func next() -> UInt64 {
        state = state &+ 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }

    mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        guard a.count > 1 else { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) { a.swapAt(i, below(i + 1)) }
        return a
    }
}

/// Builds the questions of a quiz.
struct QuizBuilder {
    let walkthrough: Walkthrough
    var random: QuizRandom
    var t: Transcript { walkthrough.transcript }

    init(walkthrough: Walkthrough, seed: UInt64) {
        self.walkthrough = walkthrough
        random = QuizRandom(seed: seed, salt: walkthrough.transcript.scenario)
    }

    static let alertPool = [
        "handshake_failure", "bad_certificate", "unknown_ca", "certificate_expired", "bad_record_mac", "decrypt_error",
        "protocol_version", "illegal_parameter", "certificate_required", "unexpected_message", "decode_error",
    ]
    /// What each side can send, per version (RFC 8446 §4, RFC 5246 §7.4): the distractors of "what does the
    /// client send next?" are things a client could send.
    static func messages(version: String?, from side: Side) -> [String] {
        let tls13 = version != "TLS 1.2"
        let tls12 = version != "TLS 1.3"
        var out = ["Certificate", "CertificateVerify", "Finished", "Application data"]
        switch side {
        case .client:
            out += ["ClientHello"]
            if tls13 { out += ["EndOfEarlyData", "KeyUpdate"] }
            if tls12 { out += ["ClientKeyExchange", "ChangeCipherSpec"] }
        case .server:
            out += ["ServerHello", "CertificateRequest", "NewSessionTicket"]
            if tls13 { out += ["HelloRetryRequest", "EncryptedExtensions", "KeyUpdate"] }
            if tls12 { out += ["ServerKeyExchange", "ServerHelloDone", "ChangeCipherSpec"] }
        }
        return out
    }
    static let keys13 = [
        "client_handshake_traffic keys", "server_handshake_traffic keys", "client_application_traffic keys",
        "server_application_traffic keys", "client_early_traffic keys",
    ]
    static let keys12 = ["client_write keys", "server_write keys"]
    static let clear = "none: sent in the clear"
    static let senderOptions = [
        "the client, in the clear", "the client, encrypted", "the server, in the clear", "the server, encrypted",
    ]

    mutating func build() -> [QuizQuestion] {
        var out: [QuizQuestion] = []
        var lastKind: QuizQuestion.Kind?
        for (i, step) in walkthrough.steps.enumerated() {
            if step.title == "Alert: close_notify" { continue }
            var candidates: [QuizQuestion] = []
            if let q = alertQuestion(i) {
                candidates = [q]
            } else {
                candidates = [nextMessage(i), senderAndProtection(i), protectingKeys(i), heldSecret(i)].compactMap { $0 }
            }
            guard !candidates.isEmpty else { continue }
            let fresh = candidates.filter { $0.kind != lastKind }
            let pool = fresh.isEmpty ? candidates : fresh
            var q = pool[random.below(pool.count)]
            q.number = out.count + 1
            lastKind = q.kind
            out.append(q)
        }
        return out
    }

    // MARK: Helpers

    func version(_ i: Int) -> String? {
        Lookup.version(of: t, connection: connection(i))
    }

    func connection(_ i: Int) -> Int {
        t.records.first { $0.index == walkthrough.steps[i].record }?.connection ?? 0
    }

    func record(_ i: Int) -> RecordEntry? { t.records.first { $0.index == walkthrough.steps[i].record } }

    /// Makes a question with the right answer and `count - 1` distractors, shuffled.
    mutating func make(
        _ i: Int, _ kind: QuizQuestion.Kind, _ prompt: String, right: String, distractors: [String], count: Int = 4,
        explanation: String
    ) -> QuizQuestion? {
        var unique: [String] = []
        for d in random.shuffled(distractors) where d != right && !unique.contains(d) { unique.append(d) }
        guard unique.count >= 2 else { return nil }
        let options = random.shuffled([right] + unique.prefix(count - 1))
        guard let correct = options.firstIndex(of: right) else { return nil }
        return QuizQuestion(
            number: 0, step: i, kind: kind, prompt: prompt, options: options, correct: correct, explanation: explanation)
    }

    // MARK: Kinds

    mutating func alertQuestion(_ i: Int) -> QuizQuestion? {
        let step = walkthrough.steps[i]
        guard step.title.hasPrefix("Alert: "), step.title != "Alert: close_notify" else { return nil }
        let name = String(step.title.dropFirst(7))
        let explanation = Explanations.alert(named: name)
        var text = explanation.map { "\($0.summary) \($0.detail)" } ?? name
        if let lab = t.lab { text += " Here: \(lab.cause)" }
        return make(
            i, .alert, "Step \(i + 1): the \(step.from) is about to abort the connection. Which alert does it send?",
            right: name, distractors: Self.alertPool, explanation: text)
    }

    mutating func nextMessage(_ i: Int) -> QuizQuestion? {
        let step = walkthrough.steps[i]
        let right = StepExcerpt.plainTitle(step.title)
        guard !right.hasPrefix("Alert") else { return nil }
        let pool = Self.messages(version: version(i), from: step.from)
        // Plausible: what this side sends later in the transcript, then the protocol's other messages.
        let later = walkthrough.steps[(i + 1)...].filter { $0.from == step.from }.map { StepExcerpt.plainTitle($0.title) }
            .filter { !$0.hasPrefix("Alert") }
        let distractors = random.shuffled(later).prefix(2) + random.shuffled(pool)
        let why = Explanations.message(named: right).map { "\(right): \($0.summary) (\($0.rfc))" } ?? right
        return make(
            i, .nextMessage, "Step \(i + 1): what does the \(step.from) send next?", right: right,
            distractors: Array(distractors), explanation: why)
    }

    mutating func senderAndProtection(_ i: Int) -> QuizQuestion? {
        let step = walkthrough.steps[i]
        let title = StepExcerpt.plainTitle(step.title)
        let right = "the \(step.from), \(step.encrypted ? "encrypted" : "in the clear")"
        var why = "The \(step.from) sends \(title) "
        if step.encrypted, let keys = record(i)?.keys {
            why += "encrypted with the \(keys). "
        } else {
            why += "in the clear: no keys protect its records yet. "
        }
        if version(i) == "TLS 1.3" {
            why += "In TLS 1.3 everything after ServerHello is encrypted, handshake messages included."
        } else if version(i) == "TLS 1.2" {
            why += "In TLS 1.2 a side encrypts only after its ChangeCipherSpec; Finished is the first encrypted handshake message."
        }
        return make(
            i, .senderAndProtection, "Step \(i + 1): who sends \(title), and is it encrypted?", right: right,
            distractors: Self.senderOptions, explanation: why)
    }

    mutating func protectingKeys(_ i: Int) -> QuizQuestion? {
        guard let version = version(i), let record = record(i) else { return nil }
        let step = walkthrough.steps[i]
        let right = record.keys ?? Self.clear
        let seen = t.records.filter { $0.connection == record.connection }.compactMap(\.keys)
        let pool = (version == "TLS 1.3" ? Self.keys13 : Self.keys12) + seen + [Self.clear]
        // The peer's keys of the same phase are the most tempting mistake.
        var distractors: [String] = []
        if right.hasPrefix("client_") { distractors.append("server_" + right.dropFirst(7)) }
        if right.hasPrefix("server_") { distractors.append("client_" + right.dropFirst(7)) }
        distractors += random.shuffled(pool)
        let why: String
        if let keys = record.keys {
            let generation = keys.contains("(generation")
            let secret = keys.components(separatedBy: " ").first ?? keys
            let name =
                secret.hasSuffix("_write")
                ? secret + "_key"
                : secret + "_secret" + (secret.hasSuffix("_application_traffic") ? (generation ? "_N" : "_0") : "")
            why = "\(StepExcerpt.plainTitle(step.title)) is protected with the \(keys). "
                + (Explanations.derivation(name, version: version)?.detail ?? "")
        } else {
            why = "\(StepExcerpt.plainTitle(step.title)) travels in the clear: "
                + (version == "TLS 1.3"
                    ? "the hellos set up the keys, so they cannot be encrypted with them."
                    : "in TLS 1.2 a side encrypts only after its ChangeCipherSpec.")
        }
        let title = StepExcerpt.plainTitle(step.title)
        return make(
            i, .protectingKeys, "Step \(i + 1): which keys protect the \(step.from)'s \(title)?", right: right,
            distractors: distractors, explanation: why)
    }

    /// Names of values `side` derived in connection `c`, in steps `range`.
    func derived(_ side: Side, connection c: Int, steps range: Range<Int>) -> [String] {
        var names: [String] = []
        for s in range {
            for e in walkthrough.steps[s].events {
                let event = t.events[e]
                if event.kind == .derivation, event.side == side, event.connection == c, let d = event.derivation,
                    !names.contains(d.name)
                {
                    names.append(d.name)
                }
            }
        }
        return names
    }

    mutating func heldSecret(_ i: Int) -> QuizQuestion? {
        guard i > 0 else { return nil }
        let c = connection(i)
        let steps = walkthrough.steps.indices
        let sides: [Side] = random.shuffled([.client, .server])
        for side in sides {
            let held = derived(side, connection: c, steps: 0..<i)
            guard let right = held.last(where: { !$0.hasSuffix("_random") }) else { continue }
            let later = derived(side, connection: c, steps: i..<steps.upperBound).filter { !held.contains($0) }
            let other = side == .client ? Side.server : Side.client
            // The other side's ephemeral private keys: never sent, so this side never holds them.
            let never = derived(other, connection: c, steps: steps)
                .filter { $0.contains("_private") && !derived(side, connection: c, steps: steps).contains($0) }
            let distractors = random.shuffled(Array(later.prefix(4))) + random.shuffled(never)
            var why = Explanations.derivation(right, version: version(i)).map { "\(right): \($0.summary)" } ?? right
            why += " The \(side) derived it before step \(i + 1)."
            if let n = never.first { why += " It never holds \(n): that private key never leaves the \(other)." }
            guard
                let q = make(
                    i, .heldSecret, "Before step \(i + 1): which of these values does the \(side) already hold?",
                    right: right, distractors: distractors, explanation: why)
            else { continue }
            return q
        }
        return nil
    }
}

extension QuizQuestion {
    /// Plain text: the prompt and lettered options.
    public func text(width: Int = 100) -> String {
        var lines = TextWrap.wrap("Q\(number). \(prompt)", width: width, continuation: "    ")
        for (k, option) in options.enumerated() {
            lines += TextWrap.wrap("\(QuizQuestion.letter(k))) \(option)", width: width, indent: "    ", continuation: "       ")
        }
        return lines.joined(separator: "\n")
    }

    /// `a`, `b`, `c`, `d`.
    public static func letter(_ index: Int) -> String {
        String(UnicodeScalar(UInt8(97 + min(max(index, 0), 25))))
    }

    /// Parses `a`…`d` or `1`…`4` (case and spaces ignored); nil if it is neither.
    public func option(from input: String) -> Int? {
        let s = input.trimmingCharacters(in: .whitespaces).lowercased()
        if let n = Int(s), (1...options.count).contains(n) { return n - 1 }
        if s.count == 1, let c = s.unicodeScalars.first, c.value >= 97, Int(c.value) - 97 < options.count {
            return Int(c.value) - 97
        }
        return nil
    }
}
