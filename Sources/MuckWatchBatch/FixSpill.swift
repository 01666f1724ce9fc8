import Foundation
import MuckWatchCore
import MuckWatchJudge

/// Holds a night's projected fixes partitioned by vehicle into buckets, in memory as long
/// as at most `memoryLimit` fixes are held. When adding a fix would hold more, the last
/// bucket still in memory goes to a temporary file, and from then on that bucket spills
/// whenever it holds its share of the limit; the other buckets stay in memory until they
/// are analyzed. So a night that fits is never written to disk (no kernel copies there and
/// back), and a bigger one holds at most `memoryLimit` fixes whatever its size. A bucket is
/// analyzed whole: all of a vehicle's fixes are in one bucket.
final class FixSpill {
    let buckets: Int
    private let memoryLimit: Int
    /// Fixes held per bucket, in blocks of `block` (never reallocated: no doubling copies
    /// of a large bucket, and each block is freed as soon as it is read back).
    private var held: [[[Fix]]]
    private var heldPerBucket: [Int]
    private var heldCount = 0
    /// Buckets chosen to go to disk once the limit was reached.
    private var toDisk: [Bool]
    private var dir: String?
    private var spilled: [Int]
    /// Fixes added per vehicle, so a bucket can be laid out grouped as it is read back.
    private var perVehicle: [Int] = []
    /// Emptied blocks of buckets that went to disk, filled again before any new block is
    /// made: fresh memory costs a page fault and a zeroed page per 4 KB. At most
    /// `maxSpareBlocks` wait (they are outside the budget: more would only raise the
    /// peak, measured +90 MB on a 20M-fix night without the cap).
    private var spareBlocks: [[Fix]] = []
    private let maxSpareBlocks = 2
    /// One piece laid out by bucket (`add`), reused piece after piece.
    private var scratch: [Fix] = []
    /// 9.4 MB: above the 8 MB mmap threshold `analyze` sets, so a freed block goes back
    /// to the system at once instead of staying resident in the malloc arena.
    private let block = 131_072

    init(buckets: Int, memoryLimit: Int = 1_000_000) {
        self.buckets = max(1, buckets)
        self.memoryLimit = max(1, memoryLimit)
        held = Array(repeating: [], count: self.buckets)
        heldPerBucket = Array(repeating: 0, count: self.buckets)
        toDisk = Array(repeating: false, count: self.buckets)
        spilled = Array(repeating: 0, count: self.buckets)
    }

