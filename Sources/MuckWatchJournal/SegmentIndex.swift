import Foundation
import MuckWatchCore

/// Where each vehicle's records sit in one segment, sorted by fix time, so a window of one
/// vehicle's fixes is read as a handful of small reads instead of a scan of the segment
/// (issue #24: the case page's raw fixes; a city night is tens of millions of records).
///
/// Built by `JournalReader` (its one loop over records, its handling of torn tails, bad
/// records and zeros after the last record) and kept in memory by `JournalWindowReader`;
/// never written next to the segment, because the review app only reads the gateway's
/// journal. 8 bytes a record: a 12M-fix night indexes in ~96 MB. Times are stored relative
/// to the segment's first fix (clamped to 32 bits); a clamped time only makes a record a
/// candidate, and every record is checked again (checksum, plate, exact time) when read.
struct SegmentIndex: Sendable {
    struct Posting: Sendable, Comparable {
        /// Fix time minus `base`, seconds.
        var time: Int32
        /// The record's first byte in the segment.
        var offset: UInt32

        static func < (a: Posting, b: Posting) -> Bool { (a.time, a.offset) < (b.time, b.offset) }
    }

    /// What a segment file was when it was indexed: a change says it grew (the gateway
    /// writes it: the time counts too, a rewrite may keep the size) or was replaced.
    struct Signature: Sendable, Equatable {
        var inode: UInt64
        var size: Int64
        var modifiedNs: Int64

        /// The file's signature now; `nil` when it is gone (removed by retention).
        static func of(_ path: String) -> Signature? {
            var s = stat()
            guard stat(path, &s) == 0 else { return nil }
            return Signature(inode: UInt64(s.st_ino), size: Int64(s.st_size),
                             modifiedNs: Int64(s.st_mtim.tv_sec) * 1_000_000_000 + Int64(s.st_mtim.tv_nsec))
        }
    }

    /// The file as it was indexed, and when (wall clock, ns).
    private(set) var signature: Signature?
    private(set) var indexedNs: Int64 = 0

    /// True when the file is as it was indexed. A file changed within a second before it was
    /// indexed may have changed again since without a new time (the kernel stamps times from a
    /// coarse clock): it is read on from its end again.
    func isCurrent(_ now: Signature) -> Bool {
        signature == now && indexedNs - now.modifiedNs >= 1_000_000_000
    }

    static func wallClockNs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1e9) }

    /// The fix time postings are relative to (the first record's).
    private(set) var base: Int64?
    /// The plates met, each indexing its vehicle's postings in `postings`.
    private(set) var plates = PlateTable()
    private(set) var postings: [[Posting]] = []
    /// Where the segment's records end as indexed: records appended later start here.
    /// `nil`: the file has no header (yet), so it is read whole again when it changes.
    private(set) var recordsEnd: Int?
    /// What reading found: torn tails and bad records, with file and offset.
    private(set) var damage: [JournalDamage] = []
    private(set) var records = 0

    /// Indexes the segment at `path` whole.
    static func whole(_ path: String, signature: Signature) throws(JournalReadError) -> SegmentIndex {
        var index = SegmentIndex()
        index.signature = signature
        index.indexedNs = wallClockNs()
        var reader = JournalReader()
        var plates = PlateBytes()
        var touched = Set<Int32>()
        let end = try reader.read(segment: path, located: { entry, bytes, plate, offset in
            touched.insert(index.add(entry, bytes, plate, offset, &plates))
        })
        index.recordsEnd = end
        index.damage = reader.summary.damage
        index.sort(touched)
        return index
    }

    /// Brings the index up to `signature`: a segment that only grew (same file, records
    /// after `recordsEnd`) is read from there on; anything else is indexed whole again.
    mutating func update(_ path: String, signature now: Signature) throws(JournalReadError) {
        guard let from = recordsEnd, let was = signature, was.inode == now.inode, now.size >= Int64(from) else {
            self = try Self.whole(path, signature: now)
            return
        }
        let started = Self.wallClockNs()
        var reader = JournalReader()
        var plates = PlateBytes()
        var touched = Set<Int32>()
        let end = try reader.readAppended(segment: path, from: from) { entry, bytes, plate, offset in
            touched.insert(self.add(entry, bytes, plate, offset, &plates))
        }
        // Damage found before `from` stays; what lay at or after it (a torn tail the writer
        // has since completed, or not) is what this pass says.
        damage = damage.filter { $0.offset < from } + reader.summary.damage
        recordsEnd = end
        signature = now
        indexedNs = started
        sort(touched)
    }

    /// The offsets of `plate`'s records whose fix time may lie in `from...to`, in fix-time order.
    func candidates(plate: String, from: Int64, to: Int64) -> ArraySlice<Posting> {
        guard let base, let v = plates.lookup(plate), from <= to else { return [] }
        let list = postings[Int(v)]
        let lo = Self.clamp(from - base), hi = Self.clamp(to - base)
        let first = list.partitionPoint { $0.time < lo }
        let last = list.partitionPoint { $0.time <= hi }
        return list[first..<max(first, last)]
    }

    /// Postings held: what this index costs in memory, 8 bytes each.
    var size: Int { records }

    static func clamp(_ t: Int64) -> Int32 { Int32(clamping: t) }

    /// Files one record under its plate (`PlateBytes`: one string per truck, not per record);
    /// returns the plate's number.
    private mutating func add(_ e: JournalEntry, _ bytes: [UInt8], _ plate: Range<Int>, _ offset: Int,
                              _ known: inout PlateBytes) -> Int32 {
        let v = known.vehicle(of: e, bytes, plate, plates: &plates)
        if Int(v) >= postings.count { postings.append(contentsOf: repeatElement([], count: Int(v) + 1 - postings.count)) }
        let base = self.base ?? e.fix.time
        self.base = base
        postings[Int(v)].append(Posting(time: Self.clamp(e.fix.time - base), offset: UInt32(clamping: offset)))
        records += 1
        return v
    }

    /// Records arrive in receive order, nearly fix-time order: each touched list is sorted again.
    private mutating func sort(_ plates: Set<Int32>) {
        for v in plates { postings[Int(v)].sort() }
    }
}
