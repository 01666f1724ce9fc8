import Foundation
import MuckWatchCore

/// The fields of one JSON object record (a manifest, a gate event), read the contract's
/// way: empty strings and `null` are absent, numbers may be JSON strings, times are
/// ISO 8601 with an offset or Unix seconds. Every failure is a sentence for `rejects.csv`.
///
/// Two sources give the same answers: `FlatFields` reads a flat JSON Lines object where
/// it lies in the file's bytes (the common case, no Foundation, no dictionary), and
/// `DictionaryFields` reads what Foundation parsed (escapes, arrays, anything unusual). The
/// record readers are written once, over either.
protocol RecordFields {
    /// What a record is (`manifest`), and its id once read: messages name it
    /// `manifest M-…`. Kept apart and joined only for a message: a city's night has
    /// ~200,000 records and nearly all of them are good.
    var kind: String { get }
    var id: String? { get set }
    /// A present, non-empty text value (numbers as their text).
    func text(_ key: StaticString) -> String?
    /// A number; `.some(nil)` when absent, `nil` when present but not a finite number.
    func number(_ key: StaticString) -> Double??
    /// A present time value, parsed (`TimeParser`), or `.some(nil)` when it is not a time;
    /// `nil` when absent.
    func parsedTime(_ key: StaticString) -> Int64??
}

struct RecordProblem: Error { let message: String }

extension RecordFields {
    /// What the record is called in messages (`manifest M-…`).
    var name: String { id.map { "\(kind) \($0)" } ?? kind }

    func problem(_ m: String) -> RecordProblem { RecordProblem(message: "\(name): \(m)") }

    func required(_ key: StaticString) throws(RecordProblem) -> String {
        guard let v = text(key) else { throw problem("missing \(key)") }
        return v
    }

    /// A time; `nil` when absent.
    func time(_ key: StaticString) throws(RecordProblem) -> Int64? {
        guard let parsed = parsedTime(key) else { return nil }
        guard let v = parsed else {
            throw problem("bad \(key) '\(text(key) ?? "")': need ISO 8601 with an offset or Unix seconds")
        }
        return v
    }

    /// `parsedTime` through the value's text.
    func parsedTimeOfText(_ key: StaticString) -> Int64?? {
        guard let t = text(key) else { return nil }
        return .some(TimeParser.parse(t))
    }

    /// A non-negative number of tonnes; `nil` when absent.
    func tonnes(_ key: StaticString) throws(RecordProblem) -> Double? {
        guard let v = number(key) else { throw problem("\(key) '\(text(key) ?? "?")' is not a number") }
        guard let t = v else { return nil }
        guard t >= 0 else { throw problem("\(key) \(t) is negative") }
        return t
    }

