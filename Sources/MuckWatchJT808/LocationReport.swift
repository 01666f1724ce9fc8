public import MuckWatchCore

/// An additional item (附加信息项) of a location report that MuckWatch does not interpret,
/// kept so a report survives an encode → decode round trip unchanged.
public struct JT808AdditionalItem: Equatable, Sendable {
    public var id: UInt8
    public var value: [UInt8]

    public init(id: UInt8, value: [UInt8]) {
        self.id = id
        self.value = value
    }
}

/// Body of a 0x0200 location report (位置信息汇报), also the item of a 0x0704 batch.
///
/// Fields keep the raw protocol units (1e-6 degree, 0.1 km/h) so nothing is rounded
/// twice; the computed properties give degrees and km/h. The three muck-truck sensors
/// (contract section 6) are typed; other items are skipped by their length, and kept in
/// `otherItems` only when asked (the capture reader does not ask: no per-fix allocation).
public struct JT808LocationReport: Equatable, Sendable {
    public var alarm: UInt32
    /// Status bits: 1 positioned, 2 south latitude, 3 west longitude, 8–9 load state.
    public var status: UInt32
    /// Latitude in 1e-6 degree, unsigned (the sign is status bit 2).
    public var latitude: UInt32
    /// Longitude in 1e-6 degree, unsigned (the sign is status bit 3).
    public var longitude: UInt32
    /// Metres.
    public var altitude: UInt16
    /// 0.1 km/h.
    public var speed: UInt16
    /// Degrees clockwise from north, 0–359.
    public var direction: UInt16
    public var time: JT808Time
    /// Item 0x01: odometer in 0.1 km.
    public var mileage: UInt32?
    /// Item 0xF1 (1 byte): tipper body, 1 raised, 0 lowered.
    public var lift: UInt8?
    /// Item 0xF2 (1 byte): cover, 1 closed, 0 open.
    public var lid: UInt8?
    /// Item 0xF3 (u16): load cell in 0.1 t.
    public var loadCell: UInt16?
    /// Every other item, in order (only when decoded with `keepingOtherItems`).
    public var otherItems: [JT808AdditionalItem]

    public init(alarm: UInt32 = 0, status: UInt32, latitude: UInt32, longitude: UInt32, altitude: UInt16 = 0,
                speed: UInt16, direction: UInt16, time: JT808Time, mileage: UInt32? = nil, lift: UInt8? = nil,
                lid: UInt8? = nil, loadCell: UInt16? = nil, otherItems: [JT808AdditionalItem] = []) {
        self.alarm = alarm
        self.status = status
        self.latitude = latitude
        self.longitude = longitude
        self.altitude = altitude
        self.speed = speed
        self.direction = direction
        self.time = time
        self.mileage = mileage
        self.lift = lift
        self.lid = lid
        self.loadCell = loadCell
        self.otherItems = otherItems
    }

    public static let positionedBit: UInt32 = 1 << 1
    public static let southBit: UInt32 = 1 << 2
    public static let westBit: UInt32 = 1 << 3

    public var isPositioned: Bool { status & Self.positionedBit != 0 }
    public var isSouth: Bool { status & Self.southBit != 0 }
    public var isWest: Bool { status & Self.westBit != 0 }

    /// Status bits 8–9: 0 empty, 1 half loaded, 2 reserved, 3 fully loaded. A coarse hint
    /// only: MuckWatch's load evidence is the load cell (0xF3), the lift and dwells.
    public var loadState: UInt8 { UInt8(status >> 8 & 0x3) }

    /// Signed degrees (south negative).
    public var latitudeDegrees: Double { Double(latitude) / 1_000_000 * (isSouth ? -1 : 1) }
    /// Signed degrees (west negative).
    public var longitudeDegrees: Double { Double(longitude) / 1_000_000 * (isWest ? -1 : 1) }
    public var speedKmh: Double { Double(speed) / 10 }

    /// Why the position cannot be a place on Earth, or `nil` when it can.
    public var rangeProblem: String? {
        let lat = latitudeDegrees, lon = longitudeDegrees
        if abs(lat) > 90 { return "latitude \(Self.sixDecimals(lat)) out of range (|lat| > 90)" }
        if abs(lon) > 180 { return "longitude \(Self.sixDecimals(lon)) out of range (|lon| > 180)" }
        return nil
    }

