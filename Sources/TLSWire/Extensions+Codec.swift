// Decoding and encoding of extensions (RFC 8446 §4.2 and the RFCs that define each extension).
//
// The same extension type has different bodies in different messages (RFC 8446 §4.2 table), so decoding takes
// an `ExtensionContext`. A type TLSLab does not decode in that context, GREASE (RFC 8701) and anything whose
// decoded form would not re-encode to the very same bytes stay `.opaque`, byte for byte.

extension ExtensionType {
    /// The identifier used in field keys: `ext.<slug>`. The IANA name, except `alpn` for
    /// application_layer_protocol_negotiation, `grease` for GREASE values and `unknown` for other values.
    public var fieldSlug: String {
        if self == .alpn { return "alpn" }
        if let name { return name }
        return isGREASE ? "grease" : "unknown"
    }
}

extension ExtensionBody {
    /// RFC 8446 §4.2: the `extension_data` bytes for this body (without the type and length prefix).
    public var encodedData: [UInt8] {
        var w = ByteWriter()
        switch self {
        case .serverName(let names):
            // RFC 6066 §3: ServerNameList of { NameType name_type (0 = host_name); HostName host_name<1..2^16-1> }.
            w.vector(lengthSize: 2) { w in
                for name in names {
                    w.u8(0)
                    w.opaque(Array(name.utf8), lengthSize: 2)
                }
            }
        case .serverNameAck, .encryptThenMAC, .extendedMasterSecret, .earlyData:
            break
        case .supportedGroups(let groups):
            w.vector(lengthSize: 2) { w in for g in groups { w.u16(g.rawValue) } }
        case .ecPointFormats(let formats):
            w.vector(lengthSize: 1) { w in for f in formats { w.u8(f.rawValue) } }
        case .signatureAlgorithms(let schemes), .signatureAlgorithmsCert(let schemes):
            w.vector(lengthSize: 2) { w in for s in schemes { w.u16(s.rawValue) } }
        case .alpn(let protocols):
            w.vector(lengthSize: 2) { w in for p in protocols { w.opaque(Array(p.utf8), lengthSize: 1) } }
        case .sessionTicket(let ticket):
            w.append(ticket)
        case .renegotiationInfo(let data):
            w.opaque(data, lengthSize: 1)
        case .supportedVersions(let versions):
            w.vector(lengthSize: 1) { w in for v in versions { w.u16(v.rawValue) } }
        case .selectedVersion(let v):
            w.u16(v.rawValue)
        case .keyShares(let entries):
            w.vector(lengthSize: 2) { w in
                for e in entries {
                    w.u16(e.group.rawValue)
                    w.opaque(e.keyExchange, lengthSize: 2)
                }
            }
        case .keyShare(let e):
            w.u16(e.group.rawValue)
            w.opaque(e.keyExchange, lengthSize: 2)
        case .keyShareRequest(let g):
            w.u16(g.rawValue)
        case .pskKeyExchangeModes(let modes):
            w.vector(lengthSize: 1) { w in for m in modes { w.u8(m.rawValue) } }
        case .offeredPSKs(let offered):
            w.vector(lengthSize: 2) { w in
                for id in offered.identities {
                    w.opaque(id.identity, lengthSize: 2)
                    w.u32(id.obfuscatedTicketAge)
                }
            }
            w.vector(lengthSize: 2) { w in for b in offered.binders { w.opaque(b, lengthSize: 1) } }
        case .selectedPSK(let index):
            w.u16(index)
        case .maxEarlyData(let size):
            w.u32(size)
        case .cookie(let cookie):
            w.opaque(cookie, lengthSize: 2)
        case .recordSizeLimit(let limit):
            w.u16(limit)
        case .padding(let count):
            w.append([UInt8](repeating: 0, count: Swift.max(0, count)))
        case .certificateAuthorities(let names):
            w.vector(lengthSize: 2) { w in for dn in names { w.opaque(dn, lengthSize: 2) } }
        case .opaque(let data):
            w.append(data)
        }
        return w.bytes
    }

