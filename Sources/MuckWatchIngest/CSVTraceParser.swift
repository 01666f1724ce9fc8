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
    static func header(_ b: ByteSpan, from start: Int, path: String) throws(IngestError) -> (Header, Int) {
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
            let header = b.extracting(start..<min(cursor.position, b.count)).text
                .trimmingCharacters(in: .newlines)
            throw .unsupportedFormat(path: path, reason: "CSV header has no '\(c.key)' column (header: \(header.prefix(120)))")
        }
        return (Header(width: width, columnOf: columnOf), cursor.position)
    }

    /// Parses the data records in `b[start...]`, whose first physical line is `firstLine`.
    static func records(_ b: ByteSpan, from start: Int, firstLine: Int, header: Header, path: String,
                        file: Int32, plates: inout PlateCache, fixes: inout [Fix], rejects: inout [Reject]) -> Int {
        var cursor = CSVCursor(b, start, line: firstLine)
        var fieldStart: [Int] = [], fieldEnd: [Int] = []
        let width = header.width
        let columnOf = header.columnOf
        var row = FixRow()
        var rows = 0
        while true {
            let line = cursor.line
            // The wanted fields go straight into the row as they are found.
            row.clear()
            var n = cursor.nextPlainRecord(into: &row, columnOf: columnOf)
            if n == CSVCursor.endOfData { break }
            var first = cursor.firstField
            if n == CSVCursor.quoted {
                guard cursor.nextRecord(&fieldStart, &fieldEnd) else { break }
                n = fieldStart.count
                first = fieldStart[0]..<fieldEnd[0]
                row.clear()
                for k in 0..<min(n, width) where columnOf[k] >= 0 {
                    row.start[columnOf[k]] = fieldStart[k]
                    row.end[columnOf[k]] = fieldEnd[k]
                }
            }
            if n == 1 && CSVCursor.isBlank(b, first.lowerBound, first.upperBound) { continue }
            rows += 1
            guard n == width else {
                rejects.append(Reject(file: path, line: line,
                                      reason: "expected \(width) fields, found \(n)\(n < width ? " (truncated line?)" : "")",
                                      plate: row.plate(b)))
                continue
            }
            let (fix, reason) = row.decode(b, plates: &plates, file: file, line: line)
            if let fix {
                fixes.append(fix)
            } else {
                rejects.append(Reject(file: path, line: line, reason: reason ?? "unreadable row", plate: row.plate(b)))
            }
        }
        return rows
    }

    /// The end of the last complete record in `b[start..<end]` (just after its newline,
    /// outside quotes), or `nil` when there is none yet.
    static func lastRecordEnd(_ b: ByteSpan, from start: Int) -> Int? {
        guard start < b.count else { return nil }
        if b.firstIndex(of: 0x22, from: start, to: b.count) == nil {
            // No quotes at all (the usual case): the last newline ends the last record.
            return b.lastIndex(of: 0x0A, from: start).map { $0 + 1 }
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
    let b: ByteSpan
    private(set) var position: Int
    /// The first field of the record `nextPlainRecord` read last (to tell a blank line).
    private(set) var firstField = 0..<0
    /// Physical line number of the record that `nextRecord` will read next.
    private(set) var line = 1

    init(_ b: ByteSpan, _ start: Int, line: Int = 1) {
        self.b = b
        position = start
        self.line = line
    }

    /// `nextPlainRecord` at the end of the bytes.
    static let endOfData = -1
    /// `nextPlainRecord` met a quoted field: read this record with `nextRecord`.
    static let quoted = -2

    /// The common record, with no quoted field, read without growing arrays: puts the
    /// positions of the fields `columnOf` maps to a column (`-1`: ignored; fields past its
    /// end are counted, not stored) into `row`, and returns the field count, `endOfData`,
    /// or `quoted` (nothing consumed, `row` partly filled). Same fields as `nextRecord`.
    mutating func nextPlainRecord(into row: inout FixRow, columnOf: [Int]) -> Int {
        let count = b.count
        guard position < count else { return CSVCursor.endOfData }
        let width = columnOf.count
        var i = position
        var n = 0
        while true {
            if i < count, b[i] == 0x22 { return CSVCursor.quoted }
            let s = i
            i = CSVCursor.fieldEnd(b, from: i)
            var e = i
            if e > s, b[e - 1] == 0x0D { e -= 1 }
            if n == 0 { firstField = s..<e }
            if n < width, case let c = columnOf[n], c >= 0 {
                row.start[c] = s
                row.end[c] = e
            }
            n += 1
            if i >= count { position = count; line += 1; return n }
            if b[i] == 0x0A { position = i + 1; line += 1; return n }
            i += 1  // comma
        }
    }

    /// The first comma or newline at or after `from` (or the end).
    @inline(__always)
    static func fieldEnd(_ b: ByteSpan, from: Int) -> Int { b.firstIndex(of: 0x2C, or: 0x0A, from: from) }

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

    static func trimmed(_ b: ByteSpan, _ s0: Int, _ e0: Int) -> (Int, Int) {
        var s = s0, e = e0
        while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0D { e -= 1 }
        return (s, e)
    }

    static func isBlank(_ b: ByteSpan, _ s: Int, _ e: Int) -> Bool {
        let (a, z) = trimmed(b, s, e)
        return a == z
    }
}
