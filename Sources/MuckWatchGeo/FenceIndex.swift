import MuckWatchCore

/// A uniform grid over the projected fences: the cheap rejection in front of the exact
/// tests (see docs/fence-index.md for why a grid and not an R-tree).
///
/// Each cell lists the fences whose (outward-rounded) box touches it, packed in one flat
/// CSR array. For polygons the cell also records whether it lies wholly inside the
/// fence, so most queries need no exact test at all; only cells crossed by an edge (and
/// corridors and checkpoints) fall through to `ProjectedFence.contains`.
public struct FenceIndex: Sendable {
    public let fences: [Fence]
    public let projected: [ProjectedFence]
    private let ids: [String: Int32]
    @usableFromInline let originX: Double, originY: Double, cellSize: Double
    @usableFromInline let columns: Int, rows: Int
    private let cellStart: [Int32]
    /// Each cell's entries, one 8-byte record each so a query reads one array.
    private let entries: [Entry]
    /// Cells whose answer needs no geometry (every entry wholly inside): two points in
    /// one such cell have the same fences, which a vehicle standing still can reuse.
    @usableFromInline let wholeCells: [Bool]
    private let segA: [Point2]
    private let segB: [Point2]
    /// `projected[i].reach`, unboxed for the query loop.
    private let reaches: [Double]
    /// The restricted zones, ascending, and each fence's zone speed limit (0: none): the
    /// rules read them for every fix of every truck, so they are worked out once here.
    public let restrictedZones: [Int32]
    public let zoneSpeedLimits: [Double]

    struct Entry {
        /// `fence << 1 | wholeCellInside`.
        var fence: UInt32
        /// For corridor entries not wholly inside, the one route segment near the cell
        /// (index into `segA`/`segB`), so a query measures to a few segments, not to every
        /// segment of a long route; `-1` else.
        var segment: Int32
    }

    public init(fences: [Fence], projector: Projector, cellSize: Double = 50) throws(GeoError) {
        var projected: [ProjectedFence] = []
        var ids: [String: Int32] = [:]
        for (i, f) in fences.enumerated() {
            projected.append(try ProjectedFence(f, projector: projector))
            ids[f.id] = Int32(i)
        }
        self.fences = fences
        self.projected = projected
        self.ids = ids
        restrictedZones = fences.indices.filter { fences[$0].kind == .restrictedZone }.map { Int32($0) }
        zoneSpeedLimits = fences.map { $0.kind == .restrictedZone ? ($0.speedLimitKmh ?? 0) : 0 }
        var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
        for p in projected {
            x0 = min(x0, p.minX); y0 = min(y0, p.minY); x1 = max(x1, p.maxX); y1 = max(y1, p.maxY)
        }
        if projected.isEmpty { x0 = 0; y0 = 0; x1 = 1; y1 = 1 }
        var size = cellSize
        while ((x1 - x0) / size + 1) * ((y1 - y0) / size + 1) > 4_000_000 { size *= 2 }
        // Round the grid outward so every box lies strictly inside it.
        originX = x0 - size
        originY = y0 - size
        self.cellSize = size
        columns = Int(((x1 - originX) / size).rounded(.up)) + 2
        rows = Int(((y1 - originY) / size).rounded(.up)) + 2

        var perCell = [[(UInt32, Int32)]](repeating: [], count: columns * rows)
        var segA: [Point2] = [], segB: [Point2] = []
        let (ox, oy) = (originX, originY)
        func cellRange(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double) -> (ClosedRange<Int>, ClosedRange<Int>) {
            (Int((x0 - ox) / size)...Int((x1 - ox) / size), Int((y0 - oy) / size)...Int((y1 - oy) / size))
        }
        let halfDiag = size * 0.7072
        for (fi, p) in projected.enumerated() where p.kind == .route {
            for line in p.lines {
                for k in 0..<max(1, line.count - 1) {
                    let a = line[k], b = line[min(k + 1, line.count - 1)]
                    let g = Int32(segA.count)
                    segA.append(a)
                    segB.append(b)
                    let r = p.reach
                    let (cs, rs) = cellRange(min(a.x, b.x) - r, min(a.y, b.y) - r, max(a.x, b.x) + r, max(a.y, b.y) + r)
                    for row in rs {
                        for c in cs {
                            let cx = ox + (Double(c) + 0.5) * size, cy = oy + (Double(row) + 0.5) * size
                            let d = Geometry.distanceSquared(x: cx, y: cy, a, b).squareRoot()
                            guard d <= r + halfDiag else { continue }
                            // Every point of the cell lies within `reach` of this segment (with a
                            // centimetre to spare for rounding): the cell is wholly inside the corridor.
                            let inside: UInt32 = d + halfDiag <= r - 0.01 ? 1 : 0
                            perCell[row * columns + c].append((UInt32(fi) << 1 | inside, g))
                        }
                    }
                }
            }
        }
        for (fi, p) in projected.enumerated() where p.kind != .route {
            let c0 = Int((p.minX - originX) / size), c1 = Int((p.maxX - originX) / size)
            let r0 = Int((p.minY - originY) / size), r1 = Int((p.maxY - originY) / size)
            for r in r0...r1 {
                for c in c0...c1 {
                    let rect = (x0: originX + Double(c) * size, y0: originY + Double(r) * size,
                                x1: originX + Double(c + 1) * size, y1: originY + Double(r + 1) * size)
                    switch FenceIndex.classify(p, rect) {
                    case .outside: continue
                    case .inside: perCell[r * columns + c].append((UInt32(fi) << 1 | 1, -1))
                    case .edge: perCell[r * columns + c].append((UInt32(fi) << 1, -1))
                    }
                }
            }
        }
        var start: [Int32] = [0]
        start.reserveCapacity(perCell.count + 1)
        var flat: [Entry] = []
        var whole: [Bool] = []
        whole.reserveCapacity(perCell.count)
        for var list in perCell {
            // Ascending fence order (routes were listed first), segments of one route together.
            list.sort { ($0.0 >> 1, $0.1) < ($1.0 >> 1, $1.1) }
            var k = 0
            while k < list.count {
                let fence = list[k].0 >> 1
                var end = k
                var inside = false
                while end < list.count && list[end].0 >> 1 == fence {
                    if list[end].1 >= 0 && list[end].0 & 1 == 1 { inside = true }
                    end += 1
                }
                if inside {
                    // A corridor wholly covering the cell: one flagged entry, no segments to measure.
                    flat.append(Entry(fence: fence << 1 | 1, segment: -1))
                } else {
                    for (e, g) in list[k..<end] { flat.append(Entry(fence: e, segment: g)) }
                }
                k = end
            }
            let first = Int(start[start.count - 1])
            whole.append(flat[first...].allSatisfy { $0.fence & 1 == 1 })
            start.append(Int32(flat.count))
        }
        cellStart = start
        entries = flat
        wholeCells = whole
        self.segA = segA
        self.segB = segB
        reaches = projected.map(\.reach)
    }

