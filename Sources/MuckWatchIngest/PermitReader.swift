import Foundation
public import MuckWatchCore

/// Reads disposal permits (contract section 4): a JSON array or JSON Lines.
/// A bad permit is a reject (with the line its object starts on); the rest are used.
public enum PermitReader {
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> [Permit] {
        let data = try JSONInput.read(path)
        let records = try JSONRecords.split(data, path: path, what: "permits") { p, r throws(IngestError) in
            IngestError.invalidPermits(path: p, reason: r)
        }
        var out: [Permit] = []
        var seen = Set<String>()
        for (line, object) in records {
            switch permit(object) {
            case .success(let p):
                if seen.contains(p.id) {
                    rejects.append(Reject(file: path, line: line, reason: "duplicate permit_id \(p.id)"))
                } else {
                    seen.insert(p.id)
                    out.append(p)
                }
            case .failure(let why): rejects.append(Reject(file: path, line: line, reason: why.message))
            }
        }
        return out
    }

    struct Problem: Error { let message: String }

    static func permit(_ any: Any) -> Result<Permit, Problem> {
        guard let o = any as? [String: Any] else { return .failure(Problem(message: "permit is not a JSON object")) }
        func text(_ k: String) -> String? { (JSONInput.string(o[k])).flatMap { $0.isEmpty ? nil : $0 } }
        guard let id = text("permit_id") else { return .failure(Problem(message: "permit without permit_id")) }
        func bad(_ m: String) -> Result<Permit, Problem> { .failure(Problem(message: "permit \(id): \(m)")) }
        guard let vehicles = o["vehicles"] as? [Any], !vehicles.isEmpty else { return bad("'vehicles' must be a non-empty list of plates") }
        let plates = vehicles.compactMap { $0 as? String }
        guard plates.count == vehicles.count else { return bad("'vehicles' must list plates as strings") }
        guard let source = text("source_site") else { return bad("missing source_site") }
        guard let disposal = text("disposal_site") else { return bad("missing disposal_site") }
        guard let fromText = text("valid_from"), let from = LocalDate(parsing: fromText) else { return bad("valid_from must be YYYY-MM-DD") }
        guard let toText = text("valid_to"), let to = LocalDate(parsing: toText) else { return bad("valid_to must be YYYY-MM-DD") }
        guard from <= to else { return bad("valid_from \(fromText) is after valid_to \(toText)") }
        var hours: [HourWindow]?
        if let h = o["hours"], !(h is NSNull) {
            guard let list = h as? [Any] else { return bad("hours must be a list like [\"22:00-06:00\"]") }
            var ws: [HourWindow] = []
            for item in list {
                guard let s = item as? String, let w = HourWindow(parsing: s) else { return bad("hours entry \(item) is not HH:MM-HH:MM") }
                ws.append(w)
            }
            hours = ws.isEmpty ? nil : ws
        }
        return .success(Permit(id: id, vehicles: plates, sourceSite: source, disposalSite: disposal, route: text("route"),
                               validFrom: from, validTo: to, hours: hours))
    }
}

/// Splits a JSON array or JSON Lines file into records with the line each starts on.
enum JSONRecords {
    static func split(_ data: Data, path: String, what: String,
                      error: (String, String) throws(IngestError) -> IngestError) throws(IngestError) -> [(Int, Any)] {
        let bytes = [UInt8](data)
        var k = 0
        while k < bytes.count, [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains(bytes[k]) { k += 1 }
        guard k < bytes.count else { throw try error(path, "empty file: expected a JSON array or JSON Lines of \(what)") }
        if bytes[k] == UInt8(ascii: "[") {
            guard let array = JSONInput.object(data) as? [Any] else { throw try error(path, "not valid JSON (expected an array of \(what))") }
            let starts = objectStartLines(bytes, from: k + 1)
            return array.enumerated().map { (i, o) in (i < starts.count ? starts[i] : 0, o) }
        }
        var out: [(Int, Any)] = []
        for (line, text) in JSONInput.lines(data) {
            out.append((line, JSONInput.object(text) ?? NotJSON()))
        }
        return out
    }

    /// Physical line of each top-level element of an array starting after `from`. Every
    /// element counts, scalars and `null` included, so the records after them keep their lines.
    static func objectStartLines(_ b: [UInt8], from: Int) -> [Int] {
        var line = 1
        for i in 0..<from where b[i] == 0x0A { line += 1 }
        var depth = 0, inString = false, escaped = false, expectingValue = true
        var out: [Int] = []
        var i = from
        while i < b.count {
            let c = b[i]
            if c == 0x0A { line += 1 }
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
            } else if c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D {
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth < 0 { break }
            } else if depth == 0 && c == UInt8(ascii: ",") {
                expectingValue = true
            } else {
                if depth == 0 && expectingValue { out.append(line); expectingValue = false }
                if c == 0x22 { inString = true }
                if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { depth += 1 }
            }
            i += 1
        }
        return out
    }
}

/// A JSON Lines line that is not JSON at all (kept in place so it is rejected on its line).
struct NotJSON {
    /// False for bytes that are not UTF-8, which the reject says (a GBK export, not a typo).
    var isUTF8 = true

    static let notUTF8 = "not valid UTF-8 (save the file as UTF-8, not GBK)"
}
