import CExif

/// What a photo's EXIF says about where and when it was taken (read with libexif).
struct PhotoExif: Equatable {
    /// DateTimeOriginal as written (`YYYY:MM:DD HH:MM:SS`, the camera's local time).
    var taken: String?
    var lat: Double?
    var lon: Double?

    /// The EXIF of a photo of `kind`: libexif finds it in a JPEG itself; PNG (`eXIf` chunk) and
    /// WebP (`EXIF` chunk) keep the same TIFF block in a chunk, which is handed to libexif
    /// behind the `Exif\0\0` header it expects. Photos without EXIF give an empty value.
    static func read(_ bytes: [UInt8], kind: PhotoKind) -> PhotoExif {
        let block: [UInt8]?
        switch kind {
        case .jpeg: block = bytes
        case .png: block = PhotoChunks.png(bytes, type: "eXIf").map { Array("Exif\0\0".utf8) + $0 }
        case .webp: block = PhotoChunks.riff(bytes, fourCC: "EXIF").map { chunk in
            chunk.starts(with: Array("Exif\0\0".utf8)) ? chunk : Array("Exif\0\0".utf8) + chunk
        }
        }
        guard let block, !block.isEmpty, let data = exif_data_new() else { return PhotoExif() }
        defer { exif_data_unref(data) }
        block.withUnsafeBufferPointer { exif_data_load_data(data, $0.baseAddress, UInt32($0.count)) }
        let order = exif_data_get_byte_order(data)
        let ifds = data.pointee.ifd
        var out = PhotoExif()
        if let e = exif_content_get_entry(ifds.2, EXIF_TAG_DATE_TIME_ORIGINAL)
            ?? exif_content_get_entry(ifds.0, EXIF_TAG_DATE_TIME) {
            out.taken = text(e)
        }
        let gps = ifds.3
        func degrees(_ tag: ExifTag, _ refTag: ExifTag, negative: String) -> Double? {
            guard let e = exif_content_get_entry(gps, tag), e.pointee.format == EXIF_FORMAT_RATIONAL,
                  e.pointee.components == 3, let raw = e.pointee.data else { return nil }
            var parts: [Double] = []
            for i in 0..<3 {
                let r = exif_get_rational(raw + 8 * i, order)
                guard r.denominator != 0 else { return nil }
                parts.append(Double(r.numerator) / Double(r.denominator))
            }
            let value = parts[0] + parts[1] / 60 + parts[2] / 3600
            let ref = exif_content_get_entry(gps, refTag).flatMap(text) ?? ""
            return ref.uppercased().hasPrefix(negative) ? -value : value
        }
        // libexif declares the GPS tags as plain integers (they share values with IFD 0's tags).
        func tag(_ t: Int32) -> ExifTag { ExifTag(rawValue: UInt32(t)) }
        out.lat = degrees(tag(EXIF_TAG_GPS_LATITUDE), tag(EXIF_TAG_GPS_LATITUDE_REF), negative: "S")
        out.lon = degrees(tag(EXIF_TAG_GPS_LONGITUDE), tag(EXIF_TAG_GPS_LONGITUDE_REF), negative: "W")
        if let lat = out.lat, let lon = out.lon, !(abs(lat) <= 90 && abs(lon) <= 180) { out.lat = nil; out.lon = nil }
        return out
    }

    private static func text(_ e: UnsafeMutablePointer<ExifEntry>) -> String? {
        var buffer = [CChar](repeating: 0, count: 128)
        guard exif_entry_get_value(e, &buffer, UInt32(buffer.count)) != nil else { return nil }
        let s = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return s.isEmpty ? nil : s
    }
}

/// The chunk walks of PNG and RIFF (WebP): libexif reads EXIF out of JPEG files only.
enum PhotoChunks {
    /// The data of the first PNG chunk of `type`.
    static func png(_ b: [UInt8], type: String) -> [UInt8]? {
        var i = 8
        let want = Array(type.utf8)
        while i + 8 <= b.count {
            let length = Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
            let start = i + 8
            guard length >= 0, start + length <= b.count else { return nil }
            if Array(b[i + 4..<i + 8]) == want { return Array(b[start..<start + length]) }
            if Array(b[i + 4..<i + 8]) == Array("IDAT".utf8) { return nil }  // eXIf comes before the image data
            i = start + length + 4  // data, then CRC
        }
        return nil
    }

    /// The data of the first RIFF chunk `fourCC` of a WebP file.
    static func riff(_ b: [UInt8], fourCC: String) -> [UInt8]? {
        var i = 12
        let want = Array(fourCC.utf8)
        while i + 8 <= b.count {
            let size = Int(b[i + 4]) | Int(b[i + 5]) << 8 | Int(b[i + 6]) << 16 | Int(b[i + 7]) << 24
            let start = i + 8
            guard start + size <= b.count else { return nil }
            if Array(b[i..<i + 4]) == want { return Array(b[start..<start + size]) }
            i = start + size + (size & 1)
        }
        return nil
    }
}
