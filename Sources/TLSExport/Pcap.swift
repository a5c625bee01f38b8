import Foundation
import TLSTranscript

/// Packet captures of a transcript for Wireshark and tshark.
///
/// The capture is synthetic but well formed: one TCP connection per TLS connection of the run, between fixed
/// endpoints (client 10.0.0.1:49152, 49153, …; server 10.0.0.2:8443), Ethernet II / IPv4 (RFC 791) / TCP (RFC 9293) with correct checksums, a three-way
/// handshake, then **one TCP segment per TLS record** in transcript order, then FIN both ways. Each direction's
/// sequence numbers are contiguous (next = previous + payload length), which is what Wireshark needs to
/// reassemble the TLS stream. Timestamps derive from the packet index (1 ms apart, starting at the transcript's
/// clock), so the same transcript always gives the same bytes.
///
/// - `pcapng` embeds the key log in a Decryption Secrets Block (pcapng draft, block type 0x0000000A, secrets type
///   `TLSK`), so Wireshark decrypts the records with no setup.
/// - `pcap` is the classic libpcap format, which has no place for secrets: the key log goes next to it
///   (`tlslab export --format pcap -o X.pcap` writes `X.pcap.keys`; in Wireshark: Preferences › Protocols › TLS ›
///   (Pre)-Master-Secret log filename, or `tshark -o tls.keylog_file:X.pcap.keys`).
///
/// Port 8443 rather than 443: on 443 Wireshark hands the decrypted bytes to its HTTP dissector and a failed or
/// non-HTTP exchange shows up as malformed HTTP.
public enum PcapExporter {
    /// The fixed addresses of the synthetic connection.
    public static let clientAddress: [UInt8] = [10, 0, 0, 1]
    public static let serverAddress: [UInt8] = [10, 0, 0, 2]
    public static let clientPort: UInt16 = 49152
    public static let serverPort: UInt16 = 8443
    /// Locally administered MAC addresses (the 0x02 bit of the first byte).
    static let clientMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01]
    static let serverMAC: [UInt8] = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02]
    /// Initial sequence numbers (any value but zero: tshark ignores segments numbered from zero with no SYN).
    static let clientISN: UInt32 = 0x0001_0000
    static let serverISN: UInt32 = 0x0002_0000
    /// Link type Ethernet (LINKTYPE_ETHERNET = 1).
    static let linkTypeEthernet: UInt16 = 1
    static let snapLength: UInt32 = 262_144

    /// A frame and its capture time (microseconds since 1970).
    struct Packet {
        var microseconds: UInt64
        var frame: [UInt8]
    }

    /// pcapng with the key log embedded as a Decryption Secrets Block.
    public static func pcapng(_ transcript: Transcript) throws -> Data {
        var out = ByteBuffer()
        // Section Header Block.
        var shb = ByteBuffer()
        shb.u32(0x1A2B_3C4D)  // byte-order magic
        shb.u16(1)  // major version
        shb.u16(0)  // minor version
        shb.u64(0xFFFF_FFFF_FFFF_FFFF)  // section length: not specified
        shb.option(4, Array("TLSLab".utf8))  // shb_userappl
        shb.endOfOptions()
        out.block(type: 0x0A0D_0D0A, body: shb.bytes)
        // Interface Description Block.
        var idb = ByteBuffer()
        idb.u16(linkTypeEthernet)
        idb.u16(0)  // reserved
        idb.u32(snapLength)
        idb.option(2, Array("tlslab".utf8))  // if_name
        idb.option(9, [6])  // if_tsresol: 10^-6 s
        idb.endOfOptions()
        out.block(type: 0x0000_0001, body: idb.bytes)
        // Decryption Secrets Block: the NSS key log, before the packets it decrypts.
        if !transcript.keylog.isEmpty {
            let secrets = Array(transcript.keylog.utf8)
            var dsb = ByteBuffer()
            dsb.u32(0x544C_534B)  // "TLSK": TLS key log
            dsb.u32(UInt32(secrets.count))
            dsb.append(secrets)
            dsb.pad()
            out.block(type: 0x0000_000A, body: dsb.bytes)
        }
        // Enhanced Packet Blocks.
        for packet in packets(transcript) {
            var epb = ByteBuffer()
            epb.u32(0)  // interface id
            epb.u32(UInt32(truncatingIfNeeded: packet.microseconds >> 32))
            epb.u32(UInt32(truncatingIfNeeded: packet.microseconds))
            epb.u32(UInt32(packet.frame.count))  // captured length
            epb.u32(UInt32(packet.frame.count))  // original length
            epb.append(packet.frame)
            epb.pad()
            out.block(type: 0x0000_0006, body: epb.bytes)
        }
        return Data(out.bytes)
    }

    /// Classic pcap (microsecond timestamps, Ethernet). The key log goes to a separate file.
    public static func pcap(_ transcript: Transcript) throws -> Data {
        var out = ByteBuffer()
        out.u32(0xA1B2_C3D4)  // magic (microsecond resolution)
        out.u16(2)
        out.u16(4)
        out.u32(0)  // thiszone
        out.u32(0)  // sigfigs
        out.u32(snapLength)
        out.u32(UInt32(linkTypeEthernet))
        for packet in packets(transcript) {
            out.u32(UInt32(truncatingIfNeeded: packet.microseconds / 1_000_000))
            out.u32(UInt32(truncatingIfNeeded: packet.microseconds % 1_000_000))
            out.u32(UInt32(packet.frame.count))
            out.u32(UInt32(packet.frame.count))
            out.append(packet.frame)
        }
        return Data(out.bytes)
    }

    // MARK: - The synthetic connection

    /// SYN, SYN/ACK, ACK; one segment per record; FIN/ACK, FIN/ACK, ACK.
    /// Each connection of the run is its own TCP connection (client port 49152, 49153, …), in order.
    static func packets(_ transcript: Transcript) -> [Packet] {
        var frames: [[UInt8]] = []
        let connections = Set(transcript.records.map(\.connection)).sorted()
        for connection in connections {
            var tcp = TCPState(clientPort: PcapExporter.clientPort &+ UInt16(truncatingIfNeeded: connection))
            frames.append(tcp.segment(fromClient: true, flags: .syn, payload: []))
            frames.append(tcp.segment(fromClient: false, flags: [.syn, .ack], payload: []))
            frames.append(tcp.segment(fromClient: true, flags: .ack, payload: []))
            for record in transcript.records where record.connection == connection {
                frames.append(tcp.segment(fromClient: record.from == .client, flags: [.psh, .ack], payload: record.bytes))
            }
            frames.append(tcp.segment(fromClient: true, flags: [.fin, .ack], payload: []))
            frames.append(tcp.segment(fromClient: false, flags: [.fin, .ack], payload: []))
            frames.append(tcp.segment(fromClient: true, flags: .ack, payload: []))
        }
        let start = startMicroseconds(transcript)
        return frames.enumerated().map { i, frame in Packet(microseconds: start + UInt64(i) * 1000, frame: frame) }
    }

    /// The transcript's clock (ISO 8601), or 2020-01-01T00:00:00Z when it has none.
    static func startMicroseconds(_ transcript: Transcript) -> UInt64 {
        let fallback: UInt64 = 1_577_836_800 * 1_000_000
        guard let clock = transcript.clock else { return fallback }
        let formatter = ISO8601DateFormatter()
        var date = formatter.date(from: clock)
        if date == nil {
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            date = formatter.date(from: clock)
        }
        guard let seconds = date?.timeIntervalSince1970, seconds >= 0, seconds < 4e9 else { return fallback }
        return UInt64(seconds) * 1_000_000
    }

    struct TCPFlags: OptionSet {
        let rawValue: UInt8
        static let fin = TCPFlags(rawValue: 0x01)
        static let syn = TCPFlags(rawValue: 0x02)
        static let psh = TCPFlags(rawValue: 0x08)
        static let ack = TCPFlags(rawValue: 0x10)
    }

    /// Sequence numbers and IP identifications of both directions.
    struct TCPState {
        var clientPort = PcapExporter.clientPort
        var clientNext = PcapExporter.clientISN
        var serverNext = PcapExporter.serverISN
        var clientID: UInt16 = 1
        var serverID: UInt16 = 1

        mutating func segment(fromClient: Bool, flags: TCPFlags, payload: [UInt8]) -> [UInt8] {
            let seq = fromClient ? clientNext : serverNext
            let ack = flags.contains(.ack) ? (fromClient ? serverNext : clientNext) : 0
            // SYN and FIN each take one sequence number (RFC 9293 §3.4).
            let advance = UInt32(payload.count) + (flags.contains(.syn) || flags.contains(.fin) ? 1 : 0)
            let id: UInt16
            if fromClient {
                clientNext &+= advance
                id = clientID
                clientID &+= 1
            } else {
                serverNext &+= advance
                id = serverID
                serverID &+= 1
            }
            let source = fromClient ? PcapExporter.clientAddress : PcapExporter.serverAddress
            let destination = fromClient ? PcapExporter.serverAddress : PcapExporter.clientAddress
            var tcp = ByteBuffer(bigEndian: true)
            tcp.u16(fromClient ? clientPort : PcapExporter.serverPort)
            tcp.u16(fromClient ? PcapExporter.serverPort : clientPort)
            tcp.u32(seq)
            tcp.u32(ack)
            tcp.u8(5 << 4)  // data offset: 5 words, no options
            tcp.u8(flags.rawValue)
            tcp.u16(65535)  // window
            tcp.u16(0)  // checksum, filled below
            tcp.u16(0)  // urgent pointer
            tcp.append(payload)
            var segment = tcp.bytes
            var pseudo = ByteBuffer(bigEndian: true)
            pseudo.append(source)
            pseudo.append(destination)
            pseudo.u8(0)
            pseudo.u8(6)  // TCP
            pseudo.u16(UInt16(segment.count))
            let tcpChecksum = internetChecksum(pseudo.bytes + segment)
            segment[16] = UInt8(tcpChecksum >> 8)
            segment[17] = UInt8(tcpChecksum & 0xff)

            var ip = ByteBuffer(bigEndian: true)
            ip.u8(0x45)  // version 4, header length 5 words
            ip.u8(0)  // DSCP/ECN
            ip.u16(UInt16(20 + segment.count))
            ip.u16(id)
            ip.u16(0x4000)  // don't fragment
            ip.u8(64)  // TTL
            ip.u8(6)  // TCP
            ip.u16(0)  // checksum, filled below
            ip.append(source)
            ip.append(destination)
            var header = ip.bytes
            let ipChecksum = internetChecksum(header)
            header[10] = UInt8(ipChecksum >> 8)
            header[11] = UInt8(ipChecksum & 0xff)

            var ethernet = ByteBuffer(bigEndian: true)
            ethernet.append(fromClient ? PcapExporter.serverMAC : PcapExporter.clientMAC)
            ethernet.append(fromClient ? PcapExporter.clientMAC : PcapExporter.serverMAC)
            ethernet.u16(0x0800)  // IPv4
            return ethernet.bytes + header + segment
        }
    }

    /// The Internet checksum (RFC 1071): one's complement of the one's-complement sum of 16-bit words.
    public static func internetChecksum(_ bytes: [UInt8]) -> UInt16 {
        var sum: UInt32 = 0
        var i = 0
        while i + 1 < bytes.count {
            sum += UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
            i += 2
        }
        if i < bytes.count { sum += UInt32(bytes[i]) << 8 }
        while sum >> 16 != 0 { sum = (sum & 0xffff) + (sum >> 16) }
        return ~UInt16(sum)
    }
}

