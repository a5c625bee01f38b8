// Decoding and encoding of handshake messages (RFC 8446 §4, RFC 5246 §7.4, RFC 8422 §5, RFC 5077 §3.3).
//
// Every decoder records one FieldNode per field, keyed `<message>.<field>` with the RFC's field names. The root
// node of a message is keyed by the message name (`client_hello`, `hello_retry_request`, ...) and its children
// are the handshake header (`handshake.msg_type`, `handshake.length`) followed by the body's fields.

// MARK: - Encoding

extension HandshakeBody {
    /// The key of this body's root node in a field tree (`client_hello`, `hello_retry_request`, ...).
    public var fieldKey: String {
        if case .serverHello(let sh) = self, sh.isHelloRetryRequest { return "hello_retry_request" }
        return handshakeType.name ?? "unknown_handshake"
    }

    /// The name shown for this message: `ClientHello`, `HelloRetryRequest`, `Handshake(99)`.
    public var displayName: String {
        if case .serverHello(let sh) = self, sh.isHelloRetryRequest { return "HelloRetryRequest" }
        return handshakeType.displayName
    }

    var typeForEncoding: HandshakeType {
        switch self {
        case .clientHello: return .clientHello
        case .serverHello: return .serverHello
        case .newSessionTicket12, .newSessionTicket13: return .newSessionTicket
        case .endOfEarlyData: return .endOfEarlyData
        case .encryptedExtensions: return .encryptedExtensions
        case .certificate12, .certificate13: return .certificate
        case .serverKeyExchange: return .serverKeyExchange
        case .certificateRequest12, .certificateRequest13: return .certificateRequest
        case .serverHelloDone: return .serverHelloDone
        case .certificateVerify: return .certificateVerify
        case .clientKeyExchange: return .clientKeyExchange
        case .finished: return .finished
        case .keyUpdate: return .keyUpdate
        case .messageHash: return .messageHash
        case .unknown(let type, _): return type
        }
    }

