import Foundation
import MuckWatchCore
import MuckWatchJudge
import MuckWatchGeo
import MuckWatchIngest
import MuckWatchBatch

/// The bundled sample night (traces/, geofences/), read with the project's own readers and
/// prepared the way `Analysis.run` prepares it: projected, fence index built, fixes grouped
/// by vehicle and time-ordered. Built once per benchmark process, outside every measurement.
final class Sample {
    /// The repository root, through the package's `muckwatch-root` link.
    static let root: String = {
        if let r = ProcessInfo.processInfo.environment["MUCKWATCH_ROOT"], !r.isEmpty { return r }
        // Benchmarks/Stages/Sample.swift → the package folder → its link to the root.
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent("muckwatch-root").path
    }()

    static let shared: Sample = {
        do { return try Sample(root: root) } catch { fatalError("sample at \(root): \(error)") }
    }()

    /// Fixes per batch of the per-fix benchmarks: a CSV piece, a capture, a track, a PROJ call.
    static let batch = 1_000

    let options: AnalysisOptions
    let references: References
    let plates: PlateTable
    /// Projected, in file order.
    let fixes: [Fix]
    let rejects: [Reject]
    /// Rows read from traces.csv.
    let rows: Int
    let epsg: Int
    let index: FenceIndex
    let ids: [String]
    let kinds: [FenceKind]
    /// `fixes` grouped by vehicle (plate id order), each vehicle's by (time, file, line), as
    /// the batch run hands them to the analyzer; `ranges[v]` is vehicle `v`'s slice.
    let ordered: [Fix]
    let ranges: [Range<Int>]

    init(root: String) throws {
        let traces = root + "/traces/traces.csv"
        var o = AnalysisOptions(fences: root + "/geofences", traces: [traces], out: NSTemporaryDirectory())
        o.cameras = root + "/traces/cameras.jsonl"
        o.permits = root + "/traces/permits.json"
        o.vehicles = root + "/traces/vehicles.csv"
        options = o
        references = try References.load(o.referenceFiles)

        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        rows = try TraceReader.read(path: traces, fileIndex: 0, plates: &plates, fixes: &fixes, rejects: &rejects)
        // The zone `Analysis.run` picks for a night without a configured projection.
        epsg = references.config.projectionEPSG
            ?? Projector.gaussKrugerZoneEPSG(longitude: Projector.centralLongitude(fixes, references.fences))
        try Projector(epsg: epsg).project(&fixes)
        self.plates = plates
        self.fixes = fixes
        self.rejects = rejects
        index = try FenceIndex(fences: references.fences, projector: try Projector(epsg: epsg))
        ids = index.fences.map(\.id)
        kinds = index.fences.map(\.kind)

        var byVehicle = [[Fix]](repeating: [], count: plates.count)
        for f in fixes { byVehicle[Int(f.vehicle)].append(f) }
        var ordered: [Fix] = []
        var ranges: [Range<Int>] = []
        for var v in byVehicle {
            v.sort(by: Fix.analysisOrder)
            ranges.append(ordered.count..<(ordered.count + v.count))
            ordered += v
        }
        self.ordered = ordered
        self.ranges = ranges
    }

    /// The vehicles with at least `Sample.batch` fixes (every one of the sample's 20).
    var batchVehicles: [Int] { ranges.indices.filter { ranges[$0].count >= Sample.batch } }

    /// The sample's bytes cut into pieces of exactly `Sample.batch` data rows, each with the
    /// header, as the record-aligned chunks the reader hands to its parsing threads (the
    /// last, shorter piece is left out). Each piece goes through a temporary file because a
    /// `TraceChunk` is only made by `TraceStream`; the chunk then holds its bytes in memory.
    func csvPieces() throws -> [TraceChunk] {
        let text = try Data(contentsOf: URL(fileURLWithPath: options.traces[0]))
        let lines = text.split(separator: 0x0A, omittingEmptySubsequences: false)
        let header = lines[0]
        let data = lines.dropFirst().filter { !$0.isEmpty }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("muckwatch-micro-\(getpid())-csv")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var pieces: [TraceChunk] = []
        var start = data.startIndex
        while start + Sample.batch <= data.endIndex {
            var bytes = Data(header)
            bytes.append(0x0A)
            for line in data[start..<(start + Sample.batch)] {
                bytes.append(line)
                bytes.append(0x0A)
            }
            let path = dir.appendingPathComponent("piece-\(pieces.count).csv").path
            try bytes.write(to: URL(fileURLWithPath: path))
            var stream = try TraceStream(path: path, fileIndex: 0)
            guard let chunk = try stream.nextChunk(), try stream.nextChunk() == nil else {
                fatalError("\(path): expected one chunk")
            }
            pieces.append(chunk)
            start += Sample.batch
        }
        return pieces
    }
}
