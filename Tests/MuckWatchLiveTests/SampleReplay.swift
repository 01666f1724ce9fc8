import Foundation
import MuckWatchCore
import MuckWatchJudge
import MuckWatchIngest
import MuckWatchLive
import MuckWatchBatch
import MuckWatchTestSupport

/// The bundled sample night (geofences/ and traces/ at the top of the repository).
enum SampleReplay {
    static let root = BundledSample.root

    static func options(out: String) -> AnalysisOptions {
        AnalysisOptions(references: BundledSample.references(chain: false), traces: [BundledSample.traces], out: out)
    }

    static func references() throws -> References {
        try References.load(BundledSample.references(chain: false))
    }

    /// The night's fixes in file order, plates as the reader interned them.
    static func fixes() throws -> (fixes: [Fix], plates: PlateTable) {
        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        _ = try TraceReader.read(path: root + "/traces/traces.csv", fileIndex: 0, plates: &plates, fixes: &fixes,
                                 rejects: &rejects)
        return (fixes, plates)
    }

    /// The batch run of the sample and live options that must reproduce it: the batch run's
    /// projection, and a reorder window wide enough for the sample's hour-late blind-area uploads.
    static func batchAndLiveOptions(out: String) throws -> (batch: RunResult, options: LiveAnalysis.Options) {
        let batch = try Analysis.run(options(out: out))
        var live = LiveAnalysis.Options()
        live.epsg = batch.record.projectionEPSG
        live.reorderWindowSeconds = 3600
        return (batch, live)
    }

    static func tempDir() -> String {
        let p = NSTemporaryDirectory() + "muckwatch-live-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    /// A trip without its vehicle index (which differs between plate tables), for comparison.
    static func key(_ t: Trip, _ plates: PlateTable) -> String {
        var u = t
        u.vehicle = 0
        return plates[t.vehicle] + " " + String(describing: u)
    }
}
