import MuckWatchCore

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
    static func match(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> TraceColumn? {
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
    var start = [Int](repeating: -1, count: TraceColumn.allCases.count)
    var end = [Int](repeating: -1, count: TraceColumn.allCases.count)
    /// A JSON value of the wrong shape (object, array) for this column.
    var malformed = [Bool](repeating: false, count: TraceColumn.allCases.count)
    /// JSON `true`/`false` given for a column.
    var boolean = [Int8](repeating: -1, count: TraceColumn.allCases.count)

    mutating func clear() {
        for k in 0..<start.count { start[k] = -1; end[k] = -1; malformed[k] = false; boolean[k] = -1 }
    }

    mutating func set(_ c: TraceColumn, _ s: Int, _ e: Int) {
        start[c.rawValue] = s
        end[c.rawValue] = e
    }

    func isEmpty(_ c: TraceColumn, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let k = c.rawValue
        if start[k] < 0 { return boolean[k] < 0 && !malformed[k] }
        var i = start[k]
        while i < end[k] { if b[i] != 0x20 && b[i] != 0x0D && b[i] != 0x09 { return false }; i += 1 }
        return true
    }

    func text(_ c: TraceColumn, _ b: UnsafeBufferPointer<UInt8>) -> String {
        let k = c.rawValue
        guard start[k] >= 0 else { return "" }
        let s = String(decoding: UnsafeBufferPointer(rebasing: b[start[k]..<end[k]]), as: UTF8.self)
        return s.count > 40 ? String(s.prefix(40)) + "…" : s
    }

    /// An optional number column: absent → nan; a reason string when present but not finite.
    func optionalNumber(_ c: TraceColumn, _ b: UnsafeBufferPointer<UInt8>) -> (Double, String?) {
        let k = c.rawValue
        if malformed[k] { return (.nan, "\(c.key) is not a number") }
        if boolean[k] >= 0 { return (Double(boolean[k]), nil) }
        if isEmpty(c, b) { return (.nan, nil) }
        guard let v = ByteNumber.parse(b, start[k], end[k]), v.isFinite else {
            return (.nan, "\(c.key) '\(text(c, b))' is not a finite number")
        }
        return (v, nil)
    }

    private func coordinate(_ c: TraceColumn, _ limit: Double, _ b: UnsafeBufferPointer<UInt8>) -> (Double, String?) {
        let k = c.rawValue
        if isEmpty(c, b) { return (0, "missing \(c.key)") }
        guard !malformed[k], boolean[k] < 0, let v = ByteNumber.parse(b, start[k], end[k]) else {
            return (0, "\(c.key) '\(text(c, b))' is not a number")
        }
        guard v.isFinite else { return (0, "\(c.key) '\(text(c, b))' is not a finite number") }
        guard abs(v) <= limit else { return (0, "\(c.key) \(text(c, b)) out of range ±\(Int(limit))") }
        return (v, nil)
    }

    /// Decodes the row into a fix, or the reason it is rejected.
    func decode(_ b: UnsafeBufferPointer<UInt8>, plates: inout PlateCache, file: Int32, line: Int) -> (Fix?, String?) {
        if isEmpty(.vehicleID, b) || malformed[TraceColumn.vehicleID.rawValue] { return (nil, "missing vehicle_id") }
        if isEmpty(.time, b) { return (nil, "empty time") }
        let tk = TraceColumn.time.rawValue
        guard !malformed[tk], let time = TimeParser.parse(UnsafeBufferPointer(rebasing: b[start[tk]..<end[tk]])) else {
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

/// Interns plates from bytes without building a String per row: rows of one vehicle
/// often come in runs (a byte comparison with the last plate), and otherwise a 64-bit
/// hash of the bytes finds the id (the bytes are compared to rule out a collision).
struct PlateCache {
    var table: PlateTable
    private var lastBytes: [UInt8] = []
    private var lastID: Int32 = -1
    private var byHash: [UInt64: Int32] = [:]
    private var bytesOf: [[UInt8]] = []

    init(_ table: PlateTable) {
        self.table = table
        for (i, p) in table.plates.enumerated() {
            let b = Array(p.utf8)
            byHash[PlateCache.hash(b[...])] = Int32(i)
            bytesOf.append(b)
        }
    }

    /// The plate's id, or `-1` when its bytes are not UTF-8.
    mutating func intern(_ b: UnsafeBufferPointer<UInt8>, _ s0: Int, _ e0: Int) -> Int32 {
        var s = s0, e = e0
        while s < e, b[s] == 0x20 { s += 1 }
        while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x0D { e -= 1 }
        let slice = UnsafeBufferPointer(rebasing: b[s..<e])
        if lastID >= 0, slice.elementsEqual(lastBytes) { return lastID }
        let h = PlateCache.hash(slice)
        if let id = byHash[h], slice.elementsEqual(bytesOf[Int(id)]) {
            remember(slice, id)
            return id
        }
        // A plate that is not UTF-8 (GBK from an old terminal export, say) would silently
        // become a different plate full of replacement characters: refuse it instead.
        guard let text = String(validating: slice, as: UTF8.self) else { return -1 }
        let id = table.intern(text)
        if Int(id) == bytesOf.count {
            bytesOf.append(Array(slice))
            if byHash[h] == nil { byHash[h] = id }
        }
        remember(slice, id)
        return id
    }

    private mutating func remember(_ slice: UnsafeBufferPointer<UInt8>, _ id: Int32) {
        lastBytes.removeAll(keepingCapacity: true)
        lastBytes.append(contentsOf: slice)
        lastID = id
    }

    /// FNV-1a.
    static func hash<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for c in bytes { h = (h ^ UInt64(c)) &* 0x100_0000_01b3 }
        return h
    }
}
