import MuckWatchCore

/// Text fields of JT/T 808 are GBK. Full GBK tables are large and only registration
/// plates need more than ASCII, so this maps ASCII plus the Chinese characters that
/// start or end a plate (province abbreviations, 警/学/挂/港/澳/使/领/试/超/临).
/// Other non-ASCII pairs decode to U+FFFD: visible, never a wrong character.
enum JT808Text {
    /// (GBK code, Unicode scalar)
    static let table: [(UInt16, UInt32)] = [
        (0xBEA9, 0x4EAC), (0xBDF2, 0x6D25), (0xBBA6, 0x6CAA), (0xD3E5, 0x6E1D), (0xBCBD, 0x5180), (0xD4A5, 0x8C6B),
        (0xD4C6, 0x4E91), (0xC1C9, 0x8FBD), (0xBADA, 0x9ED1), (0xCFE6, 0x6E58), (0xCDEE, 0x7696), (0xC2B3, 0x9C81),
        (0xD0C2, 0x65B0), (0xCBD5, 0x82CF), (0xD5E3, 0x6D59), (0xB8D3, 0x8D63), (0xB6F5, 0x9102), (0xB9F0, 0x6842),
        (0xB8CA, 0x7518), (0xBDFA, 0x664B), (0xC3C9, 0x8499), (0xC9C2, 0x9655), (0xBCAA, 0x5409), (0xC3F6, 0x95FD),
        (0xB9F3, 0x8D35), (0xD4C1, 0x7CA4), (0xC7E0, 0x9752), (0xB2D8, 0x85CF), (0xB4A8, 0x5DDD), (0xC4FE, 0x5B81),
        (0xC7ED, 0x743C), (0xCAB9, 0x4F7F), (0xC1EC, 0x9886), (0xBEAF, 0x8B66), (0xD1A7, 0x5B66), (0xB9D2, 0x6302),
        (0xB8DB, 0x6E2F), (0xB0C4, 0x6FB3), (0xCAD4, 0x8BD5), (0xB3AC, 0x8D85), (0xC1D9, 0x4E34),
    ]

    /// Decodes GBK bytes, stopping at the first NUL (fixed-width fields are NUL-padded)
    /// and trimming trailing spaces.
    static func decode(_ b: ByteSpan) -> String {
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0 { break }
            if c < 0x80 {
                scalars.append(Unicode.Scalar(c))
                i += 1
            } else if i + 1 < b.count {
                let code = UInt16(c) << 8 | UInt16(b[i + 1])
                let u = table.first { $0.0 == code }?.1 ?? 0xFFFD
                scalars.append(Unicode.Scalar(u) ?? "\u{FFFD}")
                i += 2
            } else {
                scalars.append("\u{FFFD}")
                i += 1
            }
        }
        var s = String(scalars)
        while s.last == " " { s.removeLast() }
        return s
    }

    /// Encodes to GBK; characters outside the table become `?`.
    static func encode(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        for u in s.unicodeScalars {
            if u.value < 0x80 { out.append(UInt8(u.value)); continue }
            if let code = table.first(where: { $0.1 == u.value })?.0 {
                out.appendU16(code)
            } else {
                out.append(UInt8(ascii: "?"))
            }
        }
        return out
    }

    /// Encodes into exactly `width` bytes, NUL-padded (or cut).
    static func fixed(_ s: String, _ width: Int) -> [UInt8] {
        var b = Array(encode(s).prefix(width))
        b.append(contentsOf: [UInt8](repeating: 0, count: width - b.count))
        return b
    }
}