    /// A one-line summary for the extension's node in a field tree, e.g. `x25519, secp256r1`.
    public var summary: String {
        switch self {
        case .serverName(let names): return names.isEmpty ? "(no names)" : names.joined(separator: ", ")
        case .serverNameAck: return "(empty: the server used the name)"
        case .supportedGroups(let g): return Render.list(g)
        case .ecPointFormats(let f): return Render.list(f)
        case .signatureAlgorithms(let s), .signatureAlgorithmsCert(let s): return Render.list(s)
        case .alpn(let p): return p.isEmpty ? "(none)" : p.joined(separator: ", ")
        case .encryptThenMAC, .extendedMasterSecret, .earlyData: return "(empty)"
        case .sessionTicket(let t): return t.isEmpty ? "(empty)" : "ticket, \(Render.count(t.count, "byte"))"
        case .renegotiationInfo(let d):
            return d.isEmpty ? "(empty: initial handshake)" : "renegotiated_connection " + d.fieldValue
        case .supportedVersions(let v): return Render.list(v)
        case .selectedVersion(let v): return v.description
        case .keyShares(let entries):
            return entries.isEmpty
                ? "(no shares)" : entries.map { "\($0.group) (\(Render.count($0.keyExchange.count, "byte")))" }
                .joined(separator: ", ")
        case .keyShare(let e): return "\(e.group) (\(Render.count(e.keyExchange.count, "byte")))"
        case .keyShareRequest(let g): return "send a \(g) share"
        case .pskKeyExchangeModes(let m): return Render.list(m)
        case .offeredPSKs(let o):
            return "\(Render.count(o.identities.count, "identity", "identities")), "
                + Render.count(o.binders.count, "binder")
        case .selectedPSK(let i): return "identity \(i)"
        case .maxEarlyData(let n): return "\(n) bytes"
        case .cookie(let c): return "\(Render.count(c.count, "byte"))"
        case .recordSizeLimit(let n): return "\(n)"
        case .padding(let n): return "\(Render.count(n, "zero byte"))"
        case .certificateAuthorities(let names): return Render.count(names.count, "name")
        case .opaque(let d): return d.fieldValue
        }
    }
}

extension Extension {
    /// RFC 8446 §4.2: type, 2-byte length, extension_data.
    public func encode(into w: inout ByteWriter) {
        w.u16(type.rawValue)
        w.opaque(body.encodedData, lengthSize: 2)
    }

    public var encoded: [UInt8] {
        var w = ByteWriter()
        encode(into: &w)
        return w.bytes
    }

    /// Decodes one extension at the reader's position and records its node (`ext.<name>`).
    static func decode(from r: inout ByteReader, context: ExtensionContext) throws -> Extension {
        let peekedType = r.peek(2).map { ExtensionType(rawValue: UInt16($0[0]) << 8 | UInt16($0[1])) }
        let slug = peekedType?.fieldSlug ?? "unknown"
        let name = peekedType.map { $0.name ?? $0.description } ?? "extension"
        return try r.field("ext.\(slug)", name, value: { (e: Extension) in e.body.summary }) { r in
            let type = try r.codePoint("ext.extension_type", "extension_type", as: ExtensionType.self)
            if let prefix = r.peek(2) {
                let length = Int(prefix[0]) << 8 | Int(prefix[1])
                let position = r.position
                r.record(
                    FieldNode(
                        key: "ext.extension_length", name: "length", value: "\(length)", offset: position,
                        length: 2))
            }
            let body = try r.vector(lengthSize: 2, "extension_data of \(type)") { inner in
                let raw = inner.peek(inner.remaining) ?? []
                let decoded = try Self.decodeBody(type: type, context: context, from: &inner)
                // Canonical encoding: a body that would not re-encode to these exact bytes stays opaque.
                if case .opaque = decoded { return decoded }
                return decoded.encodedData == raw ? decoded : .opaque(raw)
            }
            return Extension(type: type, body: body)
        }
    }

