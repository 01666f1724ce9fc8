public import MuckWatchCore

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

    /// Three phases: project the fences, list each grid cell's candidate fences (corridor
    /// segments by distance, areas by classifying the cell), pack the lists into flat arrays.
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
        reaches = projected.map(\.reach)

        let grid = Grid(covering: projected, cellSize: cellSize)
        originX = grid.originX
        originY = grid.originY
        self.cellSize = grid.size
        columns = grid.columns
        rows = grid.rows

        var lists = CellLists(repeating: [], count: grid.columns * grid.rows)
        (segA, segB) = Self.listCorridors(projected, on: grid, into: &lists)
        Self.listAreas(projected, on: grid, into: &lists)
        (cellStart, entries, wholeCells) = Self.pack(lists)
    }

    public func index(ofID id: String) -> Int32? { ids[id] }

    /// Clears `result` and appends, in ascending order, every fence containing the point.
    /// Allocation-free once `result` has grown to the largest answer.
    @inlinable
    public func query(x: Double, y: Double, into result: inout [Int32]) {
        query(inCell: cell(x: x, y: y), x: x, y: y, into: &result)
    }

    /// `query` for a caller that already has the point's `cell(x:y:)` (the analyzer asks it
    /// first, to reuse its last answer inside a whole cell).
    @inlinable
    public func query(inCell k: Int, x: Double, y: Double, into result: inout [Int32]) {
        result.removeAll(keepingCapacity: true)
        queryCell(k, x: x, y: y, into: &result)
    }

    @usableFromInline
    func queryCell(_ k: Int, x: Double, y: Double, into result: inout [Int32]) {
        guard k >= 0 else { return }
        var e = Int(cellStart[k])
        let end = Int(cellStart[k + 1])
        guard e < end else { return }
        // Read through spans: this runs for every accepted fix, and a span is a borrow with
        // no reference counting (indices still checked).
        let entries = self.entries.span, segA = self.segA.span, segB = self.segB.span
        let projected = self.projected.span, reaches = self.reaches.span
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
}