    static func sixDecimals(_ v: Double) -> String {
        let neg = v < 0
        let micro = Int64((abs(v) * 1_000_000).rounded())
        let frac = String(micro % 1_000_000)
        return (neg ? "-" : "") + String(micro / 1_000_000) + "." + String(repeating: "0", count: 6 - frac.count) + frac
    }

    /// The fixed part is 28 bytes; items follow to the end of the body.
    public static let fixedLength = 28

    /// Decodes a location body. Unknown items are skipped by length (and kept when
    /// `keepingOtherItems`); an item running past the body is an error, since then the
    /// report's own length is wrong.
    public static func decode(_ b: ByteSpan, keepingOtherItems: Bool = true)
        throws(JT808DecodeError) -> JT808LocationReport {
        guard b.count >= fixedLength else {
            throw .tooShort(field: "location report", needed: fixedLength, available: b.count)
        }
        var r = JT808ByteReader(b)
        let alarm = try r.u32("alarm")
        let status = try r.u32("status")
        let lat = try r.u32("latitude")
        let lon = try r.u32("longitude")
        let alt = try r.u16("altitude")
        let speed = try r.u16("speed")
        let dir = try r.u16("direction")
        let time = try JT808Time.decode(try r.bytes(6, "time"))
        var report = JT808LocationReport(alarm: alarm, status: status, latitude: lat, longitude: lon, altitude: alt,
                                         speed: speed, direction: dir, time: time)
        while r.remaining > 0 {
            guard r.remaining >= 2 else {
                throw .tooShort(field: "additional item header", needed: 2, available: r.remaining)
            }
            let id = try r.u8("additional item id"), len = Int(try r.u8("additional item length"))
            guard let v = r.cursor.read(len) else {
                throw .itemOverrun(id: UInt16(id), length: len, available: r.remaining)
            }
            switch (id, len) {
            case (0x01, 4): report.mileage = v.u32BE(at: 0)
            case (0xF1, 1): report.lift = v[0]
            case (0xF2, 1): report.lid = v[0]
            case (0xF3, 2): report.loadCell = v.u16BE(at: 0)
            default:
                if keepingOtherItems {
                    report.otherItems.append(JT808AdditionalItem(id: id, value: Array(v)))
                }
            }
        }
        return report
    }

    public static func decode(_ b: [UInt8]) throws(JT808DecodeError) -> JT808LocationReport {
        try b.withByteSpan { (p: ByteSpan) throws(JT808DecodeError) -> JT808LocationReport in try decode(p) }
    }

    /// The body bytes: fixed part, then mileage, the sensor items and the other items.
    public func encode(into out: inout [UInt8]) {
        out.appendU32(alarm)
        out.appendU32(status)
        out.appendU32(latitude)
        out.appendU32(longitude)
        out.appendU16(altitude)
        out.appendU16(speed)
        out.appendU16(direction)
        time.encode(into: &out)
        if let m = mileage { out.append(0x01); out.append(4); out.appendU32(m) }
        if let l = lift { out.append(0xF1); out.append(1); out.append(l) }
        if let l = lid { out.append(0xF2); out.append(1); out.append(l) }
        if let c = loadCell { out.append(0xF3); out.append(2); out.appendU16(c) }
        for item in otherItems {
            out.append(item.id)
            out.append(UInt8(min(item.value.count, 255)))
            out.append(contentsOf: item.value.prefix(255))
        }
    }

    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }
}

extension JT808LocationReport {
    /// The fix this report stands for (units as in docs/jt808.md). One mapping for
    /// captures and the live gateway, so both read a terminal's report the same way.
    public func fix(vehicle: Int32, file: Int32 = 0, line: Int32 = 0) -> Fix {
        Fix(vehicle: vehicle, file: file, line: line, time: time.unixSeconds,
            lon: longitudeDegrees, lat: latitudeDegrees, speedKmh: Float(speed) / 10,
            heading: Float(direction), loadT: loadCell.map { Float($0) / 10 } ?? .nan,
            lift: lift.map { $0 == 0 ? 0 : 1 } ?? -1, lid: lid.map { $0 == 0 ? 0 : 1 } ?? -1,
            unpositioned: !isPositioned)
    }

