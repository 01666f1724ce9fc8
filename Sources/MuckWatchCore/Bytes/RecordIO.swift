#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Moves the bytes of plain records (`BitwiseCopyable`: no references, so their bytes are
/// the whole value) between arrays and file descriptors: the one place that hands the
/// kernel a pointer into an array (the spill's fixes, the outputs' bytes).
///
/// Both calls finish what a short read or write left and retry `EINTR`; neither keeps a
/// pointer beyond the call.
public enum RecordIO {
    /// Writes every byte of `records[range]` to `fd`. Returns 0, or the `errno` of the
    /// write that failed (`ENOSPC` for a write that made no progress).
    public static func writeAll<T: BitwiseCopyable>(_ records: [T], _ range: Range<Int>? = nil, to fd: Int32) -> Int32 {
        let r = range ?? records.indices
        precondition(r.lowerBound >= 0 && r.upperBound <= records.count, "range outside the records")
        return records.withUnsafeBytes { raw -> Int32 in
            let stride = MemoryLayout<T>.stride
            let bytes = UnsafeRawBufferPointer(rebasing: raw[(r.lowerBound * stride)..<(r.upperBound * stride)])
            var done = 0
            while done < bytes.count {
                let n = systemWrite(fd, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                if n == 0 { return ENOSPC }
                done += n
            }
            return 0
        }
    }

    /// Reads up to `count` records from `fd` into the start of `records` (which must hold at
    /// least `count`). Returns how many whole records arrived and the bytes of a partial
    /// last one (non-zero only when the file ends or fails mid-record), or the `errno`.
    public static func read<T: BitwiseCopyable>(_ fd: Int32, into records: inout [T], count: Int)
        -> (records: Int, partialBytes: Int, error: Int32) {
        precondition(count >= 0 && count <= records.count, "reading more records than the array holds")
        let want = count * MemoryLayout<T>.stride
        return records.withUnsafeMutableBytes { raw -> (records: Int, partialBytes: Int, error: Int32) in
            var done = 0, failure: Int32 = 0
            while done < want {
                let n = systemRead(fd, raw.baseAddress! + done, want - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if n == 0 { break }
                done += n
            }
            let stride = MemoryLayout<T>.stride
            return (done / stride, done % stride, failure)
        }
    }
}

/// `write(2)` and `read(2)`, named so they are not shadowed where a type has its own.
@inline(__always)
private func systemWrite(_ fd: Int32, _ buf: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.write(fd, buf, count)
    #elseif canImport(Musl)
    return Musl.write(fd, buf, count)
    #else
    return Darwin.write(fd, buf, count)
    #endif
}

@inline(__always)
private func systemRead(_ fd: Int32, _ buf: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(fd, buf, count)
    #elseif canImport(Musl)
    return Musl.read(fd, buf, count)
    #else
    return Darwin.read(fd, buf, count)
    #endif
}
