import Foundation
import MuckWatchCore
import MuckWatchIngest
import MuckWatchGeo

/// What only the tracks can tell about the fences: whether they sit where the trucks stop
/// (a datum mismatch moves every fence 300–600 m off), and whether each checkpoint lies on
/// a road trucks drive.
struct TraceChecks {
    /// Fixes slower than this are stops: loading, unloading, queueing, lights.
    static let stopKmh: Float = 3
    /// A checkpoint with no fix this close lies on no road of the night.
    static let roadDistanceM = 50.0
    /// Stops kept for the datum test (the first ones of the night; plenty to tell 2 % from 60 %).
    static let stopSample = 500_000

    /// The stops (WGS84) and the cells of a `roadDistanceM` grid that hold any fix.
    private var stops: [LonLat] = []
    private var unspeeded: [LonLat] = []
    private var cells = Set<Int64>()
    private var grid: LocalGrid?
    private(set) var fixes = 0
    private(set) var problems: [ReferenceProblem] = []

    /// Reads every traces file (a file that cannot be read is a problem of its own).
    init(traces: [String], datum: Datum) {
        var plates = PlateTable(), rejects: [Reject] = [], chunk: [Fix] = []
        for (k, path) in traces.enumerated() {
            do {
                var stream = try TraceStream(path: path, fileIndex: Int32(k))
                // A JT/T 808 capture names its trucks only through the registry's terminals
                // (the gateway's and analyze's business): check leaves it out.
                while let piece = try stream.nextChunk(), !piece.isCapture {
                    _ = piece.parse(plates: &plates, fixes: &chunk, rejects: &rejects)
                    for f in chunk { add(f, datum: datum) }
                    chunk.removeAll(keepingCapacity: true)
                    rejects.removeAll(keepingCapacity: true)
                }
            } catch {
                problems.append(ReferenceProblem(.unusableFile, file: path, FenceChecks.reason(error),
                                                 remedy: "pass --traces CSV or JSON Lines traces (docs/formats.md, section 2)"))
            }
        }
        // Without speeds every fix counts as a stop.
        if stops.isEmpty { stops = Array(unspeeded.prefix(Self.stopSample)) }
    }

    private mutating func add(_ f: Fix, datum: Datum) {
        var p = LonLat(lon: f.lon, lat: f.lat)
        if datum == .gcj02 { p = GCJ02.toWGS84(p) }
        fixes += 1
        let g = grid ?? LocalGrid(origin: p, cell: Self.roadDistanceM)
        grid = g
        cells.insert(g.cell(p))
        if f.hasSpeed && f.speedKmh <= Self.stopKmh {
            if stops.count < Self.stopSample { stops.append(p) }
        } else if stops.isEmpty, unspeeded.count < Self.stopSample, !f.hasSpeed {
            unspeeded.append(p)
        }
    }

    /// The datum test: the share of stops inside a site fence as given, against the share
    /// with the fences moved as each datum flag would move them. A clearly better shift is
    /// a mismatch, reported with the flag that makes it. Returns the fences as the better
    /// reading places them (for the checkpoint test).
    mutating func checkDatum(_ fences: [Fence], fencesPath: String, traces: [String], fenceDatum: Datum,
                             traceDatum: Datum) -> [Fence] {
        let sites = fences.filter { $0.kind.isSite }
        guard !sites.isEmpty, stops.count >= 20 else { return fences }
        let given = SiteShare(sites, stops: stops)
        // Fences drawn in GCJ-02 but read as WGS84 come right shifted GCJ-02 → WGS84; the
        // converse (tracks in GCJ-02, or fences WGS84 read as GCJ-02) the other way.
        let toWGS = SiteShare(sites.map(DatumShift.gcj02ToWGS84), stops: stops)
        let toGCJ = SiteShare(sites.map(DatumShift.wgs84ToGCJ02), stops: stops)
        let (better, towardWGS) = toWGS.share >= toGCJ.share ? (toWGS, true) : (toGCJ, false)
        guard better.share >= 0.2, better.share >= 2 * given.share + 0.05 else { return fences }
        let flag: String
        switch (towardWGS, fenceDatum, traceDatum) {
        case (true, _, .gcj02): flag = "drop --trace-coords gcj02 (the tracks are WGS84)"
        case (true, _, _): flag = "add --fence-coords gcj02 to analyze (and to check, to confirm)"
        case (false, .gcj02, _): flag = "drop --fence-coords gcj02 (the fences are WGS84)"
        case (false, _, _): flag = "add --trace-coords gcj02 to analyze (the tracks are GCJ-02)"
        }
        let offset = Self.offsetM(sites[0])
        problems.append(ReferenceProblem(
            .datumMismatch, file: fencesPath,
            "only \(Self.percent(given.share)) of \(stops.count) stops (fixes at ≤ \(Int(Self.stopKmh)) km/h) in "
                + traces.joined(separator: ", ") + " lie inside a site fence as given, \(Self.percent(better.share)) with the fences "
                + (towardWGS ? "shifted GCJ-02 → WGS84" : "shifted WGS84 → GCJ-02")
                + ": fences and tracks are in different datums (about \(Int(offset.rounded())) m apart here)",
            remedy: flag))
        return fences.map(towardWGS ? DatumShift.gcj02ToWGS84 : DatumShift.wgs84ToGCJ02)
    }

