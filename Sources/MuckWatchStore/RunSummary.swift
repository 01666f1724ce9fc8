public import MuckWatchCore

/// A batch run's `summary.json` counts as `run_metadata` rows (`summary.<name>`), so the
/// night's summary can be rebuilt from the store alone: after N partitions of one night
/// were written by N processes (the Spark driver's), `muckwatch cases summary` adds them
/// up (`Summary.merged`). Tonnes are kept exactly (Swift's shortest round-trip decimal).
enum SummaryRow {
    static let prefix = "summary."
    /// The integer counts, by the name `summary.json` gives them.
    static var counts: [(String, WritableKeyPath<Summary, Int>)] {
        [("fixes_read", \.fixesRead), ("fixes_accepted", \.fixesAccepted), ("fixes_rejected", \.fixesRejected),
         ("fixes_duplicate", \.fixesDuplicate), ("fixes_outlier", \.fixesOutlier), ("vehicles", \.vehicles),
         ("trips", \.trips), ("cases", \.cases), ("other_rows_rejected", \.otherRejected)]
    }
    static var chainCounts: [(String, WritableKeyPath<ChainSummary, Int>)] {
        [("manifests_opened", \.manifestsOpened), ("manifests_closed", \.manifestsClosed),
         ("trips_without_manifest", \.tripsWithoutManifest)]
    }
    static let violation = "violations.", sourceTonnes = "tonnes_by_source_site.",
               disposalTonnes = "tonnes_by_disposal_site.", warning = "warning.", chain = "chain.",
               facilityTonnes = "chain.tonnes_by_facility.", wasteTonnes = "chain.tonnes_by_waste_type."
}

extension Summary {
    /// The rows of this summary (without its partition: the run record has it).
    func metadataRows() -> [(key: String, value: String)] {
        var rows: [(String, String)] = SummaryRow.counts.map { (SummaryRow.prefix + $0.0, String(self[keyPath: $0.1])) }
        func add(_ group: String, _ name: String, _ value: String) { rows.append((SummaryRow.prefix + group + name, value)) }
        for (t, n) in violationsByType { add(SummaryRow.violation, t.rawValue, String(n)) }
        for (site, t) in tonnesBySourceSite { add(SummaryRow.sourceTonnes, site, String(t)) }
        for (site, t) in tonnesByDisposalSite { add(SummaryRow.disposalTonnes, site, String(t)) }
        // Zero-padded so the warnings read back in their order.
        for (i, w) in warnings.enumerated() { add(SummaryRow.warning, String(1_000_000 + i).dropFirst() + "", w) }
        if let c = chain {
            for (name, path) in SummaryRow.chainCounts { add(SummaryRow.chain, name, String(c[keyPath: path])) }
            for (f, t) in c.tonnesByFacility { add(SummaryRow.facilityTonnes, f.rawValue, String(t)) }
            for (w, t) in c.tonnesByWasteType { add(SummaryRow.wasteTonnes, w.rawValue, String(t)) }
        }
        return rows.map { (key: $0.0, value: $0.1) }
    }