    private static func decodeBody(type: ExtensionType, context: ExtensionContext, from r: inout ByteReader)
        throws -> ExtensionBody
    {
        let slug = type.fieldSlug
        let k = { (field: String) in "ext.\(slug).\(field)" }
        switch (type, context) {
        case (.serverName, .clientHello):
            // RFC 6066 §3: server_name_list<1..2^16-1>. Only host_name (0) is defined; any other name type makes
            // the re-encoding differ, so such an extension ends up opaque (see `decode`).
            let names: [String] = try r.listField(
                k("server_name_list"), lengthSize: 2, min: 1, max: 0xffff, "server_name_list",
                summary: { $0.joined(separator: ", ") }
            ) { r in
                _ = try r.field(k("name_type"), value: { (t: UInt8) in t == 0 ? "host_name (0)" : "unknown (\(t))" }) {
                    try $0.u8()
                }
                let host = try r.opaqueField(
                    k("host_name"), lengthSize: 2, min: 1, max: 0xffff, "host_name", render: Render.text)
                return String(decoding: host, as: UTF8.self)
            }
            return .serverName(names)
        case (.serverName, .serverHello), (.serverName, .encryptedExtensions):
            // RFC 6066 §3: "the extension_data field of this extension SHALL be empty" in the server's reply.
            if !r.isAtEnd {
                throw DecodeError(
                    offset: r.position,
                    reason: "server_name in a server's reply must be empty (RFC 6066 §3), found \(r.remaining) bytes")
            }
            return .serverNameAck
        case (.supportedGroups, .clientHello), (.supportedGroups, .encryptedExtensions):
            // RFC 8446 §4.2.7: named_group_list<2..2^16-1>.
            return .supportedGroups(
                try r.listField(
                    k("named_group_list"), lengthSize: 2, min: 2, max: 0xffff, itemSize: 2, "named_group_list",
                    summary: Render.list
                ) { try $0.codePoint(k("named_group"), as: NamedGroup.self) })
        case (.ecPointFormats, .clientHello), (.ecPointFormats, .serverHello):
            // RFC 8422 §5.1.2: ec_point_format_list<1..2^8-1>.
            return .ecPointFormats(
                try r.listField(
                    k("ec_point_format_list"), lengthSize: 1, min: 1, max: 0xff, "ec_point_format_list",
                    summary: Render.list
                ) { try $0.codePoint(k("ec_point_format"), as: ECPointFormat.self) })
        case (.signatureAlgorithms, .clientHello), (.signatureAlgorithms, .certificateRequest):
            // RFC 8446 §4.2.3: supported_signature_algorithms<2..2^16-2>.
            return .signatureAlgorithms(try signatureList(&r, slug: slug))
        case (.signatureAlgorithmsCert, .clientHello), (.signatureAlgorithmsCert, .certificateRequest):
            return .signatureAlgorithmsCert(try signatureList(&r, slug: slug))
        case (.alpn, .clientHello), (.alpn, .serverHello), (.alpn, .encryptedExtensions):
            // RFC 7301 §3.1: ProtocolName protocol_name_list<2..2^16-1>; ProtocolName opaque<1..2^8-1>.
            let names = try r.listField(
                k("protocol_name_list"), lengthSize: 2, min: 2, max: 0xffff, "protocol_name_list",
                summary: { (n: [String]) in n.joined(separator: ", ") }
            ) { r in
                String(
                    decoding: try r.opaqueField(
                        k("protocol_name"), lengthSize: 1, min: 1, max: 0xff, "protocol_name", render: Render.text),
                    as: UTF8.self)
            }
            return .alpn(names)
        case (.encryptThenMAC, .clientHello), (.encryptThenMAC, .serverHello):
            try expectEmpty(r, "encrypt_then_mac", rfc: "RFC 7366 §2")
            return .encryptThenMAC
        case (.extendedMasterSecret, .clientHello), (.extendedMasterSecret, .serverHello):
            try expectEmpty(r, "extended_master_secret", rfc: "RFC 7627 §5.1")
            return .extendedMasterSecret
        case (.sessionTicket, .clientHello), (.sessionTicket, .serverHello):
            // RFC 5077 §3.2: the extension_data is the ticket itself (empty to ask for one).
            if r.isAtEnd { return .sessionTicket([]) }
            return .sessionTicket(r.restField(k("ticket")))
        case (.renegotiationInfo, .clientHello), (.renegotiationInfo, .serverHello):
            // RFC 5746 §3.2: opaque renegotiated_connection<0..255>.
            return .renegotiationInfo(
                try r.opaqueField(
                    k("renegotiated_connection"), lengthSize: 1, max: 0xff, "renegotiated_connection"))
        case (.supportedVersions, .clientHello):
            // RFC 8446 §4.2.1: ProtocolVersion versions<2..254>.
            return .supportedVersions(
                try r.listField(
                    k("versions"), lengthSize: 1, min: 2, max: 254, itemSize: 2, "versions", summary: Render.list
                ) { try $0.codePoint(k("version"), as: ProtocolVersion.self) })
        case (.supportedVersions, .serverHello), (.supportedVersions, .helloRetryRequest):
            return .selectedVersion(try r.codePoint(k("selected_version"), as: ProtocolVersion.self))
        case (.keyShare, .clientHello):
            // RFC 8446 §4.2.8: KeyShareEntry client_shares<0..2^16-1>.
            return .keyShares(
                try r.listField(
                    k("client_shares"), lengthSize: 2, max: 0xffff, "client_shares",
                    summary: { ExtensionBody.keyShares($0).summary }
                ) { r in try keyShareEntry(&r, key: k("client_share")) })
        case (.keyShare, .serverHello):
            return .keyShare(try keyShareEntry(&r, key: k("server_share")))
        case (.keyShare, .helloRetryRequest):
            return .keyShareRequest(try r.codePoint(k("selected_group"), as: NamedGroup.self))
        case (.pskKeyExchangeModes, .clientHello):
            // RFC 8446 §4.2.9: PskKeyExchangeMode ke_modes<1..255>.
            return .pskKeyExchangeModes(
                try r.listField(k("ke_modes"), lengthSize: 1, min: 1, max: 255, "ke_modes", summary: Render.list) {
                    try $0.codePoint(k("ke_mode"), as: PskKeyExchangeMode.self)
                })
        case (.preSharedKey, .clientHello):
            // RFC 8446 §4.2.11: PskIdentity identities<7..2^16-1>; PskBinderEntry binders<33..2^16-1>.
            let identities = try r.listField(
                k("identities"), lengthSize: 2, min: 7, max: 0xffff, "identities",
                summary: { Render.count($0.count, "identity", "identities") }
            ) { r in
                try r.field(k("psk_identity"), "PskIdentity", value: { (i: PSKIdentity) in i.identity.fieldValue }) {
                    r in
                    let identity = try r.opaqueField(k("identity"), lengthSize: 2, min: 1, max: 0xffff, "identity")
                    let age = try r.integer(k("obfuscated_ticket_age"), size: 4)
                    return PSKIdentity(identity: identity, obfuscatedTicketAge: UInt32(truncatingIfNeeded: age))
                }
            }
            let binders = try r.listField(
                k("binders"), lengthSize: 2, min: 33, max: 0xffff, "binders",
                summary: { Render.count($0.count, "binder") }
            ) { r in try r.opaqueField(k("binder"), lengthSize: 1, min: 32, max: 255, "PskBinderEntry") }
            return .offeredPSKs(OfferedPSKs(identities: identities, binders: binders))
        case (.preSharedKey, .serverHello):
            return .selectedPSK(UInt16(truncatingIfNeeded: try r.integer(k("selected_identity"), size: 2)))
        case (.earlyData, .clientHello), (.earlyData, .encryptedExtensions):
            try expectEmpty(r, "early_data", rfc: "RFC 8446 §4.2.10")
            return .earlyData
        case (.earlyData, .newSessionTicket):
            return .maxEarlyData(
                UInt32(truncatingIfNeeded: try r.integer(k("max_early_data_size"), size: 4, unit: "bytes")))
        case (.cookie, .clientHello), (.cookie, .helloRetryRequest):
            // RFC 8446 §4.2.2: opaque cookie<1..2^16-1>.
            return .cookie(try r.opaqueField(k("cookie"), lengthSize: 2, min: 1, max: 0xffff, "cookie"))
        case (.recordSizeLimit, .clientHello), (.recordSizeLimit, .serverHello),
            (.recordSizeLimit, .encryptedExtensions):
            // RFC 8449 §4: uint16 RecordSizeLimit.
            return .recordSizeLimit(
                UInt16(truncatingIfNeeded: try r.integer(k("record_size_limit"), size: 2, unit: "bytes")))
        case (.padding, .clientHello):
            // RFC 7685 §3: zero bytes. Non-zero padding is kept as it is (opaque) so it re-encodes exactly.
            let zeros = r.restField(k("padding"), render: { "\(Render.count($0.count, "byte"))" })
            return zeros.allSatisfy { $0 == 0 } ? .padding(zeros.count) : .opaque(zeros)
        case (.certificateAuthorities, .clientHello), (.certificateAuthorities, .certificateRequest):
            // RFC 8446 §4.2.4: DistinguishedName authorities<3..2^16-1>; DistinguishedName opaque<1..2^16-1>.
            return .certificateAuthorities(
                try r.listField(
                    k("authorities"), lengthSize: 2, min: 3, max: 0xffff, "authorities",
                    summary: { Render.count($0.count, "name") }
                ) { try $0.opaqueField(k("distinguished_name"), lengthSize: 2, min: 1, max: 0xffff, "DistinguishedName") })
        default:
            return .opaque(r.restField("ext.extension_data", "extension_data"))
        }
    }

