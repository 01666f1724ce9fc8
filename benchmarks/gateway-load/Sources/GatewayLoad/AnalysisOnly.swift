import Foundation
import MuckWatchCore
import MuckWatchLive
import MuckWatchPipeline

/// `GatewayLoad --analysis-only`: the live analysis without sockets, fed as the gateway
/// feeds it (one call per 10 fixes of one vehicle, vehicles interleaved), to tell the
/// analysis' own throughput from the network's.
enum AnalysisOnly {
    static func run(terminals: Int, scripts: [Script], references: References, options: LiveAnalysis.Options,
                    plates: [String], seconds: Double) -> [String: Any] {
        let live = try! LiveAnalysis(references: references, options: options)
        let vehicles = plates.map { live.vehicle(plate: $0)! }
        var position = [Int](repeating: 0, count: terminals)
        var fed = 0
        let start = Date()
        var batch: [Fix] = []
        outer: while Date().timeIntervalSince(start) < seconds {
            for t in 0..<terminals {
                let s = scripts[t % scripts.count].fixes
                guard position[t] + 10 <= s.count else { break outer }
                batch.removeAll(keepingCapacity: true)
                for k in position[t]..<(position[t] + 10) {
                    var f = s[k]
                    f.vehicle = vehicles[t]
                    batch.append(f)
                }
                position[t] += 10
                _ = live.feed(batch)
                fed += 10
            }
        }
        let el = Date().timeIntervalSince(start)
        return ["analysis_only_fixes": fed, "analysis_only_seconds": el, "analysis_only_fixes_per_s": Double(fed) / el,
                "analysis_only_evaluations": live.counters.evaluations]
    }
}
