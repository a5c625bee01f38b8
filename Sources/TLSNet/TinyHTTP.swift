import Foundation
import TLSHandshake

/// The small HTTP/1.1 exchange that runs inside the tunnel once the handshake is done (RFC 9112 message framing,
/// just enough of it): `tlslab serve` answers one request, `tlslab connect` sends one and reads the answer.
public enum TinyHTTP {
    /// Whether `data` holds a whole request: an HTTP request up to the blank line that ends its header section,
    /// or — for a peer that just types a line, like `openssl s_client` — one complete line that is not an HTTP
    /// request line.
    public static func requestComplete(_ data: [UInt8]) -> Bool {
        guard let newline = data.firstIndex(of: 0x0a) else { return false }
        let firstLine = String(decoding: data[..<newline], as: UTF8.self)
        guard isRequestLine(firstLine) else { return true }
        return headerEnd(data) != nil
    }

    /// `GET /path HTTP/1.1` (a trailing CR allowed).
    static func isRequestLine(_ line: String) -> Bool {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        return parts.count == 3 && parts[0].allSatisfy { $0.isUppercase } && parts[2].hasPrefix("HTTP/1.")
    }

    /// The offset just past the blank line that ends the header section (`\r\n\r\n` or `\n\n`), if present.
    static func headerEnd(_ data: [UInt8]) -> Int? {
        var i = 0
        while i < data.count {
            if data[i] == 0x0a {
                if i + 1 < data.count, data[i + 1] == 0x0a { return i + 2 }
                if i + 2 < data.count, data[i + 1] == 0x0d, data[i + 2] == 0x0a { return i + 3 }
            }
            i += 1
        }
        return nil
    }

    /// The first line of a request, without its line ending (at most 200 characters).
    public static func firstLine(_ data: [UInt8]) -> String {
        let end = data.firstIndex(of: 0x0a) ?? data.count
        let line = String(decoding: data[..<end], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return String(line.prefix(200))
    }

    /// The server's answer: `200 OK` with a short text body that echoes the request line and says what was
    /// negotiated, `Connection: close` (the server sends close_notify right after it).
    public static func response(to request: [UInt8], negotiated: NegotiatedParameters?) -> [UInt8] {
        var body = "Hello from TLSLab!\nYou sent: \(firstLine(request))\n"
        if let n = negotiated {
            body += "TLSLab negotiated \(n.version.description) with \(n.cipherSuite.description)"
            if let group = n.group { body += " over \(group.description)" }
            body += ".\n"
        }
        let bytes = Array(body.utf8)
        let head =
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(bytes.count)\r\nConnection: close\r\n\r\n"
        return Array(head.utf8) + bytes
    }

    /// Whether `data` holds a whole HTTP response (header section plus `Content-Length` bytes of body). False for
    /// anything else (a response without Content-Length ends when the server closes).
    public static func responseComplete(_ data: [UInt8]) -> Bool {
        guard data.starts(with: Array("HTTP/1.".utf8)), let end = headerEnd(data) else { return false }
        let head = String(decoding: data[..<end], as: UTF8.self)
        for line in head.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "content-length",
                let length = Int(parts[1].trimmingCharacters(in: .whitespaces))
            else { continue }
            return data.count - end >= length
        }
        return false
    }

    /// Reads `\n` and `\r` escapes typed on a command line (`--request 'GET / HTTP/1.1\r\n\r\n'`).
    public static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for c in text {
            if escaping {
                switch c {
                case "n": out.append("\n")
                case "r": out.append("\r")
                case "t": out.append("\t")
                case "\\": out.append("\\")
                default: out.append("\\"); out.append(c)
                }
                escaping = false
            } else if c == "\\" {
                escaping = true
            } else {
                out.append(c)
            }
        }
        if escaping { out.append("\\") }
        return out
    }
}
