import Foundation
import MuckWatchCore

/// JSON Lines traces: one flat object per line with the CSV's keys. Numbers may be
/// JSON strings; `null` and `""` mean absent. A byte-level scanner, because
/// Foundation's JSON decoder costs microseconds per line.
enum JSONLinesTraceParser {
    /// Parses the lines of `b[start...]`, the first of which is physical line `firstLine`.
    static func parse(_ b: ByteSpan, from start: Int, firstLine: Int = 1, path: String, file: Int32,
                      plates: inout PlateCache, fixes: inout [Fix], rejects: inout [Reject]) -> Int {
        var row = FixRow()
        var scratch: [UInt8] = []
        var rows = 0
        forEachLine(b, from: start, firstLine: firstLine) { line, s, e in
            rows += 1
            row.clear()
            scratch.removeAll(keepingCapacity: true)
            if let problem = FlatJSON.scan(b, s, e, into: &row) {
                rejects.append(Reject(file: path, line: line, reason: problem))
                return
            }
            var hasEscape = false
            for k in s..<e where b[k] == 0x5C { hasEscape = true; break }
            // Rare: escaped strings (\uXXXX plates). Decode the line properly and read the
            // values from a scratch buffer instead.
            let (fix, reason) = hasEscape
                ? unescaped(b, s, e, &row, &scratch, plates: &plates, file: file, line: line)
                : row.decode(b, plates: &plates, file: file, line: line)
            if let fix {
                fixes.append(fix)
            } else {
                let plate = hasEscape ? scratch.withByteSpan { row.plate($0) } : row.plate(b)
                rejects.append(Reject(file: path, line: line, reason: reason ?? "unreadable row", plate: plate))
            }
        }
        return rows
    }

    /// Calls `body` with the physical line number and the trimmed byte range of every
    /// non-blank line of `b[start...]` (the first being line `firstLine`).
    static func forEachLine(_ b: ByteSpan, from start: Int, firstLine: Int,
                            _ body: (_ line: Int, _ start: Int, _ end: Int) -> Void) {
        var line = firstLine - 1
        var i = start
        while i < b.count {
            line += 1
            let end = b.firstIndex(of: 0x0A, from: i, to: b.count) ?? b.count
            var s = i, e = end
            i = end + 1
            while s < e, b[s] == 0x20 || b[s] == 0x09 || b[s] == 0x0D { s += 1 }
            while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 || b[e - 1] == 0x0D { e -= 1 }
            if s < e { body(line, s, e) }
        }
    }
}

extension JSONLinesTraceParser {
    static func unescaped(_ b: ByteSpan, _ s: Int, _ e: Int, _ row: inout FixRow,
                          _ scratch: inout [UInt8], plates: inout PlateCache, file: Int32, line: Int) -> (Fix?, String?) {
        let data = Data(b.extracting(s..<e))
        // Cleared first: the caller reads the reject's plate from `scratch` through `row`.
        row.clear()
        scratch.removeAll(keepingCapacity: true)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            return (nil, "not a JSON object")
        }
        for c in TraceColumn.allCases {
            guard let v = object[c.key], !(v is NSNull) else { continue }
            let text: String
            if let str = v as? String { text = str }
            else if let n = v as? NSNumber { text = n.stringValue }
            else { row.malformed[c.rawValue] = true; continue }
            if text == "true" || text == "false" { row.boolean[c.rawValue] = text == "true" ? 1 : 0; continue }
            let start = scratch.count
            scratch.append(contentsOf: Array(text.utf8))
            row.set(c, start, scratch.count)
        }
        return scratch.withByteSpan { row.decode($0, plates: &plates, file: file, line: line) }
    }
}

/// Scans one flat JSON object, recording the byte ranges of known keys' values.
enum FlatJSON {
    /// What a value of a flat object is.
    enum Value {
        /// A string's content (escapes left in).
        case string
        /// A bare literal: number, `true`, `false` or `null`.
        case literal
        /// A nested object or array.
        case nested
    }