    deinit {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func bucket(of vehicle: Int32) -> Int { Int(vehicle) % buckets }

    /// Fixes a bucket on disk holds before it writes them: its share of the limit.
    private var quota: Int { max(1, min(block, memoryLimit / buckets)) }

    /// Fixes written to temporary files so far (0 when the night fitted in memory).
    var spilledFixes: Int { spilled.reduce(0, +) }
    /// Fixes held in memory now (never more than `memoryLimit`).
    var heldFixes: Int { heldCount }

    /// Adds one piece of fixes: each goes to its vehicle's bucket, in arrival order.
    ///
    /// Bucket by bucket, not fix by fix: the piece is first laid out by bucket (a stable
    /// counting sort into `scratch`), then each bucket's run is appended a block at a time.
    /// Per fix, the class's arrays cost exclusivity checks and uniqueness tests (~4 % of a
    /// 10M-fix run's CPU); a run of fixes pays them once. Each bucket still holds its fixes
    /// in arrival order (spilled ones first), which is all its reader relies on.
    func add(_ fixes: [Fix]) throws(AnalysisError) {
        // A piece at a time of at most a block: a whole JT/T 808 capture comes in one array,
        // and the scratch is the size of what is laid out at once.
        var from = 0
        while from < fixes.count {
            let to = min(fixes.count, from + block)
            try add(fixes[from..<to])
            from = to
        }
    }

    private func add(_ fixes: ArraySlice<Fix>) throws(AnalysisError) {
        guard let first = fixes.first else { return }
        var top = 0
        for f in fixes where Int(f.vehicle) > top { top = Int(f.vehicle) }
        if top >= perVehicle.count { perVehicle += [Int](repeating: 0, count: max(top + 1 - perVehicle.count, 1024)) }
        var counts = perVehicle.mutableSpan
        for f in fixes { counts[Int(f.vehicle)] += 1 }
        guard buckets > 1 else { return try append(fixes, to: 0) }
        // Laid out by bucket, each bucket's fixes in arrival order.
        var starts = [Int](repeating: 0, count: buckets + 1)
        for f in fixes { starts[bucket(of: f.vehicle) + 1] += 1 }
        for b in 0..<buckets { starts[b + 1] += starts[b] }
        var next = starts
        if scratch.count < fixes.count { scratch = [Fix](repeating: first, count: fixes.count) }
        var out = scratch.mutableSpan, slot = next.mutableSpan
        for f in fixes {
            let b = bucket(of: f.vehicle)
            out[slot[b]] = f
            slot[b] += 1
        }
        let laid = scratch
        for b in 0..<buckets where starts[b + 1] > starts[b] {
            try append(laid[starts[b]..<starts[b + 1]], to: b)
        }
    }

    /// Appends a run of one bucket's fixes, spilling as `add` describes.
    private func append(_ run: ArraySlice<Fix>, to b: Int) throws(AnalysisError) {
        // A bucket that went to disk spills a block at a time (at most its share of the
        // limit), so the budget goes to the buckets kept in memory. When the limit is
        // passed and every bucket is on disk, they hold less than the limit together,
        // so the loop below always finds one to spill: held fixes never exceed the limit.
        let quota = self.quota
        var i = run.startIndex
        while i < run.endIndex {
            if held[b].isEmpty || held[b][held[b].count - 1].count == block {
                if !toDisk[b], let spare = spareBlocks.popLast() {
                    held[b].append(spare)
                } else {
                    // A bucket on disk never holds more than its quota: a block of that size
                    // (a full-size one would stay resident, touched, for the whole read).
                    var next = [Fix]()
                    next.reserveCapacity(toDisk[b] ? quota : block)
                    held[b].append(next)
                }
            }
            // As many as fit the block, the bucket's quota on disk and the memory limit
            // (the fix that passes it is the last one before a spill, as one by one).
            var n = min(run.endIndex - i, block - held[b][held[b].count - 1].count)
            if toDisk[b] { n = min(n, max(1, quota - heldPerBucket[b])) }
            n = min(n, max(1, memoryLimit + 1 - heldCount))
            held[b][held[b].count - 1].append(contentsOf: run[i..<(i + n)])
            i += n
            heldPerBucket[b] += n
            heldCount += n
            if toDisk[b] && heldPerBucket[b] >= quota { try spill(b) }
            if heldCount > memoryLimit {
                // The last bucket still in memory goes to disk: buckets are analyzed in
                // order, so the ones kept are freed first and the spilled ones are read
                // back once most of the held memory is gone.
                var last = buckets - 1
                while last >= 0 && (toDisk[last] || heldPerBucket[last] == 0) { last -= 1 }
                if last >= 0 {
                    toDisk[last] = true
                    try spill(last)
                }
            }
        }
    }

    /// Call after the last `add`. Buckets in memory stay there until analyzed; spare
    /// blocks are freed.
    func finishAdding() throws(AnalysisError) {
        spareBlocks = []
        scratch = []
    }

    /// All fixes of bucket `k` (spilled, then held), grouped by vehicle as they are read
    /// back: a stable counting sort straight from the file into the one array the bucket
    /// is analyzed from, with each of the `vehicles` ranges (empty for other buckets'
    /// vehicles). Exactly `FixOrdering.group`'s grouping, without a second copy.
    func takeGrouped(_ k: Int, vehicles: Int) throws(AnalysisError) -> (fixes: [Fix], ranges: [Range<Int>]) {
        var counts = [Int](repeating: 0, count: vehicles + 1)
        for v in 0..<min(vehicles, perVehicle.count) where bucket(of: Int32(v)) == k { counts[v + 1] = perVehicle[v] }
        for v in 0..<vehicles { counts[v + 1] += counts[v] }
        let ranges = (0..<vehicles).map { counts[$0]..<counts[$0 + 1] }
        let onDisk = spilled[k]
        var inMemory = held[k]
        held[k] = []
        heldCount -= heldPerBucket[k]
        let total = onDisk + heldPerBucket[k]
        heldPerBucket[k] = 0
        guard counts[vehicles] == total else { throw .output("bucket \(k): \(total) fixes held, \(counts[vehicles]) counted") }
        var fd: Int32 = -1
        var path = ""
        if onDisk > 0, let dir {
            path = dir + "/bucket-\(k).bin"
            fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw .output("\(path): cannot read back spilled fixes") }
        }
        defer {
            if fd >= 0 {
                close(fd)
                unlink(path)
            }
        }
        // Every slot is overwritten by the scatter; the fill only makes the array safe to index.
        var out = [Fix](repeating: Fix(vehicle: -1, time: 0, lon: 0, lat: 0), count: total)
        var next = counts
        var complete = true
        if fd >= 0 {
            // The file in blocks, each scattered to its slots.
            var chunk = [Fix](repeating: Fix(vehicle: -1, time: 0, lon: 0, lat: 0), count: min(block, onDisk))
            var left = onDisk
            while left > 0 && complete {
                let want = min(chunk.count, left)
                let got = RecordIO.read(fd, into: &chunk, count: want)
                complete = got.records == want && got.error == 0
                Self.scatter(chunk.span.extracting(..<got.records), into: &out, next: &next)
                left -= got.records
            }
        }
        // Then the held blocks, in the order added, each freed once scattered.
        inMemory.reverse()
        while let last = inMemory.popLast() { Self.scatter(last.span, into: &out, next: &next) }
        guard complete else { throw .output("\(path): spilled fixes are incomplete") }
        return (out, ranges)
    }

