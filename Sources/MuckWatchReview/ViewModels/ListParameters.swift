import Foundation
import Hummingbird
import MuckWatchCore

/// The filters a list page's URL carries (`/cases`, `/manifests`): read once, each problem told
/// rather than guessed at, and kept to rebuild links (tabs, pager) that change one of them.
struct ListParameters {
    let path: String
    let query: Parameters
    /// The parameters read, in the order read.
    private(set) var items: [(String, String)] = []
    /// What was asked for but not understood, as the page says it.
    var problems: [String] = []

    init(path: String, _ query: Parameters) {
        self.path = path
        self.query = query
    }

    /// The trimmed value of `key` (percent-decoded; the first of repeated keys), `nil` when empty.
    mutating func text(_ key: String) -> String? {
        guard let v = query.get(key)?.trimmingCharacters(in: .whitespaces), !v.isEmpty else { return nil }
        items.append((key, v))
        return v
    }

    /// The value of `key` read by `parse`; one it cannot read is a problem named `what`.
    mutating func value<T>(_ key: String, _ what: String, _ parse: (String) -> T?) -> T? {
        guard let v = text(key) else { return nil }
        if let x = parse(v) { return x }
        problems.append("unknown \(what) “\(v)”")
        return nil
    }

    mutating func date(_ key: String) -> LocalDate? {
        guard let v = text(key) else { return nil }
        if let d = LocalDate(parsing: v) { return d }
        problems.append("“\(v)” is not a date (YYYY-MM-DD)")
        return nil
    }

    /// The page number asked for, 1 when none or nonsense.
    var page: Int {
        guard let v = query.get("page"), let n = Int(v), n >= 1 else { return 1 }
        return min(n, 1_000_000)
    }

    /// "Ignored: …", when something asked for was not understood.
    var notice: String? { problems.isEmpty ? nil : "Ignored: " + problems.joined(separator: "; ") }

    /// The page asked for among `total` rows: how many pages there are (at least one, to say
    /// "page 1 of 1") and links to the neighbours that keep the filters.
    func pager(total: Int, pageSize: Int) -> (page: Int, pages: Int, previous: String?, next: String?) {
        let pages = max(1, (total + pageSize - 1) / pageSize)
        return (page, pages, page > 1 ? link(["page": String(page - 1)]) : nil,
                page < pages ? link(["page": String(page + 1)]) : nil)
    }

    /// This list's URL with some parameters replaced (`nil` removes one).
    func link(_ changes: [String: String?]) -> String {
        var kept = items.filter { changes[$0.0] == nil }
        for (k, v) in changes.sorted(by: { $0.key < $1.key }) { if let v = v ?? nil { kept.append((k, v)) } }
        return Self.link(path: path, kept)
    }

    /// `path?k=v&…`, each value percent-encoded.
    static func link(path: String, _ items: [(String, String)]) -> String {
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
        let query = items.map { k, v in k + "=" + (v.addingPercentEncoding(withAllowedCharacters: allowed) ?? "") }
        return path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
