/// Time values are Unix seconds (`Int64`) everywhere in the pipeline. This file holds
/// the few conversions the contract needs, written over bytes so that parsing a
/// night of fixes never touches Foundation's date formatters (~70 µs each).

/// A local calendar date (for permits and case ids), as days since 1970-01-01.
public struct LocalDate: Sendable, Comparable, Hashable, CustomStringConvertible {
    public var days: Int64

    public init(days: Int64) { self.days = days }

    public init(year: Int, month: Int, day: Int) {
        days = CivilCalendar.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
    }

    /// Parses `YYYY-MM-DD`; `nil` otherwise.
    public init?(parsing text: String) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = TimeParser.digits(b, 0, 4), let m = TimeParser.digits(b, 5, 2), let d = TimeParser.digits(b, 8, 2),
              (1...12).contains(m), d >= 1, d <= CivilCalendar.daysInMonth(year: y, month: m) else { return nil }
        self.init(year: Int(y), month: Int(m), day: Int(d))
    }

    public var components: (year: Int, month: Int, day: Int) {
        let c = CivilCalendar.civilFromDays(days)
        return (Int(c.year), Int(c.month), Int(c.day))
    }

    /// `2026-11-12`.
    public var description: String {
        let c = components
        return TimeFormat.pad(c.year, 4) + "-" + TimeFormat.pad(c.month, 2) + "-" + TimeFormat.pad(c.day, 2)
    }

    /// `20261112`, as used in case ids.
    public var compact: String {
        let c = components
        return TimeFormat.pad(c.year, 4) + TimeFormat.pad(c.month, 2) + TimeFormat.pad(c.day, 2)
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.days < b.days }
}

/// Converts Unix seconds to the configured zone's wall clock.
///
/// The contract's zones (Asia/Shanghai by default) have no daylight saving, so a
/// fixed offset resolved once per run is exact and costs nothing per fix.
public struct LocalClock: Sendable, Equatable {
    public var offsetSeconds: Int64

    public init(offsetSeconds: Int64) { self.offsetSeconds = offsetSeconds }

    /// China Standard Time, the contract's default.
    public static let shanghai = LocalClock(offsetSeconds: 8 * 3600)

    public func date(of t: Int64) -> LocalDate {
        LocalDate(days: TimeParser.floorDiv(t + offsetSeconds, 86_400))
    }

    /// Minutes after local midnight, 0..<1440.
    public func minuteOfDay(_ t: Int64) -> Int {
        Int(TimeParser.floorMod(t + offsetSeconds, 86_400) / 60)
    }

