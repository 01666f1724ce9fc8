public import MuckWatchCore

/// The last fixes journaled per vehicle, as 64-bit keys of (time, position): how a fix
/// sent again is recognised and not journaled twice — a blind-area upload (0x0704) of
/// positions the terminal had already reported, or a report resent because its ack was
/// lost (the gateway killed after the commit, before the ack left). A terminal resends
/// what it holds unacknowledged, its most recent fixes, so a ring of the last `depth`
/// per vehicle is enough; rings are made on a vehicle's first fix (no per-fix allocation).
public struct RecentFixes: Sendable {
    public static let depth = 256
    private var rings: [[UInt64]] = []
    private var next: [Int] = []

    public init() {}

    static func key(_ f: Fix) -> UInt64 {
        func mix(_ h: UInt64, _ v: UInt64) -> UInt64 {
            let m = (h ^ v) &* 0x0000_0100_0000_01B3
            return m ^ (m >> 29)
        }
        return mix(mix(mix(0xCBF2_9CE4_8422_2325, UInt64(bitPattern: f.time)), f.lon.bitPattern), f.lat.bitPattern)
    }

    /// A change `isRepeat` made, to take back when its commit fails.
    struct Undo: Sendable {
        var vehicle: Int32
        var slot: Int
        /// The key the slot held (`nil`: the slot was appended).
        var old: UInt64?
        var next: Int
    }

    /// Takes back changes, newest first: the fixes of a commit that failed were not journaled.
    mutating func undo(_ log: [Undo]) {
        for u in log.reversed() {
            let v = Int(u.vehicle)
            if let old = u.old { rings[v][u.slot] = old } else { rings[v].removeLast() }
            next[v] = u.next
        }
    }

    /// True when `fix` is one of its vehicle's last journaled fixes; otherwise notes it
    /// and returns false.
    public mutating func isRepeat(_ fix: Fix) -> Bool {
        var none: [Undo] = []
        return isRepeat(fix, undo: &none, logging: false)
    }

    mutating func isRepeat(_ fix: Fix, undo: inout [Undo], logging: Bool = true) -> Bool {
        let v = Int(fix.vehicle)
        guard v >= 0 else { return false }
        if v >= rings.count {
            rings += Array(repeating: [], count: v + 1 - rings.count)
            next += Array(repeating: 0, count: v + 1 - next.count)
        }
        let k = Self.key(fix)
        if rings[v].contains(k) { return true }
        if rings[v].count < Self.depth {
            if logging { undo.append(Undo(vehicle: fix.vehicle, slot: rings[v].count, old: nil, next: next[v])) }
            rings[v].append(k)
        } else {
            if logging { undo.append(Undo(vehicle: fix.vehicle, slot: next[v], old: rings[v][next[v]], next: next[v])) }
            rings[v][next[v]] = k
            next[v] = (next[v] + 1) % Self.depth
        }
        return false
    }
}
