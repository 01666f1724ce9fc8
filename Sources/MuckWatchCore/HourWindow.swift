/// A local wall-clock window such as `22:00-06:00`; it may wrap midnight.
public struct HourWindow: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Minutes after local midnight, 0..<1440.
    public var startMinute: Int
    /// Minutes after local midnight, 0...1440; `end < start` wraps midnight.
    public var endMinute: Int

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses `HH:MM-HH:MM`; `nil` when the text is not of that form.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let a = HourWindow.minutes(parts[0]), let b = HourWindow.minutes(parts[1]) else {
            return nil
        }
        self.init(startMinute: a, endMinute: b)
    }

    private static func minutes(_ s: Substring) -> Int? {
        let hm = s.trimmingSpaces().split(separator: ":", omittingEmptySubsequences: false)
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
              h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    /// Whether a local minute-of-day lies inside the window (start inclusive, end exclusive).
    public func contains(minuteOfDay m: Int) -> Bool {
        if startMinute == endMinute { return true }
        if startMinute < endMinute { return m >= startMinute && m < endMinute }
        return m >= startMinute || m < endMinute
    }

    public var description: String {
        func f(_ m: Int) -> String {
            let h = m / 60, mm = m % 60
            return (h < 10 ? "0" : "") + String(h) + ":" + (mm < 10 ? "0" : "") + String(mm)
        }
        return f(startMinute) + "-" + f(endMinute)
    }
}

extension Array where Element == HourWindow {
    /// True when any window contains the minute.
    public func contains(minuteOfDay m: Int) -> Bool { contains { $0.contains(minuteOfDay: m) } }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " { s = s.dropFirst() }
        while let l = s.last, l == " " { s = s.dropLast() }
        return s
    }
}
