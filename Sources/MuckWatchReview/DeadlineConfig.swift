import Foundation
public import MuckWatchJudge
import MuckWatchCore

/// The `deadlines` object of `serve --config`'s JSON file (issue #26); the file's other keys
/// belong to other parts of serve and are left alone here.
///
/// ```json
/// { "deadlines": {
///     "dispatch_hours": 2, "handle_hours": 24,
///     "rules": [ { "department": "city_management", "type": "illegal_dump", "dispatch_hours": 1, "handle_hours": 12 } ] } }
/// ```
/// Hours may be fractional; a rule names a department, a violation type or both, and one or both limits.
public enum DeadlineConfig {
    public struct Problem: Error, CustomStringConvertible {
        public var file: String
        public var field: String
        public var message: String
        public var description: String { field.isEmpty ? "\(file): \(message)" : "\(file): \(field): \(message)" }
    }

    /// The policy in the JSON file at `path`; the defaults (2 h to dispatch, 24 h to handle) when it has no `deadlines`.
    public static func load(path: String) throws(Problem) -> DeadlinePolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Problem(file: path, field: "", message: "cannot read the file")
        }
        return try parse(data, file: path)
    }

    /// The policy in the JSON `text` (of `file`, named in messages).
    public static func parse(text: String, file: String) throws(Problem) -> DeadlinePolicy {
        try parse(Data(text.utf8), file: file)
    }

    static func parse(_ data: Data, file: String) throws(Problem) -> DeadlinePolicy {
        func fail(_ field: String, _ message: String) -> Problem {
            Problem(file: file, field: field.isEmpty ? "" : "deadlines." + field, message: message)
        }
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw fail("", "the file is not a JSON object")
        }
        guard let object = root["deadlines"] else { return DeadlinePolicy() }
        guard let d = object as? [String: Any] else { throw fail("", "deadlines must be an object") }
        func hours(_ o: [String: Any], _ key: String, at path: String) throws(Problem) -> Int64? {
            guard let v = o[key] else { return nil }
            guard let h = (v as? NSNumber)?.doubleValue, h.isFinite, h > 0, h <= 24 * 365 else {
                throw fail(path + key, "must be a number of hours above 0 (got \(v))")
            }
            return Int64((h * 3600).rounded())
        }
        let known: Set<String> = ["dispatch_hours", "handle_hours", "rules"]
        if let unknown = d.keys.first(where: { !known.contains($0) }) {
            throw fail(unknown, "unknown key (known: dispatch_hours, handle_hours, rules)")
        }
        var policy = DeadlinePolicy()
        if let s = try hours(d, "dispatch_hours", at: "") { policy.defaults.dispatchSeconds = s }
        if let s = try hours(d, "handle_hours", at: "") { policy.defaults.handleSeconds = s }
        guard let list = (d["rules"] ?? [Any]()) as? [Any] else { throw fail("rules", "must be a list of objects") }
        for (i, item) in list.enumerated() {
            let at = "rules[\(i)]."
            guard let r = item as? [String: Any] else { throw fail("rules[\(i)]", "must be an object") }
            var rule = DeadlinePolicy.Rule()
            if let v = r["department"] {
                guard let s = v as? String, !s.isEmpty else { throw fail(at + "department", "must be a department name") }
                rule.department = s
            }
            if let v = r["type"] {
                guard let s = v as? String, let t = ViolationType(rawValue: s) else {
                    throw fail(at + "type", "must be a violation type such as illegal_dump (got \(v))")
                }
                rule.type = t
            }
            rule.dispatchSeconds = try hours(r, "dispatch_hours", at: at)
            rule.handleSeconds = try hours(r, "handle_hours", at: at)
            guard rule.department != nil || rule.type != nil else { throw fail("rules[\(i)]", "names neither a department nor a type") }
            guard rule.dispatchSeconds != nil || rule.handleSeconds != nil else {
                throw fail("rules[\(i)]", "sets neither dispatch_hours nor handle_hours")
            }
            policy.rules.append(rule)
        }
        return policy
    }
}
