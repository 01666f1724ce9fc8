import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchJT808

/// libFuzzer entry: `FUZZ_TARGET` (traces, fences, permits, cameras, vehicles, config, manifests,
/// gates, jt808) picks
/// the reader the bytes go to. Any crash, trap or sanitizer report is a finding; thrown
/// errors and rejects are the readers doing their job.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    switch target {
    case "jt808":
        var plates = PlateTable(), fixes: [Fix] = [], rejects: [Reject] = []
        _ = JT808CaptureReader.read(bytes, path: "capture.bin", fileIndex: 0, terminals: terminals, plates: &plates,
                                    fixes: &fixes, rejects: &rejects)
    default:
        FileManager.default.createFile(atPath: scratch, contents: Data(bytes))
        var rejects: [Reject] = []
        switch target {
        case "fences": _ = try? FenceReader.read(path: scratch)
        case "permits": _ = try? PermitReader.read(path: scratch, rejects: &rejects)
        case "cameras": _ = try? CameraReader.read(path: scratch, rejects: &rejects)
        case "vehicles": _ = try? VehicleReader.read(path: scratch, rejects: &rejects)
        case "config": _ = try? ConfigReader.read(path: scratch)
        case "manifests": _ = try? ManifestReader.read(path: scratch, rejects: &rejects)
        case "gates": _ = try? GateEventReader.read(path: scratch, rejects: &rejects)
        default:
            // Small chunks: the default 32 MB read buffer would dominate each run, and small ones
            // put chunk boundaries inside the fuzzed records.
            var plates = PlateTable(), fixes: [Fix] = []
            if var stream = try? TraceStream(path: scratch, fileIndex: 0, chunkBytes: 4096) {
                while (try? stream.next(plates: &plates, fixes: &fixes, rejects: &rejects)) == true {}
            }
        }
    }
    return 0
}

nonisolated(unsafe) let target = ProcessInfo.processInfo.environment["FUZZ_TARGET"] ?? "traces"
nonisolated(unsafe) let scratch = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "muckwatch-fuzz-\(getpid())"
nonisolated(unsafe) let terminals = ["13800000001": "渝F12345", "40021679287": "渝F23456"]

/// SwiftPM gives the executable its own `main`; hand control to libFuzzer's driver.
@_silgen_name("LLVMFuzzerRunDriver")
func runDriver(_ argc: UnsafeMutablePointer<CInt>,
               _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
               _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

var argc = CommandLine.argc
var argv = CommandLine.unsafeArgv
exit(runDriver(&argc, &argv, fuzz))
