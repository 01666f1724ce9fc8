import Foundation
public import MuckWatchCore

/// The bundled sample night (geofences/ and traces/ at the top of the repository): where
/// its files are, for every test module that analyzes or replays it.
public enum BundledSample {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    public static let traces = root + "/traces/traces.csv"

    /// Its reference files; with `chain`, its manifests and gate records too (contract v2).
    public static func references(chain: Bool) -> ReferenceFiles {
        ReferenceFiles(fences: root + "/geofences", cameras: root + "/traces/cameras.jsonl",
                       permits: root + "/traces/permits.json", vehicles: root + "/traces/vehicles.csv",
                       manifests: chain ? root + "/traces/manifests.jsonl" : nil,
                       gateEvents: chain ? root + "/traces/gate_events.jsonl" : nil)
    }
}
