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

    init(buckets: Int, memoryLimit: Int = 2_000_000) {
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

    /// All fixes of bucket `k` (spilled and held), releasing what was held.
    func take(_ k: Int) throws(AnalysisError) -> [Fix] {
        let onDisk = spilled[k]
        let inMemory = held[k]
        held[k] = []
        heldCount -= inMemory.count
        guard onDisk > 0, let dir else { return inMemory }
        let path = dir + "/bucket-\(k).bin"
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .output("\(path): cannot read back spilled fixes") }
        defer {
            close(fd)
            unlink(path)
        }
        // Straight from the file into the one array the bucket is analyzed from.
        var complete = false
        let out = [Fix](unsafeUninitializedCapacity: onDisk + inMemory.count) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(rebasing: UnsafeMutableRawBufferPointer(buffer)[..<(onDisk * MemoryLayout<Fix>.stride)])
            var done = 0
            while done < raw.count {
                let n = read(fd, raw.baseAddress! + done, raw.count - done)
                if n <= 0 { break }
                done += n
            }
            complete = done == raw.count
            guard complete else { count = 0; return }
            _ = UnsafeMutableBufferPointer(rebasing: buffer[onDisk...]).initialize(from: inMemory)
            count = onDisk + inMemory.count
        }
        guard complete else { throw .output("\(path): spilled fixes are incomplete") }
        return out
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
