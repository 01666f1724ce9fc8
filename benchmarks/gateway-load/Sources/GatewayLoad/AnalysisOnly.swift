import Foundation
import MuckWatchCore
import MuckWatchJudge
import MuckWatchLive
import MuckWatchBatch

/// `GatewayLoad --analysis-only`: the live analysis without sockets, fed as the gateway
/// feeds it (one call per 10 fixes of one vehicle, vehicles interleaved), to tell the
/// analysis' own throughput from the network's. With `--shards N` (N > 1) the vehicles
/// are partitioned as the gateway partitions them (`LivePartition`) and each shard is fed
/// on its own thread.
enum AnalysisOnly {
    static func run(terminals: Int, scripts: [Script], references: References, options: LiveAnalysis.Options,
                    plates: [String], seconds: Double, shards: Int) -> [String: Any] {
        let partition = try! LivePartition(references: references, store: nil, options: options, shards: max(1, shards))
        let n = partition.shards.count
        let vehicles = plates.map { partition.shards[0].vehicle(plate: $0)! }
        let fed = UnsafeMutableBufferPointer<Int>.allocate(capacity: n)
        fed.initialize(repeating: 0)
        defer { fed.deallocate() }
        let start = Date()
        DispatchQueue.concurrentPerform(iterations: n) { k in
            let live = partition.shards[k]
            let mine = (0..<terminals).filter { Int(partition.shardOfVehicle[Int(vehicles[$0])]) == k }
            var position = [Int](repeating: 0, count: terminals)
            var batch: [Fix] = []
            var count = 0
            outer: while Date().timeIntervalSince(start) < seconds {
                for t in mine {
                    let s = scripts[t % scripts.count].fixes
                    guard position[t] + 10 <= s.count else { break outer }
                    batch.removeAll(keepingCapacity: true)
                    for i in position[t]..<(position[t] + 10) {
                        var f = s[i]
                        f.vehicle = vehicles[t]
                        batch.append(f)
                    }
                    position[t] += 10
                    _ = live.feed(batch)
                    count += 10
                }
            }
            fed[k] = count
        }
        let el = Date().timeIntervalSince(start)
        let total = fed.reduce(0, +)
        return ["analysis_only_fixes": total, "analysis_only_seconds": el,
                "analysis_only_fixes_per_s": Double(total) / el, "analysis_only_shards": n,
                "analysis_only_evaluations": partition.shards.reduce(0) { $0 + $1.counters.evaluations },
                "load_average": loadAverage()]
    }
}