    /// Writes the body (without the 4-byte handshake header).
    func encodeBody(into w: inout ByteWriter) {
        switch self {
        case .clientHello(let ch):
            // RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2.
            w.u16(ch.legacyVersion.rawValue)
            w.append(ch.random)
            w.opaque(ch.sessionID, lengthSize: 1)
            w.vector(lengthSize: 2) { w in for s in ch.cipherSuites { w.u16(s.rawValue) } }
            w.vector(lengthSize: 1) { w in for c in ch.compressionMethods { w.u8(c.rawValue) } }
            // RFC 5246 §7.4.1.2: with no extensions the block is left out (as OpenSSL and GnuTLS do).
            if !ch.extensions.isEmpty { ch.extensions.encodeBlock(into: &w) }
        case .serverHello(let sh):
            // RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3.
            w.u16(sh.legacyVersion.rawValue)
            w.append(sh.random)
            w.opaque(sh.sessionID, lengthSize: 1)
            w.u16(sh.cipherSuite.rawValue)
            w.u8(sh.compressionMethod.rawValue)
            if !sh.extensions.isEmpty { sh.extensions.encodeBlock(into: &w) }
        case .newSessionTicket12(let t):
            // RFC 5077 §3.3.
            w.u32(t.lifetimeHint)
            w.opaque(t.ticket, lengthSize: 2)
        case .newSessionTicket13(let t):
            // RFC 8446 §4.6.1.
            w.u32(t.lifetime)
            w.u32(t.ageAdd)
            w.opaque(t.nonce, lengthSize: 1)
            w.opaque(t.ticket, lengthSize: 2)
            t.extensions.encodeBlock(into: &w)
        case .endOfEarlyData, .serverHelloDone:
            break
        case .encryptedExtensions(let ee):
            ee.extensions.encodeBlock(into: &w)
        case .certificate12(let c):
            // RFC 5246 §7.4.2: ASN.1Cert certificate_list<0..2^24-1>.
            w.vector(lengthSize: 3) { w in for cert in c.certificates { w.opaque(cert, lengthSize: 3) } }
        case .certificate13(let c):
            // RFC 8446 §4.4.2.
            w.opaque(c.context, lengthSize: 1)
            w.vector(lengthSize: 3) { w in
                for entry in c.entries {
                    w.opaque(entry.data, lengthSize: 3)
                    entry.extensions.encodeBlock(into: &w)
                }
            }
        case .serverKeyExchange(let ske):
            // RFC 8422 §5.4: ServerECDHParams followed by the digitally-signed struct (RFC 5246 §4.7).
            w.append(ske.paramsBytes)
            w.u16(ske.scheme.rawValue)
            w.opaque(ske.signature, lengthSize: 2)
        case .certificateRequest12(let cr):
            // RFC 5246 §7.4.4.
            w.vector(lengthSize: 1) { w in for t in cr.certificateTypes { w.u8(t.rawValue) } }
            w.vector(lengthSize: 2) { w in for s in cr.signatureSchemes { w.u16(s.rawValue) } }
            w.vector(lengthSize: 2) { w in for dn in cr.authorities { w.opaque(dn, lengthSize: 2) } }
        case .certificateRequest13(let cr):
            // RFC 8446 §4.3.2.
            w.opaque(cr.context, lengthSize: 1)
            cr.extensions.encodeBlock(into: &w)
        case .certificateVerify(let cv):
            w.u16(cv.scheme.rawValue)
            w.opaque(cv.signature, lengthSize: 2)
        case .clientKeyExchange(.rsa(let encrypted)):
            // RFC 5246 §7.4.7.1: opaque EncryptedPreMasterSecret<0..2^16-1> (length-prefixed since TLS 1.0).
            w.opaque(encrypted, lengthSize: 2)
        case .clientKeyExchange(.ecdhe(let publicKey)):
            // RFC 8422 §5.7: ECPoint ecdh_Yc (opaque point <1..2^8-1>).
            w.opaque(publicKey, lengthSize: 1)
        case .finished(let f):
            w.append(f.verifyData)
        case .keyUpdate(let k):
            w.u8(k.request.rawValue)
        case .messageHash(let hash):
            w.append(hash)
        case .unknown(_, let body):
            w.append(body)
        }
    }

    func encodeMessage() -> [UInt8] {
        var w = ByteWriter()
        w.u8(typeForEncoding.rawValue)
        w.vector(lengthSize: 3) { encodeBody(into: &$0) }
        return w.bytes
    }

