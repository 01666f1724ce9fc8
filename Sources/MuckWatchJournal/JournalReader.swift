import Foundation
public import MuckWatchCore

/// A place in a segment that did not hold a valid record.
public struct JournalDamage: Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The segment ends inside a record: killed mid-write, before the commit. Dropped,
        /// never acknowledged (an ack waits for the sync).
        case tornTail = "torn tail"
        /// Bytes that are no record with more records after them: damage on disk.
        case badRecord = "bad record"
        /// The file does not start with the journal's header.
        case badHeader = "bad header"
    }
    public var path: String
    public var offset: Int
    public var bytes: Int
    public var kind: Kind
    public var detail: String

    public var description: String { "\(path): offset \(offset): \(kind.rawValue) (\(bytes) bytes): \(detail)" }
}

/// Reads journal segments back: every valid record in order, a torn last record dropped,
/// a bad record in the middle reported with its file and offset and skipped (the reader
/// finds the next offset where a record's length and checksum hold), and zeros after the
/// last record taken for the end.
public struct JournalReader {
    /// What reading a day (or a segment) found.
    public struct Summary: Sendable, Equatable {
        public var segments = 0
        public var records = 0
        public var bytes = 0
        public var damage: [JournalDamage] = []
        public init() {}
    }

    public private(set) var summary = Summary()

    public init() {}

    /// Calls `body` with each record of `path` in order (`plate`: its bytes' range in `bytes`).
    /// Returns where the records end: the offset after the last valid one, where a record
    /// written later would start (`readAppended` goes on from there); `nil` when the file is
    /// no segment (no header).
    @discardableResult
    public mutating func read(segment path: String,
                              _ body: (_ entry: JournalEntry, _ bytes: [UInt8], _ plate: Range<Int>) -> Void)
        throws(JournalReadError) -> Int? {
        try read(segment: path, located: { entry, bytes, plate, _ in body(entry, bytes, plate) })
    }

    /// A record as `walk` hands it on: also the offset of its first byte in the segment.
    typealias Located = (_ entry: JournalEntry, _ bytes: [UInt8], _ plate: Range<Int>, _ offset: Int) -> Void

