import Foundation
import MuckWatchCore

/// CSV traces: a header row naming the columns (any order, unknown ones ignored),
/// RFC 4180 quoting, LF or CRLF. Line numbers are physical lines, header = line 1.
enum CSVTraceParser {
    /// Where each wanted column sits in the header.
    struct Header {
        var width: Int
        /// `TraceColumn.rawValue` for each header field, `-1` for columns MuckWatch ignores.
        var columnOf: [Int]
    }

    /// Reads the header row at `start`; returns it and the byte position after it.
    static func header(_ b: UnsafeBufferPointer<UInt8>, from start: Int, path: String) throws(IngestError) -> (Header, Int) {
        var cursor = CSVCursor(b, start)
        var fieldStart: [Int] = [], fieldEnd: [Int] = []
        guard cursor.nextRecord(&fieldStart, &fieldEnd) else {
            throw .unsupportedFormat(path: path, reason: "empty file: expected a CSV header or JSON Lines")
        }
        let width = fieldStart.count
        var columnOf = [Int](repeating: -1, count: width)
        var seen = Set<TraceColumn>()
        for k in 0..<width {
            let (s, e) = CSVCursor.trimmed(b, fieldStart[k], fieldEnd[k])
            if let c = TraceColumn.match(b, s, e) { columnOf[k] = c.rawValue; seen.insert(c) }
        }
        for c in [TraceColumn.vehicleID, .time, .lon, .lat] where !seen.contains(c) {
            let header = String(decoding: UnsafeBufferPointer(rebasing: b[start..<min(cursor.position, b.count)]), as: UTF8.self)
                .trimmingCharacters(in: .newlines)
            throw .unsupportedFormat(path: path, reason: "CSV header has no '\(c.key)' column (header: \(header.prefix(120)))")
        }
        return (Header(width: width, columnOf: columnOf), cursor.position)
    }

    /// Parses the data records in `b[start...]`, whose first physical line is `firstLine`.
    static func records(_ b: UnsafeBufferPointer<UInt8>, from start: Int, firstLine: Int, header: Header, path: String,
                        file: Int32, plates: inout PlateCache, fixes: inout [Fix], rejects: inout [Reject]) -> Int {
        var cursor = CSVCursor(b, start, line: firstLine)
        var fieldStart: [Int] = [], fieldEnd: [Int] = []
        let width = header.width
        // Field positions of the current record: room for one more than the header has,
        // which is enough to tell a row of the right width from a wrong one.
        let capacity = width + 1
        let starts = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        let ends = UnsafeMutablePointer<Int>.allocate(capacity: capacity)
        defer { starts.deallocate(); ends.deallocate() }
        var wanted: [(field: Int, column: Int)] = []
        for k in 0..<width where header.columnOf[k] >= 0 { wanted.append((k, header.columnOf[k])) }
        var row = FixRow()
        var rows = 0
        while true {
            let line = cursor.line
            var n = cursor.nextPlainRecord(starts, ends, capacity: capacity)
            if n == CSVCursor.endOfData { break }
            if n == CSVCursor.quoted {
                guard cursor.nextRecord(&fieldStart, &fieldEnd) else { break }
                n = fieldStart.count
                for k in 0..<min(n, capacity) { starts[k] = fieldStart[k]; ends[k] = fieldEnd[k] }
            }
            if n == 1 && CSVCursor.isBlank(b, starts[0], ends[0]) { continue }
            rows += 1
            guard n == width else {
                rejects.append(Reject(file: path, line: line,
                                      reason: "expected \(width) fields, found \(n)\(n < width ? " (truncated line?)" : "")"))
                continue
            }
            row.clear()
            for (f, c) in wanted {
                row.start[c] = starts[f]
                row.end[c] = ends[f]
            }
            let (fix, reason) = row.decode(b, plates: &plates, file: file, line: line)
            if let fix { fixes.append(fix) } else { rejects.append(Reject(file: path, line: line, reason: reason ?? "unreadable row")) }
        }
        return rows
    }

