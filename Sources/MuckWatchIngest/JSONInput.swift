import Foundation

/// Small helpers for the JSON inputs that are not on the hot path (fences, permits,
/// cameras, config), read with Foundation.
enum JSONInput {
    static func object(_ data: Data) -> Any? { try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) }

    /// A number given as a JSON number or a numeric string; `nil` for null/absent/empty.
    static func number(_ v: Any?) -> Double?? {
        switch v {
        case nil, is NSNull: return .some(nil)
        case let s as String:
            let t = s.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return .some(nil) }
            guard let d = Double(t), d.isFinite else { return nil }
            return .some(d)
        case let d as Double:
            return d.isFinite ? .some(d) : nil
        case let n as NSNumber:
            let d = n.doubleValue
            return d.isFinite ? .some(d) : nil
        default: return nil
        }
    }

    static func string(_ v: Any?) -> String? {
        switch v {
        case let s as String: return s
        case let d as Double: return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(d)
        case let n as NSNumber: return n.stringValue
        default: return nil
        }
    }

    /// Each non-blank line of a JSON Lines file with its 1-based line number.
    static func lines(_ data: Data) -> [(line: Int, text: Data)] {
        var out: [(Int, Data)] = []
        var n = 0
        for part in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            n += 1
            let trimmed = part.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
            if trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            out.append((n, Data(part)))
        }
        return out
    }

    static func read(_ path: String) throws(IngestError) -> Data {
        Data(try FileBytes.read(path))
    }
}
