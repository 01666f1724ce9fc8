public import MuckWatchCore

/// A case's map track as bytes, one BLOB per case in `case_tracks.points`.
///
/// Tracks were most of a store (36 bytes a point as text, 11 KB a case on a case-heavy night);
/// consecutive fixes differ by a few seconds and a few metres, so each point is stored as
/// deltas from the previous one in LEB128 varints (zigzag for signed values): 4–6 bytes a
/// point. Positions keep six decimals (~0.1 m) and speeds whole km/h, exactly what the text
/// form kept, so a track decodes to the same points either way.
///
/// Layout: the format byte 0x01, the point count, then per point: Δtime (s), Δlon and Δlat
/// (millionths of a degree), and `speed << 1 | loaded` where speed is 0 for "no reading" and
/// zigzag(km/h) + 1 otherwise. Stores written before this format hold text
/// (`time,lon,lat,speed,loaded;…`), which starts with a digit and is still read.
public enum TrackCodec {
    static let format: UInt8 = 1

    public static func encode(_ points: [TrackPoint]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(8 + points.count * 6)
        out.append(format)
        appendVarint(UInt64(points.count), to: &out)
        var time: Int64 = 0, lon: Int64 = 0, lat: Int64 = 0
        for p in points {
            let x = micro(p.lon), y = micro(p.lat)
            appendVarint(zigzag(p.time &- time), to: &out)
            appendVarint(zigzag(x &- lon), to: &out)
            appendVarint(zigzag(y &- lat), to: &out)
            let speed: UInt64 = p.speedKmh.isNaN ? 0 : zigzag(Int64(p.speedKmh.rounded())) + 1
            appendVarint(speed << 1 | (p.loaded ? 1 : 0), to: &out)
            (time, lon, lat) = (p.time, x, y)
        }
        return out
    }

    /// The points of a stored track; `nil` when the bytes are neither format (a damaged row).
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> [TrackPoint]? {
        guard let first = bytes.first else { return [] }
        if first != format { return decodeText(bytes) }
        var at = 1
        guard let count = readVarint(bytes, &at), count <= UInt64(bytes.count) else { return nil }
        var points: [TrackPoint] = []
        points.reserveCapacity(Int(count))
        var time: Int64 = 0, lon: Int64 = 0, lat: Int64 = 0
        for _ in 0..<count {
            guard let dt = readVarint(bytes, &at), let dx = readVarint(bytes, &at), let dy = readVarint(bytes, &at),
                  let sl = readVarint(bytes, &at) else { return nil }
            time = time &+ unzigzag(dt)
            lon = lon &+ unzigzag(dx)
            lat = lat &+ unzigzag(dy)
            let speed = sl >> 1
            points.append(TrackPoint(time: time, lon: Double(lon) / 1_000_000, lat: Double(lat) / 1_000_000,
                                     speedKmh: speed == 0 ? .nan : Float(unzigzag(speed - 1)), loaded: sl & 1 == 1))
        }
        return at == bytes.count ? points : nil
    }

    /// The text form of stores written before the binary one.
    static func decodeText(_ bytes: UnsafeRawBufferPointer) -> [TrackPoint] {
        String(decoding: bytes, as: UTF8.self).split(separator: ";").compactMap { item in
            let f = item.split(separator: ",", omittingEmptySubsequences: false)
            guard f.count == 5, let t = Int64(f[0]), let lon = Double(f[1]), let lat = Double(f[2]) else { return nil }
            return TrackPoint(time: t, lon: lon, lat: lat, speedKmh: Float(f[3]) ?? .nan, loaded: f[4] == "1")
        }
    }

    static func micro(_ degrees: Double) -> Int64 { Int64((degrees * 1_000_000).rounded()) }

    static func zigzag(_ v: Int64) -> UInt64 { UInt64(bitPattern: (v << 1) ^ (v >> 63)) }

    static func unzigzag(_ v: UInt64) -> Int64 { Int64(bitPattern: v >> 1) ^ -Int64(bitPattern: v & 1) }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    static func readVarint(_ bytes: UnsafeRawBufferPointer, _ at: inout Int) -> UInt64? {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while at < bytes.count, shift < 64 {
            let b = bytes[at]
            at += 1
            value |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return value }
            shift += 7
        }
        return nil
    }
}
