import Foundation
public import MuckWatchCore

/// Reads GPS traces (contract section 1): CSV or JSON Lines, told apart by content.
public enum TraceReader {
    /// Appends the file's good fixes to `fixes` and its bad rows to `rejects`; returns the
    /// number of data rows read. Throws only when the file as a whole is unusable.
    public static func read(path: String, fileIndex: Int32, plates: inout PlateTable, fixes: inout [Fix],
                            rejects: inout [Reject]) throws(IngestError) -> Int {
        var stream = try TraceStream(path: path, fileIndex: fileIndex)
        while try stream.next(plates: &plates, fixes: &fixes, rejects: &rejects) {}
        return stream.rows
    }
}

/// Whole files as bytes, with the errors a user can act on.
public enum FileBytes {
    /// Throws the error a user can act on when `path` is missing or a folder.
    static func requireFile(_ path: String) throws(IngestError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { throw .fileNotFound(path: path) }
        guard !isDir.boolValue else { throw .unreadable(path: path, reason: "is a directory, expected a file") }
    }

    /// The first byte that is not a blank or a byte order mark, from the file's first 64 KB;
    /// `nil` for a file that is blank there. Tells a JSON array from JSON Lines without
    /// reading the file.
    static func firstSignificantByte(_ path: String) throws(IngestError) -> UInt8? {
        try requireFile(path)
        guard let h = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 64 << 10)) ?? Data()
        return head.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    }

    public static func read(_ path: String) throws(IngestError) -> [UInt8] {
        try requireFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        return [UInt8](data)
    }
}
