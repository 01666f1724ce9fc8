import Foundation
import MuckWatchCore

/// Reads GPS traces (contract section 1): CSV or JSON Lines, told apart by content.
public enum TraceReader {
    /// Appends the file's good fixes to `fixes` and its bad rows to `rejects`; returns the
    /// number of data rows read. Throws only when the file as a whole is unusable.
    public static func read(path: String, fileIndex: Int32, plates: inout PlateTable, fixes: inout [Fix],
                            rejects: inout [Reject]) throws(IngestError) -> Int {
        let bytes = try FileBytes.read(path)
        fixes.reserveCapacity(fixes.count + bytes.count / 56)
        var cache = PlateCache(plates)
        defer { plates = cache.table }
        return try bytes.withUnsafeBufferPointer { (b: UnsafeBufferPointer<UInt8>) throws(IngestError) -> Int in
            var i = 0
            if b.count >= 3, b[0] == 0xEF, b[1] == 0xBB, b[2] == 0xBF { i = 3 }
            var j = i
            while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
            if j < b.count, b[j] == 0x7E {
                throw .unsupportedFormat(path: path, reason: "looks like a JT/T 808 capture, which this version cannot read yet")
            }
            if j < b.count, b[j] == UInt8(ascii: "{") {
                return JSONLinesTraceParser.parse(b, from: i, path: path, file: fileIndex, plates: &cache,
                                                  fixes: &fixes, rejects: &rejects)
            }
            return try CSVTraceParser.parse(b, from: i, path: path, file: fileIndex, plates: &cache,
                                            fixes: &fixes, rejects: &rejects)
        }
    }
}

enum FileBytes {
    static func read(_ path: String) throws(IngestError) -> [UInt8] {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .fileNotFound(path: path) }
        guard !isDir.boolValue else { throw .unreadable(path: path, reason: "is a directory, expected a file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        return [UInt8](data)
    }
}
