import Foundation
import MuckWatchCore
import MuckWatchStore

/// The opaque `cursor` of a paged listing: the last row's ordering key, base64url-encoded
/// text. Keys, not offsets: a row added or removed meanwhile never repeats or skips one.
enum PageCursor {
    static func encode(_ parts: [String]) -> String {
        Data(parts.joined(separator: "\u{1F}").utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The parts of `cursor`, or a 400 naming the `cursor` parameter.
    static func decode(_ cursor: String, parts count: Int) throws(APIProblem) -> [String] {
        var b64 = cursor.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8) else {
            throw .badRequest("cursor “\(cursor)” is not one this API gave: pass a page's next_cursor as it is", field: "cursor")
        }
        let parts = text.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == count else {
            throw .badRequest("cursor “\(cursor)” is not one this API gave: pass a page's next_cursor as it is", field: "cursor")
        }
        return parts
    }

    static func caseKey(_ cursor: String?) throws(APIProblem) -> CasePageKey? {
        guard let cursor else { return nil }
        let p = try decode(cursor, parts: 2)
        guard let date = LocalDate(parsing: p[0]) else {
            throw .badRequest("cursor “\(cursor)” is not one this API gave", field: "cursor")
        }
        return CasePageKey(date: date, caseID: p[1])
    }

    static func tripKey(_ cursor: String?) throws(APIProblem) -> TripPageKey? {
        guard let cursor else { return nil }
        let p = try decode(cursor, parts: 2)
        guard let at = Int64(p[0]) else { throw .badRequest("cursor “\(cursor)” is not one this API gave", field: "cursor") }
        return TripPageKey(loadedAt: at, key: p[1])
    }
}