    /// A one-line summary used as the value of the message's root node.
    public var summary: String {
        switch self {
        case .clientHello(let ch):
            let names = (ch.extensions.body(of: .serverName)).flatMap { body -> String? in
                if case .serverName(let n) = body { return n.joined(separator: ", ") }
                return nil
            }
            return [
                Render.count(ch.cipherSuites.count, "cipher suite"), Render.count(ch.extensions.count, "extension"),
                names.map { "for \($0)" },
            ].compactMap { $0 }.joined(separator: ", ")
        case .serverHello(let sh):
            if sh.isHelloRetryRequest {
                if case .keyShareRequest(let g) = sh.extensions.body(of: .keyShare) {
                    return "\(sh.cipherSuite.labelled), asks for a \(g) key share"
                }
                return sh.cipherSuite.labelled
            }
            if case .selectedVersion(let v) = sh.extensions.body(of: .supportedVersions) {
                return "\(v), \(sh.cipherSuite.labelled)"
            }
            return "\(sh.legacyVersion), \(sh.cipherSuite.labelled)"
        case .newSessionTicket12(let t):
            return "lifetime hint \(t.lifetimeHint) s, \(Render.count(t.ticket.count, "byte")) of ticket"
        case .newSessionTicket13(let t):
            return "lifetime \(t.lifetime) s, \(Render.count(t.ticket.count, "byte")) of ticket"
        case .endOfEarlyData, .serverHelloDone:
            return "(empty)"
        case .encryptedExtensions(let ee):
            return Render.count(ee.extensions.count, "extension")
        case .certificate12(let c):
            return Render.count(c.certificates.count, "certificate")
        case .certificate13(let c):
            return Render.count(c.entries.count, "certificate")
        case .serverKeyExchange(let s):
            return "\(s.group) public key, signed with \(s.scheme)"
        case .certificateRequest12(let cr):
            return Render.count(cr.signatureSchemes.count, "signature algorithm")
        case .certificateRequest13(let cr):
            return Render.count(cr.extensions.count, "extension")
        case .certificateVerify(let cv):
            return "\(cv.scheme), \(Render.count(cv.signature.count, "byte")) of signature"
        case .clientKeyExchange(.rsa(let e)):
            return "RSA-encrypted premaster secret, \(Render.count(e.count, "byte"))"
        case .clientKeyExchange(.ecdhe(let p)):
            return "ECDHE public key, \(Render.count(p.count, "byte"))"
        case .finished(let f):
            return "verify_data, \(Render.count(f.verifyData.count, "byte"))"
        case .keyUpdate(let k):
            return k.request.description
        case .messageHash(let h):
            return "hash of ClientHello1, \(Render.count(h.count, "byte"))"
        case .unknown(_, let body):
            return Render.count(body.count, "byte")
        }
    }
}

// MARK: - Decoding

extension HandshakeMessage {
    static func decodeMessage(_ bytes: [UInt8], context: DecodeContext, fields: Bool = true) throws
        -> (HandshakeMessage, FieldNode)
    {
        let type = HandshakeType(rawValue: bytes.first ?? 0)
        let isHRR =
            type == .serverHello && bytes.count >= 38
            && Array(bytes[6..<38]) == ServerHello.helloRetryRequestRandom
        let key: String
        let display: String
        if bytes.isEmpty {
            (key, display) = ("handshake", "Handshake")
        } else if isHRR {
            (key, display) = ("hello_retry_request", "HelloRetryRequest")
        } else {
            (key, display) = (type.name ?? "unknown_handshake", type.displayName)
        }
        var r = ByteReader(bytes, recordsFields: fields)
        let body = try r.field(key, display, value: { (b: HandshakeBody) in b.summary }) { r in
            let msgType = try r.codePoint("handshake.msg_type", "msg_type", as: HandshakeType.self)
            let lengthOffset = r.position
            let length = try r.integer("handshake.length", "length", size: 3, unit: "bytes")
            if length > r.remaining {
                throw DecodeError(
                    offset: lengthOffset,
                    reason: "truncated: the header announces a \(length)-byte body but only \(r.remaining) "
                        + "byte\(r.remaining == 1 ? "" : "s") follow")
            }
            if length < r.remaining {
                throw DecodeError(
                    offset: r.position + length,
                    reason: "\(r.remaining - length) unexpected bytes after the \(length)-byte body the header announces")
            }
            let body = try decodeBody(type: msgType, key: key, context: context, from: &r)
            try r.expectEnd("the \(display) body")
            return body
        }
        guard fields else {
            return (
                HandshakeMessage(body: body, bytes: bytes),
                FieldNode(key: key, name: display, value: "", offset: 0, length: bytes.count)
            )
        }
        guard let root = r.recorded.first else {
            throw DecodeError(offset: 0, reason: "nothing was decoded")
        }
        return (HandshakeMessage(body: body, bytes: bytes), root)
    }

