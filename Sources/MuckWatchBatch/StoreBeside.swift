import Dispatch
import MuckWatchCore
import MuckWatchJudge
import MuckWatchStore

/// The store written beside the analysis (issue #22): a writer queue of its own opens the
/// run's one transaction (`RunWrite`) as the vehicles start, writes the reference tables,
/// then each finished vehicle's cases, trips, tracks, camera reads, manifests and gate passes
/// while the others are analyzed; `complete` adds what needs the whole night, `commit` makes
/// it visible once the output files are written too.
///
/// Why: written after the analysis, the store kept one core busy and the other idle for a
/// quarter of a case-heavy night's wall time (benchmarks/README.md, issue #19).
///
/// Vehicles are written in the order the run analyzes them (bucket by bucket, by index
/// within a bucket), whatever order the workers finish them in: a finished vehicle waits
/// for those before it, so the serial ids of violations, evidence and audit rows never
/// depend on thread timing. The writer holds the outcomes only until written; the run keeps
/// them anyway for its tally.
///
/// The store's connection lives in `writer` (`QueueConfined`): opened, written, committed
/// and rolled back only on its queue, never handed out.
final class StoreBeside: Sendable {
    /// The writer queue's state: the open run, or why there is none.
    private struct Writer {
        var write: RunWrite?
        var failure: StoreError?
    }

    /// Finished vehicles not yet handed to the writer, by position in the writing order.
    private struct Waiting {
        var parts: [Int: Part] = [:]
        var next = 0
    }

    private let writer: QueueConfined<Writer>
    private let waiting = Locked(Waiting())
    /// Each vehicle's position in the writing order (-1: not this run's).
    private let position: [Int]
    private let plates: PlateTable
    private let cameras: CameraReads
    /// The run's manifests and gate passes by plate.
    private let chain: ChainRecords
    private let progress: RunProgress?

    /// Opens the store and its transaction on the writer queue, then writes the reference
    /// tables; returns at once (the analysis starts while they are written).
    /// - Parameters:
    ///   - order: the run's vehicles in the order they are analyzed.
    ///   - startedAt: the run's start (`RunRecord.startedAt`).
    init(store path: String, references refs: References, fences: [Fence], plates: PlateTable, order: [Int],
         startedAt: Int64, progress: RunProgress?) {
        var position = [Int](repeating: -1, count: plates.count)
        for (k, v) in order.enumerated() { position[v] = k }
        self.position = position
        self.plates = plates
        cameras = refs.cameras
        chain = refs.chain
        self.progress = progress
        writer = QueueConfined(Writer(), label: "muckwatch.store-beside")
        progress?.start("store", total: order.count, unit: .vehicles)
        let clock = refs.config.clock
        let permits = refs.permits, vehicles = refs.vehicles
        writer.async { w in
            do throws(StoreError) {
                let write = try RunWrite(try CaseStore(path: path), clock: clock, startedAt: startedAt)
                try write.writeReferences(fences: fences, permits: permits, vehicles: vehicles)
                w.write = write
            } catch {
                w.failure = error
            }
        }
    }

    /// A vehicle's rows as the writer takes them, prepared by the worker that finished it.
    private struct Part: Sendable {
        /// In the run's order (`RunTally`: date, plate, id).
        var cases: [Case]
        var trips: [Trip]
        var rows: StoreRows
    }

    /// A vehicle's outcome, from whichever worker finished it; it and any finished vehicles
    /// after it are queued for the writer once every vehicle before it is.
    ///
    /// What can be derived from the outcome alone (the order of its cases, the camera reads
    /// and gate passes kept with them, its manifests' states) is derived here, on the worker:
    /// the writer is one thread and was the last to finish (0.5–0.7 s after the analysis on a
    /// city night with manifests, issue #19).
    func finished(vehicle v: Int, _ outcome: VehicleStage.Outcome) {
        guard position[v] >= 0 else { return }
        let cases = outcome.cases.sorted { ($0.date, $0.id) < ($1.date, $1.id) }
        let part = Part(cases: cases, trips: outcome.trips,
                        rows: StoreRows(cases: cases, trips: outcome.trips, manifests: chain.manifests(plate: plates[Int32(v)]),
                                        cameras: cameras, chain: chain))
        waiting.withLock { q in
            q.parts[position[v]] = part
            var ready: [Part] = []
            while let next = q.parts.removeValue(forKey: q.next) {
                ready.append(next)
                q.next += 1
            }
            guard !ready.isEmpty else { return }
            // Queued under the lock, so parts reach the writer in order.
            writer.async { [ready, plates, progress] w in
                guard let write = w.write else { return }
                do throws(StoreError) {
                    for part in ready {
                        try write.writeVehicle(cases: part.cases, trips: part.trips, cameraEvents: part.rows.cameraEvents,
                                               plates: plates, chain: part.rows.chain)
                    }
                } catch {
                    w.write = nil  // rolled back by `RunWrite`
                    w.failure = error
                }
                progress?.advance("store", by: ready.count)
            }
        }
    }

    /// `run` with the rows `finished` derives vehicle by vehicle (`RunResult.addStoreRows`),
    /// for a run written after its analysis after all (another writer held the store).
    func withStoreRows(_ run: RunResult) -> RunResult {
        var run = run
        run.addStoreRows(cameras: cameras, chain: chain, partition: nil)
        return run
    }

    /// Writes what needs the whole run, after every vehicle; waits for the writer. The
    /// transaction stays open for `commit`.
    /// - Returns: `false` when nothing was written because another writer held the store
    ///   when the run began (the caller writes the run after, waiting its turn).
    /// - Throws: the first error of any step (the transaction then rolled back).
    func complete(_ run: RunResult) throws(StoreError) -> Bool {
        let result = writer.sync { w -> Result<Bool, StoreError> in
            guard let write = w.write else {
                // Never begun (busy: the caller writes the run after), or ended by a failure or `abandon`.
                let failure = w.failure ?? .runWriteEnded(runID: 0)
                return failure.isBusy ? .success(false) : .failure(failure)
            }
            do throws(StoreError) {
                try write.complete(run)
                try write.writeChangedPages()
                return .success(true)
            } catch {
                w.write = nil
                w.failure = error
                return .failure(error)
            }
        }
        if case .success(false) = result {
            progress?.finish("store", note: "held by another writer: written after the analysis")
        }
        return try result.get()
    }

    /// Commits what `complete` left open; nothing when the run was not written beside.
    func commit(_ run: RunResult) throws(StoreError) {
        let result = writer.sync { w -> Result<Bool, StoreError> in
            guard let write = w.write else { return .success(false) }
            w.write = nil
            do throws(StoreError) {
                try write.commit()
                return .success(true)
            } catch {
                w.failure = error
                return .failure(error)
            }
        }
        if case .success(true) = result {
            progress?.finish("store", note: "\(run.cases.count) cases, \(run.trips.count) trips")
        }
        _ = try result.get()
    }

    /// The run failed: its transaction is rolled back, the store keeps what it held.
    func abandon() {
        writer.sync { w in
            guard let write = w.write else { return }
            write.abandon()
            w.write = nil
            w.failure = .runWriteEnded(runID: write.runID)
        }
    }
}
