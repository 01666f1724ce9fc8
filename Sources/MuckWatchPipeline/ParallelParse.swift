import Dispatch
import MuckWatchCore
import MuckWatchIngest

/// Parses record-aligned chunks of one file on several cores. Each worker interns plates
/// into its own table; the results are renumbered into the run's table in file order, so
/// vehicle ids, rejects and line numbers are exactly those of a sequential read.
enum ParallelParse {
    struct Parsed: Sendable {
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        var rows = 0
        var plates = PlateTable()
    }

    static func run(_ chunks: [TraceChunk], plates: inout PlateTable) -> [Parsed] {
        let slots = ResultSlots<Parsed>(count: chunks.count)
        DispatchQueue.concurrentPerform(iterations: chunks.count) { k in
            var p = Parsed()
            p.rows = chunks[k].parse(plates: &p.plates, fixes: &p.fixes, rejects: &p.rejects)
            slots[k] = p
        }
        var out = slots.values
        for k in out.indices {
            let map = out[k].plates.plates.map { plates.intern($0) }
            for i in out[k].fixes.indices { out[k].fixes[i].vehicle = map[Int(out[k].fixes[i].vehicle)] }
        }
        return out
    }
}
