import ArgumentParser
import Foundation
import Logging

/// How `serve` and `gateway` write their logs: swift-log's lines for people (the default),
/// or one JSON object per line for a log shipper (Loki, Elasticsearch, journald's JSON).
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json

    /// Sends every logger made from now on to stderr in this format.
    func bootstrap() {
        switch self {
        case .text: LoggingSystem.bootstrap(StreamLogHandler.standardError)
        case .json: LoggingSystem.bootstrap { JSONLogHandler(label: $0) }
        }
    }
}

/// One log event as one JSON line: `time` (UTC, milliseconds), `level`, `label`, `message`,
/// `metadata`, and `request_id` on top when the event belongs to an HTTP request
/// (Hummingbird's `hb.request.id`), so a shipper can index and join on it.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?
    /// Where a line goes: one `write(2)` per line, so lines from several threads never interleave.
    var write: @Sendable (Data) -> Void = { FileHandle.standardError.write($0) }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let own = event.metadata { all.merge(own) { _, new in new } }
        var line: [String: Any] = [
            "time": Date().formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true)
                                     .timeZone(separator: .omitted)),
            "level": event.level.rawValue,
            "label": label,
            "message": event.message.description,
        ]
        if let id = all.removeValue(forKey: "hb.request.id") { line["request_id"] = Self.json(id) }
        if !all.isEmpty { line["metadata"] = all.mapValues(Self.json) }
        guard var data = try? JSONSerialization.data(withJSONObject: line, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return }
        data.append(0x0A)
        write(data)
    }

    static func json(_ v: Logger.Metadata.Value) -> Any {
        switch v {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let a): a.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }
}
