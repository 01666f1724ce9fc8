import Foundation
public import MuckWatchCore

/// The trace columns MuckWatch reads (contract section 1); others are ignored.
enum TraceColumn: Int, CaseIterable {
    case vehicleID, time, lon, lat, speedKmh, heading, lift, lid, loadT

    var key: String {
        switch self {
        case .vehicleID: return "vehicle_id"
        case .time: return "time"
        case .lon: return "lon"
        case .lat: return "lat"
        case .speedKmh: return "speed_kmh"
        case .heading: return "heading"
        case .lift: return "lift"
        case .lid: return "lid"
        case .loadT: return "load_t"
        }
    }

    static let keyBytes: [[UInt8]] = allCases.map { Array($0.key.utf8) }

    /// Column for a header/key given as bytes, without building a String.
    static func match(_ b: ByteSpan, _ from: Int, _ to: Int) -> TraceColumn? {
        let n = to - from
        outer: for (k, key) in keyBytes.enumerated() where key.count == n {
            for j in 0..<n where b[from + j] != key[j] { continue outer }
            return TraceColumn(rawValue: k)
        }
        return nil
    }
}

/// One row's fields as byte ranges, shared by the CSV and JSON Lines readers so both
/// apply exactly the same reject rules (contract section 11).
struct FixRow {
    /// `start`/`end` into the row's byte buffer; `start < 0` = absent (or JSON null).
    /// Fixed-size vectors, not arrays: a row is cleared and filled once per record, and
    /// inline storage keeps that free of heap traffic and uniqueness checks.
    var start = SIMD16<Int>(repeating: -1)
    var end = SIMD16<Int>(repeating: -1)
    /// A JSON value of the wrong shape (object, array) for this column.
    var malformed = ColumnFlags()
    /// JSON `true`/`false` given for a column.
    var boolean = SIMD16<Int8>(repeating: -1)

    mutating func clear() {
        start = SIMD16(repeating: -1)
        end = SIMD16(repeating: -1)
        malformed = ColumnFlags()
        boolean = SIMD16(repeating: -1)
    }

    mutating func set(_ c: TraceColumn, _ s: Int, _ e: Int) {
        start[c.rawValue] = s
        end[c.rawValue] = e
    }

    func isEmpty(_ c: TraceColumn, _ b: ByteSpan) -> Bool {
        let k = c.rawValue
        if start[k] < 0 { return boolean[k] < 0 && !malformed[k] }
        var i = start[k]
        while i < end[k] { if b[i] != 0x20 && b[i] != 0x0D && b[i] != 0x09 { return false }; i += 1 }
        return true
    }

    func text(_ c: TraceColumn, _ b: ByteSpan) -> String {
        let k = c.rawValue
        guard start[k] >= 0 else { return "" }
        let s = b.extracting(start[k]..<end[k]).text
        return s.count > 40 ? String(s.prefix(40)) + "…" : s
    }

    /// An optional number column: absent → nan; a reason string when present but not finite.
    func optionalNumber(_ c: TraceColumn, _ b: ByteSpan) -> (Double, String?) {
        let k = c.rawValue
        if malformed[k] { return (.nan, "\(c.key) is not a number") }
        if boolean[k] >= 0 { return (Double(boolean[k]), nil) }
        if isEmpty(c, b) { return (.nan, nil) }
        guard let v = ByteNumber.parse(b, start[k], end[k]), v.isFinite else {
            return (.nan, "\(c.key) '\(text(c, b))' is not a finite number")
        }
        return (v, nil)
    }

    private func coordinate(_ c: TraceColumn, _ limit: Double, _ b: ByteSpan) -> (Double, String?) {
        let k = c.rawValue
        if isEmpty(c, b) { return (0, "missing \(c.key)") }
        guard !malformed[k], boolean[k] < 0, let v = ByteNumber.parse(b, start[k], end[k]) else {
            return (0, "\(c.key) '\(text(c, b))' is not a number")
        }
        guard v.isFinite else { return (0, "\(c.key) '\(text(c, b))' is not a finite number") }
        guard abs(v) <= limit else { return (0, "\(c.key) \(text(c, b)) out of range ±\(Int(limit))") }
        return (v, nil)
    }

    /// The row's plate as the plate table would intern it; `nil` when it is absent, blank
    /// or not UTF-8 (the reject of such a row belongs to partition 0).
    func plate(_ b: ByteSpan) -> String? {
        let k = TraceColumn.vehicleID.rawValue
        guard start[k] >= 0, !malformed[k], !isEmpty(.vehicleID, b) else { return nil }
        return b.extracting(start[k]..<end[k]).validatedText.map { String(PlatePartition.normalized($0)) }
    }

