import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchGeo

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

    static func run(_ o: AnalysisOptions, _ refs: References, threads: Int,
                    progress: ProgressHandler?) throws(AnalysisError) -> TraceIngest {
        let inputBytes = o.traces.reduce(0) { $0 + Analysis.fileSize($1) }
        var t = TraceIngest(spill: FixSpill(buckets: o.buckets ?? max(1, inputBytes / (96 << 20)),
                                            memoryLimit: o.spillAfterFixes),
                            epsg: refs.config.projectionEPSG)
        let terminals = JT808CaptureReader.terminalDirectory(refs.vehicles)
        var chunk: [Fix] = []
        var bytesDone = 0
        do {
            for (k, path) in o.traces.enumerated() {
                var stream = try TraceStream(path: path, fileIndex: Int32(k), terminals: terminals,
                                             chunkBytes: o.readChunkBytes)
                do {
                    try t.read(&stream, &chunk, o, refs, threads: threads) { done in
                        bytesDone += done
                        progress?("read \(path)", min(bytesDone, inputBytes), inputBytes)
                    }
                } catch IngestError.unsupportedFormat(_, let reason) {
                    // A traces file that is not traces at all (empty, binary, no header) is
                    // reported like a bad row; the other files still count.
                    t.rejects.append(Reject(file: path, line: 1, reason: "file not used: \(reason)"))
                }
                t.rows += stream.rows
            }
        } catch let e as AnalysisError {
            throw e
        } catch let e as IngestError {
            throw .input(e.description)
        } catch {
            throw .geometry("projection: \(error)")
        }
        return t
    }

    /// Reads one file, a few pieces at a time (one per core), until it ends.
    private mutating func read(_ stream: inout TraceStream, _ chunk: inout [Fix], _ o: AnalysisOptions,
                               _ refs: References, threads: Int, progress: (Int) -> Void) throws {
        while true {
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
            if pieces.isEmpty && chunk.isEmpty { return }
            for p in ParallelParse.run(pieces, plates: &plates) {
                chunk += p.fixes
                rejects += p.rejects
                stream.count(rows: p.rows)
            }
            let t1 = Date()
            readSeconds += t1.timeIntervalSince(t0)
            try place(&chunk, o, refs.fences, threads: threads)
            projectSeconds += Date().timeIntervalSince(t1)
            let t2 = Date()
            try spill.add(chunk)
            bucketSeconds += Date().timeIntervalSince(t2)
            progress(pieces.reduce(0) { $0 + $1.byteCount })
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
            epsg = Projector.gaussKrugerZoneEPSG(longitude: Analysis.centralLongitude(chunk, fences))
        }
        if let epsg { try FixOrdering.project(&chunk, epsg: epsg, threads: threads) }
        for f in chunk {
            firstTime = min(firstTime, f.time)
            lastTime = max(lastTime, f.time)
        }
    }
}
