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
                while true {
                    let t0 = Date()
                    chunk.removeAll(keepingCapacity: true)
                    var pieces: [TraceChunk] = []
                    while pieces.count < threads, let piece = try stream.nextChunk() {
                        if piece.isCapture {
                            _ = try stream.readCapture(piece.bytes, plates: &t.plates, fixes: &chunk, rejects: &t.rejects)
                            break
                        }
                        pieces.append(piece)
                    }
                    if pieces.isEmpty && chunk.isEmpty { break }
                    for p in ParallelParse.run(pieces, plates: &t.plates) {
                        chunk += p.fixes
                        t.rejects += p.rejects
                        stream.count(rows: p.rows)
                    }
                    let t1 = Date()
                    t.readSeconds += t1.timeIntervalSince(t0)
                    try t.place(&chunk, o, refs.fences, threads: threads)
                    t.projectSeconds += Date().timeIntervalSince(t1)
                    let t2 = Date()
                    try t.spill.add(chunk)
                    t.bucketSeconds += Date().timeIntervalSince(t2)
                    bytesDone += pieces.reduce(0) { $0 + $1.byteCount }
                    progress?("read \(path)", min(bytesDone, inputBytes), inputBytes)
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
