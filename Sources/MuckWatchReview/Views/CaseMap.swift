import Foundation
import MuckWatchCore

/// Draws a case as an inline SVG: sites, corridor, checkpoints, the track coloured loaded/empty,
/// the dump point and numbered violation markers. No tiles, no scripts: it prints and archives as is.
struct CaseMap {
    struct Marker {
        var at: LonLat
        var label: String
        var title: String
        /// Markers at one place (passes through one gate) stack their labels, one row each.
        var row = 0
    }

    var track: [TrackPoint]
    /// Fences to draw: the trip's sites and route first, then whatever else lies in view.
    var fences: [FenceShape]
    var highlighted: Set<String>
    var dump: LonLat?
    var violations: [Marker]
    /// Checkpoints with the camera reads at them.
    var cameras: [Marker]
    /// Gate passes, at their site's centre.
    var gates: [Marker] = []
    /// Where manifests were closed: the closing site's centre.
    var closings: [Marker] = []
    /// Issue #24: the journal's raw fixes of the violations' windows, dotted over the simplified track.
    var rawFixes: [LonLat] = []

    static let width = 760.0
    static let maxHeight = 560.0

    func svg() -> String {
        var focus = track.map { LonLat(lon: $0.lon, lat: $0.lat) }
        focus += fences.filter { highlighted.contains($0.id) }.flatMap(\.positions)
        focus += violations.map(\.at) + cameras.map(\.at) + gates.map(\.at) + closings.map(\.at) + (dump.map { [$0] } ?? [])
        // The raw fixes a minute either side of a violation may lie past the thinned track's ends.
        focus += rawFixes
        guard let first = focus.first else {
            return ##"<p class="muted">No track or fence to draw for this case.</p>"##
        }
        var minLon = first.lon, maxLon = first.lon, minLat = first.lat, maxLat = first.lat
        for p in focus {
            minLon = min(minLon, p.lon); maxLon = max(maxLon, p.lon)
            minLat = min(minLat, p.lat); maxLat = max(maxLat, p.lat)
        }
        // Equirectangular around the middle latitude: exact enough at city scale.
        let kx = cos((minLat + maxLat) / 2 * .pi / 180)
        let spanX = max((maxLon - minLon) * kx, 0.002)
        var spanY = max(maxLat - minLat, 0.002)
        // A long east–west track would be a strip a few pixels high (unreadable on a phone, its
        // legend over the track): the drawing is at least 0.45 as high as wide, the track centred.
        if spanY < spanX * 0.45 {
            maxLat += (spanX * 0.45 - spanY) / 2
            spanY = spanX * 0.45
        }
        let pad = 0.06
        let scale = min(Self.width / (spanX * (1 + 2 * pad)), Self.maxHeight / (spanY * (1 + 2 * pad)))
        let height = (spanY * (1 + 2 * pad) * scale).rounded()
        let x0 = minLon * kx - spanX * pad - (Self.width / scale - spanX * (1 + 2 * pad)) / 2
        let y0 = maxLat + spanY * pad
        func at(_ p: LonLat) -> Point { Point(x: (p.lon * kx - x0) * scale, y: (y0 - p.lat) * scale) }
        func xy(_ p: LonLat) -> String { at(p).pair }
        let metresPerUnit = 111_320.0 / scale   // metres per SVG unit (degrees of latitude)

        // Gate and closing marks add a legend row: the drawing grows by it rather than hide more of the map.
        let legendRow = gates.isEmpty && closings.isEmpty ? 0.0 : 14
        // The projection rides on the drawing (data-*) so the track replay (/static/replay.js) places the truck on it.
        var s = ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(num(Self.width)) \##(num(height + legendRow))" role="img" aria-label="case map" id="case-map" data-kx="\##(kx)" data-x0="\##(x0)" data-y0="\##(y0)" data-scale="\##(scale)">"##
        let viewLon = (x0 / kx)...((x0 + Self.width / scale) / kx)
        let viewLat = (y0 - height / scale)...y0
        let inView = fences.filter { f in
            highlighted.contains(f.id) || f.positions.contains { viewLon.contains($0.lon) && viewLat.contains($0.lat) }
        }
        for f in inView.sorted(by: { drawOrder($0) < drawOrder($1) }) {
            let strong = highlighted.contains(f.id)
            let title = "<title>" + escapeHTML("\(f.kind.rawValue) \(f.id) \(f.name)") + "</title>"
            switch f.kind {
            case .constructionSite, .disposalSite, .restrictedZone:
                let (fill, stroke) = f.kind == .constructionSite ? ("#ffd8a8", "#e8590c")
                    : f.kind == .disposalSite ? ("#b2f2bb", "#2f9e44") : ("#ffc9c9", "#e03131")
                let d = f.paths.map { "M" + $0.map(xy).joined(separator: "L") + "Z" }.joined()
                s += ##"<path d="\##(d)" fill="\##(fill)" fill-opacity="\##(strong ? "0.75" : "0.35")" stroke="\##(stroke)" stroke-width="\##(strong ? 2 : 1)" fill-rule="evenodd">\##(title)</path>"##
                if let c = f.paths.first.flatMap(centroid) {
                    s += label(at(c), f.name.isEmpty ? f.id : f.name, color: stroke, dy: 0)
                }
            case .route:
                let w = max(2, (f.corridorM ?? 30) * 2 / metresPerUnit)
                for line in f.paths {
                    s += ##"<polyline points="\##(line.map(xy).joined(separator: " "))" fill="none" stroke="#91a7ff" stroke-opacity="\##(strong ? "0.45" : "0.2")" stroke-width="\##(num(w))" stroke-linejoin="round" stroke-linecap="round">\##(title)</polyline>"##
                }
            case .checkpoint:
                if let p = f.point {
                    let c = at(p)
                    s += ##"<rect x="\##(num(c.x - 5))" y="\##(num(c.y - 5))" width="10" height="10" fill="#7048e8" fill-opacity="\##(strong ? "1" : "0.4")">\##(title)</rect>"##
                }
            }
        }
        // Track: consecutive points with the same state form one polyline.
        var i = 0
        while i < track.count {
            var j = i
            while j + 1 < track.count, track[j + 1].loaded == track[i].loaded { j += 1 }
            let run = track[i...min(j + 1, track.count - 1)]
            let color = track[i].loaded ? "#d9480f" : "#1971c2"
            s += ##"<polyline class="\##(track[i].loaded ? "loaded" : "empty")" points="\##(run.map { xy(LonLat(lon: $0.lon, lat: $0.lat)) }.joined(separator: " "))" fill="none" stroke="\##(color)" stroke-width="2.5" stroke-linejoin="round"/>"##
            i = j + 1
        }
        if !rawFixes.isEmpty {
            s += ##"<g class="raw-fixes" fill="#343a40" fill-opacity="0.55"><title>raw fixes from the journal</title>"##
            for f in rawFixes {
                let p = at(f)
                s += ##"<circle cx="\##(num(p.x))" cy="\##(num(p.y))" r="1.8"/>"##
            }
            s += "</g>"
        }
        if let start = track.first {
            let p = at(LonLat(lon: start.lon, lat: start.lat))
            s += ##"<circle cx="\##(num(p.x))" cy="\##(num(p.y))" r="4" fill="#fff" stroke="#1f2933" stroke-width="2"><title>track start</title></circle>"##
        }
        for c in cameras {
            let p = at(c.at)
            s += ##"<circle cx="\##(num(p.x))" cy="\##(num(p.y))" r="9" fill="none" stroke="#7048e8" stroke-width="2"><title>\##(escapeHTML(c.title))</title></circle>"##
            s += label(p, c.label, color: "#5f3dc4", dy: -12)
        }
        for g in gates {
            let p = at(g.at)
            s += ##"<g class="gate-mark"><path d="M\##(num(p.x)),\##(num(p.y - 8))L\##(num(p.x + 8)),\##(num(p.y))L\##(num(p.x)),\##(num(p.y + 8))L\##(num(p.x - 8)),\##(num(p.y))Z" fill="#0c8599" stroke="#fff" stroke-width="1.5"/><title>\##(escapeHTML(g.title))</title></g>"##
            s += label(p, g.label, color: "#0b7285", dy: -12 - 13 * Double(g.row))
        }
        for c in closings {
            let p = at(c.at)
            s += ##"<g class="closing-mark"><circle cx="\##(num(p.x))" cy="\##(num(p.y))" r="10" fill="none" stroke="#2b8a3e" stroke-width="3"/><circle cx="\##(num(p.x))" cy="\##(num(p.y))" r="4" fill="#2b8a3e"/><title>\##(escapeHTML(c.title))</title></g>"##
            s += label(p, c.label, color: "#2b8a3e", dy: -12 - 13 * Double(c.row))
        }
        if let dump {
            let p = at(dump)
            let x = p.x, y = p.y
            s += ##"<g id="dump-point"><circle cx="\##(num(x))" cy="\##(num(y))" r="8" fill="#1f2933"/><path d="M\##(num(x - 4)),\##(num(y - 4))L\##(num(x + 4)),\##(num(y + 4))M\##(num(x + 4)),\##(num(y - 4))L\##(num(x - 4)),\##(num(y + 4))" stroke="#fff" stroke-width="2"/><title>dump point</title></g>"##
            s += label(p, "dump 倾倒点", color: "#1f2933", dy: 20)
        }
        for v in violations {
            let p = at(v.at)
            s += ##"<g class="vmark"><circle cx="\##(num(p.x))" cy="\##(num(p.y))" r="9" fill="#c92a2a" stroke="#fff" stroke-width="1.5"/><text x="\##(num(p.x))" y="\##(num(p.y))" dy="4" text-anchor="middle" font-size="11" font-weight="700" fill="#fff">\##(escapeHTML(v.label))</text><title>\##(escapeHTML(v.title))</title></g>"##
        }
        s += legend(height: height + legendRow, metresPerUnit: metresPerUnit)
        return s + "</svg>"
    }

