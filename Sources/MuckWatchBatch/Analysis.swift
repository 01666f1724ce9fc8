import Foundation
public import MuckWatchCore
import MuckWatchIngest
import MuckWatchGeo
import MuckWatchAnalysis
public import MuckWatchJudge
import MuckWatchStore

/// The whole `analyze` pipeline, listed in one place:
/// ingest → projection → fence index → per-vehicle analyzer → judge (rules, cases) → outputs and store.
public enum Analysis {
    public static func run(_ o: AnalysisOptions, progress: RunProgress? = nil) throws(AnalysisError) -> RunResult {
        try run(o, progress: progress, writingStore: false).run
    }

    /// `run` and `write` in one (`muckwatch analyze`): the store is written beside the
    /// analysis (`StoreBeside`) instead of after it, in the same one transaction, with the
    /// same rows; a partition of a night (`o.partition`), whose store the other partitions
    /// write at the same time, writes it after its analysis as `write` does.
    /// - Parameter analyzed: told the run's result once it is analyzed, before the outputs are written.
    /// - Returns: the run's result; the rows only the store keeps (`cameraEvents`,
    ///   `manifests`, `gateEvents`) went to the store vehicle by vehicle and are left empty.
    public static func runAndWrite(_ o: AnalysisOptions, progress: RunProgress? = nil,
                                   analyzed: (RunResult) -> Void = { _ in }) throws(AnalysisError) -> RunResult {
        let (result, beside) = try run(o, progress: progress, writingStore: o.partition == nil)
        analyzed(result)
        do {
            try write(result, to: o.out, store: o.store, progress: progress, beside: beside)
        } catch {
            beside?.abandon()  // nothing when it was committed or rolled back already
            throw error
        }
        // The writer holds the night's camera reads, manifests and gate passes to its end.
        releaseInBackground(beside)
        return result
    }

    /// - Parameter writingStore: whether the store is written beside the analysis; the
    ///   writer is returned, its transaction still open, for `write` to finish.
    private static func run(_ o: AnalysisOptions, progress: RunProgress?, writingStore: Bool)
        throws(AnalysisError) -> (run: RunResult, beside: StoreBeside?) {
        // 0. Every path checked before anything is read, every problem reported at once.
        let problems = InputPreflight.problems(o)
        if !problems.isEmpty { throw .input(InputPreflight.message(problems)) }
        let started = Date()
        var clock = StageClock()
        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount

        // 1. Ingest: the traces streamed into vehicle buckets (projected as they are read),
        //    the references beside them.
        var (refs, traces) = try ingest(o, threads: threads, progress: progress, clock: &clock)
        let epsg = traces.epsg ?? refs.projectionEPSG
        // A partition judges with the whole night's span, as the unpartitioned run does.
        if let span = o.nightSpan {
            traces.firstTime = span.lowerBound
            traces.lastTime = span.upperBound
        }

        // 2. The fence index over the projected fences.
        let index = try refs.fenceIndex(epsg: epsg)
        clock.lap("fence index")

        // 3. Per vehicle, bucket by bucket: analyzer → judge.
        let judge = VehicleJudge(index: index, references: refs)
        // Camera-only plates of registered vehicles are judged too (their reads can still be violations).
        for plate in refs.cameras.plates where judge.registry[plate] != nil { _ = traces.plates.intern(plate) }
        // So are the vehicles of manifests and gate passes (an unclosed manifest or a cloned
        // tag needs no GPS), in a fixed order so case ids do not depend on hashing.
        for plate in refs.chain.plates.sorted() { _ = traces.plates.intern(plate) }
        let judged = traces.plates.plates.map { o.partition?.contains(plate: $0) ?? true }
        // Each bucket's vehicles, by index: the order they are analyzed and written in.
        let spill = traces.spill
        var buckets = [[Int]](repeating: [], count: spill.buckets)
        for v in 0..<traces.plates.count where judged[v] { buckets[spill.bucket(of: Int32(v))].append(v) }
        // The store beside the outputs (no `--db`) is opened now: their folder is made first.
        if writingStore && o.store == nil { try createOutputFolder(o.out) }
        let beside = writingStore
            ? StoreBeside(store: o.storePath, references: refs, fences: index.fences, plates: traces.plates,
                          order: buckets.flatMap { $0 }, startedAt: Int64(started.timeIntervalSince1970),
                          progress: progress)
            : nil
        // The inputs' cross-checks need no analysis: they run meanwhile instead of after it
        // (a city night's ~190,000 manifests and gate passes took the main thread ~30 ms
        // there while the other core idled, issue #19).
        let warnings = BackgroundResult<[String], Never>(on: .global()) { [refs, plates = traces.plates, o] in
            InputChecks.warnings(refs, plates: plates, partition: o.partition)
        }
        let outcomes: [VehicleStage.Outcome?]
        do {
            outcomes = try analyzeBuckets(traces, index: index, judge: judge, buckets: buckets, threads: threads,
                                          progress: progress, beside: beside, clock: &clock)
        } catch {
            beside?.abandon()
            throw error
        }

        // 4. The run's result: trips and cases in vehicle order, summary, run record.
        let tally = RunTally(outcomes, fixesRead: traces.rows, fixesRejected: traces.rejects.count, chain: refs.chain,
                             fences: index, partition: o.partition)
        var summary = tally.summary
        // The other inputs are read whole by every partition: their rejects count in partition 0.
        let otherRejects = (o.partition?.index ?? 0) == PlatePartition.noPlate ? refs.rejects : []
        summary.otherRejected = otherRejects.count
        summary.warnings = warnings.get()
        summary.partition = o.partition
        let rejects = (otherRejects + traces.rejects).sorted { ($0.file, $0.line) < ($1.file, $1.line) }
        var record = runRecord(o, traces: traces, config: refs.config, epsg: epsg, started: started,
                               timings: clock.timings)
        record.partition = o.partition
        releaseInBackground(outcomes)
        var run = RunResult(plates: traces.plates, trips: tally.trips, cases: tally.cases, rejects: rejects,
                            summary: summary, clock: refs.config.clock, record: record, fences: index.fences,
                            permits: refs.permits, vehicles: refs.vehicles)
        if beside == nil { run.addStoreRows(cameras: refs.cameras, chain: refs.chain, partition: o.partition) }
        return (run, beside)
    }