    /// Decodes the row into a fix, or the reason it is rejected.
    func decode(_ b: ByteSpan, plates: inout PlateCache, file: Int32, line: Int) -> (Fix?, String?) {
        if isEmpty(.vehicleID, b) || malformed[TraceColumn.vehicleID.rawValue] { return (nil, "missing vehicle_id") }
        if isEmpty(.time, b) { return (nil, "empty time") }
        let tk = TraceColumn.time.rawValue
        guard !malformed[tk], let time = plates.times.parse(b.extracting(start[tk]..<end[tk])) else {
            return (nil, "bad time '\(text(.time, b))': need ISO 8601 with an offset (e.g. 2026-11-20T22:15:03+08:00) or Unix seconds")
        }
        let (lon, e0) = coordinate(.lon, 180, b)
        if let e0 { return (nil, e0) }
        let (lat, e00) = coordinate(.lat, 90, b)
        if let e00 { return (nil, e00) }
        let (speed, e1) = optionalNumber(.speedKmh, b)
        if let e1 { return (nil, e1) }
        let (heading, e2) = optionalNumber(.heading, b)
        if let e2 { return (nil, e2) }
        let (lift, e3) = optionalNumber(.lift, b)
        if let e3 { return (nil, e3) }
        let (lid, e4) = optionalNumber(.lid, b)
        if let e4 { return (nil, e4) }
        let (load, e5) = optionalNumber(.loadT, b)
        if let e5 { return (nil, e5) }
        let vk = TraceColumn.vehicleID.rawValue
        let vehicle = plates.intern(b, start[vk], end[vk])
        guard vehicle >= 0 else { return (nil, "vehicle_id is not valid UTF-8 (save the file as UTF-8, not GBK)") }
        let fix = Fix(vehicle: vehicle, file: file, line: Int32(clamping: line), time: time, lon: lon, lat: lat,
                      speedKmh: Float(speed), heading: Float(heading), loadT: Float(load),
                      lift: lift.isNaN ? -1 : (lift != 0 ? 1 : 0), lid: lid.isNaN ? -1 : (lid != 0 ? 1 : 0))
        return (fix, nil)
    }
}

/// One flag per trace column, in a bit mask.
struct ColumnFlags {
    private var bits: UInt16 = 0
    subscript(k: Int) -> Bool {
        get { bits & (1 << UInt16(k)) != 0 }
        set { if newValue { bits |= 1 << UInt16(k) } else { bits &= ~(1 << UInt16(k)) } }
    }
}

/// Interns plates from bytes without building a String per row: a 64-bit hash of the
/// bytes finds the id in a small open-addressing table (the bytes are compared to rule
/// out a collision). Rows of a city night interleave hundreds of trucks, so this lookup,
/// not a last-plate shortcut, is what runs for nearly every row.
///
/// It also carries the parser's other per-row memo, the last time stamp (`times`).
public struct PlateCache: Sendable {
    /// The plates interned so far, in id order.
    public internal(set) var table: PlateTable
    /// The row parser's time-stamp memo (see `TimeCache`).
    var times = TimeCache()
    private var bytesOf: [[UInt8]] = []
    /// Open addressing, one 16-byte slot per entry holding the id and (for plates of up
    /// to 11 bytes, i.e. every real one: 渝A12345 is 9) the bytes themselves, so a lookup
    /// touches one slot and not the plate's own array. A city's table (16k slots for 8k
    /// trucks) is 256 KB: it stays in a core's cache next to the bytes streaming through,
    /// where 32-byte slots missed on nearly every row.
    private var slots: [PlateSlot]
    private var used = 0

    /// A cache that knows every plate of `table` (their ids stay theirs).
    public init(_ table: PlateTable) {
        self.table = table
        var size = 1024
        while size < table.count * 2 { size <<= 1 }
        slots = [PlateSlot](repeating: PlateSlot(), count: size)
        for (i, p) in table.plates.enumerated() {
            let b = Array(p.utf8)
            bytesOf.append(b)
            b.withByteSpan { insert(PlateSlot(b: $0, id: Int32(i))) }
        }
    }

