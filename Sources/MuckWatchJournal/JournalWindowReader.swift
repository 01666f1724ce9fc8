import Foundation
import MuckWatchCore

/// Answers "the raw fixes of plate P with fix times in t0…t1" from a gateway's journal
/// without scanning a night per question (issue #24, docs/journal.md "Reading a window").
///
/// Each segment is indexed once (`SegmentIndex`: per plate, record offsets sorted by fix
/// time) on the first lookup that needs it, and the index is kept in memory, least recently
/// used dropped past `maxPostings`; a lookup then costs a `stat` and a binary search per
/// segment and one small read per fix. A segment that changed since it was indexed (the
/// gateway is writing it; its size or time tells) is read on
/// from where its records ended, only what was appended.
///
/// Which segments: fixes are filed by **receive** time, and blind-area uploads (`0x0704`)
/// arrive late, so a window by fix time is searched in the night its start was received in
/// (from the segment open at `from − clockAllowance`), every later segment of that night and
/// of the nights up to the one after `to`'s. Fixes uploaded later than that are not found.
/// The day directories' `.mwj` segments only (`JournalDay`): any other file in the
/// journal's root is never read. Read-only: nothing is ever written to the journal's folder.
public final class JournalWindowReader: Sendable {
    public let directory: String
    /// Postings (8 bytes each) the cached indexes may hold before the least recently used go.
    public let maxPostings: Int
    /// How far ahead of the gateway's clock a terminal's fix times are trusted to be: segments
    /// closed before `from` minus this are not searched.
    public static let clockAllowance: Int64 = 3600

    private struct Cached: Sendable {
        var index: SegmentIndex
        var used: UInt64
    }

    private struct Cache: Sendable {
        var segments: [String: Cached] = [:]
        var tick: UInt64 = 0
        var postings = 0
    }

    private let cache = Locked(Cache())

    public init(directory: String, maxPostings: Int = 32 << 20) {
        self.directory = directory
        self.maxPostings = maxPostings
    }

    /// The fixes of `plate` with fix times in `from...to` (Unix seconds), at most `limit` of
    /// them read (the count of all in `total`).
    public func window(plate: String, from: Int64, to: Int64, limit: Int = 500) throws(JournalReadError) -> FixWindow {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw JournalReadError(path: directory, reason: "no such folder (moved, or not mounted?)")
        }
        let kept = JournalDay.days(in: directory)
        guard let newestDay = kept.last else {
            return FixWindow(coverage: .dayNotKept(day: "", kept: nil))
        }
        let clock = try JournalReader.clock(ofDay: newestDay.path)
        let startDay = JournalDay.day(ofMs: from * 1000, clock: clock)
        let keptNames = JournalDay.name(kept[0].day)...JournalDay.name(newestDay.day)
        guard kept.contains(where: { $0.day == startDay }) else {
            return FixWindow(coverage: .dayNotKept(day: JournalDay.name(startDay), kept: keptNames))
        }
        let firstDay = JournalDay.day(ofMs: (from - Self.clockAllowance) * 1000, clock: clock)
        let lastDay = JournalDay.day(ofMs: to * 1000, clock: clock) + 1
        let days = kept.filter { (firstDay...lastDay).contains($0.day) }
        var result = FixWindow(coverage: .searched)
        result.days = days.map { JournalDay.name($0.day) }
        let paths = Self.searched(days.flatMap { JournalDay.segments(in: $0.path) }, from: from)
        let key = Array(plate.utf8.prefix(JournalFormat.maxPlateBytes))
        let name = String(decoding: key, as: UTF8.self)

