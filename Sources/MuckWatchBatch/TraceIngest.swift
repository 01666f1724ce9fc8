import Foundation
import MuckWatchCore
import MuckWatchJudge
import MuckWatchIngest
import MuckWatchGeo
import MuckWatchJT808
import MuckWatchJournal

/// Streams the traces: cuts record-aligned pieces, parses one per core, shifts GCJ-02
/// back to WGS84, projects, and hands each fix to its vehicle's bucket.
struct TraceIngest {
    var plates = PlateTable()
    var spill: FixSpill
    /// The projected CRS, chosen from the first fixes unless the config names one.
    var epsg: Int?
    var rows = 0
    var rejects: [Reject] = []
    var firstTime = Int64.max
    var lastTime = Int64.min
    var readSeconds = 0.0, projectSeconds = 0.0, bucketSeconds = 0.0
    /// One PROJ context per worker, made once the projection is known.
    private var projectors: [Projector] = []
    /// A partitioned run's row filter; `nil` when every row is the run's.
    private var partition: PartitionFilter?

    static func run(_ o: AnalysisOptions, _ refs: References, threads: Int,
                    progress: RunProgress?) throws(AnalysisError) -> TraceIngest {
        let inputBytes = o.traces.reduce(0) { $0 + Analysis.fileSize($1) }
        var t = TraceIngest(spill: FixSpill(buckets: o.buckets ?? max(1, inputBytes / (32 << 20)),
                                            memoryLimit: o.spillAfterFixes),
                            epsg: refs.config.projectionEPSG)
        // Traces the Spark driver split (`nightSpan` given) hold only this partition's rows.
        if let p = o.partition, o.nightSpan == nil { t.partition = PartitionFilter(p) }
        let terminals = JT808CaptureReader.terminalDirectory(refs.vehicles)
        var chunk: [Fix] = []
        do {
            for (k, path) in o.traces.enumerated() {
                if JournalDay.segments(of: path) != nil {
                    try t.readJournal(path, fileIndex: Int32(k), &chunk, o, refs, threads: threads, progress: progress)
                    continue
                }
                var stream = try TraceStream(path: path, fileIndex: Int32(k), chunkBytes: o.readChunkBytes)
                // The file name only: a long path would wrap the terminal line, and a wrapped line is not redrawn in place.
                let stage = "read " + (path as NSString).lastPathComponent
                progress?.start(stage, total: Analysis.fileSize(path), unit: .bytes)
                do {
                    try t.read(&stream, &chunk, o, refs, terminals: terminals, threads: threads) { done in
                        progress?.advance(stage, by: done)
                    }
                } catch IngestError.unsupportedFormat(_, let reason) {
                    // A traces file that is not traces at all (empty, binary, no header) is
                    // reported like a bad row; the other files still count.
                    t.rejects.append(Reject(file: path, line: 1, reason: "file not used: \(reason)"))
                }
                progress?.finish(stage, note: "\(stream.rows) fixes")
                t.rows += stream.rows
            }
            try t.spill.finishAdding()
        } catch let e as AnalysisError {
            throw e
        } catch let e as IngestError {
            throw .input(e.description)
        } catch {
            throw .geometry("projection: \(error)")
        }
        return t
    }