    /// The first and last fix time of `o.traces` (all their rows, whatever `o.partition`),
    /// and how many fixes they hold: what the Spark driver asks of each partition's rows
    /// to learn the night's span (`--span-only`) before it analyzes them with `--night-span`.
    public static func traceSpan(_ o: AnalysisOptions) throws(AnalysisError) -> (span: ClosedRange<Int64>?, fixes: Int) {
        var whole = o
        whole.partition = nil
        whole.nightSpan = nil
        let problems = InputPreflight.problems(whole)
        if !problems.isEmpty { throw .input(InputPreflight.message(problems)) }
        var clock = StageClock()
        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount
        let (_, traces) = try ingest(whole, threads: threads, progress: nil, clock: &clock)
        let span = traces.firstTime <= traces.lastTime ? traces.firstTime...traces.lastTime : nil
        return (span, traces.rows - traces.rejects.count)
    }

    /// Reads the traces into the spill's buckets while the references load in the
    /// background; a reference error wins over a trace error (it is the one to fix first).
    private static func ingest(_ o: AnalysisOptions, threads: Int, progress: RunProgress?,
                               clock: inout StageClock) throws(AnalysisError) -> (References, TraceIngest) {
        let loading = try ReferenceLoad(o.referenceFiles)
        clock.lap("references")
        let traces: TraceIngest
        do {
            traces = try TraceIngest.run(o, loading.early, threads: threads, progress: progress)
        } catch {
            if let e = loading.firstError() { throw .input(e.description) }
            throw error
        }
        // Manifests, gate passes and camera reads pushed into the store since the last run join the files'.
        let refs = try StoreInbox.merged(try loading.finish(), store: o.storePath)
        clock.add("read+parse", traces.readSeconds)
        clock.add("project", traces.projectSeconds)
        // Handing fixes to the buckets runs on its own queue while the next pieces parse.
        clock.add("bucket (background)", traces.bucketSeconds)
        return (refs, traces)
    }

    /// Analyzes and judges every vehicle, one bucket at a time; bucket b + 1 is read back,
    /// grouped and sorted in the background while bucket b is analyzed. Outcomes are
    /// indexed by vehicle, so the result depends on neither the bucket nor the thread count.
    /// - Parameters:
    ///   - buckets: each bucket's vehicles of this run (all but a partition's are skipped).
    ///   - beside: the store's writer, handed each vehicle as it is finished.
    private static func analyzeBuckets(_ traces: TraceIngest, index: FenceIndex, judge: VehicleJudge, buckets: [[Int]],
                                       threads: Int, progress: RunProgress?, beside: StoreBeside?,
                                       clock: inout StageClock) throws(AnalysisError) -> [VehicleStage.Outcome?] {
        let plates = traces.plates
        var outcomes = [VehicleStage.Outcome?](repeating: nil, count: plates.count)
        var sortSeconds = 0.0, analyzeSeconds = 0.0
        let prepare = BucketPrefetch(traces.spill, vehicles: plates.count, threads: threads)
        prepare.start(0)
        progress?.start("analyze", total: buckets.reduce(0) { $0 + $1.count }, unit: .vehicles)
        for (b, mine) in buckets.enumerated() {
            let t0 = Date()
            let (fixes, ranges) = try prepare.take()
            if b + 1 < buckets.count { prepare.start(b + 1) }
            let t1 = Date()
            let stage = VehicleStage(fixes: fixes, ranges: ranges, plates: plates, index: index,
                                     ids: index.fences.map(\.id), kinds: index.fences.map(\.kind),
                                     config: judge.config, judge: judge, dataEnd: traces.lastTime)
            let each = stage.runAll(vehicles: mine, threads: threads) { v, outcome in
                progress?.advance("analyze")
                beside?.finished(vehicle: v, outcome)
            }
            for (v, outcome) in zip(mine, each) { outcomes[v] = outcome }
            sortSeconds += t1.timeIntervalSince(t0)
            analyzeSeconds += Date().timeIntervalSince(t1)
        }
        progress?.finish("analyze", note: "\(buckets.count) bucket(s)")
        clock.add("sort", sortSeconds)
        clock.add("analyze+rules+cases", analyzeSeconds)
        return outcomes
    }

