import Foundation
import MuckWatchCore
import MuckWatchBatch
import MuckWatchTestSupport

/// The bundled sample night (geofences/ and traces/ at the top of the repository) and
/// its generator truth, for end-to-end tests.
enum SampleNight {
    static let root = BundledSample.root

    /// - Parameter chain: pass the night's manifests and gate records too (contract v2).
    static func options(out: String, traces: [String]? = nil, chain: Bool = true) -> AnalysisOptions {
        AnalysisOptions(references: BundledSample.references(chain: chain), traces: traces ?? [BundledSample.traces],
                        out: out)
    }

    /// Analyzes the bundled night into `out` and writes its outputs and store there, as
    /// `muckwatch analyze` does.
    @discardableResult
    static func analyze(into out: String, chain: Bool = true) throws -> RunResult {
        let run = try Analysis.run(options(out: out, chain: chain))
        try Analysis.write(run, to: out)
        return run
    }

    static func tempDir() -> String {
        let p = NSTemporaryDirectory() + "muckwatch-e2e-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: p, withIntermediateDirectories: true)
        return p
    }

    static var truth: [String: Any] {
        let data = FileManager.default.contents(atPath: root + "/traces/truth.json")!
        return try! JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    static func json(_ path: String) -> Any {
        try! JSONSerialization.jsonObject(with: FileManager.default.contents(atPath: path)!)
    }

    static func time(_ v: Any?) -> Int64? { (v as? String).flatMap { TimeParser.parse($0) } }
}

/// Precision and recall of predicted items against truth, matched one to one greedily.
struct Score {
    var truth = 0, predicted = 0, matched = 0
    var precision: Double { predicted == 0 ? 1 : Double(matched) / Double(predicted) }
    var recall: Double { truth == 0 ? 1 : Double(matched) / Double(truth) }

    static func match(truth: [[String: Any]], predicted: [[String: Any]],
                      _ same: ([String: Any], [String: Any]) -> Bool) -> Score {
        var used = Set<Int>()
        var s = Score(truth: truth.count, predicted: predicted.count)
        for t in truth {
            if let j = predicted.indices.first(where: { !used.contains($0) && same(t, predicted[$0]) }) {
                used.insert(j)
                s.matched += 1
            }
        }
        return s
    }
}