    /// Reads one file, a few pieces at a time (one per core), until it ends. The next
    /// pieces are cut in the background while the current ones are parsed, renumbered,
    /// shifted and projected (each on its own core), and handed to the buckets in the
    /// background too; only merging the plate tables stays on this thread.
    private mutating func read(_ stream: inout TraceStream, _ chunk: inout [Fix], _ o: AnalysisOptions,
                               _ refs: References, terminals: [String: String], threads: Int,
                               progress: (Int) -> Void) throws {
        let ahead = ReadAhead(stream, pieces: threads)
        let pool = FixArrayPool(keep: threads)
        let feeder = SpillFeeder(spill, pool: pool)
        var rowsParsed = 0
        defer {
            ahead.wait()
            stream = ahead.stream
            stream.count(rows: rowsParsed)
            try? feeder.finish()
            bucketSeconds += feeder.seconds
        }
        ahead.start()
        while true {
            let t0 = Date()
            let batch = try ahead.next()
            if let capture = batch.capture {
                // A JT/T 808 capture, decoded whole: placed and bucketed in one go.
                try feeder.finish()
                chunk.removeAll(keepingCapacity: true)
                let (path, file) = (ahead.stream.path, ahead.stream.fileIndex)
                guard !terminals.isEmpty else { throw IngestError.captureWithoutTerminals(path: path) }
                let rejectsBefore = rejects.count
                let summary = JT808CaptureReader.read(capture.bytes.array, path: path, fileIndex: file, terminals: terminals,
                                                      plates: &plates, fixes: &chunk, rejects: &rejects)
                let outside = try placeWhole(&chunk, readSince: t0, rejectsFrom: rejectsBefore, o, refs, threads: threads)
                ahead.stream.count(rows: summary.fixes - outside)
                ahead.start()
                continue
            }
            let pieces = batch.pieces
            if pieces.isEmpty {
                pool.close()
                try feeder.finish()
                return
            }
            ahead.start()
            var parsed = ParallelParse.run(pieces, plates: &plates, pool: pool)
            let t1 = Date()
            readSeconds += t1.timeIntervalSince(t0)
            try settle(&parsed, o, threads: threads)
            projectSeconds += Date().timeIntervalSince(t1)
            var arrays: [[Fix]] = []
            partition?.learn(plates)
            for k in parsed.indices {
                if let partition { rowsParsed -= partition.keep(&parsed[k]) }
                rejects += parsed[k].rejects
                rowsParsed += parsed[k].rows
                arrays.append(parsed[k].fixes)
                parsed[k].fixes = []
            }
            feeder.add(FixArrayPool.Handoff(consume arrays))
            progress(pieces.reduce(0) { $0 + $1.byteCount })
        }
    }

    /// A journal day of the live gateway (issue #24), read by content: its records are the
    /// fixes exactly as the terminals sent them, placed and bucketed in one go like a
    /// capture; a damaged record is a reject at its byte offset (a torn tail included).
    private mutating func readJournal(_ path: String, fileIndex: Int32, _ chunk: inout [Fix], _ o: AnalysisOptions,
                                      _ refs: References, threads: Int, progress: RunProgress?) throws {
        let stage = "read journal " + (path as NSString).lastPathComponent
        progress?.start(stage, total: Analysis.fileSize(path), unit: .bytes)
        let t0 = Date()
        var entries: [JournalEntry] = []
        let summary: JournalReader.Summary
        do {
            summary = try JournalReader.fixes(day: path, fileIndex: fileIndex, plates: &plates, entries: &entries)
        } catch {
            throw IngestError.unreadable(path: error.path, reason: error.reason)
        }
        let rejectsBefore = rejects.count
        for d in summary.damage {
            rejects.append(Reject(file: d.path, line: d.offset, reason: "journal \(d.kind.rawValue): \(d.detail)"))
        }
        chunk.removeAll(keepingCapacity: true)
        chunk.reserveCapacity(entries.count)
        for e in entries { chunk.append(e.fix) }
        entries = []
        rows += chunk.count
        rows -= try placeWhole(&chunk, readSince: t0, rejectsFrom: rejectsBefore, o, refs, threads: threads)
        progress?.finish(stage, note: "\(summary.records) fixes")
    }

    /// A whole file's fixes read in one go (a capture, a journal day): kept to this run's
    /// partition (`--partition`; the night's span still taken from all of them), placed and
    /// bucketed, the time since `t0` counted as reading. Returns how many fixes were other
    /// partitions'.
    private mutating func placeWhole(_ chunk: inout [Fix], readSince t0: Date, rejectsFrom: Int, _ o: AnalysisOptions,
                                     _ refs: References, threads: Int) throws -> Int {
        var outside = 0
        if partition != nil {
            for f in chunk { firstTime = min(firstTime, f.time); lastTime = max(lastTime, f.time) }
            partition!.learn(plates)
            let before = chunk.count
            _ = partition!.keep(&chunk, &rejects, rejectsFrom: rejectsFrom)
            outside = before - chunk.count
        }
        let t1 = Date()
        readSeconds += t1.timeIntervalSince(t0)
        try place(&chunk, o, refs.fences, threads: threads)
        projectSeconds += Date().timeIntervalSince(t1)
        let t2 = Date()
        try spill.add(chunk)
        bucketSeconds += Date().timeIntervalSince(t2)
        return outside
    }