    /// ISO 8601 with this clock's offset: `2026-11-12T22:27:38+08:00`.
    public func format(_ t: Int64) -> String {
        let local = t + offsetSeconds
        let day = TimeParser.floorDiv(local, 86_400)
        let sod = local - day * 86_400
        let c = CivilCalendar.civilFromDays(day)
        let o = abs(offsetSeconds)
        // Outputs and the store format hundreds of thousands of stamps: write the bytes
        // directly for the four-digit years every real stamp has.
        if c.year >= 0, c.year <= 9999, o / 3600 < 100 {
            let length = offsetSeconds == 0 ? 20 : 25
            return String(unsafeUninitializedCapacity: length) { b in
                func put(_ v: Int64, _ at: Int, _ width: Int) {
                    var v = v
                    var k = at + width - 1
                    while k >= at {
                        b[k] = UInt8(0x30 + v % 10)
                        v /= 10
                        k -= 1
                    }
                }
                put(c.year, 0, 4); b[4] = 0x2D; put(c.month, 5, 2); b[7] = 0x2D; put(c.day, 8, 2)
                b[10] = 0x54; put(sod / 3600, 11, 2); b[13] = 0x3A; put(sod % 3600 / 60, 14, 2); b[16] = 0x3A
                put(sod % 60, 17, 2)
                if offsetSeconds == 0 {
                    b[19] = 0x5A
                } else {
                    b[19] = offsetSeconds < 0 ? 0x2D : 0x2B
                    put(o / 3600, 20, 2); b[22] = 0x3A; put(o % 3600 / 60, 23, 2)
                }
                return length
            }
        }
        var s = TimeFormat.pad(Int(c.year), 4) + "-" + TimeFormat.pad(Int(c.month), 2) + "-" + TimeFormat.pad(Int(c.day), 2)
        s += "T" + TimeFormat.pad(Int(sod / 3600), 2) + ":" + TimeFormat.pad(Int(sod % 3600 / 60), 2) + ":"
            + TimeFormat.pad(Int(sod % 60), 2)
        if offsetSeconds == 0 { return s + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        return s + sign + TimeFormat.pad(Int(o / 3600), 2) + ":" + TimeFormat.pad(Int(o % 3600 / 60), 2)
    }
}

/// Byte-level parser for the contract's two time forms.
public enum TimeParser {
    /// ISO 8601 with an offset (`Z` allowed, fractional seconds truncated, `T` or a space
    /// between date and time) or integer Unix seconds. `nil` for anything else,
    /// including a time without an offset: its instant would be a guess.
    public static func parse(_ b: ByteSpan) -> Int64? {
        var lo = 0, hi = b.count
        while lo < hi, b[lo] == 0x20 { lo += 1 }
        while hi > lo, b[hi - 1] == 0x20 || b[hi - 1] == 0x0D { hi -= 1 }
        let n = hi - lo
        guard n > 0 else { return nil }
        // Integer Unix seconds.
        var allDigits = true
        var i = lo
        if b[i] == UInt8(ascii: "-") { i += 1 }
        if i == hi { return nil }
        while i < hi { if b[i] < 0x30 || b[i] > 0x39 { allDigits = false; break }; i += 1 }
        if allDigits {
            guard n <= 12 else { return nil }
            var v: Int64 = 0
            var j = lo
            let neg = b[j] == UInt8(ascii: "-")
            if neg { j += 1 }
            while j < hi { v = v * 10 + Int64(b[j] - 0x30); j += 1 }
            return neg ? -v : v
        }
        // YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM|±HHMM)
        guard n >= 20, b[lo + 4] == 0x2D, b[lo + 7] == 0x2D, b[lo + 10] == 0x54 || b[lo + 10] == 0x74 || b[lo + 10] == 0x20,
              b[lo + 13] == 0x3A, b[lo + 16] == 0x3A,
              let y = digits(b, lo, 4), let mo = digits(b, lo + 5, 2), let d = digits(b, lo + 8, 2),
              let h = digits(b, lo + 11, 2), let mi = digits(b, lo + 14, 2), let s = digits(b, lo + 17, 2),
              (1...12).contains(mo), d >= 1, d <= CivilCalendar.daysInMonth(year: y, month: mo),
              h <= 23, mi <= 59, s <= 60 else { return nil }
        var k = lo + 19
        if k < hi, b[k] == 0x2E || b[k] == 0x2C {
            k += 1
            let f = k
            while k < hi, b[k] >= 0x30, b[k] <= 0x39 { k += 1 }
            if k == f { return nil }
        }
        guard k < hi else { return nil }
        var offset: Int64 = 0
        if b[k] == 0x5A || b[k] == 0x7A {
            guard k + 1 == hi else { return nil }
        } else if b[k] == 0x2B || b[k] == 0x2D {
            let sign: Int64 = b[k] == 0x2B ? 1 : -1
            let rest = hi - k - 1
            let oh: Int64, om: Int64
            if rest == 5, b[k + 3] == 0x3A, let a = digits(b, k + 1, 2), let c = digits(b, k + 4, 2) {
                oh = a; om = c
            } else if rest == 4, let a = digits(b, k + 1, 2), let c = digits(b, k + 3, 2) {
                oh = a; om = c
            } else if rest == 2, let a = digits(b, k + 1, 2) {
                oh = a; om = 0
            } else { return nil }
            guard oh <= 18, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else { return nil }
        let days = CivilCalendar.daysFromCivil(year: y, month: mo, day: d)
        return days * 86_400 + h * 3600 + mi * 60 + s - offset
    }

    /// Convenience for non-hot paths (config, permits, tests).
    public static func parse(_ text: String) -> Int64? {
        var t = text
        return t.withByteSpan { parse($0) }
    }

    @inlinable
    static func digits(_ b: ByteSpan, _ at: Int, _ count: Int) -> Int64? {
        var v: Int64 = 0
        for i in at..<(at + count) {
            let c = b[i]
            guard c >= 0x30, c <= 0x39 else { return nil }
            v = v * 10 + Int64(c - 0x30)
        }
        return v
    }

    static func digits(_ b: [UInt8], _ at: Int, _ count: Int) -> Int64? {
        b.withByteSpan { digits($0, at, count) }
    }

    @inlinable
    public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    @inlinable
    public static func floorMod(_ a: Int64, _ b: Int64) -> Int64 { a - floorDiv(a, b) * b }
}

/// Proleptic Gregorian conversions (H. Hinnant's algorithms), exact for any year.
public enum CivilCalendar {
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = TimeParser.floorDiv(y, 400)
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func civilFromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = TimeParser.floorDiv(z, 146_097)
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

enum TimeFormat {
    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
