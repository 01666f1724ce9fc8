import Foundation
import Testing
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
@testable import MuckWatchBatch

/// `analyze --partition K/N` (issue #23): N partitions of the bundled night written into one
/// store hold exactly what one run over the whole night writes (case ids, cases, trips,
/// violations and evidence, manifests, gate and camera records, statistics, the summary),
/// and a partition rerun replaces its own results only.
@Suite struct PartitionTests {
    /// Columns that name the run that wrote a row or a row number SQLite assigned: they
    /// differ between one run and N by design.
    static let runColumns: Set<String> = ["run_id", "created_run", "updated_run", "id", "violation_id"]

    /// Every row of `table` (but `runColumns`) as text, in a fixed order.
    static func dump(_ db: Database, _ table: String) throws -> [String] {
        let info = try db.prepare("SELECT name FROM pragma_table_info('\(table)') ORDER BY cid")
        var columns: [String] = []
        while try info.step() { columns.append(info.text(0)) }
        let kept = columns.filter { !runColumns.contains($0) }
        let row = kept.map { "quote(\($0))" }.joined(separator: " || '|' || ")
        return try rows(db, "SELECT \(row) FROM \(table) ORDER BY 1")
    }

    static func rows(_ db: Database, _ sql: String) throws -> [String] {
        let s = try db.prepare(sql)
        var out: [String] = []
        while try s.step() { out.append(s.text(0)) }
        return out
    }

    /// What a store holds of a night, run ids left out.
    static func contents(_ path: String) throws -> [String: [String]] {
        let db = try Database(path: path)
        var out: [String: [String]] = [:]
        for t in ["cases", "trips", "violations", "case_departments", "case_tracks", "manifests", "gate_events",
                  "camera_events", "permits", "vehicles", "fences"] {
            out[t] = try dump(db, t)
        }
        out["evidence"] = try rows(db, """
            SELECT v.case_id || '|' || v.ord || '|' || e.ord || '|' || e.kind || '|' || e.value || '|' || quote(e.t0)
                || '|' || quote(e.t1) FROM evidence e JOIN violations v ON v.id = e.violation_id ORDER BY 1
            """)
        let store = try CaseStore(path: path)
        for date in try store.caseDates() {
            out["statistics \(date)"] = [rounded("\(try store.dailyStatistics(date))"),
                                          rounded("\(try store.chainStatistics(date))")]
        }
        return out
    }

    /// `text` with every decimal number to 6 places: the store sums tonnes in SQL in the
    /// order its rows happen to lie, and N writers lay them out differently (the last bits
    /// of a sum, never a displayed figure).
    static func rounded(_ text: String) -> String {
        let number = /[0-9]+\.[0-9]+/
        return text.replacing(number) { String(format: "%.6f", Double($0.output)!) }
    }

    /// The night analyzed whole into `out`, and in `n` partitions into `store`.
    static func analyze(chain: Bool, out: String, partitions n: Int, store: String,
                        traces: [String]? = nil) throws -> (whole: RunResult, parts: [RunResult]) {
        let whole = try SampleNight.analyze(into: out, chain: chain)
        var parts: [RunResult] = []
        for k in 0..<n {
            var o = SampleNight.options(out: out + "/p\(k)", traces: traces, chain: chain)
            o.partition = PlatePartition(index: k, count: n)
            o.store = store
            let run = try Analysis.run(o)
            try Analysis.write(run, to: o.out, store: store)
            parts.append(run)
        }
        return (whole, parts)
    }

    /// summary.json as written, warnings included (those naming plates are each
    /// partition's share, joined back by `Summary.merged`).
    static func counts(_ s: Summary) -> String { String(decoding: OutputWriter.summaryBytes(s), as: UTF8.self) }

