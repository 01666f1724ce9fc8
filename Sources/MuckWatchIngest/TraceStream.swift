import Foundation
public import MuckWatchCore

/// Reads a traces file in chunks, so a night of any size passes through a bounded
/// amount of memory: each `next` parses the complete records of the next chunk and
/// carries the partial last record over. Line numbers stay physical and absolute.
public struct TraceStream {
    enum Format: Sendable {
        case undetermined
        case csv(CSVTraceParser.Header)
        case jsonLines
    }

    public let path: String
    public let fileIndex: Int32
    /// Data rows seen so far (for `fixes_read`).
    public private(set) var rows = 0
    private let handle: FileHandle
    private let chunkBytes: Int
    /// Memory of pieces already parsed, read into again.
    private let pool = ChunkBytesPool()
    private var carry: [UInt8] = []
    /// Physical line number of the first byte of `carry`.
    private var line = 1
    private var format = Format.undetermined
    private var atEOF = false
    private var cache: PlateCache?

    public init(path: String, fileIndex: Int32, chunkBytes: Int = 32 << 20) throws(IngestError) {
        try FileBytes.requireFile(path)
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        self.path = path
        self.fileIndex = fileIndex
        handle = h
        self.chunkBytes = max(chunkBytes, 16)
    }

    /// Parses the next chunk into `fixes` and `rejects`; `false` once the file is done.
    /// A JT/T 808 capture is refused here: decoding one needs the terminals' registry.
    public mutating func next(plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) throws(IngestError) -> Bool {
        guard let chunk = try nextChunk() else { return false }
        if chunk.isCapture { throw .captureWithoutTerminals(path: path) }
        var local = cache ?? PlateCache(plates)
        rows += chunk.parse(plates: &local, fixes: &fixes, rejects: &rejects)
        plates = local.table
        cache = local
        return true
    }

