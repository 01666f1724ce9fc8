#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import MuckWatchCore

/// Why an output file could not be written, naming the file and the system's reason.
public enum OutputError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason): return "cannot write \(path): \(reason)"
        }
    }
}

/// Replaces a file all at once: readers (and a crash) see the old file or the new one, never half.
///
/// Writes a temporary file in the same directory (so `rename(2)` stays on one file system
/// and is atomic), flushes it to disk, then renames it over the target. The temp file is
/// removed on any failure.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws(OutputError) {
        let slash = path.lastIndex(of: "/")
        let dir = slash.map { String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let temp = (dir.isEmpty ? "" : dir + "/") + "." + name + ".tmp-" + String(getpid()) + "-"
            + String(UInt32.random(in: 0...UInt32.max), radix: 16)

        func failure(_ what: String, _ err: Int32) -> OutputError {
            .cannotWrite(path: path, reason: what + ": " + String(cString: strerror(err)))
        }

        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw failure("creating a temporary file in \(dir)", errno) }
        var ok = false
        defer { if !ok { unlink(temp) } }

        let writeError = RecordIO.writeAll(bytes, to: fd)
        if writeError != 0 {
            close(fd)
            throw failure("writing", writeError)
        }
        if fsync(fd) != 0 {
            let e = errno
            close(fd)
            throw failure("flushing to disk", e)
        }
        if close(fd) != 0 { throw failure("closing", errno) }
        if rename(temp, path) != 0 { throw failure("renaming the temporary file into place", errno) }
        ok = true
    }
}