        var found: [(segment: Int, posting: SegmentIndex.Posting, time: Int64)] = []
        for (k, path) in paths.enumerated() {
            guard let index = try index(of: path) else { continue }
            result.segments += 1
            result.damage += index.damage
            for p in index.candidates(plate: name, from: from, to: to) {
                found.append((k, p, (index.base ?? 0) + Int64(p.time)))
            }
        }
        release(keeping: Set(paths))
        found.sort { ($0.time, $0.segment, $0.posting.offset) < ($1.time, $1.segment, $1.posting.offset) }
        result.total = found.count
        // Read in file order per segment; the first `limit` by fix time.
        var bySegment: [Int: [UInt32]] = [:]
        for f in found.prefix(max(0, limit)) { bySegment[f.segment, default: []].append(f.posting.offset) }
        for (k, offsets) in bySegment.sorted(by: { $0.key < $1.key }) {
            result.fixes += try Self.records(paths[k], offsets: offsets.sorted(), plate: key, from: from, to: to)
        }
        result.fixes.sort { ($0.fix.time, $0.receivedMs) < ($1.fix.time, $1.receivedMs) }
        return result
    }

    /// The segments to search, in written order: all but those a later segment had already
    /// replaced before `from − clockAllowance` (their records were received, so fixed, before it).
    static func searched(_ segments: [String], from: Int64) -> [String] {
        let before = (from - clockAllowance) * 1000
        var keep: [String] = []
        for (i, s) in segments.enumerated() {
            if i + 1 < segments.count, let next = openedMs(segments[i + 1]), next < before { continue }
            keep.append(s)
        }
        return keep
    }

    /// A segment's name is the wall-clock milliseconds it was opened at (`JournalWriter`).
    static func openedMs(_ path: String) -> Int64? {
        let name = path.split(separator: "/").last ?? ""
        return Int64(name.prefix(16))
    }

    /// The index of `path`, built or brought up to date; `nil` when the file is gone.
    private func index(of path: String) throws(JournalReadError) -> SegmentIndex? {
        guard let now = SegmentIndex.Signature.of(path) else {
            forget(path)
            return nil
        }
        // A changed index is taken out of the cache, so updating it copies none of its lists.
        let current: SegmentIndex?
        var stale: SegmentIndex?
        (current, stale) = cache.withLock { c -> (SegmentIndex?, SegmentIndex?) in
            c.tick += 1
            guard let e = c.segments[path] else { return (nil, nil) }
            if e.index.isCurrent(now) {
                c.segments[path]?.used = c.tick
                return (e.index, nil)
            }
            c.segments[path] = nil
            c.postings -= e.index.size
            return (nil, e.index)
        }
        if let current { return current }
        // Built outside the lock: other pages go on meanwhile (two building one segment at
        // once both succeed; the last stored wins).
        var index: SegmentIndex
        if stale != nil {
            index = stale!
            stale = nil
            try index.update(path, signature: now)
        } else {
            index = try SegmentIndex.whole(path, signature: now)
        }
        let built = index
        cache.withLock { c in
            c.tick += 1
            c.postings += built.size - (c.segments[path]?.index.size ?? 0)
            c.segments[path] = Cached(index: built, used: c.tick)
        }
        return index
    }

    private func forget(_ path: String) {
        cache.withLock { c in
            if let old = c.segments.removeValue(forKey: path) { c.postings -= old.index.size }
        }
    }

    /// Drops the least recently used indexes past `maxPostings`, never those of this lookup.
    private func release(keeping inUse: Set<String>) {
        cache.withLock { c in
            guard c.postings > maxPostings else { return }
            for (path, e) in c.segments.sorted(by: { $0.value.used < $1.value.used }) where !inUse.contains(path) {
                c.segments[path] = nil
                c.postings -= e.index.size
                if c.postings <= maxPostings { break }
            }
        }
    }

    /// Postings the cached indexes hold now (for tests and the benchmark's memory figure).
    public var cachedPostings: Int { cache.withLock { $0.postings } }

    /// Reads the records at `offsets` and keeps those that are whole, `plate`'s, and fixed in
    /// `from...to`: the index is a hint, the record's checksum and fields are the answer.
    static func records(_ path: String, offsets: [UInt32], plate: [UInt8], from: Int64, to: Int64)
        throws(JournalReadError) -> [JournalEntry] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw JournalReadError(path: path, reason: "cannot open (removed by retention?)")
        }
        defer { try? handle.close() }
        let length = JournalFormat.frameBytes + JournalFormat.fixedPayload + plate.count
        var out: [JournalEntry] = []
        out.reserveCapacity(offsets.count)
        for offset in offsets {
            let bytes: [UInt8]
            do {
                try handle.seek(toOffset: UInt64(offset))
                bytes = [UInt8](try handle.read(upToCount: length) ?? Data())
            } catch {
                throw JournalReadError(path: path, reason: "cannot read at offset \(offset): \(error.localizedDescription)")
            }
            guard let p = JournalFormat.record(bytes, at: 0).payload, bytes[p.plate].elementsEqual(plate),
                  (from...to).contains(p.entry.fix.time) else { continue }
            out.append(p.entry)
        }
        return out
    }
}