    /// The end of the last complete record in `b[start..<end]` (just after its newline,
    /// outside quotes), or `nil` when there is none yet.
    static func lastRecordEnd(_ b: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < b.count, let base = b.baseAddress else { return nil }
        if memchr(base + start, 0x22, b.count - start) == nil {
            // No quotes at all (the usual case): the last newline ends the last record.
            var i = b.count
            while i > start { if b[i - 1] == 0x0A { return i }; i -= 1 }
            return nil
        }
        var inQuotes = false
        var cut: Int?
        var i = start
        while i < b.count {
            let c = b[i]
            if c == 0x22 { inQuotes.toggle() } else if c == 0x0A && !inQuotes { cut = i + 1 }
            i += 1
        }
        return cut
    }
}

/// Walks CSV records over bytes, counting physical lines (a quoted field may span lines).
/// Quoted fields are reported without their quotes; doubled quotes inside are left as
/// they are, which only matters for text columns (plates) and is undone there.
struct CSVCursor {
    let b: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    /// Physical line number of the record that `nextRecord` will read next.
    private(set) var line = 1

    init(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, line: Int = 1) {
        self.b = b
        position = start
        self.line = line
    }

    /// `nextPlainRecord` at the end of the bytes.
    static let endOfData = -1
    /// `nextPlainRecord` met a quoted field: read this record with `nextRecord`.
    static let quoted = -2

    /// The common record, with no quoted field, read without growing arrays: stores up to
    /// `capacity` field positions (more are counted, not stored) and returns the field
    /// count, `endOfData`, or `quoted` (nothing consumed). Same fields as `nextRecord`.
    mutating func nextPlainRecord(_ starts: UnsafeMutablePointer<Int>, _ ends: UnsafeMutablePointer<Int>,
                                  capacity: Int) -> Int {
        let count = b.count
        guard position < count else { return CSVCursor.endOfData }
        var i = position
        var n = 0
        while true {
            if i < count, b[i] == 0x22 { return CSVCursor.quoted }
            let s = i
            i = CSVCursor.fieldEnd(b, from: i)
            var e = i
            if e > s, b[e - 1] == 0x0D { e -= 1 }
            if n < capacity {
                starts[n] = s
                ends[n] = e
            }
            n += 1
            if i >= count { position = count; line += 1; return n }
            if b[i] == 0x0A { position = i + 1; line += 1; return n }
            i += 1  // comma
        }
    }

    /// The first comma or newline at or after `from` (or the end), eight bytes at a time:
    /// a byte equal to the one sought becomes zero after the XOR, and the classic
    /// "has a zero byte" test flags it; the lowest flag is always a true match.
    @inline(__always)
    static func fieldEnd(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var i = from
        let count = b.count
        if let base = b.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= count {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let c = w ^ (ones &* 0x2C), n = w ^ (ones &* 0x0A)
                let hit = ((c &- ones) & ~c | (n &- ones) & ~n) & highs
                if hit != 0 { return i + hit.trailingZeroBitCount / 8 }
                i += 8
            }
        }
        while i < count, b[i] != 0x2C, b[i] != 0x0A { i += 1 }
        return i
    }

    mutating func nextRecord(_ starts: inout [Int], _ ends: inout [Int]) -> Bool {
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        guard position < b.count else { return false }
        var i = position
        while true {
            if i < b.count, b[i] == 0x22 {
                i += 1
                let s = i
                while i < b.count {
                    if b[i] == 0x22 {
                        if i + 1 < b.count, b[i + 1] == 0x22 { i += 2; continue }
                        break
                    }
                    if b[i] == 0x0A { line += 1 }
                    i += 1
                }
                starts.append(s)
                ends.append(min(i, b.count))
                if i < b.count { i += 1 }
                while i < b.count, b[i] != 0x2C, b[i] != 0x0A { i += 1 }
            } else {
                let s = i
                while i < b.count, b[i] != 0x2C, b[i] != 0x0A { i += 1 }
                var e = i
                if e > s, b[e - 1] == 0x0D { e -= 1 }
                starts.append(s)
                ends.append(e)
            }
            if i >= b.count { position = b.count; line += 1; return true }
            if b[i] == 0x0A { position = i + 1; line += 1; return true }
            i += 1  // comma
        }
    }

    static func trimmed(_ b: UnsafeBufferPointer<UInt8>, _ s0: Int, _ e0: Int) -> (Int, Int) {
        var s = s0, e = e0
        while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0D { e -= 1 }
        return (s, e)
    }

    static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        let (a, z) = trimmed(b, s, e)
        return a == z
    }
}
