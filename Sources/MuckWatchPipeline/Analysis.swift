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
        var timings: [(String, Double)] = []
        var mark = Date()
        func lap(_ name: String) {
            let now = Date()
            timings.append((name, now.timeIntervalSince(mark)))
            mark = now
        }

        // 1. Ingest
        let config: Config
        var rejects: [Reject] = []
        var fences: [Fence]
        var vehicles: [Vehicle] = []
        var permits: [Permit] = []
        var cameras: [CameraEvent] = []
        var plates = PlateTable()
        var fixes: [Fix] = []
        var summary = Summary()
        do {
            config = try o.config.map { path throws(IngestError) in try ConfigReader.read(path: path) } ?? Config()
            fences = try FenceReader.read(path: o.fences)
            if let p = o.vehicles { vehicles = try VehicleReader.read(path: p, rejects: &rejects) }
            if let p = o.permits { permits = try PermitReader.read(path: p, rejects: &rejects) }
            if let p = o.cameras { cameras = try CameraReader.read(path: p, rejects: &rejects) }
            summary.otherRejected = rejects.count
            for (k, path) in o.traces.enumerated() {
                progress?("read \(path)", k, o.traces.count)
                let before = rejects.count
                summary.fixesRead += try TraceReader.read(path: path, fileIndex: Int32(k), plates: &plates,
                                                          fixes: &fixes, rejects: &rejects)
                summary.fixesRejected += rejects.count - before
            }
        } catch {
            throw .input(error.description)
        }
        lap("read+parse")

        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount

        // 2. Projection (GCJ-02 inputs are shifted back to WGS84 first).
        if o.fenceCoords == .gcj02 { fences = fences.map(DatumShift.gcj02ToWGS84) }
        if o.traceCoords == .gcj02 {
            for i in fixes.indices {
                let p = GCJ02.toWGS84(LonLat(lon: fixes[i].lon, lat: fixes[i].lat))
                fixes[i].lon = p.lon
                fixes[i].lat = p.lat
            }
        }
        let epsg = config.projectionEPSG ?? Projector.gaussKrugerZoneEPSG(longitude: centralLongitude(fixes, fences))
        let index: FenceIndex
        do {
            let projector = try Projector(epsg: epsg)
            try FixOrdering.project(&fixes, epsg: epsg, threads: threads)
            lap("project")
            index = try FenceIndex(fences: fences, projector: projector)
        } catch {
            throw .geometry("projection/fences: \(error)")
        }
        lap("fence index")

        // 3. Per-vehicle analysis, rules and cases.
        let registry = Dictionary(vehicles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Camera-only plates of registered vehicles are judged too (their reads can still be violations).
        for e in cameras where registry[e.plate] != nil { _ = plates.intern(e.plate) }
        let ranges = FixOrdering.group(&fixes, vehicles: plates.count, threads: threads)
        lap("sort")
        let camerasByPlate = Dictionary(grouping: cameras.sorted { ($0.time, $0.id) < ($1.time, $1.id) }, by: \.plate)
        let ids = index.fences.map(\.id)
        let kinds = index.fences.map(\.kind)
        let stage = VehicleStage(fixes: fixes, ranges: ranges, plates: plates, index: index, ids: ids, kinds: kinds,
                                 config: config, registry: registry, permits: permits, camerasByPlate: camerasByPlate)
        var trips: [Trip] = []
        var cases: [Case] = []
        for outcome in stage.runAll(threads: threads, progress: progress) {
            trips += outcome.trips
            cases += outcome.cases
            summary.fixesDuplicate += outcome.duplicates
            summary.fixesOutlier += outcome.outliers
            if outcome.hasFixes { summary.vehicles += 1 }
        }
        lap("analyze+rules+cases")

        // 4. Summary.
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
        rejects.sort { ($0.file, $0.line) < ($1.file, $1.line) }

        var metadata: [(key: String, value: String)] = [
            ("started_at", config.clock.format(Int64(started.timeIntervalSince1970))),
            ("fences", o.fences), ("traces", o.traces.joined(separator: " ")),
            ("cameras", o.cameras ?? ""), ("permits", o.permits ?? ""), ("vehicles", o.vehicles ?? ""),
            ("fence_coords", o.fenceCoords.rawValue), ("trace_coords", o.traceCoords.rawValue),
            ("config", o.config ?? ""), ("projection", "EPSG:\(epsg)"), ("timezone", config.timezone),
        ]
        if let first = fixes.min(by: { $0.time < $1.time }), let last = fixes.max(by: { $0.time < $1.time }) {
            metadata.append(("data_from", config.clock.format(first.time)))
            metadata.append(("data_to", config.clock.format(last.time)))
        }
        for (name, seconds) in timings { metadata.append(("seconds_\(name)", String(format: "%.3f", seconds))) }
        return RunResult(plates: plates, trips: trips, cases: cases, rejects: rejects, summary: summary,
                         clock: config.clock, metadata: metadata, fences: index.fences, cameraEvents: cameras)
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

    /// Central longitude of the data, to pick the Gauss–Krüger zone.
    static func centralLongitude(_ fixes: [Fix], _ fences: [Fence]) -> Double {
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