    private static func decodeBody(
        type: HandshakeType, key p: String, context: DecodeContext, from r: inout ByteReader
    ) throws -> HandshakeBody {
        switch type {
        case .clientHello:
            return .clientHello(try decodeClientHello(&r))
        case .serverHello:
            return .serverHello(try decodeServerHello(&r, prefix: p))
        case .newSessionTicket:
            switch context.version {
            case .some(let v) where v >= .tls13: return .newSessionTicket13(try decodeNST13(&r))
            case .some: return .newSessionTicket12(try decodeNST12(&r))
            case .none:
                // Version unknown: the TLS 1.3 form if it parses completely, else the TLS 1.2 form.
                return try guess(&r, { .newSessionTicket13(try decodeNST13(&$0)) }, { .newSessionTicket12(try decodeNST12(&$0)) })
            }
        case .endOfEarlyData:
            return .endOfEarlyData
        case .encryptedExtensions:
            // RFC 8446 §4.3.1: Extension extensions<0..2^16-1>.
            return .encryptedExtensions(
                EncryptedExtensions(
                    extensions: try [Extension].decodeBlock(
                        from: &r, key: "encrypted_extensions.extensions", context: .encryptedExtensions)))
        case .certificate:
            switch context.version {
            case .some(let v) where v >= .tls13: return .certificate13(try decodeCertificate13(&r))
            case .some: return .certificate12(try decodeCertificate12(&r))
            case .none:
                // Version unknown: the TLS 1.3 form (request context + entries) if it parses completely, else the
                // TLS 1.2 form (a bare list of certificates).
                return try guess(&r, { .certificate13(try decodeCertificate13(&$0)) }, { .certificate12(try decodeCertificate12(&$0)) })
            }
        case .serverKeyExchange:
            return .serverKeyExchange(try decodeServerKeyExchange(&r))
        case .certificateRequest:
            switch context.version {
            case .some(let v) where v >= .tls13: return .certificateRequest13(try decodeCertificateRequest13(&r))
            case .some: return .certificateRequest12(try decodeCertificateRequest12(&r))
            case .none:
                // Version unknown: the TLS 1.3 form if it parses completely, else the TLS 1.2 form.
                return try guess(
                    &r, { .certificateRequest13(try decodeCertificateRequest13(&$0)) },
                    { .certificateRequest12(try decodeCertificateRequest12(&$0)) })
            }
        case .serverHelloDone:
            return .serverHelloDone
        case .certificateVerify:
            // RFC 8446 §4.4.3: SignatureScheme algorithm; opaque signature<0..2^16-1>.
            let scheme = try r.codePoint("certificate_verify.algorithm", as: SignatureScheme.self)
            let signature = try r.opaqueField("certificate_verify.signature", lengthSize: 2, max: 0xffff, "signature")
            return .certificateVerify(CertificateVerify(scheme: scheme, signature: signature))
        case .clientKeyExchange:
            var kind = context.keyExchange
            if kind == nil {
                // Key exchange unknown: an ECDHE body is a 1-byte length covering the rest, an RSA body a 2-byte
                // length covering the rest (both cannot hold at once).
                let rest = r.peek(r.remaining) ?? []
                kind = (rest.first.map { Int($0) + 1 == rest.count } ?? false) ? .ecdhe : .rsa
            }
            if kind == .ecdhe {
                let point = try r.opaqueField(
                    "client_key_exchange.ecdh_yc", "ecdh_Yc", lengthSize: 1, min: 1, max: 0xff, "ecdh_Yc")
                return .clientKeyExchange(.ecdhe(publicKey: point))
            }
            let encrypted = try r.opaqueField(
                "client_key_exchange.encrypted_pre_master_secret", lengthSize: 2, max: 0xffff,
                "encrypted_pre_master_secret")
            return .clientKeyExchange(.rsa(encryptedPreMasterSecret: encrypted))
        case .finished:
            // RFC 8446 §4.4.4 / RFC 5246 §7.4.9: verify_data fills the body (Hash.length or 12 bytes).
            if r.isAtEnd {
                throw DecodeError(offset: r.position, reason: "Finished has no verify_data")
            }
            return .finished(Finished(verifyData: r.restField("finished.verify_data")))
        case .keyUpdate:
            let start = r.position
            let request = try r.codePoint("key_update.request_update", as: KeyUpdateRequest.self)
            if !request.isKnown {
                throw DecodeError(
                    offset: start,
                    reason: "request_update \(request.rawValue) is neither update_not_requested (0) nor "
                        + "update_requested (1) (RFC 8446 §4.6.3)",
                    alert: .illegalParameter)
            }
            return .keyUpdate(KeyUpdate(request: request))
        case .messageHash:
            return .messageHash(r.restField("message_hash.hash"))
        default:
            return .unknown(type, r.restField("handshake.body", "body"))
        }
    }

