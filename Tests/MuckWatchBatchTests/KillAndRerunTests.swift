import Foundation
import Testing
import MuckWatchCore
import MuckWatchStore
import MuckWatchTestSupport
@testable import MuckWatchBatch

/// `analyze` killed (SIGKILL) at random points, then rerun: the outputs equal an
/// uninterrupted run's, the store passes SQLite's integrity check and never holds a
/// half-written run (one transaction per run; files are written by rename) nor a table
/// without its indexes. The bundled night with its manifests and gate records.
///
/// The kill times come from a seeded generator; every failure names the seed and the
/// attempt. `MUCKWATCH_KILL_SEED=N swift test --filter KillAndRerun` replays a failure's
/// kill times (the process's own timing still varies a little from run to run).
@Suite(.serialized) struct KillAndRerunTests {
    static let seed: UInt64 = ProcessInfo.processInfo.environment["MUCKWATCH_KILL_SEED"].flatMap { UInt64($0) }
        ?? UInt64.random(in: 1...999_999)

    static var binary: String? {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("muckwatch").path,
            SampleNight.root + "/.build/debug/muckwatch",
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    func analyze(into out: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary!)
        let r = SampleNight.root
        p.arguments = ["analyze", "--fences", r + "/geofences", "--traces", r + "/traces/traces.csv",
                       "--cameras", r + "/traces/cameras.jsonl", "--permits", r + "/traces/permits.json",
                       "--vehicles", r + "/traces/vehicles.csv", "--manifests", r + "/traces/manifests.jsonl",
                       "--gate-events", r + "/traces/gate_events.jsonl", "--out", out, "--quiet"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    @Test(.enabled(if: KillAndRerunTests.binary != nil, "the muckwatch binary is not built"))
    func killedRunsLeaveNothingHalfWrittenAndRerunsMatch() throws {
        let reference = SampleNight.tempDir()
        let done = try analyze(into: reference)
        done.waitUntilExit()
        #expect(done.terminationStatus == 0)
        let files = ["cases.json", "trips.json", "rejects.csv", "summary.json"]
        var rng = SeededRandom(seed: Self.seed)
        for attempt in 0..<6 {
            let replay = "MUCKWATCH_KILL_SEED=\(Self.seed), attempt \(attempt)"
            let out = SampleNight.tempDir()
            let p = try analyze(into: out)
            usleep(UInt32(rng.int(in: 20_000...(250_000 + attempt * 100_000))))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            // Whatever is there is whole: no temp files passed off as outputs, a sound store.
            for f in files where FileManager.default.fileExists(atPath: out + "/" + f) {
                #expect(FileManager.default.contents(atPath: out + "/" + f) == FileManager.default.contents(atPath: reference + "/" + f),
                        "\(f) half-written after a kill (\(replay))")
            }
            let storePath = out + "/muckwatch.sqlite"
            if FileManager.default.fileExists(atPath: storePath) {
                let db = try Database(path: storePath)
                #expect(try db.scalarText("PRAGMA integrity_check") == "ok", "\(replay)")
                // Killed before the first migration committed: an empty store, which the rerun migrates.
                let migrated = try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'runs'") == 1
                let runs = migrated ? try db.scalarInt("SELECT count(*) FROM runs") ?? 0 : 0
                let unfinished = migrated ? try db.scalarInt("SELECT count(*) FROM runs WHERE finished_at IS NULL") ?? 0 : 0
                #expect(unfinished == 0 && runs <= 1, "\(replay)")
                // A first run drops the manifests' and passes' indexes until its rows are in
                // (`IndexesAfterRows`): killed in between, the rollback brings them back. (Killed
                // between two migrations, each its own transaction, the later ones are not there yet.)
                let version = migrated ? try db.scalarInt("SELECT max(version) FROM migrations") ?? 0 : 0
                if version == Schema.currentVersion { #expect(try Self.chainIndexes(db) == 5, "\(replay)") }
                if runs == 1 {
                    #expect(try db.scalarInt("SELECT count(*) FROM cases") == referenceCases(reference), "\(replay)")
                }
            }
            // The rerun completes and equals the uninterrupted run.
            let again = try analyze(into: out)
            again.waitUntilExit()
            #expect(again.terminationStatus == 0, "\(replay)")
            for f in files {
                #expect(FileManager.default.contents(atPath: out + "/" + f) == FileManager.default.contents(atPath: reference + "/" + f),
                        "\(f) differs after kill + rerun (\(replay))")
            }
            let store = try CaseStore(path: storePath)
            #expect(try store.listCases(CaseFilter()).count == referenceCases(reference), "\(replay)")
            #expect(try Self.chainIndexes(try Database(path: storePath)) == 5, "\(replay)")
        }
    }

    /// How many secondary indexes the manifests and gate passes have (five in the schema).
    static func chainIndexes(_ db: Database) throws -> Int {
        try StoreDump.indexes(of: ["manifests", "gate_events"], db).count
    }

    func referenceCases(_ dir: String) -> Int64 {
        Int64((SampleNight.json(dir + "/cases.json") as! [Any]).count)
    }
}
