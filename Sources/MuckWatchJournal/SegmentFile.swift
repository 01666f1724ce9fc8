#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a segment could not be written: the system call, its errno and the file. What the
/// gateway logs and shows in `/readyz` while it stops acknowledging.
public struct JournalFailure: Error, Sendable, Equatable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32
    public var path: String

    public init(operation: String, errno: Int32, path: String) {
        self.operation = operation
        self.errno = errno
        self.path = path
    }

    public var description: String {
        "\(path): \(operation) failed: \(String(cString: strerror(errno))) (errno \(errno)); "
            + "fixes are not acknowledged until it can be written (free space, fix permissions or the disk)"
    }
}

/// The one type of the journal that holds a file descriptor and calls the system: an
/// append-only segment written with `pwrite` at its committed length and made durable
/// with `fdatasync`.
///
/// Invariants (tested in `SegmentFileTests`): `committed` is the length of the file's
/// durable prefix, every byte below it written and synced; a failed write or sync is
/// followed by `rollBack`, which truncates the file to `committed`, so bytes that did
/// not commit can never be read as records after bytes that did; nothing is ever
/// written below `committed`.
final class SegmentFile {
    let path: String
    private var fd: Int32
    private(set) var committed: Int

    /// Creates `path` (which must not exist), writes `header` and syncs it and its directory.
    init(creating path: String, header: [UInt8]) throws(JournalFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalFailure(operation: "open", errno: errno, path: path) }
        committed = 0
        do {
            try write(header)
            try sync()
            try Self.syncDirectory(of: path)
        } catch {
            // `close()`, not a bare close(2): a class whose initializer throws once every
            // property is set is deinitialized, and `deinit` closes `fd` too. Closing it twice
            // closed whatever the process had opened under that number since (libdispatch's
            // event descriptor: the test process crashed in `_dispatch_event_loop_drain`).
            close()
            unlink(path)
            throw error
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Bytes written after `committed` and not yet synced.
    private var pendingBytes = 0

    /// Writes `bytes` after what is written so far (not yet durable: `sync` commits).
    func write(_ bytes: [UInt8]) throws(JournalFailure) {
        var done = 0
        while done < bytes.count {
            let at = off_t(committed + pendingBytes + done)
            let n = bytes.withUnsafeBytes { raw in pwrite(fd, raw.baseAddress! + done, raw.count - done, at) }
            if n < 0 {
                if errno == EINTR { continue }
                throw JournalFailure(operation: "write", errno: errno, path: path)
            }
            done += n
        }
        pendingBytes += done
    }

    /// Makes what `write` wrote durable; it then belongs to the committed prefix.
    func sync() throws(JournalFailure) {
        guard fdatasync(fd) == 0 else { throw JournalFailure(operation: "fdatasync", errno: errno, path: path) }
        committed += pendingBytes
        pendingBytes = 0
    }

    /// Forgets what was written since the last commit: truncates the file to `committed`.
    func rollBack() throws(JournalFailure) {
        pendingBytes = 0
        while ftruncate(fd, off_t(committed)) != 0 {
            if errno == EINTR { continue }
            throw JournalFailure(operation: "ftruncate", errno: errno, path: path)
        }
    }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Creates a directory unless it exists (its parent must).
    static func makeDirectory(_ path: String) throws(JournalFailure) {
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else {
            throw JournalFailure(operation: "mkdir", errno: errno, path: path)
        }
    }

    /// A new file's name survives a crash only once its directory is synced.
    static func syncDirectory(of path: String) throws(JournalFailure) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let d = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard d >= 0 else { throw JournalFailure(operation: "open directory", errno: errno, path: dir) }
        defer { Glibc.close(d) }
        guard fsync(d) == 0 else { throw JournalFailure(operation: "fsync directory", errno: errno, path: dir) }
    }
}