    /// Tries `first` on a copy of the reader and keeps it only if it consumes everything; otherwise decodes with
    /// `second`. If both fail, the error that got further into the bytes is the more telling one.
    private static func guess(
        _ r: inout ByteReader, _ first: (inout ByteReader) throws -> HandshakeBody,
        _ second: (inout ByteReader) throws -> HandshakeBody
    ) throws -> HandshakeBody {
        var trial = r
        var firstError: DecodeError?
        do {
            let value = try first(&trial)
            if trial.isAtEnd {
                r = trial
                return value
            }
            firstError = DecodeError(
                offset: trial.position, reason: "\(trial.remaining) unexpected bytes at the end of the body")
        } catch let error as DecodeError {
            firstError = error
        }
        var trial2 = r
        do {
            let value = try second(&trial2)
            r = trial2
            return value
        } catch let error as DecodeError {
            if let firstError, firstError.offset > error.offset { throw firstError }
            throw error
        }
    }

    private static func decodeOptionalExtensions(_ r: inout ByteReader, key: String, context: ExtensionContext)
        throws -> [Extension]
    {
        if r.isAtEnd { return [] }
        if r.peek(2) == [0, 0] {
            // RFC 5246 §7.4.1.2 lets the block be left out when there are no extensions, which is what real
            // stacks do; TLSLab rejects a present-but-empty block so that every accepted message re-encodes to
            // the same bytes (and TLS 1.3 forbids it outright: extensions<8..> / <6..>).
            throw DecodeError(
                offset: r.position,
                reason: "empty extensions block: with no extensions the block is left out (RFC 5246 §7.4.1.2)")
        }
        return try [Extension].decodeBlock(from: &r, key: key, context: context)
    }

    private static func decodeClientHello(_ r: inout ByteReader) throws -> ClientHello {
        // RFC 8446 §4.1.2 / RFC 5246 §7.4.1.2.
        let p = "client_hello"
        let version = try r.codePoint("\(p).legacy_version", as: ProtocolVersion.self)
        let random = try r.fixedBytes("\(p).random", count: 32, "random")
        let sessionID = try r.opaqueField("\(p).legacy_session_id", lengthSize: 1, max: 32, "legacy_session_id")
        let suites = try r.listField(
            "\(p).cipher_suites", lengthSize: 2, min: 2, max: 0xfffe, itemSize: 2, "cipher_suites",
            summary: { Render.count($0.count, "cipher suite") }
        ) { try $0.codePoint("\(p).cipher_suite", as: CipherSuite.self) }
        let compression = try r.listField(
            "\(p).legacy_compression_methods", lengthSize: 1, min: 1, max: 0xff, "legacy_compression_methods",
            summary: Render.list
        ) { try $0.codePoint("\(p).compression_method", as: CompressionMethod.self) }
        let extensions = try decodeOptionalExtensions(&r, key: "\(p).extensions", context: .clientHello)
        return ClientHello(
            legacyVersion: version, random: random, sessionID: sessionID, cipherSuites: suites,
            compressionMethods: compression, extensions: extensions)
    }

