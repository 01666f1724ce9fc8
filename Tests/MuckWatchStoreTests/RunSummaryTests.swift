import MuckWatchCore
import MuckWatchTestSupport
@testable import MuckWatchStore
import Testing

/// A run's summary kept in the store (`summary.…` rows of `run_metadata`, issue #23) and
/// the night's summary added up from its partitions' runs.
struct RunSummaryTests {
    /// A summary with every kind of field, tonnes that are not short decimals, and more
    /// than ten warnings (their order must survive text keys).
    static func summary(scale: Int = 1) -> Summary {
        var s = Summary()
        s.fixesRead = 1000 * scale
        s.fixesAccepted = 990 * scale
        s.fixesRejected = 4 * scale
        s.fixesDuplicate = 5 * scale
        s.fixesOutlier = 1 * scale
        s.vehicles = 7 * scale
        s.trips = 11 * scale
        s.cases = 3 * scale
        s.otherRejected = scale
        s.violationsByType = [.illegalDump: scale, .manifestMissing: 2 * scale]
        s.tonnesBySourceSite = ["S-01": 0.1 + 0.2, "工地 7": 28.000000000000004 * Double(scale)]
        s.tonnesByDisposalSite = ["D-01": 1e-17 + 31.5]
        s.warnings = (0..<12).map { "warning \($0) of \(scale)" }
        var c = ChainSummary()
        c.manifestsOpened = 9 * scale
        c.manifestsClosed = 8 * scale
        c.tripsWithoutManifest = scale
        c.tonnesByFacility = [.landfill: 12.3, .recycling: 0, .sorting: 4.56, .backfill: 0]
        c.tonnesByWasteType = [.excavatedSoil: 7.7, .other: 0]
        s.chain = c
        return s
    }

    static func write(_ summary: Summary, partition: PlatePartition?, into store: CaseStore) throws -> Int64 {
        var run = sampleRun()
        run.summary = summary
        run.record = RunRecord(dataSpan: (night - 3600)...(night + 3600))
        run.record.partition = partition
        return try store.write(run)
    }

    @Test(arguments: StoreBackend.allCases) func aRunsSummaryReadsBackExactly(backend: StoreBackend) throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 600 })
        let id = try Self.write(Self.summary(), partition: nil, into: store)
        let stored = try #require(try store.nightSummary())
        #expect(stored.summary == Self.summary())
        #expect(stored.runs == [id] && stored.partitions == 1 && stored.missing.isEmpty)
        // A v1 run's summary (no chain) stays without one.
        var v1 = Self.summary()
        v1.chain = nil
        _ = try Self.write(v1, partition: nil, into: store)
        #expect(try store.nightSummary()?.summary == v1)
    }

    @Test(arguments: StoreBackend.allCases) func aPartitionedNightAddsUpItsPartitionsLatestRuns(backend: StoreBackend)
        throws {
        let dir = try TempDir(backend)
        defer { dir.cleanup() }
        let store = try CaseStore(path: dir.storePath, now: { night + 600 })
        let p0 = try Self.write(Self.summary(scale: 1), partition: PlatePartition(index: 0, count: 3), into: store)
        _ = try Self.write(Self.summary(scale: 50), partition: PlatePartition(index: 2, count: 3), into: store)
        var half = try #require(try store.nightSummary())
        #expect(half.missing == [1] && half.partitions == 3 && half.runs.count == 2)
        // Partition 2 rerun: its latest run counts, the earlier one no more.
        let p2 = try Self.write(Self.summary(scale: 3), partition: PlatePartition(index: 2, count: 3), into: store)
        let p1 = try Self.write(Self.summary(scale: 2), partition: PlatePartition(index: 1, count: 3), into: store)
        half = try #require(try store.nightSummary())
        #expect(half.missing.isEmpty && half.runs == [p0, p1, p2])
        let merged = Summary.merged([Self.summary(scale: 1), Self.summary(scale: 2), Self.summary(scale: 3)])
        #expect(half.summary == merged)
        #expect(merged.fixesRead == 6000 && merged.chain?.manifestsOpened == 54)
        #expect(merged.warnings.count == 36 && merged.partition == nil)
    }
}
