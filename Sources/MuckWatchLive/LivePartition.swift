import MuckWatchCore
public import MuckWatchStore
public import MuckWatchJudge

/// The live analysis split by vehicle for several serial executors: one `LiveAnalysis`
/// per shard (each judges only the vehicles sent to it), one `LiveStoreWriter` for all
/// of them, and which shard each vehicle belongs to.
///
/// A vehicle's shard is a stable hash of its plate (FNV-1a), not of its registry
/// position, so it does not move when the registry is reordered or grows.
public struct LivePartition {
    public let shards: [LiveAnalysis]
    public let writer: LiveStoreWriter?
    /// Shard of each vehicle index of the registry (`LiveAnalysis.plates`).
    public let shardOfVehicle: [UInt8]

    /// - Parameters:
    ///   - store: where cases are upserted (one live session for all shards); `nil`: alerts only.
    ///   - shards: number of shards (1…255).
    public init(references: References, store: CaseStore?, options: LiveAnalysis.Options = LiveAnalysis.Options(),
                shards count: Int) throws(AnalysisError) {
        let n = min(255, max(1, count))
        var shards: [LiveAnalysis] = []
        for k in 0..<n {
            let live = try LiveAnalysis(references: references, options: options, recordsWrites: true)
            live.shard = (k, n)
            shards.append(live)
        }
        self.shards = shards
        let first = shards[0]
        shardOfVehicle = (0..<first.plates.count).map { UInt8(Self.shard(plate: first.plates[Int32($0)], count: n)) }
        if let store {
            do {
                writer = try LiveStoreWriter(store: store, references: references, plates: first.plates,
                                             cameras: first.cameras, epsg: first.epsg)
            } catch {
                throw .output("store: \(error)")
            }
        } else {
            writer = nil
        }
    }

    /// The shard of a plate among `count`: the batch's partition of it (`PlatePartition`).
    public static func shard(plate: String, count: Int) -> Int {
        PlatePartition.index(plate: plate, count: count)
    }
}
