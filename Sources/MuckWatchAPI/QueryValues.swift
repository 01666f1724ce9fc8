import Foundation
import MuckWatchCore

/// The checks a listing's query parameters need beyond what the generated stubs decode.
enum QueryValues {
    static let defaultLimit = 50
    static let maxLimit = 500

    /// `limit`, 1…500 (50 when absent).
    static func limit(_ value: Int?) throws(APIProblem) -> Int {
        guard let value else { return defaultLimit }
        guard (1...maxLimit).contains(value) else {
            throw .badRequest("limit \(value) is outside 1…\(maxLimit)", field: "limit")
        }
        return value
    }

    /// A local date parameter, exactly YYYY-MM-DD (the document's `format: date`); `nil` when absent.
    static func date(_ value: String?, field: String) throws(APIProblem) -> LocalDate? {
        guard let text = value else { return nil }
        guard text.utf8.count == 10, let d = LocalDate(parsing: text), d.description == text else {
            throw .badRequest("“\(text)” is not a date (YYYY-MM-DD)", field: field)
        }
        return d
    }

    /// A text filter, trimmed; `nil` when absent or empty.
    static func text(_ value: String?) -> String? {
        guard let t = value?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        return t
    }
}
