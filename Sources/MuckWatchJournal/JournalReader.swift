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
    public mutating func read(segment path: String,
                              _ body: (_ entry: JournalEntry, _ bytes: [UInt8], _ plate: Range<Int>) -> Void)
        throws(JournalReadError) {
        let b: [UInt8]
        do {
            guard let data = try FileHandle(forReadingFrom: URL(fileURLWithPath: path)).readToEnd() else {
                b = []
                return damaged(path, 0, 0, .badHeader, "empty file")
            }
            b = [UInt8](data)
        } catch {
            throw JournalReadError(path: path, reason: "cannot read: \(error.localizedDescription)")
        }
        summary.segments += 1
        summary.bytes += b.count
        guard JournalFormat.hasMagic(b), b.count >= JournalFormat.headerBytes else {
            return damaged(path, 0, b.count, .badHeader, "no MWJOURNL header: not a journal segment")
        }
        var at = JournalFormat.headerBytes
        while at < b.count {
            let r = JournalFormat.record(b, at: at)
            if let p = r.payload {
                summary.records += 1
                body(p.entry, b, p.plate)
                at = r.next
                continue
            }
            // Zeros after the last record end the records, they are no damage: a crash can
            // leave a file's new size on disk without its data (XFS, ext4 without
            // data=ordered), and those writes were never synced, so never acknowledged. Every record has a non-zero byte in
            // its first two (its length), so none starts past the last non-zero byte.
            var end = b.count
            while end > at, b[end - 1] == 0 { end -= 1 }
            if end == at { break }
            // Find the next valid record; none: the tail was torn.
            var next = at + 1
            while next < end, JournalFormat.record(b, at: next).payload == nil { next += 1 }
            if next >= end {
                damaged(path, at, end - at, .tornTail, r.problem ?? "")
                break
            }
            damaged(path, at, next - at, .badRecord, r.problem ?? "")
            at = next
        }
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
