import MuckWatchCore

/// Building the index: the grid's placement, each cell's candidate fences, and the flat
/// arrays queries read. Kept apart from the queries, which run for every fix.
extension FenceIndex {
    /// Where the grid lies: rounded outward one cell beyond every fence's box, so every
    /// box lies strictly inside it (Tile38's rule: index boxes outward, then test exactly).
    struct Grid {
        var originX: Double, originY: Double, size: Double
        var columns: Int, rows: Int

        /// Cells of `cellSize` metres, doubled until the grid has at most 4M cells.
        init(covering projected: [ProjectedFence], cellSize: Double) {
            var x0 = Double.infinity, y0 = Double.infinity, x1 = -Double.infinity, y1 = -Double.infinity
            for p in projected {
                x0 = min(x0, p.minX); y0 = min(y0, p.minY); x1 = max(x1, p.maxX); y1 = max(y1, p.maxY)
            }
            if projected.isEmpty { x0 = 0; y0 = 0; x1 = 1; y1 = 1 }
            var size = cellSize
            while ((x1 - x0) / size + 1) * ((y1 - y0) / size + 1) > 4_000_000 { size *= 2 }
            originX = x0 - size
            originY = y0 - size
            self.size = size
            columns = Int(((x1 - originX) / size).rounded(.up)) + 2
            rows = Int(((y1 - originY) / size).rounded(.up)) + 2
        }

        /// The columns and rows of the cells a box touches.
        func cells(x0: Double, y0: Double, x1: Double, y1: Double) -> (columns: ClosedRange<Int>, rows: ClosedRange<Int>) {
            (Int((x0 - originX) / size)...Int((x1 - originX) / size), Int((y0 - originY) / size)...Int((y1 - originY) / size))
        }
    }

    /// Each cell's candidates before packing: `fence << 1 | whollyInside`, and the route
    /// segment near the cell (`-1` for areas and checkpoints).
    typealias CellLists = [[(UInt32, Int32)]]

    /// Lists every route segment in the cells within its corridor's reach; returns the
    /// segments' ends, which the lists' segment numbers index.
    static func listCorridors(_ projected: [ProjectedFence], on grid: Grid,
                              into lists: inout CellLists) -> (segA: [Point2], segB: [Point2]) {
        var segA: [Point2] = [], segB: [Point2] = []
        let size = grid.size
        let halfDiag = size * 0.7072
        for (fi, p) in projected.enumerated() where p.kind == .route {
            for line in p.lines {
                for k in 0..<max(1, line.count - 1) {
                    let a = line[k], b = line[min(k + 1, line.count - 1)]
                    let g = Int32(segA.count)
                    segA.append(a)
                    segB.append(b)
                    let r = p.reach
                    let (cs, rs) = grid.cells(x0: min(a.x, b.x) - r, y0: min(a.y, b.y) - r,
                                              x1: max(a.x, b.x) + r, y1: max(a.y, b.y) + r)
                    for row in rs {
                        for c in cs {
                            let cx = grid.originX + (Double(c) + 0.5) * size, cy = grid.originY + (Double(row) + 0.5) * size
                            let d = Geometry.distanceSquared(x: cx, y: cy, a, b).squareRoot()
                            guard d <= r + halfDiag else { continue }
                            // Every point of the cell lies within `reach` of this segment (with a
                            // centimetre to spare for rounding): the cell is wholly inside the corridor.
                            let inside: UInt32 = d + halfDiag <= r - 0.01 ? 1 : 0
                            lists[row * grid.columns + c].append((UInt32(fi) << 1 | inside, g))
                        }
                    }
                }
            }
        }
        return (segA, segB)
    }

    /// Lists every area and checkpoint in the cells of its box that it touches, flagging
    /// the cells wholly inside a polygon.
    static func listAreas(_ projected: [ProjectedFence], on grid: Grid, into lists: inout CellLists) {
        let size = grid.size
        for (fi, p) in projected.enumerated() where p.kind != .route {
            let (cs, rs) = grid.cells(x0: p.minX, y0: p.minY, x1: p.maxX, y1: p.maxY)
            for r in rs {
                for c in cs {
                    let rect = (x0: grid.originX + Double(c) * size, y0: grid.originY + Double(r) * size,
                                x1: grid.originX + Double(c + 1) * size, y1: grid.originY + Double(r + 1) * size)
                    switch classify(p, rect) {
                    case .outside: continue
                    case .inside: lists[r * grid.columns + c].append((UInt32(fi) << 1 | 1, -1))
                    case .edge: lists[r * grid.columns + c].append((UInt32(fi) << 1, -1))
                    }
                }
            }
        }
    }

    /// Packs the lists into one CSR array (cell k's entries at `start[k]..<start[k+1]`),
    /// in ascending fence order; a corridor wholly covering a cell becomes one flagged
    /// entry with no segments to measure.
    static func pack(_ lists: CellLists) -> (start: [Int32], entries: [Entry], whole: [Bool]) {
        var start: [Int32] = [0]
        start.reserveCapacity(lists.count + 1)
        var flat: [Entry] = []
        var whole: [Bool] = []
        whole.reserveCapacity(lists.count)
        for var list in lists {
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
        return (start, flat, whole)
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