    /// One of an enumeration's raw values; `nil` when absent.
    func choice<E: RawRepresentable & CaseIterable>(_ key: StaticString, _: E.Type) throws(RecordProblem) -> E?
    where E.RawValue == String {
        guard let t = text(key) else { return nil }
        guard let v = E(rawValue: t) else {
            throw problem("unknown \(key) '\(t)' (valid: \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return v
    }
}

/// A record as Foundation parsed it.
struct DictionaryFields: RecordFields {
    let object: [String: Any]
    let kind: String
    var id: String?

    init(object: [String: Any], name: String) {
        self.object = object
        kind = name
    }

    func text(_ key: StaticString) -> String? { JSONInput.string(object[key.description]).flatMap { $0.isEmpty ? nil : $0 } }
    func number(_ key: StaticString) -> Double?? { JSONInput.number(object[key.description]) }
    func parsedTime(_ key: StaticString) -> Int64?? { parsedTimeOfText(key) }
}

/// A flat JSON object read in place: each field's key and value ranges in the line.
struct FlatFields: RecordFields {
    let bytes: ByteSpan
    /// Each field's key (its bytes, and its first 8 packed: `KeyHead`), value and kind.
    private var fields: [(key: Range<Int>, head: KeyHead, value: Range<Int>, kind: FlatJSON.Value)] = []
    let kind: String
    var id: String?

    /// `nil` for a line that is not a flat object without escapes (Foundation reads it), or
    /// that is not UTF-8 (a GBK export: Foundation refuses it, where reading it here would
    /// give a plate of replacement characters).
    init?(_ b: ByteSpan, _ s: Int, _ e: Int, name: String) {
        guard b.firstIndex(of: 0x5C, from: s, to: e) == nil, b.extracting(s..<e).isUTF8 else { return nil }
        bytes = b
        kind = name
        var fields: [(key: Range<Int>, head: KeyHead, value: Range<Int>, kind: FlatJSON.Value)] = []
        fields.reserveCapacity(16)  // a manifest has 14 fields, a gate event 11
        var nested = false
        let problem = FlatJSON.forEachField(b, s, e) { ks, ke, vs, ve, kind in
            if kind == .nested { nested = true }
            fields.append((ks..<ke, KeyHead(b, ks, ke), vs..<ve, kind))
        }
        guard problem == nil, !nested else { return nil }
        self.fields = fields
    }

    private func field(_ key: StaticString) -> (value: Range<Int>, kind: FlatJSON.Value)? {
        let head = KeyHead(key)
        // The last of repeated keys wins, as with Foundation: searched from the end, the
        // first found is it (a record's dozen keys were each compared with every field).
        for f in fields.reversed() where f.head == head {
            var same = true
            if head.count > KeyHead.packed {
                key.withUTF8Buffer { k in
                    for j in KeyHead.packed..<k.count where bytes[f.key.lowerBound + j] != k[j] {
                        same = false
                        break
                    }
                }
            }
            if same { return (f.value, f.kind) }
        }
        return nil
    }

    /// A key's length and its first 8 bytes in one word: a record's dozen fields are
    /// searched a dozen times each, and comparing byte by byte was a fifth of reading a
    /// city night's manifests and gate records (issue #19). Keys longer than 8 bytes with
    /// the same head are compared in full. Keys asked for are `StaticString`s: iterating a
    /// `String`'s UTF-8 cost more than the search saved.
    struct KeyHead: Equatable {
        static let packed = 8
        let count: Int
        let bytes: UInt64

        init(_ b: ByteSpan, _ s: Int, _ e: Int) {
            var w: UInt64 = 0
            for i in s..<min(e, s + Self.packed) { w = w << 8 | UInt64(b[i]) }
            count = e - s
            bytes = w
        }

        init(_ key: StaticString) {
            (count, bytes) = key.withUTF8Buffer { k in
                var w: UInt64 = 0
                for c in k.prefix(Self.packed) { w = w << 8 | UInt64(c) }
                return (k.count, w)
            }
        }
    }

    private func isNull(_ r: Range<Int>) -> Bool {
        r.count == 4 && bytes[r.lowerBound] == UInt8(ascii: "n") && bytes.extracting(r).text == "null"
    }

    func text(_ key: StaticString) -> String? {
        guard let (r, kind) = field(key), !r.isEmpty else { return nil }
        if kind == .literal {
            if isNull(r) { return nil }
            let t = bytes.extracting(r).text
            // Numbers as Foundation words them (integral values without a fraction).
            if let d = Double(t), d == d.rounded(), abs(d) < 1e15, t.contains(".") { return String(Int64(d)) }
            return t
        }
        return bytes.extracting(r).text
    }

    /// A JSON string's time is parsed where it lies (a city night has ~250,000 of them, and
    /// each made a heap string only to be parsed); a number goes through its text, as
    /// Foundation words it.
    func parsedTime(_ key: StaticString) -> Int64?? {
        guard let (r, kind) = field(key) else { return nil }
        guard kind == .string else { return parsedTimeOfText(key) }
        guard !r.isEmpty else { return nil }
        return .some(TimeParser.parse(bytes.extracting(r)))
    }

    func number(_ key: StaticString) -> Double?? {
        guard let (r, kind) = field(key) else { return .some(nil) }
        switch kind {
        case .literal:
            if isNull(r) { return .some(nil) }
            guard let d = ByteNumber.parse(bytes, r.lowerBound, r.upperBound), d.isFinite else { return nil }
            return .some(d)
        case .string:
            return JSONInput.number(bytes.extracting(r).text)
        case .nested:
            return nil
        }
    }
}

/// Reads a JSON array or JSON Lines file of records keyed by a unique id: a bad record
/// or a later duplicate of an id becomes a reject with its line; the rest are kept in file order.
/// A file in which no line is JSON is an error naming the file.
enum KeyedRecords {
    static func read<R>(path: String, what: String, error: (String, String) -> IngestError, rejects: inout [Reject],
                        id: (R) -> String, parse: (inout FlatFields) throws(RecordProblem) -> R,
                        parseDictionary: (inout DictionaryFields) throws(RecordProblem) -> R,
                        name: String) throws(IngestError) -> [R] {
        var out: [R] = []
        var ids = UniqueIDs()
        let rejectsBefore = rejects.count
        var sawJSON = false, sawNonUTF8 = false
        /// Parses one record and keeps it unless its id came before. (Not through a `Result`:
        /// binding a record out of one copied it, a dozen strings, for every record.)
        func keep(_ line: Int, _ parsed: () throws(RecordProblem) -> R) {
            sawJSON = true
            do {
                let r = try parsed()
                guard ids.insert(id(r), kept: out.lazy.map(id)) else {
                    rejects.append(Reject(file: path, line: line, reason: "duplicate \(name) id \(id(r)): the first is kept"))
                    return
                }
                out.append(r)
            } catch {
                rejects.append(Reject(file: path, line: line, reason: error.message))
            }
        }
        func foundation(_ line: Int, _ object: Any) {
            if let bad = object as? NotJSON {
                sawNonUTF8 = sawNonUTF8 || !bad.isUTF8
                rejects.append(Reject(file: path, line: line, reason: bad.isUTF8 ? "not JSON: expected one \(name) object per line"
                                                                                 : NotJSON.notUTF8))
                return
            }
            guard let o = object as? [String: Any] else {
                keep(line) { () throws(RecordProblem) in throw RecordProblem(message: "\(name) is not a JSON object") }
                return
            }
            var f = DictionaryFields(object: o, name: name)
            keep(line) { () throws(RecordProblem) in try parseDictionary(&f) }
        }
        let first = try FileBytes.firstSignificantByte(path)
        if first == nil { throw error(path, "empty file: expected a JSON array or JSON Lines of \(what)") }
        if first == UInt8(ascii: "[") {
            let data = try JSONInput.read(path)
            for (line, object) in try JSONRecords.split(data, path: path, what: what, error: { p, r throws(IngestError) in error(p, r) }) {
                foundation(line, object)
            }
        } else {
            // JSON Lines, streamed: a province's gate records never sit in memory as JSON
            // objects, and flat lines are read in place.
            try LineFile.forEachLine(path) { b, line, s, e in
                if var f = FlatFields(b, s, e, name: name) {
                    keep(line) { () throws(RecordProblem) in try parse(&f) }
                } else {
                    let text = b.extracting(s..<e)
                    foundation(line, JSONInput.object(Data(text)) ?? NotJSON(isUTF8: text.validatedText != nil))
                }
            }
            // No JSON line at all: the wrong file (a CSV export, a GBK export), not a file of bad records.
            guard sawJSON else {
                rejects.removeSubrange(rejectsBefore...)
                throw error(path, (sawNonUTF8 ? NotJSON.notUTF8 : "not JSON") + ": expected a JSON array or JSON Lines of \(what)")
            }
        }
        return out
    }
}

/// The ids of a file's records kept so far, to refuse a later duplicate.
///
/// Why not just a `Set`: exports list their records by id (manifests `M-20261120-000001`
/// on, gate passes `G-000001` on), and while each id sorts after the one before, none can
/// repeat one: the set is built only when the order first breaks (from the records kept),
/// and a city night's ~190,000 ids are compared with their predecessor instead of hashed.
struct UniqueIDs {
    private var last: String?
    private var seen: Set<String>?

    /// Whether `id` is new; `kept` lists the ids accepted so far, read once if ever.
    mutating func insert(_ id: String, kept: @autoclosure () -> some Sequence<String>) -> Bool {
        if seen == nil {
            guard let before = last else {
                last = id
                return true
            }
            if before < id {
                last = id
                return true
            }
            seen = Set(kept())
        }
        return seen!.insert(id).inserted
    }
}
