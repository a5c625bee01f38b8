/// Writes TLS presentation-language structures. The counterpart of `ByteReader`.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func u8(_ v: UInt8) { bytes.append(v) }
    public mutating func u16(_ v: UInt16) { bytes.append(UInt8(v >> 8)); bytes.append(UInt8(v & 0xff)) }
    public mutating func u24(_ v: Int) {
        bytes.append(UInt8((v >> 16) & 0xff)); bytes.append(UInt8((v >> 8) & 0xff)); bytes.append(UInt8(v & 0xff))
    }
    public mutating func u32(_ v: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8((v >> UInt32(shift)) & 0xff)) }
    }
    public mutating func uint(_ v: Int, size: Int) {
        for i in stride(from: size - 1, through: 0, by: -1) { bytes.append(UInt8((v >> (8 * i)) & 0xff)) }
    }
    public mutating func append<S: Sequence>(_ data: S) where S.Element == UInt8 { bytes.append(contentsOf: data) }

    /// Writes a vector: a `lengthSize`-byte length followed by whatever `body` writes.
    public mutating func vector(lengthSize: Int, _ body: (inout ByteWriter) -> Void) {
        var inner = ByteWriter()
        body(&inner)
        uint(inner.bytes.count, size: lengthSize)
        bytes.append(contentsOf: inner.bytes)
    }

    /// Writes an opaque vector with a `lengthSize`-byte length.
    public mutating func opaque(_ data: [UInt8], lengthSize: Int) {
        uint(data.count, size: lengthSize)
        bytes.append(contentsOf: data)
    }
}