    /// The summary `rows` (one run's, any order, other keys ignored) hold; `nil` when they
    /// hold none (a live session, or a run written before summaries were kept).
    init?(metadataRows rows: [(key: String, value: String)], run: Int64) throws(StoreError) {
        self.init()
        var found = false
        var warnings: [(String, String)] = []
        for (key, value) in rows where key.hasPrefix(SummaryRow.prefix) {
            found = true
            let name = String(key.dropFirst(SummaryRow.prefix.count))
            func bad() -> StoreError { .corrupt(what: "\(key) \(value) of run \(run)") }
            func int() throws(StoreError) -> Int { guard let n = Int(value) else { throw bad() }; return n }
            func tonnes() throws(StoreError) -> Double { guard let t = Double(value) else { throw bad() }; return t }
            func after(_ group: String) -> String? { name.hasPrefix(group) ? String(name.dropFirst(group.count)) : nil }
            if let path = SummaryRow.counts.first(where: { $0.0 == name })?.1 {
                self[keyPath: path] = try int()
            } else if let t = after(SummaryRow.violation) {
                guard let type = ViolationType(rawValue: t) else { throw bad() }
                violationsByType[type] = try int()
            } else if let site = after(SummaryRow.sourceTonnes) {
                tonnesBySourceSite[site] = try tonnes()
            } else if let site = after(SummaryRow.disposalTonnes) {
                tonnesByDisposalSite[site] = try tonnes()
            } else if let order = after(SummaryRow.warning) {
                warnings.append((order, value))
            } else if let f = after(SummaryRow.facilityTonnes) {
                guard let facility = Facility(rawValue: f) else { throw bad() }
                chain = chain ?? ChainSummary()
                chain?.tonnesByFacility[facility] = try tonnes()
            } else if let w = after(SummaryRow.wasteTonnes) {
                guard let waste = WasteType(rawValue: w) else { throw bad() }
                chain = chain ?? ChainSummary()
                chain?.tonnesByWasteType[waste] = try tonnes()
            } else if let c = after(SummaryRow.chain), let path = SummaryRow.chainCounts.first(where: { $0.0 == c })?.1 {
                chain = chain ?? ChainSummary()
                chain?[keyPath: path] = try int()
            }
        }
        guard found else { return nil }
        self.warnings = warnings.sorted { $0.0 < $1.0 }.map(\.1)
    }
}

/// A night's summary as the store holds it: one run's, or the sum of a partitioned
/// night's latest run of each partition.
public struct NightSummary: Sendable {
    public var summary: Summary
    /// The runs it was added up from, in partition order.
    public var runs: [Int64]
    /// N of a partitioned night (1 for a run over the whole night).
    public var partitions: Int
    /// Partitions of the night with no run in the store yet (the summary lacks them).
    public var missing: [Int]
}

extension CaseStore {
    /// The summary of the night of the store's latest batch run: that run's, or, when it
    /// was one partition of N, the merge of the latest run of each partition of the same
    /// N over the same night (the same data span).
    public func nightSummary() throws(StoreError) -> NightSummary? {
        let latest = try ResultColumns<RunMetadataColumns>(db, """
            SELECT max(run_id) AS run_id FROM run_metadata WHERE key = 'summary.fixes_read'
            """, reading: [.runID])
        guard try latest.step(), !latest.isNull(.runID) else { return nil }
        let last = latest.int64(.runID)
        guard let record = try runRecord(id: last), let lastSummary = try summary(run: last) else { return nil }
        guard let partition = record.partition else {
            return NightSummary(summary: lastSummary, runs: [last], partitions: 1, missing: [])
        }
        // Each partition's latest run of this night.
        var runOf: [Int: Int64] = [:]
        let r = try ResultColumns<RunMetadataColumns>(db, """
            SELECT run_id, value FROM run_metadata WHERE key = 'partition' ORDER BY run_id
            """, reading: [.runID, .value])
        while try r.step() {
            guard let p = PlatePartition(r.text(.value)), p.count == partition.count else { continue }
            let run = r.int64(.runID)
            if try runRecord(id: run)?.dataSpan == record.dataSpan { runOf[p.index] = run }
        }
        var parts: [Summary] = [], runs: [Int64] = [], missing: [Int] = []
        for k in 0..<partition.count {
            guard let run = runOf[k], let s = try summary(run: run) else { missing.append(k); continue }
            parts.append(s)
            runs.append(run)
        }
        return NightSummary(summary: .merged(parts), runs: runs, partitions: partition.count, missing: missing)
    }

    /// The summary run `id` wrote; `nil` for a live session or an unknown run.
    func summary(run id: Int64) throws(StoreError) -> Summary? {
        let r = try ResultColumns<RunMetadataColumns>(db, from: "run_metadata WHERE run_id = :run_id")
        try r.bind(.runID, .int(id))
        var rows: [(key: String, value: String)] = []
        while try r.step() { rows.append((r.text(.key), r.text(.value))) }
        return try Summary(metadataRows: rows, run: id)
    }
}
