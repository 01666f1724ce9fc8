import Foundation
import MuckWatchCore

/// Reads checkpoint camera events (contract section 2), JSON Lines.
public enum CameraReader {
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> [CameraEvent] {
        let data = try JSONInput.read(path)
        var out: [CameraEvent] = []
        for (line, text) in JSONInput.lines(data) {
            switch event(JSONInput.object(text)) {
            case .success(let e): out.append(e)
            case .failure(let p): rejects.append(Reject(file: path, line: line, reason: p.message))
            }
        }
        return out
    }

    static func event(_ any: Any?) -> Result<CameraEvent, PermitReader.Problem> {
        func bad(_ m: String) -> Result<CameraEvent, PermitReader.Problem> { .failure(.init(message: m)) }
        guard let o = any as? [String: Any] else { return bad("not a JSON object") }
        func text(_ k: String) -> String? { JSONInput.string(o[k]).flatMap { $0.isEmpty ? nil : $0 } }
        guard let id = text("event_id") else { return bad("missing event_id") }
        guard let checkpoint = text("checkpoint_id") else { return bad("event \(id): missing checkpoint_id") }
        guard let plate = text("plate") else { return bad("event \(id): missing plate") }
        guard let timeText = text("time"), let time = TimeParser.parse(timeText) else {
            return bad("event \(id): bad time '\(text("time") ?? "")': need ISO 8601 with an offset or Unix seconds")
        }
        guard let typeText = text("type"), let type = CameraEventType(rawValue: typeText) else {
            return bad("event \(id): unknown type '\(text("type") ?? "")' (valid: pass, overload, unsealed, spill)")
        }
        guard let c = JSONInput.number(o["confidence"]), let confidence = c, (0...1).contains(confidence) else {
            return bad("event \(id): confidence must be a number from 0 to 1")
        }
        return .success(CameraEvent(id: id, checkpointID: checkpoint, time: time, plate: plate, type: type,
                                    confidence: confidence, image: text("image")))
    }
}
