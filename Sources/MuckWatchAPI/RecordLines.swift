import Foundation

/// An ingestion request's records, one JSON text each, in the order sent: a JSON array's
/// elements or a JSON Lines body's non-blank lines. The readers `analyze` uses take them
/// from a file of one record a line (`RecordFile`), so a record's line there is its position here.
struct RecordLines {
    var records: [Data]

    /// At most this many bytes of body are read (a larger batch is refused, not truncated).
    static let maxBytes = 16 << 20

    /// A JSON Lines body, or a JSON array sent as one.
    init(body: Data) throws(APIProblem) {
        let significant = body.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
        if significant == UInt8(ascii: "[") {
            guard let array = try? JSONSerialization.jsonObject(with: body) as? [Any] else {
                throw .badRequest("the body starts with [ but is not a JSON array: send a JSON array or JSON Lines", field: "body")
            }
            records = try array.map { (element: Any) throws(APIProblem) -> Data in try Self.line(element) }
            return
        }
        records = body.split(separator: 0x0A, omittingEmptySubsequences: true).map { Data($0) }
            .filter { line in line.contains { ![0x20, 0x09, 0x0D].contains($0) } }
    }

    /// A JSON array the generated stub already decoded.
    init(elements: [some Encodable]) throws(APIProblem) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        records = []
        for e in elements {
            guard let data = try? encoder.encode(e) else {
                throw .badRequest("an element of the array cannot be read back as JSON", field: "body")
            }
            records.append(data)
        }
    }

    private static func line(_ element: Any) throws(APIProblem) -> Data {
        // A non-object element is written as it is; the reader rejects it with its reason.
        guard let data = try? JSONSerialization.data(withJSONObject: element, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        else { throw .badRequest("an element of the array is not JSON", field: "body") }
        return data
    }

    /// The record's `key` as the readers take an id: a non-empty string, or a number's text.
    static func id(_ record: Data, key: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: record) as? [String: Any] else { return nil }
        switch object[key] {
        case let s as String: return s.isEmpty ? nil : s
        case let n as NSNumber:
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : n.stringValue
        default: return nil
        }
    }
}
