// The `flights` fuzz target (docs/hardening.md). Built with `--sanitize fuzzer -Xswiftc -DFUZZING` this is a
// libFuzzer binary; otherwise it is a replay driver for saved inputs and the seed writer.
import Foundation
import TLSFuzzSupport

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.flights.run(data, size)
    return 0
}

/// libFuzzer's own byte mutator, used by the structured mutator on one record's payload at a time.
@_silgen_name("LLVMFuzzerMutate")
func LLVMFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

/// Structure-aware mutation of the record list (see `FlightMutator`).
@_cdecl("LLVMFuzzerCustomMutator")
public func fuzzCustomMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    let output = FlightMutator.mutate(input, maxSize: maxSize, seed: seed) { bytes, limit in
        guard limit > 0 else { return bytes }
        var buffer = bytes + [UInt8](repeating: 0, count: max(0, limit - bytes.count))
        let count = buffer.withUnsafeMutableBufferPointer { pointer -> Int in
            guard let base = pointer.baseAddress else { return 0 }
            return LLVMFuzzerMutate(base, min(bytes.count, limit), limit)
        }
        return Array(buffer.prefix(count))
    }
    let count = min(output.count, maxSize)
    output.withUnsafeBufferPointer { pointer in
        if let base = pointer.baseAddress { data.update(from: base, count: count) }
    }
    return count
}
#else
@main
enum FuzzFlightsMain {
    static func main() {
        exit(FuzzDriver.main(.flights))
    }
}
#endif