    /// Renumbers, shifts to WGS84 and projects each parsed piece on its own core, and
    /// notes the time span. The projection is chosen once, from the first pieces read,
    /// exactly as `place` chooses it from the same fixes in one array.
    private mutating func settle(_ parsed: inout [ParallelParse.Parsed], _ o: AnalysisOptions,
                                 threads: Int) throws(GeoError) {
        let gcj = o.traceCoords == .gcj02
        let n = parsed.count
        func each(_ body: @Sendable (Int, inout ParallelParse.Parsed) -> Void) {
            ParallelParts.forEachElement(&parsed, threads: n, body)
        }
        each { _, p in
            ParallelParse.renumber(&p)
            if gcj {
                for i in p.fixes.indices {
                    let q = GCJ02.toWGS84(LonLat(lon: p.fixes[i].lon, lat: p.fixes[i].lat))
                    p.fixes[i].lon = q.lon
                    p.fixes[i].lat = q.lat
                }
            }
        }
        if epsg == nil, let longitude = TraceIngest.centralLongitude(parsed.map(\.fixes)) {
            epsg = Projector.gaussKrugerZoneEPSG(longitude: longitude)
        }
        guard let epsg else { return }
        if projectors.count < n || projectors.first?.epsg != epsg {
            projectors = try (0..<max(n, threads)).map { _ throws(GeoError) in try Projector(epsg: epsg) }
        }
        let boxed = UncheckedBox(projectors)
        let spans = ResultSlots<ClosedRange<Int64>>(count: n)
        each { k, p in
            boxed.value[k].project(&p.fixes)
            var lo = Int64.max, hi = Int64.min
            for f in p.fixes {
                lo = min(lo, f.time)
                hi = max(hi, f.time)
            }
            spans[k] = lo <= hi ? lo...hi : Int64.max...Int64.max
        }
        for (k, s) in spans.values.enumerated() where !parsed[k].fixes.isEmpty {
            firstTime = min(firstTime, s.lowerBound)
            lastTime = max(lastTime, s.upperBound)
        }
    }

    /// `Projector.centralLongitude` over pieces as if they were one array: the same samples.
    /// `nil` when the pieces hold no fix.
    static func centralLongitude(_ pieces: [[Fix]]) -> Double? {
        var piece = 0, offset = 0
        return Projector.medianLongitude(count: pieces.reduce(0) { $0 + $1.count }) { i in
            while i - offset >= pieces[piece].count {
                offset += pieces[piece].count
                piece += 1
            }
            return pieces[piece][i - offset].lon
        }
    }

    /// WGS84 and projected coordinates for a piece of fixes; notes the time span.
    private mutating func place(_ chunk: inout [Fix], _ o: AnalysisOptions, _ fences: [Fence],
                                threads: Int) throws(GeoError) {
        if o.traceCoords == .gcj02 {
            for i in chunk.indices {
                let p = GCJ02.toWGS84(LonLat(lon: chunk[i].lon, lat: chunk[i].lat))
                chunk[i].lon = p.lon
                chunk[i].lat = p.lat
            }
        }
        if epsg == nil, !chunk.isEmpty {
            epsg = Projector.gaussKrugerZoneEPSG(longitude: Projector.centralLongitude(chunk, fences))
        }
        if let epsg { try FixOrdering.project(&chunk, epsg: epsg, threads: threads) }
        for f in chunk {
            firstTime = min(firstTime, f.time)
            lastTime = max(lastTime, f.time)
        }
    }
}
