import Foundation
import MuckWatchCore

/// The fields of one JSON object record (a manifest, a gate event), read the contract's
/// way: empty strings and `null` are absent, numbers may be JSON strings, times are
/// ISO 8601 with an offset or Unix seconds. Every failure is a sentence for `rejects.csv`.
struct JSONFields {
    let object: [String: Any]
    /// What the record is called in messages (`manifest M-…`).
    var name: String

    struct Problem: Error { let message: String }

    init?(_ any: Any, name: String) {
        guard let o = any as? [String: Any] else { return nil }
        object = o
        self.name = name
    }

    func problem(_ m: String) -> Problem { Problem(message: "\(name): \(m)") }

    /// A present, non-empty text value.
    func text(_ key: String) -> String? { JSONInput.string(object[key]).flatMap { $0.isEmpty ? nil : $0 } }

    func required(_ key: String) throws(Problem) -> String {
        guard let v = text(key) else { throw problem("missing \(key)") }
        return v
    }

    /// A time; `nil` when absent.
    func time(_ key: String) throws(Problem) -> Int64? {
        guard let t = text(key) else { return nil }
        guard let v = TimeParser.parse(t) else {
            throw problem("bad \(key) '\(t)': need ISO 8601 with an offset or Unix seconds")
        }
        return v
    }

    /// A non-negative number of tonnes; `nil` when absent.
    func tonnes(_ key: String) throws(Problem) -> Double? {
        guard let v = JSONInput.number(object[key]) else {
            throw problem("\(key) '\(JSONInput.string(object[key]) ?? "?")' is not a number")
        }
        guard let t = v else { return nil }
        guard t >= 0 else { throw problem("\(key) \(t) is negative") }
        return t
    }

    /// One of an enumeration's raw values; `nil` when absent.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(Problem) -> E?
    where E.RawValue == String {
        guard let t = text(key) else { return nil }
        guard let v = E(rawValue: t) else {
            throw problem("unknown \(key) '\(t)' (valid: \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return v
    }
}

/// Reads a JSON array or JSON Lines file of records keyed by a unique id: a bad record
/// or a later duplicate of an id becomes a reject with its line; the rest are kept in file order.
enum KeyedRecords {
    static func read<R>(path: String, what: String, error: (String, String) -> IngestError, rejects: inout [Reject],
                        id: (R) -> String, parse: (Any) throws(JSONFields.Problem) -> R) throws(IngestError) -> [R] {
        let data = try JSONInput.read(path)
        let records = try JSONRecords.split(data, path: path, what: what) { p, r throws(IngestError) in error(p, r) }
        var out: [R] = []
        var seen = Set<String>()
        for (line, object) in records {
            do throws(JSONFields.Problem) {
                let r = try parse(object)
                guard seen.insert(id(r)).inserted else {
                    rejects.append(Reject(file: path, line: line, reason: "duplicate \(what.dropLast()) id \(id(r)): the first is kept"))
                    continue
                }
                out.append(r)
            } catch {
                rejects.append(Reject(file: path, line: line, reason: error.message))
            }
        }
        return out
    }
}
