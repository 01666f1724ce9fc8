import Foundation
public import MuckWatchCore

/// The keys of `run_metadata`: a `RunRecord` as text rows, readable with any SQLite
/// client (`benchmarks/run` reads the stage timings this way).
enum RunMetadataKey: String, CaseIterable {
    case mode
    case startedAt = "started_at"
    case fences, traces, cameras, permits, vehicles
    case fenceCoords = "fence_coords", traceCoords = "trace_coords"
    case config, projection, timezone, buckets
    case dataFrom = "data_from", dataTo = "data_to"
    /// `K/N` of a partitioned run (issue #23); absent for a run over the whole night.
    case partition

    /// Stage timings are keyed `seconds_<stage>`.
    static let stagePrefix = "seconds_"
    /// The projection is written `EPSG:<code>`.
    static let epsgPrefix = "EPSG:"
}

extension RunRecord {
    /// The record's rows; times in `clock`'s zone, seconds to the millisecond, absent
    /// optional inputs as empty text, trace paths separated by spaces.
    func metadataRows(clock: LocalClock) -> [(key: String, value: String)] {
        var rows: [(key: RunMetadataKey, value: String)] = []
        if mode == .live { rows.append((.mode, mode.rawValue)) }
        if let startedAt { rows.append((.startedAt, clock.format(startedAt))) }
        if let i = inputs {
            let r = i.references
            rows += [(.fences, r.fences), (.traces, i.traces.joined(separator: " ")), (.cameras, r.cameras ?? ""),
                     (.permits, r.permits ?? ""), (.vehicles, r.vehicles ?? ""),
                     (.fenceCoords, r.fenceCoords.rawValue), (.traceCoords, i.traceDatum.rawValue),
                     (.config, r.config ?? "")]
        }
        if let projectionEPSG { rows.append((.projection, RunMetadataKey.epsgPrefix + String(projectionEPSG))) }
        if let timezone { rows.append((.timezone, timezone)) }
        if let buckets { rows.append((.buckets, String(buckets))) }
        if let dataSpan {
            rows.append((.dataFrom, clock.format(dataSpan.lowerBound)))
            rows.append((.dataTo, clock.format(dataSpan.upperBound)))
        }
        if let partition { rows.append((.partition, partition.description)) }
        return rows.map { ($0.key.rawValue, $0.value) }
            + stageTimings.map { (RunMetadataKey.stagePrefix + $0.stage, String(format: "%.3f", $0.seconds)) }
    }

    /// The record `rows` (one run's, any order) describe; keys this build does not know are
    /// skipped, a known key with an unreadable value is `.corrupt`.
    init(metadataRows rows: [(key: String, value: String)], run: Int64) throws(StoreError) {
        self.init()
        var values: [RunMetadataKey: String] = [:]
        for (key, value) in rows {
            if let k = RunMetadataKey(rawValue: key) {
                values[k] = value
            } else if key.hasPrefix(RunMetadataKey.stagePrefix) {
                guard let seconds = Double(value) else { throw .corrupt(what: "\(key) \(value) of run \(run)") }
                stageTimings.append(StageTiming(String(key.dropFirst(RunMetadataKey.stagePrefix.count)), seconds: seconds))
            }
        }
        func time(_ k: RunMetadataKey) throws(StoreError) -> Int64? {
            guard let text = values[k] else { return nil }
            guard let t = TimeParser.parse(text) else { throw .corrupt(what: "\(k.rawValue) \(text) of run \(run)") }
            return t
        }
        func number(_ k: RunMetadataKey, after prefix: String = "") throws(StoreError) -> Int? {
            guard let text = values[k] else { return nil }
            guard text.hasPrefix(prefix), let n = Int(text.dropFirst(prefix.count)) else {
                throw .corrupt(what: "\(k.rawValue) \(text) of run \(run)")
            }
            return n
        }
        func datum(_ k: RunMetadataKey) throws(StoreError) -> Datum {
            let text = values[k] ?? ""
            guard let d = Datum(rawValue: text) else { throw .corrupt(what: "\(k.rawValue) \(text) of run \(run)") }
            return d
        }
        if let m = values[.mode] {
            guard let mode = Mode(rawValue: m) else { throw .corrupt(what: "mode \(m) of run \(run)") }
            self.mode = mode
        }
        startedAt = try time(.startedAt)
        if let fences = values[.fences] {
            func path(_ k: RunMetadataKey) -> String? { values[k].flatMap { $0.isEmpty ? nil : $0 } }
            inputs = RunInputs(
                references: ReferenceFiles(fences: fences, cameras: path(.cameras), permits: path(.permits),
                                           vehicles: path(.vehicles), config: path(.config),
                                           fenceCoords: try datum(.fenceCoords)),
                traces: (values[.traces] ?? "").split(separator: " ").map(String.init),
                traceDatum: try datum(.traceCoords))
        }
        projectionEPSG = try number(.projection, after: RunMetadataKey.epsgPrefix)
        timezone = values[.timezone]
        buckets = try number(.buckets)
        if let text = values[.partition] {
            guard let p = PlatePartition(text) else { throw .corrupt(what: "partition \(text) of run \(run)") }
            partition = p
        }
        if let from = try time(.dataFrom), let to = try time(.dataTo) {
            guard from <= to else { throw .corrupt(what: "data span \(from)…\(to) of run \(run)") }
            dataSpan = from...to
        }
    }
}

extension CaseStore {
    /// Writes `record`'s rows for `runID`, and a batch run's `summary` (`summary.…` rows).
    func writeMetadata(_ record: RunRecord, summary: Summary? = nil, runID: Int64, clock: LocalClock)
        throws(StoreError) {
        let p = try ReplacingInsert<Parameters<RunMetadataColumns>>(db, into: "run_metadata", key: [.runID, .key])
        for (key, value) in record.metadataRows(clock: clock) + (summary?.metadataRows() ?? []) {
            try p.run { c in
                switch c {
                case .runID: .int(runID)
                case .key: .text(key)
                case .value: .text(value)
                }
            }
        }
    }

    /// The record of run `id` as written, `nil` for an unknown run.
    public func runRecord(id: Int64) throws(StoreError) -> RunRecord? {
        let known = try Parameters<RunColumns>(db, "SELECT 1 FROM runs WHERE id = :id")
        try known.bind(.id, .int(id))
        guard try known.statement.step() else { return nil }
        let r = try ResultColumns<RunMetadataColumns>(db, from: "run_metadata WHERE run_id = :run_id ORDER BY key")
        try r.bind(.runID, .int(id))
        var rows: [(key: String, value: String)] = []
        while try r.step() { rows.append((r.text(.key), r.text(.value))) }
        return try RunRecord(metadataRows: rows, run: id)
    }
}