    @Test(arguments: [true, false])
    func threePartitionsInOneStoreEqualOneRun(chain: Bool) throws {
        let dir = SampleNight.tempDir()
        let shared = dir + "/partitions.sqlite"
        let (whole, parts) = try Self.analyze(chain: chain, out: dir, partitions: 3, store: shared)
        // Each partition judged a share of the night, not all of it.
        #expect(parts.allSatisfy { $0.cases.count < whole.cases.count })
        #expect(parts.map(\.cases.count).reduce(0, +) == whole.cases.count)
        #expect(Set(parts.flatMap { $0.cases.map(\.id) }) == Set(whole.cases.map(\.id)))
        #expect(parts.map(\.trips.count).reduce(0, +) == whole.trips.count)
        #expect(parts.map(\.rejects.count).reduce(0, +) == whole.rejects.count)

        let one = try Self.contents(dir + "/muckwatch.sqlite"), three = try Self.contents(shared)
        #expect(one.keys.sorted() == three.keys.sorted())
        for (table, rows) in one {
            #expect(!rows.isEmpty || table == "manifests" || table == "gate_events", "\(table) is empty")
            #expect(three[table] == rows, "\(table) differs")
        }
        // The summary merged from the store equals the whole run's summary.json.
        let night = try #require(try CaseStore(path: shared).nightSummary())
        #expect(night.partitions == 3 && night.missing.isEmpty && night.runs.count == 3)
        #expect(Self.counts(night.summary) == Self.counts(whole.summary))
        #expect(!whole.summary.warnings.isEmpty && night.summary.warnings == whole.summary.warnings)
        // Each partition's summary.json says which partition it is.
        let text = String(decoding: FileManager.default.contents(atPath: dir + "/p1/summary.json")!, as: UTF8.self)
        #expect(text.contains(#""partition":"1/3""#))
        #expect(try CaseStore(path: shared).runRecord(id: night.runs[1])?.partition == PlatePartition(index: 1, count: 3))
    }

    @Test func aRerunPartitionReplacesOnlyItsOwnResults() throws {
        let dir = SampleNight.tempDir()
        let shared = dir + "/partitions.sqlite"
        let (_, parts) = try Self.analyze(chain: true, out: dir, partitions: 3, store: shared)
        let before = try Self.contents(shared)
        // Partition 1 again, without the rows of one of its trucks that has trip cases.
        let gone = try #require(parts[1].cases.first { $0.trip != nil }?.vehicleID)
        let lines = try String(contentsOfFile: BundledSample.traces, encoding: .utf8).split(separator: "\n")
        let kept = dir + "/traces-without-one.csv"
        try (lines.filter { !$0.hasPrefix(gone + ",") }.joined(separator: "\n") + "\n")
            .write(toFile: kept, atomically: true, encoding: .utf8)
        var o = SampleNight.options(out: dir + "/p1-again", traces: [kept])
        o.partition = PlatePartition(index: 1, count: 3)
        o.store = shared
        let rerun = try Analysis.run(o)
        try Analysis.write(rerun, to: o.out, store: shared)

        let db = try Database(path: shared)
        let superseded = try Self.rows(db, "SELECT vehicle_id FROM cases WHERE superseded = 1 ORDER BY 1")
        #expect(!superseded.isEmpty)
        #expect(superseded.allSatisfy { $0 == gone }, "only the missing truck's cases are superseded: \(superseded)")
        // The other partitions' cases are as their runs wrote them.
        let runs = try CaseStore(path: shared).nightSummary()
        #expect(runs?.missing == [])
        for k in [0, 2] {
            let run = try #require(runs?.runs[k])
            let ids = Set(parts[k].cases.map(\.id))
            let theirs = try Self.rows(db, "SELECT case_id FROM cases WHERE updated_run = \(run) AND superseded = 0")
            #expect(Set(theirs) == ids)
        }
        // The rest of partition 1 is rewritten as it was.
        let after = try Self.contents(shared)
        #expect(after["trips"] == before["trips"], "trips are kept, never deleted by a rerun")
        #expect(after["cases"]?.filter { !$0.contains(gone) } == before["cases"]?.filter { !$0.contains(gone) })
        // And the merged summary now counts partition 1's rerun.
        #expect(runs?.summary.fixesRead == parts[0].summary.fixesRead + rerun.summary.fixesRead + parts[2].summary.fixesRead)
        #expect(rerun.summary.fixesRead < parts[1].summary.fixesRead)
    }
}