    private static func signatureList(_ r: inout ByteReader, slug: String) throws -> [SignatureScheme] {
        try r.listField(
            "ext.\(slug).supported_signature_algorithms", lengthSize: 2, min: 2, max: 0xfffe, itemSize: 2,
            "supported_signature_algorithms", summary: Render.list
        ) { try $0.codePoint("ext.\(slug).signature_scheme", as: SignatureScheme.self) }
    }

    private static func keyShareEntry(_ r: inout ByteReader, key: String) throws -> KeyShareEntry {
        // RFC 8446 §4.2.8: struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry.
        try r.field(key, "KeyShareEntry", value: { (e: KeyShareEntry) in ExtensionBody.keyShare(e).summary }) { r in
            let group = try r.codePoint("ext.key_share.group", as: NamedGroup.self)
            let key = try r.opaqueField("ext.key_share.key_exchange", lengthSize: 2, min: 1, max: 0xffff, "key_exchange")
            return KeyShareEntry(group: group, keyExchange: key)
        }
    }

    private static func expectEmpty(_ r: ByteReader, _ what: String, rfc: String) throws {
        if !r.isAtEnd {
            throw DecodeError(
                offset: r.position, reason: "\(what) must have empty extension_data (\(rfc)), found \(r.remaining) bytes")
        }
    }
}

