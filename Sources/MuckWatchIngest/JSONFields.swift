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
        var out: [R] = []
        var seen = Set<String>()
        func take(_ line: Int, _ object: Any) {
            do throws(JSONFields.Problem) {
                let r = try parse(object)
                guard seen.insert(id(r)).inserted else {
                    rejects.append(Reject(file: path, line: line, reason: "duplicate \(what.dropLast()) id \(id(r)): the first is kept"))
                    return
                }
                out.append(r)
            } catch {
                rejects.append(Reject(file: path, line: line, reason: error.message))
            }
        }
        let first = try FileBytes.firstSignificantByte(path)
        if first == nil { throw error(path, "empty file: expected a JSON array or JSON Lines of \(what)") }
        if first == UInt8(ascii: "[") {
            let data = try JSONInput.read(path)
            for (line, object) in try JSONRecords.split(data, path: path, what: what, error: { p, r throws(IngestError) in error(p, r) }) {
                take(line, object)
            }
        } else {
            // JSON Lines, streamed: a province's gate records never sit in memory as JSON
            // objects, and flat lines skip Foundation's parser.
            try LineFile.forEachLine(path) { b, line, s, e in
                take(line, FlatObject.dictionary(b, s, e) ?? JSONInput.object(Data(b.extracting(s..<e))) ?? "not JSON")
            }
        }
        return out
    }
}

/// A flat JSON object line read without Foundation: strings, numbers, booleans and nulls
/// as `JSONSerialization` would give them. `nil` (the line goes to Foundation, which
/// also words its errors) for escapes, nested values or anything unusual.
enum FlatObject {
    static func dictionary(_ b: ByteSpan, _ s: Int, _ e: Int) -> [String: Any]? {
        for k in s..<e where b[k] == 0x5C { return nil }
        var out: [String: Any] = [:]
        var usable = true
        let problem = FlatJSON.forEachField(b, s, e) { ks, ke, vs, ve, kind in
            let key = b.extracting(ks..<ke).text
            switch kind {
            case .string: out[key] = b.extracting(vs..<ve).text
            case .nested: usable = false
            case .literal:
                switch b.extracting(vs..<ve).text {
                case "null": out[key] = NSNull()
                case "true": out[key] = true
                case "false": out[key] = false
                default:
                    if let d = ByteNumber.parse(b, vs, ve) { out[key] = d } else { usable = false }
                }
            }
        }
        return problem == nil && usable ? out : nil
    }
}
