import Foundation
import MuckWatchGeo
public import MuckWatchCore

/// A city's tile server under the case maps (issue #21): `serve --tiles URL_TEMPLATE
/// [--tiles-datum wgs84|gcj02]`, drawn with Leaflet from Debian's `libjs-leaflet`, whose files
/// are read once at start and served by the app (the CSP allows scripts from the app only).
///
/// 天地图 serves CGCS2000 tiles (WGS 84 within centimetres); AMap-style tiles are GCJ-02, so
/// the case's track and markers are shifted to GCJ-02 before they are drawn on them.
public struct Basemap: Sendable {
    public enum Datum: String, Sendable, CaseIterable {
        case wgs84, gcj02
    }

    /// `{z}/{x}/{y}` (and optionally `{s}`) in Leaflet's syntax.
    public var template: String
    public var datum: Datum
    /// Where the tiles come from, for the CSP's `img-src` (`{s}` subdomains as `*.`).
    public var origin: String
    /// Leaflet's files by their path under `/static/leaflet/`.
    var files: [String: [UInt8]]

    /// Debian's libjs-leaflet.
    public static let debianLeaflet = "/usr/share/javascript/leaflet"

    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks the template and reads Leaflet from `leafletDirectory`.
    /// - Throws: `LoadError` naming the template's problem or the missing file and the package to install.
    public init(template: String, datum: Datum, leafletDirectory: String = Basemap.debianLeaflet) throws(LoadError) {
        guard let origin = Self.origin(of: template) else {
            throw LoadError(description: "--tiles \(template): not an http(s) URL template "
                + "(e.g. http://tiles.example.gov.cn/{z}/{x}/{y}.png)")
        }
        guard ["{z}", "{x}", "{y}"].allSatisfy(template.contains) else {
            throw LoadError(description: "--tiles \(template): the template needs {z}, {x} and {y}")
        }
        var files: [String: [UInt8]] = [:]
        for name in ["leaflet.js", "leaflet.css"] {
            let path = leafletDirectory + "/" + name
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LoadError(description: "\(path): missing; the basemap needs Leaflet "
                    + "(Debian: apt-get install libjs-leaflet, or scripts/install-deps)")
            }
            files[name] = [UInt8](data)
        }
        // Leaflet's stylesheet refers to its layer and marker icons; missing icons only lose the icons.
        let images = leafletDirectory + "/images"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: images)) ?? [] where name.hasSuffix(".png") {
            if let data = FileManager.default.contents(atPath: images + "/" + name) { files["images/" + name] = [UInt8](data) }
        }
        self.template = template
        self.datum = datum
        self.origin = origin
        self.files = files
    }

    /// `scheme://host[:port]` of an http(s) template; `{s}.host` becomes `*.host`.
    static func origin(of template: String) -> String? {
        guard let scheme = ["https://", "http://"].first(where: template.hasPrefix) else { return nil }
        let rest = template.dropFirst(scheme.count)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard !authority.isEmpty else { return nil }
        let host = authority.replacingOccurrences(of: "{s}", with: "*")
        // Anything else in braces, or a quote or space, cannot go into a CSP source.
        guard !host.contains("{"), !host.contains(where: { " ;,'\"".contains($0) }) else { return nil }
        return scheme + host
    }

    /// A position as the tiles draw it.
    func shift(_ p: LonLat) -> LonLat { datum == .gcj02 ? GCJ02.fromWGS84(p) : p }
}
