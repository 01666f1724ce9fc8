import MuckWatchCore

/// A JT/T 808 `BCD[6]` time, `YYMMDDhhmmss` in Beijing time (GMT+8), as the standard
/// fixes it: terminals do not send a zone, so +08:00 is part of the format.
public struct JT808Time: Equatable, Sendable {
    public var year: Int   // 2000 + YY
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// The instant, from the +08:00 wall clock.
    public var unixSeconds: Int64 {
        CivilCalendar.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day)) * 86_400
            + Int64(hour * 3600 + minute * 60 + second) - 8 * 3600
    }

    /// The +08:00 wall clock of an instant (years 2000–2099 fit the two BCD digits).
    public init(unixSeconds t: Int64) {
        let local = t + 8 * 3600
        let day = TimeParser.floorDiv(local, 86_400)
        let sod = Int(local - day * 86_400)
        let c = CivilCalendar.civilFromDays(day)
        self.init(year: Int(c.year), month: Int(c.month), day: Int(c.day),
                  hour: sod / 3600, minute: sod % 3600 / 60, second: sod % 60)
    }

    /// Reads 6 BCD bytes; throws on a non-digit nibble or an impossible date.
    static func decode(_ b: ByteSpan) throws(JT808DecodeError) -> JT808Time {
        @inline(__always) func two(_ k: Int) throws(JT808DecodeError) -> Int {
            let c = b[k]
            let hi = Int(c >> 4), lo = Int(c & 0xF)
            guard hi <= 9, lo <= 9 else { throw .badBCD(field: "time") }
            return hi * 10 + lo
        }
        let t = JT808Time(year: 2000 + (try two(0)), month: try two(1), day: try two(2),
                          hour: try two(3), minute: try two(4), second: try two(5))
        guard (1...12).contains(t.month), t.day >= 1,
              t.day <= Int(CivilCalendar.daysInMonth(year: Int64(t.year), month: Int64(t.month))),
              t.hour <= 23, t.minute <= 59, t.second <= 59 else {
            throw .invalidTime(t.bcdText)
        }
        return t
    }

    /// `YYMMDDhhmmss`, as sent.
    public var bcdText: String {
        [year % 100, month, day, hour, minute, second].map { ($0 < 10 ? "0" : "") + String($0) }.joined()
    }

    func encode(into out: inout [UInt8]) {
        for v in [year % 100, month, day, hour, minute, second] {
            out.append(UInt8(v / 10) << 4 | UInt8(v % 10))
        }
    }
}
