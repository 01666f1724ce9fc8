import Foundation
import MuckWatchCore

/// Holds a night's projected fixes partitioned by vehicle into buckets, spilling to
/// temporary files once more than `memoryLimit` fixes are held, so memory depends on
/// the bucket size and not on the size of the night. A bucket is analyzed whole: all of
/// a vehicle's fixes are in one bucket.
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
        for f in fixes { held[bucket(of: f.vehicle)].append(f) }
        heldCount += fixes.count
        if heldCount > memoryLimit && buckets > 1 { try spill() }
    }

    /// All fixes of bucket `k` (spilled and held), releasing what was held.
    func take(_ k: Int) throws(AnalysisError) -> [Fix] {
        var out: [Fix] = []
        if spilled[k] > 0, let dir {
            let path = dir + "/bucket-\(k).bin"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw .output("\(path): cannot read back spilled fixes")
            }
            out.reserveCapacity(spilled[k] + held[k].count)
            data.withUnsafeBytes { raw in
                out.append(contentsOf: raw.bindMemory(to: Fix.self))
            }
            try? FileManager.default.removeItem(atPath: path)
        }
        out.append(contentsOf: held[k])
        heldCount -= held[k].count
        held[k] = []
        return out
    }

    private func spill() throws(AnalysisError) {
        if dir == nil {
            let d = NSTemporaryDirectory() + "muckwatch-spill-" + UUID().uuidString
            do { try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true) } catch {
                throw .output("\(d): cannot create a spill folder: \(error.localizedDescription)")
            }
            dir = d
        }
        for k in 0..<buckets where !held[k].isEmpty {
            let path = dir! + "/bucket-\(k).bin"
            if !FileManager.default.fileExists(atPath: path) { FileManager.default.createFile(atPath: path, contents: nil) }
            guard let h = FileHandle(forWritingAtPath: path) else { throw .output("\(path): cannot write spilled fixes") }
            h.seekToEndOfFile()
            held[k].withUnsafeBytes { h.write(Data($0)) }
            h.closeFile()
            spilled[k] += held[k].count
            held[k] = []
        }
        heldCount = 0
    }
}
