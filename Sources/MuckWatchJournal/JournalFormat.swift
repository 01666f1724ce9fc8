public import MuckWatchCore

/// The on-disk form of a journal segment (docs/journal.md):
///
/// - a 16-byte header: the magic `MWJOURNL`, format version (u32 LE), the day cut's UTC
///   offset in seconds (i32 LE, so a reader names days as the writer did);
/// - records: payload length (u16 LE), CRC-32C (u32 LE) over the length bytes and the
///   payload, then the payload (version 1, little-endian): message id u16, serial u16,
///   phone high u16, phone low u64, received ms i64, fix time i64, lon f64, lat f64,
///   speed f32, heading f32, load f32, lift i8, lid i8, flags u8 (bit 0 unpositioned),
///   plate length u8, plate UTF-8.
///
/// No marker between records: after a bad record the reader looks for the next offset
/// whose length and checksum hold (a false match has odds of 2⁻³² per offset).
public enum JournalFormat {
    public static let magic: [UInt8] = Array("MWJOURNL".utf8)
    public static let version: UInt32 = 1
    public static let headerBytes = 16
    /// Bytes before the payload: length and checksum.
    public static let frameBytes = 6
    /// Payload bytes before the plate.
    public static let fixedPayload = 62
    public static let maxPlateBytes = 255

    /// The segment header for a journal whose days are cut in `clock`'s zone.
    public static func header(clock: LocalClock) -> [UInt8] {
        var h = magic
        put(version, &h)
        put(UInt32(bitPattern: Int32(clock.offsetSeconds)), &h)
        return h
    }

    /// True when `bytes` start with a segment header (how `analyze --traces` tells a journal by content).
    public static func hasMagic(_ bytes: some Collection<UInt8>) -> Bool {
        bytes.count >= magic.count && bytes.prefix(magic.count).elementsEqual(magic)
    }

    /// Appends one record for `entry`; `plate` is its vehicle's plate in UTF-8.
    public static func append(_ entry: JournalEntry, plate: [UInt8], to out: inout [UInt8]) {
        let start = out.count
        let plateCount = min(plate.count, maxPlateBytes)
        put(UInt16(fixedPayload + plateCount), &out)
        put(UInt32(0), &out)  // the checksum, filled below
        put(entry.messageID, &out)
        put(entry.serial, &out)
        put(entry.phoneHigh, &out)
        put(entry.phoneLow, &out)
        put(UInt64(bitPattern: entry.receivedMs), &out)
        let f = entry.fix
        put(UInt64(bitPattern: f.time), &out)
        put(f.lon.bitPattern, &out)
        put(f.lat.bitPattern, &out)
        put(f.speedKmh.bitPattern, &out)
        put(f.heading.bitPattern, &out)
        put(f.loadT.bitPattern, &out)
        out.append(UInt8(bitPattern: f.lift))
        out.append(UInt8(bitPattern: f.lid))
        out.append(f.unpositioned ? 1 : 0)
        out.append(UInt8(plateCount))
        out.append(contentsOf: plate.prefix(plateCount))
        var crc = CRC32C.checksum(out, start..<(start + 2))
        crc = CRC32C.extend(crc, out, (start + frameBytes)..<out.count)
        for k in 0..<4 { out[start + 2 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k))) }
    }

    /// A record's payload decoded; the plate as the range of its bytes in the segment.
    public struct Payload: Equatable {
        public var entry: JournalEntry
        public var plate: Range<Int>
    }

    /// The record at `offset`: its payload and the offset after it, or why it is not one
    /// (`nil` payload: not enough bytes left — a torn tail when at the end).
    public static func record(_ b: [UInt8], at offset: Int) -> (payload: Payload?, next: Int, problem: String?) {
        guard offset + frameBytes <= b.count else { return (nil, offset, "truncated record header") }
        let length = Int(u16(b, offset))
        guard length >= fixedPayload, length <= fixedPayload + maxPlateBytes else {
            return (nil, offset, "impossible record length \(length)")
        }
        let start = offset + frameBytes, end = start + length
        guard end <= b.count else { return (nil, offset, "record of \(length) bytes cut short at \(b.count - start)") }
        let stored = u32(b, offset + 2)
        let crc = extend(CRC32C.checksum(b, offset..<(offset + 2)), b, start..<end)
        guard crc == stored else { return (nil, offset, "checksum mismatch") }
        let plateCount = Int(b[start + fixedPayload - 1])
        guard fixedPayload + plateCount == length else { return (nil, offset, "plate length \(plateCount) disagrees with record length") }
        var p = start
        func next16() -> UInt16 { defer { p += 2 }; return u16(b, p) }
        func next32() -> UInt32 { defer { p += 4 }; return u32(b, p) }
        func next64() -> UInt64 { defer { p += 8 }; return u64(b, p) }
        let messageID = next16(), serial = next16(), high = next16(), low = next64()
        let received = Int64(bitPattern: next64()), time = Int64(bitPattern: next64())
        let lon = Double(bitPattern: next64()), lat = Double(bitPattern: next64())
        let speed = Float(bitPattern: next32()), heading = Float(bitPattern: next32()), load = Float(bitPattern: next32())
        let lift = Int8(bitPattern: b[p]), lid = Int8(bitPattern: b[p + 1]), flags = b[p + 2]
        let fix = Fix(vehicle: -1, time: time, lon: lon, lat: lat, speedKmh: speed, heading: heading, loadT: load,
                      lift: lift, lid: lid, unpositioned: flags & 1 != 0)
        let entry = JournalEntry(fix: fix, phoneHigh: high, phoneLow: low, messageID: messageID, serial: serial,
                                 receivedMs: received)
        return (Payload(entry: entry, plate: (end - plateCount)..<end), end, nil)
    }

    static func extend(_ crc: UInt32, _ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
        CRC32C.extend(crc, bytes, range)
    }

    static func put<T: FixedWidthInteger>(_ v: T, _ out: inout [UInt8]) {
        var v = v.littleEndian
        for _ in 0..<MemoryLayout<T>.size {
            out.append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }

    static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }
}