    /// The report a terminal would send for `fix` (the inverse of `fix(vehicle:)` to the
    /// protocol's units: 1e-6 degree, 0.1 km/h, 0.1 t), for replays and load generators.
    public init(fix f: Fix) {
        var status: UInt32 = f.unpositioned ? 0 : Self.positionedBit
        if f.lat < 0 { status |= Self.southBit }
        if f.lon < 0 { status |= Self.westBit }
        self.init(status: status, latitude: UInt32((abs(f.lat) * 1_000_000).rounded()),
                  longitude: UInt32((abs(f.lon) * 1_000_000).rounded()),
                  speed: f.speedKmh.isNaN ? 0 : UInt16(clamping: Int((f.speedKmh * 10).rounded())),
                  direction: f.heading.isNaN ? 0 : UInt16(clamping: Int(f.heading.rounded())),
                  time: JT808Time(unixSeconds: f.time),
                  lift: f.lift < 0 ? nil : UInt8(f.lift), lid: f.lid < 0 ? nil : UInt8(f.lid),
                  loadCell: f.loadT.isNaN ? nil : UInt16(clamping: Int((f.loadT * 10).rounded())))
    }
}

/// Body of a 0x0704 batch upload (定位数据批量上传): count u16, type u8 (0 normal batch,
/// 1 blind-area supplement 盲区补报), then count × (length u16 + 0x0200 body).
public struct JT808BatchLocation: Equatable, Sendable {
    public var type: UInt8
    public var reports: [JT808LocationReport]

    public init(type: UInt8, reports: [JT808LocationReport]) {
        self.type = type
        self.reports = reports
    }

    public static func decode(_ b: [UInt8]) throws(JT808DecodeError) -> JT808BatchLocation {
        try b.withByteSpan { (p: ByteSpan) throws(JT808DecodeError) -> JT808BatchLocation in
            var reports: [JT808LocationReport] = []
            var firstError: JT808DecodeError?
            let (type, problem) = try forEachItem(p) { item, _, _ in
                do throws(JT808DecodeError) { reports.append(try JT808LocationReport.decode(item)) } catch {
                    if firstError == nil { firstError = error }
                }
            }
            if let e = firstError ?? problem { throw e }
            return JT808BatchLocation(type: type, reports: reports)
        }
    }

    /// Walks the items in place, calling `body(itemBytes, index, count)` for each whose length
    /// fits. Throws when the batch header is short; an item that overruns (or a count
    /// the body cannot hold) stops the walk and is returned as `problem`, so a caller
    /// keeps the items before it.
    @discardableResult
    static func forEachItem(_ b: ByteSpan, _ body: (ByteSpan, Int, Int) -> Void)
        throws(JT808DecodeError) -> (type: UInt8, problem: JT808DecodeError?) {
        var r = JT808ByteReader(b)
        let count = Int(try r.u16("batch count"))
        let type = try r.u8("batch type")
        var items = r.cursor
        for k in 0..<count {
            guard let len = items.readU16BE().map(Int.init) else {
                return (type, .inconsistent("batch says \(count) items, body holds \(k)"))
            }
            guard let item = items.read(len) else {
                return (type, .itemOverrun(id: UInt16(k), length: len, available: items.remaining))
            }
            body(item, k, count)
        }
        if items.remaining > 0 {
            return (type, .inconsistent("\(items.remaining) bytes after the last of \(count) batch items"))
        }
        return (type, nil)
    }

    public func encode() -> [UInt8] {
        var out: [UInt8] = []
        out.appendU16(UInt16(reports.count))
        out.append(type)
        var item: [UInt8] = []
        for r in reports {
            item.removeAll(keepingCapacity: true)
            r.encode(into: &item)
            out.appendU16(UInt16(item.count))
            out.append(contentsOf: item)
        }
        return out
    }
}