/// A growing byte array with fixed-width writers: little-endian for the capture formats (pcap and pcapng files
/// may use either order and say which; these are written little-endian), big-endian (network order) for packet
/// headers.
struct ByteBuffer {
    private(set) var bytes: [UInt8] = []
    let bigEndian: Bool

    init(bigEndian: Bool = false) { self.bigEndian = bigEndian }

    mutating func append(_ more: [UInt8]) { bytes += more }
    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func u16(_ v: UInt16) { put(UInt64(v), 2) }
    mutating func u32(_ v: UInt32) { put(UInt64(v), 4) }
    mutating func u64(_ v: UInt64) { put(v, 8) }

    private mutating func put(_ v: UInt64, _ width: Int) {
        for i in 0..<width {
            let shift = bigEndian ? 8 * (width - 1 - i) : 8 * i
            bytes.append(UInt8(truncatingIfNeeded: v >> UInt64(shift)))
        }
    }

    /// Zero bytes up to the next multiple of 4 (pcapng aligns everything to 32 bits).
    mutating func pad() {
        while bytes.count % 4 != 0 { bytes.append(0) }
    }

    /// A pcapng option: code, length, value padded to 32 bits.
    mutating func option(_ code: UInt16, _ value: [UInt8]) {
        u16(code)
        u16(UInt16(value.count))
        append(value)
        pad()
    }

    mutating func endOfOptions() {
        u16(0)
        u16(0)
    }

    /// A pcapng block: type, total length, body, total length again.
    mutating func block(type: UInt32, body: [UInt8]) {
        let total = UInt32(12 + body.count)
        u32(type)
        u32(total)
        append(body)
        u32(total)
    }
}
