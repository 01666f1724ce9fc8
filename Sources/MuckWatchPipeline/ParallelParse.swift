import Dispatch
import MuckWatchCore
import MuckWatchIngest

/// Parses record-aligned chunks of one file on several cores. Each worker interns plates
/// into its own table; the tables are merged into the run's table in file order, so
/// vehicle ids, rejects and line numbers are exactly those of a sequential read.
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
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            var p = Parsed()
            if let pool { p.fixes = pool.take() }
            p.rows = chunks[k].parse(plates: &p.plates, fixes: &p.fixes, rejects: &p.rejects)
            slots[k] = p
        }
        var out = slots.values
        for k in out.indices { out[k].plateMap = out[k].plates.plates.map { plates.intern($0) } }
        return out
    }

    /// Gives the fixes of one parsed chunk their run-wide plate ids.
    static func renumber(_ p: inout Parsed) {
        let map = p.plateMap
        map.withUnsafeBufferPointer { map in
            p.fixes.withUnsafeMutableBufferPointer { fixes in
                for i in fixes.indices { fixes[i].vehicle = map[Int(fixes[i].vehicle)] }
            }
        }
    }
}
