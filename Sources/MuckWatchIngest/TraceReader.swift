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

    public static func read(_ path: String) throws(IngestError) -> [UInt8] {
        try requireFile(path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "permission denied or I/O error")
        }
        return [UInt8](data)
    }
}
