#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import MuckWatchCore

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
/// A segment is either created empty (it grows with each commit) or **prepared ahead** as
/// a spare: its header, then zeros up to `capacity`, written a step at a time between
/// commits and synced, then renamed into its day when the writer needs a new segment.
/// Commits into a prepared segment overwrite blocks that already exist, so the file's size
/// and extents never change and `fdatasync` writes data only. An appending commit changes
/// the size, and ext4 (data=ordered) then commits its filesystem journal, which first
/// writes out every other file's newly written blocks — the case store's WAL on the same
/// disk — so each fix commit waited for the store's writes and the store's writes for it
/// (docs/journal.md, "Preallocated segments", has the measurement).
///
/// Invariants (tested in `SegmentFileTests`): `committed` is the length of the file's
/// durable prefix, every byte below it written and synced; a failed write or sync is
/// followed by `rollBack`, which truncates the file to `committed`, so bytes that did
/// not commit can never be read as records after bytes that did; nothing is ever
/// written below `committed`; a prepared segment's bytes past `committed` are zeros
/// (what a reader takes for the end), and `close` cuts them off.
final class SegmentFile {
    private(set) var path: String
    private var fd: Int32
    private(set) var committed: Int
    /// The zero-filled length of a prepared segment (0 for one created empty).
    private let capacity: Int
    /// How much of `capacity` is written so far (a spare in preparation).
    private var filled: Int

    /// Creates `path` (which must not exist), writes `header` and syncs it and its directory.
    init(creating path: String, header: [UInt8]) throws(JournalFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalFailure(operation: "open", errno: errno, path: path) }
        committed = 0
        capacity = 0
        filled = 0
        do {
            try write(header)
            try sync()
            try Self.syncDirectory(of: path)
        } catch {
            // `close()`, not a bare close(2): a class whose initializer throws once every
            // property is set is deinitialized, and `deinit` closes `fd` too. Closing it twice
            // closed whatever the process had opened under that number since (libdispatch's
            // event descriptor: the test process crashed in `_dispatch_event_loop_drain`).
            discard()
            throw error
        }
    }

    /// Starts a spare at `path` (which must not exist): `header` now, the zeros up to
    /// `capacity` by `prepare(step:)`. Not durable, and not a segment, until `place(at:)`.
    init(preparing path: String, header: [UInt8], capacity: Int) throws(JournalFailure) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw JournalFailure(operation: "open", errno: errno, path: path) }
        committed = header.count
        self.capacity = max(capacity, header.count)
        filled = 0
        do throws(JournalFailure) {
            try pwriteAll(header, at: 0)
            filled = header.count
        } catch {
            discard()
            throw error
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Prepared ahead (a spare, or placed from one), not growing with its commits.
    var isPreallocated: Bool { capacity > 0 }

    /// True once every zero is written and synced: `place(at:)` may take it.
    private(set) var isPrepared = false

    /// Writes up to `step` more zeros of a spare and starts their writeback, so the last
    /// step's sync finds little left to write; the last step syncs. Returns `isPrepared`.
    func prepare(step: Int) throws(JournalFailure) -> Bool {
        guard capacity > 0, !isPrepared else { return isPrepared }
        if filled < capacity {
            let n = min(step, capacity - filled)
            try pwriteAll(Self.zeros(n), at: filled)
            // Starts writing the step out now (Linux: DONTNEED writes dirty pages back before
            // dropping them), instead of the whole spare at the final sync.
            _ = posix_fadvise(fd, off_t(filled), off_t(n), POSIX_FADV_DONTNEED)
            filled += n
        }
        if filled == capacity {
            guard fdatasync(fd) == 0 else { throw JournalFailure(operation: "fdatasync", errno: errno, path: path) }
            isPrepared = true
        }
        return isPrepared
    }

    /// Moves a prepared spare to `newPath` (the writer's next segment) and makes the name durable.
    func place(at newPath: String) throws(JournalFailure) {
        precondition(isPrepared, "placing a spare that is not prepared")
        guard rename(path, newPath) == 0 else { throw JournalFailure(operation: "rename", errno: errno, path: newPath) }
        path = newPath
        try Self.syncDirectory(of: newPath)
    }

    /// Bytes written after `committed` and not yet synced.
    private var pendingBytes = 0

    /// Writes `bytes` after what is written so far (not yet durable: `sync` commits).
    func write(_ bytes: [UInt8]) throws(JournalFailure) {
        try pwriteAll(bytes, at: committed + pendingBytes)
        pendingBytes += bytes.count
    }

    private func pwriteAll(_ bytes: [UInt8], at offset: Int) throws(JournalFailure) {
        let e = RecordIO.writeAll(bytes, to: fd, at: offset)
        guard e == 0 else { throw JournalFailure(operation: "write", errno: e, path: path) }
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

    /// Closes the file; a prepared segment loses its unused zeros (a closed segment ends at
    /// its last commit; should the cut not reach the disk, a reader still stops at the zeros).
    func close() {
        if fd >= 0 {
            if capacity > 0 { _ = ftruncate(fd, off_t(committed)) }
            Glibc.close(fd)
        }
        fd = -1
    }

    /// Closes and removes the file (a spare not needed, a segment that never got its header).
    func discard() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
        unlink(path)
    }

    /// Free bytes for an unprivileged writer on the filesystem holding `directory` (0 when unknown).
    static func freeBytes(_ directory: String) -> Int {
        var s = statvfs()
        guard statvfs(directory, &s) == 0 else { return 0 }
        return Int(s.f_bavail) * Int(s.f_frsize)
    }

    /// A spare's name ends so (in the journal's root, never in a day: no reader takes it for a segment).
    static let spareSuffix = ".spare"

    /// Removes the spares in `directory` (what a killed writer left).
    static func removeSpares(in directory: String) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] where name.hasSuffix(spareSuffix) {
            unlink(directory + "/" + name)
        }
    }

    private static func zeros(_ n: Int) -> [UInt8] { [UInt8](repeating: 0, count: n) }

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
