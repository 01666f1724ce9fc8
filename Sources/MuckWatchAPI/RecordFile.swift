import Foundation
import Hummingbird
import MuckWatchCore
import MuckWatchIngest

/// Runs one of the readers `analyze` uses (`ManifestReader`, `GateEventReader`,
/// `CameraReader`) over a request's records: they read files, so the records are written to
/// a private temporary file of one record a line, read and removed. A reject's line is then
/// the record's position among those written.
enum RecordFile {
    static func read<R>(_ records: [Data], _ reader: (String, inout [Reject]) throws(IngestError) -> R)
        throws(APIProblem) -> (R, rejects: [Int: String]) {
        let path = NSTemporaryDirectory() + "muckwatch-api-" + UUID().uuidString + ".jsonl"
        var text = Data()
        for r in records {
            text.append(r)
            text.append(0x0A)
        }
        guard FileManager.default.createFile(atPath: path, contents: text, attributes: [.posixPermissions: 0o600]) else {
            throw APIProblem(status: .internalServerError,
                             message: "cannot write a temporary file in \(NSTemporaryDirectory()): check its space and permissions",
                             field: nil)
        }
        defer { try? FileManager.default.removeItem(atPath: path) }
        var rejects: [Reject] = []
        do {
            let read = try reader(path, &rejects)
            var byLine: [Int: String] = [:]
            for r in rejects where byLine[r.line] == nil { byLine[r.line] = r.reason }
            return (read, byLine)
        } catch {
            // The whole batch is unreadable (no record is JSON): say so about the body.
            throw .badRequest(Self.withoutPath(error.description, path), field: "body")
        }
    }

    /// A reader's message without the temporary file's name, which means nothing to the client.
    private static func withoutPath(_ message: String, _ path: String) -> String {
        message.replacingOccurrences(of: path + ": ", with: "").replacingOccurrences(of: path, with: "the body")
    }
}