    /// `read(segment:)` with each record's offset (what `SegmentIndex` keeps).
    mutating func read(segment path: String, located body: Located) throws(JournalReadError) -> Int? {
        let b: [UInt8]
        do {
            guard let data = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readToEnd() else {
                b = []
                damaged(path, 0, 0, .badHeader, "empty file")
                return nil
            }
            b = [UInt8](data)
        } catch {
            throw JournalReadError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        summary.segments += 1
        summary.bytes += b.count
        guard JournalFormat.hasMagic(b), b.count >= JournalFormat.headerBytes else {
            damaged(path, 0, b.count, .badHeader, "no MWJOURNL header: not a journal segment")
            return nil
        }
        var at = JournalFormat.headerBytes
        var recordsEnd = at
        while at < b.count {
            let stop = walk(b, from: at, base: 0, body)
            if stop > at { recordsEnd = stop }
            at = stop
            guard at < b.count else { break }
            let problem = JournalFormat.record(b, at: at).problem ?? ""
            // Zeros after the last record end the records, they are no damage: a crash can
            // leave a file's new size on disk without its data (XFS, ext4 without
            // data=ordered), and those writes were never synced, so never acknowledged.
            let end = Self.dataEnd(b, from: at)
            if end == at { break }
            // Find the next valid record; none: the tail was torn.
            var next = at + 1
            while next < end, JournalFormat.record(b, at: next).payload == nil { next += 1 }
            if next >= end {
                damaged(path, at, end - at, .tornTail, problem)
                break
            }
            damaged(path, at, next - at, .badRecord, problem)
            at = next
        }
        return recordsEnd
    }

    /// Reads what was appended to a segment since `offset` (where `read(segment:)` or an
    /// earlier call said its records end) and returns where the records end now. Reads a
    /// block at a time and stops at the first place that holds no record yet — zeros after
    /// the last record, a record still being written — so a segment the gateway is
    /// writing costs what was added to it, not its 64 MB. Bytes there that are neither zeros
    /// nor the end of the file are reported as a torn tail (a kill mid-write, or a write
    /// seen half done); the next call reads them again.
    mutating func readAppended(segment path: String, from offset: Int, _ body: Located) throws(JournalReadError) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw JournalReadError(path: path, reason: "cannot open (removed by retention?)")
        }
        defer { try? handle.close() }
        var base = offset
        while true {
            let block: [UInt8]
            do {
                try handle.seek(toOffset: UInt64(base))
                block = [UInt8](try handle.read(upToCount: Self.appendBlockBytes) ?? Data())
            } catch {
                throw JournalReadError(path: path, reason: "cannot read at offset \(base): \(error.localizedDescription)")
            }
            summary.bytes += block.count
            let stop = walk(block, from: 0, base: base, body)
            let lastBlock = block.count < Self.appendBlockBytes
            // A record cut by the block's end is read whole from the next block.
            if !lastBlock, stop > block.count - Self.maxRecordBytes {
                base += stop
                continue
            }
            base += stop
            guard stop < block.count else { return base }
            let end = Self.dataEnd(block, from: stop)
            if end > stop {
                damaged(path, base, end - stop, .tornTail,
                        (JournalFormat.record(block, at: stop).problem ?? "") + " (read again when the segment changes)")
            }
            return base
        }
    }

    /// The end of `b`'s bytes once trailing zeros are cut, not before `at`. Every record has
    /// a non-zero byte in its first two (its length), so none starts past it.
    private static func dataEnd(_ b: [UInt8], from at: Int) -> Int {
        var end = b.count
        while end > at, b[end - 1] == 0 { end -= 1 }
        return end
    }

    static let appendBlockBytes = 1 << 20
    static let maxRecordBytes = JournalFormat.frameBytes + JournalFormat.fixedPayload + JournalFormat.maxPlateBytes

    /// The one loop over a segment's records: calls `body` for each valid record of `b` from
    /// `at` on (`base`: the file offset of `b[0]`) and returns the offset in `b` of the first
    /// byte that is no record, or `b.count`.
    private mutating func walk(_ b: [UInt8], from at: Int, base: Int, _ body: Located) -> Int {
        var at = at
        while at < b.count {
            let r = JournalFormat.record(b, at: at)
            guard let p = r.payload else { break }
            summary.records += 1
            body(p.entry, b, p.plate, base + at)
            at = r.next
        }
        return at
    }

    /// The zone a day's segments were cut in (their header), for writing its times.
    public static func clock(ofDay dir: String) throws(JournalReadError) -> LocalClock {
        guard let first = JournalDay.segments(in: dir).first else { return .shanghai }
        guard let h = FileHandle(forReadingAtPath: first) else { throw JournalReadError(path: first, reason: "cannot open") }
        defer { try? h.close() }
        let b = [UInt8](h.readData(ofLength: JournalFormat.headerBytes))
        guard b.count == JournalFormat.headerBytes, JournalFormat.hasMagic(b) else { return .shanghai }
        return LocalClock(offsetSeconds: Int64(Int32(bitPattern: JournalFormat.u32(b, 12))))
    }

    /// Every segment of a day directory (or the one segment `dir` names), in the order written.
    public mutating func read(day dir: String,
                              _ body: (_ entry: JournalEntry, _ bytes: [UInt8], _ plate: Range<Int>) -> Void)
        throws(JournalReadError) {
        for s in JournalDay.segments(of: dir) ?? [] { try read(segment: s, body) }
    }

    private mutating func damaged(_ path: String, _ offset: Int, _ bytes: Int, _ kind: JournalDamage.Kind, _ detail: String) {
        summary.damage.append(JournalDamage(path: path, offset: offset, bytes: bytes, kind: kind, detail: detail))
    }

    /// A day's fixes with their vehicles interned in `plates` (batch input, replay):
    /// `Fix.file` = `fileIndex`, `Fix.line` = the record's number in the day (1-based).
    public static func fixes(day dir: String, fileIndex: Int32 = 0, plates: inout PlateTable,
                             entries: inout [JournalEntry]) throws(JournalReadError) -> Summary {
        var reader = JournalReader()
        var cache = PlateBytes()
        var n: Int32 = 0
        try reader.read(day: dir) { e, bytes, plate in
            var e = e
            n += 1
            e.fix.vehicle = cache.vehicle(of: e, bytes, plate, plates: &plates)
            e.fix.file = fileIndex
            e.fix.line = n
            entries.append(e)
        }
        return reader.summary
    }
}

/// Why a journal could not be read at all (a damaged record is `JournalDamage`, not this).
public struct JournalReadError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// A record's plate → vehicle index, looked up by its terminal phone and checked against
/// the plate bytes, so reading a day makes one string per truck, not per record.
struct PlateBytes {
    private struct Phone: Hashable {
        var high: UInt16
        var low: UInt64
    }
    private var known: [Phone: (plate: [UInt8], vehicle: Int32)] = [:]

    mutating func vehicle(of e: JournalEntry, _ b: [UInt8], _ r: Range<Int>, plates: inout PlateTable) -> Int32 {
        let phone = Phone(high: e.phoneHigh, low: e.phoneLow)
        if let k = known[phone], k.plate.elementsEqual(b[r]) { return k.vehicle }
        let key = Array(b[r])
        let v = plates.intern(String(decoding: key, as: UTF8.self))
        known[phone] = (key, v)
        return v
    }
}