    private static func decodeServerHello(_ r: inout ByteReader, prefix p: String) throws -> ServerHello {
        // RFC 8446 §4.1.3 / RFC 5246 §7.4.1.3. A HelloRetryRequest has the same layout (RFC 8446 §4.1.4).
        let version = try r.codePoint("\(p).legacy_version", as: ProtocolVersion.self)
        let random = try r.fixedBytes("\(p).random", count: 32, "random")
        let sessionID = try r.opaqueField(
            "\(p).legacy_session_id_echo", lengthSize: 1, max: 32, "legacy_session_id_echo")
        let suite = try r.codePoint("\(p).cipher_suite", as: CipherSuite.self)
        let compression = try r.codePoint("\(p).legacy_compression_method", as: CompressionMethod.self)
        let context: ExtensionContext =
            random == ServerHello.helloRetryRequestRandom ? .helloRetryRequest : .serverHello
        let extensions = try decodeOptionalExtensions(&r, key: "\(p).extensions", context: context)
        return ServerHello(
            legacyVersion: version, random: random, sessionID: sessionID, cipherSuite: suite,
            compressionMethod: compression, extensions: extensions)
    }

    private static func decodeNST12(_ r: inout ByteReader) throws -> NewSessionTicket12 {
        // RFC 5077 §3.3: uint32 ticket_lifetime_hint; opaque ticket<0..2^16-1>.
        let hint = try r.integer("new_session_ticket.ticket_lifetime_hint", size: 4, unit: "seconds")
        let ticket = try r.opaqueField("new_session_ticket.ticket", lengthSize: 2, max: 0xffff, "ticket")
        return NewSessionTicket12(lifetimeHint: UInt32(truncatingIfNeeded: hint), ticket: ticket)
    }

    private static func decodeNST13(_ r: inout ByteReader) throws -> NewSessionTicket13 {
        // RFC 8446 §4.6.1.
        let p = "new_session_ticket"
        let lifetime = try r.integer("\(p).ticket_lifetime", size: 4, unit: "seconds")
        let ageAdd = try r.integer("\(p).ticket_age_add", size: 4)
        let nonce = try r.opaqueField("\(p).ticket_nonce", lengthSize: 1, max: 255, "ticket_nonce")
        let ticket = try r.opaqueField("\(p).ticket", lengthSize: 2, min: 1, max: 0xffff, "ticket")
        let extensions = try [Extension].decodeBlock(
            from: &r, key: "\(p).extensions", context: .newSessionTicket, max: 0xfffe)
        return NewSessionTicket13(
            lifetime: UInt32(truncatingIfNeeded: lifetime), ageAdd: UInt32(truncatingIfNeeded: ageAdd), nonce: nonce,
            ticket: ticket, extensions: extensions)
    }

    private static func decodeCertificate13(_ r: inout ByteReader) throws -> Certificate13 {
        // RFC 8446 §4.4.2: opaque certificate_request_context<0..2^8-1>; CertificateEntry certificate_list<0..2^24-1>.
        let p = "certificate"
        let context = try r.opaqueField(
            "\(p).certificate_request_context", lengthSize: 1, max: 255, "certificate_request_context")
        let entries = try r.listField(
            "\(p).certificate_list", lengthSize: 3, max: 0xffffff, "certificate_list",
            summary: { Render.count($0.count, "certificate") }
        ) { r in
            try r.field("\(p).certificate_entry", "CertificateEntry", value: { (e: CertificateEntry) in
                "certificate, \(Render.count(e.data.count, "byte"))"
            }) { r in
                let data = try r.opaqueField("\(p).cert_data", lengthSize: 3, min: 1, max: 0xffffff, "cert_data")
                let extensions = try [Extension].decodeBlock(from: &r, key: "\(p).extensions", context: .certificate)
                return CertificateEntry(data: data, extensions: extensions)
            }
        }
        return Certificate13(context: context, entries: entries)
    }