extension Array where Element == Extension {
    /// Writes an extension block: `Extension extensions<0..2^16-1>`.
    public func encodeBlock(into w: inout ByteWriter) {
        w.vector(lengthSize: 2) { w in for e in self { e.encode(into: &w) } }
    }

    /// Decodes an extension block (2-byte length + extensions) as one recorded field `key`. Rejects a repeated
    /// extension type (RFC 8446 §4.2, RFC 5246 §7.4.1.4: illegal_parameter) and, in a ClientHello, a
    /// pre_shared_key that is not last (RFC 8446 §4.2.11: illegal_parameter).
    static func decodeBlock(
        from r: inout ByteReader, key: String, context: ExtensionContext, min: Int = 0, max: Int = 0xffff
    ) throws -> [Extension] {
        try r.field(key, "extensions", value: { (e: [Extension]) in Render.count(e.count, "extension") }) { r in
            try r.vector(lengthSize: 2, min: min, max: max, "extensions") { r in
                var out: [Extension] = []
                var starts: [Int] = []
                var seen: Set<UInt16> = []
                while !r.isAtEnd {
                    let start = r.position
                    let ext = try Extension.decode(from: &r, context: context)
                    if !seen.insert(ext.type.rawValue).inserted {
                        throw DecodeError(
                            offset: start,
                            reason: "extension \(ext.type.labelled) appears twice; an extension block may hold each "
                                + "type only once (RFC 8446 §4.2)",
                            alert: .illegalParameter)
                    }
                    out.append(ext)
                    starts.append(start)
                }
                if context == .clientHello, let i = out.firstIndex(where: { $0.type == .preSharedKey }),
                    i != out.count - 1
                {
                    throw DecodeError(
                        offset: starts[i],
                        reason: "pre_shared_key must be the last extension of a ClientHello (RFC 8446 §4.2.11)",
                        alert: .illegalParameter)
                }
                return out
            }
        }
    }
}