    public func index(ofID id: String) -> Int32? { ids[id] }

    /// Clears `result` and appends, in ascending order, every fence containing the point.
    /// Allocation-free once `result` has grown to the largest answer.
    @inlinable
    public func query(x: Double, y: Double, into result: inout [Int32]) {
        result.removeAll(keepingCapacity: true)
        queryCell(x: x, y: y, into: &result)
    }

    @usableFromInline
    func queryCell(x: Double, y: Double, into result: inout [Int32]) {
        let k = cell(x: x, y: y)
        guard k >= 0 else { return }
        var e = Int(cellStart[k])
        let end = Int(cellStart[k + 1])
        guard e < end else { return }
        // Read through buffer pointers: this runs for every accepted fix.
        entries.withUnsafeBufferPointer { entries in
            segA.withUnsafeBufferPointer { segA in
                segB.withUnsafeBufferPointer { segB in
                    projected.withUnsafeBufferPointer { projected in
                        reaches.withUnsafeBufferPointer { reaches in
                            var last: Int32 = -1
                            while e < end {
                                let entry = entries[e]
                                let v = entry.fence
                                let fi = Int(v >> 1)
                                let g = Int(entry.segment)
                                e += 1
                                if g >= 0 {
                                    if last == Int32(fi) { continue }
                                    let r = reaches[fi]
                                    if Geometry.distanceSquared(x: x, y: y, segA[g], segB[g]) <= r * r {
                                        result.append(Int32(fi))
                                        last = Int32(fi)
                                    }
                                } else if v & 1 == 1 || projected[fi].contains(x: x, y: y) {
                                    result.append(Int32(fi))
                                    last = Int32(fi)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The grid cell of a point, `-1` off the grid (where no fence is): with
    /// `isWhole`, lets a caller reuse its last answer while it stays in a whole cell.
    @inlinable
    public func cell(x: Double, y: Double) -> Int {
        guard x.isFinite, y.isFinite else { return -1 }
        let fc = (x - originX) / cellSize, fr = (y - originY) / cellSize
        guard fc >= 0, fr >= 0 else { return -1 }
        let c = Int(fc), r = Int(fr)
        guard c < columns, r < rows else { return -1 }
        return r * columns + c
    }

    /// Every point of cell `k` (from `cell(x:y:)`) lies in exactly the same fences.
    @inlinable
    public func isWhole(_ k: Int) -> Bool { k < 0 || wholeCells[k] }

    /// Distance from a point to fence `i` (see `ProjectedFence.distance`).
    public func distance(toFence i: Int32, x: Double, y: Double) -> Double {
        projected[Int(i)].distance(x: x, y: y)
    }

    private enum CellClass { case outside, inside, edge }

    private static func classify(_ p: ProjectedFence, _ r: (x0: Double, y0: Double, x1: Double, y1: Double)) -> CellClass {
        let cx = (r.x0 + r.x1) / 2, cy = (r.y0 + r.y1) / 2
        let halfDiag = ((r.x1 - r.x0) * (r.x1 - r.x0) + (r.y1 - r.y0) * (r.y1 - r.y0)).squareRoot() / 2
        switch p.kind {
        case .checkpoint, .route:
            return p.distance(x: cx, y: cy) <= p.reach + halfDiag ? .edge : .outside
        default:
            for poly in p.polygons {
                for ring in poly {
                    var j = ring.count - 1
                    for i in 0..<ring.count {
                        if Geometry.segment(ring[j], ring[i], touches: r) { return .edge }
                        j = i
                    }
                }
            }
            return p.contains(x: cx, y: cy) ? .inside : .outside
        }
    }
}
