import Foundation
import MuckWatchCore

/// Holds a night's projected fixes partitioned by vehicle into buckets, each spilling to
/// a temporary file whenever it holds its share of `memoryLimit` fixes, so memory depends
/// on the limit and the bucket size and not on the size of the night. Once anything was
/// spilled, the rest follows at the end of reading (`finishAdding`), so that only the
/// bucket in hand is in memory while buckets are analyzed. A bucket is analyzed whole:
/// all of a vehicle's fixes are in one bucket.
final class FixSpill {
    let buckets: Int
    private let memoryLimit: Int
    private var held: [[Fix]]
    private var heldCount = 0
    private var dir: String?
    private var spilled: [Int]
    /// Fixes added per vehicle, so a bucket can be laid out grouped as it is read back.
    private var perVehicle: [Int] = []

    init(buckets: Int, memoryLimit: Int = 1_000_000) {
        self.buckets = max(1, buckets)
        self.memoryLimit = memoryLimit
        held = Array(repeating: [], count: self.buckets)
        spilled = Array(repeating: 0, count: self.buckets)
    }

    deinit {
        if let dir { try? FileManager.default.removeItem(atPath: dir) }
    }

    func bucket(of vehicle: Int32) -> Int { Int(vehicle) % buckets }

    func add(_ fixes: [Fix]) throws(AnalysisError) {
        heldCount += fixes.count
        for f in fixes {
            let v = Int(f.vehicle)
            if v >= perVehicle.count { perVehicle += [Int](repeating: 0, count: max(v + 1 - perVehicle.count, 1024)) }
            perVehicle[v] += 1
        }
        if buckets == 1 {
            held[0].append(contentsOf: fixes)
            return
        }
        // Each bucket holds at most its share of `memoryLimit` and goes to disk when full,
        // so held fixes never exceed the limit, arrays keep their capacity across spills
        // and no doubling reallocation ever copies a large bucket.
        let quota = max(1, memoryLimit / buckets)
        for f in fixes {
            let b = bucket(of: f.vehicle)
            if held[b].capacity == 0 { held[b].reserveCapacity(quota) }
            held[b].append(f)
            if held[b].count >= quota { try spill(b) }
        }
    }

    /// Call after the last `add`: once anything went to disk, the rest follows, so that
    /// while buckets are analyzed only the bucket in hand is in memory.
    func finishAdding() throws(AnalysisError) {
        guard dir != nil else { return }
        for k in 0..<buckets where !held[k].isEmpty { try spill(k) }
        for k in 0..<buckets { held[k] = [] }
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
        let inMemory = held[k]
        held[k] = []
        heldCount -= inMemory.count
        let total = onDisk + inMemory.count
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
        var complete = true
        let out = [Fix](unsafeUninitializedCapacity: total) { buffer, count in
            var next = counts
            func scatter(_ src: UnsafeBufferPointer<Fix>) {
                for f in src {
                    let v = Int(f.vehicle)
                    (buffer.baseAddress! + next[v]).initialize(to: f)
                    next[v] += 1
                }
            }
            if fd >= 0 {
                // The file in blocks of 64k fixes (4.5 MB), each scattered to its slots.
                let block = 65_536
                let scratch = UnsafeMutableBufferPointer<Fix>.allocate(capacity: block)
                defer { scratch.deallocate() }
                var left = onDisk
                while left > 0 && complete {
                    let want = min(block, left) * MemoryLayout<Fix>.stride
                    var done = 0
                    while done < want {
                        let n = read(fd, UnsafeMutableRawPointer(scratch.baseAddress!) + done, want - done)
                        if n <= 0 { break }
                        done += n
                    }
                    complete = done == want
                    let got = done / MemoryLayout<Fix>.stride
                    scatter(UnsafeBufferPointer(rebasing: scratch[..<got]))
                    left -= got
                }
            }
            inMemory.withUnsafeBufferPointer { scatter($0) }
            count = complete ? total : 0
        }
        guard complete else { throw .output("\(path): spilled fixes are incomplete") }
        return (out, ranges)
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
        // Straight from the array to the file: no intermediate buffer.
        let ok = held[k].withUnsafeBytes { raw -> Bool in
            var done = 0
            while done < raw.count {
                let n = write(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { return false }
                done += n
            }
            return true
        }
        close(fd)
        guard ok else { throw .output("\(path): cannot write spilled fixes (disk full?)") }
        spilled[k] += held[k].count
        heldCount -= held[k].count
        held[k].removeAll(keepingCapacity: true)
    }
}