    /// Puts each fix of `fixes` at its vehicle's next slot of `out` (a counting sort's
    /// second pass; `next[v]` is where vehicle `v`'s next fix goes).
    private static func scatter(_ fixes: Span<Fix>, into out: inout [Fix], next: inout [Int]) {
        var dst = out.mutableSpan, slot = next.mutableSpan
        for i in fixes.indices {
            let f = fixes[i]
            let v = Int(f.vehicle)
            dst[slot[v]] = f
            slot[v] += 1
        }
    }

    /// Appends bucket `k`'s held fixes to its file and empties it (keeping its capacity).
    private func spill(_ k: Int) throws(AnalysisError) {
        if dir == nil {
            let d = NSTemporaryDirectory() + "muckwatch-spill-" + UUID().uuidString
            do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) } catch {
                throw .output("\(d): cannot create a spill folder: \(error.localizedDescription)")
            }
            dir = d
        }
        let path = dir! + "/bucket-\(k).bin"
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw .output("\(path): cannot write spilled fixes") }
        // Straight from the blocks to the file: no intermediate buffer.
        var failure: Int32 = 0
        for fixes in held[k] where failure == 0 { failure = RecordIO.writeAll(fixes, to: fd) }
        close(fd)
        guard failure == 0 else {
            throw .output("\(path): cannot write spilled fixes: \(String(cString: strerror(failure)))")
        }
        spilled[k] += heldPerBucket[k]
        heldCount -= heldPerBucket[k]
        heldPerBucket[k] = 0
        // Keep a quota-sized block for the next fixes of this bucket; full-size blocks go
        // to whichever bucket still in memory needs one next (or are freed).
        var blocks = held[k]
        held[k] = []
        while var b = blocks.popLast() {
            b.removeAll(keepingCapacity: true)
            if held[k].isEmpty && b.capacity <= quota + quota / 8 {
                held[k] = [b]
            } else if spareBlocks.count < maxSpareBlocks {
                spareBlocks.append(b)
            }
        }
    }
}
