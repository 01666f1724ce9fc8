import Foundation
public import MuckWatchCore

/// Reads checkpoint camera events (contract section 2), JSON Lines.
public enum CameraReader {
    /// The file's reads, compact and grouped by plate (`CameraReads`): each line goes
    /// straight into the store, never into a `CameraEvent` list of the whole file.
    public static func read(path: String, rejects: inout [Reject]) throws(IngestError) -> CameraReads {
        var reads = CameraReads.Builder()
        try LineFile.forEachLine(path) { b, line, s, e in
            if fast(b, s, e, into: &reads) { return }
            switch event(JSONInput.object(Data(b.extracting(s..<e)))) {
            case .success(let ev): reads.append(ev)
            case .failure(let p): rejects.append(Reject(file: path, line: line, reason: p.message))
            }
        }
        return reads.build()
    }

    private static let keys: [[UInt8]] = ["event_id", "checkpoint_id", "time", "plate", "type", "confidence", "image"]
        .map { Array($0.utf8) }

    /// The common case without Foundation: a flat object without escapes, appended to
    /// `reads` with its id and image bytes as they stand in the line. `false` sends the
    /// line to the general path (escapes, or anything unusual), which also words the errors.
    static func fast(_ b: ByteSpan, _ s: Int, _ e: Int, into reads: inout CameraReads.Builder) -> Bool {
        for k in s..<e where b[k] == 0x5C { return false }
        var ranges = [(Int, Int, FlatJSON.Value)](repeating: (-1, -1, .literal), count: keys.count)
        let problem = FlatJSON.forEachField(b, s, e) { ks, ke, vs, ve, kind in
            for (n, key) in keys.enumerated() where key.count == ke - ks {
                var same = true
                for j in 0..<key.count where b[ks + j] != key[j] { same = false; break }
                if same { ranges[n] = (vs, ve, kind); return }
            }
        }
        if problem != nil { return false }
        /// A non-empty string value's bytes.
        func bytes(_ n: Int) -> ByteSpan? {
            let (a, z, kind) = ranges[n]
            guard a >= 0, kind == .string, z > a else { return nil }
            return b.extracting(a..<z)
        }
        func text(_ n: Int) -> String? { bytes(n).map(\.text) }
        guard let id = bytes(0), let checkpoint = text(1), let plate = text(3), let typeText = text(4),
              let type = CameraEventType(rawValue: typeText) else { return false }
        let (ts, te, tk) = ranges[2]
        guard ts >= 0, tk != .nested, let time = TimeParser.parse(b.extracting(ts..<te)) else { return false }
        let (cs, ce, ck) = ranges[5]
        guard cs >= 0, ck != .nested, let confidence = ByteNumber.parse(b, cs, ce), (0...1).contains(confidence) else {
            return false
        }
        reads.append(id: id, checkpointID: checkpoint, time: time, plate: plate, type: type, confidence: confidence,
                     image: bytes(6))
        return true
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
