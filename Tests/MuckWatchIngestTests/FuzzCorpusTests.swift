import Foundation
import MuckWatchCore
import MuckWatchIngest
import Testing

/// The fuzzers' seed corpora and every input that ever crashed a reader (fuzz/regressions/), replayed
/// through the readers on each test run: a reader may reject them, never crash or hang on them.
/// (The `jt808` target's inputs are replayed by MuckWatchJT808Tests.)
@Suite("Fuzz corpus and regressions")
struct FuzzCorpusTests {
    static let fuzz: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/fuzz"
    }()

    static let targets = ["traces", "fences", "permits", "cameras", "vehicles", "config", "manifests", "gates"]

    static func inputs(_ target: String) -> [String] {
        ["corpus", "regressions"].flatMap { folder -> [String] in
            let dir = fuzz + "/" + folder + "/" + target
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.sorted().map { dir + "/" + $0 }
        }
    }

    @Test("Every corpus and regression input is read or rejected", arguments: targets)
    func replay(target: String) throws {
        let files = Self.inputs(target)
        #expect(!files.isEmpty, "no seed corpus for \(target)")
        for path in files {
            var rejects: [Reject] = []
            switch target {
            case "fences": _ = try? FenceReader.read(path: path)
            case "permits": _ = try? PermitReader.read(path: path, rejects: &rejects)
            case "cameras": _ = try? CameraReader.read(path: path, rejects: &rejects)
            case "vehicles": _ = try? VehicleReader.read(path: path, rejects: &rejects)
            case "config": _ = try? ConfigReader.read(path: path)
            case "manifests": _ = try? ManifestReader.read(path: path, rejects: &rejects)
            case "gates": _ = try? GateEventReader.read(path: path, rejects: &rejects)
            default:
                var plates = PlateTable(), fixes: [Fix] = []
                var stream = try TraceStream(path: path, fileIndex: 0, chunkBytes: 4096)
                while (try? stream.next(plates: &plates, fixes: &fixes, rejects: &rejects)) == true {}
            }
        }
    }
}
