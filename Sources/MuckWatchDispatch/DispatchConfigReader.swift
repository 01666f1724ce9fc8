import Foundation
public import MuckWatchCore

/// Reads the dispatch keys of a `--config` file (the analysis keys are `ConfigReader`'s):
///
/// ```json
/// {"dispatch_webhooks": {"city_management": {"url": "http://127.0.0.1:9000/hook", "secret": "s3cret"}},
///  "dispatch_worker": {"first_delay_ms": 1000, "max_delay_s": 3600, "give_up_after_s": 86400,
///                      "timeout_ms": 10000, "poll_ms": 200, "scan_every_ms": 2000},
///  "auto_dispatch": [{"name": "sealed-by-camera", "type": "unsealed", "source": "camera", "min_confidence": 0.9}]}
/// ```
///
/// Every mistake names the key and says what would be accepted; unknown keys inside these
/// objects are mistakes too (a typo must not leave a default in force).
public enum DispatchConfigReader {
    public static func read(path: String) throws(DispatchConfigError) -> DispatchSettings {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DispatchConfigError(path: path, key: "(file)", reason: "cannot read the file")
        }
        guard let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw DispatchConfigError(path: path, key: "(file)", reason: "not a JSON object")
        }
        return try settings(o, path: path)
    }

    static func settings(_ o: [String: Any], path: String) throws(DispatchConfigError) -> DispatchSettings {
        var s = DispatchSettings()
        if let hooks = o["dispatch_webhooks"] {
            s.webhooks = try webhooks(hooks, path: path)
        }
        if let worker = o["dispatch_worker"] {
            try apply(worker: worker, to: &s, path: path)
        }
        if let rules = o["auto_dispatch"] {
            s.rules = try autoDispatch(rules, path: path)
        }
        return s
    }

    private static func webhooks(_ value: Any, path: String) throws(DispatchConfigError) -> [String: Webhook] {
        let key = "dispatch_webhooks"
        guard let table = value as? [String: Any] else {
            throw DispatchConfigError(path: path, key: key, reason: "must map department names to {\"url\": …, \"secret\": …}")
        }
        var out: [String: Webhook] = [:]
        for (department, entry) in table.sorted(by: { $0.key < $1.key }) {
            let at = key + "." + department
            guard let e = entry as? [String: Any] else {
                throw DispatchConfigError(path: path, key: at, reason: "must be an object with url and secret")
            }
            try rejectUnknown(e, known: ["url", "secret"], at: at, path: path)
            guard let url = e["url"] as? String, let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""),
                  parsed.host != nil else {
                throw DispatchConfigError(path: path, key: at + ".url", reason: "must be an http:// or https:// URL")
            }
            guard let secret = e["secret"] as? String, !secret.isEmpty else {
                throw DispatchConfigError(path: path, key: at + ".secret",
                                          reason: "must be a non-empty string (the receiver checks signatures with it)")
            }
            out[department] = Webhook(url: url, secret: secret)
        }
        return out
    }

    private static func apply(worker value: Any, to s: inout DispatchSettings, path: String) throws(DispatchConfigError) {
        let key = "dispatch_worker"
        guard let o = value as? [String: Any] else {
            throw DispatchConfigError(path: path, key: key, reason: "must be an object")
        }
        // Name → (unit in ms, smallest, largest, where it goes).
        let fields: [(String, Int64, Int64, Int64, WritableKeyPath<DispatchSettings, Int64>)] = [
            ("first_delay_ms", 1, 1, 3_600_000, \.retry.firstDelayMs),
            ("max_delay_s", 1000, 1, 86_400, \.retry.maxDelayMs),
            ("give_up_after_s", 1000, 1, 30 * 86_400, \.retry.giveUpAfterMs),
            ("timeout_ms", 1, 1, 600_000, \.retry.timeoutMs),
            ("poll_ms", 1, 1, 60_000, \.pollMs),
            ("scan_every_ms", 1, 1, 3_600_000, \.scanEveryMs),
        ]
        try rejectUnknown(o, known: fields.map(\.0), at: key, path: path)
        for (name, unit, low, high, keyPath) in fields {
            guard let v = o[name] else { continue }
            guard let n = (v as? NSNumber)?.doubleValue, n == n.rounded(), n >= Double(low), n <= Double(high) else {
                throw DispatchConfigError(path: path, key: key + "." + name, reason: "must be a whole number from \(low) to \(high)")
            }
            s[keyPath: keyPath] = Int64(n) * unit
        }
    }

    private static func autoDispatch(_ value: Any, path: String) throws(DispatchConfigError) -> [AutoDispatchRule] {
        guard let list = value as? [Any] else {
            throw DispatchConfigError(path: path, key: "auto_dispatch",
                                      reason: "must be a list of rules such as {\"type\": \"unsealed\", \"source\": \"camera\", \"min_confidence\": 0.9}")
        }
        var rules: [AutoDispatchRule] = []
        for (i, entry) in list.enumerated() {
            let at = "auto_dispatch[\(i)]"
            guard let e = entry as? [String: Any] else {
                throw DispatchConfigError(path: path, key: at, reason: "must be an object")
            }
            try rejectUnknown(e, known: ["name", "type", "source", "min_confidence", "departments"], at: at, path: path)
            guard let t = e["type"] as? String, let type = ViolationType(rawValue: t) else {
                throw DispatchConfigError(path: path, key: at + ".type", reason: "must be a violation type ("
                    + ViolationType.allCases.map(\.rawValue).joined(separator: ", ") + ")")
            }
            var rule = AutoDispatchRule(name: at, type: type)
            if let n = e["name"] {
                guard let name = n as? String, !name.isEmpty else {
                    throw DispatchConfigError(path: path, key: at + ".name", reason: "must be a non-empty string")
                }
                rule.name = name
            }
            if let x = e["source"] {
                guard let s = x as? String, let source = ViolationSource(rawValue: s) else {
                    throw DispatchConfigError(path: path, key: at + ".source", reason: "must be a violation source ("
                        + ViolationSource.allCases.map(\.rawValue).joined(separator: ", ") + ")")
                }
                rule.source = source
            }
            if let x = e["min_confidence"] {
                guard let c = (x as? NSNumber)?.doubleValue, (0...1).contains(c) else {
                    throw DispatchConfigError(path: path, key: at + ".min_confidence", reason: "must be a number from 0 to 1")
                }
                rule.minConfidence = c
            }
            if let x = e["departments"] {
                guard let ds = x as? [String], !ds.isEmpty else {
                    throw DispatchConfigError(path: path, key: at + ".departments", reason: "must be a non-empty list of department names")
                }
                rule.departments = ds
            }
            rules.append(rule)
        }
        return rules
    }

    private static func rejectUnknown(_ o: [String: Any], known: [String], at key: String, path: String)
        throws(DispatchConfigError) {
        for k in o.keys.sorted() where !known.contains(k) {
            throw DispatchConfigError(path: path, key: key + "." + k, reason: "unknown key (valid: \(known.joined(separator: ", ")))")
        }
    }
}
