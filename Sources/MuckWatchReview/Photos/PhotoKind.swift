/// What an uploaded file is, told by its first bytes and never by its name or the browser's
/// declared type (issue #26): a renamed script or an SVG (which can carry script) is refused.
enum PhotoKind: String, Sendable {
    case jpeg = "image/jpeg", png = "image/png", webp = "image/webp"

    /// The kind of `bytes`, or why they are not a photo the app takes.
    static func sniff(_ bytes: [UInt8]) -> Result<PhotoKind, PhotoRefusal> {
        func starts(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + prefix.count && Array(bytes[offset..<offset + prefix.count]) == prefix
        }
        if bytes.isEmpty { return .failure(.empty) }
        if starts([0xFF, 0xD8, 0xFF]) { return .success(.jpeg) }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return .success(.png) }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return .success(.webp) }
        return .failure(.notAPhoto(what: describe(bytes)))
    }

    /// A name for what the bytes look like instead, for the refusal message.
    static func describe(_ bytes: [UInt8]) -> String {
        let head = String(decoding: bytes.prefix(256), as: UTF8.self).lowercased()
        let trimmed = head.drop { $0.isWhitespace || $0 == "\u{FEFF}" }
        let known: [(prefix: [UInt8], name: String)] = [
            (Array("GIF8".utf8), "a GIF image"), (Array("%PDF".utf8), "a PDF document"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (or an Office document)"), ([0x7F, 0x45, 0x4C, 0x46], "an ELF program"),
            (Array("BM".utf8), "a BMP image"), ([0x49, 0x49, 0x2A, 0x00], "a TIFF image"), ([0x4D, 0x4D, 0x00, 0x2A], "a TIFF image"),
        ]
        for k in known where bytes.starts(with: k.prefix) { return k.name }
        if bytes.count >= 12, Array(bytes[4..<8]) == Array("ftyp".utf8) {
            let brand = String(decoding: bytes[8..<12], as: UTF8.self)
            return brand.hasPrefix("hei") || brand.hasPrefix("mif") ? "a HEIC image (set the camera to JPEG, 兼容性最佳)"
                : "an MP4/QuickTime video"
        }
        if trimmed.hasPrefix("#!") { return "a script (\(trimmed.prefix { $0 != "\n" }.prefix(40)))" }
        if trimmed.contains("<svg") { return "an SVG drawing (SVG can carry script)" }
        if trimmed.hasPrefix("<?xml") { return "an XML document" }
        if trimmed.hasPrefix("<!doctype html") || trimmed.hasPrefix("<html") || trimmed.contains("<script") {
            return "an HTML page or script"
        }
        if bytes.prefix(512).allSatisfy({ $0 == 9 || $0 == 10 || $0 == 13 || (32..<127).contains($0) || $0 >= 0x80 }) {
            return "a text file"
        }
        return "not an image this app knows (first bytes " + bytes.prefix(4).map { String($0, radix: 16) }.joined(separator: " ") + ")"
    }

    /// The extension a downloaded copy gets.
    var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }
}

/// Why an uploaded file was not taken; `message` says it to the officer.
enum PhotoRefusal: Error, Equatable {
    case empty
    case notAPhoto(what: String)
    case tooLarge(bytes: Int, limit: Int)
    case badName(String)
    case tooMany(limit: Int)

    func message(_ fileName: String) -> String {
        switch self {
        case .empty: return "\(fileName) is empty (0 bytes): take the photo again."
        case let .notAPhoto(what): return "\(fileName) is \(what), not a JPEG, PNG or WebP photo."
        case let .tooLarge(bytes, limit):
            return "\(fileName) is \(megabytes(bytes)) MB; a photo may be at most \(megabytes(limit)) MB."
        case let .badName(reason): return "The file name \(fileName) is refused: \(reason)."
        case let .tooMany(limit): return "A case takes at most \(limit) photos."
        }
    }

    private func megabytes(_ n: Int) -> String {
        let tenths = (n * 10 + 1024 * 1024 / 2) / (1024 * 1024)
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// The name the phone gave a file, kept only as a label: checked so that no path, control
/// character or over-long name reaches the store or a page (files are stored by hash).
enum PhotoName {
    static func check(_ name: String) -> PhotoRefusal? {
        if name.isEmpty { return .badName("it is empty") }
        if name.utf8.count > 200 { return .badName("it is longer than 200 bytes") }
        if name.contains("/") || name.contains("\\") || name == "." || name == ".." || name.hasPrefix("..") {
            return .badName("it is a path, not a file name")
        }
        if name.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 }) {
            return .badName("it contains control characters")
        }
        return nil
    }
}
