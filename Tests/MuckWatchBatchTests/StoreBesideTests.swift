import Dispatch
import Foundation
import Testing
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore
import MuckWatchTestSupport
@testable import MuckWatchBatch

/// The store written beside the analysis (`Analysis.runAndWrite`, what `muckwatch analyze`
/// runs; issue #22): the same rows as the store written after it (`Analysis.run` then
/// `Analysis.write`) and the same files, whatever the threads and buckets; nothing of a run
/// that fails; a store another writer holds written after the analysis instead; a
/// partition's store always written after its analysis.
@Suite struct StoreBesideTests {
    /// The bundled night, with its manifests and gate records unless `chain` is false,
    /// analyzed into `dir`/`name` with the store `store`.
    static func options(_ dir: String, _ name: String, store: String, chain: Bool = true, threads: Int = 0,
                        buckets: Int? = nil) -> AnalysisOptions {
        var o = SampleNight.options(out: dir + "/" + name, chain: chain)
        o.store = store
        o.threads = threads
        o.buckets = buckets
        if buckets != nil { o.spillAfterFixes = 1000 }  // bucket files on disk, read back one by one
        return o
    }

    /// Every output file of a run folder (the store's files aside), by name.
    static func files(_ out: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: out) where !name.hasPrefix("muckwatch.sqlite") {
            files[name] = FileManager.default.contents(atPath: out + "/" + name)
        }
        return files
    }

    static func tables(_ store: String, _ numbering: StoreDump.Numbering) throws -> [String: [String]] {
        try StoreDump.tables(try Database(try StoreLocation(parsing: store)), numbering: numbering)
    }

    /// The tables a run of the bundled night writes rows into (all of them are compared).
    static let written = ["runs", "run_metadata", "cases", "violations", "evidence", "case_events", "case_departments",
                          "trips", "case_tracks", "fences", "camera_events", "permits", "vehicles", "manifests",
                          "gate_events"]

    /// Three runs into one store, each written after its analysis (`beside` false) or beside
    /// it: the night with its chain records, without them (their cases superseded), with
    /// them again (restored). The first is written after in both, as history.
    static func threeRuns(into store: String, _ dir: String, beside: Bool, threads: Int, buckets: Int?) throws
        -> [String] {
        var outs: [String] = []
        for (k, chain) in [true, false, true].enumerated() {
            let name = (beside ? "beside" : "after") + "-\(k)"
            let o = options(dir, name, store: store, chain: chain, threads: threads, buckets: buckets)
            if beside && k > 0 {
                _ = try Analysis.runAndWrite(o)
            } else {
                try Analysis.write(try Analysis.run(o), to: o.out, store: store)
            }
            outs.append(o.out)
        }
        return outs
    }

    @Test(arguments: [(1, nil), (2, nil), (2, 5)] as [(Int, Int?)])
    func theStoreWrittenBesideHoldsTheRowsOfTheStoreWrittenAfter(threads: Int, buckets: Int?) throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let afterStore = dir + "/after.sqlite", besideStore = dir + "/beside.sqlite"
        let afterOuts = try Self.threeRuns(into: afterStore, dir, beside: false, threads: threads, buckets: buckets)
        let besideOuts = try Self.threeRuns(into: besideStore, dir, beside: true, threads: threads, buckets: buckets)

        let after = try Self.tables(afterStore, .renumbered), beside = try Self.tables(besideStore, .renumbered)
        for table in Self.written { #expect(!(after[table] ?? []).isEmpty, "\(table) is empty") }
        // Superseding and restoring happened, so their paths were compared too.
        #expect(after["case_events"]?.contains { $0.contains("|superseded|") } == true)
        #expect(after["case_events"]?.contains { $0.contains("|restored|") } == true)
        #expect(after.keys.sorted() == beside.keys.sorted())
        for (table, rows) in after { #expect(beside[table] == rows, "\(table) differs") }

        for (a, b) in zip(afterOuts, besideOuts) {
            let x = try Self.files(a), y = try Self.files(b)
            #expect(x.count == OutputWriter.fileCount && x == y, "\(a) and \(b) differ")
        }
    }

    /// The writer takes the vehicles in the analysis's order, not in the order workers finish
    /// them: even the row numbers of violations, evidence and audit rows are the same.
    @Test func rowNumbersDoNotDependOnTheThreads() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var stores: [[String: [String]]] = []
        for threads in [1, 2, 2] {
            let store = dir + "/\(stores.count).sqlite"
            _ = try Analysis.runAndWrite(Self.options(dir, "out-\(stores.count)", store: store, threads: threads,
                                                      buckets: 5))
            stores.append(try Self.tables(store, .kept))
        }
        #expect(!(stores[0]["violations"] ?? []).isEmpty)
        for s in stores.dropFirst() {
            for (table, rows) in stores[0] { #expect(s[table] == rows, "\(table) differs") }
        }
    }

    @Test(.enabled(if: BuiltBinary.path != nil, "the muckwatch binary is not built"))
    func analyzeWritesTheFilesAndRowsOfRunThenWrite() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let o = Self.options(dir, "library", store: dir + "/library/muckwatch.sqlite")
        try Analysis.write(try Analysis.run(o), to: o.out)
        let r = SampleNight.root
        let cli = try BuiltBinary.run(BuiltBinary.path!, [
            "analyze", "--fences", r + "/geofences", "--traces", r + "/traces/traces.csv",
            "--cameras", r + "/traces/cameras.jsonl", "--permits", r + "/traces/permits.json",
            "--vehicles", r + "/traces/vehicles.csv", "--manifests", r + "/traces/manifests.jsonl",
            "--gate-events", r + "/traces/gate_events.jsonl", "--out", dir + "/cli", "--quiet",
        ])
        #expect(cli.status == 0)
        let x = try Self.files(o.out), y = try Self.files(dir + "/cli")
        #expect(x.count == OutputWriter.fileCount)
        for (name, bytes) in x { #expect(y[name] == bytes, "\(name) differs") }
        #expect(x.keys.sorted() == y.keys.sorted())
        let library = try Self.tables(o.out + "/muckwatch.sqlite", .renumbered)
        let command = try Self.tables(dir + "/cli/muckwatch.sqlite", .renumbered)
        #expect(!(library["cases"] ?? []).isEmpty)
        for (table, rows) in library { #expect(command[table] == rows, "\(table) differs") }
    }

    /// A run whose files cannot be written (cases.json is a folder) fails, and its store
    /// holds what it held before, to the row number: the run was never committed.
    @Test func aRunWhoseFilesFailLeavesTheStoreAsItWas() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/store.sqlite"
        let first = Self.options(dir, "first", store: store, chain: false)
        _ = try Analysis.runAndWrite(first)
        let before = try Self.tables(store, .kept)
        #expect(!(before["cases"] ?? []).isEmpty)

        let failing = Self.options(dir, "failing", store: store)
        try FileManager.default.createDirectory(atPath: failing.out + "/cases.json", withIntermediateDirectories: true)
        #expect(throws: AnalysisError.self) { try Analysis.runAndWrite(failing) }
        #expect(try Self.tables(store, .kept) == before)
        // Nothing is left holding the store: the next run writes it.
        _ = try Analysis.runAndWrite(Self.options(dir, "again", store: store))
        #expect(try Database(path: store).scalarInt("SELECT count(*) FROM runs") == 2)
    }

    /// Another writer takes the store after the run read its inbox and holds it past the
    /// busy timeout (5 s): the run is analyzed all the same and its store written after the
    /// analysis, once the other lets go, with the rows a run written after its analysis writes.
    @Test func aStoreHeldByAnotherWriterIsWrittenAfterTheAnalysis() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/held.sqlite", reference = dir + "/reference.sqlite"
        try Analysis.write(try Analysis.run(Self.options(dir, "reference", store: reference)), to: dir + "/reference",
                           store: reference)
        _ = try CaseStore(path: store)  // created (migrated) before it is held
        // The other writer takes the lock as the store's stage starts (the progress line
        // that names it is drawn before the run's writer is started), for 7 s.
        let holder = UncheckedBox(try Database(path: store))
        let held = Locked(false), lines = Locked<[String]>([])
        let released = DispatchSemaphore(value: 0)
        let tick = Locked(Date())
        let progress = RunProgress(style: .terminal, write: { text in
            lines.withLock { $0.append(text) }
            guard text.contains("store"), held.withLock({ h in defer { h = true }; return !h }) else { return }
            try? holder.value.execute("BEGIN IMMEDIATE")
            DispatchQueue.global().asyncAfter(deadline: .now() + 7) {
                try? holder.value.execute("ROLLBACK")
                released.signal()
            }
        }, clock: { tick.withLock { $0 = $0.addingTimeInterval(1); return $0 } })  // every change drawn
        _ = try Analysis.runAndWrite(Self.options(dir, "held", store: store), progress: progress)
        try #require(held.withLock { $0 })
        #expect(released.wait(timeout: .now() + 30) == .success)
        #expect(lines.withLock { $0 }.contains { $0.contains("held by another writer") })
        let a = try Self.tables(reference, .renumbered), b = try Self.tables(store, .renumbered)
        #expect(!(a["cases"] ?? []).isEmpty)
        for (table, rows) in a { #expect(b[table] == rows, "\(table) differs") }
    }

    /// Whether another connection can take the store's write lock right now (and gives it back).
    static func writable(_ store: String) throws -> Bool {
        let probe = try Database(path: store)
        try probe.execute("PRAGMA busy_timeout = 0")
        let began = Result { () throws(StoreError) in try probe.execute("BEGIN IMMEDIATE") }
        switch began {
        case .success:
            try probe.execute("ROLLBACK")
            return true
        case let .failure(error) where error.isBusy:
            return false
        case let .failure(error):
            throw error
        }
    }

    /// A whole night's run holds the store from its analysis on; a partition, whose store the
    /// other partitions write at the same time, holds it only while writing after its analysis.
    @Test func onlyAPartitionWritesItsStoreAfterItsAnalysis() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = dir + "/store.sqlite"
        _ = try CaseStore(path: store)
        var partition = Self.options(dir, "p1", store: store)
        partition.partition = PlatePartition(index: 1, count: 3)
        var freeWhileAnalyzed: Bool?
        _ = try Analysis.runAndWrite(partition) { _ in freeWhileAnalyzed = try? Self.writable(store) }
        #expect(freeWhileAnalyzed == true)

        // The whole night: its writer takes the lock as the analysis starts and keeps it
        // until the files are written (tried for up to 5 s, however late its queue starts).
        var heldWhileAnalyzed = false
        _ = try Analysis.runAndWrite(Self.options(dir, "whole", store: store)) { _ in
            let start = Date()
            while Date().timeIntervalSince(start) < 5 {
                if (try? Self.writable(store)) == false { heldWhileAnalyzed = true; return }
                Thread.sleep(forTimeInterval: 0.01)
            }
        }
        #expect(heldWhileAnalyzed)
        #expect(try Database(path: store).scalarInt("SELECT count(*) FROM runs") == 2)
    }

    @Test func theStoreWrittenBesideInPostgreSQLHoldsTheRowsWrittenAfter() throws {
        let dir = SampleNight.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let afterServer = try TestStore(.postgres), besideServer = try TestStore(.postgres)
        defer { afterServer.cleanup(); besideServer.cleanup() }
        let afterOuts = try Self.threeRuns(into: afterServer.location, dir, beside: false, threads: 2, buckets: nil)
        let besideOuts = try Self.threeRuns(into: besideServer.location, dir, beside: true, threads: 2, buckets: nil)
        let after = try Self.tables(afterServer.location, .renumbered)
        let beside = try Self.tables(besideServer.location, .renumbered)
        for table in Self.written { #expect(!(after[table] ?? []).isEmpty, "\(table) is empty") }
        #expect(after.keys.sorted() == beside.keys.sorted())
        for (table, rows) in after { #expect(beside[table] == rows, "\(table) differs") }
        for (a, b) in zip(afterOuts, besideOuts) { #expect(try Self.files(a) == Self.files(b), "\(a) and \(b) differ") }
    }
}
