#if canImport(Glibc)
import Glibc

/// Transparent huge pages for `analyze`'s large arrays.
///
/// A city night passes a few gigabytes through freshly mapped memory (file pieces, parsed
/// fixes, vehicle buckets, tracks); with 4 KB pages the kernel spent ~5 of ~22 CPU-seconds
/// of a 10M-fix run on page faults and zeroing. Most Linux machines (this one included)
/// run THP in `madvise` mode: only memory a program marks gets 2 MB pages. glibc marks
/// everything it maps when the tunable `glibc.malloc.hugetlb=1` is set, but tunables are
/// read at process start, so `analyze` starts itself once more with it set (same
/// arguments, same environment otherwise). Measured on the 10M night: system time
/// 5.0–6.3 s → 3.1–4.0 s, peak RSS unchanged (benchmarks/README.md).
///
/// Nothing changes when THP is `always` (already on) or `never` (unavailable), when the
/// tunable is already set, or when `MUCKWATCH_NO_HUGE_PAGES` is set; if the restart fails
/// the run simply goes on without it.
enum HugePages {
    static let tunable = "glibc.malloc.hugetlb=1"

    static func reexecIfUseful() {
        guard getenv("MUCKWATCH_NO_HUGE_PAGES") == nil else { return }
        let current = getenv("GLIBC_TUNABLES").map { String(cString: $0) } ?? ""
        guard !current.contains("glibc.malloc.hugetlb"), madviseMode() else { return }
        setenv("GLIBC_TUNABLES", current.isEmpty ? tunable : current + ":" + tunable, 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // Still here: the restart failed. Leave the environment as it was and go on.
        if current.isEmpty { unsetenv("GLIBC_TUNABLES") } else { setenv("GLIBC_TUNABLES", current, 1) }
    }

    /// THP is on for marked memory only (`always madvise [never]` shows the mode in brackets).
    private static func madviseMode() -> Bool {
        guard let f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r") else { return false }
        defer { fclose(f) }
        var line = [UInt8](repeating: 0, count: 128)
        let n = fread(&line, 1, line.count, f)
        return String(decoding: line[..<n], as: UTF8.self).contains("[madvise]")
    }
}
#endif
