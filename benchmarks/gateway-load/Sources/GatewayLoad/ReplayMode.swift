import Foundation
import MuckWatchCore
import MuckWatchGateway
import MuckWatchIngest
import MuckWatchJournal
import MuckWatchJudge
import MuckWatchLive
import MuckWatchStore

/// `GatewayLoad --replay-day DATA`: what a restart costs after a whole night (issue #24).
/// Writes the night DATA/traces.csv (in time order, as the terminals would have sent it)
/// into a journal through `JournalWriter` in commits of 4,096 fixes, then replays the day
/// into a fresh `LiveEngine` as the gateway does before it listens (`JournalRecovery`).
/// Prints one JSON line: fixes, bytes per fix, write, read and replay seconds.
enum ReplayMode {
    static func run(data: String, shards: Int) throws -> Never {
        let dir = NSTemporaryDirectory() + "muckwatch-replay-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let refs = try References.load(ReferenceFiles(fences: data + "/geofences", permits: data + "/permits.json",
                                                      vehicles: data + "/vehicles.csv"))
        var plates = PlateTable()
        var fixes: [Fix] = []
        var rejects: [Reject] = []
        _ = try TraceReader.read(path: data + "/traces.csv", fileIndex: 0, plates: &plates, fixes: &fixes, rejects: &rejects)
        fixes.sort { ($0.time, $0.vehicle, $0.line) < ($1.time, $1.vehicle, $1.line) }
        let partition = try LivePartition(references: refs, store: try CaseStore(path: dir + "/cases.sqlite"),
                                          shards: shards > 0 ? shards : ProcessInfo.processInfo.activeProcessorCount)
        let enginePlates = partition.shards[0].plates
        let vehicleOf = plates.plates.map { enginePlates.lookup($0) ?? -1 }
        let writer = JournalWriter(directory: dir + "/journal", plates: enginePlates.plates)
        let now = JournalWriter.wallClockMs()
        let t0 = Date()
        var batch: [JournalEntry] = []
        func commit() {
            let done = DispatchSemaphore(value: 0)
            writer.submit(batch) { _ in done.signal() }
            done.wait()
            batch.removeAll(keepingCapacity: true)
        }
        for f in fixes {
            var g = f
            g.vehicle = vehicleOf[Int(f.vehicle)]
            guard g.vehicle >= 0 else { continue }
            g.file = 0
            g.line = 0
            batch.append(JournalEntry(fix: g, phoneHigh: 0, phoneLow: UInt64(g.vehicle), messageID: 0x0200, serial: 0,
                                      receivedMs: now))
            if batch.count == 4096 { commit() }
        }
        commit()
        writer.close()
        let written = Date().timeIntervalSince(t0)
        let status = writer.status
        let engine = LiveEngine(partition: partition, hub: AlertHub(clock: refs.config.clock))
        let r = try JournalRecovery.replay(directory: dir + "/journal", into: engine, plates: enginePlates,
                                           clock: refs.config.clock, nowMs: now)
        ServeMode.emit(["fixes_in_traces": fixes.count, "records": r.records, "bytes": status.bytes,
                        "bytes_per_fix": Double(status.bytes) / Double(max(1, status.records)),
                        "write_s": written, "commits": status.commits, "read_s": r.readSeconds,
                        "replay_s": r.replaySeconds, "peak_rss_mb": peakRSSMB(), "shards": engine.shardCount])
        exit(0)
    }
}
