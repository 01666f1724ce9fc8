import Foundation
import MuckWatchCore

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

    static func quote(_ text: String) -> String {
        let data = try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])
        guard let data, let array = String(data: data, encoding: .utf8) else { return "\"\"" }
        return String(array.dropFirst().dropLast())
    }
}
