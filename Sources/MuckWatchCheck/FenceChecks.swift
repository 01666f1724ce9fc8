import Foundation
import MuckWatchCore
import MuckWatchIngest

/// The fences alone: every feature readable, ids unique, polygons closed and valid, no
/// two disposal sites sharing ground.
struct FenceChecks {
    private(set) var fences: [Fence] = []
    private(set) var problems: [ReferenceProblem] = []
    /// Where each usable fence was read from, for reports about it.
    private(set) var origin: [String: String] = [:]

    init(path: String) {
        let files: [Result<[FenceFeature], IngestError>]
        do { files = try FenceReader.survey(path: path) } catch {
            problems.append(ReferenceProblem(.unusableFile, file: path, Self.reason(error),
                                             remedy: "pass --fences a GeoJSON file or a folder of them (docs/formats.md)"))
            return
        }
        for file in files {
            switch file {
            case .failure(let e):
                problems.append(ReferenceProblem(.unusableFile, file: Self.path(of: e) ?? path, Self.reason(e),
                                                 remedy: "save it as a GeoJSON FeatureCollection (docs/formats.md, geofences)"))
            case .success(let features):
                for f in features { take(f) }
            }
        }
        checkGeometry()
    }

    private mutating func take(_ f: FenceFeature) {
        if f.openRings > 0 {
            problems.append(ReferenceProblem(
                .unclosedRing, file: f.file, at: f.label,
                "\(f.openRings) polygon ring(s) do not end on their first position",
                remedy: "repeat each ring's first position at its end (GeoJSON requires it; other GIS tools refuse open rings)"))
        }
        switch f.fence {
        case .failure(let e):
            let why = Self.reason(e).replacingOccurrences(of: "not usable as geofences: ", with: "")
                .replacingOccurrences(of: "\(f.label): ", with: "")
            problems.append(ReferenceProblem(.unusableFence, file: f.file, at: f.label, why,
                                             remedy: "fix or remove the feature: analyze stops at it (docs/formats.md, geofences)"))
        case .success(let fence):
            if let other = origin[fence.id] {
                problems.append(ReferenceProblem(.duplicateID, file: f.file, at: f.label, "the id is also used in \(other)",
                                                 remedy: "give each fence its own id: analyze stops at a duplicate"))
                return
            }
            origin[fence.id] = f.file
            fences.append(fence)
        }
    }

    /// Validity (GEOS's reason, which names the point) and disposal sites overlapping.
    private mutating func checkGeometry() {
        let geos = GEOS()
        var disposal: [(Fence, GEOS.Shape)] = []
        for fence in fences {
            guard case .polygons(let polygons) = fence.geometry, let shape = geos.shape(polygons) else { continue }
            if let why = geos.invalidity(shape) {
                problems.append(ReferenceProblem(
                    .invalidPolygon, file: origin[fence.id] ?? "", at: "fence '\(fence.id)'", "invalid polygon: \(why)",
                    remedy: "redraw the outline so its edges do not cross (membership inside a crossed outline is ambiguous)"))
            } else if fence.kind == .disposalSite {
                disposal.append((fence, shape))
            }
        }
        for i in disposal.indices {
            for j in disposal.indices where j > i {
                let (a, sa) = disposal[i], (b, sb) = disposal[j]
                let square = geos.sharedArea(sa, sb)
                guard square > 0 else { continue }
                let m2 = square * Self.squareMetresPerSquareDegree(at: Self.latitude(of: a))
                problems.append(ReferenceProblem(
                    .overlappingDisposalSites, file: origin[a.id] ?? "", at: "fence '\(a.id)'",
                    "overlaps disposal site '\(b.id)' (\(origin[b.id] ?? "")) by about \(Int(m2.rounded())) m²",
                    remedy: "trim the outlines so they share no ground: an unloading there would count for either site"))
            }
        }
    }

    private static func latitude(of f: Fence) -> Double {
        guard case .polygons(let p) = f.geometry, let first = p.first?.first?.first else { return 0 }
        return first.lat
    }

    /// Metres per degree of longitude shrink with the cosine of the latitude.
    static func squareMetresPerSquareDegree(at lat: Double) -> Double {
        111_320 * 110_540 * cos(lat * .pi / 180)
    }

    static func path(of e: IngestError) -> String? {
        switch e {
        case .fileNotFound(let p), .unreadable(let p, _), .invalidFences(let p, _), .invalidPermits(let p, _),
             .invalidVehicles(let p, _), .invalidConfig(let p, _), .invalidManifests(let p, _),
             .invalidGateEvents(let p, _), .unsupportedFormat(let p, _):
            return p
        }
    }

    /// The reader's reason without the file name the report already shows.
    static func reason(_ e: IngestError) -> String {
        let text = e.description
        guard let p = path(of: e), text.hasPrefix(p + ": ") else { return text }
        return String(text.dropFirst(p.count + 2))
    }
}