    /// Walks one flat JSON object in `b[s..<e]`, calling `field` with each key's and value's
    /// byte ranges. `nil` on success, else why the line is not a usable JSON object.
    static func forEachField(_ b: ByteSpan, _ s: Int, _ e: Int,
                             _ field: (_ keyStart: Int, _ keyEnd: Int, _ valueStart: Int, _ valueEnd: Int, Value) -> Void)
        -> String? {
        var i = s
        func skipSpace() { while i < e, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D { i += 1 } }
        guard i < e, b[i] == UInt8(ascii: "{") else { return "not a JSON object" }
        i += 1
        skipSpace()
        if i < e, b[i] == UInt8(ascii: "}") { i += 1; skipSpace(); return i == e ? nil : "text after the JSON object" }
        while true {
            skipSpace()
            guard i < e, b[i] == 0x22 else { return "not a JSON object: expected a key string" }
            guard let (ks, ke, next) = string(b, i, e) else { return "not a JSON object: unterminated string" }
            i = next
            skipSpace()
            guard i < e, b[i] == UInt8(ascii: ":") else { return "not a JSON object: expected ':'" }
            i += 1
            skipSpace()
            guard i < e else { return "not a JSON object: missing value" }
            let c = b[i]
            if c == 0x22 {
                guard let (vs, ve, next) = string(b, i, e) else { return "not a JSON object: unterminated string" }
                field(ks, ke, vs, ve, .string)
                i = next
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                guard let next = skipNested(b, i, e) else { return "not a JSON object: unbalanced brackets" }
                field(ks, ke, i, next, .nested)
                i = next
            } else {
                let vs = i
                while i < e, b[i] != UInt8(ascii: ","), b[i] != UInt8(ascii: "}"), b[i] != 0x20, b[i] != 0x09 { i += 1 }
                field(ks, ke, vs, i, .literal)
            }
            skipSpace()
            guard i < e else { return "not a JSON object: missing '}'" }
            if b[i] == UInt8(ascii: ",") { i += 1; continue }
            if b[i] == UInt8(ascii: "}") {
                i += 1
                skipSpace()
                return i == e ? nil : "text after the JSON object"
            }
            return "not a JSON object: expected ',' or '}'"
        }
    }

    /// Scans a trace line into `row`.
    static func scan(_ b: ByteSpan, _ s: Int, _ e: Int, into row: inout FixRow) -> String? {
        forEachField(b, s, e) { ks, ke, vs, ve, kind in
            guard let column = TraceColumn.match(b, ks, ke) else { return }
            switch kind {
            case .string: row.set(column, vs, ve)
            case .nested: row.malformed[column.rawValue] = true
            case .literal:
                if literal(b, vs, ve, "null") { return }
                if literal(b, vs, ve, "true") { row.boolean[column.rawValue] = 1 }
                else if literal(b, vs, ve, "false") { row.boolean[column.rawValue] = 0 }
                else { row.set(column, vs, ve) }
            }
        }
    }

    /// A string starting at the quote `i`: content range (escapes left in) and the index after it.
    static func string(_ b: ByteSpan, _ i0: Int, _ e: Int) -> (Int, Int, Int)? {
        var i = i0 + 1
        let s = i
        while i < e {
            if b[i] == 0x5C { i += 2; continue }
            if b[i] == 0x22 { return (s, i, i + 1) }
            i += 1
        }
        return nil
    }

    static func skipNested(_ b: ByteSpan, _ i0: Int, _ e: Int) -> Int? {
        var depth = 0
        var i = i0
        while i < e {
            let c = b[i]
            if c == 0x22 {
                guard let (_, _, next) = string(b, i, e) else { return nil }
                i = next
                continue
            }
            if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }

    static func literal(_ b: ByteSpan, _ s: Int, _ e: Int, _ word: StaticString) -> Bool {
        guard e - s == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for j in 0..<(e - s) where b[s + j] != w[j] { return false }
        return true
    }
}
