import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchStore

/// One kind of record the API ingests: its id field, the reader `analyze` uses for it, and
/// where the store keeps it (the chain inbox for manifests and gate passes, which the
/// gateway polls; the camera reads table for camera events).
enum RecordKind: String, Sendable {
    case manifests, gateEvents = "gate_events", cameraEvents = "camera_events"

    var idKey: String { self == .manifests ? "manifest_id" : "event_id" }
}

/// Ingests a request's records: repeats within the request answered as duplicates, the rest
/// read by the contract's reader, written to the store unless already there unchanged, and the
/// request audited under the token.
struct Ingestion {
    let store: APIStore

    func ingest(_ lines: RecordLines, kind: RecordKind, actor: String) async throws -> [RecordAnswer] {
        var answers: [RecordAnswer?] = Array(repeating: nil, count: lines.records.count)
        // Repeats of an id within the request: the first is kept (as the readers do for a file).
        var firstOf: [String: Int] = [:]
        var fresh: [(index: Int, id: String?, data: Data)] = []
        for (i, r) in lines.records.enumerated() {
            let id = RecordLines.id(r, key: kind.idKey)
            if let id, let first = firstOf[id] {
                answers[i] = RecordAnswer(record: i + 1, id: id, outcome: .duplicate,
                                          reason: "repeats record \(first + 1) of this request")
                continue
            }
            if let id { firstOf[id] = i }
            fresh.append((i, id, r))
        }
        let written = try await write(fresh.map(\.data), kind: kind)
        for (line, (index, id, _)) in fresh.enumerated() {
            switch written[line] {
            case .written(let recordID): answers[index] = RecordAnswer(record: index + 1, id: recordID, outcome: .accepted)
            case .unchanged(let recordID):
                answers[index] = RecordAnswer(record: index + 1, id: recordID, outcome: .duplicate,
                                              reason: "already stored with the same content")
            case .rejected(let reason): answers[index] = RecordAnswer(record: index + 1, id: id, outcome: .rejected, reason: reason)
            }
        }
        let out = answers.compactMap { $0 }
        let audit = IngestionAudit(actor: actor, kind: kind.rawValue,
                                   accepted: out.filter { $0.outcome == .accepted }.compactMap(\.id),
                                   duplicate: out.count { $0.outcome == .duplicate },
                                   rejected: out.count { $0.outcome == .rejected })
        try await store.with { s throws(StoreError) in try s.auditIngestion(audit) }
        return out
    }

    /// What became of each line given to the reader.
    private enum Written: Sendable {
        case written(String), unchanged(String), rejected(String)
    }

    /// Reads `records` with the contract's reader and writes what it accepts; one answer per record.
    private func write(_ records: [Data], kind: RecordKind) async throws -> [Written] {
        guard !records.isEmpty else { return [] }
        switch kind {
        case .manifests:
            let (manifests, rejects) = try RecordFile.read(records) { p, r throws(IngestError) in try ManifestReader.read(path: p, rejects: &r) }
            let flags = try await store.with { s throws(StoreError) in try s.writeManifests(manifests, clock: s.clock) }
            return Self.pair(records.count, rejects, zip(manifests.map(\.id), flags).map { $0 })
        case .gateEvents:
            let (events, rejects) = try RecordFile.read(records) { p, r throws(IngestError) in try GateEventReader.read(path: p, rejects: &r) }
            let flags = try await store.with { s throws(StoreError) -> [Bool?] in
                let owners = try s.tagOwners()
                let owned = events.compactMap { e in e.vehicle(tagOwners: owners).map { (vehicle: $0, event: e) } }
                var flags = try s.writeGateEvents(owned, clock: s.clock)[...]
                // A pass whose tag nobody registered belongs to no vehicle: it is not written.
                return events.map { e in e.vehicle(tagOwners: owners) == nil ? nil : flags.popFirst() }
            }
            var results = Self.pair(records.count, rejects, zip(events.map(\.id), flags.map { $0 ?? false }).map { $0 })
            // Lines given to the reader, accepted by it, whose pass has no vehicle: rejected with the reason.
            var accepted = (0..<records.count).filter { rejects[$0 + 1] == nil }.makeIterator()
            for (e, flag) in zip(events, flags) {
                guard let line = accepted.next() else { break }
                if flag == nil {
                    results[line] = .rejected("gate event \(e.id): no plate read, and tag \(e.rfid ?? "?") belongs to no registered vehicle")
                }
            }
            return results
        case .cameraEvents:
            let (reads, rejects) = try RecordFile.read(records) { p, r throws(IngestError) in try CameraReader.read(path: p, rejects: &r) }
            // The reader groups reads by plate; each accepted line is found again by its id.
            var byID: [String: CameraEvent] = [:]
            for e in reads.allEvents { byID[e.id] = e }
            let ids = records.map { RecordLines.id($0, key: RecordKind.cameraEvents.idKey) }
            let events = (0..<records.count).compactMap { i in rejects[i + 1] == nil ? ids[i].flatMap { byID[$0] } : nil }
            let flags = try await store.with { s throws(StoreError) in try s.writeCameraEvents(events, clock: s.clock) }
            return Self.pair(records.count, rejects, zip(events.map(\.id), flags).map { $0 })
        }
    }

    /// The reader's rejects by line, and the accepted records in order (each with whether the
    /// store wrote it) on the remaining lines.
    private static func pair(_ count: Int, _ rejects: [Int: String], _ accepted: [(String, Bool)]) -> [Written] {
        var next = accepted.makeIterator()
        return (0..<count).map { i in
            if let reason = rejects[i + 1] { return .rejected(reason) }
            guard let (id, written) = next.next() else { return .rejected("not read") }
            return written ? .written(id) : .unchanged(id)
        }
    }
}
