public import MuckWatchCore

/// Stable case ids: `C-YYYYMMDD-XXXXXXXX`, the local date and a hash of what the case
/// is about (plate and trip loading time, or plate and day). Re-running the same
/// inputs gives the same ids, independent of processing order or thread count.
public enum CaseID {
    public static func make(date: LocalDate, plate: String, anchor: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in plate.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        h = (h ^ 0x7c) &* 0x100_0000_01b3
        for b in anchor.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        let folded = UInt32(truncatingIfNeeded: h ^ (h >> 32))
        var hex = String(folded, radix: 16, uppercase: true)
        while hex.count < 8 { hex = "0" + hex }
        return "C-\(date.compact)-\(hex)"
    }
}