    /// The run's facts for the store's run table: inputs, options, projection, the data's
    /// time span and the seconds each stage took.
    private static func runRecord(_ o: AnalysisOptions, traces: TraceIngest, config: Config, epsg: Int,
                                  started: Date, timings: [StageTiming]) -> RunRecord {
        RunRecord(
            startedAt: Int64(started.timeIntervalSince1970),
            inputs: RunInputs(references: o.referenceFiles, traces: o.traces, traceDatum: o.traceCoords),
            projectionEPSG: epsg, timezone: config.timezone, buckets: traces.spill.buckets,
            dataSpan: traces.firstTime <= traces.lastTime ? traces.firstTime...traces.lastTime : nil,
            stageTimings: timings)
    }

    /// Freeing a city night's per-vehicle outcomes (values holding strings) took time of
    /// the calling thread between the analysis and the writing, while the other core
    /// idled, and freeing its references (~200,000 manifests and gate passes) took ~0.1 s
    /// after the commit, when nothing else is left to do (issue #19): such values are
    /// released on a background thread instead (and a process that exits first never
    /// frees them at all).
    public static func releaseInBackground<Value>(_ value: consuming Value) {
        let done = UncheckedBox(consume value)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(done) {} }
    }

    /// The store a run writes when `--db` does not name one: the file beside its outputs.
    public static func defaultStore(in out: String) -> String { (out.hasSuffix("/") ? out : out + "/") + "muckwatch.sqlite" }

    /// Writes the contract's outputs into `dir`: JSON and CSV files, then the store
    /// (`store`: a file or a `postgres://` URL, else `dir`/muckwatch.sqlite; the partitions
    /// of a night share one).
    public static func write(_ run: RunResult, to dir: String, store: String? = nil, progress: RunProgress? = nil)
        throws(AnalysisError) {
        try write(run, to: dir, store: store, progress: progress, beside: nil)
    }

    /// `write`, the store finished by `beside` when the run wrote it beside its analysis.
    private static func write(_ run: RunResult, to dir: String, store: String?, progress: RunProgress?,
                              beside: StoreBeside?) throws(AnalysisError) {
        let storePath = store ?? defaultStore(in: dir)
        try createOutputFolder(dir)
        // The files and the store are independent: write them side by side.
        let failures = ResultSlots<AnalysisError>(count: 2)
        let location = (try? StoreLocation(parsing: storePath).description) ?? storePath
        progress?.start("outputs", total: OutputWriter.fileCount, unit: .files)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 {
                do { try OutputWriter.writeAll(run, to: dir) { progress?.advance("outputs") } } catch {
                    failures[0] = .output("\(dir): cannot write outputs: \(error)")
                }
                progress?.finish("outputs")
            } else {
                do {
                    // Written beside the analysis unless another writer held the store when
                    // the run began: then after it, as a partition's is.
                    if try beside?.complete(run) != true {
                        progress?.start("store", total: run.cases.count + run.trips.count, unit: .records)
                        try whileStoreBusy { () throws(StoreError) in
                            let store = try CaseStore(path: storePath)
                            _ = try store.write(beside?.withStoreRows(run) ?? run) { progress?.advance("store", by: $0) }
                        }
                        progress?.finish("store", note: "\(run.cases.count) cases, \(run.trips.count) trips")
                    }
                } catch {
                    failures[1] = .output("\(location): \(error)")
                }
            }
        }
        if let f = failures[0] ?? failures[1] {
            beside?.abandon()  // the files failed: the run is not committed either
            throw f
        }
        // Committed once the files are written: a run that fails leaves the store as it was.
        do { try beside?.commit(run) } catch { throw .output("\(location): \(error)") }
    }

    private static func createOutputFolder(_ dir: String) throws(AnalysisError) {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw .output("\(dir): cannot create the output folder: \(error.localizedDescription)")
        }
    }

    /// Runs `write` again while another writer holds the store past its busy timeout, for up
    /// to `patience` seconds: the partitions of a night (issue #23) write into one store at
    /// once, and a run's store write is one transaction, rolled back whole when it cannot start.
    static func whileStoreBusy(patience: Double = 600, _ write: () throws(StoreError) -> Void) throws(StoreError) {
        let start = Date()
        while true {
            do {
                return try write()
            } catch let e where e.isBusy && Date().timeIntervalSince(start) < patience {
                continue
            }
        }
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// Seconds spent per stage, for the run record and the benchmarks.
    struct StageClock {
        var timings: [StageTiming] = []
        private var mark = Date()
        mutating func lap(_ name: String) {
            let now = Date()
            timings.append(StageTiming(name, seconds: now.timeIntervalSince(mark)))
            mark = now
        }
        mutating func add(_ name: String, _ seconds: Double) {
            timings.append(StageTiming(name, seconds: seconds))
            mark = Date()
        }
    }
}
