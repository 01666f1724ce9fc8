import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchGeo
import MuckWatchAnalysis
import MuckWatchRules
import MuckWatchCases
import MuckWatchStore

/// The whole `analyze` pipeline, listed in one place:
/// ingest → projection → fence index → per-vehicle analyzer → rules → cases → outputs and store.
public enum Analysis {
    public static func run(_ o: AnalysisOptions, progress: ProgressHandler? = nil) throws(AnalysisError) -> RunResult {
        let started = Date()
        var clock = StageClock()
        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount

        // 1. Ingest: references, then the traces streamed into vehicle buckets.
        // References other than config and registry load in the background meanwhile.
        let loading = try ReferenceLoad(o)
        clock.lap("references")
        var traces: TraceIngest
        do {
            traces = try TraceIngest.run(o, loading.early, threads: threads, progress: progress)
        } catch {
            if let e = loading.firstError() { throw .input(e.description) }
            throw error
        }
        let refs = try loading.finish()
        clock.add("read+parse", traces.readSeconds)
        clock.add("project", traces.projectSeconds)
        // Handing fixes to the buckets runs on its own queue while the next pieces parse.
        clock.add("bucket (background)", traces.bucketSeconds)
        let epsg = traces.epsg ?? Projector.gaussKrugerZoneEPSG(longitude: centralLongitude([], refs.fences))

        // 2. The fence index over the projected fences.
        let index: FenceIndex
        do {
            index = try FenceIndex(fences: refs.fences, projector: try Projector(epsg: epsg))
        } catch {
            throw .geometry("fences: \(error)")
        }
        clock.lap("fence index")

        // 3. Per vehicle, bucket by bucket: analyzer → rules → cases.
        let judge = VehicleJudge(index: index, references: refs)
        // Camera-only plates of registered vehicles are judged too (their reads can still be violations).
        for plate in refs.cameras.plates where judge.registry[plate] != nil { _ = traces.plates.intern(plate) }
        let plates = traces.plates
        let warnings = InputChecks.warnings(refs, plates: plates)
        var outcomes = [VehicleStage.Outcome?](repeating: nil, count: plates.count)
        var sortSeconds = 0.0, analyzeSeconds = 0.0
        // Bucket b + 1 is read back, grouped and sorted in the background while bucket b
        // is analyzed.
        let buckets = traces.spill.buckets
        let prepare = BucketPrefetch(traces.spill, vehicles: plates.count, threads: threads)
        prepare.start(0)
        for b in 0..<buckets {
            progress?("analyze", b, buckets)
            let t0 = Date()
            let (fixes, ranges) = try prepare.take()
            if b + 1 < buckets { prepare.start(b + 1) }
            let t1 = Date()
            let stage = VehicleStage(fixes: fixes, ranges: ranges, plates: plates, index: index,
                                     ids: index.fences.map(\.id), kinds: index.fences.map(\.kind), config: refs.config,
                                     judge: judge)
            let mine = (0..<plates.count).filter { traces.spill.bucket(of: Int32($0)) == b }
            for (v, outcome) in zip(mine, stage.runAll(vehicles: mine, threads: threads)) { outcomes[v] = outcome }
            sortSeconds += t1.timeIntervalSince(t0)
            analyzeSeconds += Date().timeIntervalSince(t1)
        }
        clock.add("sort", sortSeconds)
        clock.add("analyze+rules+cases", analyzeSeconds)

        // 4. The run's result: trips and cases in vehicle order, summary, run record.
        var summary = Summary()
        summary.fixesRead = traces.rows
        summary.fixesRejected = traces.rejects.count
        summary.otherRejected = refs.rejects.count
        summary.warnings = warnings
        var trips: [Trip] = []
        var cases: [Case] = []
        for outcome in outcomes {
            guard let outcome else { continue }
            trips += outcome.trips
            cases += outcome.cases
            summary.fixesDuplicate += outcome.duplicates
            summary.fixesOutlier += outcome.outliers
            if outcome.hasFixes { summary.vehicles += 1 }
        }
        summary.fixesAccepted = summary.fixesRead - summary.fixesRejected - summary.fixesDuplicate - summary.fixesOutlier
        summary.trips = trips.count
        summary.cases = cases.count
        for c in cases { for v in c.violations { summary.violationsByType[v.type, default: 0] += 1 } }
        for t in trips where t.dumpedAt != nil {
            let tonnes = t.loadT ?? 0
            if let s = t.sourceSite { summary.tonnesBySourceSite[s, default: 0] += tonnes }
            if let d = t.disposalSite { summary.tonnesByDisposalSite[d, default: 0] += tonnes }
        }
        cases.sort { ($0.date, $0.vehicleID, $0.id) < ($1.date, $1.vehicleID, $1.id) }
        let rejects = (refs.rejects + traces.rejects).sorted { ($0.file, $0.line) < ($1.file, $1.line) }

        let config = refs.config
        let record = RunRecord(
            startedAt: Int64(started.timeIntervalSince1970),
            inputs: RunInputs(fences: o.fences, traces: o.traces, cameras: o.cameras, permits: o.permits,
                              vehicles: o.vehicles, fenceDatum: o.fenceCoords, traceDatum: o.traceCoords,
                              config: o.config),
            projectionEPSG: epsg, timezone: config.timezone, buckets: traces.spill.buckets,
            dataSpan: traces.firstTime <= traces.lastTime ? traces.firstTime...traces.lastTime : nil,
            stageTimings: clock.timings)
        let cameraEvents = caseCameraEvents(cases, refs.cameras)
        // Freeing a city night's per-vehicle outcomes (values holding strings) took time
        // of this thread between the analysis and the writing, while the other core
        // idled: release them there.
        let done = UncheckedBox(consume outcomes)
        DispatchQueue.global(qos: .utility).async { withExtendedLifetime(done) {} }
        return RunResult(plates: plates, trips: trips, cases: cases, rejects: rejects, summary: summary,
                         clock: config.clock, record: record, fences: index.fences,
                         cameraEvents: cameraEvents, permits: refs.permits, vehicles: refs.vehicles)
    }

