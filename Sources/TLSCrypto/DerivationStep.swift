import TLSWire

/// One input of a derivation: its name, value and (when known) where it came from.
public struct DerivationInput: Codable, Sendable, Equatable {
    /// Canonical name, e.g. `premaster_secret`, `client_random`, `transcript_hash`.
    public var name: String
    public var value: [UInt8]
    /// Where the value came from, e.g. `ClientHello.random` or `derived in step "master_secret"`.
    public var source: String?

    public init(_ name: String, _ value: [UInt8], source: String? = nil) {
        self.name = name
        self.value = value
        self.source = source
    }

    enum CodingKeys: String, CodingKey { case name, hex, source }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        value = try c.decodeHex(forKey: .hex)
        source = try c.decodeIfPresent(String.self, forKey: .source)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(value.hex, forKey: .hex)
        try c.encodeIfPresent(source, forKey: .source)
    }
}

/// One derivation, recorded as it happens: name, formula, inputs, label bytes and output. The transcript shows
/// these to learners and an independent implementation can recompute every output from them.
public struct DerivationStep: Codable, Sendable, Equatable {
    /// Canonical secret name, e.g. `master_secret`, `client_write_key`, `client_handshake_traffic_secret`.
    public var name: String
    /// The formula in RFC notation, e.g. `PRF(premaster_secret, "master secret", client_random + server_random)[0..47]`.
    public var formula: String
    public var inputs: [DerivationInput]
    /// The label as text (e.g. `master secret`, `tls13 c hs traffic`), if the derivation uses one.
    public var label: String?
    /// The exact bytes fed to the function for the label: the ASCII label for the TLS 1.2 PRF, the whole encoded
    /// HkdfLabel structure (length, label, context) for TLS 1.3 HKDF-Expand-Label.
    public var labelBytes: [UInt8]?
    public var output: [UInt8]
    /// A remark for learners (e.g. "only used by TLS 1.0; TLS 1.2 CBC records carry an explicit IV").
    public var note: String?

    public init(
        name: String, formula: String, inputs: [DerivationInput], label: String? = nil, labelBytes: [UInt8]? = nil,
        output: [UInt8], note: String? = nil
    ) {
        self.name = name
        self.formula = formula
        self.inputs = inputs
        self.label = label
        self.labelBytes = labelBytes
        self.output = output
        self.note = note
    }

    enum CodingKeys: String, CodingKey { case name, formula, inputs, label, labelHex, hex, note }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        formula = try c.decode(String.self, forKey: .formula)
        inputs = try c.decode([DerivationInput].self, forKey: .inputs)
        label = try c.decodeIfPresent(String.self, forKey: .label)
        labelBytes = try c.decodeHexIfPresent(forKey: .labelHex)
        output = try c.decodeHex(forKey: .hex)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }
    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(formula, forKey: .formula)
        try c.encode(inputs, forKey: .inputs)
        try c.encodeIfPresent(label, forKey: .label)
        try c.encodeIfPresent(labelBytes?.hex, forKey: .labelHex)
        try c.encode(output.hex, forKey: .hex)
        try c.encodeIfPresent(note, forKey: .note)
    }
}
