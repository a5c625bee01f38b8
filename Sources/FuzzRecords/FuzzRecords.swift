// The `records` fuzz target (docs/hardening.md). Built with `--sanitize fuzzer -Xswiftc -DFUZZING` this is a
// libFuzzer binary; otherwise it is a replay driver for saved inputs and the seed writer.
import Foundation
import TLSFuzzSupport

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.records.run(data, size)
    return 0
}
#else
@main
enum FuzzRecordsMain {
    static func main() {
        exit(FuzzDriver.main(.records))
    }
}
#endif
