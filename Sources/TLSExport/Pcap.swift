import Foundation
import TLSTranscript

/// Packet captures of a transcript for Wireshark (issue: real peers). Placeholder until the exporter lands.
public enum PcapExporter {
    /// pcapng with the key log embedded as a Decryption Secrets Block.
    public static func pcapng(_ transcript: Transcript) throws -> Data {
        throw ExportError("pcapng export is not implemented yet")
    }
    /// Classic pcap (the key log goes to a separate .keys file).
    public static func pcap(_ transcript: Transcript) throws -> Data {
        throw ExportError("pcap export is not implemented yet")
    }
}
