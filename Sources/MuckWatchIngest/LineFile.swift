import Foundation
import MuckWatchCore

/// Reads a line-oriented file (JSON Lines) piece by piece, so a large file never sits in
/// memory whole: a city night's camera file is ~100 MB of JSON per 10M fixes, and reading
/// it whole (as `Data`, then as bytes) held twice that at the start of a run, next to
/// the traces being read. Line numbers are physical and absolute, as a whole read gives.
enum LineFile {
    /// Calls `body` with every non-blank line (trimmed of blanks and CR) of the file, in
    /// order: the bytes of the current piece, the 1-based line number, and the line's
    /// start and end in those bytes. A UTF-8 byte order mark at the start is skipped.
    static func forEachLine(_ path: String, pieceBytes: Int = 4 << 20,
                            _ body: (ByteSpan, Int, Int, Int) -> Void) throws(IngestError) {
        try FileBytes.requireFile(path)
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: "permission denied or I/O error") }
        defer { close(fd) }
        let room = max(pieceBytes, 16)
        var buffer = [UInt8](repeating: 0, count: room)
        var filled = 0
        var line = 1
        var first = true
        var atEOF = false
        while !atEOF {
            if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }  // a line longer than the piece
            let n = buffer.read(from: fd, at: filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { atEOF = true } else { filled += n }
            let end: Int = buffer.withByteSpan { all in
                let b = all.extracting(0..<filled)
                // Whole lines only, unless the file has ended.
                var end = filled
                if !atEOF {
                    while end > 0, b[end - 1] != 0x0A { end -= 1 }
                }
                guard end > 0 else { return 0 }
                let part = b.extracting(0..<end)
                let start = first && end >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0
                first = false
                JSONLinesTraceParser.forEachLine(part, from: start, firstLine: line) { l, s, e in body(part, l, s, e) }
                line += part.count(of: 0x0A, from: 0, to: end)
                return end
            }
            // Keep the partial last line for the next piece.
            guard end > 0 else { continue }
            let rest = filled - end
            for k in 0..<rest { buffer[k] = buffer[end + k] }
            filled = rest
        }
    }
}