    /// Cuts the next record-aligned chunk without parsing it, so chunks can be parsed on
    /// several cores (`TraceChunk.parse`, each with its own plate table). `nil` at the end.
    /// A JT/T 808 capture comes back whole as one chunk marked `isCapture`, for the caller
    /// to decode (`JT808CaptureReader`, with the vehicle registry's terminals).
    public mutating func nextChunk() throws(IngestError) -> TraceChunk? {
        guard !atEOF || !carry.isEmpty else { return nil }
        // A piece is its size plus the previous piece's partial last record: with an eighth
        // to spare, one size fits every piece, so the pool's memory is always reused.
        var buffer = pool.take(atLeast: carry.count + chunkBytes, allocating: chunkBytes + chunkBytes / 8 + carry.count)
        buffer.append(carry)
        carry.removeAll(keepingCapacity: true)
        // Read until the buffer holds at least one complete record (or the file ends), a
        // piece's worth at a time, straight into the buffer.
        let fd = handle.fileDescriptor
        repeat {
            var want = chunkBytes
            while want > 0 && !atEOF {
                if buffer.count == buffer.capacity {
                    // A record longer than the piece so far: continue in a larger one.
                    let larger = pool.take(atLeast: buffer.capacity * 2)
                    larger.append(buffer)
                    buffer = larger
                }
                let n = buffer.read(from: fd, limit: want)
                if n > 0 {
                    want -= n
                } else if n == 0 {
                    atEOF = true
                    pool.close()
                } else if errno != EINTR {
                    throw .unreadable(path: path, reason: String(cString: strerror(errno)))
                }
            }
        } while !atEOF && !buffer.withBytes({ recordEnd($0, from: 0) != nil })
        if case .undetermined = format,
           buffer.withBytes({ $0.allSatisfy { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 } }) {
            throw .unsupportedFormat(path: path, reason: "empty file: expected a CSV header, JSON Lines or a JT/T 808 capture")
        }
        if buffer.count == 0 { return nil }
        if case .undetermined = format, buffer.withBytes(Self.looksLikeCapture) {
            var whole = buffer.array
            if !atEOF {
                do { whole.append(contentsOf: try handle.readToEnd() ?? Data()) } catch {
                    throw .unreadable(path: path, reason: error.localizedDescription)
                }
                atEOF = true
            }
            return TraceChunk(bytes: ChunkBytes(whole), start: 0, end: whole.count, firstLine: 1, format: .undetermined,
                              path: path, fileIndex: fileIndex, isCapture: true)
        }
        let (start, end, firstLine, nextLine) = try buffer.withBytes {
            (b: ByteSpan) throws(IngestError) -> (Int, Int, Int, Int) in
            var start = 0
            var firstLine = line
            if case .undetermined = format {
                if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { start = 3 }
                var j = start
                while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: "{") {
                    format = .jsonLines
                } else {
                    let (header, after) = try CSVTraceParser.header(b, from: start, path: path)
                    format = .csv(header)
                    for k in start..<after where b[k] == 0x0A { firstLine += 1 }
                    start = after
                }
            }
            let end = atEOF ? b.count : (recordEnd(b, from: start) ?? start)
            // Keep the partial last record for the next piece.
            if end < b.count { carry.append(contentsOf: b.extracting(end..<b.count)) }
            return (start, end, firstLine, firstLine + b.count(of: 0x0A, from: start, to: end))
        }
        line = nextLine
        return TraceChunk(bytes: buffer, start: start, end: end, firstLine: firstLine, format: format, path: path,
                          fileIndex: fileIndex, isCapture: false)
    }

    /// Counts rows parsed outside `next` (by `TraceChunk.parse` on other threads).
    public mutating func count(rows n: Int) { rows += n }

    /// True when the first non-blank byte is the 0x7e flag: how `--traces` tells a
    /// JT/T 808 capture from CSV or JSON Lines by content.
    static func looksLikeCapture(_ bytes: ByteSpan) -> Bool {
        for c in bytes.prefix(4096) where c != 0x20 && c != 0x0A && c != 0x0D && c != 0x09 { return c == 0x7E }
        return false
    }

    private func recordEnd(_ b: ByteSpan, from start: Int) -> Int? {
        if case .jsonLines = format {
            return b.lastIndex(of: 0x0A, from: start).map { $0 + 1 }
        }
        return CSVTraceParser.lastRecordEnd(b, from: start)
    }
}

/// A record-aligned piece of a traces file: parse it anywhere, with any plate table.
public struct TraceChunk: Sendable {
    public let bytes: ChunkBytes
    let start: Int
    let end: Int
    let firstLine: Int
    let format: TraceStream.Format
    let path: String
    let fileIndex: Int32
    /// A whole JT/T 808 capture (binary: `bytes.array` is the file).
    public let isCapture: Bool

    /// Bytes of input in the chunk (for progress).
    public var byteCount: Int { end }

    public func parse(plates: inout PlateTable, fixes: inout [Fix], rejects: inout [Reject]) -> Int {
        var cache = PlateCache(plates)
        defer { plates = cache.table }
        return parse(plates: &cache, fixes: &fixes, rejects: &rejects)
    }

    /// Parses the chunk, interning plates through `plates` (a copy of one cache made from
    /// the run's table serves every chunk of a batch: see `ParallelParse`).
    public func parse(plates: inout PlateCache, fixes: inout [Fix], rejects: inout [Reject]) -> Int {
        fixes.reserveCapacity(fixes.count + (end - start) / 56)
        return bytes.withBytes { b in
            let part = b.extracting(0..<end)
            switch format {
            case .csv(let header):
                return CSVTraceParser.records(part, from: start, firstLine: firstLine, header: header, path: path,
                                              file: fileIndex, plates: &plates, fixes: &fixes, rejects: &rejects)
            case .jsonLines:
                return JSONLinesTraceParser.parse(part, from: start, firstLine: firstLine, path: path, file: fileIndex,
                                                  plates: &plates, fixes: &fixes, rejects: &rejects)
            case .undetermined:
                return 0
            }
        }
    }
}