    /// The plate's id, or `-1` when its bytes are not UTF-8.
    mutating func intern(_ b: ByteSpan, _ s0: Int, _ e0: Int) -> Int32 {
        var s = s0, e = e0
        while s < e, b[s] == 0x20 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x0D { e -= 1 }
        let slice = b.extracting(s..<e)
        let probe = PlateSlot(b: slice, id: -1)
        let mask = slots.count - 1
        var k = PlateCache.slot(probe.hash, mask)
        while slots[k].id >= 0 {
            let c = slots[k]
            if c.w0 == probe.w0, c.tail == probe.tail, !probe.isLong || slice.equals(bytesOf[Int(c.id)]) {
                return c.id
            }
            k = (k + 1) & mask
        }
        // A plate that is not UTF-8 (GBK from an old terminal export, say) would silently
        // become a different plate full of replacement characters: refuse it instead.
        guard let text = slice.validatedText else { return -1 }
        let id = table.intern(text)
        if Int(id) == bytesOf.count {
            bytesOf.append(Array(slice))
            var entry = probe
            entry.id = id
            insert(entry)
        }
        return id
    }

    private mutating func insert(_ entry: PlateSlot) {
        if (used + 1) * 2 > slots.count {
            let old = slots.filter { $0.id >= 0 }
            slots = [PlateSlot](repeating: PlateSlot(), count: slots.count * 2)
            used = 0
            for o in old { place(o) }
        }
        place(entry)
    }

    private mutating func place(_ entry: PlateSlot) {
        let mask = slots.count - 1
        var k = PlateCache.slot(entry.hash, mask)
        while slots[k].id >= 0 { k = (k + 1) & mask }
        slots[k] = entry
        used += 1
    }

    @inline(__always)
    private static func slot(_ h: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (h &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }

    /// FNV-1a, for plates longer than 16 bytes (none real).
    static func hash(_ bytes: ByteSpan) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in bytes { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        return h
    }
}

/// One entry of `PlateCache`'s table: `id < 0` is an empty slot.
struct PlateSlot {
    /// The plate's first 8 bytes, zero-padded.
    var w0: UInt64 = 0
    /// Bytes 8–10 and the length in the top byte; a plate over 11 bytes has 0xFF there and
    /// 24 bits of its byte hash below (its bytes are then compared in `bytesOf`).
    var tail: UInt32 = 0
    var id: Int32 = -1

    init() {}

    init(b: ByteSpan, id: Int32) {
        self.id = id
        let words = b.leadingWords
        w0 = words.0
        if b.count <= 11 {
            tail = UInt32(truncatingIfNeeded: words.1) & 0x00FF_FFFF | UInt32(b.count) << 24
        } else {
            tail = 0xFF00_0000 | UInt32(truncatingIfNeeded: PlateCache.hash(b)) & 0x00FF_FFFF
        }
    }

    var isLong: Bool { tail >> 24 == 0xFF }

    /// Mixes the stored key (two multiplies): this runs for every row of a night.
    var hash: UInt64 {
        var h = (w0 ^ 0x9E37_79B9_7F4A_7C15) &* 0xBF58_476D_1CE4_E5B9
        h ^= (UInt64(tail) &+ 0x632B_E59B_D9B4_E019) &* 0x94D0_49BB_1331_11EB
        return h ^ (h >> 31)
    }
}

/// Remembers the last ISO 8601 time stamp parsed in full. Rows of a night arrive in time
/// order, so the next stamp usually differs only in its seconds: then the bytes around
/// the seconds are compared and the seconds added, which is exactly what the full parse
/// would compute (the value is linear in the seconds once everything else is equal).
struct TimeCache {
    private var key: [UInt8] = []
    /// The remembered stamp's value minus its seconds.
    private var base: Int64 = 0

    mutating func parse(_ t: ByteSpan) -> Int64? {
        let n = t.count
        if n == key.count, n >= 20, TimeCache.isDigit(t[17]), TimeCache.isDigit(t[18]) {
            if t.sameBytes(as: key, in: 0..<17) && t.sameBytes(as: key, in: 19..<n) {
                let s = Int64(t[17] - 0x30) * 10 + Int64(t[18] - 0x30)
                if s <= 60 { return base + s }
            }
        }
        guard let v = TimeParser.parse(t) else { return nil }
        // Remember only the ISO form with no leading blank, so byte 17 is the seconds.
        if n >= 20, TimeCache.isDigit(t[0]), t[4] == 0x2D, t[16] == 0x3A, TimeCache.isDigit(t[17]), TimeCache.isDigit(t[18]) {
            key.removeAll(keepingCapacity: true)
            key.append(contentsOf: t)
            base = v - (Int64(t[17] - 0x30) * 10 + Int64(t[18] - 0x30))
        }
        return v
    }

    @inline(__always)
    private static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
}