    /// Writes the contract's outputs into `dir`: JSON and CSV files, then the store.
    public static func write(_ run: RunResult, to dir: String) throws(AnalysisError) {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        } catch {
            throw .output("\(dir): cannot create the output folder: \(error.localizedDescription)")
        }
        // The files and the store are independent: write them side by side.
        let failures = ResultSlots<AnalysisError>(count: 2)
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            if k == 0 {
                do { try OutputWriter.writeAll(run, to: dir) } catch {
                    failures[0] = .output("\(dir): cannot write outputs: \(error)")
                }
            } else {
                do {
                    let store = try CaseStore(path: dir + "/muckwatch.sqlite")
                    _ = try store.write(run)
                } catch {
                    failures[1] = .output("\(dir)/muckwatch.sqlite: \(error)")
                }
            }
        }
        if let f = failures[0] ?? failures[1] { throw f }
    }

    /// The camera reads an officer sees with the cases: each case's evidence and the other
    /// reads of its plate around it (context). A city night has hundreds of thousands of
    /// plain passes; the store keeps only these.
    public static func caseCameraEvents(_ cases: [Case], _ cameras: CameraReads) -> [CameraEvent] {
        var out: [CameraEvent] = []
        var seen = Set<String>()
        for c in cases {
            guard let p = cameras.plateIndex(c.vehicleID) else { continue }
            var windows = c.violations.map { ($0.start - 300)...($0.end + 300) }
            if let t = c.trip { windows.append((t.loadStart - 300)...((t.dumpEnd ?? t.dumpedAt ?? t.loadedAt) + 300)) }
            let evidence = Set(c.violations.flatMap(\.evidence.cameraEvents))
            // Chosen on the records; only the reads kept become events.
            for i in cameras.range(plateAt: p) {
                let r = cameras.records[i]
                guard windows.contains(where: { $0.contains(r.time) })
                        || (!evidence.isEmpty && evidence.contains(cameras.id(r))) else { continue }
                let e = cameras.event(at: i, plateAt: p)
                if seen.insert(e.id).inserted { out.append(e) }
            }
        }
        return out.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
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

    /// Central longitude of the data, to pick the Gauss–Krüger zone.
    public static func centralLongitude(_ fixes: [Fix], _ fences: [Fence]) -> Double {
        if !fixes.isEmpty {
            var lons = [Double]()
            let step = max(1, fixes.count / 1000)
            for i in stride(from: 0, to: fixes.count, by: step) { lons.append(fixes[i].lon) }
            lons.sort()
            return lons[lons.count / 2]
        }
        for f in fences {
            switch f.geometry {
            case .point(let p): return p.lon
            case .lines(let l): if let p = l.first?.first { return p.lon }
            case .polygons(let p): if let q = p.first?.first?.first { return q.lon }
            }
        }
        return 117
    }
}
