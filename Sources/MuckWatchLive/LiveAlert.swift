import Foundation
public import MuckWatchCore

/// What an officer's screen is told the moment the live analysis finds something: a new
/// case, or new violations on a case already reported.
public struct LiveAlert: Sendable, Equatable {
    public var caseID: String
    public var vehicleID: String
    public var company: String?
    /// True for the first alert of a case; false when violations were added to it.
    public var isNewCase: Bool
    /// Types of the violations this alert reports (new ones only), sorted, unique.
    public var types: [ViolationType]
    /// Start of the earliest violation this alert reports (Unix seconds).
    public var time: Int64
    public var departments: [String]

    public init(caseID: String, vehicleID: String, company: String?, isNewCase: Bool, types: [ViolationType],
                time: Int64, departments: [String]) {
        self.caseID = caseID
        self.vehicleID = vehicleID
        self.company = company
        self.isNewCase = isNewCase
        self.types = types
        self.time = time
        self.departments = departments
    }

    /// One JSON object on one line (the SSE `data:` payload), time ISO 8601 in `clock`'s zone.
    public func json(clock: LocalClock) -> String {
        var s = "{\"case_id\":" + Self.quote(caseID) + ",\"vehicle_id\":" + Self.quote(vehicleID)
        s += ",\"company\":" + (company.map(Self.quote) ?? "null")
        s += ",\"new_case\":" + (isNewCase ? "true" : "false")
        s += ",\"violation_types\":[" + types.map { Self.quote($0.rawValue) }.joined(separator: ",") + "]"
        s += ",\"time\":" + Self.quote(clock.format(time)) + ",\"time_unix\":" + String(time)
        s += ",\"departments\":[" + departments.map(Self.quote).joined(separator: ",") + "]}"
        return s
    }

    /// A JSON string literal: the same text `JSONSerialization` writes (slashes not
    /// escaped; a test compares them), without its object graph per string: six of these
    /// per alert were a few percent of the gateway's CPU at a thousand alerts a second.
    static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for u in text.unicodeScalars {
            switch u.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x08: out += "\\b"
            case 0x0C: out += "\\f"
            case 0..<0x20:
                let hex: [Character] = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]
                out += "\\u00"
                out.append(hex[Int(u.value >> 4)])
                out.append(hex[Int(u.value & 0xF)])
            default:
                out.unicodeScalars.append(u)
            }
        }
        out += "\""
        return out
    }
}