    func drawOrder(_ f: FenceShape) -> Int {
        switch f.kind {
        case .restrictedZone: return 0
        case .route: return 1
        case .constructionSite, .disposalSite: return 2
        case .checkpoint: return 3
        }
    }

    func legend(height: Double, metresPerUnit: Double) -> String {
        var items: [(String, String)] = [("#d9480f", "loaded 重车"), ("#1971c2", "empty 空车"), ("#ffd8a8", "source site 工地"),
                                         ("#b2f2bb", "disposal 消纳场"), ("#91a7ff", "route corridor 线路"), ("#7048e8", "checkpoint 卡口")]
        if !gates.isEmpty { items.append(("#0c8599", "gate pass 过闸")) }
        if !closings.isEmpty { items.append(("#2b8a3e", "manifest closed 联单闭合")) }
        if !rawFixes.isEmpty { items.append(("#343a40", "raw fix 原始定位")) }
        var s = ##"<g font-size="11" fill="#334e68">"##
        var x = 8.0, y = height - 10
        for (color, text) in items {
            let w = 24 + Double(displayWidth(text)) * 6.2
            // A legend wider than the map goes on in a row above.
            if x + w > Self.width + 8 {
                x = 8
                y -= 14
            }
            s += ##"<rect x="\##(num(x))" y="\##(num(y - 8))" width="12" height="8" fill="\##(color)"/><text x="\##(num(x + 16))" y="\##(num(y))">\##(text)</text>"##
            x += w
        }
        // Scale bar: a round length near a fifth of the width.
        let target = Self.width / 5 * metresPerUnit
        let bar = [100.0, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].last { $0 <= target } ?? 100
        let w = bar / metresPerUnit
        // Top right, clear of the legend along the bottom.
        s += ##"<path d="M\##(num(Self.width - w - 10)),20h\##(num(w))" stroke="#1f2933" stroke-width="2"/>"##
        s += ##"<text x="\##(num(Self.width - 10))" y="15" text-anchor="end">\##(bar >= 1000 ? "\(Int(bar / 1000)) km" : "\(Int(bar)) m")</text>"##
        return s + "</g>"
    }

    func label(_ p: Point, _ text: String, color: String, dy: Double) -> String {
        return ##"<text x="\##(num(p.x))" y="\##(num(p.y))" dy="\##(num(dy))" text-anchor="middle" font-size="11" fill="\##(color)" stroke="#fff" stroke-width="3" paint-order="stroke">\##(escapeHTML(text))</text>"##
    }

    func centroid(_ ring: [LonLat]) -> LonLat? { FenceShape.centroid(ring) }
}

/// A position in the drawing's units.
struct Point {
    var x: Double
    var y: Double
    var pair: String { num(x) + "," + num(y) }
}

/// One decimal is plenty for an 800-unit drawing and keeps the page small.
func num(_ v: Double) -> String { String(format: "%.1f", v) }
