import Hummingbird
import MultipartKit
import NIOCore
import Foundation

/// One part of a `multipart/form-data` body: a field, or a file with the name the browser gave it.
struct FormPart {
    var name: String
    var fileName: String?
    var bytes: [UInt8]
}

/// Reads a `multipart/form-data` body (MultipartKit's parser; the boundary and each part's
/// `Content-Disposition` parameters are read here).
enum MultipartForm {
    static func parse(_ body: ByteBuffer, contentType: String?) throws(HTTPError) -> [FormPart] {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
              let boundary = parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw HTTPError(.badRequest, message: "Photos must be sent as a multipart/form-data form (the page's upload form).")
        }
        let parser = MultipartParser(boundary: boundary)
        var parts: [FormPart] = []
        var headers: [(String, String)] = [], bytes: [UInt8] = []
        parser.onHeader = { name, value in headers.append((name, value)) }
        parser.onBody = { buffer in bytes += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            parts.append(FormPart(name: parameter("name", in: disposition) ?? "",
                                  fileName: parameter("filename", in: disposition), bytes: bytes))
            headers = []
            bytes = []
        }
        do {
            try parser.execute(body)
        } catch {
            throw HTTPError(.badRequest, message: "The upload could not be read as a multipart form: \(error)")
        }
        return parts
    }

    /// `key=value` or `key="quoted value"` among a header's `;`-separated parameters.
    static func parameter(_ key: String, in header: String) -> String? {
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
            guard let eq = rest.firstIndex(of: "="), rest[..<eq].lowercased() == key.lowercased() else { continue }
            var value = rest[rest.index(after: eq)...]
            if value.first == "\"" {
                value = value.dropFirst()
                var out = "", escaped = false
                for ch in value {
                    if escaped { out.append(ch); escaped = false } else if ch == "\\" { escaped = true }
                    else if ch == "\"" { return out } else { out.append(ch) }
                }
                return out
            }
            return String(value.prefix { $0 != ";" }).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }
}

/// A photo that passed the checks: its bytes, kind, hash and EXIF.
struct CheckedPhoto {
    var bytes: [UInt8]
    var kind: PhotoKind
    var sha256: String
    var fileName: String
    var exif: PhotoExif

    /// Checks one uploaded file: its name is a plain file name, its size within `limit`, its
    /// content a JPEG, PNG or WebP.
    static func check(_ part: FormPart, limit: Int) -> Result<CheckedPhoto, PhotoRefusal> {
        let name = part.fileName ?? ""
        if let bad = PhotoName.check(name) { return .failure(bad) }
        if part.bytes.count > limit { return .failure(.tooLarge(bytes: part.bytes.count, limit: limit)) }
        switch PhotoKind.sniff(part.bytes) {
        case let .failure(why): return .failure(why)
        case let .success(kind):
            return .success(CheckedPhoto(bytes: part.bytes, kind: kind, sha256: PhotoFolder.sha256(part.bytes),
                                         fileName: name, exif: PhotoExif.read(part.bytes, kind: kind)))
        }
    }
}