    private static func decodeCertificate12(_ r: inout ByteReader) throws -> Certificate12 {
        // RFC 5246 §7.4.2: opaque ASN.1Cert<1..2^24-1>; ASN.1Cert certificate_list<0..2^24-1>.
        let certificates = try r.listField(
            "certificate.certificate_list", lengthSize: 3, max: 0xffffff, "certificate_list",
            summary: { Render.count($0.count, "certificate") }
        ) { try $0.opaqueField("certificate.cert_data", "ASN.1Cert", lengthSize: 3, min: 1, max: 0xffffff, "ASN.1Cert") }
        return Certificate12(certificates: certificates)
    }

    private static func decodeServerKeyExchange(_ r: inout ByteReader) throws -> ServerKeyExchangeECDHE {
        // RFC 8422 §5.4: ServerECDHParams params; Signature signed_params (RFC 5246 §4.7 digitally-signed).
        let p = "server_key_exchange"
        let (curveType, group, point) = try r.field(
            "\(p).params", "ServerECDHParams",
            value: { (v: (ECCurveType, NamedGroup, [UInt8])) in "\(v.1), \(Render.count(v.2.count, "byte")) point" }
        ) { r in
            let start = r.position
            let curveType = try r.codePoint("\(p).curve_type", as: ECCurveType.self)
            if curveType != .namedCurve {
                throw DecodeError(
                    offset: start,
                    reason: "curve_type \(curveType.labelled) is not allowed: only named_curve (3) may be used "
                        + "(RFC 8422 §5.4)",
                    alert: .illegalParameter)
            }
            let group = try r.codePoint("\(p).named_curve", as: NamedGroup.self)
            let point = try r.opaqueField("\(p).public", lengthSize: 1, min: 1, max: 0xff, "public")
            return (curveType, group, point)
        }
        let scheme = try r.codePoint("\(p).algorithm", as: SignatureScheme.self)
        let signature = try r.opaqueField("\(p).signature", lengthSize: 2, max: 0xffff, "signature")
        return ServerKeyExchangeECDHE(
            curveType: curveType, group: group, publicKey: point, scheme: scheme, signature: signature)
    }

    private static func decodeCertificateRequest12(_ r: inout ByteReader) throws -> CertificateRequest12 {
        // RFC 5246 §7.4.4.
        let p = "certificate_request"
        let types = try r.listField(
            "\(p).certificate_types", lengthSize: 1, min: 1, max: 0xff, "certificate_types", summary: Render.list
        ) { try $0.codePoint("\(p).certificate_type", as: ClientCertificateType.self) }
        let schemes = try r.listField(
            "\(p).supported_signature_algorithms", lengthSize: 2, min: 2, max: 0xfffe, itemSize: 2,
            "supported_signature_algorithms", summary: Render.list
        ) { try $0.codePoint("\(p).signature_algorithm", as: SignatureScheme.self) }
        let authorities = try r.listField(
            "\(p).certificate_authorities", lengthSize: 2, max: 0xffff, "certificate_authorities",
            summary: { Render.count($0.count, "name") }
        ) { try $0.opaqueField("\(p).distinguished_name", lengthSize: 2, min: 1, max: 0xffff, "DistinguishedName") }
        return CertificateRequest12(certificateTypes: types, signatureSchemes: schemes, authorities: authorities)
    }

    private static func decodeCertificateRequest13(_ r: inout ByteReader) throws -> CertificateRequest13 {
        // RFC 8446 §4.3.2: opaque certificate_request_context<0..2^8-1>; Extension extensions<2..2^16-1>.
        let p = "certificate_request"
        let context = try r.opaqueField(
            "\(p).certificate_request_context", lengthSize: 1, max: 255, "certificate_request_context")
        let extensions = try [Extension].decodeBlock(
            from: &r, key: "\(p).extensions", context: .certificateRequest, min: 2)
        return CertificateRequest13(context: context, extensions: extensions)
    }
}
