import Dispatch
import MuckWatchCore
import MuckWatchIngest

/// Parses record-aligned chunks of one file on several cores. Each worker interns plates
/// into its own copy of the run's table as it stood when the batch began (the plates
/// already known keep their ids); the plates new to the run are merged into the run's
/// table in file order, so vehicle ids, rejects and line numbers are exactly those of a
/// sequential read.
///
/// Why the copy and not an empty table per chunk: a city's 8k trucks each appear in every
/// 8 MB piece, and interning them all afresh per piece, then again into the run's table
/// (a `String` made and hashed twice per truck and piece), was ~1.5 % of a 10M run's CPU.
enum ParallelParse {
    struct Parsed: Sendable {
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        var rows = 0
        var plates = PlateTable()
        /// Local plate id → the run's plate id (filled by `run`, applied by `renumber`).
        var plateMap: [Int32] = []
    }

    /// Parses the chunks in parallel and interns their plates into `plates` in file order.
    /// The fixes still carry local plate ids: call `renumber` on each (any thread).
    static func run(_ chunks: [TraceChunk], plates: inout PlateTable, pool: FixArrayPool? = nil) -> [Parsed] {
        let slots = ResultSlots<Parsed>(count: chunks.count)
        let known = plates.count
        let seed = PlateCache(plates)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            var p = Parsed()
            if let pool { p.fixes = pool.take() }
            var cache = seed
            p.rows = chunks[k].parse(plates: &cache, fixes: &p.fixes, rejects: &p.rejects)
            p.plates = cache.table
            slots[k] = p
        }
        var out = slots.values
        for k in out.indices {
            let local = out[k].plates.plates
            out[k].plateMap = (0..<Int32(known)).map { $0 } + local[known...].map { plates.intern($0) }
        }
        return out
    }

    /// Gives the fixes of one parsed chunk their run-wide plate ids.
    static func renumber(_ p: inout Parsed) {
        let map = p.plateMap
        for i in p.fixes.indices { p.fixes[i].vehicle = map[Int(p.fixes[i].vehicle)] }
    }
}
