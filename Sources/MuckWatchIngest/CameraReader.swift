import Foundation
import MuckWatchCore

/// Reads checkpoint camera events (contract section 2), JSON Lines.
public enum CameraReader {
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> [CameraEvent] {
        var out: [CameraEvent] = []
        try LineFile.forEachLine(path) { b, line, s, e in
            let result = fast(b, s, e) ?? event(JSONInput.object(Data(UnsafeBufferPointer(rebasing: b[s..<e]))))
            switch result {
            case .success(let ev): out.append(ev)
            case .failure(let p): rejects.append(Reject(file: path, line: line, reason: p.message))
            }
        }
        return out
    }

    private static let keys: [[UInt8]] = ["event_id", "checkpoint_id", "time", "plate", "type", "confidence", "image"]
        .map { Array($0.utf8) }

    /// The common case without Foundation: a flat object without escapes. `nil` sends the
    /// line to the general path (escapes, or anything unusual), which also words the errors.
    static func fast(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Result<CameraEvent, PermitReader.Problem>? {
        for k in s..<e where b[k] == 0x5C { return nil }
        var ranges = [(Int, Int, FlatJSON.Value)](repeating: (-1, -1, .literal), count: keys.count)
        let problem = FlatJSON.forEachField(b, s, e) { ks, ke, vs, ve, kind in
            for (n, key) in keys.enumerated() where key.count == ke - ks {
                var same = true
                for j in 0..<key.count where b[ks + j] != key[j] { same = false; break }
                if same { ranges[n] = (vs, ve, kind); return }
            }
        }
        if problem != nil { return nil }
        func text(_ n: Int) -> String? {
            let (a, z, kind) = ranges[n]
            guard a >= 0, kind == .string, z > a else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: b[a..<z]), as: UTF8.self)
        }
        guard let id = text(0), let checkpoint = text(1), let plate = text(3), let typeText = text(4),
              let type = CameraEventType(rawValue: typeText) else { return nil }
        let (ts, te, tk) = ranges[2]
        guard ts >= 0, tk != .nested, let time = TimeParser.parse(UnsafeBufferPointer(rebasing: b[ts..<te])) else { return nil }
        let (cs, ce, ck) = ranges[5]
        guard cs >= 0, ck != .nested, let confidence = ByteNumber.parse(b, cs, ce), (0...1).contains(confidence) else {
            return nil
        }
        return .success(CameraEvent(id: id, checkpointID: checkpoint, time: time, plate: plate, type: type,
                                    confidence: confidence, image: text(6)))
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
