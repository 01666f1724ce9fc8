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

        // 1. Ingest the references: config, fences, registry, permits, cameras.
        let config: Config
        var rejects: [Reject] = []
        var fences: [Fence]
        var vehicles: [Vehicle] = []
        var permits: [Permit] = []
        var cameras: [CameraEvent] = []
        var summary = Summary()
        do {
            config = try o.config.map { path throws(IngestError) in try ConfigReader.read(path: path) } ?? Config()
            fences = try FenceReader.read(path: o.fences)
            if let p = o.vehicles { vehicles = try VehicleReader.read(path: p, rejects: &rejects) }
            if let p = o.permits { permits = try PermitReader.read(path: p, rejects: &rejects) }
            if let p = o.cameras { cameras = try CameraReader.read(path: p, rejects: &rejects) }
        } catch {
            throw .input(error.description)
        }
        summary.otherRejected = rejects.count
        lap("references")
        if o.fenceCoords == .gcj02 { fences = fences.map(DatumShift.gcj02ToWGS84) }
        let threads = o.threads > 0 ? o.threads : ProcessInfo.processInfo.activeProcessorCount

        // 2. Stream the traces: parse a chunk, shift GCJ-02 back to WGS84, project, and
        //    hand the fixes to their vehicle's bucket (spilled to disk for big nights).
        var plates = PlateTable()
        let terminals = JT808CaptureReader.terminalDirectory(vehicles)
        let inputBytes = o.traces.reduce(0) { $0 + fileSize($1) }
        let spill = FixSpill(buckets: o.buckets ?? max(1, inputBytes / (96 << 20)), memoryLimit: o.spillAfterFixes)
        var epsg = config.projectionEPSG
        var firstTime = Int64.max, lastTime = Int64.min
        var readSeconds = 0.0, projectSeconds = 0.0, bucketSeconds = 0.0
        do {
            var chunk: [Fix] = []
            var bytesDone = 0
            for (k, path) in o.traces.enumerated() {
                var stream = try TraceStream(path: path, fileIndex: Int32(k), terminals: terminals,
                                             chunkBytes: o.readChunkBytes)
                let before = rejects.count
                while true {
                    // Cut up to one chunk per core, parse them side by side, merge in file order.
                    let t0 = Date()
                    chunk.removeAll(keepingCapacity: true)
                    var pieces: [TraceChunk] = []
                    while pieces.count < threads, let piece = try stream.nextChunk() {
                        if piece.isCapture {
                            _ = try stream.readCapture(piece.bytes, plates: &plates, fixes: &chunk, rejects: &rejects)
                            break
                        }
                        pieces.append(piece)
                    }
                    if pieces.isEmpty && chunk.isEmpty { break }
                    if !pieces.isEmpty {
                        let parsed = ParallelParse.run(pieces, plates: &plates)
                        for p in parsed {
                            chunk += p.fixes
                            rejects += p.rejects
                            stream.count(rows: p.rows)
                        }
                    }
                    let t1 = Date()
                    readSeconds += t1.timeIntervalSince(t0)
                    if o.traceCoords == .gcj02 {
                        for i in chunk.indices {
                            let p = GCJ02.toWGS84(LonLat(lon: chunk[i].lon, lat: chunk[i].lat))
                            chunk[i].lon = p.lon
                            chunk[i].lat = p.lat
                        }
                    }
                    if epsg == nil, !chunk.isEmpty {
                        epsg = Projector.gaussKrugerZoneEPSG(longitude: centralLongitude(chunk, fences))
                    }
                    if let epsg { try FixOrdering.project(&chunk, epsg: epsg, threads: threads) }
                    for f in chunk {
                        firstTime = min(firstTime, f.time)
                        lastTime = max(lastTime, f.time)
                    }
                    let t2 = Date()
                    projectSeconds += t2.timeIntervalSince(t1)
                    try spill.add(chunk)
                    bucketSeconds += Date().timeIntervalSince(t2)
                    bytesDone += chunk.count * 60
                    progress?("read \(path)", min(bytesDone, inputBytes), inputBytes)
                }
                summary.fixesRead += stream.rows
                summary.fixesRejected += rejects.count - before
            }
        } catch let e as AnalysisError {
            throw e
        } catch let e as IngestError {
            throw .input(e.description)
        } catch {
            throw .geometry("projection: \(error)")
        }
        timings.append(("read+parse", readSeconds))
        timings.append(("project", projectSeconds))
        timings.append(("bucket", bucketSeconds))
        mark = Date()
        let projectionEPSG = epsg ?? Projector.gaussKrugerZoneEPSG(longitude: centralLongitude([], fences))

        // 3. The fence index.
        let index: FenceIndex
        do {
            index = try FenceIndex(fences: fences, projector: try Projector(epsg: projectionEPSG))
        } catch {
            throw .geometry("fences: \(error)")
        }
        lap("fence index")

        // 4. Per vehicle, bucket by bucket: analyzer → rules → cases.
        let registry = Dictionary(vehicles.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Camera-only plates of registered vehicles are judged too (their reads can still be violations).
        for e in cameras where registry[e.plate] != nil { _ = plates.intern(e.plate) }
        let camerasByPlate = Dictionary(grouping: cameras.sorted { ($0.time, $0.id) < ($1.time, $1.id) }, by: \.plate)
        var permitsByPlate: [String: [Permit]] = [:]
        for p in permits { for v in Set(p.vehicles) { permitsByPlate[v, default: []].append(p) } }
        let ids = index.fences.map(\.id)
        let kinds = index.fences.map(\.kind)
        var outcomes = [VehicleStage.Outcome?](repeating: nil, count: plates.count)
        var sortSeconds = 0.0, analyzeSeconds = 0.0
        for b in 0..<spill.buckets {
            progress?("analyze", b, spill.buckets)
            let t0 = Date()
            var fixes = try spill.take(b)
            let ranges = FixOrdering.group(&fixes, vehicles: plates.count, threads: threads)
            let t1 = Date()
            let stage = VehicleStage(fixes: fixes, ranges: ranges, plates: plates, index: index, ids: ids, kinds: kinds,
                                     config: config, registry: registry, permitsByPlate: permitsByPlate,
                                     camerasByPlate: camerasByPlate)
            let mine = (0..<plates.count).filter { spill.bucket(of: Int32($0)) == b }
            for (v, outcome) in zip(mine, stage.runAll(vehicles: mine, threads: threads)) { outcomes[v] = outcome }
            sortSeconds += t1.timeIntervalSince(t0)
            analyzeSeconds += Date().timeIntervalSince(t1)
        }
        timings.append(("sort", sortSeconds))
        timings.append(("analyze+rules+cases", analyzeSeconds))
        mark = Date()

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
            ("config", o.config ?? ""), ("projection", "EPSG:\(projectionEPSG)"), ("timezone", config.timezone),
            ("buckets", String(spill.buckets)),
        ]
        if firstTime <= lastTime {
            metadata.append(("data_from", config.clock.format(firstTime)))
            metadata.append(("data_to", config.clock.format(lastTime)))
        }
        for (name, seconds) in timings { metadata.append(("seconds_\(name)", String(format: "%.3f", seconds))) }
        return RunResult(plates: plates, trips: trips, cases: cases, rejects: rejects, summary: summary,
                         clock: config.clock, metadata: metadata, fences: index.fences,
                         cameraEvents: caseCameraEvents(cases, camerasByPlate))
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
    static func caseCameraEvents(_ cases: [Case], _ byPlate: [String: [CameraEvent]]) -> [CameraEvent] {
        var out: [CameraEvent] = []
        var seen = Set<String>()
        for c in cases {
            guard let events = byPlate[c.vehicleID] else { continue }
            var windows = c.violations.map { ($0.start - 300)...($0.end + 300) }
            if let t = c.trip { windows.append((t.loadStart - 300)...((t.dumpEnd ?? t.dumpedAt ?? t.loadedAt) + 300)) }
            let evidence = Set(c.violations.flatMap(\.evidence.cameraEvents))
            for e in events where evidence.contains(e.id) || windows.contains(where: { $0.contains(e.time) }) {
                if seen.insert(e.id).inserted { out.append(e) }
            }
        }
        return out.sorted { ($0.time, $0.id) < ($1.time, $1.id) }
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
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