    /// Each checkpoint with no fix within `roadDistanceM`.
    mutating func checkCheckpoints(_ fences: [Fence], origin: [String: String]) {
        guard let grid, fixes > 0 else { return }
        for f in fences where f.kind == .checkpoint {
            guard case .point(let p) = f.geometry else { continue }
            let c = grid.cell(p)
            let near = (-1...1).contains { dx in (-1...1).contains { dy in cells.contains(c &+ LocalGrid.key(dx, dy)) } }
            guard !near else { continue }
            problems.append(ReferenceProblem(
                .checkpointOffRoad, file: origin[f.id] ?? "", at: "fence '\(f.id)'",
                "no GPS fix of the traces within \(Int(Self.roadDistanceM)) m: the checkpoint lies on no road the trucks drove",
                remedy: "check its position (a camera on the wrong road, swapped lon/lat, another datum); its reads cannot be placed"))
        }
    }

    /// How far GCJ-02 moves a fence's first point, in metres.
    static func offsetM(_ fence: Fence) -> Double {
        let p: LonLat
        switch fence.geometry {
        case .point(let q): p = q
        case .lines(let l): p = l[0][0]
        case .polygons(let polys): p = polys[0][0][0]
        }
        let g = GCJ02.fromWGS84(p)
        let dx = (g.lon - p.lon) * 111_320 * cos(p.lat * .pi / 180), dy = (g.lat - p.lat) * 110_540
        return (dx * dx + dy * dy).squareRoot()
    }

    static func percent(_ share: Double) -> String { "\(Int((share * 100).rounded())) %" }
}

/// The share of stops inside any of a set of site fences (even-odd over each polygon's
/// rings, in degrees: at a site's size the projection changes no answer).
struct SiteShare {
    let share: Double

    init(_ sites: [Fence], stops: [LonLat]) {
        var shapes: [(box: (Double, Double, Double, Double), rings: [[Point2]])] = []
        for f in sites {
            guard case .polygons(let polys) = f.geometry else { continue }
            for rings in polys {
                let pts = rings.flatMap { $0 }
                let box = (pts.map(\.lon).min() ?? 0, pts.map(\.lat).min() ?? 0, pts.map(\.lon).max() ?? 0, pts.map(\.lat).max() ?? 0)
                shapes.append((box, rings.map { $0.map { Point2(x: $0.lon, y: $0.lat) } }))
            }
        }
        let inside = stops.count { p in
            shapes.contains { s in
                p.lon >= s.box.0 && p.lat >= s.box.1 && p.lon <= s.box.2 && p.lat <= s.box.3
                    && Geometry.contains(rings: s.rings, x: p.lon, y: p.lat)
            }
        }
        share = stops.isEmpty ? 0 : Double(inside) / Double(stops.count)
    }
}

/// Square cells of a given size in metres around an origin (equirectangular: exact enough
/// over a city), packed into one integer per cell.
struct LocalGrid {
    let origin: LonLat
    let metresPerLon: Double
    let cell: Double

    init(origin: LonLat, cell: Double) {
        self.origin = origin
        self.cell = cell
        metresPerLon = 111_320 * cos(origin.lat * .pi / 180)
    }

    func cell(_ p: LonLat) -> Int64 {
        let x = Int64(((p.lon - origin.lon) * metresPerLon / cell).rounded(.down))
        let y = Int64(((p.lat - origin.lat) * 110_540 / cell).rounded(.down))
        return Self.key(x, y)
    }

    static func key(_ x: Int64, _ y: Int64) -> Int64 { x &* 4_000_000 &+ y }
}
